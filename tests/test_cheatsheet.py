"""The predicate cheat-sheet in ontology/README.md is what tools/gen_cheatsheet.py writes (seed examples)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from migkg.cheatsheet import BEGIN, END, cheatsheet
from migkg.store import open_store
from migkg.vocab import OWL, RDF
from paths import REPO


def test_cheat_sheet_is_current_and_covers_every_term(seed_store_dir: Path) -> None:
    text = (REPO / "ontology" / "README.md").read_text(encoding="utf-8")
    current = text[text.index(BEGIN):text.index(END) + len(END)]
    with open_store(seed_store_dir, read_only=True) as store:
        expected = cheatsheet(store)
    assert current == expected, "ontology/README.md cheat-sheet is stale: run tools/gen_cheatsheet.py"
    onto = Graph().parse(REPO / "ontology" / "migkg.ttl")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, kind):
            assert f"| `mkg:{str(term).rsplit('#', 1)[1]}` |" in current, term
    assert "`id:programme/" in current and "mkg:funder id:organization/" in current
