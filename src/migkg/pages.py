"""HTML and RDF descriptions of one node of the store, for ``migkg serve``'s dereferenceable IRIs.

A node's description is its Concise Bounded Description taken from every graph: the quads whose
subject is the node, followed through blank nodes. The HTML page merges the statements across graphs
(each once, with the graphs stating it; its types once), and adds, through the library's saved
queries, the sentence and release behind every fact about the node (``explain``, as subject or
object) and the releases that speak of it (``node-releases``), then the statements that point at it
(evidence records left out: their sentences are shown instead). IRIs under
``https://w3id.org/migkg/id/`` are linked to this server's ``/id/…`` paths.
"""

from __future__ import annotations

import html
from collections import defaultdict
from itertools import islice
from typing import Any

from rdflib import BNode, Literal, URIRef

from migkg.docs import page, template
from migkg.store import EmbeddedStore, Quad
from migkg.vocab import DCTERMS, ID, ONTOLOGY, RDF, SKOS

PREF_LABEL = SKOS.prefLabel
TITLE = DCTERMS.title
RDF_TYPE = RDF.type
RDF_SUBJECT = RDF.subject
RDF_OBJECT = RDF.object
RELEASE_GRAPHS, RELEASES = str(ID) + "graph/release/", str(ID) + "release/"
ISSUED = DCTERMS.issued
INCOMING_LIMIT = 200
NAV = ('<a href="/entities">entities</a><a href="/queries">saved queries</a><a href="/">SPARQL</a>'
       '<a href="/ontology">ontology</a>')
