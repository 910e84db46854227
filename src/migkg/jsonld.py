"""JSON-LD for web developers: compaction with migkg's context, expansion, and framing (PyLD).

The context (``ontology/context.jsonld``, published as :data:`CONTEXT_IRI`) turns our IRIs into
plain JSON keys: ``"organizer"``, ``"startDate": "2019-05-17"``, ``"label": {"en": …}``. Framing
(JSON-LD 1.1 Framing) nests an event's organizer, participants, countries and programme → funder
as described by ``ontology/frames/event.jsonld``. Documents are built with PyLD; its document
loader is replaced by one that serves our own context and frame and refuses the network.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from typing import Any

from pyld import jsonld
from rdflib import URIRef
from rdflib.term import Node

from migkg.errors import MigkgError
from migkg.resources import resource
from migkg.store import EmbeddedStore
from migkg.store.formats import serialize

CONTEXT_IRI = "https://w3id.org/migkg/ontology/context.jsonld"
FRAME_IRI = "https://w3id.org/migkg/ontology/frames/event.jsonld"
_LOCAL = {CONTEXT_IRI: ("ontology", "context.jsonld"), FRAME_IRI: ("ontology", "frames/event.jsonld")}
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]{0,15})")


@cache
def _read(iri: str) -> dict[str, Any]:
    kind, name = _LOCAL[iri]
    path = resource(kind, name)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise MigkgError(f"{path}: cannot read JSON-LD ({e})", "reinstall migkg") from e
    return data


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader: our context and frame from the package; nothing from the network."""
    if url not in _LOCAL:
        raise jsonld.JsonLdError(
            f"migkg loads no remote JSON-LD documents: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": _read(url)}


def context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    ctx: dict[str, Any] = _read(CONTEXT_IRI)["@context"]
    return ctx


def event_frame() -> dict[str, Any]:
    """The event frame with its context inlined."""
    return {**_read(FRAME_IRI), "@context": context()}


def _options() -> dict[str, Any]:
    return {"documentLoader": document_loader}


def _tidy(node: Any) -> Any:
    """What JSON-LD's fromRdf does by default: ``rdf:type`` as ``@type`` (IRI values only), and with
    ``useNativeTypes``: canonical xsd:integer values as JSON numbers."""
    if isinstance(node, list):
        return [_tidy(n) for n in node]
    if not isinstance(node, dict):
        return node
    if (
        node.get("@type") == _XSD_INTEGER
        and isinstance(node.get("@value"), str)
        and _CANONICAL_INT.fullmatch(node["@value"])
    ):
        return {"@value": int(node["@value"])}
    out = {k: _tidy(v) for k, v in node.items()}
    types = out.get(_RDF_TYPE)
    if (
        "@id" in out
        and "@type" not in out
        and isinstance(types, list)
        and all(isinstance(t, dict) and set(t) == {"@id"} for t in types)
    ):
        out["@type"] = [t["@id"] for t in out.pop(_RDF_TYPE)]
    return out


def expanded(quads: Any) -> list[dict[str, Any]]:
    """Expanded JSON-LD of rdflib quads (Oxigraph serializes; PyLD expands), integers as JSON numbers;
    a quad whose graph is None is in the default graph."""
    return _expand(serialize(list(dict.fromkeys(quads)), "jsonld"))  # a set: no repeated statements


def _expand(data: bytes) -> list[dict[str, Any]]:
    doc = json.loads(data or b"[]")
    return _tidy(jsonld.expand(doc, _options()))  # type: ignore[no-any-return]


def compact(doc: Any) -> dict[str, Any]:
    """Compact a JSON-LD document with migkg's context (the context is written inline)."""
    return jsonld.compact(doc, {"@context": context()}, _options())  # type: ignore[no-any-return]


def compact_store(store: EmbeddedStore, graph: URIRef | None = None) -> dict[str, Any]:
    """The store (or one named graph, keeping its name) as compacted JSON-LD."""
    buf = io.BytesIO()
    store.write(buf, "jsonld", graph)
    return compact(_expand(buf.getvalue()))


def to_nquads(doc: Any) -> str:
    """JSON-LD (any form) -> N-Quads, through PyLD's expansion and toRdf."""
    opts = {**_options(), "format": "application/n-quads"}
    return jsonld.to_rdf(doc, opts)  # type: ignore[no-any-return]


def frame_events(store: EmbeddedStore, events: list[URIRef] | None = None) -> dict[str, Any]:
    """Framed JSON-LD of the given events (all events when ``None``): event → organizer, participants,
    countries, place, series, programme → funders and implementers, nested."""
    text = resource("ontology", "frames/event-input.rq").read_text(encoding="utf-8")
    triples: list[tuple[Node, Node, Node]] = []
    for iri in events if events is not None else [None]:
        bindings = {"event": iri} if iri is not None else None
        found = store.construct(text, bindings)  # type: ignore[arg-type]
        if iri is not None and not found:
            raise MigkgError(f"{iri}: no such event in the store", "list events with: migkg query events")
        triples += found
    frame = event_frame()
    doc = expanded((s, p, o, None) for s, p, o in triples)
    out: dict[str, Any] = jsonld.frame(doc, frame, {**_options(), "omitGraph": False, "omitDefault": True})
    return out


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
