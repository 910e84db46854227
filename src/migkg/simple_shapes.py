"""Shapes simple enough to check in Python, for the graphs of a validation batch (:mod:`migkg.validate`).

pySHACL's cost is per focus node and property shape (an evidence record is a focus node of eight), most of
it its own machinery around a test as plain as "one value, an integer, at least 0". A property shape is
*simple* when its only targets are ``sh:targetClass``, its path is one IRI or a sequence of IRIs, nothing else
names it, and each of its other statements is one of the parameters below, given once, with a value of the
kind handled here (SHACL 1.0 section 4): ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` of the datatypes in
``DATATYPES``, ``sh:minLength``, ``sh:minInclusive`` of an integer, ``sh:lessThanOrEquals``, ``sh:nodeKind``
``sh:IRI`` or ``sh:Literal``, ``sh:class``, ``sh:pattern`` without flags, ``sh:uniqueLang true``, an ``sh:or``
of ``[ sh:datatype D ]`` members (a date, a month or a year), and ``sh:qualifiedValueShape [ sh:languageIn
(...) ]`` with ``sh:qualifiedMinCount``. A node shape's ``sh:or`` of simple property shapes without targets
(a title or an acronym) is checked too, and the SPARQL constraints of :mod:`migkg.sparql_shapes`.

:meth:`Checker.verdict` tells whether a graph gives no result for any of them, testing each value as pySHACL
does or more strictly (an integer compared only with an integer, a class only through the graph's own types,
a term of a type of rdflib's own only). A graph it does not pass is validated by pySHACL alone, with every
shape, so every report is still pySHACL's; the batch's shapes go without the shapes checked here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from migkg import sparql_shapes

# sh:datatype as pySHACL tests it (a literal of the datatype, not ill-typed, and a value of the Python type it
# checks, where it checks one), or more strictly: an integer is an int and not a bool, a string a str
DATATYPES: dict[Node, Callable[[object], bool]] = {
    XSD.date: lambda v: isinstance(v, date),
    XSD.gYear: lambda v: True,
    XSD.gYearMonth: lambda v: True,
    XSD.integer: lambda v: type(v) is int,
    XSD.decimal: lambda v: type(v) is Decimal,
    XSD.string: lambda v: type(v) is str,
    RDF.langString: lambda v: type(v) is str,
}
_COUNTS = (SH.minCount, SH.maxCount, SH.minLength, SH.qualifiedMinCount)
_PARAMS = frozenset({*_COUNTS, SH.datatype, SH.minInclusive, SH.lessThanOrEquals, SH.nodeKind, SH["class"],
                     SH.pattern, SH.uniqueLang, SH["or"], SH.qualifiedValueShape})


class Rule(NamedTuple):
    """A simple property shape (``path`` one IRI or a sequence), or a node shape's ``sh:or`` of property
    shapes (``path`` empty, ``members`` the alternatives): the shape, its target classes, its parameters,
    and the blank nodes only it uses (list cells, member shapes), which leave the shapes with it."""

    shape: Node
    classes: frozenset[Node]
    path: tuple[URIRef, ...]
    params: tuple[tuple[Node, Any], ...]
    owned: tuple[Node, ...] = ()
    members: tuple[Rule, ...] = ()


_INTEGER, _DECIMAL = str(XSD.integer), str(XSD.decimal)
_PLAIN = frozenset({None, RDF.langString, XSD.string})


def _integer(v: Node) -> int | None:
    """The value of an xsd:integer literal (not ill-typed, not a bool), else None."""
    if type(v) is Literal and type(value := v.value) is int and _is(v.datatype, _INTEGER) and v.ill_typed is not True:
        return value
    return None


def _number(v: Node) -> int | Decimal | None:
    """The value of an xsd:integer or xsd:decimal literal (not ill-typed, finite), else None."""
    if type(v) is not Literal or v.ill_typed is True:
        return None
    value, dt = v.value, v.datatype
    if ((type(value) is int and _is(dt, _INTEGER))
            or (type(value) is Decimal and _is(dt, _DECIMAL) and value.is_finite())):
        return value
    return None


def _cells(shapes: Graph, head: Node) -> list[Node] | None:
    """The cells of a well-formed RDF list used once (each cell only ``rdf:first`` and ``rdf:rest``, named only
    by the list), or None."""
    cells, node = [], head
    while node != RDF.nil:
        if (not isinstance(node, BNode) or len(cells) > len(shapes)
                or len(list(shapes.subject_predicates(node))) != 1
                or sorted(shapes.predicates(node, None)) != sorted([RDF.first, RDF.rest])):
            return None
        cells.append(node)
        node = shapes.value(node, RDF.rest)
    return cells


def _only_here(shapes: Graph, node: Node) -> bool:
    return isinstance(node, BNode) and len(list(shapes.subject_predicates(node))) == 1


def _param(shapes: Graph, p: Node, o: Node, owned: list[Node]) -> Any:
    """The parameter's value as this module tests it (None: not one it handles), adding the blank nodes it
    uses to ``owned``."""
    if p in _COUNTS:
        return o.value if _integer(o) is not None and o.value >= 0 else None  # type: ignore[union-attr]
    if p == SH.datatype:
        return o if o in DATATYPES else None
    if p == SH.minInclusive:
        return _integer(o)
    if p in (SH.lessThanOrEquals, SH["class"]):
        return o if isinstance(o, URIRef) else None
    if p == SH.nodeKind:
        return o if o in (SH.IRI, SH.Literal) else None
    if p == SH.pattern:
        return re.compile(str(o)) if isinstance(o, Literal) and isinstance(o.value, str) else None
    if p == SH.uniqueLang:
        return True if isinstance(o, Literal) and o.value is True else None
    if p == SH["or"]:  # ( [ sh:datatype D ] ... ): the datatypes
        cells = _cells(shapes, o) if _only_here(shapes, o) else None
        if not cells:
            return None
        members = list(Collection(shapes, o))
        kinds = [list(shapes.predicate_objects(m)) for m in members]
        if any(not _only_here(shapes, m) or len(k) != 1 or k[0][0] != SH.datatype or k[0][1] not in DATATYPES
               for m, k in zip(members, kinds, strict=True)):
            return None
        owned += cells + members
        return frozenset(k[0][1] for k in kinds)
    if p == SH.qualifiedValueShape:  # [ sh:languageIn ( "en" ... ) ]: the languages, lower-case
        statements = list(shapes.predicate_objects(o))
        if not _only_here(shapes, o) or len(statements) != 1 or statements[0][0] != SH.languageIn:
            return None
        head = statements[0][1]
        cells = _cells(shapes, head) if _only_here(shapes, head) else None
        languages = list(Collection(shapes, head)) if cells else []
        if not languages or any(not isinstance(x, Literal) or type(x.value) is not str or x.value == "*"
                                for x in languages):
            return None
        owned += [o, *(cells or ())]
        return frozenset(str(x.value).lower() for x in languages)
    return None


def _path(shapes: Graph, path: Node, owned: list[Node]) -> tuple[URIRef, ...] | None:
    if isinstance(path, URIRef):
        return None if path in (RDF.type, RDFS.subClassOf) else (path,)
    cells = _cells(shapes, path) if _only_here(shapes, path) else None
    steps = list(Collection(shapes, path)) if cells else []
    if len(steps) < 2 or any(not isinstance(s, URIRef) or s in (RDF.type, RDFS.subClassOf) for s in steps):
        return None
    owned += cells or ()
    return tuple(steps)  # type: ignore[arg-type]


def _property(shapes: Graph, shape: Node, classes: frozenset[Node], extra: tuple[Node, ...]) -> Rule | None:
    """``shape`` as a simple property shape, its statements other than its path and ``extra`` parameters."""
    statements = list(shapes.predicate_objects(shape))
    paths = [o for p, o in statements if p == SH.path]
    params = [(p, o) for p, o in statements if p != SH.path and p not in extra]
    owned: list[Node] = []
    path = _path(shapes, paths[0], owned) if len(paths) == 1 else None
    if path is None or len({p for p, _ in params}) != len(params):
        return None
    values = [(p, _param(shapes, p, o, owned)) for p, o in params]
    if any(p not in _PARAMS or value is None for p, value in values):
        return None
    given = {p for p, _ in values}
    if (SH.qualifiedValueShape in given) != (SH.qualifiedMinCount in given):
        return None
    return Rule(shape, classes, path, tuple(values), tuple(owned))


def _either(shapes: Graph, shape: Node, classes: frozenset[Node]) -> Rule | None:
    """A node shape's ``sh:or`` of property shapes without targets, each simple."""
    heads = list(shapes.objects(shape, SH["or"]))
    cells = _cells(shapes, heads[0]) if len(heads) == 1 and _only_here(shapes, heads[0]) else None
    if not cells:
        return None
    members = []
    for m in Collection(shapes, heads[0]):
        rule = _property(shapes, m, classes, ()) if _only_here(shapes, m) else None
        if rule is None:
            return None
        members.append(rule)
    owned = [*cells, *(n for r in members for n in (r.shape, *r.owned))]
    return Rule(shape, classes, (), (), tuple(owned), tuple(members))


