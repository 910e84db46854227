"""The one converter between rdflib terms (what the store's interface speaks) and pyoxigraph terms
(what the engine stores), and the quads the interface hands out.

Every module of :mod:`migkg.store` converts through these functions; no module outside the package
sees a pyoxigraph term. Conversions keep a literal's lexical form, language and datatype; a plain
``xsd:string`` literal comes back as rdflib's plain literal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migkg.vocab import EVIDENCE_SPACE

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Triple(NamedTuple):
    """One statement, in rdflib terms (field names as pyoxigraph's triples)."""

    subject: Node
    predicate: Node
    object: Node


class Quad(NamedTuple):
    """One statement of a named graph, in rdflib terms (field names as pyoxigraph's quads)."""

    subject: Node
    predicate: Node
    object: Node
    graph_name: Node

    @property
    def triple(self) -> Triple:
        return Triple(self.subject, self.predicate, self.object)


def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r}")


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI as RDF 1.1 takes it (Oxigraph's check)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def to_ox_or_none(term: Node | None) -> Any:
    """A pattern position: None stays None (any term)."""
    return None if term is None else to_ox(term)


def from_ox(term: Any) -> Node:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


class Converter(dict[Any, Node | None]):
    """pyoxigraph -> rdflib with a cache: results and graphs repeat their terms (a country in every
    row, a predicate in every quad), so each distinct term is converted once per use, and every
    occurrence of it is the same rdflib object (writers may cache their text of it by ``id``).

    A dict whose misses convert: ``convert[t]`` (or ``map(convert.__getitem__, row)``, which stays
    in C for every term already seen) is the fast way; calling it does the same."""

    def __missing__(self, t: Any) -> Node | None:
        found = self[t] = None if t is None else from_ox(t)
        return found

    def __call__(self, t: Any) -> Node | None:
        return self[t]

    def quad(self, q: Any) -> Quad:
        return Quad(self[q.subject], self[q.predicate], self[q.object], self[q.graph_name])  # type: ignore[arg-type]

    def triple(self, t: Any) -> Triple:
        return Triple(self[t.subject], self[t.predicate], self[t.object])  # type: ignore[arg-type]


def distinct_triples(quads: Iterable[Any]) -> Iterator[Any]:
    """The triples of pyoxigraph quads, each once, in the order first seen."""
    seen: set[Any] = set()
    for q in quads:
        if q.triple not in seen:
            seen.add(q.triple)
            yield q.triple


class _ToOx(dict[Node, Any]):
    """rdflib -> pyoxigraph with a cache, for one batch of statements (a release repeats its terms:
    predicates, its own IRI); ``terms[t]`` stays in C for every term already seen."""

    def __missing__(self, t: Node) -> Any:
        found = self[t] = to_ox(t)
        return found


def graph_quads(graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> Iterator[ox.Quad]:
    """The triples of ``graph`` (an rdflib Graph or any triples) as pyoxigraph quads in the named graph ``name``."""
    g = ox.NamedNode(str(name))
    terms = _ToOx()
    for s, p, o in graph:
        yield ox.Quad(terms[s], terms[p], terms[o], g)


def nquads_bytes(graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> bytes:
    """The graph as N-Quads in the named graph ``name`` (Oxigraph's serializer), the evidence records' lines
    last: the store finds the lines its merge copies with one search (:mod:`migkg.store.embedded`)."""
    facts, evidence = [], []
    at_evidence = str.startswith  # (an rdflib term's own startswith is Python code)
    for t in graph:
        (evidence if at_evidence(t[0], EVIDENCE_SPACE) else facts).append(t)
    return ox.serialize(graph_quads(facts + evidence, name),  # type: ignore[no-any-return]
                        format=ox.RdfFormat.N_QUADS)


def ox_statements(items: Iterable[tuple[Node, ...]]) -> Iterator[Any]:
    """rdflib triples or quads (3- or 4-tuples; a graph None is the default graph) -> pyoxigraph."""
    terms = _ToOx()
    for item in items:
        if len(item) == 3:
            yield ox.Triple(terms[item[0]], terms[item[1]], terms[item[2]])
        else:
            g = ox.DefaultGraph() if item[3] is None else terms[item[3]]
            yield ox.Quad(terms[item[0]], terms[item[1]], terms[item[2]], g)
