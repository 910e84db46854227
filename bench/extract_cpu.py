"""Benchmark: CPU time of ``extract()`` a release, two source trees alternating in the same run.

usage: python bench/extract_cpu.py --tree OLD_SRC --tree NEW_SRC [--rounds 2] [--passes 3] [--first N] PATH...

Each round runs every tree in turn in a process of its own (``PYTHONPATH`` = the tree): dictionaries loaded, the
releases read, one warm pass, then ``--passes`` timed passes of ``extract()`` over all of them with
``time.process_time``. The dictionary look-ups a trie keeps are forgotten before each pass, so a pass gains nothing
from the one before (a real corpus is read once). Prints CPU ms a release per pass and the load average. On a
shared machine wall clock says little; compare the trees within a round.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def _child(paths: list[str], first: int | None, passes: int) -> None:
    from migkg.extract import extract
    from migkg.ingest import iter_release_paths, read_release_file
    from migkg.reference import load

    dicts = load()
    releases = []
    for root in paths:
        files = list(iter_release_paths([root]))
        releases += [r for p in (files[:first] if first else files) for r in read_release_file(p)]

    def forget() -> None:
        for value in vars(dicts).values():
            found = getattr(value, "__dict__", {}).get("_found")
            if found is not None:
                found.clear()

    for r in releases:  # warm: profiles, patterns
        extract(r, dicts)
    out = []
    for _ in range(passes):
        forget()
        t = time.process_time()
        for r in releases:
            extract(r, dicts)
        out.append((time.process_time() - t) * 1000 / len(releases))
    print(json.dumps({"releases": len(releases), "ms": out}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--tree", action="append", default=[], help="a source tree (its src folder); give two or more")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--first", type=int, default=None, help="the first N releases of each path only")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.paths, args.first, args.passes)
        return
    for r in range(args.rounds):
        for tree in args.tree:
            load = os.getloadavg()[0]
            env = {**os.environ, "PYTHONPATH": tree, "PYTHONHASHSEED": "0"}
            cmd = [sys.executable, __file__, "--child", "--passes", str(args.passes), *args.paths]
            if args.first:
                cmd += ["--first", str(args.first)]
            got = json.loads(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout)
            ms = " / ".join(f"{x:.2f}" for x in got["ms"])
            print(f"round {r + 1}  {tree}: {got['releases']} releases, CPU ms a release {ms}  "
                  f"(load {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