def rules(shapes: Graph) -> tuple[Rule, ...]:
    """The simple property shapes and node-level choices of ``shapes`` (a shapes graph as pySHACL is given
    it: property shapes with their node shape's targets)."""
    out = []
    for shape in sorted(set(shapes.subjects(SH.path, None)), key=str):
        classes = frozenset(shapes.objects(shape, SH.targetClass))
        if classes and next(iter(shapes.subject_predicates(shape)), None) is None:
            rule = _property(shapes, shape, classes, (SH.targetClass,))
            if rule is not None:
                out.append(rule)
    for shape in sorted(set(shapes.subjects(SH["or"], None)) - set(shapes.subjects(SH.path, None)), key=str):
        classes = frozenset(shapes.objects(shape, SH.targetClass))
        if classes and not any((shape, t, None) in shapes for t in (SH.targetNode, SH.targetSubjectsOf,
                                                                   SH.targetObjectsOf, SH.target)):
            rule = _either(shapes, shape, classes)
            if rule is not None:
                out.append(rule)
    return tuple(out)


def _text(v: Node) -> str:
    """A value as pySHACL's string-based constraints read it (``value_node_to_string``)."""
    if type(v) is Literal and v.value is not None and v.datatype in _PLAIN:
        return str(v.value)
    return str(v)


