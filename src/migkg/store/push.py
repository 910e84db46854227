"""Push: copy the embedded store's named graphs to a remote endpoint, in bounded batches, resumably.

Each named graph (releases, reference, ontology) gets a content hash (SHA-256 over its sorted
N-Quads lines). The remote keeps a manifest graph (:data:`~migkg.store.remote.PUSH_MANIFEST`) of the
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

**Bulk transport** (``push(bulk_dir=)``, ``--bulk-dir``, ``$MIGKG_BULK_DIR``; the profile's ``bulk``,
Virtuoso's ``virtuoso-ld-dir``): when the server can read a folder that push writes to (Virtuoso: a
folder in ``DirsAllowed``, the same path on both sides), push reads the store in one pass (each
graph's N-Triples written once, hashed, and, unless the remote holds it, appended to the current
TriG file in the folder as one ``GRAPH`` block: the N-Triples lines as pyoxigraph wrote them, between
the graph's IRI and ``{ }``, so no line is rewritten and nothing is compressed); each full file is
handed to a sender thread while the next is written. For each file, the graphs it replaces are
dropped and their manifest entries forgotten (one SPARQL Update), then ``<sql:ld_dir>(dir, file,
graph)`` and ``<sql:rdf_loader_run>()`` are called as SPARQL SELECTs on the authenticated endpoint,
the server is asked (``bif:exec`` of a SQL ``signal``) to fail unless ``DB.DBA.load_list`` shows the
file loaded without error (``ll_state`` 2, no ``ll_error``), and the file is deleted. Once
:data:`CHECKPOINT_EVERY` batches of quads have been loaded since the last checkpoint, and after the
last file, ``bif:exec('checkpoint')`` is called (the bulk loader writes no transaction log: only the
checkpoint makes a load survive a crash), and only then are the hashes of the graphs loaded since
the previous checkpoint recorded; a kill loses at most those loads, which the next push sends
again. What the remote holds is asked while the store is read. Files are
named by push (a random token and a number), the folder is checked to be an absolute path without
quotes, wildcards or control characters, and both go into the queries as escaped literals. One load
at a time (the loader takes every listed file). The user needs execute rights on ``DB.DBA.ld_dir``
and ``DB.DBA.rdf_loader_run`` and the right to checkpoint (Virtuoso's ``dba``); files of an
interrupted push (this version's TriG or an earlier one's gzip N-Quads) are deleted, never loaded
later.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Literal, URIRef

from migkg.errors import StoreError
from migkg.store.embedded import EmbeddedStore
from migkg.store.remote import PUSH_MANIFEST, RemoteStore
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
    return store.oxigraph.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b""


def graph_hash(store: EmbeddedStore, name: str) -> tuple[str, int]:
    """SHA-256 over the sorted lines ``S P O`` (N-Triples without the final `` .``) of one named
    graph, and its number of quads."""
    return ntriples_hash(graph_ntriples(store, name))


def ntriples_hash(ntriples: bytes) -> tuple[str, int]:
    """:func:`graph_hash` of a graph's N-Triples as pyoxigraph writes them (each line ends in `` .``
    and a line break; a line break inside a literal is written as an escape)."""
    lines = ntriples.split(b" .\n")
    lines.pop()  # what follows the last line: nothing
    lines.sort()
    lines.append(b"")
    return hashlib.sha256(b"\n".join(lines)).hexdigest(), len(lines) - 1


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
        for q in store.ox_quads(URIRef(g)):
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
BULK_PREFIX = "migkg-push-"
BULK_DEFAULT_GRAPH = "https://w3id.org/migkg/id/graph/bulk-default"  # for triples outside a graph: none
BULK_SUFFIXES = (".trig", ".nq.gz")  # what push writes; what earlier versions wrote
CHECKPOINT_EVERY = 2  # batches of quads loaded between two checkpoints (and manifest records)
CHECKPOINT = "SELECT (bif:exec('checkpoint') AS ?done) WHERE {}"
_BULK_DIR = re.compile(r"/[^\x00-\x1f\x7f'\"\\*%?<>|]*")


@dataclass
class BulkFolder:
    """A folder push writes TriG files to and the server reads them from (see the module docstring)."""

    path: Path
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    written: list[str] = field(default_factory=list)
    loaded: list[tuple[str, str]] = field(default_factory=list)  # (graph, hash) loaded, not yet recorded

    @classmethod
    def check(cls, folder: Path | str) -> BulkFolder:
        path = Path(folder).absolute()
        if not _BULK_DIR.fullmatch(str(path)) or not path.is_dir() or not os.access(path, os.W_OK):
            raise StoreError(f"--bulk-dir {folder}: not a writable folder, or its path has quotes, wildcards "
                             "or control characters", "pass a folder the server may read (Virtuoso: DirsAllowed)")
        for suffix in BULK_SUFFIXES:  # an interrupted push's files: never to be loaded later
            for old in path.glob(f"{BULK_PREFIX}*{suffix}"):
                old.unlink(missing_ok=True)
        return cls(path)

    def start(self) -> tuple[str, BinaryIO]:
        """A new TriG file in the folder (its name, and the file open for writing)."""
        name = f"{BULK_PREFIX}{self.token}-{len(self.written) + 1:06d}{BULK_SUFFIXES[0]}"
        self.written.append(name)
        return name, (self.path / name).open("wb")

    def forget(self) -> None:
        """Delete the files written (after a failure: never to be loaded later)."""
        for name in self.written:
            (self.path / name).unlink(missing_ok=True)

    def send(self, remote: RemoteStore, name: str, group: list[tuple[str, str, int]], have: dict[str, str],
             there: set[str], checkpoint: bool) -> int:
        """Replace the graphs of ``group`` (IRI, hash, quads) by the file ``name``: forget and drop those
        the remote has and load the file; with ``checkpoint``, then :meth:`commit`. Returns the
        requests sent."""
        names = [g for g, _, _ in group]
        forget = forget_and_drop([g for g in names if g in have], [g for g in names if g in there])
        if forget:
            remote.update(forget)
        self.load(remote, name, checkpoint=False)
        self.loaded += [(g, h) for g, h, _ in group]
        return 3 + bool(forget) + (self.commit(remote) if checkpoint else 0)  # ld_dir, loader, check

    def commit(self, remote: RemoteStore) -> int:
        """Checkpoint, then record the hashes of the graphs loaded since the last checkpoint; returns
        the requests sent. The loader writes no transaction log, so a record sent before the
        checkpoint could outlive the data it speaks of in a crash."""
        if not self.loaded:
            return 0
        remote.call(CHECKPOINT)
        # in parts: one INSERT DATA of 6,700 entries exhausted Virtuoso's SPARQL compiler memory
        for i in range(0, len(self.loaded), MANIFEST_CHUNK):
            remote.update(record(self.loaded[i:i + MANIFEST_CHUNK]))
        parts = (len(self.loaded) + MANIFEST_CHUNK - 1) // MANIFEST_CHUNK
        self.loaded = []
        return 1 + parts

    def load(self, remote: RemoteStore, name: str, checkpoint: bool = True) -> None:
        """Have the server bulk-load the file ``name``, checkpoint (unless told not to), check that the
        loader took it, and delete the file."""
        folder, file, default = (Literal(v).n3() for v in (str(self.path), name, BULK_DEFAULT_GRAPH))
        remote.call(f"SELECT (<sql:ld_dir>({folder}, {file}, {default}) AS ?done) WHERE {{}}")
        remote.call("SELECT (<sql:rdf_loader_run>() AS ?done) WHERE {}")
        if checkpoint:
            remote.call(CHECKPOINT)
        # the file must be listed, loaded (ll_state 2) and without error; else the server signals an
        # error (HTTP 500); sprintf of the row's count keeps the signal from being folded into a constant
        listed = f"'{self.path / name}'"  # a path checked to hold no quote, and a name of ours
        check = ("select signal('MKG01', sprintf('bulk file not loaded: see ll_error in DB.DBA.load_list (%d)', n)) "
                 f"from (select count(*) as n from DB.DBA.load_list where ll_file = {listed} and ll_state = 2 "
                 "and ll_error is null) t where n = 0")
        remote.call(f"SELECT (bif:exec({Literal(check).n3()}) AS ?done) WHERE {{}}")
        (self.path / name).unlink(missing_ok=True)


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
         progress: Progress | None = None, parallel: int | None = None,
         bulk_dir: Path | str | None = None) -> PushSummary:
    """Copy every named graph of ``store`` to ``remote``; see the module docstring. ``batch`` (most
    quads a request, or a bulk file) and ``parallel`` (most requests in flight) default to the
    engine profile's; ``bulk_dir`` (a folder the server reads) chooses the profile's bulk transport.

    Sender threads (the profile's ``parallel``, one unless the engine takes graphs side by side)
    send the requests while this thread reads and serializes the next ones (at most
    :data:`AHEAD` lists waiting beyond those being sent); a batch's manifest record goes only after
    all its data has been accepted, so the order that makes a push resumable holds."""
    for option, value in (("batch", batch), ("parallel", parallel)):
        if value is not None and value < 1:
            raise StoreError(f"--{option} {value}: must be at least 1")
    summary = PushSummary()
    names = store.graph_names()
    summary.engine = remote.detect_engine().name
    if bulk_dir is not None:
        if remote.profile.bulk is None:
            raise StoreError(f"--bulk-dir: the {remote.profile.name} engine profile has no bulk transport",
                             "leave out --bulk-dir (and $MIGKG_BULK_DIR)")
        return _push_bulk(store, remote, BulkFolder.check(bulk_dir), batch or remote.profile.bulk_batch,
                          names, summary, progress)
    have, there = remote_state(remote, names)
    summary.requests += 2 * (1 + len(names) // MANIFEST_CHUNK)
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


READERS = 2  # threads reading graphs (pyoxigraph's dump lets go of the GIL) while one writes files
READ_AHEAD = 64  # graphs read beyond the one being written


def _read(store: EmbeddedStore, name: str) -> tuple[str, bytes, tuple[str, int]]:
    nt = graph_ntriples(store, name)
    return name, nt, ntriples_hash(nt)


def _read_ahead(store: EmbeddedStore, names: list[str],
                readers: ThreadPoolExecutor) -> Iterator[tuple[str, bytes, tuple[str, int]]]:
    """Each graph's name, N-Triples and hash, in the order of ``names``, read by ``readers`` at most
    :data:`READ_AHEAD` graphs ahead (the dump is most of push's own work: bench/README.md)."""
    ahead: deque[Future[tuple[str, bytes, tuple[str, int]]]] = deque()
    try:
        for name in names:
            ahead.append(readers.submit(_read, store, name))
            if len(ahead) > READ_AHEAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
    finally:
        for future in ahead:
            future.cancel()


def _push_bulk(store: EmbeddedStore, remote: RemoteStore, bulk: BulkFolder, size: int, names: list[str],
               summary: PushSummary, progress: Progress | None) -> PushSummary:
    """The bulk transport (module docstring), in one pass over the store: each graph is written once
    as N-Triples, hashed, and (unless the remote holds it) appended to the current file; a full file
    is loaded by a sender thread while the next one is written (one load at a time: the server's
    loader takes every listed file). The total is not known before the pass: progress counts quads.
    Files grow from an eighth of ``size`` quads to ``size``, doubling, so that the server starts early.
    What the remote holds is asked :data:`MANIFEST_CHUNK` graphs at a time by a thread of its own
    while the store is read, each chunk's answer awaited only when its first graph comes up (asked
    all first, the 40 questions about 10,000 graphs held the first file back by 1.5–3.6 s)."""
    have: dict[str, str] = {}
    there: set[str] = set()
    loading: Future[int] | None = None
    limit = max(1, size // 8)
    since = 0  # quads sent since the last checkpoint

    def settle(future: Future[int] | None, group: list[tuple[str, str, int]]) -> None:
        if future is not None:
            summary.requests += future.result()  # a failed load raises here; nothing after it is sent
            summary.pushed += [g for g, _, _ in group]
            summary.quads += sum(n for _, _, n in group)
            if progress:
                progress("bulk-loading quads", summary.quads, None)

    with ThreadPoolExecutor(1, thread_name_prefix="migkg-bulk") as sender, \
            ThreadPoolExecutor(READERS, thread_name_prefix="migkg-read") as readers, \
            ThreadPoolExecutor(1, thread_name_prefix="migkg-state") as asker:
        asked = deque(asker.submit(remote_state, remote, names[i:i + MANIFEST_CHUNK])
                      for i in range(0, len(names), MANIFEST_CHUNK))
        out: BinaryIO | None = None
        name, group, sent_group, quads = "", [], [], 0
        try:
            if progress:
                progress("bulk-loading quads", 0, None)
            for i, (g, nt, (h, n)) in enumerate(_read_ahead(store, names, readers)):
                if i % MANIFEST_CHUNK == 0:  # the first graph of a chunk: its remote state is needed now
                    chunk_have, chunk_there = asked.popleft().result()
                    have.update(chunk_have)
                    there.update(chunk_there)
                    summary.requests += 2
                if have.get(g) == h:
                    summary.skipped.append(g)
                    continue
                if out is None:
                    name, out = bulk.start()
                out.write(b"%s {\n%s}\n" % (_n3(g).encode(), nt))
                group.append((g, h, n))
                quads += n
                if quads >= limit:
                    limit = min(size, 2 * limit)
                    out.close()
                    settle(loading, sent_group)
                    since += quads
                    due = since >= CHECKPOINT_EVERY * size
                    loading = sender.submit(bulk.send, remote, name, group, have, there, due)
                    since = 0 if due else since
                    out, sent_group, group, quads = None, group, [], 0
            if out is not None:
                out.close()
                settle(loading, sent_group)
                loading = sender.submit(bulk.send, remote, name, group, have, there, True)
                sent_group = group
            settle(loading, sent_group)
            settle(sender.submit(bulk.commit, remote), [])  # what the last file's load left unrecorded
            if progress:  # the total is known now: the last report ends the progress line
                progress("bulk-loading quads", summary.quads, summary.quads)
        except BaseException:
            for future in (loading, *asked):
                if future is not None:
                    future.cancel()
            if out is not None:
                out.close()
            sender.shutdown(wait=True)
            bulk.forget()  # files written ahead: never to be loaded
            raise
    return summary
