"""Transactions: `migkg build` killed with SIGKILL at random points leaves every release whole or absent.

A folder of 130 releases (the illustrative corpus and renamed copies; the build loads them in batches
of 64, so there are three write phases to land in) is built once to completion
(the reference). Then the build is started again on fresh stores and killed (SIGKILL to its whole
process group, workers included) once it has loaded a seeded random number of releases (read from
the store as it grows, so where the kills land does not depend on how fast or loaded the machine
is); and a complete store is rebuilt with ``--force`` (every release graph replaced) and killed
after seeded random delays. After each kill the store must
open and answer queries, every release graph in it must equal the reference build's graph for that
release (same quads, timestamps aside), nothing but release, reference and ontology graphs may be
there, and a killed ``--force`` rebuild must not have lost any release. Re-running the build then
completes it: the contract queries answer exactly as the reference build.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from migkg.query import run_query
from migkg.store import open_store
from migkg.vocab import EVIDENCE_SPACE

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"
CONTRACT = ("releases", "countries", "organizations", "events", "event-organizers", "event-participants",
            "event-countries", "programmes", "funding")
GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"
SEED = 20261129
KILLS_FRESH = 5  # kills during a first build
KILLS_FORCE = 3  # kills during a --force rebuild (every graph replaced)
BUSY_UNTIL = 90  # fresh-build kills land before this many releases are loaded (of N_RELEASES)


def _exe() -> str:
    exe = Path(sys.executable).with_name("migkg")
    assert exe.exists(), f"the console script {exe} is not installed; run pip install -e ."
    return str(exe)


N_RELEASES = 130


def _corpus(folder: Path, n: int = N_RELEASES) -> Path:
    folder.mkdir()
    good = sorted(RELEASES.glob("*.txt"))
    for i in range(n):
        src = good[i % len(good)]
        name = src.name if i < len(good) else f"copy-{i:03d}-{src.name}"
        shutil.copyfile(src, folder / name)
    return folder


def _run(folder: Path, store: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_exe(), "build", str(folder), "--store", str(store), "--quiet", *extra],
                          capture_output=True, text=True, timeout=600)


def _snapshot(store: Path) -> dict[str, tuple[int, str]]:
    """Each named graph's quad count and a hash of its quads (timestamps left out)."""
    graphs: dict[str, list[str]] = {}
    with open_store(store) as st:  # opens read-write, as the next build would
        for q in st.quads():
            if str(q.predicate) == GENERATED_AT:
                continue
            graphs.setdefault(str(q.graph_name), []).append(str(q))
        rows = run_query(st, "releases").rows
        assert len(rows) == sum(1 for g in graphs if "/graph/release/" in g)  # the store answers queries
        # the merge is in step with the graphs (evidence records stay in their graphs)
        assert set(st.facts()) == {q.triple for q in st.quads() if not str(q.subject).startswith(EVIDENCE_SPACE)}
    return {g: (len(qs), hashlib.sha256("\n".join(sorted(qs)).encode()).hexdigest()) for g, qs in graphs.items()}


def _contract(store: Path) -> dict[str, set[tuple[str, ...]]]:
    with open_store(store, read_only=True) as st:
        return {q: {tuple("" if t is None else str(t) for t in row) for row in run_query(st, q).rows}
                for q in CONTRACT}