_KINDS = (URIRef, BNode, Literal)  # the terms a graph may hold; any other type (a subclass) is not vouched for

# A value test: (value, the focus node's values by predicate, the classes of each node of the graph) -> ok
_Test = Callable[[Node, dict[Node, list[Node]], dict[Node, frozenset[Node]]], bool]
# A value-set test: (values) -> ok
_SetTest = Callable[[list[Node]], bool]


def _langs(values: list[Node]) -> list[str] | None:
    """The language tags of ``values``, lower-case (None when a value is no term of rdflib's own)."""
    out = []
    for v in values:
        if (t := type(v)) is Literal:
            if v.language:  # type: ignore[attr-defined]
                out.append(str(v.language).lower())  # type: ignore[attr-defined]
        elif t is not URIRef and t is not BNode:
            return None
    return out


def _is(dt: Node | None, name: str) -> bool:
    """Whether a literal's datatype is the IRI ``name`` (compared as plain strings: rdflib compares in Python)."""
    return dt is not None and str.__eq__(dt, name)


def _test(p: Node, o: Any, canon: Callable[[Node], Node]) -> _Test | None:
    """The test of one value against the parameter (p, o); None for those tested on the value set."""
    if p == SH.datatype:
        ok, name = DATATYPES[o], str(o)
        if o == RDF.langString:
            return lambda v, _, __: (type(v) is Literal and bool(v.language) and v.datatype is None
                                     and ok(v.value))
        if o == XSD.string:
            return lambda v, _, __: (type(v) is Literal and v.language is None
                                     and (v.datatype is None or (_is(v.datatype, name) and v.ill_typed is not True))
                                     and ok(v.value))
        return lambda v, _, __: (type(v) is Literal and _is(v.datatype, name) and v.ill_typed is not True
                                 and ok(v.value))
    if p == SH["or"]:
        tests = [(str(d), DATATYPES[d]) for d in o]
        return lambda v, _, __: (type(v) is Literal and v.ill_typed is not True
                                 and any(_is(v.datatype, d) and ok(v.value) for d, ok in tests))
    if p == SH.minLength:
        if o == 0:
            return None  # every value passes (pySHACL: "min len zero always passes")
        return lambda v, _, __: (type(v) is URIRef or type(v) is Literal) and len(_text(v)) >= o
    if p == SH.pattern:
        return lambda v, _, __: (type(v) is URIRef or type(v) is Literal) and o.search(_text(v)) is not None
    if p == SH.minInclusive:
        return lambda v, _, __: (n := _number(v)) is not None and n >= o
    if p == SH.lessThanOrEquals:
        other = canon(o)
        return lambda v, values, _: (n := _integer(v)) is not None and all(
            (m := _integer(w)) is not None and n <= m for w in values.get(other, ()))
    if p == SH.nodeKind:
        kind = URIRef if o == SH.IRI else Literal
        return lambda v, _, __: type(v) is kind
    if p == SH["class"]:
        c = canon(o)
        return lambda v, _, kinds: (type(v) is URIRef or type(v) is BNode) and c in kinds.get(v, ())
    return None


