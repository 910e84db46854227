"""One identifier grammar for every command, the API and the pages; :func:`short` prints what it reads.

An identifier is, in order of precedence:

- a full IRI (``https://w3id.org/migkg/id/organization/…``, or any ``scheme://…``): taken as is;
- a short form ``id:kind/key`` (or ``kind/key`` for a known kind): our ``id/`` namespace;
- for countries, an ISO 3166-1 alpha-2 or alpha-3 code (``BA``, ``bih``; Kosovo ``XK``);
- a name or an acronym, compared case- and accent-insensitively with every label in every language
  (preferred and alternative labels, titles, acronyms).

A name that fits several nodes raises :class:`AmbiguousError` listing them (as short forms that paste
back); one that fits none raises :class:`UnknownError`. Both are usage errors (exit 2).
"""

from __future__ import annotations

import re
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from migkg.errors import QueryError
from migkg.model import Result
from migkg.names import fold
from migkg.vocab import ID, MKG

SHORT = "id:"
VOCAB = "mkg:"
KINDS = ("country", "organization", "event", "programme", "series", "place", "release", "region", "funding",
         "evidence", "mention", "graph", "run", "agent", "name")
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://\S+")
_LABELS = """
PREFIX mkg: <https://w3id.org/migkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?node ?label WHERE {
  ?node skos:prefLabel|skos:altLabel|dcterms:title|mkg:acronym|rdfs:label ?label .
  FILTER (isIRI(?node) && STRSTARTS(STR(?node), "https://w3id.org/migkg/id/"))
}"""
_CODES = """
PREFIX mkg: <https://w3id.org/migkg/ontology#>
SELECT DISTINCT ?node ?code WHERE { ?node mkg:iso2|mkg:iso3 ?code . }"""


class Queryable(Protocol):
    def select_result(self, sparql: str, bindings: dict[str, Node]) -> Result: ...


class UnknownError(QueryError):
    """No node has this name."""


class AmbiguousError(QueryError):
    """Several nodes have this name."""

    def __init__(self, message: str, candidates: list[tuple[str, str]], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.candidates = candidates


def short(iri: str) -> str:
    """``id:kind/key`` for an IRI in our ``id/`` namespace (``mkg:term`` in the ontology's), the IRI
    itself otherwise; never cut."""
    if iri.startswith(str(ID)):
        return SHORT + iri[len(str(ID)):]
    if iri.startswith(str(MKG)):
        return VOCAB + iri[len(str(MKG)):]
    return iri


def kind_of(iri: str) -> str | None:
    """The kind of a node of ours (``organization``), None for other IRIs."""
    return iri[len(str(ID)):].split("/", 1)[0] if iri.startswith(str(ID)) else None


def expand(text: str) -> URIRef | None:
    """An IRI written in full or as a short form, without looking anything up; None for a name."""
    value = text.strip()
    if _ABSOLUTE.fullmatch(value):
        return URIRef(value)
    if value.startswith(SHORT):
        return ID[value[len(SHORT):].lstrip("/")]
    if value.startswith(VOCAB) and re.fullmatch(r"\w+", value[len(VOCAB):]):
        return URIRef(str(MKG) + value[len(VOCAB):])
    head, sep, rest = value.partition("/")
    if sep and head in KINDS and rest and not re.search(r"\s", value):
        return ID[value]
    return None


def resolve(store: Queryable, text: str, kind: str | None = None) -> URIRef:
    """The IRI ``text`` stands for (see the module docstring); ``kind`` narrows names and codes."""
    iri = expand(text)
    if iri is not None:
        return iri
    value = text.strip()
    if not value:
        raise UnknownError("empty identifier", "give an IRI, id:kind/key, an ISO code or a name")
    found: dict[str, str] = {}
    if kind in (None, "country") and re.fullmatch(r"[A-Za-z]{2,3}", value):
        for node, code in _rows(store, _CODES):
            if code.upper() == value.upper():
                found[node] = code
    if not found:
        found = _by_label(store, value, kind)
    if len(found) == 1:
        return URIRef(next(iter(found)))
    what = f"{kind} " if kind else ""
    if not found:
        raise UnknownError(f"{value!r}: no {what}node has this name, acronym or code",
                           "give an IRI or id:kind/key (see `migkg query organizations`, `countries`, `events`)")
    listed = sorted(found.items())
    names = "; ".join(f"{short(n)} ({label})" for n, label in listed[:12])
    more = f" and {len(listed) - 12} more" if len(listed) > 12 else ""
    raise AmbiguousError(f"{value!r} names {len(listed)} {what}nodes: {names}{more}", listed,
                         "give one of them as id:kind/key")


def _rows(store: Queryable, sparql: str) -> list[tuple[str, str]]:
    result = store.select_result(sparql, {})
    return [(str(a), str(b)) for a, b in result.rows if a is not None and b is not None]


def _by_label(store: Queryable, value: str, kind: str | None) -> dict[str, str]:
    """Nodes with a label equal to ``value``: exactly (case-sensitive) first, else folded."""
    want = fold(value)
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for node, label in _rows(store, _LABELS):
        if kind is not None and kind_of(node) != kind:
            continue
        if kind is None and kind_of(node) in ("evidence", "mention", "run", "graph", "funding", "name"):
            continue  # (a name in time, id:name/…, names a country or organization: that is the node meant)
        if label == value:
            exact.setdefault(node, label)
        if want and fold(label) == want:
            folded.setdefault(node, label)
    return exact or folded


def as_literal_or_iri(text: str) -> URIRef | Literal:
    """A value for a free SPARQL parameter: an IRI when written as one, else a plain literal."""
    iri = expand(text)
    return iri if iri is not None else Literal(text)
