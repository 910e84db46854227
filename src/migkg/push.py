"""Push: copy the embedded store's named graphs to a remote endpoint, in bounded batches, resumably.

Each named graph (releases, reference, ontology) gets a content hash (SHA-256 over its sorted
N-Quads lines). The remote keeps a manifest graph (:data:`~migkg.remote.PUSH_MANIFEST`) of the
hashes of the graphs it holds completely. A graph whose remote hash matches is skipped; any other
is sent batch by batch: forget its manifest entry and drop it (one SPARQL Update), POST its quads
as N-Quads (Graph Store Protocol, at most ``batch`` quads a request), then record its hash. A push
interrupted anywhere leaves the interrupted graphs without a manifest entry, so the next run sends
them again and finishes the rest. The local store is only read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareUpdate

from migkg.errors import StoreError
from migkg.remote import PUSH_MANIFEST, RemoteStore
from migkg.store import EmbeddedStore
from migkg.vocab import MKG

Progress = Callable[[str, int, int | None], None]


@dataclass
class PushSummary:
    pushed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    quads: int = 0
    requests: int = 0


def graph_hash(store: EmbeddedStore, name: str) -> tuple[str, int]:
    """SHA-256 over the sorted N-Quads-style lines of one named graph, and its number of quads."""
    lines = sorted(f"{q.subject} {q.predicate} {q.object}" for q in store.quads(URIRef(name)))
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest(), len(lines)


def remote_hashes(remote: RemoteStore) -> dict[str, str]:
    """The manifest: graph IRI -> hash of the copy the remote holds completely."""
    rows = remote.select_result("SELECT ?g ?h WHERE { GRAPH ?m { ?g ?p ?h } }",
                                {"m": PUSH_MANIFEST, "p": MKG.contentHash}).rows
    return {str(g): str(h) for g, h in rows}


def _update(text: str) -> str:
    prepareUpdate(text)  # the text holds only terms serialized by rdflib; check it parses all the same
    return text


def _forget_and_drop(graphs: list[str]) -> str:
    m, p = PUSH_MANIFEST.n3(), MKG.contentHash.n3()
    values = " ".join(URIRef(g).n3() for g in graphs)
    parts = [f"DELETE {{ GRAPH {m} {{ ?g {p} ?h }} }} "
             f"WHERE {{ VALUES ?g {{ {values} }} GRAPH {m} {{ ?g {p} ?h }} }}"]
    parts += [f"DROP SILENT GRAPH {URIRef(g).n3()}" for g in graphs]
    return _update(" ;\n".join(parts))


def _record(hashes: list[tuple[str, str]]) -> str:
    m, p = PUSH_MANIFEST.n3(), MKG.contentHash.n3()
    triples = " ".join(f"{URIRef(g).n3()} {p} {Literal(h).n3()} ." for g, h in hashes)
    return _update(f"INSERT DATA {{ GRAPH {m} {{ {triples} }} }}")


def _batches(todo: list[tuple[str, str, int]], batch: int) -> Iterator[list[tuple[str, str, int]]]:
    cur: list[tuple[str, str, int]] = []
    size = 0
    for item in todo:
        if cur and size + item[2] > batch:
            yield cur
            cur, size = [], 0
        cur.append(item)
        size += item[2]
    if cur:
        yield cur


def _chunks(store: EmbeddedStore, graphs: list[str], batch: int) -> Iterator[bytes]:
    buf: list[ox.Quad] = []
    for g in graphs:
        for q in store.quads(URIRef(g)):
            buf.append(q)
            if len(buf) >= batch:
                yield ox.serialize(buf, format=ox.RdfFormat.N_QUADS)
                buf = []
    if buf:
        yield ox.serialize(buf, format=ox.RdfFormat.N_QUADS)


def push(store: EmbeddedStore, remote: RemoteStore, batch: int = 20_000,
         progress: Progress | None = None) -> PushSummary:
    """Copy every named graph of ``store`` to ``remote``; see the module docstring."""
    if batch < 1:
        raise StoreError(f"--batch {batch}: must be at least 1")
    summary = PushSummary()
    have = remote_hashes(remote)
    summary.requests += 1
    todo: list[tuple[str, str, int]] = []
    for name in store.graph_names():
        h, n = graph_hash(store, name)
        if have.get(name) == h:
            summary.skipped.append(name)
        else:
            todo.append((name, h, n))
    total = sum(n for _, _, n in todo)
    for group in _batches(todo, batch):
        names = [g for g, _, _ in group]
        remote.update(_forget_and_drop(names))
        summary.requests += 1
        for body in _chunks(store, names, batch):
            remote.post_quads(body)
            summary.requests += 1
        remote.update(_record([(g, h) for g, h, _ in group]))
        summary.requests += 1
        summary.pushed += names
        summary.quads += sum(n for _, _, n in group)
        if progress:
            progress("pushing quads", summary.quads, total)
    return summary
