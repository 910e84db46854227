"""A read-only rdflib store for one pySHACL call (:mod:`migkg.validate`'s): statements indexed once.

rdflib's ``Memory`` store keeps per-context bookkeeping and sends an event for every triple added,
which cost more than pySHACL's own work on a batch of release graphs (bench/README.md, *Third round*);
pySHACL needs a context-aware store (it wraps the data graph in a ``Dataset``), so ``SimpleMemory``
will not do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.store import Store
from rdflib.term import Node

_Index = dict[Node, dict[Node, set[Node]]]


class Indexed(Store):
    """The statements of one pySHACL call, indexed once, in one graph (:attr:`graph`), read-only.

    The statements are put in plain indexes by subject and by predicate in one pass (by object only if
    a look-up needs it), and every statement belongs to the one graph. Prefixes are kept by an rdflib
    ``SimpleMemory`` store, so the graph binds and prints names as any rdflib graph does (pySHACL's
    default messages name the focus node by them)."""

    context_aware = True
    graph_aware = True

    def __init__(self, statements: Iterable[tuple[Node, Node, Node]]) -> None:
        super().__init__()
        spo: _Index = {}
        pos: _Index = {}
        n = 0
        for s, p, o in statements:
            if (by_p := spo.get(s)) is None:
                by_p = spo[s] = {}
            if (objects := by_p.get(p)) is None:
                by_p[p] = {o}
            elif o in objects:
                continue
            else:
                objects.add(o)
            n += 1
            if (by_o := pos.get(p)) is None:
                by_o = pos[p] = {}
            if (subjects := by_o.get(o)) is None:
                by_o[o] = {s}
            else:
                subjects.add(s)
        self._spo, self._pos, self._len = spo, pos, n
        self._osp: _Index | None = None
        self._prefixes = SimpleMemory()
        self.graph = Graph(store=self)
        self._graphs = (self.graph,)

    def triples(self, pattern: Any, context: Any = None) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Graph]]]:
        s, p, o = pattern
        for t in self._match(s, p, o):
            yield t, iter(self._graphs)

    def _match(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[tuple[Node, Node, Node]]:
        if s is not None:
            by_p = self._spo.get(s, {})
            for p2 in (by_p if p is None else (p,) if p in by_p else ()):
                objects = by_p[p2]
                for o2 in (objects if o is None else (o,) if o in objects else ()):
                    yield s, p2, o2
        elif p is not None:
            by_o = self._pos.get(p, {})
            for o2 in (by_o if o is None else (o,) if o in by_o else ()):
                for s2 in by_o[o2]:
                    yield s2, p, o2
        elif o is not None:
            for s2, predicates in self._by_object().get(o, {}).items():
                for p2 in predicates:
                    yield s2, p2, o
        else:
            for s2, by_p in self._spo.items():
                for p2, objects in by_p.items():
                    for o2 in objects:
                        yield s2, p2, o2

    def _by_object(self) -> _Index:
        """The index by object (then subject), made at its first use: the shapes rarely need it."""
        if self._osp is None:
            self._osp = {}
            for s, by_p in self._spo.items():
                for p, objects in by_p.items():
                    for o in objects:
                        self._osp.setdefault(o, {}).setdefault(s, set()).add(p)
        return self._osp

    def __len__(self, context: Any = None) -> int:
        return self._len

    def predicates(self) -> set[Node]:
        """Every predicate of the statements."""
        return set(self._pos)

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        return iter(self._graphs)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("the statements of a validation are read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the statements of a validation are read-only")

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        self._prefixes.bind(prefix, namespace, override)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefixes.prefix(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._prefixes.namespace(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        return self._prefixes.namespaces()
