"""Validate: rdflib Graph -> :class:`~migkg.model.Report`, with pySHACL against ``ontology/shapes.ttl``.

The ontology is mixed into the data so that ``sh:targetClass mkg:Event`` reaches ``mkg:Meeting``
(SHACL instances follow ``rdfs:subClassOf``), into a graph of this module's own: the caller's graph
is never changed, and pySHACL works in place instead of copying the data again. Many small graphs
are validated in one call (:func:`validate_many`), halves of the batch again only when the batch
does not conform, because each pySHACL call has a fixed cost that dominates small graphs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from pyshacl import validate as _pyshacl
from rdflib import Graph, URIRef, plugin
from rdflib.namespace import SH
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.query import Processor

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


def _report(data: Graph) -> Report:
    """pySHACL over ``data``, a graph this module made and may change: the ontology is mixed into it
    here (what pySHACL would do on a copy of its own), so pySHACL works in place, without a copy."""
    _use_prepared_queries()
    shapes = shapes_graph()
    for t in ontology():
        data.add(t)
    # advanced=False: the shapes use SHACL Core and SPARQL-based constraints only (both evaluated
    # either way); the Advanced Features machinery cost a quarter of the validation time.
    conforms, results, _ = _pyshacl(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=False, inplace=True)
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


def _union(graphs: Sequence[Graph]) -> Graph:
    union = Graph()
    for g in graphs:
        for t in g:
            union.add(t)
    return union


def validate(graph: Graph) -> Report:
    """Validate one graph against the shapes; the graph is not modified."""
    return _report(_union([graph]))


def validate_many(graphs: Sequence[Graph]) -> list[Report]:
    """Validate several graphs: one pySHACL call for the lot; when the lot does not conform, each half
    again, down to the graphs that do not conform alone (a few calls, not one per graph)."""
    if not graphs:
        return []
    if len(graphs) == 1:
        return [validate(graphs[0])]
    if _report(_union(graphs)).conforms:
        return [Report(True) for _ in graphs]
    mid = len(graphs) // 2
    return validate_many(graphs[:mid]) + validate_many(graphs[mid:])
