"""Plain JSON records for notebooks: one record per entity, its statements merged across every graph.

The same shape for every record, so ``pandas.json_normalize`` or a loop needs no special cases:

- ``id`` (``id:kind/key``, pastes into every command), ``iri``, ``kind``, ``types`` (local class names);
- ``label``: one plain string (the English preferred label, else the alphabetically first one), and
  ``labels``: ``{language: [preferred..., alternative...]}`` (``und`` for a label without a language);
  ``title`` / ``titles`` likewise for titles;
- every other property under its local name (``organizer``, ``startDate``, ``exactMatch``): a list,
  always, even with one value — except the few that have one value by definition (:data:`SINGLE`),
  which are a plain value or absent;
- IRIs of ours as ``id:kind/key``, dates as ISO strings (``2019-05-17``, or ``2024-12`` for a month),
  integers as numbers, decimals as numbers;
- ``releases``: the releases whose graphs state something about the entity (``id:release/…``).

Entities are the nodes some release graph states something about (not provenance records).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from migkg.ids import kind_of, short
from migkg.query import Queryable
from migkg.vocab import DCTERMS, ID, RDF, RDFS, SKOS, XSD

SINGLE = frozenset({"startDate", "endDate", "ordinal", "iso2", "iso3", "isoNumeric", "issued", "contentHash",
                    "language"})
KINDS = frozenset({"country", "organization", "event", "programme", "series", "place", "release", "region",
                   "funding"})
_LABELS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
_QUADS = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/migkg/id/"))
}"""
_RELEASE_GRAPHS = str(ID) + "graph/release/"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(term: Node) -> Any:
    if isinstance(term, URIRef):
        return short(str(term))
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
            return int(term)
        if term.datatype in (XSD.decimal, XSD.double, XSD.float):
            return float(term)
        if term.datatype == XSD.boolean:
            return term.toPython()
        return str(term)  # strings, and dates in their ISO lexical form
    return str(term)


def _texts(values: dict[str, list[str]]) -> tuple[str, dict[str, list[str]]]:
    """(one plain string, {language: [strings]}) from language-keyed texts, English first."""
    by_lang = {lang: sorted(set(v), key=v.index) for lang, v in sorted(values.items())}
    for lang in ("en", "und"):
        if by_lang.get(lang):
            return by_lang[lang][0], by_lang
    first = min((v[0] for v in by_lang.values() if v), default="")
    return first, by_lang


def records(store: Queryable) -> list[dict[str, Any]]:
    """Every entity a release states something about, as one plain record (see the module docstring)."""
    stated: dict[str, set[str]] = defaultdict(set)  # entity -> release IRIs
    props: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: {"pref": {}, "alt": {}, "title": {}})
    for s, p, o, g in store.select_result(_QUADS, {}).rows:
        node = str(s)
        if kind_of(node) not in KINDS:
            continue
        if str(g).startswith(_RELEASE_GRAPHS):
            stated[node].add(str(ID) + "release/" + str(g)[len(_RELEASE_GRAPHS):])
        if p == RDF.type:
            types[node].add(_local(str(o)))
        elif p in _LABELS or p == DCTERMS.title:
            lang = (o.language if isinstance(o, Literal) else None) or "und"
            slot = "title" if p == DCTERMS.title else ("pref" if p == SKOS.prefLabel else "alt")
            labels[node][slot].setdefault(lang, []).append(str(o))
        else:
            props[node][_local(str(p))].add(_value(o))
    out = []
    for node in sorted(stated):
        names = labels[node]
        merged: dict[str, list[str]] = {}
        for slot in ("pref", "alt"):
            for lang, texts in sorted(names[slot].items()):
                merged.setdefault(lang, []).extend(sorted(texts))
        label, _ = _texts({k: sorted(v) for k, v in names["pref"].items()})
        record: dict[str, Any] = {"id": short(node), "iri": node, "kind": kind_of(node),
                                  "types": sorted(types[node]), "label": label or _texts(merged)[0],
                                  "labels": {k: sorted(set(v), key=v.index) for k, v in merged.items()}}
        if names["title"]:
            title, titles = _texts({k: sorted(v) for k, v in names["title"].items()})
            record["title"], record["titles"] = title, titles
        for key, values in sorted(props[node].items()):
            ordered = sorted(values, key=lambda v: (str(type(v)), v))
            record[key] = ordered[0] if key in SINGLE else ordered
        record["releases"] = [short(r) for r in sorted(stated[node])]
        out.append(record)
    return out
