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

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from itertools import chain
from typing import Any

from pyshacl import validate as _pyshacl
from rdflib import BNode, Graph, Literal, URIRef, plugin
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.query import Processor
from rdflib.term import Node, Variable

from migkg import simple_shapes, sparql_shapes
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
    (:func:`_idle_constraints`). ``lean``: without the shapes and SPARQL constraints checked in Python
    either (:func:`_simple`, :func:`_sparql_checks`), for a batch whose graphs passed that check.

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
        for rule in _simple():
            if rule.members:  # a node shape's choice of property shapes: the choice leaves, the node shape stays
                g.remove((rule.shape, SH["or"], None))
            else:
                g.remove((rule.shape, None, None))
            for node in rule.owned:
                g.remove((node, None, None))
        for shape, constraint, _ in _sparql_checks():
            g.remove((shape, SH.sparql, constraint))
            g.remove((constraint, None, None))
        bare = {RDF.type, RDFS.label, SH.message, *_TARGETS}
        for node in {s for t in _TARGETS for s in g.subjects(t, None)}:  # a shape left without constraints
            if set(g.predicates(node, None)) <= bare and next(iter(g.subject_predicates(node)), None) is None:
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


@cache
def _simple() -> tuple[simple_shapes.Rule, ...]:
    """The shapes checked in Python (:mod:`migkg.simple_shapes`) of the shapes pySHACL is given."""
    return simple_shapes.rules(checked_shapes())


@cache
def _sparql_checks() -> tuple[tuple[Node, Node, sparql_shapes.Check], ...]:
    """The SPARQL constraints (shape, constraint) checked in Python (:mod:`migkg.sparql_shapes`): a constraint
    of one query and a message, nothing else, whose query has a check."""
    file = shapes_graph()
    out = []
    for shape, constraint in file.subject_objects(SH.sparql):
        statements = list(file.predicate_objects(constraint))
        selects = [o for p, o in statements if p == SH.select]
        if (len(selects) == 1 and {p for p, _ in statements} <= {SH.select, SH.message}
                and len(list(file.subject_predicates(constraint))) == 1
                and (check := sparql_shapes.check(str(selects[0]))) is not None):
            out.append((shape, constraint, check))
    return tuple(out)


@cache
def _pending() -> tuple[frozenset[Node], frozenset[Node]] | None:
    """What makes a focus node of the shapes left to pySHACL (``checked_shapes(lean=True)``): the classes
    whose instances and the predicates whose subjects or objects are; None when any node may be one (a
    shape with ``sh:targetNode``, a SPARQL-based target, or a shape that is a class)."""
    lean = checked_shapes(frozenset(), True)
    if any((None, t, None) in lean for t in (SH.targetNode, SH.target)) or any(
            (s, RDF.type, c) in lean for s in set(lean.subjects(RDF.type, None)) for c in (RDFS.Class, OWL.Class)):
        return None
    return (frozenset(lean.objects(None, SH.targetClass)),
            frozenset(chain(lean.objects(None, SH.targetSubjectsOf), lean.objects(None, SH.targetObjectsOf))))


@cache
def _checker() -> simple_shapes.Checker:
    return simple_shapes.Checker(_simple(), (c for _, _, c in _sparql_checks()), _class_hierarchy(), _pending())


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
    the data passed the shapes checked in Python (:func:`_simple`, :func:`_sparql_checks`) already."""
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


def _apart(triples: list[tuple[Node, Node, Node]], i: int,
           owner: dict[str, int]) -> list[tuple[Node, Node, Node]] | None:
    """The statements of the graph ``triples`` (each once) that the batch's shapes can read
    (:func:`_lean_predicates`), with its own copy of every node but the shared vocabulary (the shapes' and the
    ontology's IRIs, the graph's classes and predicates), or None when the graph says something about the
    vocabulary itself: such a graph is validated alone.

    The copy of an IRI is a new IRI, of a blank node a new blank node, so the copy has the same
    shape as the graph: the shapes name no instance (no ``sh:in``, ``sh:hasValue`` or ``sh:targetNode``
    of one), read no instance IRI's text (``sh:pattern`` and the SPARQL constraints' ``STR`` read
    literals), and reach other nodes only along the graph's own statements. ``owner`` learns which
    graph each copy belongs to, by its text (as a report names its focus nodes)."""
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

    keep = _lean_predicates()
    out = []
    for s, p, o in triples:
        if (s2 := copy(s)) is s:
            return None  # a vocabulary term (or a literal) as subject: this graph could meet the others
        if keep is None or p in keep:  # only what the shapes read goes to pySHACL (:func:`_union`)
            out.append((s2, p, copy(o)))
    return out


def validate(graph: Triples) -> Report:
    """Validate one graph (or set of triples) against the shapes; it is not modified."""
    return _report(_union([graph]))


def _each_once(g: Triples) -> list[tuple[Node, Node, Node]]:
    """The statements of ``g``, each once."""
    return list(g if isinstance(g, set | frozenset | Graph) else set(g))


def validate_many(graphs: Sequence[Triples]) -> list[Report]:
    """Validate several graphs (or sets of triples), each as if alone, in one pySHACL call for the
    lot (each graph's nodes copied apart: :func:`_apart`), the shapes checked in Python first
    (:mod:`migkg.simple_shapes`): a graph that check refuses is validated alone by pySHACL with every
    shape; one that passes it and has no focus node of the other shapes conforms without pySHACL; the
    others go to the lot, with the other shapes only. The graphs the lot's report names are validated
    again alone, for their own report; if it names a node of no graph (it should not), the lot is
    halved and each half validated so, down to single graphs."""
    if not graphs:
        return []
    if len(graphs) == 1:  # one graph (a small build, `migkg validate`): pySHACL only when the check can't vouch
        g = graphs[0]
        return [Report(True) if _checker().verdict(_each_once(g)) == simple_shapes.Verdict.CONFORMS else validate(g)]
    owner: dict[str, int] = {}
    parts: list[list[tuple[Node, Node, Node]]] = []
    alone: set[int] = set()
    fine: set[int] = set()
    checker = _checker()
    for i, g in enumerate(graphs):
        triples = _each_once(g)
        verdict = checker.verdict(triples)
        if verdict == simple_shapes.Verdict.CONFORMS:
            fine.add(i)
        elif verdict == simple_shapes.Verdict.REFUSED or (part := _apart(triples, i, owner)) is None:
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
