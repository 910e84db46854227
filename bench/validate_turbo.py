"""pyshacl-turbo against pySHACL, as migkg validates: equal reports first, then time (an option measured,
not adopted; pySHACL stays the validator).

1. Every example of ``tests/shapes`` (valid and invalid for each shape ID) through ``migkg.validate``
   with each engine: the reports (conforms, and each violation's shape ID, focus, path, message)
   must be equal.
2. The first N releases of a corpus, extracted and built once, validated in batches of 32 with
   ``validate_many`` by each engine (CPU time, each engine twice, alternating), reports compared
   release by release.

    pip install pyshacl-turbo      # not a dependency of migkg
    python bench/validate_turbo.py /tmp/corpus-10k --releases 320
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path
from typing import Any

from rdflib import Graph

from migkg import validate as v
from migkg.ingest import DEFAULT_MAX_BYTES
from migkg.pipeline import _prepare

SHAPES = Path(__file__).resolve().parent.parent / "tests" / "shapes"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _engines() -> dict[str, Any]:
    import pyshacl
    import pyshacl_turbo

    return {"pyshacl": pyshacl.validate, "turbo": pyshacl_turbo.validate}


def _with(engine: Any, fn: Any, *args: Any) -> Any:
    saved = v._pyshacl
    v._pyshacl = engine
    try:
        return fn(*args)
    finally:
        v._pyshacl = saved


def examples(engines: dict[str, Any]) -> dict[str, Any]:
    differ = []
    files = sorted(SHAPES.glob("S*.ttl"))
    for path in files:
        g = Graph().parse(path, format="turtle")
        reports = {name: _with(e, v.validate, g) for name, e in engines.items()}
        if len({repr(r) for r in reports.values()}) != 1:
            differ.append({"file": path.name, **{k: repr(r)[:400] for k, r in reports.items()}})
    return {"examples": len(files), "differ": differ}


def batches(corpus: Path, n: int, engines: dict[str, Any]) -> dict[str, Any]:
    files = sorted(str(p) for p in corpus.rglob("*.txt"))[:n]
    graphs = [b.graph for f in files for b in _prepare(f, None, DEFAULT_MAX_BYTES, {}) if b.graph is not None]
    chunks = [graphs[i:i + 32] for i in range(0, len(graphs), 32)]
    cpu: dict[str, list[float]] = {name: [] for name in engines}
    reports: dict[str, list[Any]] = {}
    for _ in range(2):
        for name, e in engines.items():
            t = _cpu()
            reports[name] = [r for c in chunks for r in _with(e, v.validate_many, c)]
            cpu[name].append(_cpu() - t)
    same = sum(1 for a, b in zip(reports["pyshacl"], reports["turbo"], strict=True) if a == b)
    return {"releases": len(graphs), "equal_reports": same,
            "ms_a_release": {k: [round(x / len(graphs) * 1000, 2) for x in xs] for k, xs in cpu.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--releases", type=int, default=320)
    a = ap.parse_args()
    engines = _engines()
    out = {"examples": examples(engines), "batches": batches(a.corpus, a.releases, engines)}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
