"""Actor-graph projections, metrics and files, on the seed and on every release under data/releases."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest_draw import all_store, all_store_dir, seed_store, seed_store_dir  # noqa: F401
from migkg.cli import main
from migkg.draw import KINDS, Filters, actor_graph, draw, draw_timeline
from migkg.draw.metrics import top_actors
from migkg.draw.render import _clean, write_graph
from migkg.errors import MigkgError, QueryError
from migkg.query import load_query, saved_queries
from migkg.store import EmbeddedStore

ID = "https://w3id.org/migkg/id/"
IOM = ID + "organization/international-organization-for-migration"
PRM = ID + "organization/us-bureau-of-population-refugees-and-migration"
SIX = ("AL", "BA", "ME", "MK", "RS", "XK")
FILTERED = ("event-actors", "event-countries", "programme-event-countries", "programme-events", "events")


# ---------------------------------------------------------------- done-when on the seed
def test_seed_co_participation_holds_iom_and_the_six_border_police_agencies(
        seed_store: EmbeddedStore) -> None:  # noqa: F811
    g = actor_graph(seed_store, "co-participation")
    police = sorted(d["iso2"] for _n, d in g.nodes(data=True) if "Police" in d["label"])
    assert police == list(SIX)
    assert IOM in g and g.nodes[IOM]["acronym"] == "IOM"
    assert g.number_of_nodes() == 7 and g.number_of_edges() == 21  # everyone sat at one table
    edge = g.edges[IOM, next(n for n, d in g.nodes(data=True) if d.get("iso2") == "XK")]
    assert edge["weight"] == 1 and edge["years"] == "2019"
    assert edge["releases"] == ID + "release/iom-bih-2019-05-22-border-police-meeting"
    assert g.nodes[IOM]["activity"] == "2019:1"


def test_seed_flow_prm_programme_iom_six_countries(seed_store: EmbeddedStore) -> None:  # noqa: F811
    g = actor_graph(seed_store, "flows")
    assert g.is_directed()
    (programme,) = [n for n in g.successors(PRM)]
    assert g.nodes[programme]["kind"] == "programme"
    assert "Vulnerable Migrants in the Western Balkans" in g.nodes[programme]["label"]
    assert list(g.successors(programme)) == [IOM]
    assert sorted(g.nodes[c]["iso2"] for c in g.successors(IOM)) == list(SIX)
    assert all(g.nodes[c]["kind"] == "country" for c in g.successors(IOM))
    assert g.edges[PRM, programme]["relation"] == "funds"
    assert g.edges[IOM, ID + "country/XK"]["relation"] == "works in"
    assert nx.has_path(g, PRM, ID + "country/XK")


def test_seed_other_kinds(seed_store: EmbeddedStore) -> None:  # noqa: F811
    op = actor_graph(seed_store, "organizer-participant")
    assert sorted(op.successors(IOM)) == sorted(n for n in op if n != IOM) and op.in_degree(IOM) == 0
    countries = actor_graph(seed_store, "country")
    assert sorted(d["iso2"] for _n, d in countries.nodes(data=True)) == list(SIX)
    assert countries.number_of_edges() == 15
    bi = actor_graph(seed_store, "bipartite")
    events = [n for n, d in bi.nodes(data=True) if d["kind"] == "event"]
    assert len(events) == 1 and bi.degree(events[0]) == 7
    assert bi.edges[IOM, events[0]]["relation"] == "organizer"


# ---------------------------------------------------------------- metrics
@pytest.mark.parametrize("kind", KINDS)
def test_metrics_on_every_node(all_store: EmbeddedStore, kind: str) -> None:  # noqa: F811
    g = actor_graph(all_store, kind)
    assert g.number_of_nodes() > 5
    for _n, d in g.nodes(data=True):
        assert {"label", "kind", "degree", "weighted_degree", "betweenness", "community"} <= set(d)
        assert 0.0 <= d["betweenness"] <= 1.0
        assert d["weighted_degree"] >= d["degree"] or kind == "flows"
    again = actor_graph(all_store, kind)
    assert nx.get_node_attributes(g, "community") == nx.get_node_attributes(again, "community")


def test_top_actor_of_the_corpus_is_iom(all_store: EmbeddedStore) -> None:  # noqa: F811
    g = actor_graph(all_store, "co-participation")
    top = top_actors(g, 3)
    assert top[0]["iri"] == IOM
    assert top[0]["weighted_degree"] >= top[1]["weighted_degree"] >= top[2]["weighted_degree"]
    assert re.fullmatch(r"(\d{4}:\d+ ?)+", top[0]["activity"])


# ---------------------------------------------------------------- filters, bound as query parameters
def test_filtered_queries_declare_the_same_parameters() -> None:
    expected = ["from_year", "to_year", "country", "organization", "rollup", "event_type", "programme",
                "dated_only"]
    for name in FILTERED:
        assert [p.name for p in load_query(f"construct/{name}").params] == expected, name
    names = {q.name for q in saved_queries()}
    assert names >= {f"construct/{n}" for n in (*FILTERED, "nodes", "programme-links")}


def _events(g: nx.Graph) -> set[str]:
    return {e for _a, _b, d in g.edges(data=True) for e in d["events"].split()}


def test_filters_narrow_the_graph(all_store: EmbeddedStore) -> None:  # noqa: F811
    full = actor_graph(all_store, "bipartite")
    years = {n: int(d["start"][:4]) for n, d in full.nodes(data=True)
             if d["kind"] == "event" and "start" in d}
    later = actor_graph(all_store, "bipartite", Filters(from_year=2022, dated_only=True))
    ev_later = [n for n, d in later.nodes(data=True) if d["kind"] == "event"]
    assert ev_later and all(years[e] >= 2022 for e in ev_later)
    assert len(ev_later) == sum(1 for y in years.values() if y >= 2022)
    undated = {n for n, d in full.nodes(data=True) if d["kind"] == "event" and "start" not in d}
    kept = {n for n, d in actor_graph(all_store, "bipartite", Filters(from_year=2022)).nodes(data=True)
            if d["kind"] == "event"}
    assert kept == set(ev_later) | undated  # without --dated-only, undated events stay
    window = actor_graph(all_store, "bipartite", Filters(from_year=2019, to_year=2019, dated_only=True))
    assert {years[n] for n, d in window.nodes(data=True) if d["kind"] == "event"} == {2019}
    assert actor_graph(all_store, "co-participation", Filters(from_year=2990, dated_only=True)).number_of_nodes() == 0

    meetings = actor_graph(all_store, "bipartite", Filters(event_type="meeting"))
    types = {d["type"] for _n, d in meetings.nodes(data=True) if d["kind"] == "event"}
    assert types == {"Meeting"}

    iom = actor_graph(all_store, "bipartite", Filters(organization=IOM))
    for e in (n for n, d in iom.nodes(data=True) if d["kind"] == "event"):
        assert iom.has_edge(IOM, e)
    assert 0 < iom.number_of_nodes() < full.number_of_nodes()

    xk = actor_graph(all_store, "country", Filters(country="xk"))
    kosovo = ID + "country/XK"
    assert kosovo in xk and all(xk.has_edge(kosovo, n) for n in xk if n != kosovo)
    assert _events(xk) < _events(actor_graph(all_store, "country"))


def test_programme_filter(seed_store: EmbeddedStore) -> None:  # noqa: F811
    g = actor_graph(seed_store, "flows")
    (programme,) = list(g.successors(PRM))
    assert actor_graph(seed_store, "flows", Filters(programme=programme)).number_of_nodes() == 9
    other = Filters(programme=ID + "programme/no-such-programme")
    assert actor_graph(seed_store, "flows", other).number_of_nodes() == 0
    assert actor_graph(seed_store, "co-participation", other).number_of_nodes() == 0
    assert actor_graph(seed_store, "co-participation", Filters(programme=programme)).number_of_nodes() == 7


def test_filter_with_quotes_is_a_value_not_query_text(seed_store: EmbeddedStore) -> None:  # noqa: F811
    assert actor_graph(seed_store, "country", Filters(country="XK")).number_of_nodes() == 6
    with pytest.raises(MigkgError, match="ISO 3166-1"):
        actor_graph(seed_store, "country", Filters(country='X"'))
    with pytest.raises(MigkgError, match="unknown type"):
        actor_graph(seed_store, "bipartite", Filters(event_type="Meeting' || true"))
    with pytest.raises(QueryError, match="not a valid iri"):
        actor_graph(seed_store, "flows", Filters(programme='x" } ; DROP ALL ; #'))


@pytest.mark.parametrize("filters, message", [
    (Filters(country="Bosnia"), "ISO 3166-1"),
    (Filters(event_type="Party"), "unknown type"),
    (Filters(from_year=2020, to_year=2019), "after"),
    (Filters(organization="not an iri"), "not a valid iri"),
])
def test_bad_filters_are_errors(seed_store: EmbeddedStore, filters: Filters, message: str) -> None:  # noqa: F811
    with pytest.raises(MigkgError, match=message):
        actor_graph(seed_store, "co-participation", filters)


# ---------------------------------------------------------------- files
def _same_attrs(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "id"} == {k: v for k, v in b.items() if k != "id"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graphml_and_gexf_round_trip(all_store: EmbeddedStore, tmp_path: Path, kind: str,  # noqa: F811
                                     suffix: str) -> None:
    out = tmp_path / f"{kind}{suffix}"
    g = draw(all_store, kind, out)
    back = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
    assert back.is_directed() == g.is_directed()
    assert set(back.nodes) == set(g.nodes)
    assert {frozenset(e) if not g.is_directed() else e for e in back.edges} == \
        {frozenset(e) if not g.is_directed() else e for e in g.edges}
    for n, d in g.nodes(data=True):
        assert _same_attrs(back.nodes[n], d), (n, back.nodes[n], d)
    for a, b, d in g.edges(data=True):
        assert _same_attrs(back.edges[a, b], d), (a, b, back.edges[a, b], d)


@pytest.mark.parametrize("kind", KINDS)
def test_graphml_bytes_are_networkx_bytes(all_store: EmbeddedStore, tmp_path: Path, kind: str) -> None:  # noqa: F811
    """Our GraphML writer gives the bytes of networkx's (lxml, named key ids, None values left out)."""
    g = draw(all_store, kind, tmp_path / "ours.graphml")
    nx.write_graphml(_clean(g), tmp_path / "theirs.graphml", named_key_ids=True)
    assert (tmp_path / "ours.graphml").read_bytes() == (tmp_path / "theirs.graphml").read_bytes()


