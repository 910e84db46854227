"""Draw: store -> networkx projections (with metrics) -> GraphML / GEXF / JSON / HTML / PNG / SVG.

``draw(store, kind, out, filters)`` is the one public verb; ``graph_stats`` ranks the actors and
``draw_timeline`` plots events per series and programme. Kinds are listed in :data:`KINDS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from migkg.draw.metrics import add_metrics, top_actors
from migkg.draw.project import EVENT_TYPES, KINDS, Filters, fetch, node_info, project, timeline_rows
from migkg.draw.render import WRITERS, write_graph, write_timeline
from migkg.query import Queryable

__all__ = ["EVENT_TYPES", "KINDS", "WRITERS", "Filters", "actor_graph", "draw", "draw_timeline",
           "graph_stats"]


def actor_graph(store: Queryable, kind: str, filters: Filters | None = None) -> nx.Graph:
    """The projected graph of one kind, with its metrics as node attributes."""
    return add_metrics(project(store, kind, filters))


def draw(store: Queryable, kind: str, out: Path, filters: Filters | None = None) -> nx.Graph:
    """Project, measure and write one graph; the suffix of ``out`` picks the format."""
    if out.suffix.lower() not in WRITERS:
        write_graph(nx.Graph(), out)  # raises the unknown-format error before any work
    g = actor_graph(store, kind, filters)
    write_graph(g, out)
    return g


def graph_stats(store: Queryable, kind: str = "co-participation", filters: Filters | None = None,
                limit: int = 20, by: str = "weighted_degree") -> tuple[nx.Graph, list[dict[str, Any]]]:
    """The graph and its top actors ranked by a metric."""
    g = actor_graph(store, kind, filters)
    return g, top_actors(g, limit, by)


def draw_timeline(store: Queryable, out: Path, filters: Filters | None = None) -> int:
    """Write the timeline image (events per series and programme); returns the number of events drawn."""
    if out.suffix.lower() not in (".png", ".svg"):
        write_timeline([], out)  # raises: the timeline is an image
    info = node_info(fetch(store, "nodes"))
    rows = timeline_rows(fetch(store, "events", filters), info)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_timeline(rows, out)
    return len({r[1] for r in rows})
