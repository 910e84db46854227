"""Quarantine: a release that fails at any stage is set aside with its reason; the others load.

Failures are provoked in the real code by monkeypatching one stage for one release (a rule that
crashes on weird text, a graph that breaks a shape, a store write that fails; a full disk stops the
build instead), and the build runs
in-process (``--jobs 1``) so that the patch applies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from migkg import build as b
from migkg.cli import main
from migkg.extract import events
from migkg.extract.doc import Doc
from migkg.pipeline import Failure, build_store
from migkg.store import EmbeddedStore, open_store
from migkg.vocab import MKG, RDF

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"
VICTIM = "ill-05-iom-durres-equipment-handover"
ALL = len(list(RELEASES.glob("*.txt")))


def _build(tmp_path: Path, *extra: str) -> tuple[int, str, list[dict[str, object]]]:
    report = tmp_path / "quarantine.jsonl"
    res = CliRunner().invoke(main, ["build", str(RELEASES), "--store", str(tmp_path / "store"), "--jobs", "1",
                                    "--quarantine", str(report), *extra])
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return res.exit_code, res.output, records


def _loaded(tmp_path: Path) -> int:
    with open_store(tmp_path / "store", read_only=True) as st:
        return st.releases()


def test_a_crashing_rule_quarantines_only_its_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = events.read

    def crash_on_victim(doc: Doc, found):  # type: ignore[no-untyped-def]
        if doc.r.key == VICTIM:
            raise RuntimeError("rule met text it was not written for")
        return original(doc, found)

    monkeypatch.setattr(events, "read", crash_on_victim)
    code, out, records = _build(tmp_path)
    assert code == 1
    assert "Traceback" not in out
    assert [(Path(str(r["file"])).stem, r["stage"]) for r in records] == [(VICTIM, "extract")]
    assert "RuntimeError" in str(records[0]["reason"]) and "rule met text" in str(records[0]["reason"])
    assert _loaded(tmp_path) == ALL - 1
    lines = [line for line in out.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and VICTIM in lines[0] and "extract failed: unexpected RuntimeError" in lines[0]


def test_a_graph_breaking_a_shape_is_quarantined_with_its_shape_id(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    original = b.build_triples  # what the pipeline builds each release with

    def unlabelled_org(ex, dicts, *args, **kwargs):  # type: ignore[no-untyped-def]
        g = original(ex, dicts, *args, **kwargs)
        if ex.release.key == VICTIM:
            g.add((URIRef("https://w3id.org/migkg/id/organization/nameless"), RDF.type, MKG.Organization))
            g.add((b.release_iri(VICTIM), MKG.mentions, URIRef("https://w3id.org/migkg/id/organization/nameless")))
        return g

    monkeypatch.setattr(b, "build_triples", unlabelled_org)
    code, out, records = _build(tmp_path)
    assert code == 1
    assert len(records) == 1 and records[0]["stage"] == "validate"
    assert Path(str(records[0]["file"])).stem == VICTIM
    assert records[0]["shape_ids"] and all(str(s).startswith("S") for s in records[0]["shape_ids"])  # type: ignore[union-attr]
    assert _loaded(tmp_path) == ALL - 1


def test_a_failing_store_write_is_quarantined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = EmbeddedStore._replace_quads  # behind replace_graph and replace_graph_nquads

    def bad_write(self: EmbeddedStore, name: URIRef, quads):  # type: ignore[no-untyped-def]
        if str(name).endswith(VICTIM):
            raise OSError(5, "Input/output error")
        return original(self, name, quads)

    monkeypatch.setattr(EmbeddedStore, "_replace_quads", bad_write)
    code, out, records = _build(tmp_path)
    assert code == 1
    assert [(Path(str(r["file"])).stem, r["stage"]) for r in records] == [(VICTIM, "store")]
    assert "Input/output error" in str(records[0]["reason"])
    assert _loaded(tmp_path) == ALL - 1
    # the next build, with the store well again, loads the release that was set aside
    monkeypatch.setattr(EmbeddedStore, "_replace_quads", original)
    code, out, records = _build(tmp_path)
    assert code == 0 and records == [] and _loaded(tmp_path) == ALL


def test_a_full_disk_stops_the_build_at_the_first_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = EmbeddedStore._replace_quads
    calls = []

    def full_disk(self: EmbeddedStore, name: URIRef, quads):  # type: ignore[no-untyped-def]
        calls.append(name)
        if str(name).endswith(VICTIM):
            raise OSError(28, "No space left on device")
        return original(self, name, quads)

    monkeypatch.setattr(EmbeddedStore, "_replace_quads", full_disk)
    res = CliRunner().invoke(main, ["build", str(RELEASES), "--store", str(tmp_path / "store"), "--jobs", "1"])
    assert res.exit_code == 2
    errors = [line for line in res.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "disk full while loading" in errors[0] and VICTIM in errors[0], res.output
    assert str(calls[-1]).endswith(VICTIM)  # nothing was tried after the first failed write
    kept = _loaded(tmp_path)
    assert f"{kept} release(s) loaded before it are kept" in errors[0]
    monkeypatch.setattr(EmbeddedStore, "_replace_quads", original)
    code, out, records = _build(tmp_path)
    assert code == 0 and records == [] and _loaded(tmp_path) == ALL


def test_nothing_quarantined_gives_exit_0_and_an_empty_report(tmp_path: Path) -> None:
    (tmp_path / "quarantine.jsonl").write_text('{"stale": true}\n', encoding="utf-8")
    code, out, records = _build(tmp_path)
    assert code == 0, out
    assert records == []  # replaced, not appended: the report describes the last build


def test_quarantine_report_to_an_unwritable_place_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(RELEASES / f"{VICTIM}.txt"), "--store", str(tmp_path / "s"),
                                    "--jobs", "1", "--quarantine", str(tmp_path / "a-file" / "q.jsonl")])
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and "cannot write the quarantine report" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_failure_lines_stay_one_line_whatever_the_file_name() -> None:
    f = Failure("dir/evil\nname\u202e\x00.txt", "ingest", "bad\r\nreason", ("S01-X",))
    line = f.line()
    assert "\n" not in line and "\r" not in line and "\x00" not in line and "\u202e" not in line
    assert line == "dir/evil\\nname\\u202e\\x00.txt: ingest failed: bad\\r\\nreason [S01-X]"
    record = json.loads(f.to_json())
    assert record["file"] == "dir/evil\nname\u202e\x00.txt" and record["shape_ids"] == ["S01-X"]


def test_library_build_keeps_going_after_an_unexpected_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migkg import pipeline

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise MemoryError("simulated")

    monkeypatch.setattr(pipeline, "read_release_file", explode)
    with open_store(tmp_path / "s") as st:
        summary = build_store([RELEASES], st, jobs=1)
    assert len(summary.failures) == ALL and not summary.loaded
    assert all(f.stage == "ingest" and "MemoryError" in f.reason for f in summary.failures)
