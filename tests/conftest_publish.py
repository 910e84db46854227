"""Helpers for the publishing tests: the store's content as rdflib graphs, isomorphism with a diff."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from migkg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"


def store_graphs(path: Path, only: URIRef | None = None) -> dict[str, Graph]:
    """The store's content as one rdflib Graph per named graph."""
    graphs: dict[str, Graph] = {}
    with open_store(path, read_only=True) as store:
        for q in store.quads(only):
            g = graphs.setdefault(str(q.graph_name), Graph())
            g.add(q.triple)
    return graphs


def merged(graphs: dict[str, Graph]) -> Graph:
    out = Graph()
    for g in graphs.values():
        for t in g:
            out.add(t)
    return out


def assert_isomorphic(expected: Graph, got: Graph, what: str) -> None:
    if isomorphic(expected, got):
        return
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    missing = "\n".join(sorted(f"  - {t}" for t in list(only_expected)[:10]))
    extra = "\n".join(sorted(f"  + {t}" for t in list(only_got)[:10]))
    pytest.fail(f"{what}: {len(only_expected)} triple(s) lost, {len(only_got)} added\n{missing}\n{extra}")


def chromium() -> str:
    """The headless Chromium the page tests drive (tools/ensure-chromium.sh installs it)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed for the page tests: run tools/ensure-chromium.sh")


def dump_dom(url: str) -> tuple[str, str]:
    """The DOM of ``url`` after its scripts ran in a real headless Chromium, and Chromium's stderr."""
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                               "--virtual-time-budget=10000", "--dump-dom", url],
                              capture_output=True, text=True, timeout=120)
    return proc.stdout, proc.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_process(store_dir: Path, *options: str, ready: str = "/", wait: float = 60.0,
                  clean_exit: bool = True) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real `migkg serve` subprocess over ``store_dir`` on a free port, once ``ready`` answers: its
    base URL and the process; stopped by SIGTERM afterwards (with ``clean_exit``, required to exit 0)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "migkg", "serve", "--store", str(store_dir),
                             "--port", str(port), "--quiet", *options], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(base + ready, timeout=5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"migkg serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"migkg serve did not answer within {wait:.0f} s")
            time.sleep(0.1)
    try:
        yield base, proc
    finally:
        proc.terminate()
        try:
            code = proc.wait(timeout=20)
            assert code == 0 or not clean_exit, "migkg serve did not stop cleanly on SIGTERM"
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stderr:
                proc.stderr.close()


@contextmanager
def serving(store_dir: Path, wait: float = 60.0) -> Iterator[str]:
    """The base URL of :func:`serve_process` over ``store_dir``."""
    with serve_process(store_dir, wait=wait) as (base, _):
        yield base
