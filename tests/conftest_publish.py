"""Helpers for the publishing tests: the store's content as rdflib graphs, isomorphism with a diff."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from migkg.store import from_ox, open_store

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"


def store_graphs(path: Path, only: URIRef | None = None) -> dict[str, Graph]:
    """The store's content as one rdflib Graph per named graph."""
    graphs: dict[str, Graph] = {}
    with open_store(path, read_only=True) as store:
        for q in store.quads(only):
            g = graphs.setdefault(q.graph_name.value, Graph())
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
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
