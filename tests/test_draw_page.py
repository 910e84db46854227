"""The interactive page in real headless Chromium: offline load, node count, click details, search."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from conftest_draw import ARTIFACTS, chromium, seed_store, seed_store_dir  # noqa: F401
from migkg.draw import draw
from migkg.draw.metrics import add_metrics
from migkg.draw.page import embed_json, render_page

IOM = "International Organization for Migration"
_CLEAR_EDGE_MIDDLE = """
var g = window.migkgGraph, data = JSON.parse(document.getElementById('graph-data').textContent);
for (var e = 0; e < data.edges.length; e++) {
  var p = g.clientPosition(data.edges[e][0]), q = g.clientPosition(data.edges[e][1]);
  var m = [(p.x + q.x) / 2, (p.y + q.y) / 2], clear = true;
  for (var n = 0; n < g.nodeCount; n++) {
    var c = g.clientPosition(n);
    if (Math.hypot(c.x - m[0], c.y - m[1]) < 30) { clear = false; break; }
  }
  if (clear) return m;
}
return null;
"""


def _wait_ready(driver: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return document.body && document.body.dataset.ready") == "true":
            return
        time.sleep(0.05)
    logs = driver.get_log("browser") if hasattr(driver, "get_log") else []
    pytest.fail(f"the page never became interactive; browser log: {logs}")


def _open(driver: Any, path: Path) -> None:
    driver.get(path.resolve().as_uri())
    _wait_ready(driver)


def _click_node(driver: Any, label: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    pos = driver.execute_script(
        "var g = window.migkgGraph, n = g.find(arguments[0]); return n < 0 ? null : g.clientPosition(n);",
        label)
    assert pos is not None, f"{label!r} is not on the page"
    actions = ActionChains(driver)
    builder = ActionBuilder(driver)
    builder.pointer_action.move_to_location(int(round(pos["x"])), int(round(pos["y"])))
    builder.pointer_action.click()
    builder.perform()
    actions.reset_actions()


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory, seed_store_dir: Path) -> tuple[Path, nx.Graph]:  # noqa: F811
    from migkg.store import open_store

    out = tmp_path_factory.mktemp("page") / "co-participation.html"
    with open_store(seed_store_dir, read_only=True) as store:
        g = draw(store, "co-participation", out)
    return out, g


def test_page_is_one_offline_file(seed_page: tuple[Path, nx.Graph]) -> None:
    text = seed_page[0].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the page must not load anything"
    assert "default-src 'none'" in text
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert data is not None
    assert len(json.loads(data.group(1))["nodes"]) == seed_page[1].number_of_nodes()


def test_page_in_chromium(chromium: Any, seed_page: tuple[Path, nx.Graph]) -> None:  # noqa: F811
    path, g = seed_page
    _open(chromium, path)
    body = chromium.find_element("tag name", "body")
    assert body.get_attribute("data-node-count") == str(g.number_of_nodes()) == "7"
    assert body.get_attribute("data-edge-count") == str(g.number_of_edges())
    assert "7 nodes" in chromium.find_element("id", "status").text
    # nothing but the file itself was loaded: no http(s) resource at all
    urls = chromium.execute_script(
        "return performance.getEntries().map(function (e) { return e.name; });")
    assert urls and all(not u.startswith(("http:", "https:")) for u in urls), urls
    # a click on IOM shows its details, its metrics and the release behind its edges
    _click_node(chromium, IOM)
    details = chromium.find_element("id", "details").text
    assert IOM in details
    assert "weighted degree" in details and "betweenness" in details
    assert "Border Police of Kosovo" in details
    assert "https://w3id.org/migkg/id/release/iom-bih-2019-05-22-border-police-meeting" in details
    assert chromium.execute_script("return window.migkgGraph.selected();") == chromium.execute_script(
        "return window.migkgGraph.find(arguments[0]);", IOM)
    ARTIFACTS.mkdir(exist_ok=True)
    chromium.save_screenshot(str(ARTIFACTS / "graph-page-seed.png"))
    assert (ARTIFACTS / "graph-page-seed.png").stat().st_size > 10_000


def test_search_box_filters(chromium: Any, seed_page: tuple[Path, nx.Graph]) -> None:  # noqa: F811
    _open(chromium, seed_page[0])
    box = chromium.find_element("id", "search")
    box.send_keys("police")
    assert chromium.find_element("tag name", "body").get_attribute("data-visible-count") == "6"
    assert "6 of 7 nodes" in chromium.find_element("id", "status").text
    box.clear()
    box.send_keys("IOM")
    assert chromium.find_element("tag name", "body").get_attribute("data-visible-count") == "1"


def test_click_on_empty_space_clears_details(chromium: Any, seed_page: tuple[Path, nx.Graph]) -> None:  # noqa: F811
    _open(chromium, seed_page[0])
    _click_node(chromium, IOM)
    assert IOM in chromium.find_element("id", "details").text
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    canvas = chromium.find_element("id", "canvas").rect
    builder = ActionBuilder(chromium)
    builder.pointer_action.move_to_location(int(canvas["x"]) + 3, int(canvas["y"]) + 3).click()
    builder.perform()
    assert IOM not in chromium.find_element("id", "details").text


def test_hostile_labels_stay_text(chromium: Any, tmp_path: Path) -> None:  # noqa: F811
    g = nx.Graph(kind="co-participation")
    evil = '</script><script>document.body.dataset.pwned="1"</script><img src=x onerror=alert(1)>'
    g.add_node("urn:a", label=evil, kind="organization")
    g.add_node("urn:b", label="B <!-- c", kind="organization")
    g.add_edge("urn:a", "urn:b", weight=2, years="2020", releases="urn:r1", events="urn:e1")
    add_metrics(g)
    out = tmp_path / "evil.html"
    out.write_text(render_page(g), encoding="utf-8")
    _open(chromium, out)
    assert chromium.execute_script("return document.body.dataset.pwned") is None
    assert chromium.execute_script("return window.migkgGraph.find(arguments[0]);", evil) == 0
    _click_node(chromium, evil)
    assert evil in chromium.find_element("id", "details").text


def test_embed_json_never_closes_the_script() -> None:
    text = embed_json({"x": "</script><!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"x": "</script><!--"}


def test_two_thousand_nodes_render(chromium: Any, tmp_path: Path) -> None:  # noqa: F811
    g = nx.barabasi_albert_graph(2000, 3, seed=1)
    g = nx.relabel_nodes(g, {n: f"urn:org:{n}" for n in g})
    for n in g:
        g.nodes[n].update(label=f"Organization {n.rsplit(':', 1)[1]}", kind="organization")
    for a, b in g.edges:
        g.edges[a, b].update(weight=1, years="2020", releases="urn:r", events="urn:e")
    g.graph["kind"] = "co-participation"
    add_metrics(g)
    out = tmp_path / "big.html"
    out.write_text(render_page(g), encoding="utf-8")
    _open(chromium, out)
    assert chromium.find_element("tag name", "body").get_attribute("data-node-count") == "2000"
    _click_node(chromium, "Organization 0")
    assert "Organization 0" in chromium.find_element("id", "details").text
    ARTIFACTS.mkdir(exist_ok=True)
    chromium.save_screenshot(str(ARTIFACTS / "graph-page-2000.png"))


def test_zoom_pan_and_edge_hover(chromium: Any, seed_page: tuple[Path, nx.Graph]) -> None:  # noqa: F811
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    _open(chromium, seed_page[0])
    where = "var g = window.migkgGraph; return [g.clientPosition(0), g.clientPosition(1)];"
    (a0, b0) = chromium.execute_script(where)
    chromium.find_element("id", "zoom-in").click()
    (a1, b1) = chromium.execute_script(where)
    d0 = ((a0["x"] - b0["x"]) ** 2 + (a0["y"] - b0["y"]) ** 2) ** 0.5
    d1 = ((a1["x"] - b1["x"]) ** 2 + (a1["y"] - b1["y"]) ** 2) ** 0.5
    assert d1 == pytest.approx(1.5 * d0, rel=0.01)
    chromium.find_element("id", "fit").click()
    (a2, b2) = chromium.execute_script(where)
    canvas = chromium.find_element("id", "canvas").rect
    start = (int(canvas["x"] + 5), int(canvas["y"] + canvas["height"] / 2))
    builder = ActionBuilder(chromium)
    builder.pointer_action.move_to_location(*start).pointer_down()
    builder.pointer_action.move_to_location(start[0] + 60, start[1] + 40).pointer_up()
    builder.perform()
    (a3, _b3) = chromium.execute_script(where)
    assert (a3["x"] - a2["x"], a3["y"] - a2["y"]) == pytest.approx((60, 40), abs=1.5)
    # hovering the middle of an edge (one whose middle is clear of every node) shows its weight
    mid = chromium.execute_script(_CLEAR_EDGE_MIDDLE)
    assert mid is not None, "no edge midpoint away from the nodes"
    builder = ActionBuilder(chromium)
    builder.pointer_action.move_to_location(int(mid[0]), int(mid[1]))
    builder.perform()
    tip = chromium.find_element("id", "tooltip")
    assert tip.is_displayed() and "weight 1" in tip.text
