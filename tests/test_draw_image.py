"""A readable PNG: labels for the top nodes that overlap neither each other nor the legend, and a legend."""

from __future__ import annotations

from pathlib import Path

import migkg
from migkg.draw.render import write_image


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_png_labels_do_not_overlap_and_a_legend_explains(corpus_store_dir: Path, tmp_path: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        g = kg.graph("co-participation")
        mixed = kg.graph("bipartite")
    out = tmp_path / "co.png"
    drawn = write_image(g, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    boxes = [box for _text, box in drawn["labels"]]
    assert len(boxes) >= 25, "the top nodes are labelled"
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert "IOM" in [text for text, _box in drawn["labels"]][:3]
    assert any(t.startswith("community 0 (") for t in drawn["legend"])
    assert any("size: weighted degree" in t for t in drawn["legend"])
    drawn = write_image(mixed, tmp_path / "bi.svg")
    assert {"event", "organization"} <= set(drawn["legend"])
    boxes = [box for _text, box in drawn["labels"]]
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