PREFIXES = {
    "https://w3id.org/migkg/ontology#": "mkg:",
    "https://w3id.org/migkg/id/": "id:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.wikidata.org/entity/": "wd:",
}
DOC_FORMATS = (
    ("ttl", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("nt", "N-Triples"),
    ("rdf", "RDF/XML"),
    ("trig", "TriG (with graphs)"),
    ("nq", "N-Quads (with graphs)"),
)


def local_path(iri: str) -> str | None:
    """This server's path for one of our IRIs (``/id/…``, ``/ontology#…``), else None."""
    if iri.startswith(str(ID)):
        return "/id/" + iri[len(str(ID)) :]
    if iri == ONTOLOGY or iri.startswith(ONTOLOGY + "#"):
        return "/ontology" + iri[len(ONTOLOGY) :]
    return None


def exists(store: EmbeddedStore, node: URIRef) -> bool:
    """Whether the store says anything about ``node`` (as subject or object) or has a graph named so."""
    return store.mentions(node)


def description(store: EmbeddedStore, node: URIRef) -> list[Quad]:
    """The node's CBD from every graph; for a graph name without statements about it, the graph itself."""
    out: list[Quad] = []
    todo: list[Any] = [node]
    seen: set[Any] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for q in store.named_quads(subject):  # from every graph that states it, not the merge
            out.append(q)
            if isinstance(q.object, BNode):
                todo.append(q.object)
    if not out and store.has_graph(node):
        out = list(store.quads(node))
    return out


def _short(iri: str) -> str:
    for ns, prefix in PREFIXES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


def _label(store: EmbeddedStore, node: Any) -> str | None:
    """The English (else any) preferred label or title of a node."""
    found: dict[str, str] = {}
    for pred in (PREF_LABEL, TITLE):
        for _, _, o in store.facts(node, pred):
            if isinstance(o, Literal):
                found.setdefault(o.language or "", str(o))
    return found.get("en") or found.get("") or next(iter(found.values()), None)


def link_target(iri: str) -> str | None:
    """Where a link to ``iri`` may point: this server's path for our IRIs, the IRI itself when it is
    http(s), else None (``javascript:``, ``data:`` and other schemes are shown as text, never linked)."""
    local = local_path(iri)
    if local is not None:
        return local
    return iri if iri.lower().startswith(("http://", "https://")) else None


def _term_html(store: EmbeddedStore, term: Any, labels: bool = True) -> str:
    if isinstance(term, URIRef):
        iri = str(term)
        href = link_target(iri)
        text = (_label(store, term) if labels else None) or _short(iri)
        if href is None:
            return f'<span class="iri" title="{html.escape(iri)}">{html.escape(text)}</span>'
        return f'<a href="{html.escape(href)}" title="{html.escape(iri)}">{html.escape(text)}</a>'
    if isinstance(term, Literal):
        lang = f' <span class="lang">@{html.escape(term.language)}</span>' if term.language else ""
        return html.escape(str(term)) + lang
    return html.escape(_ox_style(term))


def _ox_style(term: Any) -> str:
    """A blank node as pyoxigraph (and N-Triples) writes it: ``_:id``."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _graph_html(graph: Any) -> str:
    if isinstance(graph, URIRef):
        href = link_target(str(graph))
        if href is None:
            return html.escape(_short(str(graph)))
        return f'<a href="{html.escape(href)}">{html.escape(_short(str(graph)))}</a>'
    return "default graph"


def render(store: EmbeddedStore, node: URIRef, doc_path: str) -> str:
    """The HTML page of a node: its statements with their graphs, incoming links, evidence."""
    quads = description(store, node)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for q in quads:
        if q.subject != node:
            continue
        key = (_term_html(store, q.predicate, labels=False), _term_html(store, q.object))
        grouped[key].append(_graph_html(q.graph_name))
    rows = "\n".join(f"<tr><td>{p}</td><td>{o}</td><td>{_stated_in(g)}</td></tr>"
                     for (p, o), g in sorted(grouped.items()))
    incoming = [t for t in islice(store.facts(None, None, node), INCOMING_LIMIT + 1)
                if t[1] not in (RDF_SUBJECT, RDF_OBJECT)]  # evidence records: shown as sentences
    inc_html = ""
    if incoming:
        shown = sorted(
            {
                (_term_html(store, s), _term_html(store, p, labels=False))
                for s, p, _ in incoming[:INCOMING_LIMIT]
            }
        )
        more = "<p>… and more: ask the SPARQL endpoint.</p>" if len(incoming) > INCOMING_LIMIT else ""
        inc_html = (
            "<h2>Referenced by</h2><table><tr><th>node</th><th>property</th></tr>"
            + "".join(f"<tr><td>{s}</td><td>{p}</td></tr>" for s, p in shown)
            + "</table>"
            + more
        )
    evidence = _evidence(store, node) + _releases(store, node)
    types = ", ".join(sorted({_term_html(store, o, labels=False) for _, _, o in store.facts(node, RDF_TYPE)}))
    formats = " ".join(f'<a href="{html.escape(doc_path)}.{ext}">{name}</a>' for ext, name in DOC_FORMATS)
    body = template("resource.html").substitute(
        iri=html.escape(str(node)),
        types=types or "(no type)",
        formats=formats,
        rows=rows,
        incoming=inc_html,
        evidence=evidence,
    )
    alternates = "\n".join(
        f'<link rel="alternate" href="{html.escape(doc_path)}.{ext}" type="{t}">'
        for ext, t in (
            ("ttl", "text/turtle"),
            ("jsonld", "application/ld+json"),
            ("nt", "application/n-triples"),
        )
    )
    title = _label(store, node) or _short(str(node))
    return page(title, body, nav=NAV, head=alternates)


def _stated_in(graphs: list[str]) -> str:
    """The graphs stating a statement; more than three folded under a count (one per release adds up)."""
    names = sorted(set(graphs))
    if len(names) <= 3:
        return ", ".join(names)
    return f"<details><summary>{len(names)} graphs</summary>{', '.join(names)}</details>"


def _node_html(store: EmbeddedStore, term: Any) -> str:
    """An rdflib result term as page HTML (labelled links for our IRIs)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _term_html(store, term)
    return html.escape(str(term))


def _evidence(store: EmbeddedStore, node: URIRef) -> str:
    """Every fact about the node (as subject or object) with the sentence it was read from and its
    release (the saved query ``explain``)."""
    from migkg.query import explain_node

    rows = explain_node(store, str(node)).rows[:INCOMING_LIMIT]
    if not rows:
        return ""
    cells = [
        "<tr><td>" + _node_html(store, s) + "</td><td>" + _term_html(store, URIRef(str(p)), labels=False)
        + "</td><td>" + _node_html(store, o) + '</td><td class="quote">' + html.escape(str(quote))
        + "</td><td>" + _node_html(store, release) + "</td></tr>"
        for _, s, p, o, release, quote, *_ in rows
    ]
    return ('<h2 id="evidence">Evidence</h2><p>Each fact about this node with the sentence it was read from '
            'and the release that says it.</p><table class="evidence"><tr><th>subject</th><th>property</th>'
            "<th>value</th><th>sentence</th><th>release</th></tr>" + "".join(cells) + "</table>")


def _stating_releases(store: EmbeddedStore, node: URIRef) -> list[tuple[object, ...]]:
    """For a node no release names (a place, a series): the releases whose graphs state something about
    it, as rows of ``node-releases`` (node, release, title, published), by date then release. A release's
    graph is ``id:graph/release/KEY``, the release ``id:release/KEY`` (the IRI policy)."""
    graphs = {str(q[3]) for q in store.named_quads(subject=node)} | {str(q[3]) for q in store.named_quads(obj=node)}
    rows = []
    for g in graphs:
        if g.startswith(RELEASE_GRAPHS):
            release = URIRef(RELEASES + g[len(RELEASE_GRAPHS):])
            rows.append((node, release, store.value(release, TITLE), store.value(release, ISSUED)))
    return sorted(rows, key=lambda r: (str(r[3] or ""), str(r[1])))


def _releases(store: EmbeddedStore, node: URIRef) -> str:
    """The releases that name the node (the saved query ``node-releases``), else those whose graphs state it."""
    from migkg.query import run_query

    rows = run_query(store, "node-releases", {"node": str(node)}).rows or _stating_releases(store, node)
    if not rows:
        return ""
    items = "".join(f"<li>{_node_html(store, release)}" + (f" ({html.escape(str(published))})" if published else "")
                    + "</li>" for _, release, _title, published in rows)
    return f'<h2 id="releases">Releases</h2><p>{len(rows)} release(s) speak of it.</p><ul class="releases">{items}</ul>'
