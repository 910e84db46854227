"""Validation reports of the code on ``PYTHONPATH``, for comparing two versions of ``migkg.validate``.

Run once with each version's ``src`` first on ``PYTHONPATH`` (``--out`` a file each), then ``--compare`` the
two files: for every graph, ``conforms`` and the set of (focus, shape ID, path, message) must be equal.

Cases: every example of ``tests/shapes`` alone, and in a batch of two with a release; all examples in one
batch, and reversed; the examples shuffled among 64 releases in batches of 16; the releases of each corpus
given (folders of release files) in batches of 32.

    python bench/validate_reports.py --out new.pickle data/releases corpus-10k ...
    python bench/validate_reports.py --compare anchor.pickle new.pickle
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from pathlib import Path
from typing import Any

from rdflib import Graph

SHAPES = Path(__file__).resolve().parent.parent / "tests" / "shapes"


def _canon(report: Any) -> tuple[bool, frozenset[tuple[str, str, str | None, str]]]:
    """conforms and the set of (focus, shape ID, path, message); a path that is a blank node (a sequence path's
    list, whose label rdflib draws anew in each process) as ``_:path``."""
    return report.conforms, frozenset((v.focus, v.shape_id, v.path if v.path is None or ":" in v.path else "_:path",
                                       v.message) for v in report.violations)


def _batches(graphs: list[Any], size: int) -> list[Any]:
    from migkg.validate import validate_many

    return [_canon(r) for i in range(0, len(graphs), size) for r in validate_many(graphs[i:i + size])]


def _releases(folder: str, limit: int | None) -> list[Any]:
    from migkg.ingest import DEFAULT_MAX_BYTES, iter_release_paths
    from migkg.pipeline import _prepare

    files = [str(p) for p in iter_release_paths([folder])][:limit]
    return [b.graph for f in files for b in _prepare(f, None, DEFAULT_MAX_BYTES, {}) if b.graph is not None]


def reports(corpora: list[str], limit: int | None) -> dict[str, list[Any]]:
    from migkg.validate import validate_many

    examples = [set(Graph().parse(p, format="turtle")) for p in sorted(SHAPES.glob("S*.ttl"))]
    corpus = {c: _releases(c, limit) for c in corpora}
    releases = [g for gs in corpus.values() for g in gs]
    out = {
        "examples alone": [_canon(validate_many([g])[0]) for g in examples],
        "examples beside a release": [_canon(validate_many([g, releases[0]])[0]) for g in examples],
        "examples in one batch": [_canon(r) for r in validate_many(examples)],
        "examples in one batch, reversed": [_canon(r) for r in validate_many(examples[::-1])],
    }
    mixed = examples + releases[:64]
    random.Random(12).shuffle(mixed)
    out["examples among 64 releases, batches of 16"] = _batches(mixed, 16)
    for c, graphs in corpus.items():
        out[f"{Path(c).name}, batches of 32"] = _batches(graphs, 32)
    return out


def compare(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> int:
    bad = 0
    for case in a:
        ra, rb = a[case], b.get(case, [])
        differ = [i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y]
        failing = sum(1 for conforms, _ in ra if not conforms)
        ok = len(ra) == len(rb) and not differ
        bad += not ok
        print(f"{'same' if ok else 'DIFFER'}: {case}: {len(ra)} reports, {failing} failing"
              + ("" if ok else f"; differ at {differ[:10]} (lengths {len(ra)}, {len(rb)})"))
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--limit", type=int, default=1000, help="releases a corpus at most")
    ap.add_argument("--compare", nargs=2, type=Path)
    a = ap.parse_args()
    if a.compare:
        sys.exit(compare(*(pickle.loads(p.read_bytes()) for p in a.compare)))
    a.out.write_bytes(pickle.dumps(reports(a.corpora, a.limit)))


if __name__ == "__main__":
    main()
