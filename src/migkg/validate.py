"""Validate: rdflib Graph -> :class:`~migkg.model.Report`, with pySHACL against ``ontology/shapes.ttl``.

The ontology's class hierarchy is mixed into the data so that ``sh:targetClass mkg:Event`` reaches ``mkg:Meeting``
(SHACL instances follow ``rdfs:subClassOf``), into a graph of this module's own: the caller's graph
is never changed, and pySHACL works in place instead of copying the data again. Many small graphs
are validated in one call (:func:`validate_many`), because each pySHACL call has a fixed cost that
dominates small graphs. Each graph of a batch gets its own copy of its nodes (:func:`_apart`), so
the graphs of a batch cannot meet: two releases reporting one meeting with different labels, or two
meetings of a series with one ordinal, conform alone and in a batch alike, and one release's
missing label is not supplied by another's. A batch's report is then each graph's report, and
only the graphs it names are validated again, alone, for their reports in their own IRIs.

pySHACL is given only what the shapes can read (:func:`constrained_predicates`): the triples whose
predicate a shape names (a path, a pair constraint, a SPARQL constraint's patterns), ``rdf:type``, and
the ontology's ``rdfs:subClassOf`` (SHACL's class instances, SHACL 1.0 section 3.2). A triple with
any other predicate can change no result of SHACL Core or of these SPARQL constraints (no shape is
``sh:closed``; when one is, everything is kept), so the reports are the same, for less work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from itertools import chain
from typing import Any, NamedTuple

from pyshacl import validate as _pyshacl
from rdflib import BNode, Graph, Literal, URIRef, plugin
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.query import Processor
from rdflib.term import Node, Variable

from migkg import simple_shapes
from migkg.indexed import Indexed
from migkg.model import Report, Violation
from migkg.resources import resource


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(resource("ontology", "shapes.ttl"), format="turtle")
    return g


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@cache
def checked_shapes(idle: frozenset[tuple[Node, Node]] = frozenset(), lean: bool = False) -> Graph:
    """The shapes graph pySHACL is given: the file's, each property shape of a node shape given
    that node shape's targets in place of the ``sh:property`` link (the same focus nodes, so the
    same results: SHACL 1.0 sections 2.1.3 and 2.3; the blank nodes are the file graph's own, so
    :func:`shape_id` finds the node shape in :func:`shapes_graph`), and without the SPARQL
    constraints ``idle`` names (shape, constraint) that can find nothing in the data at hand
    (:func:`_idle_constraints`). ``lean``: without the datatype choices of :func:`_datatype_choices`
    and the simple property shapes of :func:`_simple` either (for a batch whose graphs :func:`_apart`
    checked against them).

    pySHACL checks a property shape reached through ``sh:property`` once per focus node, building
    its constraint components each time (about 140 µs per focus node and property shape: an
    evidence record has eight); a property shape with targets of its own is checked once for all
    its focus nodes. Left as they are: node shapes without targets of their own, deactivated, or
    named by another shape (``sh:node``, ``sh:or`` ...), and property shapes named twice or with
    targets."""
    file = shapes_graph()
    g = Graph()
    for prefix, namespace in file.namespaces():  # pySHACL's messages name terms by the file's prefixes
        g.bind(prefix, namespace, replace=True)
    for t in file:
        g.add(t)
    for shape, constraint in idle:
        g.remove((shape, SH.sparql, constraint))
    for node, prop in list(file.subject_objects(SH.property)):
        targets = [(t, v) for t in _TARGETS for v in file.objects(node, t)]
        if (not targets or (node, SH.deactivated, None) in file or (None, None, node) in file
                or (node, RDF.type, RDFS.Class) in file
                or len(set(file.subject_predicates(prop))) != 1
                or any((prop, t, None) in file for t in _TARGETS)):
            continue
        g.remove((node, SH.property, prop))
        for t, v in targets:
            g.add((prop, t, v))
    if lean:
        _drop_choices(g)
        for rule in _simple():
            g.remove((rule.shape, None, None))
        for node in set(g.subjects(SH.targetClass, None)):  # a node shape left without constraints: no result
            if (set(g.predicates(node, None)) <= {RDF.type, RDFS.label, SH.targetClass, SH.message}
                    and next(iter(g.subject_predicates(node)), None) is None):
                g.remove((node, None, None))
    return g


@cache
def ontology() -> Graph:
    g = Graph()
    g.parse(resource("ontology", "migkg.ttl"), format="turtle")
    return g


@cache
def constrained_predicates() -> frozenset[URIRef] | None:
    """The predicates the shapes can read, or None when every triple counts (a shape is ``sh:closed``,
    or a SPARQL constraint has a variable or a negated path as predicate).

    Every IRI of the shapes graph counts (paths, sequence paths' members, pair constraints), and every
    IRI of each SPARQL constraint's query after parsing (rdflib's algebra, so prefixes are resolved);
    over-counting only keeps a triple that was not needed."""
    return _read_predicates(shapes_graph())


@cache
def _lean_predicates() -> frozenset[URIRef] | None:
    """:func:`constrained_predicates` of the shapes a batch is given (``checked_shapes(lean=True)``, every
    SPARQL constraint in): what the simple shapes alone read is checked before and left out of the batch."""
    return _read_predicates(checked_shapes(frozenset(), True))


def _read_predicates(shapes: Graph) -> frozenset[URIRef] | None:
    if any(True for _ in shapes.subject_objects(SH.closed)):
        return None
    found = {t for triple in shapes for t in triple if isinstance(t, URIRef)}
    for select in shapes.objects(None, SH.select):
        if not _iris(prepareQuery(str(select)).algebra, found):
            return None
    return frozenset(found | {RDF.type, RDFS.subClassOf})


@cache
def _sparql_needs() -> tuple[tuple[Node, Node, frozenset[URIRef]], ...]:
    """Each SPARQL constraint of the shapes (shape, constraint) with the predicates its query cannot
    answer without (:func:`_needed`), for those that have any."""
    file = shapes_graph()
    out = []
    for shape, constraint in file.subject_objects(SH.sparql):
        selects = list(file.objects(constraint, SH.select))
        if len(selects) == 1 and (needs := _needed(prepareQuery(str(selects[0])).algebra)):
            out.append((shape, constraint, needs))
    return tuple(out)


def _needed(node: object) -> frozenset[URIRef]:
    """The predicates every answer of a parsed query's pattern matches a statement with (SPARQL 1.1
    section 18.5: a basic graph pattern's triples, both sides of a join, the left of an OPTIONAL or
    MINUS; a filter, projection, assignment or DISTINCT keeps no row its input lacks). Anything else
    (UNION, aggregates, sub-queries, paths) needs nothing that this can tell."""
    if not isinstance(node, CompValue):
        return frozenset()
    if node.name == "BGP":
        return frozenset(p for _, p, _ in node.triples if isinstance(p, URIRef))
    if node.name == "Join":
        return _needed(node.p1) | _needed(node.p2)
    if node.name in ("LeftJoin", "Minus"):
        return _needed(node.p1)
    if node.name in ("SelectQuery", "Project", "Filter", "Extend", "Distinct", "Reduced"):
        return _needed(node.p)
    return frozenset()


def _idle_constraints(data: Graph) -> frozenset[tuple[Node, Node]]:
    """The SPARQL constraints whose query needs a predicate that no statement of ``data`` has: they
    answer nothing for any focus node, so pySHACL is not asked to run them once per focus node
    (S02's self-parent check needs ``mkg:subOrganizationOf``, S05's date order ``mkg:endDate``: both
    rare in release graphs)."""
    store = data.store
    assert isinstance(store, Indexed), "a batch is built by _data"
    present = store.predicates()
    return frozenset((shape, c) for shape, c, needs in _sparql_needs() if not needs <= present)


def _iris(node: object, found: set[URIRef]) -> bool:
    """Add every IRI inside a parsed query's algebra to ``found``; False when a triple pattern's predicate
    is a variable or a negated path (it could read any predicate)."""
    if isinstance(node, URIRef):
        found.add(node)
        return True
    if isinstance(node, NegatedPath):
        return False
    if isinstance(node, Path):
        return _iris(vars(node), found)
    if isinstance(node, dict):
        if "triples" in node and any(isinstance(t[1], Variable) for t in node["triples"] or ()):
            return False
        return all(_iris(v, found) for v in node.values())
    if isinstance(node, list | tuple | set):
        return all(_iris(v, found) for v in node)
    return True


@cache
def _class_hierarchy() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology's ``rdfs:subClassOf`` statements: all pySHACL reads of the ontology without inference."""
    return tuple(ontology().triples((None, RDFS.subClassOf, None)))


