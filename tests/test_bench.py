"""The benchmark at a smoke size, so that it cannot rot: every stage runs and every saved query and
graph is measured, and the queries alone on a built store (no figure is checked here; the figures are in
bench/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from migkg.draw import KINDS
from migkg.query import saved_queries
from paths import REPO

BENCH = REPO / "bench" / "run.py"


def test_bench_runs_at_a_smoke_size_and_writes_one_table(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    proc = subprocess.run([sys.executable, str(BENCH), "12", "--jobs", "1", "--work", str(tmp_path / "work"),
                           "--out", str(out)], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (size,) = json.loads(out.read_text(encoding="utf-8"))["sizes"]
    assert size["releases"] == 12 and size["failed"] == 0 and size["quads"] > 0
    names = {q.name for q in saved_queries() if "/" not in q.name}
    graphs = {f"graph:{k}" for k in KINDS} | {"graph:co-participation.html"}
    assert set(size["queries"]) == names | graphs
    assert all(r["peak_mb"] < 2000 for r in size["queries"].values())  # each its own process's peak
    assert [n for n, r in size["queries"].items() if "failed" in r] == []
    assert size["queries"]["releases"]["rows"] == 12
    assert set(size["stages_per_s"]) >= {"read", "extract", "build graph", "validate", "serialize", "load"}
    table = proc.stdout
    assert table.startswith("| | 12 new |")
    for name in names:
        assert f"| query {name} | " in table
    for kind in KINDS:
        assert f"| graph {kind} (GraphML) | " in table
    assert "| graph co-participation (HTML page) | " in table
    assert "| **end to end, releases/s** | " in table
    for label in ("add", "replace_added", "replace_shared", "restore_shared"):
        assert size[f"incremental_{label}_ms"] > 0 and size[f"incremental_{label}_cpu_ms"] >= 0
    assert "| replace a corpus release, ms (CPU ms) | " in table


def test_queries_only_measures_each_query_on_a_built_store(seed_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "queries.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--queries-only", str(seed_store_dir), "event-countries",
                           "events-by-organizer", str(REPO / "bench" / "queries" / "funding-rows-sorted.rq"),
                           "--engine-order", "--work", str(tmp_path / "work"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    runs = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert set(runs) == {"new", "new, engine sorts"}
    for results in runs.values():
        assert results["event-countries"]["rows"] == 6  # the seed's meeting: six countries
        assert results["events-by-organizer"]["rows"] >= 1  # its parameter found in the store
        assert all(r["peak_mb"] > 0 and r["cpu_ms"] >= 0 for r in results.values())
    sorted_rows = str(REPO / "bench" / "queries" / "funding-rows-sorted.rq")
    assert runs["new"][sorted_rows]["rows"] == runs["new, engine sorts"][sorted_rows]["rows"] > 0
    for tag in ("new", "new, engine sorts"):
        assert f"| event-countries | {tag} | 6 | " in proc.stdout