@pytest.mark.parametrize("directed", [False, True])
def test_graphml_writer_escapes_as_networkx_does(tmp_path: Path, directed: bool) -> None:
    hostile = ['a & b < c > d "quoted" \'single\'', "line\nbreak\ttab\rreturn", "Ünïcödé — ‘quotes’ 中文",
               "", " ", "&amp; already", "]]>", "<x/>"]
    g: nx.Graph = nx.DiGraph(kind="t", note=hostile[0], count=3, ratio=0.5, flag=True) if directed else \
        nx.Graph(kind="t", note=hostile[1], none=None)
    for i, s in enumerate(hostile):
        g.add_node(s or "empty", label=s, n=i, x=float(i) / 3, ok=bool(i % 2), missing=None)
    g.add_node("bare")  # no attributes: an empty element
    g.add_node("mixed", n="text")  # one name, two types: two keys with the same id, as networkx writes
    for a, b in itertools.pairwise(hostile):
        g.add_edge(a or "empty", b or "empty", weight=len(a), label=b, big=2**40)
    g.add_edge("bare", "mixed")
    ours, theirs = tmp_path / "ours.graphml", tmp_path / "theirs.graphml"
    write_graph(g, ours)
    nx.write_graphml(_clean(g), theirs, named_key_ids=True)
    assert ours.read_bytes() == theirs.read_bytes()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = [d.text or "" for d in ET.parse(ours).getroot().iterfind("g:graph/g:node/g:data[@key='label']", ns)]
    assert labels == hostile  # well-formed, and every string back as it was


