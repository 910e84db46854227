"""Property shapes simple enough to check in Python, for the graphs of a validation batch (:mod:`migkg.validate`).

pySHACL's cost is per focus node and property shape (an evidence record is a focus node of eight), most of
it its own machinery around a test as plain as "one value, an integer, at least 0". A property shape is
*simple* when its only targets are ``sh:targetClass``, its path is one IRI, nothing else names it, and each of
its other statements is one of the parameters below, given once, with a value of the kind handled here
(SHACL 1.0 section 4: ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` of the datatypes in ``DATATYPES``,
``sh:minLength``, ``sh:minInclusive`` of an integer, ``sh:lessThanOrEquals``, ``sh:nodeKind sh:IRI``,
``sh:class``, ``sh:pattern`` without flags). :func:`passes` tells whether a graph gives no result for any of
them, testing each value as pySHACL does or more strictly (an integer compared only with an integer, a
class only through the graph's own types). A graph it does not pass is validated by pySHACL alone, with
every shape, so every report is still pySHACL's; the batch's shapes go without the simple ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

# sh:datatype as pySHACL tests it (a literal of the datatype, not ill-typed, and a value of the Python type it
# checks, where it checks one), or more strictly: an integer is an int and not a bool
DATATYPES: dict[Node, Callable[[object], bool]] = {
    XSD.date: lambda v: isinstance(v, date),
    XSD.gYear: lambda v: True,
    XSD.gYearMonth: lambda v: True,
    XSD.integer: lambda v: type(v) is int,
}
_PARAMS = frozenset({SH.minCount, SH.maxCount, SH.datatype, SH.minLength, SH.minInclusive, SH.lessThanOrEquals,
                     SH.nodeKind, SH["class"], SH.pattern})


class Rule(NamedTuple):
    """A simple property shape: the shape, its target classes, its path and its parameters."""

    shape: Node
    classes: frozenset[Node]
    path: URIRef
    params: tuple[tuple[Node, Node], ...]


_INTEGER = str(XSD.integer)  # datatypes compared as plain strings (rdflib compares its terms in Python)
_PLAIN = frozenset({str(RDF.langString), str(XSD.string)})


def _integer(v: Node) -> int | None:
    """The value of an xsd:integer literal (not ill-typed, not a bool), else None."""
    if (isinstance(v, Literal) and (dt := v.datatype) is not None and str(dt) == _INTEGER
            and v.ill_typed is not True and type(v.value) is int):
        return v.value
    return None


def _param_ok(p: Node, o: Node) -> bool:
    """Whether a parameter's value is one this module tests as pySHACL does."""
    if p in (SH.minCount, SH.maxCount, SH.minLength):
        return _integer(o) is not None and o.value >= 0  # type: ignore[union-attr]
    if p == SH.datatype:
        return o in DATATYPES
    if p == SH.minInclusive:
        return _integer(o) is not None
    if p in (SH.lessThanOrEquals, SH["class"]):
        return isinstance(o, URIRef)
    if p == SH.nodeKind:
        return o == SH.IRI
    if p == SH.pattern:
        return isinstance(o, Literal) and isinstance(o.value, str)
    return False


def rules(shapes: Graph) -> tuple[Rule, ...]:
    """The simple property shapes of ``shapes`` (a shapes graph as pySHACL is given it)."""
    out = []
    for shape in sorted(set(shapes.subjects(SH.path, None)), key=str):
        path = shapes.value(shape, SH.path)
        statements = list(shapes.predicate_objects(shape))
        params = [(p, o) for p, o in statements if p not in (SH.path, SH.targetClass)]
        classes = frozenset(o for p, o in statements if p == SH.targetClass)
        if (not isinstance(path, URIRef) or path in (RDF.type, RDFS.subClassOf) or not classes
                or next(iter(shapes.subject_predicates(shape)), None) is not None
                or sum(1 for p, _ in statements if p == SH.path) != 1
                or len({p for p, _ in params}) != len(params)
                or not all(p in _PARAMS and _param_ok(p, o) for p, o in params)):
            continue
        out.append(Rule(shape, classes, path, tuple(params)))
    return tuple(out)


def _text(v: Node) -> str:
    """A value as pySHACL's string-based constraints read it (``value_node_to_string``)."""
    if isinstance(v, Literal) and v.value is not None and (v.datatype is None or str(v.datatype) in _PLAIN):
        return str(v.value)
    return str(v)


# A value test: (value, the focus node's values by predicate, the classes of each node of the graph) -> ok
_Test = Callable[[Node, dict[str, list[Node]], dict[object, frozenset[str]]], bool]


def _key(node: Node) -> object:
    """A node as a key: an IRI as a plain string (compared in C, where rdflib compares its terms in Python), a
    blank node as itself (so it never meets an IRI of the same text)."""
    return node if isinstance(node, BNode) else str(node)


