"""Fixtures for the remote-store tests: a real Oxigraph server on 127.0.0.1, and small faulty servers;
and the checks the Oxigraph and Virtuoso tests share (same answers, a push resumed after a kill).

Import explicitly: ``from conftest_remote import oxigraph_server, ...``. A missing ``oxigraph``
binary fails the tests (install the ``dev`` extra), it never skips them.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pytest

from migkg.errors import StoreError
from migkg.model import Result
from migkg.pipeline import build_store
from migkg.query import run_query, saved_queries
from migkg.store import EmbeddedStore, open_endpoint, open_store
from migkg.store.push import push
from migkg.store.remote import PUSH_MANIFEST, RemoteStore

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "data" / "releases"
TOP_LEVEL = [q.name for q in saved_queries() if "/" not in q.name]
EXAMPLE_PARAMS = json.loads((ROOT / "tests" / "expected" / "params.json").read_text(encoding="utf-8"))


def rows(result: object) -> list[tuple[str, ...]]:
    """A result's rows as sorted tuples of N3 strings (an unbound value as "")."""
    return sorted(tuple("" if t is None else t.n3() for t in row) for row in result.rows)  # type: ignore[attr-defined]


def assert_same_answers(local: EmbeddedStore, remote: RemoteStore) -> None:
    """Every top-level saved query gives rows, and the same variables and rows from the store and
    from the endpoint."""
    for name in TOP_LEVEL:
        params = EXAMPLE_PARAMS.get(name, {})
        a, b = run_query(local, name, params), run_query(remote, name, params)
        assert a.variables == b.variables, name
        assert a.rows, f"{name} returns no row on data/releases"
        assert rows(a) == rows(b), name


class Killable(Protocol):
    url: str

    def start(self) -> None: ...

    def kill(self) -> None: ...


class KillingRemote(RemoteStore):
    """A real remote store whose server is SIGKILLed just before the n-th write request (of any kind)."""

    def __init__(self, server: Killable, kill_at: int) -> None:
        super().__init__(server.url, retries=1, backoff=0.01)
        self.server, self.kill_at, self.writes = server, kill_at, 0

    def _write(self) -> None:
        self.writes += 1
        if self.writes == self.kill_at:
            self.server.kill()

    def update(self, sparql_update: str) -> None:
        self._write()
        super().update(sparql_update)

    def post_quads(self, nquads: bytes) -> None:
        self._write()
        super().post_quads(nquads)

    def post_graph(self, name: str, ntriples: bytes) -> None:
        self._write()
        super().post_graph(name, ntriples)

    def put_graph(self, name: str, ntriples: bytes) -> None:
        self._write()
        super().put_graph(name, ntriples)

    def call(self, sparql: str) -> Result:
        self._write()
        return super().call(sparql)


def assert_push_resumes(local: EmbeddedStore, server: Killable, kill_at: int, **options: Any) -> None:
    """A push whose server is killed before its ``kill_at``-th write fails; run again once the server
    is back on the same data, it skips exactly the graphs the manifest holds, sends the rest, and the
    endpoint then answers every top-level saved query as the store does. ``options`` go to both pushes."""
    with pytest.raises(StoreError, match="unreachable"):
        push(local, KillingRemote(server, kill_at), batch=1500, **options)
    server.start()
    with open_endpoint(server.url) as remote:
        done_before = len(remote.select_result("SELECT ?g WHERE { GRAPH ?m { ?g ?p ?h } }",
                                               {"m": PUSH_MANIFEST}).rows)
        assert 0 < done_before < len(local.graph_names())
        resumed = push(local, remote, batch=1500, **options)
        assert len(resumed.skipped) == done_before
        assert len(resumed.pushed) == len(local.graph_names()) - done_before
        assert remote.graph_names() == local.graph_names() and len(remote) == len(local)
        assert_same_answers(local, remote)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the `oxigraph` server binary is missing; "
                    "install migkg's dev extra (pip install -e '.[dev]')")
    return found


