"""The analyst's everyday questions, one saved query each, with a name or title beside every IRI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import migkg
from migkg.query import load_query

EXPECTED = Path(__file__).parent / "expected"
PARAMS = json.loads((EXPECTED / "params.json").read_text(encoding="utf-8"))
IOM = "https://w3id.org/migkg/id/organization/international-organization-for-migration"

# query -> {IRI variable: the variable naming it}
NAMED = {
    "events-per-organization": {"organization": "name"},
    "country-pairs": {"country1": "name1", "country2": "name2"},
    "event-details": {"event": "label", "place": "placeName", "actor": "actorName", "release": "releaseTitle"},
    "funding-details": {"funder": "funderName", "programme": "programmeTitle", "implementer": "implementerName",
                        "release": None},
    "organization-profile": {"organization": "name", "thing": "thingName", "country": "countryName",
                             "release": None},
    "country-profile": {"country": "name", "thing": "thingName", "release": None},
    "programme-actors": {"programme": "title", "actor": "actorName"},
    "co-participation": {"org1": "name1", "org2": "name2"},
    "programme-partners": {"programme": "programmeTitle", "funder": "funderName", "implementer": "implementerName"},
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_names_beside_every_iri(name: str, corpus_store_dir: Path) -> None:
    q = load_query(name)
    assert q.description, f"{name} has no header comment"
    with migkg.open(corpus_store_dir) as kg:
        rows = kg.query(name, **PARAMS.get(name, {}))
    assert rows, f"{name} returns no row on the corpus"
    for row in rows:
        iris = {k for k, v in row.items() if isinstance(v, str) and v.startswith("https://w3id.org/migkg/id/")}
        assert iris <= set(NAMED[name]), (name, iris - set(NAMED[name]))
        for var in iris:
            label = NAMED[name][var]
            if label is not None and not var.startswith("release"):
                assert row[label], (name, var, row[var])


def test_the_five_questions(corpus_store_dir: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        # who funds and implements which programme
        funding = kg.query("funding-details")
        assert any(r["funderName"] == "Bureau of Population, Refugees, and Migration" and r["implementer"] == IOM
                   for r in funding)
        # which organizations take part in most events
        top = kg.query("events-per-organization")[0]
        assert top["organization"] == IOM and top["events"] <= top["asOrganizer"] + top["asParticipant"]
        # which countries sit together most often
        pairs = kg.query("country-pairs")
        assert pairs[0]["events"] >= pairs[-1]["events"] and pairs[0]["name1"] and pairs[0]["name2"]
        # all meetings of a year with organizers and places
        in_2019 = kg.query("event-details", year=2019)
        assert in_2019 and all(str(r["start"]).startswith("2019") for r in in_2019)
        assert any(r["role"] == "organizer" and r["actorName"] and r["placeName"] for r in in_2019)
        assert len(kg.query("event-details")) > len(in_2019)
        # everything known about IOM with its sources
        profile = kg.query("organization-profile", organization="IOM")
        assert {r["role"] for r in profile} >= {"organizer", "participant", "implementer"}
        assert all(r["release"] and r["name"] == "International Organization for Migration" for r in profile)
        bosnia = kg.query("country-profile", country="BIH")
        assert {r["role"] for r in bosnia} >= {"takes part", "national body"}


def test_an_event_with_no_actor_has_one_row_per_release(tmp_path: Path) -> None:
    """event-details: an event nobody is named for has one row a release, no actor (its actor's name is
    looked up inside the actor's OPTIONAL: outside, the unbound ?actor met every name in the store)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    from migkg.store import open_store
    from migkg.vocab import MKG

    ids = "https://w3id.org/migkg/id/"
    release, event = URIRef(ids + "release/r1"), URIRef(ids + "event/e1")
    g = Graph()
    g.add((release, RDF.type, MKG.Release))
    g.add((release, MKG.mentions, event))
    g.add((event, RDF.type, MKG.Meeting))
    g.add((event, SKOS.prefLabel, Literal("A meeting", lang="en")))
    for i in range(3):  # bodies with names, in the store but not at this event
        org = URIRef(ids + f"organization/o{i}")
        g.add((org, RDF.type, MKG.Organization))
        g.add((org, SKOS.prefLabel, Literal(f"Body {i}", lang="en")))
        g.add((release, MKG.mentions, org))
    with open_store(tmp_path / "store") as store:
        store.replace_graph(URIRef(ids + "graph/release/r1"), g)
    with migkg.open(tmp_path / "store") as kg:
        rows = kg.query("event-details")
        counts = {r["entity"]: r["releases"] for r in kg.query("entities")}
    assert [(r["event"], r["release"], r["role"], r["actor"], r["actorName"]) for r in rows] == [
        (str(event), str(release), None, None, None)]
    assert counts[str(event)] == 1 and counts[ids + "organization/o0"] == 1


def test_funding_flows_counts_an_event_of_two_programmes_once(tmp_path: Path) -> None:
    """funding-flows counts the events of one programme per programme and country, and those of several
    programmes as distinct events: an event in two programmes of the same funder and implementer is one."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF

    from migkg.store import open_store
    from migkg.vocab import MKG

    ids = "https://w3id.org/migkg/id/"
    funder, implementer = URIRef(ids + "organization/f"), URIRef(ids + "organization/i")
    p1, p2, p3 = (URIRef(ids + f"programme/p{i}") for i in (1, 2, 3))
    ba, al = URIRef(ids + "country/BA"), URIRef(ids + "country/AL")
    g = Graph()
    g.add((ba, MKG.iso2, Literal("BA")))
    g.add((al, MKG.iso2, Literal("AL")))
    for p in (p1, p2):
        g.add((p, MKG.funder, funder))
        g.add((p, MKG.implementer, implementer))
    g.add((p3, MKG.funder, funder))  # no implementer: not a flow
    events = {"e1": ((p1, p2), (ba,)), "e2": ((p1,), (ba,)), "e3": ((p2, p3), (ba, al)), "e4": ((p3,), (al,))}
    for key, (programmes, countries) in events.items():
        event = URIRef(ids + f"event/{key}")
        g.add((event, RDF.type, MKG.Meeting))
        for p in programmes:
            g.add((event, MKG.partOfProgramme, p))
        for c in countries:
            g.add((event, MKG.participantCountry, c))
    with open_store(tmp_path / "store") as store:
        store.replace_graph(URIRef(ids + "graph/release/r1"), g)
    with migkg.open(tmp_path / "store") as kg:
        rows = kg.query("funding-flows")
    assert [(r["funder"], r["implementer"], r["iso2"], r["events"]) for r in rows] == [
        (str(funder), str(implementer), "BA", 3), (str(funder), str(implementer), "AL", 1)]
