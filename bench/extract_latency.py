"""Benchmark: extraction time per release (median, p90, max) over the committed releases.

usage: python bench/extract_latency.py [--repeat N] [PATH ...]

Target (issues 10, 11): median <= 10 ms per release on the project's 2-core machine. Dictionaries are
loaded once before timing (that is start-up, not per-release work). Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from migkg.extract import extract
from migkg.ingest import iter_release_paths, read_release_file
from migkg.reference import load

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "releases")])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    t0 = time.perf_counter()
    dicts = load()
    load_s = time.perf_counter() - t0
    releases = [r for p in iter_release_paths(args.paths) for r in read_release_file(p)]
    times = []
    for _ in range(args.repeat):
        for r in releases:
            t = time.perf_counter()
            extract(r, dicts)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"releases {len(releases)} x {args.repeat} runs; dictionaries loaded in {load_s:.2f} s")
    print(f"extraction ms: median {statistics.median(times):.1f}  p90 {times[int(len(times) * 0.9)]:.1f}  "
          f"max {times[-1]:.1f}  (target: median <= 10 ms)")


if __name__ == "__main__":
    main()
