"""Regenerate tests/expected/<query>.json: every top-level saved query over data/releases.

    .venv/bin/python tools/gen_expected_rows.py

Parameters come from tests/expected/params.json. Run after a change to the extraction rules or the
queries, and review the diff: the files are the expected rows tests/test_saved_queries.py checks.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from migkg.pipeline import build_store
from migkg.query import run_query, saved_queries, to_json
from migkg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected"


def main() -> None:
    params = json.loads((EXPECTED / "params.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "store") as store:
        summary = build_store([ROOT / "data" / "releases"], store, jobs=1)
        if not summary.ok:
            raise SystemExit("\n".join(f.line() for f in summary.failures))
        for q in saved_queries():
            if "/" in q.name:
                continue
            result = run_query(store, q.name, params.get(q.name, {}))
            (EXPECTED / f"{q.name}.json").write_text(to_json(result) + "\n", encoding="utf-8")
            print(f"{q.name}: {len(result.rows)} rows")


if __name__ == "__main__":
    main()
