"""Saved queries: they parse, the contract variables are exact, rows match the seed, parameters are safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from migkg.errors import QueryError
from migkg.query import bind_params, load_query, render, run_query, saved_queries
from migkg.store import open_store

CONTRACT = {
    "releases": ("release", "title", "published", "source"),
    "countries": ("country", "iso2", "name"),
    "organizations": ("org", "name", "acronym", "iso2"),
    "events": ("event", "label", "type", "start", "end", "location", "ordinal"),
    "event-organizers": ("event", "organizer", "organizerName"),
    "event-participants": ("event", "participant", "participantName"),
    "event-countries": ("event", "country", "iso2"),
    "programmes": ("programme", "title", "acronym"),
    "funding": ("funder", "funderName", "programme", "programmeTitle"),
}
ID = "https://w3id.org/migkg/id/"


@pytest.mark.parametrize("query", saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_parses_and_runs(query, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(tmp_path / "empty") as store:
        result = store.select_result(query.text)
    assert result.rows == ()
    assert "ORDER BY" in query.text


@pytest.mark.parametrize(("name", "variables"), CONTRACT.items())
def test_contract_variables(name: str, variables: tuple[str, ...], seed_store_dir: Path) -> None:
    with open_store(seed_store_dir, read_only=True) as store:
        result = run_query(store, name)
    assert result.variables[: len(variables)] == variables
    assert result.rows


def _rows(store_dir: Path, name: str) -> list[dict[str, str]]:
    with open_store(store_dir, read_only=True) as store:
        r = run_query(store, name)
    return [{v: str(t) for v, t in zip(r.variables, row, strict=True) if t is not None} for row in r.rows]


def test_seed_rows(seed_store_dir: Path) -> None:
    (rel,) = _rows(seed_store_dir, "releases")
    assert rel["published"] == "2019-05-22"
    assert {r["iso2"] for r in _rows(seed_store_dir, "countries")} == {"AL", "BA", "ME", "MK", "RS", "XK", "US"}
    orgs = {r["name"]: r for r in _rows(seed_store_dir, "organizations")}
    assert orgs["International Organization for Migration"]["acronym"] == "IOM"
    assert orgs["Border Police of Kosovo"]["iso2"] == "XK"
    assert "iso2" not in orgs["International Organization for Migration"]
    (event,) = _rows(seed_store_dir, "events")
    assert (event["type"], event["start"], event["ordinal"]) == ("Meeting", "2019-05-17", "9")
    assert {r["organizerName"] for r in _rows(seed_store_dir, "event-organizers")} == {
        "International Organization for Migration"}
    assert len(_rows(seed_store_dir, "event-participants")) == 6
    assert {r["iso2"] for r in _rows(seed_store_dir, "event-countries")} == {"AL", "BA", "ME", "MK", "RS", "XK"}
    titles = {r["title"] for r in _rows(seed_store_dir, "programmes")}
    assert len(titles) == 2
    assert {r["programme"] for r in _rows(seed_store_dir, "programmes")} == {
        r["programme"] for r in _rows(seed_store_dir, "funding")}
    assert {r["funderName"] for r in _rows(seed_store_dir, "funding")} == {
        "Bureau of Population, Refugees, and Migration"}


def test_parameters_are_typed_and_bound(seed_store_dir: Path) -> None:
    q = load_query("events-by-organizer")
    iom = ID + "organization/international-organization-for-migration"
    assert bind_params(q, {"organizer": iom, "year": "2019"}) == {
        "organizer": URIRef(iom), "year": Literal(2019)}
    with open_store(seed_store_dir, read_only=True) as store:
        assert len(run_query(store, "events-by-organizer", {"organizer": iom}).rows) == 1
        assert len(run_query(store, "events-by-organizer", {"organizer": iom, "year": "2019"}).rows) == 1
        assert run_query(store, "events-by-organizer", {"organizer": iom, "year": "2020"}).rows == ()


@pytest.mark.parametrize("value", ['"} ; DROP ALL ; #', "x> } UNION { ?s ?p ?o", "2019 || true"])
def test_bad_parameter_values_are_rejected_not_pasted(value: str) -> None:
    q = load_query("events-by-organizer")
    with pytest.raises(QueryError):
        bind_params(q, {"organizer": value})
    with pytest.raises(QueryError):
        bind_params(q, {"year": value})


def test_unknown_query_and_parameter() -> None:
    with pytest.raises(QueryError, match="no such saved query"):
        load_query("nope")
    with pytest.raises(QueryError, match="unknown parameter"):
        bind_params(load_query("events"), {"x": "1"})


def test_result_formats(seed_store_dir: Path) -> None:
    import csv
    import io
    import json

    with open_store(seed_store_dir, read_only=True) as store:
        r = run_query(store, "events")
    doc = json.loads(render(r, "json"))
    assert doc["head"]["vars"] == list(r.variables)
    b = doc["results"]["bindings"][0]
    assert b["start"] == {"type": "literal", "value": "2019-05-17",
                          "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert b["event"]["type"] == "uri"
    assert "end" not in b
    rows = list(csv.reader(io.StringIO(render(r, "csv"))))
    assert rows[0] == list(r.variables) and rows[1][2] == "Meeting"
    tsv = render(r, "tsv").splitlines()
    assert tsv[0].split("\t")[0] == "?event"
    assert '"2019-05-17"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv[1]
    assert "(1 row)" in render(r, "table")
