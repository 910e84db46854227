"""Ontology documentation: one HTML page generated from ``ontology/migkg.ttl`` and ``ontology/shapes.ttl``.

Every class and property with its label, comment, alignments (``rdfs:subClassOf`` /
``rdfs:subPropertyOf`` targets), domain and range; every SHACL shape with its ID, target, message and
constraints. The page shell and style are templates under ``migkg/templates/``; values are
HTML-escaped as they are written. ``migkg serve`` uses the same renderer for ``/ontology``.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from migkg import __version__
from migkg.files import write_bytes, write_text
from migkg.resources import resource
from migkg.vocab import DCTERMS, MKG, OWL, RDF, RDFS

SH = Namespace("http://www.w3.org/ns/shacl#")
TEMPLATES = Path(__file__).resolve().parent / "templates"
PUBLISHED = ("migkg.ttl", "shapes.ttl", "context.jsonld")
_MKG = str(MKG)


def template(name: str) -> Template:
    """A ``string.Template`` from ``migkg/templates/``."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def page(title: str, body: str, nav: str = "", home: str = "/", head: str = "") -> str:
    """The common page shell (``templates/page.html``) around an HTML ``body``."""
    return template("page.html").substitute(
        title=html.escape(title),
        heading=html.escape(title),
        body=body,
        nav=nav,
        home=html.escape(home),
        head=head,
        style=(TEMPLATES / "style.css").read_text(encoding="utf-8"),
        version=__version__,
    )


def load_ontology() -> tuple[Graph, Graph]:
    """The ontology and the shapes as rdflib graphs."""
    onto = Graph().parse(resource("ontology", "migkg.ttl"), format="turtle")
    shapes = Graph().parse(resource("ontology", "shapes.ttl"), format="turtle")
    return onto, shapes


def _e(text: object) -> str:
    return html.escape(str(text))