def _start_build(folder: Path, store: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A quiet `migkg build` in a process group of its own (so a kill reaches its workers too)."""
    return subprocess.Popen([_exe(), "build", str(folder), "--store", str(store), "--quiet", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _kill_now(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the build's process group if it still runs (True then); it never dies with a traceback."""
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode(errors="replace")
    return killed


def _kill_during(folder: Path, store: Path, delay: float, *extra: str) -> bool:
    """Start a build, SIGKILL its process group after ``delay`` seconds; True when it was still running."""
    proc = _start_build(folder, store, *extra)
    time.sleep(delay)
    return _kill_now(proc)


def _loaded(store: Path) -> int:
    """How many release graphs the store being built holds now (read-only, beside the writer)."""
    try:
        st = ox.Store.read_only(str(store))
    except (OSError, RuntimeError, ValueError):
        return 0  # not created yet, or files moving under a compaction: look again
    try:
        return sum(1 for g in st.named_graphs() if isinstance(g, ox.NamedNode) and "/graph/release/" in g.value)
    finally:
        del st


def _kill_after_loading(folder: Path, store: Path, at_least: int, *extra: str) -> bool:
    """Start a build, SIGKILL its process group once ``at_least`` releases are in the store; True when it
    was still running then."""
    proc = _start_build(folder, store, *extra)
    deadline = time.monotonic() + 600
    while proc.poll() is None and _loaded(store) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    return _kill_now(proc)


def _kill_somewhere(rng: random.Random, fresh: Callable[[], Path], folder: Path, low: float, high: float,
                    *extra: str) -> Path:
    """Kill a build at a random point in [low, high) seconds; when the build was already over by then
    (a loaded machine is slower or faster than the reference run), try again earlier on a fresh store."""
    for _ in range(6):
        store = fresh()
        delay = rng.uniform(low, high)
        if _kill_during(folder, store, delay, *extra):
            return store
        high = max(low + 0.05, delay * 0.7)
    pytest.fail(f"the build kept finishing before {high:.2f} s; nothing was killed")


def _check_whole(store: Path, reference: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    if not (store / "CURRENT").exists():
        return {}  # killed before the store was created
    snap = _snapshot(store)
    extra = set(snap) - set(reference)
    assert not extra, f"graphs no clean build has: {sorted(extra)[:5]}"
    partial = {g: (snap[g], reference[g]) for g in snap if snap[g] != reference[g]}
    assert not partial, f"graphs partly written: {partial}"
    return snap


@pytest.mark.slow
def test_sigkill_leaves_every_release_whole_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "releases")
    clean = tmp_path / "clean"
    res = _run(folder, clean, "--jobs", "1")
    assert res.returncode == 0, res.stderr
    reference = _snapshot(clean)
    releases = {g for g in reference if "/graph/release/" in g}
    assert len(releases) == N_RELEASES
    want = _contract(clean)

    rng = random.Random(SEED)
    partial_states = set()
    fresh_stores = (tmp_path / f"fresh-{i}" for i in range(100))
    band = BUSY_UNTIL // KILLS_FRESH  # one kill per band of releases loaded: different points, surely
    for i in range(KILLS_FRESH):
        jobs = "1" if i % 2 == 0 else "2"
        target = rng.randrange(i * band, (i + 1) * band)
        for _ in range(8):  # the build may finish between two looks at the store (loaded machine): try again, fresh
            store = next(fresh_stores)
            if _kill_after_loading(folder, store, target, "--jobs", jobs):
                break
        else:
            pytest.fail(f"the build finished each time before {target} releases were seen in the store")
        snap = _check_whole(store, reference)
        loaded = len(set(snap) & releases)
        assert loaded >= target
        partial_states.add(loaded)
        res = _run(folder, store, "--jobs", jobs)  # re-running completes it
        assert res.returncode == 0, res.stderr
        assert _contract(store) == want
        assert _check_whole(store, reference).keys() == reference.keys()

    copies = iter(range(100))

    def copy_of_clean() -> Path:
        store = tmp_path / f"force-{next(copies)}"
        shutil.copytree(clean, store)
        return store

    t0 = time.monotonic()
    res = _run(folder, copy_of_clean(), "--jobs", "1", "--force")
    force_duration = time.monotonic() - t0
    assert res.returncode == 0, res.stderr
    for _ in range(KILLS_FORCE):
        store = _kill_somewhere(rng, copy_of_clean, folder, 0.5, force_duration, "--jobs", "1", "--force")
        snap = _check_whole(store, reference)
        assert set(snap) & releases == releases, "a release was lost while its graph was being replaced"
        assert _contract(store) == want

    assert len(partial_states) >= 2, partial_states  # the kills landed at different points of the build


BULK_BUILD = """
import sys
import migkg.store.embedded as embedded
from migkg.pipeline import build_store
from migkg.store import open_store
embedded.BULK_BYTES = 16_384  # many small calls of the bulk loader, so a kill lands inside one
with open_store(sys.argv[2]) as store:
    summary = build_store([sys.argv[1]], store, jobs=int(sys.argv[3]), bulk_from=1)
sys.exit(0 if summary.ok else 1)
"""


def _start_bulk_build(folder: Path, store: Path, jobs: str) -> subprocess.Popen[bytes]:
    """A first build of ``folder`` by the bulk loader (beside the store, swapped in when complete)."""
    return subprocess.Popen([sys.executable, "-c", BULK_BUILD, str(folder), str(store), jobs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _beside(store: Path) -> Path:
    return store.with_name(f".{store.name}.migkg-bulk")


@pytest.mark.slow
def test_sigkill_during_a_bulk_first_build_leaves_the_store_empty_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "releases", 40)
    clean = tmp_path / "clean"
    t0 = time.monotonic()
    proc = _start_bulk_build(folder, clean, "1")
    _, err = proc.communicate(timeout=600)
    duration = time.monotonic() - t0
    assert proc.returncode == 0, err.decode(errors="replace")
    assert not _beside(clean).exists()
    reference = _snapshot(clean)
    assert sum(1 for g in reference if "/graph/release/" in g) == 40
    want = _contract(clean)

    rng = random.Random(SEED + 1)
    stores = (tmp_path / f"bulk-{i}" for i in range(100))
    killed_inside = 0
    for jobs in ("1", "2"):
        for _ in range(6):  # the kill lands while the store beside is being written, at a seeded point
            store = next(stores)
            proc = _start_bulk_build(folder, store, jobs)
            deadline = time.monotonic() + 600
            while proc.poll() is None and not (_beside(store) / "CURRENT").exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.2, 0.8) * duration)
            _kill_now(proc)
            if _beside(store).exists() and _loaded(store) == 0:
                break  # killed before the exchange (after it, the store holds the whole build)
            assert _check_whole(store, reference).keys() == reference.keys()
        else:
            pytest.fail("the bulk build kept finishing before it could be killed")
        killed_inside += 1
        snap = _check_whole(store, reference)  # opened to write, as the next build would
        assert not any("/graph/release/" in g for g in snap)  # the store is as it was: empty
        assert not _beside(store).exists()  # and the unfinished store beside is gone
        proc = _start_bulk_build(folder, store, jobs)  # re-running completes it
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode(errors="replace")
        assert _check_whole(store, reference).keys() == reference.keys()
        assert _contract(store) == want
    assert killed_inside == 2
