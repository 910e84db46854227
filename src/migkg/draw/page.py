"""The interactive page: one self-contained offline HTML file (template + own canvas renderer + data).

The layout is computed here (networkx spring layout, fixed seed), so the browser only draws. The
graph travels as JSON in a ``<script type="application/json">`` block with ``</`` escaped; the
page's Content-Security-Policy forbids every network request.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from migkg.draw.layout import layout

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_NODE_KEYS = ("label", "kind", "iri")


@cache
def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def page_data(g: nx.Graph) -> dict[str, Any]:
    """The page's data: nodes with positions and attributes, edges by node index, a release table."""
    pos = layout(g)
    index = {n: i for i, n in enumerate(g.nodes)}
    nodes = []
    for n, d in g.nodes(data=True):
        x, y = pos[n]
        attrs = {k: v for k, v in d.items() if k not in _NODE_KEYS and v is not None}
        nodes.append({"id": str(d.get("iri", n)), "label": str(d.get("label", n)), "kind": d.get("kind", ""),
                      "x": x, "y": y, "a": attrs})
    releases: dict[str, int] = {}
    events: dict[str, int] = {}
    edges = []
    for a, b, d in g.edges(data=True):
        rel = [releases.setdefault(r, len(releases)) for r in str(d.get("releases", "")).split()]
        evs = [events.setdefault(e, len(events)) for e in str(d.get("events", "")).split()]
        edges.append([index[a], index[b], d.get("weight", 1), d.get("years", ""), rel, evs,
                      d.get("relation", "")])
    meta = {"kind": g.graph.get("kind", ""), "directed": g.is_directed(),
            "filters": g.graph.get("filters", ""),
            "communities": g.graph.get("communities", 0),
            "approximations": g.graph.get("approximations", "")}
    return {"meta": meta, "nodes": nodes, "edges": edges, "releases": list(releases), "events": list(events)}


def embed_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</`` (so no ``</script>``) and no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def render_page(g: nx.Graph, title: str | None = None) -> str:
    """The whole page as a string."""
    script = _template("graph.js")
    if "</script" in script.lower():
        raise ValueError("graph.js must not contain '</script'")
    heading = title or f"migkg — {g.graph.get('kind', 'graph')} graph"
    parts = {"TITLE": html.escape(heading), "DATA": embed_json(page_data(g)), "SCRIPT": script}
    # one pass, so that inserted text is never scanned for placeholders again
    return re.sub(r"\{\{(TITLE|DATA|SCRIPT)\}\}", lambda m: parts[m.group(1)], _template("graph.html"))


def write_page(g: nx.Graph, out: Path, title: str | None = None) -> None:
    out.write_text(render_page(g, title), encoding="utf-8")
