"""The batch's own check of the shapes checked in Python (migkg.simple_shapes: the simple property shapes, the
date choices, the node-level choice of S07, the SPARQL constraints of migkg.sparql_shapes) never passes a
graph that pySHACL fails: each graph broken one way is refused by the check, and its report in a batch is
pySHACL's report of it alone, with every shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, SKOS, XSD, Namespace

from migkg import build as _build
from migkg import validate as v
from migkg.extract import extract
from migkg.ingest import read_release_file
from migkg.reference import load as load_dictionaries
from migkg.simple_shapes import Verdict
from migkg.vocab import MKG
from paths import SEED

Triples = set[tuple[object, object, object]]
SCHEMA = Namespace("https://schema.org/")
ID = "https://w3id.org/migkg/id/"


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


def _also(*changes: Callable[[Triples], None]) -> Callable[[Triples], None]:
    def change(g: Triples) -> None:
        for c in changes:
            c(g)
    return change


def _amount(value: Literal, currency: Literal, *more: tuple[object, object]) -> Callable[[Triples], None]:
    """The funding's amount, with a value and a currency (and ``more`` of its statements)."""
    def change(g: Triples) -> None:
        funding = _first(g, MKG.fundedBy)[0]
        amount = URIRef(ID + "amount/a")
        g |= {(funding, MKG.amount, amount), (amount, RDF.type, SCHEMA.MonetaryAmount),
              (amount, SCHEMA.value, value), (amount, SCHEMA.currency, currency)}
        g |= {(amount, p, o) for p, o in more}
    return change


def _second_meeting(ordinal: int, day: str) -> Callable[[Triples], None]:
    """Another meeting of the release's series, with this ordinal and start date."""
    def change(g: Triples) -> None:
        series = _first(g, MKG.inSeries)[2]
        event = URIRef(ID + "event/another")
        g |= {(event, RDF.type, MKG.Meeting), (event, SKOS.prefLabel, Literal("another meeting", lang="en")),
              (event, MKG.inSeries, series), (event, MKG.ordinal, Literal(ordinal, datatype=XSD.integer)),
              (event, MKG.startDate, Literal(day, datatype=XSD.date))}
    return change


def _parent(child: int, parent: int) -> Callable[[Triples], None]:
    """The ``child``-th organization (in a fixed order) a sub-organization of the ``parent``-th."""
    def change(g: Triples) -> None:
        orgs = sorted(s for s, p, o in g if p == RDF.type and o == MKG.Organization)
        g.add((orgs[child], MKG.subOrganizationOf, orgs[parent]))
    return change


def _untitled(g: Triples) -> None:
    """Every programme without title or acronym."""
    programmes = {s for s, p, o in g if p == RDF.type and o == MKG.Programme}
    assert programmes
    g -= {t for t in g if t[0] in programmes and t[1] in (DCTERMS.title, MKG.acronym)}


def _same_language(kind: URIRef) -> Callable[[Triples], None]:
    """Another label of the first node of ``kind``, in its label's language (upper-case: the same language)."""
    def change(g: Triples) -> None:
        s, p, o = _first(g, SKOS.prefLabel, kind)
        g.add((s, p, Literal("another name", lang=str(o.language).upper())))  # type: ignore[attr-defined]
    return change


def _end(day: str) -> Callable[[Triples], None]:
    def change(g: Triples) -> None:
        event = _first(g, MKG.startDate)[0]
        g.add((event, MKG.endDate, Literal(day, datatype=XSD.date)))
    return change


GOOD = Literal("12.50", datatype=XSD.decimal), Literal("EUR")
BREAKS.update({  # the kinds of parameter and the SPARQL constraints checked since the fourth pass
    "datatype langString (S02 label)": (_swap(SKOS.prefLabel, lambda o: Literal(str(o)), MKG.Organization),
                                        "S02-Organization"),
    "datatype string (S02 acronym)": (_swap(MKG.acronym, lambda o: Literal(str(o), lang="en"), MKG.Organization),
                                      "S02-Organization"),
    "minLength of a tagged label (S02 label)": (_swap(SKOS.prefLabel, lambda o: Literal("", lang="en"),
                                                      MKG.Organization), "S02-Organization"),
    "uniqueLang (S02 label)": (_same_language(MKG.Organization), "S02-Organization"),
    "qualifiedValueShape languageIn (S03 English label)": (
        _swap(SKOS.prefLabel, lambda o: Literal(str(o), lang="de"), MKG.Country), "S03-Country"),
    "nodeKind Literal (S06 label)": (_swap(SKOS.prefLabel, lambda o: URIRef(ID + "label"), MKG.EventSeries),
                                     "S06-EventSeries"),
    "uniqueLang (S06 label)": (_same_language(MKG.EventSeries), "S06-EventSeries"),
    "node-level or (S07 neither title nor acronym)": (_untitled, "S07-Programme"),
    "sequence path datatype decimal (S13 amount)": (_amount(Literal("12.50"), GOOD[1]), "S13-Funding"),
    "sequence path minInclusive (S13 amount)": (_amount(Literal("-0.5", datatype=XSD.decimal), GOOD[1]),
                                                "S13-Funding"),
    "sequence path pattern (S13 currency)": (_amount(GOOD[0], Literal("euro")), "S13-Funding"),
    "sequence path maxCount (S13 currency)": (_amount(GOOD[0], GOOD[1], (SCHEMA.currency, Literal("USD"))),
                                              "S13-Funding"),
    "SPARQL self-parent (S02)": (_parent(0, 0), "S02-Organization"),
    "SPARQL ancestry cycle (S16)": (_also(_parent(0, 1), _parent(1, 0)), "S16-OrganizationAncestry"),
    "SPARQL end before start (S05)": (_end("2019-05-01"), "S05-EventDates"),
    "SPARQL shared ordinal (S15)": (_second_meeting(0, "2020-01-01"), "S15-SeriesOrder"),
})


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_graph_is_refused_and_reported_as_pyshacl_reports_it_alone(seed: Triples, name: str) -> None:
    change, shape = BREAKS[name]
    broken = set(seed)
    if name == "SPARQL shared ordinal (S15)":  # the seed's own ordinal
        change = _second_meeting(_first(seed, MKG.ordinal)[2].value, "2020-01-01")
    change(broken)
    assert broken != seed
    assert v._checker().verdict(list(seed)) == Verdict.CONFORMS  # no pySHACL at all
    assert v._checker().verdict(list(broken)) == Verdict.REFUSED  # validated alone
    alone = v.validate(broken)
    assert not alone.conforms and shape in alone.shape_ids
    assert v.validate_many([seed, broken, seed]) == [v.validate(seed), alone, v.validate(seed)]
    assert v.validate_many([broken]) == [alone] and v.validate_many([seed]) == [v.validate(seed)]  # one graph


