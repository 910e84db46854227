# ruff: noqa: F811  (pytest fixtures imported from conftest_remote are parameters here)
"""The remote path against a real Virtuoso 7 (Debian's virtuoso-opensource), started by the tests.

The same checks as against Oxigraph's server (tests/test_remote.py): push, every top-level saved
query row for row, export graph by graph, `describe` and `graph` over the endpoint, a push resumed
after the server is SIGKILLed; plus what only a second engine shows: detection of the engine,
its profile (update path, digest authentication, `typed-literal`), and credentials that never
reach a process list, a log line or an error message.
"""

from __future__ import annotations

import gzip
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from conftest_remote import (  # noqa: F401
    VirtuosoServer,
    assert_push_resumes,
    assert_same_answers,
    built_store,
    rows,
)
from migkg.cli import main
from migkg.engines import PASSWORD_ENV, USER_ENV
from migkg.errors import StoreError
from migkg.store import open_endpoint, open_store
from migkg.store.embedded import EmbeddedStore
from migkg.store.push import BulkFolder, push

pytestmark = pytest.mark.slow
SECRET = "pw" + secrets.token_hex(12)
MIGKG = Path(sys.executable).parent / "migkg"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso for the module, its dba password a fresh secret."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    server.set_password(SECRET)
    yield server
    server.stop()


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, SECRET)


