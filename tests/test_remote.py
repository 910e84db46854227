# ruff: noqa: F811  (pytest fixtures imported from conftest_remote are parameters here)
"""The remote store against a real Oxigraph server: push, row-for-row agreement, --endpoint, faults."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from conftest_remote import (  # noqa: F401
    OxigraphServer,
    assert_push_resumes,
    assert_same_answers,
    built_store,
    faulty_server,
    oxigraph_server,
)
from migkg.cli import main
from migkg.errors import StoreError
from migkg.query import run_query
from migkg.store import open_endpoint, open_store
from migkg.store.push import push
from migkg.store.remote import RemoteStore

pytestmark = pytest.mark.slow


def _fingerprint(path: Path) -> tuple[int, str]:
    with open_store(path, read_only=True) as s:
        lines = sorted(str(q) for q in s.quads())
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_push_then_every_saved_query_agrees(built_store: Path, oxigraph_server: OxigraphServer) -> None:
    before = _fingerprint(built_store)
    with open_store(built_store, read_only=True) as local, open_endpoint(oxigraph_server.url) as remote:
        summary = push(local, remote, batch=2000)
        assert summary.engine == "oxigraph"  # detected from the Server header of the first answer
        assert len(summary.pushed) == len(local.graph_names()) and summary.quads == len(local)
        assert remote.graph_names() == local.graph_names()
        assert len(remote) == len(local)
        assert_same_answers(local, remote)
        again = push(local, remote, batch=2000)
        assert again.pushed == [] and len(again.skipped) == len(summary.pushed)
    assert _fingerprint(built_store) == before


def test_endpoint_option_for_query_export_stats_validate(built_store: Path, oxigraph_server: OxigraphServer,
                                                         tmp_path: Path) -> None:
    run = CliRunner().invoke
    pushed = run(main, ["push", "--endpoint", oxigraph_server.url, "--store", str(built_store), "-q"])
    assert pushed.exit_code == 0, pushed.output
    for name in ("funding", "event-participants"):
        local = run(main, ["query", name, "--store", str(built_store), "--format", "json"])
        remote = run(main, ["query", name, "--endpoint", oxigraph_server.url, "--format", "json"])
        assert local.exit_code == remote.exit_code == 0, remote.output
        a, b = json.loads(local.stdout), json.loads(remote.stdout)
        assert a["head"] == b["head"]
        key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
        assert sorted(a["results"]["bindings"], key=key) == sorted(b["results"]["bindings"], key=key)
    out_l, out_r = tmp_path / "local.nq", tmp_path / "remote.nq"
    assert run(main, ["export", "--store", str(built_store), "--out", str(out_l)]).exit_code == 0
    res = run(main, ["export", "--endpoint", oxigraph_server.url, "--out", str(out_r)])
    assert res.exit_code == 0, res.output
    lines_l = sorted(out_l.read_text(encoding="utf-8").splitlines())
    assert lines_l and lines_l == sorted(out_r.read_text(encoding="utf-8").splitlines())
    stats_l = run(main, ["stats", "--store", str(built_store)]).stdout.splitlines()
    stats_r = run(main, ["stats", "--endpoint", oxigraph_server.url]).stdout.splitlines()
    assert stats_r[0].endswith(oxigraph_server.url) and stats_l[1:] == stats_r[1:]
    checked = run(main, ["validate", "--endpoint", oxigraph_server.url])
    assert checked.exit_code == 0, checked.output


def test_hostile_parameter_stays_a_literal_on_both_backends(
        built_store: Path, oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    rq = tmp_path / "echo.rq"
    rq.write_text("# Echo a string.\n# param: text string -- any text\n"
                  "SELECT DISTINCT ?text WHERE { ?s a ?c }\n",
                  encoding="utf-8")
    hostile = '"} ; DROP ALL ; #\n\'\'\' """ \\ <x> }'
    with open_store(built_store, read_only=True) as local, open_endpoint(oxigraph_server.url) as remote:
        push(local, remote)
        n = len(remote)
        for store in (local, remote):
            rows = run_query(store, str(rq), {"text": hostile}).rows
            assert rows == ((Literal(hostile),),)
        assert len(remote) == n == len(local)