def _set_test(p: Node, o: Any, params: dict[Node, Any]) -> _SetTest | None:
    """The test of the whole value set against the parameter (p, o), for those tested so."""
    if p == SH.uniqueLang:
        return lambda values: (langs := _langs(values)) is not None and len(set(langs)) == len(langs)
    if p == SH.qualifiedValueShape and params[SH.qualifiedMinCount] > 0:
        least = params[SH.qualifiedMinCount]
        return lambda values: sum(1 for v in values if type(v) is Literal and v.language and (
            (lang := str(v.language).lower()) in o or lang.split("-")[0] in o)) >= least
    return None


class _Compiled(NamedTuple):
    path: tuple[Node, ...]  # empty: a node-level choice of ``members``
    low: int
    high: int
    tests: tuple[_Test, ...]
    set_tests: tuple[_SetTest, ...]
    members: tuple[_Compiled, ...]


def _compile(rule: Rule, canon: Callable[[Node], Node]) -> _Compiled:
    """``rule`` made ready to test with, every IRI it compares with the data's terms ``canon``'s."""
    params = dict(rule.params)
    tests = tuple(t for p, o in rule.params if (t := _test(p, o, canon)) is not None)
    set_tests = tuple(t for p, o in rule.params if (t := _set_test(p, o, params)) is not None)
    high = params.get(SH.maxCount)
    return _Compiled(tuple(map(canon, rule.path)), params.get(SH.minCount, 0), sys.maxsize if high is None else high,
                     tests, set_tests, tuple(_compile(m, canon) for m in rule.members))


class Verdict:
    """What :meth:`Checker.verdict` says of a graph."""

    REFUSED = "refused"  # some shape checked here may give a result: pySHACL alone, with every shape
    PENDING = "pending"  # passes the shapes checked here; other shapes have focus nodes in it
    CONFORMS = "conforms"  # passes the shapes checked here, and no other shape has a focus node in it