def shape_id(shapes: Graph, shape: object) -> str:
    """The ID of the node shape behind a result ('S04-Event'), climbing from a property shape."""
    node = shape
    for _ in range(4):
        if isinstance(node, URIRef):
            return str(node).rsplit("#", 1)[-1]
        parents = list(shapes.subjects(SH.property, node)) or list(shapes.subjects(SH.sparql, node))
        if not parents:
            break
        node = parents[0]
    return "unknown-shape"


# sh:datatype as pySHACL tests it, for the datatypes a choice may offer to be checked outside pySHACL
# (:func:`_datatype_choices`): the simple shapes' tests of the date, month and year datatypes.
_DATATYPE_VALUE: dict[Node, Callable[[object], bool]] = {
    d: simple_shapes.DATATYPES[d] for d in (XSD.date, XSD.gYear, XSD.gYearMonth)}


class _Choice(NamedTuple):
    """A property shape's ``sh:or`` of datatypes."""

    shape: Node
    cells: tuple[Node, ...]  # the list's cells
    members: tuple[Node, ...]  # the ``[ sh:datatype D ]`` shapes
    path: URIRef
    types: frozenset[URIRef]


@cache
def _datatype_choices() -> tuple[_Choice, ...]:
    """The property shapes' ``sh:or`` lists whose every member is only ``[ sh:datatype D ]`` (D in
    ``_DATATYPE_VALUE``), on a plain IRI path other than ``rdf:type`` and ``rdfs:subClassOf``, each list and
    member used nowhere else ("a date, a month or a year": S01's issued, S04's start and end).

    pySHACL evaluates every member for every value and builds a full result, message included, for each
    member a value fails (a date fails two of three), then drops them: a quarter of its time on a batch of
    release graphs. :func:`_apart` checks the values of a batch's graphs against these choices itself and
    sends a graph with any value it cannot vouch for to be validated alone with every shape; for the
    others the choice can give no result, so the batch's shapes go without it (``checked_shapes(lean=True)``)."""
    file = shapes_graph()
    out = []
    for shape, head in file.subject_objects(SH["or"]):
        path = file.value(shape, SH.path)
        if (not isinstance(path, URIRef) or path in (RDF.type, RDFS.subClassOf)
                or len(list(file.subject_predicates(head))) != 1):
            continue
        cells, node = [], head
        while node != RDF.nil and node is not None and len(cells) <= len(file):
            cells.append(node)
            node = file.value(node, RDF.rest)
        members = list(Collection(file, head))
        kinds = [list(file.predicate_objects(m)) for m in members]
        if (node != RDF.nil or not members
                or any(len(list(file.subject_predicates(c))) != 1 or len(list(file.predicate_objects(c))) != 2
                       for c in cells)
                or any(not isinstance(m, BNode) or len(list(file.subject_predicates(m))) != 1 for m in members)
                or any(len(k) != 1 or k[0][0] != SH.datatype or k[0][1] not in _DATATYPE_VALUE for k in kinds)):
            continue
        types = frozenset(URIRef(k[0][1]) for k in kinds)
        out.append(_Choice(shape, tuple(cells), tuple(members), path, types))
    return tuple(out)


