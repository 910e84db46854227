"""Export: the store (all named graphs, or one) -> a file in a standard RDF syntax.

One map, :data:`FORMATS`, names every format by its short name and file suffix. Dataset formats
(TriG, N-Quads, JSON-LD) keep every named graph (the provenance: which release stated what);
triple formats (Turtle, N-Triples, RDF/XML) write the merge, each triple once (the store's default
graph, or the chosen named graph). The store writes itself (:meth:`migkg.store.Store.write`:
Oxigraph's serializers, nothing converted to rdflib on the way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import URIRef

from migkg.errors import MigkgError
from migkg.store import Store


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    dataset: bool
    media_type: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("ttl", ".ttl", False, "text/turtle"),
    Format("trig", ".trig", True, "application/trig"),
    Format("nt", ".nt", False, "application/n-triples"),
    Format("nq", ".nq", True, "application/n-quads"),
    Format("jsonld", ".jsonld", True, "application/ld+json"),
    Format("rdfxml", ".rdf", False, "application/rdf+xml"),
)}
PREFIXES = {
    "mkg": "https://w3id.org/migkg/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
}


def format_for(name: str | None = None, path: str | Path | None = None) -> Format:
    """The format named ``name``, else the one whose suffix ``path`` has."""
    if name:
        if name not in FORMATS:
            raise MigkgError(f"unknown export format {name!r}", f"choose one of {', '.join(FORMATS)}")
        return FORMATS[name]
    suffix = Path(path).suffix.lower() if path else ""
    extra = {".json": "jsonld", ".xml": "rdfxml", ".owl": "rdfxml"}
    for f in FORMATS.values():
        if f.suffix == suffix or extra.get(suffix) == f.name:
            return f
    raise MigkgError(f"{path}: cannot tell the export format from the suffix {suffix!r}",
                     f"pass --format ({', '.join(FORMATS)})")


def export(store: Store, out: IO[bytes], fmt: Format, graph: URIRef | None = None) -> int:
    """Write the store (or one named graph) to ``out``; returns the number of triples or quads written."""
    return store.write(out, fmt.name, graph, PREFIXES)
