"""Export: the store (all named graphs, or one) -> a file in a standard RDF syntax.

One map, :data:`FORMATS`, names every format by its short name and file suffix. Dataset formats
(TriG, N-Quads, JSON-LD) keep every named graph (the provenance: which release stated what);
triple formats (Turtle, N-Triples, RDF/XML) write the merge, each triple once (the store's default
graph, or the chosen named graph). Serialization is Oxigraph's (fast, streaming).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import URIRef

from migkg.errors import MigkgError
from migkg.store import Store


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    rdf: ox.RdfFormat
    dataset: bool
    media_type: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("ttl", ".ttl", ox.RdfFormat.TURTLE, False, "text/turtle"),
    Format("trig", ".trig", ox.RdfFormat.TRIG, True, "application/trig"),
    Format("nt", ".nt", ox.RdfFormat.N_TRIPLES, False, "application/n-triples"),
    Format("nq", ".nq", ox.RdfFormat.N_QUADS, True, "application/n-quads"),
    Format("jsonld", ".jsonld", ox.RdfFormat.JSON_LD, True, "application/ld+json"),
    Format("rdfxml", ".rdf", ox.RdfFormat.RDF_XML, False, "application/rdf+xml"),
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
    if fmt.dataset:
        quads = list(store.quads()) if graph is None else list(store.quads(graph))
        ox.serialize(quads, out, fmt.rdf, prefixes=PREFIXES if fmt.rdf != ox.RdfFormat.N_QUADS else None)
        return len(quads)
    if graph is None:
        triples = sorted(store.facts(), key=str)
    else:
        triples = sorted({q.triple for q in store.quads(graph)}, key=str)
    prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    ox.serialize(triples, out, fmt.rdf, prefixes=prefixes)
    return len(triples)
