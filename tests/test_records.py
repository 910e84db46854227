"""JSON a notebook can read: one record per entity across graphs, lists always lists, plain dates and labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

import migkg
from migkg.cli import main
from migkg.records import SINGLE

FIXED = {"id", "iri", "kind", "label", "title"}  # plain strings
MAPS = {"labels", "titles"}  # {language: [strings]}


def test_records_have_one_shape(corpus_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    r = CliRunner().invoke(main, ["export", "--records", "--store", str(corpus_store_dir), "--out", str(out)])
    assert r.exit_code == 0, r.output
    found = json.loads(out.read_text(encoding="utf-8"))
    with migkg.open(corpus_store_dir) as kg:
        assert found == kg.records()
        events = {row["event"] for row in kg.query("events")}
    ids = [rec["id"] for rec in found]
    assert len(ids) == len(set(ids)), "one record per entity across graphs"
    by_id = {rec["id"]: rec for rec in found}
    for rec in found:
        for key, value in rec.items():
            if key in FIXED:
                assert isinstance(value, str), (rec["id"], key)
            elif key in MAPS:
                assert all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in value.values())
                assert "@none" not in value
            elif key in SINGLE:
                assert isinstance(value, (str, int, float)), (rec["id"], key)
            else:
                assert isinstance(value, list), (rec["id"], key)
        assert rec["releases"] and all(r.startswith("id:release/") for r in rec["releases"])
        for key in ("startDate", "endDate"):
            if key in rec:
                assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", rec[key]), rec[key]
        assert not any(k.startswith(("mkg:", "http", "@")) for k in rec)
    assert {by_id[e.replace("https://w3id.org/migkg/id/", "id:")]["kind"] for e in events} == {"event"}
    seed = by_id["id:event/2019-05-17-meeting-7e9197e6"]
    assert seed["startDate"] == "2019-05-17" and seed["types"] == ["Meeting"]
    assert seed["releases"] == ["id:release/iom-bih-2019-05-22-border-police-meeting"]
    assert seed["organizer"] == ["id:organization/international-organization-for-migration"]
    iom = by_id["id:organization/international-organization-for-migration"]
    assert iom["label"] == "International Organization for Migration" and iom["acronym"] == ["IOM"]
    assert len(iom["releases"]) > 10 and iom["types"] == ["Organization"]
    ba = by_id["id:country/BA"]
    assert ba["iso2"] == "BA" and "Bosna i Hercegovina" in ba["labels"]["bs"]


def test_framed_events_link_their_releases(seed_store_dir: Path) -> None:
    with migkg.open(seed_store_dir) as kg:
        doc = kg.frame()
    (event,) = doc["graph"]
    assert event["releases"] == ["release/iom-bih-2019-05-22-border-police-meeting"]  # @base: the id/ namespace
