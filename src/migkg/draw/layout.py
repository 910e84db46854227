"""Where the nodes of a drawing go: one spring layout with a fixed seed, shared by the page and the images."""

from __future__ import annotations

from typing import Any

import networkx as nx

from migkg.errors import MigkgError

SEED = 42
ITERATIONS, FEWER_ITERATIONS, FEWER_ABOVE = 50, 30, 1000  # spring iterations; fewer above this many nodes
# A spring layout costs the square of a component's nodes each iteration (networkx computes every pair):
# the bipartite graph at 100,000 releases has a component of 58,593 nodes, whose layout did not end in
# 5 minutes. Above CORE nodes a component's CORE best-connected nodes are laid out by springs and each
# other node is put beside the neighbours placed before it (breadth first from that core).
CORE = 3000
_BESIDE = 0.02  # how far from its neighbours (the layout's span is about 2) a node is put, at most


def _undirected(g: nx.Graph) -> nx.Graph:
    return g.to_undirected(as_view=True) if g.is_directed() else g


def layout_note(g: nx.Graph) -> str | None:
    """What the layout approximates for this graph (stated in the outputs), or None when nothing."""
    if g.number_of_nodes() <= FEWER_ABOVE:
        return None
    note = f"layout from {FEWER_ITERATIONS} spring iterations, not {ITERATIONS} (above {FEWER_ABOVE:,} nodes)"
    if g.number_of_nodes() > CORE and max(map(len, nx.connected_components(_undirected(g)))) > CORE:
        note += (f"; in a component of over {CORE:,} nodes only its {CORE:,} best-connected nodes are laid out "
                 "so, each other node placed beside its neighbours")
    return note


def _core_layout(und: nx.Graph, comp: list[Any], iterations: int) -> dict[Any, Any]:
    """A large component's layout: springs for its CORE nodes of highest degree (then by IRI), then each
    other node, breadth first from them, at the mean of its neighbours placed so far, moved a little
    (seeded) so that nodes with the same neighbours do not cover each other."""
    import numpy as np

    degree = und.degree(comp)
    core = sorted(comp, key=lambda n: (-degree[n], str(n)))[:CORE]
    pos = dict(nx.spring_layout(und.subgraph(core), seed=SEED, weight="weight", iterations=iterations, scale=1.0))
    rng = np.random.default_rng(SEED)
    frontier = sorted(core, key=str)
    while frontier:
        later: list[Any] = []
        for n in frontier:
            for m in sorted((m for m in und[n] if m not in pos), key=str):
                near = [pos[x] for x in und[m] if x in pos]
                pos[m] = np.mean(near, axis=0) + rng.uniform(-_BESIDE, _BESIDE, 2)
                later.append(m)
        frontier = later
    return pos


def layout(g: nx.Graph, scale: float = 1000.0) -> dict[Any, tuple[float, float]]:
    """Spring layout with a fixed seed, scaled to [-scale, scale]; computed once, drawn without physics.

    Each connected component is laid out on its own and the components are packed in rows,
    largest first, so that small islands do not push the main component into a corner."""
    if g.number_of_nodes() == 0:
        return {}
    try:
        import numpy as np

        und = _undirected(g)
        iterations = ITERATIONS if g.number_of_nodes() <= FEWER_ABOVE else FEWER_ITERATIONS
        parts = sorted((sorted(c, key=str) for c in nx.connected_components(und)),
                       key=lambda c: (-len(c), str(c[0])))
        placed = []
        for comp in parts:
            if len(comp) == 1:
                local = {comp[0]: np.zeros(2)}
            elif len(comp) > CORE:
                local = _core_layout(und, comp, iterations)
            else:
                local = nx.spring_layout(und.subgraph(comp), seed=SEED, weight="weight",
                                         iterations=iterations, scale=1.0)
            placed.append((comp, local, 2.0 * max(1.0, float(np.sqrt(len(comp))))))
    except ImportError as e:
        raise MigkgError(f"the graph layout needs numpy and scipy ({e.name} is missing)",
                         "pip install 'migkg[draw]'") from e
    width = max(max(d for _c, _l, d in placed), 1.3 * float(np.sqrt(sum(d * d for _c, _l, d in placed))))
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row = 0.0
    for comp, local, d in placed:
        if x > 0 and x + d > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + d / 2, y + d / 2
        for n in comp:
            px, py = local[n]
            pos[n] = (cx + float(px) * d * 0.45, cy + float(py) * d * 0.45)
        x, row = x + d, max(row, d)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    mid_x, mid_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    # y grows downwards in the packing; flip it so that the first row is on top in every drawing
    return {n: (round((px - mid_x) / half * scale, 2), round(-(py - mid_y) / half * scale, 2))
            for n, (px, py) in pos.items()}
