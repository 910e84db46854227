"""Check: the same ``Extraction`` from two source trees, release for release.

usage:
    PYTHONHASHSEED=0 PYTHONPATH=<tree>/src python bench/extract_identical.py dump OUT.json PATH... [--first N]
    python bench/extract_identical.py compare A.json B.json

``dump`` extracts every release under the paths (each folder's releases in sorted order, the first ``--first``
of a folder when given) with the ``migkg`` first on ``PYTHONPATH`` and writes ``repr()`` of each ``Extraction``
(or of the error it raised); ``compare`` prints the releases whose reprs differ and exits 1 when any does.
Run both dumps with the same ``PYTHONHASHSEED``: the order of a few organizations depends on string hashing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _dump(out: Path, paths: list[str], first: int | None) -> None:
    from migkg.extract import extract
    from migkg.ingest import iter_release_paths, read_release_file
    from migkg.reference import load

    dicts = load()
    reprs: dict[str, str] = {}
    for root in paths:
        files = list(iter_release_paths([root]))
        for path in files[:first] if first else files:
            for i, release in enumerate(read_release_file(path)):
                try:
                    text = repr(extract(release, dicts))
                except Exception as e:  # noqa: BLE001 - an error is an output too, compared as such
                    text = f"{type(e).__name__}: {e}"
                reprs[f"{path}#{i}"] = text
    out.write_text(json.dumps(reprs), encoding="utf-8")
    print(f"{len(reprs)} releases -> {out}")


def _compare(a: Path, b: Path) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    for key in differ[:20]:
        print(f"differs: {key}")
    print(f"{len(old)} / {len(new)} releases, {len(differ)} differ")
    return 1 if differ else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("paths", nargs="+")
    d.add_argument("--first", type=int, default=None, help="the first N releases of each path only")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        _dump(args.out, args.paths, args.first)
    else:
        sys.exit(_compare(args.a, args.b))


if __name__ == "__main__":
    main()
