"""The batch's own check of the simple property shapes (migkg.simple_shapes) and of the date choices never
passes a graph that pySHACL fails: each graph broken one way is refused by the check, and its report in a
batch is pySHACL's report of it alone, with every shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from migkg import build as _build
from migkg import validate as v
from migkg.extract import extract
from migkg.ingest import read_release_file
from migkg.reference import load as load_dictionaries
from migkg.vocab import MKG
from paths import SEED

Triples = set[tuple[object, object, object]]


@pytest.fixture(scope="module")
def seed() -> Triples:
    dicts = load_dictionaries()
    [release] = read_release_file(SEED)
    return set(_build.build_triples(extract(release, dicts), dicts))


def _first(g: Triples, p: URIRef, kind: URIRef | None = None) -> tuple[object, object, object]:
    """The first statement (in a fixed order) with predicate ``p``, of a subject of class ``kind`` if given."""
    typed = {s for s, q, o in g if q == RDF.type and o == kind} if kind is not None else None
    return sorted(t for t in g if t[1] == p and (typed is None or t[0] in typed))[0]


def _swap(p: URIRef, new: Callable[[object], object], kind: URIRef | None = None) -> Callable[[Triples], None]:
    def change(g: Triples) -> None:
        s, q, o = _first(g, p, kind)
        g.discard((s, q, o))
        g.add((s, q, new(o)))
    return change


def _drop(p: URIRef, kind: URIRef | None = None) -> Callable[[Triples], None]:
    def change(g: Triples) -> None:
        s, q, _ = _first(g, p, kind)
        for t in [t for t in g if t[0] == s and t[1] == q]:
            g.discard(t)
    return change


def _more(p: URIRef, value: object, kind: URIRef | None = None) -> Callable[[Triples], None]:
    def change(g: Triples) -> None:
        s, q, _ = _first(g, p, kind)
        g.add((s, q, value))
    return change


BREAKS = {  # one way to break each kind of parameter the check reads (the shape's ID in the report)
    "minCount (S10 quote)": (_drop(MKG.quote), "S10-Evidence"),
    "maxCount (S10 quote)": (_more(MKG.quote, Literal("another quote")), "S10-Evidence"),
    "datatype (S10 charStart)": (_swap(MKG.charStart, lambda o: Literal(str(o))), "S10-Evidence"),
    "minInclusive (S10 charEnd)": (_swap(MKG.charEnd, lambda o: Literal(-1, datatype=XSD.integer)), "S10-Evidence"),
    "lessThanOrEquals (S10 span)": (_swap(MKG.charStart, lambda o: Literal(10**9, datatype=XSD.integer)),
                                    "S10-Evidence"),
    "minLength (S01 title)": (_swap(DCTERMS.title, lambda o: Literal(""), MKG.Release), "S01-Release"),
    "pattern (S03 iso2)": (_swap(URIRef(str(MKG) + "iso2"), lambda o: Literal("Bosnia")), "S03-Country"),
    "nodeKind (S09 denotes)": (_swap(MKG.denotes, lambda o: Literal("a name")), "S09-Mention"),
    "class (S04 organizer)": (_swap(MKG.organizer, lambda o: URIRef("https://w3id.org/migkg/id/organization/none")),
                              "S04-Event"),
    "class of a blank node (S04 organizer)": (_swap(MKG.organizer, lambda o: BNode()), "S04-Event"),
    "minCount (S04 label)": (_drop(SKOS.prefLabel, MKG.Meeting), "S04-Event"),
    "date choice (S04 start)": (_swap(MKG.startDate, lambda o: Literal("2019-02-30", datatype=XSD.date)),
                                "S04-Event"),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_graph_is_refused_and_reported_as_pyshacl_reports_it_alone(seed: Triples, name: str) -> None:
    change, shape = BREAKS[name]
    broken = set(seed)
    change(broken)
    assert broken != seed
    assert v._apart(seed, 0, {}) is not None
    assert v._apart(broken, 0, {}) is None  # refused by the check (or the date choices'): validated alone
    alone = v.validate(broken)
    assert not alone.conforms and shape in alone.shape_ids
    assert v.validate_many([seed, broken, seed]) == [v.validate(seed), alone, v.validate(seed)]


def test_the_simple_shapes_are_out_of_the_batchs_shapes_only() -> None:
    simple = v._simple()
    found = {v.shape_id(v.shapes_graph(), r.shape) for r in simple}
    assert {"S01-Release", "S03-Country", "S04-Event", "S09-Mention", "S10-Evidence"} <= found
    full, lean = v.checked_shapes(), v.checked_shapes(lean=True)
    for rule in simple:
        assert (rule.shape, None, None) in full and (rule.shape, None, None) not in lean
    # what is not simple stays: S03's qualified English label, S02's language-tagged label, every SPARQL constraint
    assert set(lean.subjects(None, None)) - {r.shape for r in simple} and len(list(lean.objects(None, v.SH.sparql)))
