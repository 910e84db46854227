"""JSON-LD: the context reads as plain JSON, compacts and expands back to the same triples, frames nest."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF

from conftest_publish import assert_isomorphic, store_graphs
from migkg.cli import main
from migkg.jsonld import compact_store, context, to_nquads
from migkg.resources import resource
from migkg.store import open_store

SEED_EVENT = "event/2019-05-17-meeting-7e9197e6"
SEED_GRAPH = "graph/release/iom-bih-2019-05-22-border-police-meeting"
SIX = {"AL", "BA", "ME", "MK", "RS", "XK"}


def _nodes(doc: dict) -> dict[str, dict]:
    """id -> node over a compacted document's named graphs."""
    out = {}
    for g in doc.get("graph", []):
        for node in g.get("graph", [g]):
            out[node["id"]] = node
    return out


def test_context_names_every_ontology_property() -> None:
    onto = Graph().parse(resource("ontology", "migkg.ttl"))
    ctx = context()
    terms = {v["@id"] if isinstance(v, dict) else v: k for k, v in ctx.items()
             if not k.startswith("@") and not (isinstance(v, dict) and "@reverse" in v)}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for p in onto.subjects(RDF.type, kind):
            local = str(p).rsplit("#", 1)[1]
            assert terms.get(f"mkg:{local}") == local, f"context has no term {local!r} for mkg:{local}"


def test_compacted_export_reads_as_plain_json(corpus_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonld"
    res = CliRunner().invoke(main, ["export", "--store", str(corpus_store_dir), "--compact", "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    graphs = {g["id"]: g["graph"] for g in doc["graph"]}
    seed = {n["id"]: n for n in graphs[SEED_GRAPH]}
    event = seed[SEED_EVENT]
    assert event["type"] == "Meeting"
    assert event["startDate"] == "2019-05-17"
    assert event["ordinal"] == 9
    assert event["organizer"] == "organization/international-organization-for-migration"
    assert event["label"]["en"].startswith("ninth regular coordination meeting")
    assert {c.rsplit("/", 1)[1] for c in event["participantCountry"]} == SIX
    ref = {n["id"]: n for n in graphs["graph/reference"]}
    assert ref["country/XK"]["iso2"] == "XK"
    assert "wd:Q1246" in ref["country/XK"]["exactMatch"]


def test_compact_then_expand_gives_the_same_triples(corpus_store_dir: Path) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        doc = compact_store(store)
    ds = Dataset()
    ds.parse(data=to_nquads(doc), format="nquads")
    got = {str(g.identifier): g for g in ds.graphs() if len(g)}
    expected = store_graphs(corpus_store_dir)
    assert sorted(got) == sorted(expected)
    for name, g in expected.items():
        assert_isomorphic(g, got[name], f"compacted JSON-LD, graph {name}")


def test_frame_nests_event_organizer_participants_programme_funder(corpus_store_dir: Path) -> None:
    res = CliRunner().invoke(main, ["frame", SEED_EVENT, "--store", str(corpus_store_dir)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    [event] = doc["graph"]
    assert event["id"] == SEED_EVENT
    assert event["organizer"]["acronym"] == "IOM"
    assert event["organizer"]["label"]["en"] == "International Organization for Migration"
    assert len(event["participant"]) == 6
    assert all(p["type"] == "Organization" and "en" in p["label"] for p in event["participant"])
    assert {c["iso2"] for c in event["participantCountry"]} == SIX
    programme = event["partOfProgramme"]
    assert programme["title"]["en"].startswith("Enhancing Capacities and Mechanisms")
    assert programme["funder"]["acronym"] == "PRM"
    assert programme["implementer"]["acronym"] == "IOM"
    assert event["inSeries"]["type"] == "EventSeries"


def test_frame_all_has_every_event(corpus_store_dir: Path) -> None:
    res = CliRunner().invoke(main, ["frame", "--all", "--store", str(corpus_store_dir)])
    assert res.exit_code == 0, res.output
    framed = {e["id"] for e in json.loads(res.stdout)["graph"]}
    rows = CliRunner().invoke(main, ["query", "events", "--store", str(corpus_store_dir), "--format", "json"])
    events = {b["event"]["value"].removeprefix("https://w3id.org/migkg/id/")
              for b in json.loads(rows.stdout)["results"]["bindings"]}
    assert framed == events


def test_frame_unknown_event_is_an_input_error(corpus_store_dir: Path) -> None:
    res = CliRunner().invoke(main, ["frame", "event/no-such-event", "--store", str(corpus_store_dir)])
    assert res.exit_code == 2
    assert "no such event" in res.output