class Checker:
    """:func:`rules` and the SPARQL checks (:mod:`migkg.sparql_shapes`) made ready to test graphs with
    (:meth:`verdict`), classes seen through ``hierarchy`` (``rdfs:subClassOf`` statements: the ontology's class
    hierarchy); ``pending``: the classes and predicates whose instances, subjects or objects are focus nodes
    of the shapes left to pySHACL (None: every graph may have one).

    rdflib compares two IRIs in Python, unless they are one object; so each IRI the checks compare with
    (paths, classes) is one object here, and each predicate or class of a graph is taken to that object
    once (:meth:`_same`) before its statements are indexed and looked up."""

    def __init__(self, simple: Iterable[Rule], checks: Iterable[sparql_shapes.Check],
                 hierarchy: Iterable[tuple[Node, Node, Node]],
                 pending: tuple[frozenset[Node], frozenset[Node]] | None) -> None:
        known: dict[Node, Node] = {}
        canon = lambda t: known.setdefault(t, t)  # noqa: E731
        self._type, self._sub_class_of = canon(RDF.type), canon(RDFS.subClassOf)
        direct: dict[Node, set[Node]] = {}
        for c, _, d in hierarchy:
            direct.setdefault(canon(c), set()).add(canon(d))
        self._supers: dict[Node, frozenset[Node]] = {}
        for c in direct:
            seen: set[Node] = set()
            todo = list(direct[c])
            while todo:
                d = todo.pop()
                if d not in seen:
                    seen.add(d)
                    todo.extend(direct.get(d, ()))
            self._supers[c] = frozenset(seen)
        self._rules = [(frozenset(map(canon, r.classes)), _compile(r, canon)) for r in simple]
        self._checks = tuple(checks)
        self._watched = frozenset(canon(p) for c in self._checks for p in c.predicates)
        self._pending = None if pending is None else (frozenset(map(canon, pending[0])),
                                                      frozenset(map(canon, pending[1])))
        self._known = known
        self._same_as: dict[Node, Node] = {}
        self._by_kinds: dict[frozenset[Node], list[_Compiled]] = {}
        self._kinds_of: dict[frozenset[Node], frozenset[Node]] = {}

    def _same(self, t: Node) -> Node:
        """The checks' own object for the IRI ``t`` (``t`` itself when they do not name it)."""
        if len(self._same_as) > 100_000:  # (a graph's own objects: the release graphs share their vocabulary's)
            self._same_as.clear()
        out = self._same_as[t] = self._known.get(t, t)
        return out

    def _kinds(self, types: list[Node]) -> frozenset[Node]:
        """The classes of a node of ``types``, their superclasses included."""
        same = self._same_as
        key = frozenset([same.get(t) or self._same(t) for t in types])
        out = self._kinds_of.get(key)
        if out is None:
            found = set(key)
            for t in key:
                found.update(self._supers.get(t, ()))
            out = self._kinds_of[key] = frozenset(found)
        return out

    def verdict(self, triples: Iterable[tuple[Node, Node, Node]]) -> str:
        """Whether no shape checked here gives a result for any focus node of the graph ``triples`` (the graph
        alone, each statement once), and whether the shapes left to pySHACL have a focus node in it. Refused
        also when the graph states ``rdfs:subClassOf`` itself or holds a term of no type of rdflib's own."""
        by_s: dict[Node, dict[Node, list[Node]]] = {}
        watched: dict[Node, list[tuple[Node, Node]]] = {}
        watch, same = self._watched, self._same_as
        sub_class_of, a = self._sub_class_of, self._type
        for s, p, o in triples:
            if (ts := type(s)) is not URIRef and ts is not BNode:
                return Verdict.REFUSED  # (no graph of ours has one; pySHACL would tell what it makes of it)
            if type(o) not in _KINDS or type(p) is not URIRef:
                return Verdict.REFUSED
            if (p := same.get(p) or self._same(p)) is sub_class_of:
                return Verdict.REFUSED
            if (values_of := by_s.get(s)) is None:
                values_of = by_s[s] = {p: [o]}
            elif (values := values_of.get(p)) is None:
                values_of[p] = [o]
            else:
                values.append(o)
            if p in watch:
                watched.setdefault(p, []).append((s, o))
        kinds = {s: self._kinds(ps[a]) for s, ps in by_s.items() if a in ps}
        for s, own in kinds.items():
            rules = self._by_kinds.get(own)
            if rules is None:
                rules = self._by_kinds[own] = [r for classes, r in self._rules if classes & own]
            values_of = by_s[s]
            for r in rules:
                path = r.path
                if len(path) == 1 and not r.set_tests:  # (most: inline)
                    values = values_of.get(path[0], ())  # (a graph holds each statement once: distinct values)
                    if not r.low <= len(values) <= r.high:
                        return Verdict.REFUSED
                    for v in values:
                        for test in r.tests:
                            if not test(v, values_of, kinds):
                                return Verdict.REFUSED
                elif not (any(_passes(m, values_of, by_s, kinds) for m in r.members) if r.members
                          else _passes(r, values_of, by_s, kinds)):
                    return Verdict.REFUSED
        if not all(c.vouch(watched) for c in self._checks):
            return Verdict.REFUSED
        if self._pending is None:
            return Verdict.PENDING
        classes, predicates = self._pending
        if any(own & classes for own in kinds.values()) or (
                predicates and any(p in predicates for ps in by_s.values() for p in ps)):
            return Verdict.PENDING
        return Verdict.CONFORMS


def _passes(r: _Compiled, values_of: dict[Node, list[Node]], by_s: dict[Node, dict[Node, list[Node]]],
            kinds: dict[Node, frozenset[Node]]) -> bool:
    """Whether the focus node of ``values_of`` passes the property shape ``r``."""
    path = r.path
    values = values_of.get(path[0], ())  # (a graph holds each statement once: its values are distinct)
    if len(path) > 1:
        for p in path[1:]:  # a sequence path: the nodes reached, each once
            reached: set[Node] = set()
            for n in values:
                reached.update((by_s.get(n) or {}).get(p, ()))
            values = list(reached)
    if not r.low <= len(values) <= r.high:
        return False
    for set_test in r.set_tests:
        if not set_test(values):  # type: ignore[arg-type]
            return False
    for v in values:
        for test in r.tests:
            if not test(v, values_of, kinds):
                return False
    return True
