"""Helpers for the publishing tests: the store's content as rdflib graphs, isomorphism with a diff."""

from __future__ import annotations

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
