"""Push: copy the embedded store's named graphs to a remote endpoint, in bounded batches, resumably.

Each named graph (releases, reference, ontology) gets a content hash (SHA-256 over its sorted
N-Quads lines). The remote keeps a manifest graph (:data:`~migkg.remote.PUSH_MANIFEST`) of the
hashes of the graphs it holds completely. A graph whose remote hash matches is skipped; any other
is sent batch by batch: forget its manifest entry and drop it (one SPARQL Update), send its quads
(at most ``batch`` a request), then record its hash. A push interrupted anywhere leaves the
interrupted graphs without a manifest entry, so the next run sends them again and finishes the rest.
The local store is only read.

How the quads are sent is the engine profile's ``load`` (:mod:`migkg.engines`): ``gsp-dataset``
POSTs N-Quads of many graphs to the Graph Store (Oxigraph, Fuseki); ``gsp-graph`` sends each graph
as N-Triples to the Graph Store with ``?graph=`` (the generic profile): a PUT where the remote has
the graph (a replacement, so nothing is dropped on its own), else a POST, the manifest entries of
all graphs to send forgotten before the first; ``update`` sends ``INSERT DATA`` with one ``GRAPH``
block per graph (Virtuoso, whose Graph Store takes one graph a request and costs it more per quad):
there the forget-and-drop goes in the same request as the first quads and the manifest entry in the
same request as the last, since Virtuoso runs each request as one transaction. The profile's
``parallel`` (or ``push(parallel=)``) says how many requests may be in flight at once; a batch's
manifest entries are sent only once all of its data has been accepted. The quads are read as
pyoxigraph's N-Triples of each graph, once for the hash and once to send. Every term in an update
is written by pyoxigraph's N-Triples serializer or rdflib's ``n3()`` (graph IRIs checked to be one
IRI token); only the keywords around them are ours. A blank node of a graph split over two requests
would become two blank nodes (our graphs have none: every node is minted as an IRI).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef

from migkg.errors import StoreError
from migkg.remote import PUSH_MANIFEST, RemoteStore
from migkg.store import EmbeddedStore
from migkg.vocab import MKG

Progress = Callable[[str, int, int | None], None]


@dataclass
class PushSummary:
    engine: str = "generic"
    pushed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    quads: int = 0
    requests: int = 0


def graph_ntriples(store: EmbeddedStore, name: str) -> bytes:
    """One named graph as N-Triples, written by pyoxigraph (one line a triple)."""
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_TRIPLES, URIRef(name))
    return out.getvalue()


def graph_hash(store: EmbeddedStore, name: str) -> tuple[str, int]:
    """SHA-256 over the sorted lines ``S P O`` (N-Triples without the final `` .``) of one named
    graph, and its number of quads."""
    lines = sorted(line[:-2] for line in graph_ntriples(store, name).split(b"\n") if line)
    h = hashlib.sha256()
    for line in lines:
        h.update(line)
        h.update(b"\n")
    return h.hexdigest(), len(lines)


AHEAD = 2  # lists of requests prepared beyond those being sent
MANIFEST_CHUNK = 500  # graphs asked about per query (answers stay below servers' row limits)
_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`]*")


def _n3(graph: str) -> str:
    """A graph IRI as rdflib writes it, refused unless it is one IRI token (it goes into update text)."""
    if not _IRI.fullmatch(graph):
        raise StoreError(f"{graph!r}: not an IRI that can name a graph", "rebuild the store")
    return URIRef(graph).n3()


def remote_state(remote: RemoteStore, graphs: list[str]) -> tuple[dict[str, str], set[str]]:
    """What the remote holds of ``graphs``: their manifest hashes (graph IRI -> hash of the copy it
    holds completely) and which of them exist at all (so only those need dropping)."""
    hashes: dict[str, str] = {}
    there: set[str] = set()
    m, p = PUSH_MANIFEST.n3(), MKG.contentHash.n3()
    for i in range(0, len(graphs), MANIFEST_CHUNK):
        values = " ".join(_n3(g) for g in graphs[i:i + MANIFEST_CHUNK])
        rows = remote.select_result(f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {values} }} GRAPH {m} {{ ?g {p} ?h }} }}").rows
        hashes.update((str(g), str(h)) for g, h in rows)
        rows = remote.select_result(
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}").rows
        there.update(str(r[0]) for r in rows)
    return hashes, there


def forget_and_drop(forget: list[str], drop: list[str]) -> str:
    """Forget the manifest entries of ``forget`` and drop the graphs ``drop`` (one SPARQL Update)."""
    m, p = PUSH_MANIFEST.n3(), MKG.contentHash.n3()
    parts = []
    if forget:
        values = " ".join(_n3(g) for g in forget)
        parts.append(f"DELETE {{ GRAPH {m} {{ ?g {p} ?h }} }} "
                     f"WHERE {{ VALUES ?g {{ {values} }} GRAPH {m} {{ ?g {p} ?h }} }}")
    parts += [f"DROP SILENT GRAPH {_n3(g)}" for g in drop]
    return " ;\n".join(parts)


def record(hashes: list[tuple[str, str]]) -> str:
    """Record the hashes of graphs now held completely (one SPARQL Update)."""
    m, p = PUSH_MANIFEST.n3(), MKG.contentHash.n3()
    triples = " ".join(f"{_n3(g)} {p} {Literal(h).n3()} ." for g, h in hashes)
    return f"INSERT DATA {{ GRAPH {m} {{ {triples} }} }}"


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


def _chunks(store: EmbeddedStore, graphs: list[str], batch: int) -> Iterator[list[ox.Quad]]:
    buf: list[ox.Quad] = []
    for g in graphs:
        for q in store.quads(URIRef(g)):
            buf.append(q)
            if len(buf) >= batch:
                yield buf
                buf = []
    if buf:
        yield buf


def _line_chunks(store: EmbeddedStore, graphs: list[str], batch: int) -> Iterator[list[tuple[str, bytes]]]:
    """The graphs' N-Triples lines (pyoxigraph's), in chunks of at most ``batch`` lines, each chunk a
    list of (graph IRI, lines) blocks."""
    chunk: list[tuple[str, bytes]] = []
    size = 0
    for g in graphs:
        lines = graph_ntriples(store, g).splitlines(keepends=True)
        i = 0
        while i < len(lines):
            take = min(batch - size, len(lines) - i)
            chunk.append((g, b"".join(lines[i:i + take])))
            size, i = size + take, i + take
            if size >= batch:
                yield chunk
                chunk, size = [], 0
    if chunk:
        yield chunk


def insert_data(blocks: list[tuple[str, bytes]]) -> str:
    """``INSERT DATA`` with one ``GRAPH`` block per (graph IRI, its triples as N-Triples written by
    pyoxigraph) pair."""
    return "INSERT DATA {\n" + "\n".join(f"GRAPH {_n3(g)} {{\n{nt.decode('utf-8')}}}" for g, nt in blocks) + "\n}"


Request = Callable[[], None]


def _requests(store: EmbeddedStore, remote: RemoteStore, group: list[tuple[str, str, int]],
              batch: int, have: dict[str, str], there: set[str]) -> Iterator[list[Request]]:
    """The requests that send one batch of graphs, the way the engine's profile says, as lists: each
    list is sent in order, different lists may be sent side by side, and the last list (sent once
    all others have succeeded) records the batch's hashes in the manifest."""
    names = [g for g, _, _ in group]
    done = record([(g, h) for g, h, _ in group])
    load = remote.profile.load
    if load == "gsp-graph":
        # the manifest entries were forgotten before anything was sent (push); a graph the remote
        # holds is replaced by a PUT of its first part, so nothing is dropped on its own
        for g in names:
            lines = graph_ntriples(store, g).splitlines(keepends=True)
            yield [functools.partial(remote.put_graph if i == 0 and g in there else remote.post_graph,
                                     g, b"".join(lines[i:i + batch]))
                   for i in range(0, max(len(lines), 1), batch)]
        yield [functools.partial(remote.update, done)]
        return
    forget = forget_and_drop([g for g in names if g in have], [g for g in names if g in there])
    if load == "update":
        chunks = list(_line_chunks(store, names, batch)) or [[]]
        texts = [" ;\n".join(([forget] if i == 0 and forget else []) + ([insert_data(chunk)] if chunk else []))
                 for i, chunk in enumerate(chunks)]
        texts[-1] = " ;\n".join([t for t in (texts[-1], done) if t])
        yield [functools.partial(remote.update, t) for t in texts[:-1]]
        yield [functools.partial(remote.update, texts[-1])]
        return
    yield ([functools.partial(remote.update, forget)] if forget else []) + [
        functools.partial(remote.post_quads, ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
        for chunk in _chunks(store, names, batch)]
    yield [functools.partial(remote.update, done)]


def _in_order(requests: list[Request], before: Sequence[Future[None]] = ()) -> Request:
    """Send ``requests`` one after another, once every request in ``before`` has succeeded."""
    def run() -> None:
        for future in before:
            future.result()
        for request in requests:
            request()
    return run


def push(store: EmbeddedStore, remote: RemoteStore, batch: int | None = None,
         progress: Progress | None = None, parallel: int | None = None) -> PushSummary:
    """Copy every named graph of ``store`` to ``remote``; see the module docstring. ``batch`` (most
    quads a request) and ``parallel`` (most requests in flight) default to the engine profile's.

    Sender threads (the profile's ``parallel``, one unless the engine takes graphs side by side)
    send the requests while this thread reads and serializes the next ones (at most
    :data:`AHEAD` lists waiting beyond those being sent); a batch's manifest record goes only after
    all its data has been accepted, so the order that makes a push resumable holds."""
    for option, value in (("batch", batch), ("parallel", parallel)):
        if value is not None and value < 1:
            raise StoreError(f"--{option} {value}: must be at least 1")
    summary = PushSummary()
    names = store.graph_names()
    have, there = remote_state(remote, names)  # the first query also detects the engine
    summary.requests += 2 * (1 + len(names) // MANIFEST_CHUNK)
    summary.engine = remote.profile.name
    size = batch or remote.profile.batch
    todo: list[tuple[str, str, int]] = []
    for name in names:
        h, n = graph_hash(store, name)
        if have.get(name) == h:
            summary.skipped.append(name)
        else:
            todo.append((name, h, n))
    total = sum(n for _, _, n in todo)
    if remote.profile.load == "gsp-graph":  # forget first: from here on, a graph sent is unrecorded
        stale = [g for g, _, _ in todo if g in have]
        for i in range(0, len(stale), MANIFEST_CHUNK):
            remote.update(forget_and_drop(stale[i:i + MANIFEST_CHUNK], []))
            summary.requests += 1
    if progress:
        progress("pushing quads", 0, total)
    workers = parallel or remote.profile.parallel
    sent: deque[tuple[Future[None], int, list[tuple[str, str, int]] | None]] = deque()

    def settle(keep: int) -> None:
        while len(sent) > keep:
            future, requests, group = sent.popleft()
            future.result()  # a failed request raises here; nothing after it is sent
            summary.requests += requests
            if group is not None:
                summary.pushed += [g for g, _, _ in group]
                summary.quads += sum(n for _, _, n in group)
                if progress:
                    progress("pushing quads", summary.quads, total)

    with ThreadPoolExecutor(workers, thread_name_prefix="migkg-push") as sender:
        try:
            for group in _batches(todo, size):
                lists = (r for r in _requests(store, remote, group, size, have, there) if r)
                before: list[Future[None]] = []
                last = next(lists)
                for requests in lists:
                    before.append(sender.submit(_in_order(last)))
                    sent.append((before[-1], len(last), None))
                    settle(AHEAD + workers)
                    last = requests
                sent.append((sender.submit(_in_order(last, before)), len(last), group))
                settle(AHEAD + workers)
            settle(0)
        except BaseException:
            for future, _, _ in sent:
                future.cancel()
            raise
    return summary