def _drop_choices(g: Graph) -> None:
    """Take the datatype choices (:func:`_datatype_choices`) out of ``g``, a copy of the shapes."""
    for choice in _datatype_choices():
        g.remove((choice.shape, SH["or"], choice.cells[0]))
        for cell in choice.cells:
            g.remove((cell, None, None))
        for member in choice.members:
            g.remove((member, None, None))


@cache
def _simple() -> tuple[simple_shapes.Rule, ...]:
    """The simple property shapes (:mod:`migkg.simple_shapes`) of the shapes pySHACL is given, once the
    datatype choices are out (those are checked by :func:`_fits`)."""
    g = Graph()
    for t in checked_shapes():
        g.add(t)
    _drop_choices(g)
    return simple_shapes.rules(g)


@cache
def _checker() -> simple_shapes.Checker:
    return simple_shapes.Checker(_simple(), _class_hierarchy())


@cache
def _choice_types() -> dict[Node, frozenset[URIRef]]:
    """The datatypes a value of each choice's path may have: those every choice on that path allows."""
    out: dict[Node, frozenset[URIRef]] = {}
    for c in _datatype_choices():
        out[c.path] = out.get(c.path, c.types) & c.types
    return out


def _fits(value: Node, types: frozenset[URIRef]) -> bool:
    """Whether ``value`` passes one of the choice's ``sh:datatype`` members as pySHACL tests them."""
    return (isinstance(value, Literal) and value.datatype in types and value.ill_typed is not True
            and _DATATYPE_VALUE[value.datatype](value.value))