GOOD_CHANGES = {  # graphs the check passes (or cannot vouch for) that conform: the same report as alone
    "an amount": _amount(*GOOD),
    "an amount of 0 as an integer": _amount(Literal(0, datatype=XSD.integer), GOOD[1]),
    "an end after the start": _end("2019-06-01"),
    "a month as the end": _end("2019-05"),
    "a chain of parents": _also(_parent(0, 1), _parent(1, 2)),
    "another meeting of the series, later": _second_meeting(99, "2030-01-01"),
    "a programme with an acronym only": _also(_untitled, lambda g: g.add(
        (sorted(s for s, p, o in g if p == RDF.type and o == MKG.Programme)[0], MKG.acronym, Literal("MPF")))),
    "a label in English of a region": _more(SKOS.prefLabel, Literal("Bosnia", lang="en-GB"), MKG.Country),
}


@pytest.mark.parametrize("name", sorted(GOOD_CHANGES))
def test_a_conforming_graph_is_reported_as_alone(seed: Triples, name: str) -> None:
    changed = set(seed)
    GOOD_CHANGES[name](changed)
    assert changed != seed
    alone = v.validate(changed)
    verdict = v._checker().verdict(list(changed))
    assert verdict == Verdict.CONFORMS or not alone.conforms or name in (
        "an amount of 0 as an integer", "another meeting of the series, later")  # (stricter than pySHACL there)
    assert v.validate_many([seed, changed, seed]) == [v.validate(seed), alone, v.validate(seed)]
    assert v.validate_many([changed]) == [alone]  # one graph: the same check first


def test_the_simple_shapes_are_out_of_the_batchs_shapes_only() -> None:
    simple = v._simple()
    found = {v.shape_id(v.shapes_graph(), r.shape) for r in simple}
    assert {"S01-Release", "S02-Organization", "S03-Country", "S04-Event", "S06-EventSeries", "S07-Programme",
            "S09-Mention", "S10-Evidence", "S13-Funding"} <= found
    full, lean = v.checked_shapes(), v.checked_shapes(lean=True)
    for rule in simple:
        assert (rule.shape, None, None) in full
        assert (rule.shape, SH["or"] if rule.members else None, None) not in lean
    checked = {v.shape_id(v.shapes_graph(), shape) for shape, _, _ in v._sparql_checks()}
    assert checked == {"S02-Organization", "S05-EventDates", "S15-SeriesOrder", "S16-OrganizationAncestry"}
    # what is left: S14's SPARQL constraint, with its targets; a graph without a timed name needs no pySHACL
    assert {v.shape_id(v.shapes_graph(), s) for s in lean.subjects(SH.sparql, None)} == {"S14-TimedName"}
    assert v._pending() == (frozenset({MKG.TimedName}), frozenset())


def test_a_changed_sparql_constraint_is_left_to_pyshacl() -> None:
    from migkg import sparql_shapes

    [(_, constraint, check)] = [c for c in v._sparql_checks()
                                if v.shape_id(v.shapes_graph(), c[0]) == "S05-EventDates"]
    text = str(v.shapes_graph().value(constraint, SH.select))
    assert sparql_shapes.check(text) is check
    assert sparql_shapes.check(text.replace("<", "<=", 1).replace("STR(?e) <", "STR(?e) <=")) is None
    assert sparql_shapes.check("  " + text.replace(" ", "\n   ") + "\n") is check  # whitespace aside


def test_every_sparql_check_stands_for_a_constraint_of_the_shapes_file() -> None:
    from migkg import sparql_shapes

    found = {id(check) for _, _, check in v._sparql_checks()}
    assert found == {id(c) for c in sparql_shapes.CHECKS.values()}  # none stale, none unused
