"""RDF syntaxes by name, written and read by Oxigraph: the one place that maps a format's name to the
engine's serializer. Callers pass rdflib triples or quads and a name (``ttl``, ``trig``, ``nt``,
``nq``, ``jsonld``, ``rdfxml``); the store's own data is written by :meth:`EmbeddedStore.write`
without leaving the engine.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import Node

from migkg.store.terms import ox_statements

RDF_FORMATS: dict[str, Any] = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
READABLE = ("ttl", "rdfxml")  # triple formats whose text prefixes shorten


def rdf_format(name: str) -> Any:
    if name not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {name!r}; one of {', '.join(RDF_FORMATS)}")
    return RDF_FORMATS[name]


def is_dataset(name: str) -> bool:
    """Whether the format holds named graphs (TriG, N-Quads, JSON-LD)."""
    return bool(rdf_format(name).supports_datasets)


def write_ox(items: Iterable[Any], out: IO[bytes], fmt: str, prefixes: dict[str, str] | None = None) -> None:
    """pyoxigraph triples or quads to ``out`` (store-internal)."""
    ox.serialize(items, out, rdf_format(fmt), prefixes=prefixes)


def serialize(items: Iterable[tuple[Node, ...]], fmt: str, prefixes: dict[str, str] | None = None,
              out: IO[bytes] | None = None, sorted_triples: bool = False) -> bytes:
    """rdflib triples or quads in the format named ``fmt``; written to ``out`` when given (then
    returns b""), else returned. With ``sorted_triples`` the graphs are dropped and the distinct
    triples written in N-Triples order (so that the output diffs cleanly)."""
    statements = list(ox_statements(items))
    if sorted_triples:
        statements = sorted({getattr(t, "triple", t) for t in statements}, key=str)
    buf = out if out is not None else io.BytesIO()
    write_ox(statements, buf, fmt, prefixes)
    return b"" if out is not None else buf.getvalue()  # type: ignore[union-attr]


def convert_file(path: Path, source: str, target: str, prefixes: dict[str, str] | None = None) -> bytes:
    """A file in the format ``source`` rewritten in the format ``target`` (e.g. the ontology for serve)."""
    statements = list(ox.parse(path=str(path), format=rdf_format(source)))
    buf = io.BytesIO()
    write_ox(statements, buf, target, prefixes)
    return buf.getvalue()
