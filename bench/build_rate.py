"""End to end build rate of this checkout against an anchor, measured alternately in one run.

    python bench/build_rate.py CORPUS --anchor OLD/src [--jobs 2] [--rounds 2] [--work /tmp/migkg-rate]

Each round builds CORPUS (e.g. ``bench/gen_corpus.py 10000 --seed 1 --out /tmp/corpus-10k``) into a new
store with ``build_store`` once with the anchor's ``src`` first on ``PYTHONPATH`` and once with this
checkout's, each in a fresh process, and prints one line per build: wall clock, releases per second,
CPU of all processes (the build and its workers, from ``getrusage``) per release, what an idle
two-core machine would do at that CPU cost, the store's quads, and the load average before and
after. On a shared machine the CPU figures and the ratio between neighbouring builds are what to
compare; the stores are removed after each build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONE = """
import json, os, resource, sys, time
from migkg.pipeline import build_store
from migkg.store import open_store
t = time.perf_counter()
with open_store(sys.argv[2]) as store:
    summary = build_store([sys.argv[1]], store, jobs=int(sys.argv[3]))
wall = time.perf_counter() - t
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"loaded": len(summary.loaded), "failed": len(summary.failures), "quads": summary.quads,
                  "wall": wall, "cpu": cpu}))
"""


def one(src: Path, corpus: Path, store: Path, jobs: int) -> dict[str, float]:
    shutil.rmtree(store, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(src.resolve()))
    before = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", ONE, str(corpus), str(store), str(jobs)], env=env,
                          capture_output=True, text=True, check=False)
    shutil.rmtree(store, ignore_errors=True)
    if proc.returncode != 0:
        sys.exit(f"the build with {src} failed:\n{proc.stderr[-2000:]}")
    out: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["load"] = before
    out["load_after"] = os.getloadavg()[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--anchor", type=Path, required=True, help="the old code's src folder")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/migkg-rate"))
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    print("| code | wall s | releases/s | CPU ms a release | idle 2 cores at that CPU | quads | load |")
    print("|---|---|---|---|---|---|---|")
    for _ in range(a.rounds):
        for tag, src in (("anchor", a.anchor), ("new", HERE.parent / "src")):
            r = one(src, a.corpus, a.work / f"store-{tag}", a.jobs)
            ms = r["cpu"] / max(1, r["loaded"]) * 1000
            print(f"| {tag} | {r['wall']:.1f} | {r['loaded'] / r['wall']:.1f} | {ms:.2f} | {2000 / ms:.0f}/s "
                  f"| {r['quads']:,} | {r['load']:.1f} → {r['load_after']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