class _PreparedQueryProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, but a query text is parsed once, not once per call.

    pySHACL runs each ``sh:sparql`` constraint once per focus node with the same text and ``$this``
    as an initial binding; parsing dominated validation. A prepared query is what rdflib's own
    ``prepareQuery`` returns, so answers are unchanged."""

    _prepared: dict[tuple[str, tuple[tuple[str, str], ...], str | None], Any] = {}

    def query(self, strOrQuery: Any, initBindings: Mapping[str, Any] | None = None,  # noqa: N803
              initNs: Mapping[str, Any] | None = None, base: str | None = None,  # noqa: N803
              DEBUG: bool = False) -> Mapping[str, Any]:  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())), base)
            prepared = self._prepared.get(key)
            if prepared is None:
                if len(self._prepared) > 512:
                    self._prepared.clear()
                prepared = self._prepared[key] = prepareQuery(strOrQuery, initNs, base)
            strOrQuery = prepared
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@cache
def _use_prepared_queries() -> None:
    plugin.register("sparql", Processor, "migkg.validate", "_PreparedQueryProcessor")


def _report(data: Graph, lean: bool = False) -> Report:
    """pySHACL over ``data``, a graph this module made (:func:`_union`, with the class hierarchy mixed
    in, as pySHACL would do on a copy of its own) and may change, so pySHACL works in place. ``lean``:
    the data's values were checked against the datatype choices already (:func:`_datatype_choices`)."""
    _use_prepared_queries()
    shapes = shapes_graph()
    # advanced=False: the shapes use SHACL Core and SPARQL-based constraints only (both evaluated
    # either way); the Advanced Features machinery cost a quarter of the validation time.
    conforms, results, _ = _pyshacl(data, shacl_graph=checked_shapes(_idle_constraints(data), lean), inference="none",
                                    advanced=False, allow_warnings=False, inplace=True)
    if conforms:
        return Report(True)
    violations = []
    for res in results.subjects(SH.resultSeverity, SH.Violation):
        source = results.value(res, SH.sourceShape)
        message = results.value(res, SH.resultMessage)
        focus = results.value(res, SH.focusNode)
        path = results.value(res, SH.resultPath)
        violations.append(Violation(shape_id(shapes, source), str(focus), str(path) if path else None,
                                    str(message) if message else ""))
    violations.sort(key=lambda v: (v.shape_id, v.focus, v.path or "", v.message))
    return Report(False, tuple(violations))


Triples = Iterable[tuple[Node, Node, Node]]  # an rdflib Graph, or a release's set of triples


def _union(graphs: Sequence[Triples]) -> Graph:
    """The statements of ``graphs`` that the shapes can read, each once, with the class hierarchy:
    a graph of this module's own, for pySHACL to work in."""
    keep = constrained_predicates()
    return _data([g if keep is None else [t for t in g if t[1] in keep] for g in graphs])


def _data(graphs: Iterable[Triples]) -> Graph:
    """Statements already kept to what the shapes read, each once, with the class hierarchy, as a graph."""
    return Indexed(chain(_class_hierarchy(), *graphs)).graph


