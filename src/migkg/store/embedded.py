"""The embedded store: an on-disk Oxigraph store. ``open_store(path)`` opens (creating) it.

The embedded store keeps two views of the same statements. Each named graph holds what one release
(or the reference data, or the ontology) states: that is the provenance, read by ``explain`` and
the ``GRAPH ?g`` patterns. The default graph holds the *merge*: the set of every triple of every
named graph, each once, except the evidence records (``id:evidence/…``, which one release alone
states: they stay in its graph, where ``explain`` reads them). Queries run over the merge, so a triple
stated by 5,000 releases is read once, not 5,000 times (over the union of the named graphs it would
multiply every join it takes part in). Writes keep both views in one transaction, so a killed build
leaves each release wholly in or wholly out, in its graph and in the merge: a new graph is one
``Store.extend`` (its quads and their copies in the default graph); replacing a graph is one SPARQL
update (remove from the merge the old triples no other graph states, delete the old quads, insert the
new ones and their copies) whose terms reach Oxigraph through custom functions, never as text. rdflib
graphs are converted term by term; nothing is serialized into query strings. A store written before
the merge existed gets it when first opened for writing; opened read-only it is queried over the union
as before.

A large first build skips the transactions (:meth:`EmbeddedStore.beside`, :meth:`EmbeddedStore.take_over`):
it is written by Oxigraph's bulk loader into a new store in a sibling folder, which replaces the
(empty) store only once complete, by an atomic exchange of the two folders. A build killed before
the exchange leaves the empty store as it was; the sibling folder is removed when the store is next
opened for writing.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import itertools
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from migkg.bind import with_values
from migkg.errors import StoreError
from migkg.files import is_disk_full
from migkg.model import Result
from migkg.policy import check_query, run_deep
from migkg.store.base import default_store_path
from migkg.store.count import QuadCount
from migkg.store.formats import READABLE, is_dataset, write_ox
from migkg.store.order import row_order, split_order
from migkg.store.stream import CHUNK, ResultStream, Sink, ThreadStream
from migkg.store.terms import Converter, Quad, Triple, distinct_triples, from_ox, graph_quads, to_ox, to_ox_or_none
from migkg.vocab import EVIDENCE_SPACE, MKG, RDF

Row = tuple[Node | None, ...]
TERM_CACHE = 1 << 18  # distinct terms a stream keeps converted before it empties its cache
FLUSH_EVERY = 256  # graph writes between flushes of the store's memory buffers to disk
BULK_BYTES = 64 << 20  # N-Quads gathered for one call of the bulk loader
_BESIDE, _OLD = ".migkg-bulk", ".migkg-old"  # a bulk build's folder and the empty store it replaced


_FN = "urn:migkg:fn:"
_FN_GRAPH, _FN_S, _FN_P, _FN_O = (ox.NamedNode(_FN + n) for n in ("graph", "s", "p", "o"))
_DEFAULT = ox.DefaultGraph()
_TYPE, _EVIDENCE = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(MKG.Evidence))
# One update, so one transaction: the old triples that no other graph states leave the merge (the
# default graph), the old graph goes, the new quads and their copies in the merge come in.
_REPLACE_GRAPH = f"""PREFIX f: <{_FN}>
DELETE {{ ?s ?p ?o }} WHERE {{
  BIND (f:graph() AS ?g) LATERAL {{ GRAPH ?g {{ ?s ?p ?o }} }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != ?g) }}
}} ;
DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ BIND (f:graph() AS ?g) LATERAL {{ GRAPH ?g {{ ?s ?p ?o }} }} }} ;
INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{
  BIND (f:graph() AS ?g) VALUES ?i {{ ROWS }}
  BIND (f:s(?i) AS ?s) BIND (f:p(?i) AS ?p) BIND (f:o(?i) AS ?o)
}} ;
INSERT {{ ?s ?p ?o }} WHERE {{
  VALUES ?i {{ COPIES }}
  BIND (f:s(?i) AS ?s) BIND (f:p(?i) AS ?p) BIND (f:o(?i) AS ?o)
}}"""
_MERGE_ALL = f"""INSERT {{ ?s ?p ?o }} WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER (!STRSTARTS(STR(?s), "{EVIDENCE_SPACE}"))
}}"""
# an evidence record's lines in N-Quads (each line starts with its subject; N-Quads escapes line breaks)
_EVIDENCE_AT = b"<" + EVIDENCE_SPACE.encode()
_EVIDENCE_LINE = re.compile(b"^" + re.escape(_EVIDENCE_AT) + rb"[^\n]*\n", re.M)


def _without_evidence(data: bytes) -> bytes:
    """N-Quads ``data`` without the evidence records' lines: a cut when they come last, as
    :func:`~migkg.store.terms.nquads_bytes` writes them (each line starts with its subject, and a line
    break is nowhere but at a line's end), else a search line by line."""
    first = 0 if data.startswith(_EVIDENCE_AT) else data.find(b"\n" + _EVIDENCE_AT) + 1
    if first == 0 and not data.startswith(_EVIDENCE_AT):
        return data  # no evidence record
    tail = data[first:]
    if tail.count(b"\n") == 1 + tail.count(b"\n" + _EVIDENCE_AT):  # every line from there on is one's
        return data[:first]
    return _EVIDENCE_LINE.sub(b"", data)


class _Loading(threading.Thread):
    """One batch of N-Quads written by Oxigraph's bulk loader on a thread; :meth:`join` raises what it raised."""

    def __init__(self, store: ox.Store, data: bytes) -> None:
        super().__init__(name="migkg-bulk-load", daemon=True)
        self._store, self._data = store, data
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            # lenient: our own serializer wrote these lines, so their IRIs and tags are not checked again
            self._store.bulk_load(self._data, format=ox.RdfFormat.N_QUADS, lenient=True)
        except BaseException as e:  # handed to the thread that waits for it
            self._error = e
        finally:
            self._data = b""

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self._error is not None:
            raise self._error


def _in_merge(q: ox.Quad) -> bool:
    """Whether the merge gets a copy of this quad's triple: all but an evidence record's."""
    s = q.subject
    return not (isinstance(s, ox.NamedNode) and s.value.startswith(EVIDENCE_SPACE))


def open_error(path: Path, e: BaseException) -> StoreError:
    """One line for a store that cannot be opened: locked, corrupted, disk full, or else."""
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    if "Corruption" in text:
        return StoreError(f"{path}: the store is damaged ({text})",
                          "move the folder aside and build again from the releases: migkg build PATH --store DIR")
    if is_disk_full(e):
        return StoreError(f"{path}: disk full ({text})", "free space on that disk and try again")
    if "lock" in text.lower():
        return StoreError(f"{path}: cannot open the store ({text})", "is another migkg process writing to it?")
    return StoreError(f"{path}: cannot open the store ({text})")


class EmbeddedStore:
    """An on-disk Oxigraph store. Open with :func:`open_store`; close with :meth:`close`."""

    order_in_python = True  # a closing ORDER BY sorted here when the order is reproducible (store/order.py)

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._writes = 0
        try:
            if read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(f"{path}: no store here", "build one first: migkg build PATH --store DIR")
                self._ox = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(path))
        except (OSError, RuntimeError) as e:
            raise open_error(path, e) from e
        self._count = QuadCount(path)  # len() without reading the store (store/count.py)
        self._bulk: list[bytes] | None = None  # N-Quads waiting for the bulk loader (a store made by beside())
        self._bulk_size = 0
        self._bulk_graphs: set[str] = set()
        self._loading: _Loading | None = None  # the batch the bulk loader is writing, on its own thread
        if not read_only:  # what a killed bulk build left beside the store (this handle holds its lock)
            for leftover in (_sibling(path, _BESIDE), _sibling(path, _OLD)):
                shutil.rmtree(leftover, ignore_errors=True)
        self.merged = self._has_merge()
        if not self.merged and not read_only:
            self._count.before_write()
            self._ox.update(_MERGE_ALL)  # a store written before the merge existed: make it, once
            self.merged = True

    def _has_merge(self) -> bool:
        """True when the default graph holds the merge (or the store is empty, so it will)."""
        for _ in self._ox.quads_for_pattern(None, None, None, _DEFAULT):
            return True
        return next(iter(self._ox.named_graphs()), None) is None

    # context manager
    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self.read_only:
            try:
                self.flush_bulk()
                self._ox.flush()
            except OSError:
                pass
            else:
                self._count.save()  # after the flush: the record describes what is on disk
        del self._ox

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def oxigraph(self) -> ox.Store:
        return self._ox

    # writes
    def replace_graph(self, name: URIRef, graph: Graph) -> int:
        """Put ``graph`` in place of the named graph ``name`` in one transaction; returns the quads written.

        Removing the old graph and then adding the new one would be two transactions, and a build
        killed between them would lose the release. So a replacement is a single SPARQL update (one
        transaction in Oxigraph): the update text is fixed, the graph name and every term come in
        through custom functions indexed by row number. (LATERAL makes Oxigraph look the old graph up
        by name instead of scanning every graph.)"""
        return self._replace_quads(name, list(graph_quads(graph, name)))

    def replace_graph_nquads(self, name: URIRef, data: bytes) -> int:
        """Put the N-Quads ``data`` (all in graph ``name``, each quad once, as :func:`nquads_bytes`
        writes them) in place of the named graph ``name``, in one transaction like :meth:`replace_graph`;
        in a store made by :meth:`beside`, a new graph goes to the bulk loader instead."""
        if self._bulk is not None and str(name) not in self._bulk_graphs:
            return self._bulk_add(name, data)
        return self._replace_quads(name, list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))

    # a first build, in bulk
    def is_empty(self) -> bool:
        """Whether the store holds nothing at all (no graph, no quad)."""
        return next(iter(self._ox), None) is None

    def beside(self) -> EmbeddedStore:
        """A new, empty store in a sibling folder that loads new graphs with Oxigraph's bulk loader
        (no transactions, several times less CPU a quad), for :meth:`take_over` to put in place of
        this one once complete. Raises OSError when the folder cannot be made."""
        folder = _sibling(self.path, _BESIDE)
        shutil.rmtree(folder, ignore_errors=True)
        other = EmbeddedStore(folder)
        other._count.value = 0  # new and empty: the count is known
        other._bulk = []
        return other

    def _bulk_add(self, name: URIRef, data: bytes) -> int:
        # the merge's copies: the same lines without the graph name (N-Quads' default graph), evidence records
        # left out; a line ends with the graph name, and a line break appears nowhere else (N-Quads escapes it
        # in literals)
        assert self._bulk is not None
        copies = _without_evidence(data).replace(b" <%s> .\n" % str(name).encode(), b" .\n")
        self._bulk.append(data)
        self._bulk.append(copies)
        self._bulk_graphs.add(str(name))
        self._bulk_size += len(data) + len(copies)
        quads = data.count(b"\n")
        self._count.before_write()
        self._count.wrote(quads)
        if self._bulk_size >= BULK_BYTES:
            self.flush_bulk(wait=False)
        return quads

    def flush_bulk(self, wait: bool = True) -> None:
        """Hand the N-Quads gathered so far to the bulk loader (they are read from the store after it).

        The loader writes a batch on a thread of its own (Oxigraph releases the GIL), so that the build
        goes on taking the workers' releases meanwhile; one batch at a time. With ``wait`` (every caller
        but the one filling the batches) this returns once everything is written; a batch that failed
        raises here, on the caller's thread."""
        if self._bulk:
            data = b"".join(self._bulk)
            self._bulk.clear()
            self._bulk_size = 0
            self._wait_loading()
            self._loading = _Loading(self._ox, data)
        if wait:
            self._wait_loading()

    def _wait_loading(self) -> None:
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.join()

    def take_over(self, other: EmbeddedStore) -> None:
        """Put the store ``other`` (from :meth:`beside`, complete) in place of this empty one: both
        closed, the two folders exchanged in one atomic rename, this handle reopened on the new store
        and the old folder removed. Killed before the exchange, this store is as it was."""
        other.close()  # flushed to disk, its quad count recorded in its folder
        self._ox.flush()
        del self._ox  # closes the store (it is reopened below, on the other folder's files)
        try:
            _exchange(other.path, self.path)
        finally:
            self._ox = ox.Store(str(self.path))
            self._count = QuadCount(self.path)
            self.merged = self._has_merge()
        shutil.rmtree(other.path, ignore_errors=True)

    def discard(self) -> None:
        """Close this store and remove its folder (a bulk build that did not complete)."""
        with contextlib.suppress(Exception):
            self._bulk = None
            self._wait_loading()
        with contextlib.suppress(Exception):
            del self._ox
        shutil.rmtree(self.path, ignore_errors=True)

    def _replace_quads(self, name: URIRef, quads: list[ox.Quad]) -> int:
        self.flush_bulk()  # in a bulk build: a graph written twice, the second replaces the first
        g = ox.NamedNode(str(name))
        self._bounded_memory()
        self._count.before_write()
        written = len(set(quads))
        try:
            if not self._ox.contains_named_graph(g):
                merged = [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in quads if _in_merge(q)]
                self._ox.extend(quads + merged)  # one transaction
                self._count.wrote(written)
                return len(quads)
            old = sum(1 for _ in self._ox.quads_for_pattern(None, None, None, g))  # one graph: an index range
            self._replace_existing(g, quads)
        except BaseException:
            self._count.wrote(None)  # committed or not, the count is no longer known for sure
            raise
        self._count.wrote(written - old)
        return len(quads)

    def _replace_existing(self, g: ox.NamedNode, quads: list[ox.Quad]) -> None:
        rows = " ".join(str(i) for i in range(len(quads)))  # row numbers only, never data
        copies = " ".join(str(i) for i, q in enumerate(quads) if _in_merge(q))
        functions = {
            _FN_GRAPH: lambda: g,
            _FN_S: lambda i: quads[int(i.value)].subject,
            _FN_P: lambda i: quads[int(i.value)].predicate,
            _FN_O: lambda i: quads[int(i.value)].object,
        }
        self._ox.update(_REPLACE_GRAPH.replace("ROWS", rows).replace("COPIES", copies), custom_functions=functions)

    def _bounded_memory(self) -> None:
        """Flush the in-memory write buffers to disk every FLUSH_EVERY graph writes.

        Without it RocksDB keeps every small transaction of a long build in memory (measured: +46 MB
        per 1,000 releases); with it a build's memory stays flat (bench/README.md)."""
        self._writes += 1
        if self._writes % FLUSH_EVERY == 0:
            self._ox.flush()

    # reads (rdflib terms in and out)
    def value(self, subject: URIRef, predicate: URIRef) -> Node | None:
        for q in self._ox.quads_for_pattern(to_ox(subject), to_ox(predicate), None, None):
            return Converter()(q.object)
        return None

    def graph_names(self) -> list[str]:
        return sorted(n.value for n in self._ox.named_graphs() if isinstance(n, ox.NamedNode))

    def has_graph(self, name: Node) -> bool:
        """Whether a named graph ``name`` exists."""
        return bool(self._ox.contains_named_graph(to_ox(name)))

    def mentions(self, node: Node) -> bool:
        """Whether any graph states something about ``node`` (as subject or object) or is named so."""
        t = to_ox(node)
        for _ in self._ox.quads_for_pattern(t, None, None, None):
            return True
        if not isinstance(t, ox.Literal):
            for _ in self._ox.quads_for_pattern(None, None, t, None):
                return True
        return bool(self._ox.contains_named_graph(t))

    def values_of_subjects(self, predicate: URIRef, graph: URIRef | None = None,
                           nquads: bytes | None = None) -> set[Node]:
        """The values of ``predicate`` that the merge gives the subjects of the named graph ``graph``,
        or of the N-Quads ``nquads`` (a graph about to be loaded; its own values included). Index
        look-ups per distinct subject: cheap for one release's graph."""
        p = to_ox(predicate)
        if nquads is not None:
            quads: Iterable[ox.Quad] = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        elif graph is not None:
            quads = self._ox.quads_for_pattern(None, None, None, to_ox(graph))
        else:
            return set()
        convert = Converter()
        seen: set[Any] = set()
        out: set[Node] = set()
        for q in quads:
            if nquads is not None and q.predicate == p:
                out.add(convert[q.object])  # type: ignore[arg-type]
            if q.subject in seen:
                continue
            seen.add(q.subject)
            for found in self._ox.quads_for_pattern(q.subject, p, None, _DEFAULT if self.merged else None):
                out.add(convert[found.object])  # type: ignore[arg-type]
        return out

    def __len__(self) -> int:
        """The quads of the named graphs (the merge in the default graph is not counted).

        Kept by the store as it writes (store/count.py); counted only when no count is known (a
        store last written by a process that did not close it, or before the count was kept)."""
        if self._count.value is None:
            self._count.value = self._counted()
        return self._count.value

    def _counted(self) -> int:
        if not self.merged:
            return len(self._ox)
        # counted by the engine: a loop over the merge in Python took seconds at 10,000 releases
        [row] = self._ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return len(self._ox) - int(row[0].value)

    def _query(self, sparql: str, bindings: dict[str, Node] | None = None) -> Any:
        """Run a SELECT/ASK/CONSTRUCT over the merge of all graphs (each triple once); ``GRAPH ?g``
        patterns reach the named graphs, so a query can still ask which release stated what.

        Parameters are bound by a ``VALUES`` block first in the WHERE group, built from rdflib terms
        and checked by rdflib's parser (:func:`migkg.bind.with_values`, as for a remote endpoint),
        never pasted as text. Unlike a SEP-0007 substitution, Oxigraph's planner sees the value, so
        a query about one organization starts from its index entries, not from every event. The text
        is checked by :func:`migkg.policy.check_query` first (a deep query would crash the engine).
        Returns Oxigraph's solutions (store-internal)."""
        check_query(sparql)
        text = with_values(sparql, bindings) if bindings else sparql
        try:
            return self._ox.query(text, use_default_graph_as_union=not self.merged)
        except SyntaxError as e:
            raise StoreError(f"query does not parse: {e}") from e
        except RuntimeError as e:  # e.g. a substituted variable missing from the projection
            raise StoreError(f"query failed: {e}") from e

    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT and return its variables and rows as rdflib terms (all rows in memory)."""
        with self.select_stream(sparql, bindings) as stream:
            return Result(stream.variables, tuple(stream))

    def select_stream(self, sparql: str, bindings: dict[str, Node] | None = None) -> ResultStream:
        """Run a SELECT and stream its rows as rdflib terms (see :mod:`migkg.store.stream`).

        The rows are made on a thread with a deep stack, converted in chunks as the reader takes them;
        without a closing ``ORDER BY`` the stream holds a few chunks and a bounded cache of terms. A
        closing ``ORDER BY`` this module can reproduce is done in Python (store/order.py), on every row
        held compactly: the first row then comes once all are read and sorted. Close the stream (or
        read it to the end) to release the engine's snapshot and the thread."""
        return ThreadStream(lambda sink: self._produce(sparql, bindings, sink))

    def _produce(self, sparql: str, bindings: dict[str, Node] | None, sink: Sink) -> None:
        """(The stream's thread.) The rows in the query's order; pyoxigraph's solutions are dropped here."""
        split = split_order(sparql) if self.order_in_python else None
        if split is not None:
            check_query(sparql)  # the whole text is what the policy judges
            try:
                solutions = self._solutions(split[0], bindings)
            except StoreError:
                pass  # the cut text is not a query on its own: run it whole
            else:
                try:
                    if _sorted_rows(solutions, split[1], sink):
                        return
                finally:
                    del solutions  # on the thread that made it (pyoxigraph's results are not sendable)
        solutions = self._solutions(sparql, bindings)
        try:
            _stream_rows(solutions, sink)
        finally:
            del solutions

    def _solutions(self, sparql: str, bindings: dict[str, Node] | None) -> Any:
        # no local here: binding parameters may leave this frame in a reference cycle (rdflib's parser
        # keeps exceptions with their frames), and a local would hold the solutions until a garbage
        # collection on another thread
        return _select_only(self._query(sparql, bindings))

    def construct(self, sparql: str, bindings: dict[str, Node] | None = None) -> list[Triple]:
        """Run a CONSTRUCT and return its triples as rdflib terms."""
        def run() -> list[Triple]:
            found = self._query(sparql, bindings)
            if not isinstance(found, ox.QueryTriples):
                raise StoreError("only CONSTRUCT and DESCRIBE queries return triples", "use a CONSTRUCT query")
            convert = Converter()
            out = [convert.triple(t) for t in found]
            del found
            return out

        return run_deep(run)

    def write(self, out: IO[bytes], fmt: str, graph: URIRef | None = None,
              prefixes: dict[str, str] | None = None) -> int:
        """Write the store in the format named ``fmt``; returns the quads or triples written.

        A dataset format gets every named graph (or the one named ``graph``), the merge left out; a
        triple format gets the merge (each triple once; or one graph's triples), sorted so that the
        output diffs cleanly. Prefixes are used by every format but N-Triples and N-Quads."""
        return write_ox_data(self, out, fmt, graph, prefixes)

    def dump(self, out: Any, fmt: str, graph: URIRef | None = None) -> None:
        """Oxigraph's own dump (everything, the merge included; or one graph) in the format named ``fmt``."""
        from migkg.store.formats import rdf_format

        if graph is not None:
            self._ox.dump(out, format=rdf_format(fmt), from_graph=ox.NamedNode(str(graph)))
        else:
            self._ox.dump(out, format=rdf_format(fmt))

    def ox_quads(self, graph: URIRef | None = None) -> Iterable[ox.Quad]:
        """The quads of one named graph, or of every named graph (not the merge), graph by graph, as
        pyoxigraph quads (for the modules of this package: push, formats)."""
        if graph is not None:
            return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        return (q for g in self._ox.named_graphs() for q in self._ox.quads_for_pattern(None, None, None, g))

    def ox_facts(self, subject: Any = None, predicate: Any = None, obj: Any = None) -> Iterator[ox.Triple]:
        """Triples matching a pattern (pyoxigraph terms) in the merge, each once."""
        if self.merged:
            yield from (q.triple for q in self._ox.quads_for_pattern(subject, predicate, obj, _DEFAULT))
            return
        yield from distinct_triples(self._ox.quads_for_pattern(subject, predicate, obj, None))

    def ox_evidence(self) -> Iterator[ox.Triple]:
        """The triples of every evidence record, read in the release graphs (the merge leaves them out)."""
        if not self.merged:  # the union, which ox_facts reads, holds them
            return
        for q in self._ox.quads_for_pattern(None, _TYPE, _EVIDENCE, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield from (e.triple for e in self._ox.quads_for_pattern(q.subject, None, None, q.graph_name))

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """The quads of one named graph, or of every named graph (not the merge), graph by graph."""
        convert = Converter()
        return (convert.quad(q) for q in self.ox_quads(graph))

    def named_quads(self, subject: Node | None = None, predicate: Node | None = None,
                    obj: Node | None = None) -> Iterator[Quad]:
        """Quads matching a pattern in the named graphs only: who stated it."""
        convert = Converter()
        pattern = (to_ox_or_none(subject), to_ox_or_none(predicate), to_ox_or_none(obj), None)
        for q in self._ox.quads_for_pattern(*pattern):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield convert.quad(q)

    def facts(self, subject: Node | None = None, predicate: Node | None = None,
              obj: Node | None = None) -> Iterator[Triple]:
        """Triples matching a pattern in the merge, each once."""
        convert = Converter()
        for t in self.ox_facts(to_ox_or_none(subject), to_ox_or_none(predicate), to_ox_or_none(obj)):
            yield convert.triple(t)

    def count_facts(self, subject: Node | None = None, predicate: Node | None = None,
                    obj: Node | None = None) -> int:
        """How many triples of the merge match a pattern (nothing converted)."""
        pattern = (to_ox_or_none(subject), to_ox_or_none(predicate), to_ox_or_none(obj))
        return sum(1 for _ in self.ox_facts(*pattern))

    def releases(self) -> int:
        return self.count_facts(None, RDF.type, MKG.Release)


def _select_only(solutions: Any) -> Any:
    if not isinstance(solutions, ox.QuerySolutions):
        raise StoreError("only SELECT queries return rows", "use a SELECT query")
    return solutions


def _variables(solutions: Any) -> tuple[str, ...]:
    return tuple(v.value for v in solutions.variables)


def _stream_rows(solutions: Any, sink: Sink) -> None:
    """Rows in the engine's order, converted chunk by chunk; the term cache is emptied when it grows
    past :data:`TERM_CACHE` (rows repeat their terms: each is converted once while cached)."""
    sink.start(_variables(solutions))
    convert = Converter()
    get = convert.__getitem__
    rows = iter(solutions)
    while chunk := [tuple(map(get, sol)) for sol in itertools.islice(rows, CHUNK)]:  # values in variable order
        if not sink.put(chunk):
            return
        if len(convert) > TERM_CACHE:
            convert.clear()


class _TermIndex(dict[Any, int]):
    """pyoxigraph term -> its index in ``terms`` (the result's distinct terms, as rdflib terms)."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[Node | None] = []

    def __missing__(self, t: Any) -> int:
        at = self[t] = len(self.terms)
        self.terms.append(None if t is None else from_ox(t))
        return at


def _sorted_rows(solutions: Any, keys: list[tuple[str, bool]], sink: Sink) -> bool:
    """Every row read as indexes of distinct terms (4 bytes a cell), ordered by :func:`row_order`, then
    streamed; False (nothing sent) when the order is not one that module reproduces."""
    names = _variables(solutions)
    if not names or any(name not in names for name, _ in keys):
        return False
    index = _TermIndex()
    cells = itertools.chain.from_iterable(solutions)  # each solution's values, in variable order
    flat = array.array("I")
    step = CHUNK * 16 * len(names)
    while True:
        before = len(flat)
        flat.extend(map(index.__getitem__, itertools.islice(cells, step)))
        if len(flat) == before:
            break
        if sink.stopped:
            return True
    ids = np.frombuffer(flat, dtype=np.uint32).reshape(-1, len(names))
    order = row_order(names, index.terms, ids, keys)
    if order is None:
        return False
    sink.start(names)
    terms = index.terms
    for at in range(0, len(order), CHUNK):
        block = ids[order[at : at + CHUNK]].tolist()
        if not sink.put([tuple(map(terms.__getitem__, r)) for r in block]):
            break
    return True


def write_ox_data(store: Any, out: IO[bytes], fmt: str, graph: URIRef | None,
                  prefixes: dict[str, str] | None) -> int:
    """What :meth:`EmbeddedStore.write` does, for any store of this package with ``ox_quads`` and
    ``ox_facts`` (the remote store too)."""
    if is_dataset(fmt):  # streamed: every quad held at once took 1.3 GB at 10,000 releases (130 MB so)
        written = 0

        def counted() -> Iterator[Any]:
            nonlocal written
            for q in store.ox_quads() if graph is None else store.ox_quads(graph):
                written += 1
                yield q

        write_ox(counted(), out, fmt, prefixes if fmt != "nq" else None)
        return written
    readable = prefixes if fmt in READABLE else None
    if graph is None:  # the merge and the evidence records, which stay in their release graphs
        triples = sorted({*store.ox_facts(), *store.ox_evidence()}, key=str)
    else:
        triples = sorted({q.triple for q in store.ox_quads(graph)}, key=str)
    write_ox(triples, out, fmt, readable)
    return len(triples)


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name("." + path.name + suffix)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> None:
    """Swap the folders ``a`` and ``b`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``); where that is
    not available, ``b`` (an empty store) is moved aside first and ``a`` put in its place: a kill between
    the two renames leaves no store at ``b``, which the next build creates empty, as it was."""
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is not None:
        at_cwd = -100
        if fn(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system
            raise OSError(err, os.strerror(err), str(b))
    old = _sibling(b, _OLD)
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def open_store(path: str | Path | None = None, read_only: bool = False) -> EmbeddedStore:
    """Open the embedded store at ``path`` (default: :func:`default_store_path`)."""
    return EmbeddedStore(Path(path) if path else default_store_path(), read_only=read_only)