def test_graphml_refuses_what_xml_cannot_hold(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_node("a", label="bell \x07 here")
    with pytest.raises(MigkgError, match=r"ours.graphml: cannot write character U\+0007"):
        write_graph(g, tmp_path / "ours.graphml")


def test_node_link_json(seed_store: EmbeddedStore, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "g.json"
    g = draw(seed_store, "co-participation", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(back, g)
    assert all("betweenness" in n and "community" in n for n in data["nodes"])


def test_png_svg_and_timeline(seed_store: EmbeddedStore, tmp_path: Path) -> None:  # noqa: F811
    draw(seed_store, "flows", tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    draw(seed_store, "co-participation", tmp_path / "c.svg")
    root = ET.parse(tmp_path / "c.svg").getroot()
    assert root.tag.endswith("svg")
    assert "IOM" in (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert draw_timeline(seed_store, tmp_path / "t.png") == 1
    assert (tmp_path / "t.png").stat().st_size > 5_000


def test_unknown_format_and_kind(seed_store: EmbeddedStore, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(MigkgError, match="unknown drawing format"):
        draw(seed_store, "co-participation", tmp_path / "g.pdf")
    with pytest.raises(MigkgError, match="unknown graph kind"):
        draw(seed_store, "friends", tmp_path / "g.json")
    with pytest.raises(MigkgError, match="timeline is an image"):
        draw_timeline(seed_store, tmp_path / "t.html")


# ---------------------------------------------------------------- command line
def test_cli_graph_commands(seed_store_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    out = tmp_path / "cp.gexf"
    r = runner.invoke(main, ["graph", "co-participation", "--store", str(seed_store_dir), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert nx.read_gexf(out).number_of_nodes() == 7
    r = runner.invoke(main, ["graph", "stats", "--store", str(seed_store_dir), "--top", "3"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("co-participation: 7 nodes, 21 edges, 1 communities")
    assert len(lines) == 3 + 3 and lines[1].split()[:3] == ["#", "actor", "kind"]
    r = runner.invoke(main, ["graph", "stats", "--store", str(seed_store_dir)])
    assert "International Organization for Migration" in r.output and len(r.output.splitlines()) == 3 + 7
    r = runner.invoke(main, ["graph", "stats", "flows", "--store", str(seed_store_dir), "--by", "betweenness",
                             "--top", "1"])
    assert r.exit_code == 0 and "International Organization for Migration" in r.output.splitlines()[-1]
    store = ["--store", str(seed_store_dir)]
    r = runner.invoke(main, ["graph", "flows", *store, "--out", str(tmp_path / "f.html"),
                             "--from", "2019", "--to", "2019", "--country", "BA"])
    assert r.exit_code == 0 and (tmp_path / "f.html").stat().st_size > 5_000
    r = runner.invoke(main, ["graph", "timeline", *store, "--out", str(tmp_path / "t.svg")])
    assert r.exit_code == 0 and "timeline of 1 events" in r.output


@pytest.mark.parametrize("args, message", [
    (["graph", "co-participation"], "--out FILE is required"),
    (["graph", "co-participation", "--out", "x.pdf"], "unknown drawing format"),
    (["graph", "friends", "--out", "x.json"], "unknown graph kind"),
    (["graph", "stats", "--country", "Atlantis"], "no country node has this name"),
    (["graph", "stats", "friends"], "unknown graph kind"),
    (["graph", "co-participation", "flows", "--out", "x.json"], "unexpected argument"),
])
def test_cli_graph_errors(seed_store_dir: Path, tmp_path: Path, args: list[str], message: str) -> None:  # noqa: F811
    r = CliRunner().invoke(main, [*args, "--store", str(seed_store_dir)])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert len([ln for ln in r.output.splitlines() if ln.startswith("error:")]) == 1


def test_approximations_above_a_size_are_stated(seed_store_dir: Path, tmp_path: Path,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Sampled betweenness and a shorter layout are said in the graph's attributes, the GraphML, the
    page's data and the command's message; an exact graph says nothing."""
    from migkg.draw import layout, metrics
    from migkg.draw.metrics import add_metrics
    from migkg.draw.page import page_data

    small = add_metrics(nx.path_graph(5))
    assert "approximations" not in small.graph and page_data(small)["meta"]["approximations"] == ""
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_UP_TO", 3)
    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLE", 2)
    monkeypatch.setattr(layout, "FEWER_ABOVE", 3)
    monkeypatch.setattr(layout, "CORE", 4)
    g = add_metrics(nx.path_graph(5))
    said = g.graph["approximations"]
    assert "betweenness estimated from 2 sampled sources (above 3 nodes)" in said
    assert "layout from 30 spring iterations, not 50 (above 3 nodes)" in said
    assert "in a component of over 4 nodes only its 4 best-connected nodes are laid out so" in said
    assert "over 4 nodes" not in add_metrics(nx.path_graph(4)).graph["approximations"]
    assert page_data(g)["meta"]["approximations"] == said
    draw_to = tmp_path / "g.graphml"
    from migkg.draw.render import write_graph

    write_graph(g, draw_to)
    assert nx.read_graphml(draw_to).graph["approximations"] == said
    r = CliRunner().invoke(main, ["graph", "co-participation", "--store", str(seed_store_dir),
                                  "--out", str(tmp_path / "cp.graphml")])
    assert r.exit_code == 0, r.output
    assert "note: approximated at this size: betweenness estimated from 2 sampled sources" in r.output


def test_large_component_layout_places_every_node_beside_its_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above CORE nodes a component's best-connected nodes get springs, the others a place near theirs."""
    from migkg.draw import layout

    monkeypatch.setattr(layout, "CORE", 40)
    g = nx.barabasi_albert_graph(400, 1, seed=3)  # a tree: many nodes with one neighbour
    nx.relabel_nodes(g, {n: f"n{n}" for n in g}, copy=False)
    g.add_edge("lone-a", "lone-b")  # a small component beside the large one
    first, again = layout.layout(g), layout.layout(g)
    assert first == again and set(first) == set(g)
    assert all(abs(x) <= 1000 and abs(y) <= 1000 for x, y in first.values())
    hubs = sorted(g, key=lambda n: -g.degree(n))[:40]
    leaves = [n for n in g if g.degree(n) == 1 and n not in hubs and not n.startswith("lone")]
    spread = max(first[n][0] for n in g) - min(first[n][0] for n in g)
    assert len(leaves) > 100
    for leaf in leaves:  # beside its one neighbour, not anywhere in the drawing
        (m,) = g[leaf]
        assert abs(first[leaf][0] - first[m][0]) + abs(first[leaf][1] - first[m][1]) < spread / 20


@pytest.mark.parametrize("kind", KINDS)
def test_graphml_is_the_same_whatever_the_string_hashing(all_store_dir: Path, tmp_path: Path, kind: str) -> None:  # noqa: F811
    """Node and edge order, metrics and communities do not depend on Python's string hashing (flows'
    communities once did: networkx's undirected view orders neighbours by a set)."""
    outs = []
    for seed in ("0", "1", "2"):
        out = tmp_path / f"{seed}.graphml"
        proc = subprocess.run([sys.executable, "-m", "migkg", "graph", kind, "--store", str(all_store_dir),
                               "--from", "2018", "--to", "2019", "--out", str(out)],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert b"<edge " in outs[0]


def test_betweenness_samples_fewer_sources_on_a_large_graph() -> None:
    """Each sampled source is a search of the whole graph: a large one gets fewer, within the budget."""
    from migkg.draw.metrics import BETWEENNESS_BUDGET, BETWEENNESS_SAMPLE, BETWEENNESS_SAMPLE_LEAST, _sample

    assert _sample(2_000, 3_000) == BETWEENNESS_SAMPLE
    big = _sample(88_521, 126_206)  # the bipartite graph at 100,000 releases
    assert BETWEENNESS_SAMPLE_LEAST < big < BETWEENNESS_SAMPLE
    assert big * (88_521 + 126_206) <= BETWEENNESS_BUDGET < (big + 1) * (88_521 + 126_206)
    assert _sample(10**8, 10**8) == BETWEENNESS_SAMPLE_LEAST and _sample(5, 4) == 5


def _random_graphs() -> list[nx.Graph]:
    """Small graphs of every shape the estimate must handle: directed and not, disconnected, with
    isolated nodes, self-loops, string labels out of order."""
    graphs = []
    for i, (n, m) in enumerate([(2, 1), (3, 2), (12, 10), (40, 35), (60, 150), (90, 80), (120, 400)]):
        for directed in (False, True):
            g = nx.gnm_random_graph(n, m, seed=i, directed=directed)
            g.add_nodes_from(range(n, n + i % 3))  # isolated
            if n > 5:
                g.add_edge(3, 3)
            graphs.append(nx.relabel_nodes(g, {v: f"x{(v * 7) % (n + 5)}-{v}" for v in g}))
    graphs.append(nx.path_graph(5))
    graphs.append(nx.star_graph(6, create_using=nx.DiGraph))
    return graphs


def _assert_close(got: dict, expected: dict, tol: float) -> None:
    assert list(got) == list(expected)
    for v, want in expected.items():
        assert (want != want and got[v] != got[v]) or abs(got[v] - want) <= tol, (v, got[v], want)


@pytest.mark.parametrize("g", _random_graphs(), ids=lambda g: f"{type(g).__name__}-{len(g)}")
def test_sampled_betweenness_is_networkx_estimate(g: nx.Graph) -> None:
    """The array Brandes takes networkx's sources for the seed and rescales as networkx does: the same
    values up to rounding, for any k (k = 1 leaves the source's own value undefined, NaN, in both;
    k = every node is the exact betweenness)."""
    from migkg.draw.metrics import SEED, sampled_betweenness

    for k in sorted({1, 2, max(1, len(g) // 3), len(g) - 1 or 1, len(g)}):
        expected = nx.betweenness_centrality(g, k=k, seed=SEED, normalized=True)
        _assert_close(sampled_betweenness(g, k), expected, 1e-9)


@pytest.mark.parametrize("directed", [False, True])
def test_large_graph_betweenness_is_networkx_estimate(directed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_BETWEENNESS_UP_TO nodes the graph's betweenness is networkx's sampled estimate."""
    from migkg.draw import metrics

    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLE", 25)
    g = nx.gnm_random_graph(1_600, 2_000, seed=7, directed=directed)
    g.add_nodes_from(range(1_600, 1_620))
    expected = nx.betweenness_centrality(g, k=25, seed=metrics.SEED, normalized=True)
    metrics.add_metrics(g)
    assert g.graph["betweenness_method"] == "estimated from 25 sampled sources"
    assert any(expected.values())
    _assert_close({v: d["betweenness"] for v, d in g.nodes(data=True)}, expected, 5e-7 + 1e-12)
