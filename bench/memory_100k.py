"""Peak memory of reading and building a folder of many tiny releases (default 100,000).

Not a test: run by hand, results go in bench/README.md ("Hostile input and limits").

    python bench/memory_100k.py                        # 100,000 releases: walk+read, then a full build
    python bench/memory_100k.py --count 10000 --mode walk

Modes: ``walk`` runs ``iter_release_paths`` and ``read_release_file`` over every file in a child
process (what ingest holds: the sorted path list of the folder, one release at a time); ``build``
runs the installed ``migkg build --jobs N`` as a child process (ingest, extraction, validation and
loading into an on-disk store). Each reports the child's peak resident set size (ru_maxrss) and
its wall time. The releases are generated into a temporary folder (deleted afterwards unless
``--keep``), all in one folder, each a few hundred bytes with its own date, place and number.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = ["Sarajevo", "Tirana", "Skopje", "Belgrade", "Podgorica", "Pristina", "Zagreb", "Ljubljana"]
ORGS = ["International Organization for Migration (IOM)", "United Nations High Commissioner for Refugees (UNHCR)",
        "International Centre for Migration Policy Development (ICMPD)", "European Union Agency for Asylum (EUAA)"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

WALK = """
import json, resource, sys, time
from migkg.ingest import iter_release_paths, read_release_file
t = time.perf_counter(); n = chars = 0
for p in iter_release_paths([sys.argv[1]]):
    for r in read_release_file(p):
        n += 1; chars += len(r.text)
print(json.dumps({"releases": n, "chars": chars, "seconds": time.perf_counter() - t,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(folder: Path, count: int) -> None:
    """Write ``count`` tiny releases into one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        day, month, year = i % 28 + 1, MONTHS[(i // 28) % 12], 2000 + (i // 336) % 25
        place, org = PLACES[i % len(PLACES)], ORGS[i % len(ORGS)]
        (folder / f"r{i:06d}.txt").write_text(
            f"Coordination meeting number {i} in {place}\n\nPublished: {day} {month} {year}\n\n"
            f"On {day} {month} {year}, the {org} organized a coordination meeting in {place} with the "
            f"border police of the region. Meeting {i} discussed migration data.\n", encoding="utf-8")


def _child_peak(cmd: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run one child and return it, its wall time and its peak RSS in MB (the only child run so far)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak < before:  # pragma: no cover - ru_maxrss is a maximum over all children
        peak = before
    return proc, wall, peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--mode", choices=["walk", "build", "both"], default="both")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the generated folder and store")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="migkg-mem-"))
    folder, store = tmp / "releases", tmp / "store"
    try:
        t = time.perf_counter()
        generate(folder, args.count)
        print(f"generated {args.count:,} releases in {time.perf_counter() - t:.1f} s ({folder})", flush=True)
        result: dict[str, object] = {"count": args.count, "python": sys.version.split()[0],
                                     "cpus": os.cpu_count()}
        if args.mode in ("walk", "both"):
            proc = subprocess.run([sys.executable, "-c", WALK, str(folder)], capture_output=True, text=True)
            if proc.returncode:
                sys.exit(proc.stderr)
            result["walk"] = json.loads(proc.stdout)
            print("walk+read:", result["walk"], flush=True)
        if args.mode in ("build", "both"):
            exe = Path(sys.executable).with_name("migkg")
            # walk mode's child ran first, so measure the build in a fresh interpreter of its own
            cmd = [sys.executable, "-c", (
                "import resource, subprocess, sys, time, json; t = time.perf_counter(); "
                "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                "print(json.dumps({'rc': p.returncode, 'seconds': time.perf_counter() - t, "
                "'peak_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "
                "'summary': p.stderr.strip().splitlines()[-1:]}))"),
                str(exe), "build", str(folder), "--store", str(store), "--jobs", str(args.jobs), "--quiet"]
            proc, wall, _ = _child_peak(cmd)
            if proc.returncode:
                sys.exit(proc.stderr)
            build = json.loads(proc.stdout)
            build["store_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20
            build["jobs"] = args.jobs
            result["build"] = build
            print("build:", build, flush=True)
        print(json.dumps(result, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