@pytest.fixture(scope="module")
def pushed(built_store: Path, virtuoso: VirtuosoServer) -> Path:
    """data/releases pushed to the module's Virtuoso (engine detected, credentials from the environment)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(USER_ENV, "dba")
        mp.setenv(PASSWORD_ENV, SECRET)
        with open_store(built_store, read_only=True) as local, open_endpoint(virtuoso.url) as remote:
            summary = push(local, remote)
            assert summary.engine == "virtuoso" and remote.update_url.endswith("/sparql-auth")
            assert len(summary.pushed) == len(local.graph_names()) and summary.quads == len(local)
    return built_store


def test_push_then_every_saved_query_agrees(pushed: Path, virtuoso: VirtuosoServer, creds: None) -> None:
    with open_store(pushed, read_only=True) as local, open_endpoint(virtuoso.url) as remote:
        assert remote.graph_names() == local.graph_names()  # Virtuoso's own graphs left out
        assert len(remote) == len(local)
        assert remote.engine == "virtuoso"
        assert_same_answers(local, remote)
        again = push(local, remote)
        assert again.pushed == [] and len(again.skipped) == len(local.graph_names())


def _dataset(path: Path) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(path, format="nquads")
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def test_export_from_the_endpoint_equals_the_local_export_graph_by_graph(
        pushed: Path, virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    run = CliRunner().invoke
    local, remote = tmp_path / "local.nq", tmp_path / "remote.nq"
    assert run(main, ["export", "--store", str(pushed), "--out", str(local)]).exit_code == 0
    res = run(main, ["export", "--endpoint", virtuoso.url, "--out", str(remote)])
    assert res.exit_code == 0, res.output
    a, b = _dataset(local), _dataset(remote)
    assert sorted(a) == sorted(b) and len(a) > 40
    for name, g in a.items():
        assert isomorphic(g, b[name]), f"{name}: {len(g)} local vs {len(b[name])} remote triples"
    merged = []  # a triple format: every distinct triple once, Virtuoso's own graphs left out
    for where, out in ((["--store", str(pushed)], tmp_path / "l.ttl"),
                       (["--endpoint", virtuoso.url], tmp_path / "r.ttl")):
        assert run(main, ["export", *where, "--out", str(out)]).exit_code == 0
        merged.append(Graph().parse(out))
    assert len(merged[0]) > 1000 and isomorphic(merged[0], merged[1])
    stats_l = run(main, ["stats", "--store", str(pushed)]).stdout.splitlines()
    stats_r = run(main, ["stats", "--endpoint", virtuoso.url]).stdout.splitlines()
    assert stats_r[0].endswith(virtuoso.url) and stats_l[1:] == stats_r[1:]
    checked = run(main, ["validate", "--endpoint", virtuoso.url, "--engine", "virtuoso"])
    assert checked.exit_code == 0, checked.output


def test_describe_and_graph_over_the_endpoint(pushed: Path, virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    run = CliRunner().invoke
    described = []
    for where in (["--store", str(pushed)], ["--endpoint", virtuoso.url]):
        out = tmp_path / f"void-{len(described)}.ttl"
        res = run(main, ["describe", *where, "--sparql-url", virtuoso.url, "--out", str(out)])
        assert res.exit_code == 0, res.output
        described.append(Graph().parse(out))
    local_void, remote_void = described
    assert (None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), URIRef(virtuoso.url)) in remote_void
    assert to_isomorphic(local_void) == to_isomorphic(remote_void)
    drawn = []
    for where in (["--store", str(pushed)], ["--endpoint", virtuoso.url]):
        out = tmp_path / f"co-{len(drawn)}.graphml"
        res = run(main, ["graph", "co-participation", *where, "--out", str(out)])
        assert res.exit_code == 0, res.output
        drawn.append(nx.read_graphml(out))
    a, b = drawn
    assert a.number_of_edges() > 10
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(data=True)) == sorted(b.edges(data=True))


def _processes_mentioning(secret: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if secret.encode() in cmdline:
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def test_credentials_stay_out_of_process_lists_logs_and_errors(
        pushed: Path, virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (USER_ENV, PASSWORD_ENV)}
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1\n  login dba\n  password {SECRET}\n", encoding="utf-8")
    rc.chmod(0o600)
    # the installed console script, credentials from a netrc file; watch the process list meanwhile
    proc = subprocess.Popen([str(MIGKG), "push", "--endpoint", virtuoso.url, "--store", str(pushed)],
                            env={**env, "NETRC": str(rc)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: list[str] = []
    while proc.poll() is None:
        seen += _processes_mentioning(SECRET)
        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert seen == []
    assert SECRET.encode() not in out + err and b"already up to date" in err
    # and from the environment, with a write that has to authenticate
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(USER_ENV, "dba")
        mp.setenv(PASSWORD_ENV, SECRET)
        with open_endpoint(virtuoso.url) as remote:
            remote.detect_engine()
            remote.update("DROP SILENT GRAPH <https://w3id.org/migkg/id/graph/never-there>")
    # a wrong password on a push that has to write: one line, no password (neither wrong nor right)
    wrong = "wrong" + secrets.token_hex(8)
    stale = push_with_changed_graph(pushed, tmp_path)
    res = subprocess.run([str(MIGKG), "push", "--endpoint", virtuoso.url, "--store", str(stale), "--engine",
                          "virtuoso"], env={**env, USER_ENV: "dba", PASSWORD_ENV: wrong},
                         capture_output=True, timeout=600, check=False)
    text = (res.stdout + res.stderr).decode()
    assert res.returncode == 2 and "HTTP 401" in text and "MIGKG_ENDPOINT_PASSWORD" in text, text
    assert len(res.stderr.decode().strip().splitlines()) == 1
    assert wrong not in text and SECRET not in text
    log = (virtuoso.folder / "virtuoso.log").read_text(errors="replace")
    assert SECRET not in log and wrong not in log


CHANGED = "border-police-meeting"


def push_with_changed_graph(pushed: Path, tmp_path: Path) -> Path:
    """A copy of the store in which one release graph differs (a triple gone, another added), so a
    push has something to write."""
    copy = tmp_path / "changed"
    with open_store(pushed, read_only=True) as src, open_store(copy) as dst:
        for name in src.graph_names():
            g = Graph()
            for q in src.quads(URIRef(name)):
                g.add(q.triple)
            if name.endswith(CHANGED):
                g.remove(min(g))
                g.add((URIRef(name), URIRef("https://w3id.org/migkg/ontology#note"), Literal("changed")))
            dst.replace_graph(URIRef(name), g)
    return copy


def test_a_changed_graph_is_replaced_not_added_to(pushed: Path, virtuoso: VirtuosoServer, tmp_path: Path,
                                                  creds: None) -> None:
    changed = push_with_changed_graph(pushed, tmp_path)
    for store in (changed, pushed):  # there, and back again for the module's other tests
        with open_store(store, read_only=True) as local, open_endpoint(virtuoso.url) as remote:
            (name,) = push(local, remote).pushed
            assert name.endswith(CHANGED)
            assert sorted(map(str, remote.quads(URIRef(name)))) == sorted(map(str, local.quads(URIRef(name))))
            assert len(remote) == len(local)


def test_push_resumes_after_virtuoso_is_killed(built_store: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    server = VirtuosoServer(tmp_path / "virtuoso", max_rows=10_000)  # Debian's default ResultSetMaxRows
    server.start()
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, server.password)  # a fresh database: Virtuoso's initial password
    try:
        with open_store(built_store, read_only=True) as local:
            assert_push_resumes(local, server, kill_at=6)  # restarted: Virtuoso replays its transaction log
            with open_endpoint(server.url) as remote:
                assert len(local) > 10_000  # an answer longer than the server's limit is an error, not short
                with pytest.raises(StoreError, match="cut the answer at 10000 rows.*ResultSetMaxRows"):
                    remote.select_result("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    finally:
        server.stop()


HOSTILE = ['"} ; DROP ALL ; #', "line\nbreak\rand\ttab", "'''\"\"\" \\ <x> }", "emoji 🛂 and ✈",
           "zero\u200bwidth \u202eRTL", "back\\slash\\u0041"]


def hostile_store(path: Path) -> tuple[EmbeddedStore, URIRef]:
    """A store of one graph whose literals hold :data:`HOSTILE` texts, and the graph's name."""
    g = Graph()
    name = URIRef("https://w3id.org/migkg/id/graph/hostile")
    for i, text in enumerate(HOSTILE):
        s = URIRef(f"https://w3id.org/migkg/id/thing/h{i}")
        g.add((s, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal(text, lang="sr-Latn")))
        g.add((s, URIRef("http://purl.org/dc/terms/title"), Literal(text)))
    store = open_store(path)
    store.replace_graph(name, g)
    return store, name