def _qname(g: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            short = g.namespace_manager.normalizeUri(node)
            return str(node) if short.startswith("<") else short
        except ValueError:
            return str(node)
    return str(node)


def _link(g: Graph, node: Node) -> str:
    """Our terms link to their section on the page; other IRIs link out."""
    if isinstance(node, URIRef):
        href = "#" + str(node)[len(_MKG) :] if str(node).startswith(_MKG) else str(node)
        return f'<a href="{_e(href)}"><code>{_e(_qname(g, node))}</code></a>'
    if isinstance(node, Literal):
        return f"<code>{_e(repr(str(node)) if isinstance(node.value, str) else node)}</code>"
    return "<code>[ ]</code>"


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    values = sorted(g.objects(node, prop), key=lambda v: (getattr(v, "language", "") != "en", str(v)))
    return _e(values[0]) if values else ""


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    return f"<table>{cells}</table>"


def _terms(onto: Graph, kinds: tuple[URIRef, ...]) -> list[URIRef]:
    found = {s for k in kinds for s in onto.subjects(RDF.type, k) if isinstance(s, URIRef)}
    return sorted((s for s in found if str(s).startswith(_MKG)), key=str)


def _term_section(onto: Graph, shapes: Graph, term: URIRef, kind: str) -> str:
    local = str(term)[len(_MKG) :]
    links = ", ".join
    rows = [
        ("IRI", f'<span class="iri">{_e(term)}</span>'),
        ("kind", kind),
        ("definition", _text(onto, term, RDFS.comment)),
    ]
    if kind == "class":
        rows.append(
            (
                "subclass of (alignment)",
                links(_link(onto, o) for o in sorted(onto.objects(term, RDFS.subClassOf))),
            )
        )
        rows.append(
            ("subclasses", links(_link(onto, s) for s in sorted(onto.subjects(RDFS.subClassOf, term))))
        )
        rows.append(
            (
                "shapes",
                links(
                    f'<a href="#{_e(_shape_id(s))}">{_e(_shape_id(s))}</a>'
                    for s in sorted(shapes.subjects(SH.targetClass, term))
                ),
            )
        )
    else:
        rows.append(
            (
                "subproperty of (alignment)",
                links(_link(onto, o) for o in sorted(onto.objects(term, RDFS.subPropertyOf))),
            )
        )
        rows.append(("domain", links(_link(onto, o) for o in sorted(onto.objects(term, RDFS.domain)))))
        rows.append(("range", links(_link(onto, o) for o in sorted(onto.objects(term, RDFS.range)))))
    label = _text(onto, term, RDFS.label) or _e(local)
    return (
        f'<section class="term" id="{_e(local)}"><h3>{label} <code>mkg:{_e(local)}</code></h3>'
        f"{_rows(rows)}</section>"
    )


def _shape_id(shape: Node) -> str:
    return str(shape).rsplit("#", 1)[-1]


def _constraint(shapes: Graph, node: Node) -> str:
    """One property shape or logical constraint as ``path: constraint value; …``."""
    parts = []
    for p, o in sorted(shapes.predicate_objects(node), key=lambda po: str(po[0])):
        if p == SH.path:
            continue
        if isinstance(o, BNode) and (o, RDF.first, None) in shapes:
            value = " | ".join(
                _constraint(shapes, m) if isinstance(m, BNode) else _link(shapes, m)
                for m in Collection(shapes, o)
            )
        elif isinstance(o, BNode):
            value = "[" + _constraint(shapes, o) + "]"
        else:
            value = _link(shapes, o)
        parts.append(f"{_e(_qname(shapes, p))} {value}")
    path = shapes.value(node, SH.path)
    head = f"{_link(shapes, path)}: " if path is not None else ""
    return head + "; ".join(parts)


def _shape_section(shapes: Graph, shape: URIRef) -> str:
    sid = _shape_id(shape)
    message = _text(shapes, shape, SH.message)
    props = [_constraint(shapes, p) for p in shapes.objects(shape, SH.property)]
    logic = [
        f"{_e(_qname(shapes, p))}: "
        + " | ".join(_constraint(shapes, m) for m in Collection(shapes, shapes.value(shape, p)))
        for p in (SH["or"], SH["and"], SH["xone"])
        if (shape, p, None) in shapes
    ]
    sparql = [_e(_text(shapes, c, SH.message)) for c in shapes.objects(shape, SH.sparql)]
    rows = [
        ("shape ID", f"<code>{_e(sid)}</code>"),
        ("IRI", f'<span class="iri">{_e(shape)}</span>'),
        ("targets", ", ".join(_link(shapes, t) for t in shapes.objects(shape, SH.targetClass))),
        ("message", f'<div class="message">{message}</div>'),
        (
            "property constraints",
            "<ul>" + "".join(f"<li>{p}</li>" for p in sorted(props)) + "</ul>" if props else "",
        ),
        ("node constraints", "<br>".join(logic)),
        ("SPARQL constraints", "<br>".join(sparql)),
    ]
    return f'<section class="term" id="{_e(sid)}"><h3>{_e(sid)}</h3>{_rows(rows)}</section>'


def render_docs(onto: Graph, shapes: Graph, home: str = "index.html", downloads: str = "") -> str:
    """The whole documentation page as HTML."""
    o = next(onto.subjects(RDF.type, OWL.Ontology))
    classes = _terms(onto, (OWL.Class,))
    objects = _terms(onto, (OWL.ObjectProperty,))
    datas = _terms(onto, (OWL.DatatypeProperty,))
    node_shapes = sorted(
        (s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str
    )
    index = "".join(
        f"<h3>{title}</h3><p>"
        + " · ".join(f'<a href="#{_e(str(t)[len(_MKG) :])}">{_e(str(t)[len(_MKG) :])}</a>' for t in terms)
        + "</p>"
        for title, terms in (
            ("Classes", classes),
            ("Object properties", objects),
            ("Datatype properties", datas),
        )
    )
    index += (
        "<h3>Shapes</h3><p>"
        + " · ".join(f'<a href="#{_e(_shape_id(s))}">{_e(_shape_id(s))}</a>' for s in node_shapes)
        + "</p>"
    )
    meta = _rows(
        [
            ("IRI", f'<span class="iri">{_e(o)}</span>'),
            ("namespace", f"<code>{_e(_MKG)}</code> (prefix <code>mkg:</code>)"),
            ("version", _e(onto.value(o, OWL.versionInfo) or "")),
            ("description", _text(onto, o, DCTERMS.description)),
            (
                "licence",
                _link(onto, onto.value(o, DCTERMS.license)) if onto.value(o, DCTERMS.license) else "",
            ),
            ("note", _text(onto, o, RDFS.comment)),
            ("files", downloads),
        ]
    )
    prefixes = "".join(
        f"<tr><td><code>{_e(p)}:</code></td><td><code>{_e(n)}</code></td></tr>"
        for p, n in sorted(onto.namespaces())
        if p and p in _SHOWN_PREFIXES
    )
    body = (
        meta
        + "<h2>Index</h2>"
        + index
        + '<h2 id="classes">Classes</h2>'
        + "".join(_term_section(onto, shapes, c, "class") for c in classes)
        + '<h2 id="object-properties">Object properties</h2>'
        + "".join(_term_section(onto, shapes, p, "object property") for p in objects)
        + '<h2 id="datatype-properties">Datatype properties</h2>'
        + "".join(_term_section(onto, shapes, p, "datatype property") for p in datas)
        + '<h2 id="shapes">SHACL shapes</h2>'
        + "".join(_shape_section(shapes, s) for s in node_shapes)
        + '<h2 id="prefixes">Prefixes</h2><table>'
        + prefixes
        + "</table>"
    )
    title = _text(onto, o, DCTERMS.title) or "migkg ontology"
    nav = (
        '<a href="#classes">classes</a><a href="#object-properties">properties</a>'
        '<a href="#shapes">shapes</a>'
    )
    return page(html.unescape(title), body, nav=nav, home=home)


_SHOWN_PREFIXES = {"mkg", "owl", "rdf", "rdfs", "xsd", "skos", "dcterms", "schema", "org", "prov", "vann"}


def write_docs(out_dir: str | Path) -> list[Path]:
    """Write ``index.html`` and copies of the ontology, shapes and JSON-LD context to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PUBLISHED:
        target = out / name
        write_bytes(target, resource("ontology", name).read_bytes())
        written.append(target)
    links = " · ".join(f'<a href="{n}">{n}</a>' for n in PUBLISHED)
    onto, shapes = load_ontology()
    index = out / "index.html"
    write_text(index, render_docs(onto, shapes, downloads=links))
    return [index, *written]
