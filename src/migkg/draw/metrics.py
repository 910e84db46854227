"""Network metrics as node attributes: degree, weighted degree, betweenness, Louvain communities.

Activity per year is set by the projections (it needs the events); here are the measures of the
graph itself. Everything is deterministic: Louvain and sampled betweenness use a fixed seed, and
communities are numbered by size, largest first.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from migkg.draw.layout import layout_note

SEED = 42
EXACT_BETWEENNESS_UP_TO = 1500  # nodes; above this, betweenness is estimated from a seeded sample
# (the sources and values of networkx's estimate, computed on arrays: sampled_betweenness)
BETWEENNESS_SAMPLE = 400  # sampled sources at most; fewer on a large graph (BETWEENNESS_BUDGET)
# sources x (nodes + edges) that an estimate may cost: each source is a shortest-path search of the whole
# graph, done on arrays (sampled_betweenness): about 5 ms a source on a graph the size of the bipartite
# graph at 100,000 releases (88,521 nodes and 126,206 edges; networkx took 0.7 s), so it gets 232
# sources, about 1.5 s of CPU
BETWEENNESS_BUDGET = 50_000_000
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


def _adjacency(g: nx.Graph, index: dict[Any, int]) -> tuple[np.ndarray, np.ndarray]:
    """``g``'s adjacency in CSR form (index pointer, column indices), nodes numbered by ``index``: an
    edge u -> v of a directed graph, both ways of an undirected one's; self-loops and repeated edges
    dropped (a breadth-first search never follows them)."""
    pairs = np.array([(index[u], index[v]) for u, v in g.edges()], dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if not g.is_directed():
        pairs = np.concatenate([pairs, pairs[:, ::-1]])
    n = len(index)
    adj = sparse.csr_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    adj.sum_duplicates()
    return adj.indptr.astype(np.int64), adj.indices.astype(np.int64)


def sampled_betweenness(g: nx.Graph, k: int, seed: int = SEED) -> dict[Any, float]:
    """Normalized betweenness (shortest paths without weights, endpoints not counted) estimated from
    ``k`` sources: ``nx.betweenness_centrality(g, k=k, seed=seed, normalized=True)`` up to floating-point
    rounding, from the same sources (networkx's ``random.Random(seed).sample(list(g), k)``; every node
    when ``k`` is the number of nodes) and rescaled the same way (networkx 3.6's ``_rescale``).

    Brandes' algorithm, each source's search done a level at a time on arrays: the frontier's edges
    gathered from the CSR adjacency, their unvisited ends becoming the next level and summing their
    predecessors' path counts; then the dependencies summed back, level by level, over the same edges."""
    nodes = list(g)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    sampled = k != n
    sources = [index[s] for s in random.Random(seed).sample(nodes, k)] if sampled else list(range(n))
    indptr, indices = _adjacency(g, index)
    bc = np.zeros(n)
    sigma = np.zeros(n)  # shortest paths from the source
    delta = np.zeros(n)  # the source's dependency on a node
    dist = np.full(n, -1, dtype=np.int64)
    slot = np.zeros(n, dtype=np.int64)  # scratch, to find the distinct ends of a level's edges
    for s in sources:
        sigma[s], dist[s] = 1.0, 0
        frontier = np.array([s], dtype=np.int64)
        levels: list[tuple[np.ndarray, np.ndarray]] = []  # per level, its shortest-path edges (tails, heads)
        reached = [frontier]
        while True:
            starts = indptr[frontier]
            lens = indptr[frontier + 1] - starts
            total = int(lens.sum())
            if not total:
                break
            first = np.cumsum(lens) - lens  # where each frontier node's edges begin among the gathered
            heads = indices[np.repeat(starts - first, lens) + np.arange(total)]
            tails = np.repeat(frontier, lens)
            new = dist[heads] < 0
            heads, tails = heads[new], tails[new]
            if not heads.size:
                break
            at = np.arange(heads.size)
            slot[heads] = at  # the last of a node's positions wins: it stands for the node once
            frontier = heads[slot[heads] == at]
            dist[frontier] = len(levels) + 1
            np.add.at(sigma, heads, sigma[tails])
            levels.append((tails, heads))
            reached.append(frontier)
        for tails, heads in reversed(levels):
            np.add.at(delta, tails, sigma[tails] * ((1.0 + delta[heads]) / sigma[heads]))
        for level in reached[1:]:
            bc[level] += delta[level]
        for level in reached:
            sigma[level], delta[level], dist[level] = 0.0, 0.0, -1
    big_n = n - 1  # networkx's N: the ends a path through a node can have (every other node)
    if big_n >= 2:
        if not sampled:
            bc *= 1 / (big_n * (big_n - 1))
        else:  # a sampled node is one source short: its own paths do not count for it
            is_source = np.zeros(n, dtype=bool)
            is_source[sources] = True
            bc *= np.where(is_source, 1 / ((k - 1) * (big_n - 1)) if k > 1 else np.nan, 1 / (k * (big_n - 1)))
    return dict(zip(nodes, bc.tolist(), strict=True))


def add_metrics(g: nx.Graph) -> nx.Graph:
    """Set degree, weighted_degree, betweenness and community on every node; returns ``g``."""
    undirected = _undirected(g) if g.is_directed() else g
    for n, d in g.degree():
        g.nodes[n]["degree"] = int(d)
    for n, d in g.degree(weight="weight"):
        g.nodes[n]["weighted_degree"] = int(d)
    n_nodes = g.number_of_nodes()
    k = _sample(n_nodes, g.number_of_edges()) if n_nodes > EXACT_BETWEENNESS_UP_TO else None
    bc = nx.betweenness_centrality(g, normalized=True) if k is None else sampled_betweenness(g, k)
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
