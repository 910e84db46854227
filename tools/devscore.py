#!/usr/bin/env python3
"""Score extraction in-process, fast: the same comparison as ``kgscore.py``, without a store on disk.

Each release is read, extracted and built in this process, loaded into an in-memory Oxigraph store
with the reference graph, and the contract queries run on it; the rows go to the scoring function
of the scorer named by ``--scorer`` (default ``../shared/tools/kgscore.py`` beside the checkout).
A few seconds for the 75 dev releases instead of a minute and a half, for iterating on rules.
``kgscore.py`` stays the measure that counts; this one must agree with it.

Each release graph is validated against the shapes (as ``migkg build`` does; a release they reject
fails, as it would in ``kgscore.py``); ``--no-validate`` skips that for quick iterations.

usage: devscore.py [--scorer FILE] [--explain] [--no-validate] [--first-language LANG] [--json OUT] TEXT_DIR GOLD...
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from migkg import build as _build
from migkg.extract import extract
from migkg.ingest import read_release_file
from migkg.query import run_query
from migkg.reference import load
from migkg.store import EmbeddedStore, graph_quads
from migkg.validate import validate

ROOT = Path(__file__).resolve().parent.parent


class _MemoryStore(EmbeddedStore):
    """The embedded store's interface over an in-memory Oxigraph store, for :func:`migkg.query.run_query`."""

    def __init__(self, base: list[ox.Quad]) -> None:  # not super().__init__: that opens a folder
        self.path = Path("(memory)")
        self.read_only = False
        self._writes = 0
        self._ox = ox.Store()
        self._ox.extend(base)
        self.merged = False  # no merge in the default graph: queries run over the union of the named graphs
        self.ox = self._ox


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("kgscore", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: {path}: cannot load the scorer")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(store: _MemoryStore, name: str) -> list[dict]:
    res = run_query(store, name)  # type: ignore[arg-type]
    out = []
    for row in res.rows:
        out.append({v: (str(t) if t is not None else None) for v, t in zip(res.variables, row, strict=True)
                    if t is not None})
    return out


def predicted(text: Path, base: list[ox.Quad], queries: list[str], dicts,  # type: ignore[no-untyped-def]
              check: bool = True) -> dict:
    """The contract queries' rows for one release; with ``check``, a graph that the shapes reject fails
    the release, as ``migkg build`` (and so ``kgscore.py``) would."""
    store = _MemoryStore(base)
    for r in read_release_file(str(text)):
        ex = extract(r, dicts)
        g = _build.build_graph(ex, dicts)
        if check:
            report = validate(g)
            if not report.conforms:
                first = report.violations[0] if report.violations else None
                why = f"{first.message} [{first.shape_id}]" if first else ""
                raise ValueError(f"validate failed: {why}")
        store.ox.extend(list(graph_quads(g, _build.release_graph_iri(r.key))))
    return {q: _rows(store, q) for q in queries}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "tools" / "kgscore.py")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--first-language")
    ap.add_argument("--not-first-language")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-validate", action="store_true", help="skip SHACL validation (faster; kgscore validates)")
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("gold", nargs="+", type=Path)
    a = ap.parse_args()
    if not a.scorer.is_file():
        raise SystemExit(f"error: {a.scorer}: scorer not found; pass --scorer")
    ks = _scorer(a.scorer)
    dicts = load()
    ref = _build.reference_graph(dicts)
    base = list(graph_quads(ref, _build.REFERENCE_GRAPH)) + list(
        graph_quads(_build.ontology_graph(), _build.ONTOLOGY_GRAPH))
    files = sorted(f for g in a.gold for f in (g.glob("*.json") if g.is_dir() else [g]))
    tallies = {k: ks.Tally() for k in ks.KINDS}
    explain: list[str] = []
    t0 = time.perf_counter()
    n = failed = 0
    for f in files:
        gold = json.loads(f.read_text(encoding="utf-8"))
        gold.setdefault("id", f.stem)
        first = (gold.get("languages") or [None])[0]
        if a.first_language and first != a.first_language:
            continue
        if a.not_first_language and first == a.not_first_language:
            continue
        n += 1
        text = a.text_dir / gold.get("text", f"{gold['id']}.txt")
        try:
            pred = predicted(text, base, ks.QUERIES, dicts, check=not a.no_validate)
        except Exception as e:  # report and go on, as kgscore does
            failed += 1
            explain.append(f"{gold['id']}  FAILED                 {type(e).__name__}: {e}")
            pred = {q: [] for q in ks.QUERIES}
        ks.score_release(gold, pred, tallies, explain)
    if a.explain:
        print("\n".join(explain))
        print()
    print(f"{'fact':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    result: dict = {"releases": n, "failed": failed, "scores": {}}
    tot = ks.Tally()
    for k, t in tallies.items():
        p, r, f1 = t.prf()
        tot.add(t.tp, t.fp, t.fn)
        result["scores"][k] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "tp": t.tp, "fp": t.fp,
                               "fn": t.fn}
        print(f"{k:<22} {p:6.3f} {r:6.3f} {f1:6.3f} {t.tp:5d} {t.fp:5d} {t.fn:5d}")
    p, r, f1 = tot.prf()
    result["micro"] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
    print(f"{'ALL (micro)':<22} {p:6.3f} {r:6.3f} {f1:6.3f} {tot.tp:5d} {tot.fp:5d} {tot.fn:5d}")
    print(f"releases: {n}  failed: {failed}  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    if a.json:
        a.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
