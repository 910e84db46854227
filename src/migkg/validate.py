"""Validate: rdflib Graph -> :class:`~migkg.model.Report`, with pySHACL against ``ontology/shapes.ttl``.

The ontology is given to pySHACL as ``ont_graph`` so that ``sh:targetClass mkg:Event`` reaches
``mkg:Meeting`` (SHACL instances follow ``rdfs:subClassOf``). The caller's graph is never changed
(pySHACL works on a copy when an ontology is mixed in). Many small graphs are validated in one
call (:func:`validate_many`), and one by one only when the batch does not conform, because each
pySHACL call has a fixed cost that dominates small graphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from pyshacl import validate as _pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from migkg.model import Report, Violation
from migkg.resources import resource


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(resource("ontology", "shapes.ttl"), format="turtle")
    return g


@cache
def ontology() -> Graph:
    g = Graph()
    g.parse(resource("ontology", "migkg.ttl"), format="turtle")
    return g


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


def validate(graph: Graph) -> Report:
    """Validate one graph against the shapes; the graph is not modified."""
    shapes = shapes_graph()
    conforms, results, _ = _pyshacl(
        graph, shacl_graph=shapes, ont_graph=ontology(), inference="none", advanced=True,
        allow_warnings=False, inplace=False)
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


def validate_many(graphs: Sequence[Graph]) -> list[Report]:
    """Validate several graphs: one pySHACL call for the lot, then one per graph only on failure."""
    if not graphs:
        return []
    if len(graphs) == 1:
        return [validate(graphs[0])]
    union = Graph()
    for g in graphs:
        for t in g:
            union.add(t)
    if validate(union).conforms:
        return [Report(True) for _ in graphs]
    return [validate(g) for g in graphs]
