"""Regenerate the predicate cheat-sheet in ontology/README.md from the ontology, examples from the seed.

    .venv/bin/python tools/gen_cheatsheet.py

tests/test_cheatsheet.py fails when the section is not what this writes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from migkg.cheatsheet import cheatsheet, replace_section
from migkg.pipeline import build_store
from migkg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "ontology" / "README.md"
SEED = ROOT / "data" / "releases" / "iom-bih-2019-05-22-border-police-meeting.txt"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "store") as store:
        summary = build_store([SEED], store, jobs=1)
        if not summary.ok:
            raise SystemExit("\n".join(f.line() for f in summary.failures))
        section = cheatsheet(store)
    README.write_text(replace_section(README.read_text(encoding="utf-8"), section), encoding="utf-8")
    print(f"wrote the cheat-sheet ({section.count(chr(10)) + 1} lines) into {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
