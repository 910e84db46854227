"""The hostile corpus through `migkg build`: no crash, one line per bad file, nothing good lost.

The corpus (see ``conftest_hostile.py``) sits in one folder with copies of every good release.
A build of that folder must exit 1 (something was quarantined), print no traceback, print exactly
one ``error:`` line per bad input naming it, load every good or merely odd input, and leave the
store answering every contract query exactly as a clean build of the good inputs does.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef

from conftest_hostile import SCRIPT_MARKER, Case, ok_files, write_corpus
from migkg import build as b
from migkg.cli import main
from migkg.errors import one_line
from migkg.names import slug
from migkg.query import run_query
from migkg.store import open_store

CONTRACT = ("releases", "countries", "organizations", "events", "event-organizers", "event-participants",
            "event-countries", "programmes", "funding")
_IRI_BAD = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def contract_rows(store_dir: Path) -> dict[str, set[tuple[str, ...]]]:
    """Every contract query's rows as sets of strings (order- and duplicate-insensitive)."""
    with open_store(store_dir, read_only=True) as st:
        return {q: {tuple("" if t is None else str(t) for t in row) for row in run_query(st, q).rows}
                for q in CONTRACT}


def release_keys(store_dir: Path) -> set[str]:
    prefix = str(b.release_graph_iri("x"))[:-1]
    with open_store(store_dir, read_only=True) as st:
        return {n[len(prefix):] for n in st.graph_names() if n.startswith(prefix)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    return folder, write_corpus(folder)


@pytest.fixture(scope="module")
def hostile_build(corpus: tuple[Path, list[Case]], tmp_path_factory: pytest.TempPathFactory):
    folder, _ = corpus
    out = tmp_path_factory.mktemp("hostile-out")
    store, report = out / "store", out / "quarantine.jsonl"
    res = CliRunner().invoke(main, ["build", str(folder), "--store", str(store), "--jobs", "1",
                                    "--quarantine", str(report)])
    return res, store, report


@pytest.fixture(scope="module")
def clean_store(corpus: tuple[Path, list[Case]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of only what should load: the good releases, the ok cases and the good JSON lines."""
    folder, cases = corpus
    out = tmp_path_factory.mktemp("clean")
    jsonl = out / "hostile-bad-line.jsonl"
    good_lines = [line for line in (folder / "hostile-bad-line.jsonl").read_text(encoding="utf-8").split("\n")
                  if line.startswith('{"id": "jsonl-good')]
    jsonl.write_text("\n".join(good_lines) + "\n", encoding="utf-8")
    store = out / "store"
    res = CliRunner().invoke(main, ["build", *map(str, ok_files(folder, cases)), str(jsonl), "--store", str(store),
                                    "--jobs", "1"])
    assert res.exit_code == 0, res.output
    return store


def test_hostile_build_exits_1_without_traceback(hostile_build) -> None:
    res, _, _ = hostile_build
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output


def test_every_output_line_is_one_error_or_the_summary(hostile_build) -> None:
    res, _, _ = hostile_build
    lines = res.output.splitlines()
    odd = [line for line in lines if not (line.startswith("error: ") or line.startswith("built "))]
    assert not odd, odd
    assert lines[-1].startswith("built ")


def test_each_bad_input_gets_one_line_naming_it(corpus, hostile_build) -> None:
    folder, cases = corpus
    res, _, _ = hostile_build
    errors = [line for line in res.output.splitlines() if line.startswith("error: ")]
    problems = []
    for c in cases:
        named = [line for line in errors if one_line(str(folder / c.name)) + ":" in line]
        if c.outcome == "ok":
            if named:
                problems.append(f"{c.what}: expected to load, got {named}")
            continue
        hits = [line for line in named if all(w in line for w in c.expect)]
        if len(hits) != 1:
            problems.append(f"{c.what}: expected one line with {c.expect}, got {named}")
    assert not problems, "\n".join(problems)
    assert len(errors) == sum(c.outcome == "error" for c in cases), errors


def test_ok_inputs_are_loaded(corpus, hostile_build) -> None:
    folder, cases = corpus
    _, store, _ = hostile_build
    keys = release_keys(store)
    missing = [c.what for c in cases if c.outcome == "ok" and slug(Path(c.name).stem) not in keys]
    assert not missing
    assert {"jsonl-good-1", "jsonl-good-2"} <= keys  # the good lines around the bad ones


def test_no_good_release_is_lost(hostile_build, clean_store: Path) -> None:
    _, store, _ = hostile_build
    assert release_keys(store) == release_keys(clean_store)
    got, want = contract_rows(store), contract_rows(clean_store)
    for q in CONTRACT:
        assert got[q] == want[q], q
    assert sum(len(v) for v in want.values()) > 300  # the comparison is not between two empty stores


def test_odd_encodings_read_correctly(hostile_build) -> None:
    _, store, _ = hostile_build
    with open_store(store, read_only=True) as st:
        titles = {str(row[1]) for row in run_query(st, "releases").rows}
    assert "Sastanak: šef službi, Čačak" in titles  # UTF-16 with BOM
    assert "Sastanak u Tuzli, Ćuprija" in titles  # UTF-32 with BOM
    assert "UNHCR and IOM train border officers in Skopje" in titles  # Markdown heading
    assert "IOM and UNHCR hold a workshop in Tirana" in titles  # HTML <title>


def test_script_and_style_text_never_reach_the_store(hostile_build) -> None:
    _, store, _ = hostile_build
    with open_store(store, read_only=True) as st:
        html = [q for q in st.quads(b.release_graph_iri("hostile-script"))]
        assert any("Tirana" in str(q.object) for q in html if isinstance(q.object, Literal))
        leaked = [q for q in st.quads() if SCRIPT_MARKER in str(q.object)]
    assert not leaked, leaked[:3]


def test_every_stored_iri_is_well_formed_and_the_store_round_trips(hostile_build, tmp_path: Path) -> None:
    _, store, _ = hostile_build
    with open_store(store, read_only=True) as st:
        terms = {str(t) for q in st.quads() for t in (q.subject, q.predicate, q.object, q.graph_name)
                 if isinstance(t, URIRef)}
        total = len(st)
    bad = sorted(t for t in terms if _IRI_BAD.search(t))
    assert not bad, bad[:5]
    out = tmp_path / "all.nq"
    res = CliRunner().invoke(main, ["export", "--store", str(store), "--out", str(out)])
    assert res.exit_code == 0, res.output
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert sum(1 for _ in ds.quads((None, None, None, None))) == total


def test_quarantine_report_lists_every_failure(corpus, hostile_build) -> None:
    folder, cases = corpus
    res, _, report = hostile_build
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(records) == sum(c.outcome == "error" for c in cases)
    assert {r["file"] for r in records} == {str(folder / c.name) for c in cases if c.outcome == "error"}
    for r in records:
        assert set(r) == {"file", "stage", "reason", "shape_ids", "time"}
        assert r["stage"] in ("ingest", "extract", "build", "validate", "store")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", r["time"])
    assert {r["stage"] for r in records} == {"ingest"}


def test_console_script_end_to_end_in_parallel(corpus, clean_store: Path, tmp_path: Path) -> None:
    """The installed `migkg`, with worker processes, on the same corpus: same outcome, nothing lost."""
    folder, cases = corpus
    exe = Path(sys.executable).with_name("migkg")
    assert exe.exists(), f"the console script {exe} is not installed; run pip install -e ."
    proc = subprocess.run([str(exe), "build", str(folder), "--store", str(tmp_path / "s"), "--jobs", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == sum(c.outcome == "error" for c in cases)
    assert contract_rows(tmp_path / "s") == contract_rows(clean_store)


def test_cp1250_with_encoding_option_reads_correctly(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    path = folder / "hostile-cp1250.txt"
    res = CliRunner().invoke(main, ["build", str(path), "--store", str(tmp_path / "s"), "--encoding", "cp1250",
                                    "--jobs", "1"])
    assert res.exit_code == 0, res.output
    with open_store(tmp_path / "s", read_only=True) as st:
        titles = {str(row[1]) for row in run_query(st, "releases").rows}
    assert titles == {"Sastanak u Sarajevu: šef graničnih službi"}


def test_latin1_with_encoding_option_reads_correctly(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    res = CliRunner().invoke(main, ["build", str(folder / "hostile-latin1.txt"), "--store", str(tmp_path / "s"),
                                    "--encoding", "latin-1", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    with open_store(tmp_path / "s", read_only=True) as st:
        assert {str(row[1]) for row in run_query(st, "releases").rows} == {"Réunion à Genève sur la migration"}


def test_unknown_encoding_is_a_one_line_error(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    res = CliRunner().invoke(main, ["build", str(folder / "hostile-latin1.txt"), "--store", str(tmp_path / "s"),
                                    "--encoding", "no-such-codec", "--jobs", "1"])
    assert res.exit_code == 1
    assert re.fullmatch(r"error: \S*hostile-latin1\.txt: ingest failed: .*no-such-codec.*\nbuilt .*\n", res.output)


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "data" / "releases" / "ill-01-unhcr-skopje-workshop.txt"
    big = tmp_path / "padded.txt"
    big.write_text(src.read_text(encoding="utf-8") + "\n" * 5_500_000, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(big), "--store", str(tmp_path / "s"), "--jobs", "1"])
    assert res.exit_code == 1
    assert f"error: {big}: ingest failed: {big}: too large (5,50" in res.output
    assert "the limit is 5,242,880); raise it with --max-bytes" in res.output
    res = CliRunner().invoke(main, ["build", str(big), "--store", str(tmp_path / "s"), "--jobs", "1",
                                    "--max-bytes", "6000000"])
    assert res.exit_code == 0, res.output
    assert release_keys(tmp_path / "s") == {"padded"}
    res = CliRunner().invoke(main, ["build", str(src), "--store", str(tmp_path / "t"), "--max-bytes", "100"])
    assert res.exit_code == 1 and "the limit is 100)" in res.output
