"""Network metrics as node attributes: degree, weighted degree, betweenness, Louvain communities.

Activity per year is set by the projections (it needs the events); here are the measures of the
graph itself. Everything is deterministic: Louvain and sampled betweenness use a fixed seed, and
communities are numbered by size, largest first.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from migkg.draw.layout import layout_note

SEED = 42
EXACT_BETWEENNESS_UP_TO = 1500  # nodes; above this, betweenness is estimated from a seeded sample
BETWEENNESS_SAMPLE = 400  # sampled sources at most; fewer on a large graph (BETWEENNESS_BUDGET)
# sources x (nodes + edges) that an estimate may cost: each source is a shortest-path search of the whole
# graph (the bipartite graph at 100,000 releases, 88,521 nodes and 126,206 edges: 0.7 s a source, so
# 400 sources took 280 s; 10 take 7 s)
BETWEENNESS_BUDGET = 2_000_000
BETWEENNESS_SAMPLE_LEAST = 10

TOP_COLUMNS = ("label", "kind", "iso2", "degree", "weighted_degree", "betweenness", "community", "activity")


def _undirected(g: nx.DiGraph) -> nx.Graph:
    """The graph without directions, for community detection: nodes and edges in ``g``'s order, the
    weights of an edge's two directions added. (networkx's undirected view lists a node's neighbours
    from a union of sets, in an order that changed with the string hashing, and so did the communities.)"""
    out = nx.Graph()
    out.add_nodes_from(g)
    for u, v, w in g.edges(data="weight", default=1):
        if out.has_edge(u, v):
            out[u][v]["weight"] += w
        else:
            out.add_edge(u, v, weight=w)
    return out


def _sample(nodes: int, edges: int) -> int:
    """How many sources a betweenness estimate samples: BETWEENNESS_SAMPLE, fewer when the graph is so
    large that they would cost more than BETWEENNESS_BUDGET, never fewer than BETWEENNESS_SAMPLE_LEAST."""
    k = min(BETWEENNESS_SAMPLE, max(BETWEENNESS_SAMPLE_LEAST, BETWEENNESS_BUDGET // max(1, nodes + edges)))
    return min(k, nodes)


def add_metrics(g: nx.Graph) -> nx.Graph:
    """Set degree, weighted_degree, betweenness and community on every node; returns ``g``."""
    undirected = _undirected(g) if g.is_directed() else g
    for n, d in g.degree():
        g.nodes[n]["degree"] = int(d)
    for n, d in g.degree(weight="weight"):
        g.nodes[n]["weighted_degree"] = int(d)
    n_nodes = g.number_of_nodes()
    k = _sample(n_nodes, g.number_of_edges()) if n_nodes > EXACT_BETWEENNESS_UP_TO else None
    bc = nx.betweenness_centrality(g, k=k, seed=SEED if k else None, normalized=True)
    for n, v in bc.items():
        g.nodes[n]["betweenness"] = round(float(v), 6)
    if undirected.number_of_edges():
        found = nx.community.louvain_communities(undirected, weight="weight", seed=SEED)
    else:
        found = [{n} for n in g]
    ordered = sorted(found, key=lambda c: (-len(c), min(str(x) for x in c)))
    for i, members in enumerate(ordered):
        for n in members:
            g.nodes[n]["community"] = i
    g.graph["communities"] = len(ordered)
    g.graph["betweenness_method"] = "exact" if k is None else f"estimated from {k} sampled sources"
    notes = [] if k is None else [f"betweenness estimated from {k} sampled sources (above "
                                  f"{EXACT_BETWEENNESS_UP_TO:,} nodes)"]
    notes += [n for n in (layout_note(g),) if n]
    if cut := g.graph.get("edge_lists_cut"):
        notes.append(cut)
    # stated wherever the graph goes: the command's message, the page's status line, a graph attribute
    if notes:
        g.graph["approximations"] = "; ".join(notes)
    else:
        g.graph.pop("approximations", None)
    return g


def top_actors(g: nx.Graph, limit: int = 20, by: str = "weighted_degree") -> list[dict[str, Any]]:
    """The ``limit`` nodes ranked by a metric (then betweenness, then label), with their metrics."""
    if by not in ("degree", "weighted_degree", "betweenness"):
        raise ValueError(f"cannot rank by {by!r}")
    ranked = sorted(g.nodes(data=True),
                    key=lambda nd: (-nd[1].get(by, 0), -nd[1].get("betweenness", 0), nd[1].get("label", "")))
    rows = []
    for node, d in ranked[:limit]:
        row = {c: d.get(c, "") for c in TOP_COLUMNS}
        row["iri"] = node
        rows.append(row)
    return rows
