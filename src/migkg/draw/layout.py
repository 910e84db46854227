"""Where the nodes of a drawing go: one spring layout with a fixed seed, shared by the page and the images."""

from __future__ import annotations

from typing import Any

import networkx as nx

from migkg.errors import MigkgError

SEED = 42
ITERATIONS, FEWER_ITERATIONS, FEWER_ABOVE = 50, 30, 1000  # spring iterations; fewer above this many nodes


def layout_note(g: nx.Graph) -> str | None:
    """What the layout approximates for this graph (stated in the outputs), or None when nothing."""
    if g.number_of_nodes() <= FEWER_ABOVE:
        return None
    return f"layout from {FEWER_ITERATIONS} spring iterations, not {ITERATIONS} (above {FEWER_ABOVE:,} nodes)"


def layout(g: nx.Graph, scale: float = 1000.0) -> dict[Any, tuple[float, float]]:
    """Spring layout with a fixed seed, scaled to [-scale, scale]; computed once, drawn without physics.

    Each connected component is laid out on its own and the components are packed in rows,
    largest first, so that small islands do not push the main component into a corner."""
    if g.number_of_nodes() == 0:
        return {}
    try:
        import numpy as np

        und = g.to_undirected(as_view=True) if g.is_directed() else g
        iterations = ITERATIONS if g.number_of_nodes() <= FEWER_ABOVE else FEWER_ITERATIONS
        parts = sorted((sorted(c, key=str) for c in nx.connected_components(und)),
                       key=lambda c: (-len(c), str(c[0])))
        placed = []
        for comp in parts:
            if len(comp) == 1:
                local = {comp[0]: np.zeros(2)}
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
