"""Store: the embedded on-disk Oxigraph store and a remote SPARQL endpoint behind one small interface.

:class:`Store` is that interface. ``open_store(path)`` opens (creating) a RocksDB-backed pyoxigraph
store; ``open_endpoint(url)`` a remote SPARQL 1.1 endpoint (:mod:`migkg.remote`).

The embedded store keeps two views of the same statements. Each named graph holds what one release
(or the reference data, or the ontology) states: that is the provenance, read by ``explain`` and
the ``GRAPH ?g`` patterns. The default graph holds the *merge*: the set of every triple of every
named graph, each once. Queries run over the merge, so a triple stated by 5,000 releases is read
once, not 5,000 times (over the union of the named graphs it would multiply every join it takes
part in). Writes keep both views in one transaction, so a killed build leaves each release wholly
in or wholly out, in its graph and in the merge: a new graph is one ``Store.extend`` (its quads and
their copies in the default graph); replacing a graph is one SPARQL update (remove from the merge
the old triples no other graph states, delete the old quads, insert the new ones and their copies)
whose terms reach Oxigraph through custom functions, never as text. rdflib graphs are converted
term by term; nothing is serialized into query strings. A store written before the merge existed
gets it when first opened for writing; opened read-only it is queried over the union as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migkg.bind import with_values
from migkg.errors import StoreError
from migkg.files import is_disk_full
from migkg.model import Result
from migkg.policy import check_query, run_deep
from migkg.vocab import MKG, RDF

if TYPE_CHECKING:
    from migkg.remote import RemoteStore

DEFAULT_STORE_ENV = "MIGKG_STORE"
FLUSH_EVERY = 256  # graph writes between flushes of the store's memory buffers to disk


class Store(Protocol):
    """What every backend offers: queries, the graphs and their quads, replacing a graph."""

    @property
    def location(self) -> str: ...
    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result: ...
    def graph_names(self) -> list[str]: ...
    def quads(self, graph: URIRef | None = None) -> Iterable[ox.Quad]: ...
    def facts(self) -> Iterable[ox.Triple]: ...
    def releases(self) -> int: ...
    def replace_graph(self, name: URIRef, graph: Graph) -> int: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...


def default_store_path() -> Path:
    """``$MIGKG_STORE`` when set, else ``./.migkg/store`` (relative to the working folder)."""
    env = os.environ.get(DEFAULT_STORE_ENV)
    return Path(env) if env else Path(".migkg") / "store"


# ---------------------------------------------------------------- term conversion
def to_ox(term: Node) -> Any:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r}")


def from_ox(term: Any) -> Node:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def graph_quads(graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> Iterator[ox.Quad]:
    """The triples of ``graph`` (an rdflib Graph or any triples) as quads in the named graph ``name``."""
    g = ox.NamedNode(str(name))
    terms: dict[Node, Any] = {}  # a release repeats its terms (predicates, its own IRI): convert each once

    def term(t: Node) -> Any:
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_ox(t)
        return found

    for s, p, o in graph:
        yield ox.Quad(term(s), term(p), term(o), g)


def nquads_bytes(graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> bytes:
    """The graph as N-Quads in the named graph ``name`` (Oxigraph's serializer)."""
    return ox.serialize(graph_quads(graph, name), format=ox.RdfFormat.N_QUADS)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the store
_FN = "urn:migkg:fn:"
_FN_GRAPH, _FN_S, _FN_P, _FN_O = (ox.NamedNode(_FN + n) for n in ("graph", "s", "p", "o"))
_DEFAULT = ox.DefaultGraph()
# One update, so one transaction: the old triples that no other graph states leave the merge (the
# default graph), the old graph goes, the new quads and their copies in the merge come in.
_REPLACE_GRAPH = f"""PREFIX f: <{_FN}>
DELETE {{ ?s ?p ?o }} WHERE {{
  BIND (f:graph() AS ?g) LATERAL {{ GRAPH ?g {{ ?s ?p ?o }} }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != ?g) }}
}} ;
DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ BIND (f:graph() AS ?g) LATERAL {{ GRAPH ?g {{ ?s ?p ?o }} }} }} ;
INSERT {{ GRAPH ?g {{ ?s ?p ?o }} ?s ?p ?o }} WHERE {{
  BIND (f:graph() AS ?g) VALUES ?i {{ ROWS }}
  BIND (f:s(?i) AS ?s) BIND (f:p(?i) AS ?p) BIND (f:o(?i) AS ?o)
}}"""
_MERGE_ALL = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


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
        self.merged = self._has_merge()
        if not self.merged and not read_only:
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
            with contextlib.suppress(OSError):
                self._ox.flush()
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
        """Put the N-Quads ``data`` (all in graph ``name``) in place of the named graph ``name``,
        in one transaction like :meth:`replace_graph`."""
        return self._replace_quads(name, list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))

    def _replace_quads(self, name: URIRef, quads: list[ox.Quad]) -> int:
        g = ox.NamedNode(str(name))
        self._bounded_memory()
        if not self._ox.contains_named_graph(g):
            merged = [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in quads]
            self._ox.extend(quads + merged)  # one transaction
            return len(quads)
        rows = " ".join(str(i) for i in range(len(quads)))  # row numbers only, never data
        functions = {
            _FN_GRAPH: lambda: g,
            _FN_S: lambda i: quads[int(i.value)].subject,
            _FN_P: lambda i: quads[int(i.value)].predicate,
            _FN_O: lambda i: quads[int(i.value)].object,
        }
        self._ox.update(_REPLACE_GRAPH.replace("ROWS", rows), custom_functions=functions)
        return len(quads)

    def _bounded_memory(self) -> None:
        """Flush the in-memory write buffers to disk every FLUSH_EVERY graph writes.

        Without it RocksDB keeps every small transaction of a long build in memory (measured: +46 MB
        per 1,000 releases); with it a build's memory stays flat (bench/README.md)."""
        self._writes += 1
        if self._writes % FLUSH_EVERY == 0:
            self._ox.flush()

    # reads
    def value(self, subject: URIRef, predicate: URIRef) -> Node | None:
        for q in self._ox.quads_for_pattern(to_ox(subject), to_ox(predicate), None, None):
            return from_ox(q.object)
        return None

    def graph_names(self) -> list[str]:
        return sorted(n.value for n in self._ox.named_graphs() if isinstance(n, ox.NamedNode))

    def __len__(self) -> int:
        """The quads of the named graphs (the merge in the default graph is not counted)."""
        if not self.merged:
            return len(self._ox)
        return len(self._ox) - sum(1 for _ in self._ox.quads_for_pattern(None, None, None, _DEFAULT))

    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> ox.QuerySolutions:
        """Run a SELECT/ASK/CONSTRUCT over the merge of all graphs (each triple once); ``GRAPH ?g``
        patterns reach the named graphs, so a query can still ask which release stated what.

        Parameters are bound by a ``VALUES`` block first in the WHERE group, built from rdflib terms
        and checked by rdflib's parser (:func:`migkg.bind.with_values`, as for a remote endpoint),
        never pasted as text. Unlike a SEP-0007 substitution, Oxigraph's planner sees the value, so
        a query about one organization starts from its index entries, not from every event. The text
        is checked by :func:`migkg.policy.check_query` first (a deep query would crash the engine)."""
        check_query(sparql)
        text = with_values(sparql, bindings) if bindings else sparql
        try:
            return self._ox.query(text, use_default_graph_as_union=not self.merged)
        except SyntaxError as e:
            raise StoreError(f"query does not parse: {e}") from e
        except RuntimeError as e:  # e.g. a substituted variable missing from the projection
            raise StoreError(f"query failed: {e}") from e

    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT and return its variables and rows as rdflib terms (on a thread with a deep stack)."""
        return run_deep(lambda: self._select_result(sparql, bindings))

    def _select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        solutions = self.select(sparql, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("only SELECT queries return rows", "use a SELECT query")
        names = tuple(v.value for v in solutions.variables)
        terms: dict[Any, Node] = {}  # rows repeat terms (a country in every row): convert each once

        def term(t: Any) -> Node | None:
            if t is None:
                return None
            found = terms.get(t)
            if found is None:
                found = terms[t] = from_ox(t)
            return found

        out = []
        for sol in solutions:
            out.append(tuple(term(sol[n]) for n in names))
        del solutions  # dropped on the thread that made it (pyoxigraph's results are not sendable)
        return Result(names, tuple(out))

    def dump(self, out: Any, fmt: ox.RdfFormat, graph: URIRef | None = None) -> None:
        if graph is not None:
            self._ox.dump(out, format=fmt, from_graph=ox.NamedNode(str(graph)))
        else:
            self._ox.dump(out, format=fmt)

    def quads(self, graph: URIRef | None = None) -> Iterable[ox.Quad]:
        """The quads of one named graph, or of every named graph (not the merge), graph by graph."""
        if graph is not None:
            return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
        return (q for g in self._ox.named_graphs() for q in self._ox.quads_for_pattern(None, None, None, g))

    def named_quads(self, subject: Any = None, predicate: Any = None, obj: Any = None) -> Iterator[ox.Quad]:
        """Quads matching a pattern in the named graphs only: who stated it (pyoxigraph terms)."""
        for q in self._ox.quads_for_pattern(subject, predicate, obj, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield q

    def facts(self, subject: Any = None, predicate: Any = None, obj: Any = None) -> Iterator[ox.Triple]:
        """Triples matching a pattern in the merge, each once (pyoxigraph terms)."""
        if self.merged:
            yield from (q.triple for q in self._ox.quads_for_pattern(subject, predicate, obj, _DEFAULT))
            return
        seen: set[ox.Triple] = set()
        for q in self._ox.quads_for_pattern(subject, predicate, obj, None):
            if q.triple not in seen:
                seen.add(q.triple)
                yield q.triple

    def releases(self) -> int:
        return sum(1 for _ in self.facts(None, to_ox(RDF.type), to_ox(MKG.Release)))


def open_store(path: str | Path | None = None, read_only: bool = False) -> EmbeddedStore:
    """Open the embedded store at ``path`` (default: :func:`default_store_path`)."""
    return EmbeddedStore(Path(path) if path else default_store_path(), read_only=read_only)


def open_endpoint(query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                  timeout: float = 30.0, retries: int = 4, engine: str | None = None) -> RemoteStore:
    """A remote SPARQL 1.1 endpoint (see :func:`migkg.remote.open_endpoint`)."""
    from migkg.remote import open_endpoint as _open

    return _open(query_url, update_url, gsp_url, timeout=timeout, retries=retries, engine=engine)


def open_reader(path: str | Path | None = None, endpoint: str | None = None, engine: str | None = None) -> Store:
    """The store a reading command uses: the endpoint when given, else the embedded store read-only."""
    if endpoint:
        return open_endpoint(endpoint, engine=engine)
    return open_store(path, read_only=True)