def test_hostile_literals_survive_the_update_path(virtuoso: VirtuosoServer, tmp_path: Path, creds: None) -> None:
    local, name = hostile_store(tmp_path / "hostile")
    with local, open_endpoint(virtuoso.url) as remote:
        summary = push(local, remote)
        assert summary.pushed == [str(name)]
        back = sorted(str(q) for q in remote.quads(name))
        remote.update("DROP SILENT GRAPH <https://w3id.org/migkg/id/graph/hostile>")
        assert back == sorted(str(q) for q in local.quads(name))


def test_the_python_api_reads_virtuoso_as_it_reads_the_store(pushed: Path, virtuoso: VirtuosoServer,
                                                             creds: None) -> None:
    import migkg

    with migkg.open(pushed) as local, migkg.open(virtuoso.url, engine="virtuoso") as remote:
        assert remote.store.engine == "virtuoso"
        for name, params in (("event-details", {"year": 2019}), ("organization-profile", {"organization": "IOM"}),
                             ("country-profile", {"country": "BIH"})):
            a, b = local.query(name, **params), remote.query(name, **params)
            assert a.variables == b.variables and len(a) > 0, name
            assert rows(a.result) == rows(b.result), name
        assert remote.resolve("iom") == local.resolve("iom")
        prm = "id:organization/us-bureau-of-population-refugees-and-migration"  # "PRM" is also Mozambique's police
        assert rows(remote.explain(prm).result) == rows(local.explain(prm).result)
        # the year filters of the drawing queries: undated events kept and counted, or left out
        for filters in ({"from_year": 2019}, {"from_year": 2019, "dated_only": True}, {"to_year": 2018},
                        {"event_type": "Meeting"}, {"country": "XK"}):
            ga, gb = local.graph("bipartite", **filters), remote.graph("bipartite", **filters)
            assert ga.number_of_edges() > 0, filters
            assert sorted(ga.edges(data="weight")) == sorted(gb.edges(data="weight")), filters
            assert ga.graph.get("undated_events") == gb.graph.get("undated_events"), filters
        kept, dated = (remote.graph("bipartite", from_year=2019),
                       remote.graph("bipartite", from_year=2019, dated_only=True))
        assert kept.graph["undated_events"] > 0 and dated.number_of_nodes() < kept.number_of_nodes()


