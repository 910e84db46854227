"""Regenerate the MKG namespace class in src/migkg/vocab.py from ontology/migkg.ttl.

usage: python tools/gen_vocab.py [--check]   (--check exits 1 when vocab.py is out of date)
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

ROOT = Path(__file__).resolve().parents[1]
NS = "https://w3id.org/migkg/ontology#"
BEGIN = "# --- generated: begin (tools/gen_vocab.py) ---\n"
END = "# --- generated: end ---\n"


def render(ontology: Path = ROOT / "ontology" / "migkg.ttl") -> str:
    g = Graph().parse(ontology, format="turtle")

    def terms(*types: object) -> list[str]:
        found = {str(s)[len(NS):] for t in types for s in g.subjects(RDF.type, t) if str(s).startswith(NS)}
        return sorted(found, key=lambda n: (n.lower(), n))

    classes = terms(OWL.Class)
    props = terms(OWL.ObjectProperty, OWL.DatatypeProperty)
    lines = [BEGIN, "class MKG(DefinedNamespace):\n",
             '    """Terms of the migkg ontology (https://w3id.org/migkg/ontology#)."""\n\n',
             '    _NS = Namespace("https://w3id.org/migkg/ontology#")\n', "    _fail = True\n\n",
             "    # classes\n"]
    lines += [f"    {c}: object\n" for c in classes]
    lines += ["\n", "    # properties\n"]
    lines += [f"    {p}: object\n" for p in props]
    lines.append(END)
    return "".join(lines)


def main() -> int:
    target = ROOT / "src" / "migkg" / "vocab.py"
    text = target.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + render() + tail
    if "--check" in sys.argv:
        return 0 if new == text else 1
    target.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