@cache
def _vocabulary() -> frozenset[Node]:
    """Every IRI the shapes or the ontology name: classes, properties, constants. Never renamed."""
    return frozenset(t for g in (shapes_graph(), ontology()) for triple in g for t in triple
                     if isinstance(t, URIRef))


_BATCH = "urn:migkg:batch:"  # the copies' IRIs: _BATCH + the graph's place in the batch + ":" + the IRI


def _apart(graph: Triples, i: int, owner: dict[str, int]) -> list[tuple[Node, Node, Node]] | None:
    """The statements of ``graph`` that the shapes can read (:func:`constrained_predicates`), with its own
    copy of every node but the shared vocabulary (the shapes' and the ontology's IRIs, the graph's classes
    and predicates), or None when the graph says something about the vocabulary itself, or has a value
    that may fail a datatype choice (:func:`_datatype_choices`) or a simple property shape (:func:`_simple`):
    such a graph is validated alone.

    The copy of an IRI is a new IRI, of a blank node a new blank node, so the copy has the same
    shape as the graph: the shapes name no instance (no ``sh:in``, ``sh:hasValue`` or ``sh:targetNode``
    of one), read no instance IRI's text (``sh:pattern`` and the SPARQL constraints' ``STR`` read
    literals), and reach other nodes only along the graph's own statements. ``owner`` learns which
    graph each copy belongs to, by its text (as a report names its focus nodes)."""
    triples = list(graph if isinstance(graph, set | frozenset | Graph) else set(graph))  # each statement once
    vocab = _vocabulary()
    a = RDF.type
    shared = {p for _, p, _ in triples}
    shared.update(o for _, p, o in triples if p == a)
    renamed: dict[Node, Node] = {}
    prefix = f"{_BATCH}{i}:"

    def copy(t: Node) -> Node:
        if isinstance(t, Literal):
            return t  # a literal is its own copy (and rdflib hashes literals in Python: not looked up)
        new = renamed.get(t)
        if new is None:
            if isinstance(t, URIRef):
                # (str + URIRef would make a URIRef of its own first, checked as an IRI, then this one)
                new = t if t in vocab or t in shared else URIRef(prefix + str(t))
            elif isinstance(t, BNode):
                new = BNode()
            else:
                new = t
            renamed[t] = new
            if new is not t:
                owner[str(new)] = i
        return new

    if not _checker().passes(triples):
        return None
    keep = _lean_predicates()
    choices = _choice_types()
    out = []
    for s, p, o in triples:
        if (s2 := copy(s)) is s:
            return None  # a vocabulary term (or a literal) as subject: this graph could meet the others
        if (types := choices.get(p)) is not None and not _fits(o, types):
            return None
        if keep is None or p in keep:  # only what the shapes read goes to pySHACL (:func:`_union`)
            out.append((s2, p, copy(o)))
    return out


def validate(graph: Triples) -> Report:
    """Validate one graph (or set of triples) against the shapes; it is not modified."""
    return _report(_union([graph]))


def validate_many(graphs: Sequence[Triples]) -> list[Report]:
    """Validate several graphs (or sets of triples), each as if alone, in one pySHACL call for the
    lot (each graph's nodes copied apart: :func:`_apart`). The graphs the lot's report names are
    validated again alone, for their own report; if it names a node of no graph (it should not),
    the lot is halved and each half validated so, down to single graphs."""
    if not graphs:
        return []
    if len(graphs) == 1:
        return [validate(graphs[0])]
    owner: dict[str, int] = {}
    parts: list[list[tuple[Node, Node, Node]]] = []
    alone: set[int] = set()
    for i, g in enumerate(graphs):
        part = _apart(g, i, owner)
        if part is None:
            alone.add(i)
        else:
            parts.append(part)
    report = _report(_data(parts), lean=True) if parts else Report(True)
    if not report.conforms:
        named = {owner.get(v.focus) for v in report.violations}
        if not named or None in named:  # a result the copies cannot explain: halves, as before
            mid = len(graphs) // 2
            return validate_many(graphs[:mid]) + validate_many(graphs[mid:])
        alone |= {i for i in named if i is not None}
    return [validate(g) if i in alone else Report(True) for i, g in enumerate(graphs)]
