"""Benchmark migkg at several corpus sizes; prints one JSON object per size and a Markdown table.

    python bench/run.py 1000 10000 [--jobs 2] [--work /tmp/migkg-bench] [--out bench/results.json]

Each size runs in a fresh child process (so peak memory is per size): generate the corpus (cached
under --work), extraction alone, end to end (``build_store``: extract + build + validate + load),
N-Quads export against Oxigraph's own dump, N-Quads load into a fresh store, the latency of every
saved query, the store's size on disk and peak memory (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

IOM = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
PARAMS = {  # values for the saved queries that take parameters
    "events-by-organizer": {"organizer": IOM},
    "meetings-by-organizer": {"organizer": IOM},
    "meetings-by-country": {"country": "https://w3id.org/migkg/id/country/AL"},
    "meetings-by-year": {"year": "2019"},
    "series-timeline": {"series": "https://w3id.org/migkg/id/series/regional-working-group-on-return"},
    "fact-releases": {"subject": IOM},
}


def _extract_chunk(files: list[str]) -> int:
    from migkg.extract import extract
    from migkg.ingest import read_release_file
    from migkg.reference import load

    d = load()
    n = 0
    for f in files:
        for r in read_release_file(f):
            extract(r, d)
            n += 1
    return n


def _params_from(store: object, run_query: Any) -> dict[str, dict[str, str]]:
    """Parameter values that select something in this store: the busiest organizer, the first series."""
    params = {k: dict(v) for k, v in PARAMS.items()}
    organizers = Counter(str(r[1]) for r in run_query(store, "event-organizers").rows)
    if organizers:
        top = organizers.most_common(1)[0][0]
        for name, key in (("events-by-organizer", "organizer"), ("meetings-by-organizer", "organizer"),
                          ("fact-releases", "subject")):
            params[name][key] = top
    series = run_query(store, "series-timeline").rows
    if series:
        params["series-timeline"]["series"] = str(series[0][0])
    return params


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def one_size(n: int, jobs: int, work: Path) -> dict[str, object]:
    """Run every measurement at one corpus size; returns the figures."""
    from gen_corpus import generate

    from migkg.export import FORMATS, export
    from migkg.pipeline import build_store
    from migkg.query import load_query, run_query, saved_queries
    from migkg.store import open_store

    corpus = work / f"corpus-{n}"
    if not (corpus / ".done").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate(n, corpus, seed=1)
        (corpus / ".done").write_text("ok")
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    out: dict[str, object] = {"releases": n, "jobs": jobs}

    t = time.perf_counter()
    chunks = [files[i:i + 64] for i in range(0, len(files), 64)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = sum(pool.map(_extract_chunk, chunks))
    out["extract_per_s"] = round(done / (time.perf_counter() - t), 1)

    store_dir = work / f"store-{n}"
    shutil.rmtree(store_dir, ignore_errors=True)
    t = time.perf_counter()
    with open_store(store_dir) as store:
        summary = build_store([corpus], store, jobs=jobs)
    el = time.perf_counter() - t
    out["end_to_end_per_s"] = round(len(summary.loaded) / el, 1)
    out["failed"] = len(summary.failures)
    out["quads"] = summary.quads
    out["peak_mb_build"] = round(_peak_mb(), 1)

    nq = work / f"export-{n}.nq"
    with open_store(store_dir, read_only=True) as store:
        t = time.perf_counter()
        with nq.open("wb") as fh:
            export(store, fh, FORMATS["nq"])
        out["export_nq_s"] = round(time.perf_counter() - t, 2)
        out["export_quads_per_s"] = round(summary.quads / out["export_nq_s"])  # type: ignore[operator]
        t = time.perf_counter()
        store.oxigraph.dump(str(work / f"dump-{n}.nq"), format=ox.RdfFormat.N_QUADS)
        out["oxigraph_dump_s"] = round(time.perf_counter() - t, 2)
        lat: dict[str, float] = {}
        params = _params_from(store, run_query)
        out["params"] = params
        for q in saved_queries():
            if q.name.startswith("checks/"):
                continue
            times = []
            for _ in range(3):
                t = time.perf_counter()
                rows = run_query(store, q.name, params.get(q.name, {})).rows
                times.append(time.perf_counter() - t)
            lat[q.name] = round(statistics.median(times) * 1000, 1)
            lat[q.name + " rows"] = len(rows)
        out["query_ms"] = lat
        engine: dict[str, float] = {}
        for name in lat:
            if name.endswith(" rows"):
                continue
            q = load_query(name)
            t = time.perf_counter()
            for _ in store.select(q.text):
                pass
            engine[name] = round((time.perf_counter() - t) * 1000, 1)
        out["query_engine_ms"] = engine
    out["store_mb"] = round(_du(store_dir) / 2**20, 1)

    fresh = work / f"load-{n}"
    shutil.rmtree(fresh, ignore_errors=True)
    s = ox.Store(str(fresh))
    t = time.perf_counter()
    s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    out["load_quads_per_s"] = round(len(s) / (time.perf_counter() - t))
    del s
    shutil.rmtree(fresh, ignore_errors=True)
    out["peak_mb"] = round(_peak_mb(), 1)
    return out


def machine() -> dict[str, object]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**20, 1),
            "python": platform.python_version(), "oxigraph": ox.__version__}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/migkg-bench"))
    ap.add_argument("--out", type=Path, default=None, help="also write the figures here (JSON)")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    if a.one is not None:
        print(json.dumps(one_size(a.one, a.jobs, a.work)))
        return
    results = {"machine": machine(), "sizes": []}
    for n in a.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--jobs", str(a.jobs),
                               "--work", str(a.work)], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.exit(f"bench at {n} releases failed:\n{proc.stderr}")
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        results["sizes"].append(figures)  # type: ignore[union-attr]
        print(json.dumps(figures), flush=True)
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results["machine"]))


if __name__ == "__main__":
    main()