def test_push_through_the_bulk_loader(built_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk transport (--bulk-dir): TriG files in a folder of the server's DirsAllowed,
    loaded by ld_dir + rdf_loader_run + checkpoint called from SPARQL. Resumed after a kill, every
    saved query agrees; a changed release is replaced; a file the loader could not read, or did not
    find, is an error (the server checks DB.DBA.load_list)."""
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    server = VirtuosoServer(tmp_path / "virtuoso", bulk_dir=bulk)
    server.start()
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, server.password)  # a fresh database: Virtuoso's initial password
    try:
        with open_store(built_store, read_only=True) as local:
            # killed before the 18th write: the first two files were loaded (ld_dir, loader run, check:
            # 6 writes), checkpointed and recorded (2); the next three were loaded (9) but the server
            # dies before the checkpoint that would have covered them: the loader writes no transaction
            # log, so whatever of them survives is unrecorded, dropped and sent again by the resumed push
            assert_push_resumes(local, server, kill_at=18, bulk_dir=bulk)
            assert list(bulk.iterdir()) == []
            with open_endpoint(server.url) as remote:
                again = push(local, remote, bulk_dir=bulk)
                assert again.pushed == [] and len(again.skipped) == len(local.graph_names())
        changed = push_with_changed_graph(built_store, tmp_path)
        with open_store(changed, read_only=True) as local, open_endpoint(server.url, retries=1) as remote:
            (name,) = push(local, remote, bulk_dir=bulk).pushed
            assert name.endswith(CHANGED)
            assert sorted(map(str, remote.quads(URIRef(name)))) == sorted(map(str, local.quads(URIRef(name))))
            assert len(remote) == len(local) and remote.graph_names() == local.graph_names()
            assert_same_answers(local, remote)
            assert list(bulk.iterdir()) == []
            with pytest.raises(StoreError, match="no bulk transport"):
                push(local, open_endpoint(server.url, engine="generic"), bulk_dir=bulk)
            folder = BulkFolder.check(bulk)
            with gzip.open(bulk / "migkg-push-broken.nq.gz", "wb") as out:
                out.write(b'<https://w3id.org/migkg/id/x> <https://w3id.org/migkg/id/p> "unterminated <urn:g> .\n')
            for file in ("migkg-push-broken.nq.gz", "migkg-push-never-written.nq.gz"):
                with pytest.raises(StoreError, match="HTTP 500.*bulk file not loaded"):
                    folder.load(remote, file)
            assert "urn:g" not in remote.graph_names()
            # the TriG files carry pyoxigraph's N-Triples lines as they are: braces, quotes, escapes
            # and line breaks in literals arrive unchanged
            hostile, name = hostile_store(tmp_path / "hostile")
            with hostile:
                assert push(hostile, remote, bulk_dir=bulk).pushed == [str(name)]
                assert sorted(map(str, remote.quads(name))) == sorted(map(str, hostile.quads(name)))
            assert list(bulk.iterdir()) == []
            # one checkpoint covering 8,000 graphs: their manifest entries go in parts (one INSERT
            # DATA of 6,700 entries exhausted Virtuoso's SPARQL compiler)
            with open_store(tmp_path / "many") as many:
                title = ox.NamedNode("http://purl.org/dc/terms/title")
                many.oxigraph.extend(ox.Quad(ox.NamedNode(f"https://w3id.org/migkg/id/thing/m{i}"), title,
                                             ox.Literal(f"m{i}"), ox.NamedNode(f"https://w3id.org/migkg/id/graph/m{i}"))
                                     for i in range(8000))
                assert len(push(many, remote, bulk_dir=bulk).pushed) == 8000
                again = push(many, remote, bulk_dir=bulk)
                assert again.pushed == [] and len(again.skipped) == 8000
    finally:
        server.stop()