def _test(p: Node, o: Node) -> _Test | None:
    """The test of one value against the parameter (p, o); None for the counts (tested on the value set).
    Terms are compared as plain strings (rdflib compares its terms in Python)."""
    if p == SH.datatype:
        dt, ok = str(o), DATATYPES[o]
        return lambda v, _, __: (isinstance(v, Literal) and v.datatype is not None and str(v.datatype) == dt
                                 and v.ill_typed is not True and ok(v.value))
    if p == SH.minLength:
        n = o.value  # type: ignore[attr-defined]
        return lambda v, _, __: not isinstance(v, BNode) and len(_text(v)) >= n
    if p == SH.pattern:
        rx = re.compile(str(o))
        return lambda v, _, __: not isinstance(v, BNode) and rx.search(_text(v)) is not None
    if p == SH.minInclusive:
        least = o.value  # type: ignore[attr-defined]
        return lambda v, _, __: (n := _integer(v)) is not None and n >= least
    if p == SH.lessThanOrEquals:
        other = str(o)
        return lambda v, values, _: (n := _integer(v)) is not None and all(
            (m := _integer(w)) is not None and n <= m for w in values.get(other, ()))
    if p == SH.nodeKind:
        return lambda v, _, __: isinstance(v, URIRef)
    if p == SH["class"]:
        c = str(o)
        return lambda v, _, kinds: not isinstance(v, Literal) and c in kinds.get(_key(v), ())
    return None


class Checker:
    """:func:`rules` made ready to test graphs with (:meth:`passes`), classes seen through ``hierarchy``
    (``rdfs:subClassOf`` statements: the ontology's class hierarchy)."""

    def __init__(self, simple: Iterable[Rule], hierarchy: Iterable[tuple[Node, Node, Node]]) -> None:
        direct: dict[str, set[str]] = {}
        for c, _, d in hierarchy:
            direct.setdefault(str(c), set()).add(str(d))
        self._supers: dict[str, frozenset[str]] = {}
        for c in direct:
            seen: set[str] = set()
            todo = list(direct[c])
            while todo:
                d = todo.pop()
                if d not in seen:
                    seen.add(d)
                    todo.extend(direct.get(d, ()))
            self._supers[c] = frozenset(seen)
        self._rules = []
        for r in simple:
            counts = {p: o.value for p, o in r.params if p in (SH.minCount, SH.maxCount)}  # type: ignore[attr-defined]
            tests = tuple(t for p, o in r.params if (t := _test(p, o)) is not None)
            self._rules.append((frozenset(map(str, r.classes)), str(r.path), counts.get(SH.minCount, 0),
                                counts.get(SH.maxCount), tests))
        self._by_kinds: dict[frozenset[str], list[tuple[str, int, int | None, tuple[_Test, ...]]]] = {}
        self._kinds_of: dict[tuple[str, ...], frozenset[str]] = {}

    def _kinds(self, types: list[Node]) -> frozenset[str]:
        """The classes of a node of ``types``, their superclasses included."""
        key = tuple(map(str, types))
        out = self._kinds_of.get(key)
        if out is None:
            found = set(key)
            for t in key:
                found.update(self._supers.get(t, ()))
            out = self._kinds_of[key] = frozenset(found)
        return out

    def passes(self, triples: list[tuple[Node, Node, Node]]) -> bool:
        """Whether no simple property shape gives a result for any focus node of the graph ``triples`` (the
        graph alone). False also when the graph states ``rdfs:subClassOf`` itself."""
        by_s: dict[object, dict[str, list[Node]]] = {}
        sub_class_of, a = str(RDFS.subClassOf), str(RDF.type)
        for s, p, o in triples:
            key = str(p)
            if key == sub_class_of:
                return False
            if isinstance(s, Literal):
                return False  # (no graph of ours has one; pySHACL would tell what it makes of it)
            if (values_of := by_s.get(subject := _key(s))) is None:
                values_of = by_s[subject] = {}
            if (values := values_of.get(key)) is None:
                values_of[key] = [o]
            else:
                values.append(o)
        kinds = {s: self._kinds(ps[a]) for s, ps in by_s.items() if a in ps}
        for s, own in kinds.items():
            rules = self._by_kinds.get(own)
            if rules is None:
                rules = self._by_kinds[own] = [r[1:] for r in self._rules if r[0] & own]
            values_of = by_s[s]
            for path, low, high, tests in rules:
                values = values_of.get(path, ())
                if len(values) < low or (high is not None and len(values) > high):
                    return False  # (a graph holds each statement once: its values are distinct)
                for v in values:
                    for test in tests:
                        if not test(v, values_of, kinds):
                            return False
        return True