class _ChildServer:
    """SIGKILL or stop a server running as a child process (``self.proc``)."""

    proc: subprocess.Popen[bytes] | None
    stop_wait: ClassVar[float] = 10.0  # seconds to wait for a clean exit before killing

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(self.stop_wait)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class OxigraphServer(_ChildServer):
    """A real `oxigraph serve` process with its data folder; can be killed and started again."""

    location: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self, wait: float = 30.0) -> None:
        self.proc = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {self.proc.stderr.read().decode()[:500]}")  # type: ignore[union-attr]
            try:
                urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"oxigraph serve did not answer on port {self.port} within {wait} s")



@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh, empty Oxigraph server (union default graph) on a free port."""
    server = OxigraphServer(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/releases built once into an embedded store (only read by the tests)."""
    path = tmp_path_factory.mktemp("embedded") / "store"
    with open_store(path) as store:
        summary = build_store([RELEASES], store, jobs=1)
    assert summary.ok, [f.line() for f in summary.failures]
    return path


class _Faulty(http.server.BaseHTTPRequestHandler):
    mode = "500"
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.command)
        if self.mode == "slow":
            time.sleep(2.0)
        body = b"internal failure"
        try:
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def faulty_server() -> Iterator[tuple[str, type[_Faulty]]]:
    """A tiny local HTTP server answering every request with HTTP 500 (or, in "slow" mode, late)."""
    handler = type("Handler", (_Faulty,), {"hits": [], "mode": "500"})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/query", handler
    srv.shutdown()
    srv.server_close()


# ---------------------------------------------------------------- Virtuoso
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {dir}{more_dirs}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


def virtuoso_binary(name: str = "virtuoso-t") -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"`{name}` is missing; `make test` installs it (tools/ensure-virtuoso.sh; "
                    "Debian: apt-get install virtuoso-opensource)")
    return found


@dataclass
class VirtuosoServer(_ChildServer):
    """A real `virtuoso-t +foreground` with a config and database folder of its own, on free ports
    of 127.0.0.1; can be killed and started again on the same database."""

    folder: Path
    http_port: int = field(default_factory=free_port)
    sql_port: int = field(default_factory=free_port)
    max_rows: int = 1_000_000
    buffers: int = 10_000
    proc: subprocess.Popen[bytes] | None = None
    password: str = "dba"  # Virtuoso's initial dba password; tests set a secret one with set_password
    bulk_dir: Path | None = None  # a folder added to DirsAllowed (push's bulk transport)
    stop_wait: ClassVar[float] = 120.0  # a checkpoint on shutdown can take a while

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def config(self) -> Path:
        return self.folder / "virtuoso.ini"

    def start(self, wait: float = 240.0) -> None:
        (self.folder / "www").mkdir(parents=True, exist_ok=True)
        self.config.write_text(VIRTUOSO_INI.format(
            dir=self.folder, sql_port=self.sql_port, http_port=self.http_port, max_rows=self.max_rows,
            buffers=self.buffers, dirty=self.buffers * 3 // 4,
            more_dirs=f", {self.bulk_dir}" if self.bulk_dir else ""), encoding="utf-8")
        self.proc = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(self.config)],
                                     cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text(errors="replace")[-800:]
                pytest.fail(f"virtuoso-t exited with {self.proc.returncode}: {log}")
            try:
                urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=5).read()
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"virtuoso-t did not answer on port {self.http_port} within {wait} s")

    def isql(self, script: str, timeout: float = 600.0) -> str:
        """Run SQL through isql-vt, statements on standard input. isql-vt takes its password as an
        argument: only Virtuoso's public initial one is ever passed (see :meth:`set_password`)."""
        if self.password != "dba":
            pytest.fail("isql-vt would show the secret password in the process list")
        done = subprocess.run([virtuoso_binary("isql-vt"), f"127.0.0.1:{self.sql_port}", "dba", "dba"],
                              input=f"{script}\n".encode(), capture_output=True, timeout=timeout, check=False)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            pytest.fail(f"isql-vt failed: {out[-800:]}")
        return out

    def set_password(self, new: str) -> None:
        """Replace the initial dba password (the statement goes on isql's standard input)."""
        if not new.isalnum():
            raise ValueError("use a letters-and-digits password")
        self.isql(f"USER_SET_PASSWORD('dba', '{new}');")
        self.password = new