def test_a_comment_that_reads_like_an_update_is_still_sent_as_a_query(
        built_store: Path, oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    rq = tmp_path / "comment.rq"
    rq.write_text("# Releases.\n# (a VALUES list, not a UNION: some engine drops rows when it joins two DISTINCT\n"
                  "# sub-selects; this line once made SPARQLWrapper send the query as an update.)\n"
                  "PREFIX mkg: <https://w3id.org/migkg/ontology#>\nSELECT ?r WHERE { ?r a mkg:Release }\n",
                  encoding="utf-8")
    with open_store(built_store, read_only=True) as local, open_endpoint(oxigraph_server.url) as remote:
        push(local, remote)
        assert len(run_query(remote, str(rq)).rows) == local.releases() > 0


def test_connection_refused_names_the_endpoint() -> None:
    from conftest_remote import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match=r"127\.0\.0\.1.*unreachable after 3 attempt"):
        RemoteStore(url, retries=2, backoff=0.01).select_result("SELECT * WHERE { ?s ?p ?o }")
    res = CliRunner().invoke(main, ["query", "releases", "--endpoint", url])
    assert res.exit_code == 2 and res.stderr.startswith(f"error: {url}: unreachable")
    assert len(res.stderr.strip().splitlines()) == 1


def test_http_500_is_retried_then_reported(faulty_server: tuple[str, type]) -> None:
    url, handler = faulty_server
    store = RemoteStore(url, retries=2, backoff=0.01)
    with pytest.raises(StoreError, match=r"HTTP 500 after 3 attempt"):
        store.select_result("SELECT * WHERE { ?s ?p ?o }")
    assert len(handler.hits) == 3
    with pytest.raises(StoreError, match=r"/store: HTTP 500"):
        store.post_quads(b"")
    assert len(handler.hits) == 6


def test_slow_endpoint_times_out(faulty_server: tuple[str, type]) -> None:
    url, handler = faulty_server
    handler.mode = "slow"
    store = RemoteStore(url, timeout=0.3, retries=1, backoff=0.01)
    with pytest.raises(StoreError, match=r"unreachable after 2 attempt.*timed out"):
        store.select_result("SELECT * WHERE { ?s ?p ?o }")
    assert len(handler.hits) == 2


def test_push_resumes_after_the_server_is_killed(built_store: Path, oxigraph_server: OxigraphServer) -> None:
    before = _fingerprint(built_store)
    with open_store(built_store, read_only=True) as local:
        assert_push_resumes(local, oxigraph_server, kill_at=3)
    assert _fingerprint(built_store) == before


def test_graph_by_graph_push_side_by_side_replaces_a_changed_graph(
        built_store: Path, oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    """The generic profile's way in (N-Triples per graph to the Graph Store: a PUT where the endpoint
    has the graph, else a POST), two requests in flight."""

    with open_store(built_store, read_only=True) as local, \
            open_endpoint(oxigraph_server.url, engine="generic") as remote:
        summary = push(local, remote, batch=1500, parallel=2)
        assert summary.engine == "generic" and summary.quads == len(local)
        assert remote.graph_names() == local.graph_names() == sorted(summary.pushed) and len(remote) == len(local)
        names = local.graph_names()
        name = next(n for n in names if "/release/" in n)
        changed = tmp_path / "changed"
        with open_store(changed) as dst:
            for n in names:
                triples = sorted((q.triple for q in local.quads(URIRef(n))), key=str)[n == name:]  # one fewer in one
                g = Graph()
                for t in triples:
                    g.add(t)
                dst.replace_graph(URIRef(n), g)
    with open_store(changed, read_only=True) as local, \
            open_endpoint(oxigraph_server.url, engine="generic") as remote:
        assert push(local, remote, parallel=2).pushed == [name]
        assert sorted(map(str, remote.quads(URIRef(name)))) == sorted(map(str, local.quads(URIRef(name))))
        assert len(remote) == len(local)


def test_the_remote_store_streams_the_rows_of_its_answers(built_store: Path, oxigraph_server: OxigraphServer) -> None:
    """select_stream on an endpoint (the answer parsed whole, then streamed): the same rows as
    select_result for every top-level saved query, and the CLI's streamed JSON as the embedded store's."""
    from conftest_remote import EXAMPLE_PARAMS, TOP_LEVEL
    from migkg.query import stream_query

    with open_store(built_store, read_only=True) as local, open_endpoint(oxigraph_server.url) as remote:
        push(local, remote, batch=5000)
        for name in TOP_LEVEL:
            params = EXAMPLE_PARAMS.get(name, {})
            with stream_query(remote, name, params) as stream:
                assert stream.variables == run_query(remote, name, params).variables
                assert list(stream) == list(run_query(remote, name, params).rows), name
        stream = stream_query(remote, "event-countries")
        first = next(stream)
        stream.close()
        assert first and list(stream) == []  # closed: nothing more
    local_json = CliRunner().invoke(main, ["query", "event-countries", "--store", str(built_store), "-f", "json"])
    remote_json = CliRunner().invoke(main, ["query", "event-countries", "--endpoint", oxigraph_server.url,
                                            "-f", "json"])
    assert local_json.exit_code == remote_json.exit_code == 0, remote_json.output
    assert json.loads(local_json.stdout)["results"]["bindings"]
    assert local_json.stdout == remote_json.stdout
