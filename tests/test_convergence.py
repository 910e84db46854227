"""One IRI per real thing across releases: names, acronyms and one meeting told twice."""

from __future__ import annotations

from pathlib import Path

from migkg.pipeline import build_store
from migkg.query import run_query
from migkg.store import open_store

A = """Fund supports reception
Date Publish: 2022-03-10

On 8 March 2022, the International Organisation for Migration (IOM) organized a workshop in Tirana on reception
standards. The workshop was funded by the European Union through the Asylum, Migration and Integration Fund.
"""
B = """IOM workshop in Tirana
Date Publish: 2022-03-11

On 8 March 2022, IOM organized a workshop in Tirana on reception standards, financed by AMIF.
"""
C = """Atelier de l'OIM
Date Publish: 2022-03-12

On 8 March 2022, the International Organization for Migration and the Ministry of Interior of Albania organized a
workshop in Tirana on reception standards.
"""


def test_names_acronyms_and_one_meeting_converge(tmp_path: Path) -> None:
    for name, text in (("a.txt", A), ("b.txt", B), ("c.txt", C)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        summary = build_store([tmp_path], store)
        assert summary.ok, [f.line() for f in summary.failures]
        orgs = run_query(store, "organizations").rows
        events = run_query(store, "events").rows
        programmes = run_query(store, "programmes").rows
        funding = run_query(store, "funding").rows
    iom = {str(r[0]) for r in orgs if r[2] is not None and str(r[2]) == "IOM"}
    assert iom == {"https://w3id.org/migkg/id/organization/international-organization-for-migration"}
    assert len({str(r[0]) for r in events}) == 1  # one workshop, three releases
    assert {str(r[0]) for r in programmes} == {
        "https://w3id.org/migkg/id/programme/asylum-migration-and-integration-fund"}
    assert {(str(r[1]), str(r[2]).rsplit("/", 1)[-1]) for r in funding} == {
        ("European Union", "asylum-migration-and-integration-fund")}
