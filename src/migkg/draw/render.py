"""Files from a projected graph: GraphML, GEXF, node-link JSON, PNG/SVG images and the timeline.

The suffix of the output path picks the writer (:data:`WRITERS`); the HTML page lives in
:mod:`migkg.draw.page`. Images use matplotlib's Agg backend (the ``draw`` extra).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from migkg.draw import graphml
from migkg.draw.layout import layout
from migkg.draw.page import write_page
from migkg.errors import MigkgError

KIND_COLOURS = {"organization": "#1f77b4", "country": "#2ca02c", "programme": "#ff7f0e", "event": "#9467bd",
                "series": "#8c564b"}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")


def _clean(g: nx.Graph) -> nx.Graph:
    """A copy without None values (GraphML and GEXF hold only scalars)."""
    h = g.copy()
    for _n, d in h.nodes(data=True):
        for k in [k for k, v in d.items() if v is None]:
            del d[k]
    for _a, _b, d in h.edges(data=True):
        for k in [k for k, v in d.items() if v is None]:
            del d[k]
    for k in [k for k, v in h.graph.items() if v is None]:
        del h.graph[k]
    return h


def write_graphml(g: nx.Graph, out: Path) -> None:
    graphml.write_graphml(g, out)  # networkx's bytes (None values left out), written 4x faster


def write_gexf(g: nx.Graph, out: Path) -> None:
    nx.write_gexf(_clean(g), out)


def write_json(g: nx.Graph, out: Path) -> None:
    data = nx.node_link_data(g, edges="edges")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise MigkgError("PNG and SVG drawings need matplotlib", "pip install 'migkg[draw]'") from e
    return plt


def node_colours(g: nx.Graph) -> list[str]:
    """Colour by kind when the graph mixes kinds, else by community."""
    kinds = {d.get("kind") for _n, d in g.nodes(data=True)}
    if len(kinds) > 1:
        return [KIND_COLOURS.get(d.get("kind", ""), "#7f7f7f") for _n, d in g.nodes(data=True)]
    return [PALETTE[int(d.get("community", 0)) % len(PALETTE)] for _n, d in g.nodes(data=True)]


def write_image(g: nx.Graph, out: Path, labels: int = 40) -> dict[str, list[Any]]:
    """A static drawing: nodes sized by weighted degree, coloured by kind or community, a legend, and
    labels for the top nodes (every node of a small graph) placed where they overlap no other label.

    Returns what was drawn: ``labels`` (text and its box in pixels) and ``legend`` (entry texts)."""
    plt = _pyplot()
    pos = layout(g)
    fig, ax = plt.subplots(figsize=(14, 10), dpi=110)
    ax.set_axis_off()
    ax.set_title(f"{g.graph.get('kind', 'graph')}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
                 + (f" ({g.graph['filters']})" if g.graph.get("filters") else ""))
    drawn: dict[str, list[Any]] = {"labels": [], "legend": []}
    if g.number_of_nodes():
        sizes = [20 + 12 * min(float(d.get("weighted_degree", 0)), 60.0) for _n, d in g.nodes(data=True)]
        widths = [0.4 + 0.3 * min(float(d.get("weight", 1)), 10.0) for _a, _b, d in g.edges(data=True)]
        arrows = {"arrows": True, "arrowsize": 8} if g.is_directed() else {"arrows": False}
        nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.35, edge_color="#888888", **arrows)
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=sizes, node_color=node_colours(g), alpha=0.9,
                               linewidths=0.5, edgecolors="#333333")
        drawn["legend"] = _legend(g, ax, labels)
        top = sorted(g.nodes(data=True), key=lambda nd: (-float(nd[1].get("weighted_degree", 0)), str(nd[0])))
        wanted = top if g.number_of_nodes() <= 60 else top[:labels]
        drawn["labels"] = _place_labels(fig, ax, pos, [(n, _short(d.get("acronym") or d.get("label", str(n))))
                                                          for n, d in wanted])
    fig.savefig(out, format=out.suffix.lstrip("."))
    plt.close(fig)
    return drawn


def _legend(g: nx.Graph, ax: Any, labels: int) -> list[str]:
    """Colours (kinds, or the largest communities), and what size and labels mean."""
    from matplotlib.lines import Line2D

    kinds = sorted({str(d.get("kind", "")) for _n, d in g.nodes(data=True)})
    if len(kinds) > 1:
        handles = [Line2D([], [], marker="o", linestyle="", color=KIND_COLOURS.get(k, "#7f7f7f"), label=k)
                   for k in kinds]
    else:
        sizes: dict[int, int] = {}
        for _n, d in g.nodes(data=True):
            c = int(d.get("community", 0))
            sizes[c] = sizes.get(c, 0) + 1
        handles = [Line2D([], [], marker="o", linestyle="", color=PALETTE[c % len(PALETTE)],
                          label=f"community {c} ({n} {kinds[0] or 'node'}s)")
                   for c, n in sorted(sizes.items())[:8]]
    shown = "every node" if g.number_of_nodes() <= 60 else f"the top {labels} by weighted degree, where they fit"
    handles.append(Line2D([], [], linestyle="", label=f"size: weighted degree; labels: {shown}"))
    legend = ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    return [t.get_text() for t in legend.get_texts()]


def _place_labels(fig: Any, ax: Any, pos: dict[Any, tuple[float, float]],
                  wanted: list[tuple[Any, str]]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Put each label beside its node (right, left, above, below) where it overlaps neither the legend
    nor a label placed before it (the list is in order of importance); one that fits nowhere is left out."""
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    placed: list[Any] = [legend.get_window_extent(renderer)] if legend is not None else []
    out = []
    offsets = ((6, 0, "left", "center"), (-6, 0, "right", "center"), (0, 7, "center", "bottom"),
               (0, -7, "center", "top"))
    for node, text in wanted:
        x, y = pos[node]
        for dx, dy, ha, va in offsets:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=7,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
            box = t.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                out.append((text, (box.x0, box.y0, box.x1, box.y1)))
                break
            t.remove()
    return out


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def write_timeline(rows: Sequence[tuple[str, str, str]], out: Path, title: str = "") -> None:
    """Meetings per series / programme: one row per group, one dot per event on a date axis."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise MigkgError(f"{out}: the timeline is an image; use a .png or .svg file")
    plt = _pyplot()
    groups = sorted({r[0] for r in rows}, key=lambda s: (s.startswith("("), s))
    index = {grp: i for i, grp in enumerate(groups)}
    fig, ax = plt.subplots(figsize=(12, max(3.0, 0.35 * len(groups) + 1.5)), dpi=110)
    xs = [_day(r[2]) for r in rows]
    ys = [index[r[0]] for r in rows]
    colours = [PALETTE[index[r[0]] % len(PALETTE)] for r in rows]
    ax.scatter(xs, ys, c=colours, s=36, zorder=3)
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([_short(grp, 70) for grp in groups], fontsize=7)
    ax.set_ylim(-0.7, len(groups) - 0.3)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"Events per series and programme ({len({r[1] for r in rows})} events)")
    fig.tight_layout()
    fig.savefig(out, format=out.suffix.lstrip(".").lower())
    plt.close(fig)


def _day(value: str) -> date:
    """A date from an xsd:date, xsd:gYearMonth or xsd:gYear value (the first day of the month or year)."""
    parts = (value[:10].split("-") + ["1", "1"])[:3]
    return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))


WRITERS: dict[str, Callable[[nx.Graph, Path], object]] = {
    ".graphml": write_graphml,
    ".gexf": write_gexf,
    ".json": write_json,
    ".html": write_page,
    ".png": write_image,
    ".svg": write_image,
}


def write_graph(g: nx.Graph, out: Path) -> None:
    """Write ``g`` in the format named by ``out``'s suffix."""
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise MigkgError(f"{out}: unknown drawing format {out.suffix or '(no suffix)'!r}",
                         f"use one of {', '.join(WRITERS)}")
    from migkg.files import atomic_path

    with atomic_path(out) as tmp:
        try:
            writer(g, tmp)
        except graphml.Unwritable as e:
            raise MigkgError(f"{out}: {e}", "XML 1.0 has no such character; remove it from the release") from e
