"""`migkg serve` under attack (issue 16): each test is one finding of the probe, on 127.0.0.1 only.

The real server is started as a subprocess on a free port; every load loop is bounded in count and
in time. Timing is asserted only where the failure was an order of magnitude away (a 44 ms Nagle
stall per request, a request that never ended), never as a tight speed target (bench/ has those).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest_publish import dump_dom, serve_process
from paths import RELEASES, SEED

pytestmark = pytest.mark.slow

ID = "https://w3id.org/migkg/id/"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """A running `migkg serve`: its base URL, port and process."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int) -> None:
        self.proc = proc
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, accept: str | None = None, headers: dict[str, str] | None = None,
            data: bytes | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def sparql(self, query: str, accept: str = "application/sparql-results+json", **params: str
               ) -> tuple[int, dict[str, str], bytes]:
        return self.get("/sparql?" + urllib.parse.urlencode({"query": query, **params}), accept)

    def alive(self) -> bool:
        status, _, body = self.sparql("ASK { ?s ?p ?o }")
        return self.proc.poll() is None and status == 200 and json.loads(body)["boolean"] is True

    def children(self) -> set[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return {int(p) for p in out.stdout.split()}


@contextmanager
def serving(store: Path, *options: str) -> Iterator[Served]:
    with serve_process(store, *options, ready="/ontology.ttl", clean_exit=False) as (base, proc):
        yield Served(proc, int(base.rsplit(":", 1)[1]))


@pytest.fixture(scope="module")
def hostile_store(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed store plus one node whose statements point at a javascript: IRI and a data: IRI."""
    path = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(seed_store_dir, path)
    store = ox.Store(str(path))
    g = ox.NamedNode(ID + "graph/hostile")
    node = ox.NamedNode(ID + "organization/hostile")
    store.extend([
        ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                ox.NamedNode("javascript:alert(1)"), g),
        ox.Quad(node, ox.NamedNode("http://xmlns.com/foaf/0.1/homepage"),
                ox.NamedNode("data:text/html,alert"), g),
        ox.Quad(node, ox.NamedNode("http://xmlns.com/foaf/0.1/page"), ox.NamedNode("https://example.org/ok"), g),
    ])
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def server(hostile_store: Path) -> Iterator[Served]:
    """Defaults, except short timeouts so the hostile requests are refused quickly."""
    with serving(hostile_store, "--timeout", "3", "--read-timeout", "2", "--max-rows", "5") as s:
        yield s


# ---------------------------------------------------------------- 1. deep queries
def _deep(n: int) -> str:
    return "SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) {}"


def test_deeply_nested_query_is_refused_and_the_server_lives(server: Served) -> None:
    for query in (_deep(5000), "SELECT * " + "{" * 3000 + "}" * 3000,
                  "SELECT * { FILTER(?a<" + "(" * 5000 + "1" + ")" * 5000 + ">3) }"):
        status, _, body = server.sparql(query)
        assert status == 400 and b"nested deeper" in body, body[:200]
        assert server.alive()
    chain = "SELECT * { FILTER(" + "!" * 60_000 + "true) }"  # a long chain, not deep
    status, _, body = server.get("/sparql", data=chain.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200, body[:200]
    assert server.alive()


def test_migkg_query_refuses_a_deep_query_in_one_line(seed_store_dir: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.rq"
    deep.write_text(_deep(5000), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "migkg", "query", str(deep), "--store", str(seed_store_dir)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert res.stderr.count("\n") == 1 and "nested deeper than" in res.stderr
    chain = tmp_path / "chain.rq"
    chain.write_text("SELECT ?x WHERE { BIND (1 AS ?x) FILTER(" + "!" * 60_000 + "true) }", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "migkg", "query", str(chain), "--store", str(seed_store_dir),
                          "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.split() == ["x", "1"], (res.returncode, res.stderr[-500:])


# ---------------------------------------------------------------- 2. SERVICE and CORS
@contextmanager
def _listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 recording whatever connects to it."""
    seen: list[bytes] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(4096))
                except OSError:
                    seen.append(b"")
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield sock.getsockname()[1], seen
    finally:
        stop.set()
        t.join(5)
        sock.close()


@pytest.mark.parametrize("form", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND (<http://127.0.0.1:{port}/> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ sErViCe e:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # comment\n SERVICE\t<http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_nothing_is_fetched(server: Served, form: str) -> None:
    with _listener() as (port, seen):
        status, _, body = server.sparql(form.format(port=port))
        time.sleep(0.3)
    assert status == 400 and b"SERVICE" in body, body[:200]
    assert seen == []


def test_no_cors_header_unless_asked(server: Served) -> None:
    for path in ("/sparql?query=ASK%7B%7D", "/", "/ontology.ttl"):
        _, headers, _ = server.get(path, headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers, path


def test_allowed_service_and_cors_origin(server: Served, seed_store_dir: Path) -> None:
    with serving(seed_store_dir, "--allow-service", f"127.0.0.1:{server.port}",
                 "--cors", "https://app.example") as other:
        q = f"SELECT ?x WHERE {{ SERVICE <{server.base}/sparql> {{ BIND (42 AS ?x) }} }}"
        status, _, body = other.sparql(q)
        assert status == 200, body[:300]
        assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "literal", "value": "42",
                                                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
        status, _, body = other.sparql("SELECT * WHERE { SERVICE <http://localhost:9/> { ?s ?p ?o } }")
        assert status == 400
        _, headers, _ = other.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://app.example"})
        assert headers.get("Access-Control-Allow-Origin") == "https://app.example"
        _, headers, _ = other.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers


# ---------------------------------------------------------------- 3. timeout and row cap
def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_long_query_is_stopped_and_its_core_freed(server: Served) -> None:
    before = server.children()
    t0 = time.monotonic()
    status, _, body = server.sparql(CROSS_JOIN)
    waited = time.monotonic() - t0
    assert status == 503 and b"time limit" in body, body[:200]
    assert waited < 30  # the limit is 3 s; the probe waited until the server was killed
    deadline = time.monotonic() + 20
    while before & server.children() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    gone = before - server.children()
    assert gone, "the worker running the query was not killed"
    assert not any(Path(f"/proc/{p}").exists() for p in gone)
    assert server.alive()
    # nothing of the server keeps a core busy afterwards
    pids = [server.proc.pid, *server.children()]
    used = sum(_cpu_seconds(p) for p in pids)
    time.sleep(2)
    assert sum(_cpu_seconds(p) for p in pids if Path(f"/proc/{p}").exists()) - used < 1.5


def test_answers_are_capped_and_say_so(server: Served) -> None:
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for accept in ("application/sparql-results+json", "text/csv", "text/tab-separated-values",
                   "application/sparql-results+xml"):
        status, headers, body = server.sparql(q, accept)
        assert status == 200 and headers.get("Migkg-Truncated") == "5", (accept, headers)
        if accept.endswith("json"):
            assert len(json.loads(body)["results"]["bindings"]) == 5
        elif accept == "text/csv":
            assert body.count(b"\r\n") == 6
    status, headers, body = server.sparql("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert status == 200 and headers.get("Migkg-Truncated") == "5" and body.count(b"\n") == 5
    status, headers, _ = server.sparql("SELECT ?x WHERE { VALUES ?x { 1 2 3 } }")
    assert status == 200 and "Migkg-Truncated" not in headers


# ---------------------------------------------------------------- 4. links and CSP
def test_query_page_links_only_http_and_our_iris(server: Served) -> None:
    q = ('SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,x> <https://example.org/a> '
         f'<{ID}country/XK> }} }}')
    dom, _ = dump_dom(server.base + "/?" + urllib.parse.urlencode({"query": q}))
    assert "4 row(s)" in dom, dom[-2000:]
    assert "javascript:alert(1)" in dom  # shown, as text
    assert 'href="javascript:' not in dom and 'href="data:' not in dom
    assert 'href="https://example.org/a"' in dom and 'href="/id/country/XK"' in dom


def test_node_pages_link_only_http_and_our_iris(server: Served) -> None:
    status, headers, body = server.get("/doc/organization/hostile.html", "text/html")
    assert status == 200
    page = body.decode()
    assert "javascript:alert(1)" in page
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert 'href="https://example.org/ok"' in page


def test_every_html_response_has_a_content_security_policy(server: Served) -> None:
    for path in ("/", "/sparql", "/ontology", "/doc/organization/hostile.html"):
        status, headers, _ = server.get(path, "text/html")
        assert status == 200 and headers["Content-Type"].startswith("text/html"), path
        policy = headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy, (path, policy)


# ---------------------------------------------------------------- 5. body and connection limits
def _raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                return out
            if not chunk:
                return out
            out += chunk


def test_negative_content_length_is_refused(server: Served) -> None:
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -1\r\n\r\n")
    t0 = time.monotonic()
    reply = _raw(server.port, head + b"ASK {}")
    assert reply.startswith(b"HTTP/1.1 400"), reply[:100]
    assert time.monotonic() - t0 < 10


def test_oversized_body_is_refused(server: Served) -> None:
    # Announce a 2 MiB body but send only its start, then read the answer: the server must refuse on the
    # declared length without reading the body. (Sending it whole races the server's close: the client
    # may see a reset before the 413, which made this test flaky on a busy machine.)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: " + str(2 << 20).encode() + b"\r\n\r\nquery=aaaa")
        head = s.recv(64)
    assert head.startswith(b"HTTP/1.1 413"), head


def test_half_sent_requests_are_dropped_and_hold_no_thread(server: Served) -> None:
    socks = []
    try:
        for _ in range(300):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 100\r\n\r\nASK")
            socks.append(s)
        assert server.alive()  # 300 stuck clients do not starve a real one
        threads = len(os.listdir(f"/proc/{server.proc.pid}/task"))
        assert threads < 100, threads
        s = socks[0]
        s.settimeout(20)
        t0 = time.monotonic()
        assert s.recv(100) == b""  # closed by the server after --read-timeout 2 s of silence
        assert time.monotonic() - t0 < 15
    finally:
        for s in socks:
            s.close()


def test_bursts_of_new_connections_are_all_accepted(server: Served) -> None:
    """16 clients opening a new connection per request (1,600 in all): none refused or dropped (the old
    listen backlog of 5 refused about 50 in 2,000 on the probe's run); the backlog itself is read back
    from the kernel (``ss``: a listening socket's Send-Q is its backlog)."""
    listing = subprocess.run(["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True, text=True).stdout
    assert int(listing.split()[2]) >= 512, listing
    errors: list[BaseException] = []

    def client() -> None:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("GET", "/ontology.ttl", headers={"Connection": "close"})
                r = conn.getresponse()
                r.read()
                conn.close()
                assert r.status == 200
            except BaseException as e:  # noqa: BLE001 - collected for the assertion
                errors.append(e)
    clients = [threading.Thread(target=client) for _ in range(16)]
    for t in clients:
        t.start()
    for t in clients:
        t.join(300)
    assert errors == []


# ---------------------------------------------------------------- 7. keep-alive without the Nagle stall
def test_keep_alive_requests_do_not_stall(server: Served) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    times = []
    for _ in range(60):
        t0 = time.perf_counter()
        conn.request("GET", "/ontology.ttl")
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t0)
    conn.close()
    times.sort()
    assert times[len(times) // 2] < 0.030, times  # the stall was 44 ms on every request


# ---------------------------------------------------------------- 10. bad parameters and headers
def test_bad_default_graph_uri_is_400(server: Served) -> None:
    status, _, body = server.sparql("ASK {}", **{"default-graph-uri": "not an iri"})
    assert status == 400 and b"not an IRI" in body
    status, _, _ = server.sparql("ASK {}", **{"named-graph-uri": "<x>"})
    assert status == 400


@pytest.mark.parametrize("host", [b"evil host", b"a\"b", b"x>y", b"h\xc3\xa9:1:2"])
def test_hostile_host_on_void_is_400(server: Served, host: bytes) -> None:
    reply = _raw(server.port, b"GET /void HTTP/1.1\r\nHost: " + host + b"\r\nAccept: text/turtle\r\n"
                 b"Connection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]


# ---------------------------------------------------------------- 6. new builds are seen
def _fds_deleted(pid: int) -> list[str]:
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(" (deleted)"):
            out.append(target)
    return out


def test_serve_sees_a_build_made_while_serving(tmp_path: Path) -> None:
    store = tmp_path / "store"
    res = subprocess.run([sys.executable, "-m", "migkg", "build", str(SEED), "--store", str(store), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    count = "PREFIX mkg: <https://w3id.org/migkg/ontology#> SELECT (COUNT(?r) AS ?n) WHERE { ?r a mkg:Release }"

    def releases(s: Served) -> int:
        status, _, body = s.sparql(count)
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    with serving(store, "--workers", "1") as s:
        assert releases(s) == 1
        res = subprocess.run([sys.executable, "-m", "migkg", "build", str(RELEASES), "--store", str(store),
                              "--quiet"], capture_output=True, text=True, timeout=600)
        assert res.returncode in (0, 1), res.stderr
        want = len(list(RELEASES.glob("*.txt"))) - res.stderr.count("\n")
        deadline = time.monotonic() + 30
        while releases(s) != want and time.monotonic() < deadline:
            time.sleep(0.3)
        assert releases(s) == want
        status, _, _ = s.get("/id/organization/international-organization-for-migration", "text/html")
        assert status == 200
        deadline = time.monotonic() + 30  # no more requests: an idle server must let go of old files too
        while time.monotonic() < deadline:
            held = [f for p in (s.proc.pid, *s.children()) for f in _fds_deleted(p) if str(store) in f]
            if not held:
                break
            time.sleep(0.5)
        assert held == []
