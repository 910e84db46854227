"""`migkg docs`: the HTML page lists every class, property (with alignments) and shape (with message)."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from migkg.cli import main
from migkg.docs import SH, load_ontology, render_docs

MKG = "https://w3id.org/migkg/ontology#"


class _Sections(HTMLParser):
    """Text of every <section id=…>, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self._stack: list[str | None] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "section":
            self._stack.append(a.get("id"))
            if a.get("id"):
                self.sections[a["id"] or ""] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        for sid in self._stack:
            if sid:
                self.sections[sid].append(data)


def _parse(page: str) -> _Sections:
    p = _Sections()
    p.feed(page)
    return p


def _text(p: _Sections, sid: str) -> str:
    return " ".join("".join(p.sections[sid]).split())


def test_docs_list_every_class_property_and_shape(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["docs", "--out", str(tmp_path / "site")])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "migkg.ttl").is_file() and (tmp_path / "site" / "context.jsonld").is_file()
    p = _parse(page)
    onto, shapes = load_ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [s for k in kinds for s in onto.subjects(RDF.type, k) if str(s).startswith(MKG)]
    assert len(terms) >= 50
    for t in terms:
        local = str(t)[len(MKG):]
        assert local in p.sections, f"no section for mkg:{local}"
        text = _text(p, local)
        assert str(t) in text
        label = onto.value(t, RDFS.label)
        assert label is None or str(label) in text
        for rel in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
            for target in onto.objects(t, rel):
                qname = onto.namespace_manager.normalizeUri(target)
                assert qname in text or str(target) in text, f"mkg:{local}: {rel} {target} not shown"
    node_shapes = list(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) == 16  # S01-S13, and S14-S16 for names in time, series order and ancestry
    for s in node_shapes:
        sid = str(s).rsplit("#", 1)[1]
        assert sid in p.sections, f"no section for shape {sid}"
        for message in shapes.objects(s, SH.message):
            assert " ".join(str(message).split()) in _text(p, sid)


def test_alignment_targets_link_out() -> None:
    onto, shapes = load_ontology()
    p = _parse(render_docs(onto, shapes))
    assert "https://schema.org/Event" in p.hrefs
    assert "http://www.w3.org/ns/org#subOrganizationOf" in p.hrefs
    assert "#Event" in p.hrefs  # our own terms link within the page


def test_values_are_escaped() -> None:
    onto, shapes = load_ontology()
    evil = URIRef(MKG + "Evil")
    onto.add((evil, RDF.type, OWL.Class))
    onto.add((evil, RDFS.comment, Literal("<script>alert(1)</script> & more")))
    page = render_docs(onto, Graph() + shapes)
    assert "<script>alert(1)</script>" not in page
    assert html.escape("<script>alert(1)</script> & more") in page
