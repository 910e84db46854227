"""SPARQL-based constraints checked in Python for the graphs of a validation batch (:mod:`migkg.simple_shapes`).

pySHACL runs a SPARQL constraint once per focus node (a prepared query still costs ~1 ms for S15 on a series).
Each check here stands for one constraint of the shapes, known by its query's text (whitespace aside): a
constraint whose text is not in :data:`CHECKS` is left to pySHACL, so a changed query is never checked by
a stale twin. A check *vouches* for a graph only when the query can select no focus node in it, reading
the graph alone and more strictly than the query (any node, whatever its class; any term equality the
query could see); a graph it does not vouch for is validated by pySHACL alone, with every shape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import NamedTuple

from rdflib import Literal, URIRef
from rdflib.term import Node

_MKG = "https://w3id.org/migkg/ontology#"
SUB_ORGANIZATION_OF = URIRef(_MKG + "subOrganizationOf")
START_DATE, END_DATE = URIRef(_MKG + "startDate"), URIRef(_MKG + "endDate")
IN_SERIES, ORDINAL = URIRef(_MKG + "inSeries"), URIRef(_MKG + "ordinal")

# The graph's statements of the predicates a check reads: predicate -> [(subject, object)]
Watched = dict[Node, list[tuple[Node, Node]]]


class Check(NamedTuple):
    """A SPARQL constraint's check: the predicates it reads, and whether it vouches for a graph."""

    predicates: frozenset[Node]
    vouch: Callable[[Watched], bool]


def _no_self_parent(w: Watched) -> bool:
    """S02: ``$this mkg:subOrganizationOf $this``."""
    return not any(s == o for s, o in w.get(SUB_ORGANIZATION_OF, ()))


def _no_cycle(w: Watched) -> bool:
    """S16: ``$this mkg:subOrganizationOf ?parent . ?parent mkg:subOrganizationOf+ $this``: no cycle at all
    (a loop of one included: S02's)."""
    parents: dict[Node, set[Node]] = {}
    for s, o in w.get(SUB_ORGANIZATION_OF, ()):
        parents.setdefault(s, set()).add(o)
    done: set[Node] = set()
    for start in parents:
        if start in done:
            continue
        on_path, stack = {start}, [(start, iter(parents[start]))]
        while stack:
            node, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif nxt in on_path:
                return False
            elif nxt not in done and nxt in parents:
                on_path.add(nxt)
                stack.append((nxt, iter(parents[nxt])))
    return True


def _ends_after_start(w: Watched) -> bool:
    """S05: ``$this mkg:startDate ?s ; mkg:endDate ?e . FILTER (STR(?e) < STR(?s))``: every start and end of a
    node are literals, and no end's text sorts before a start's (code points, as SPARQL compares simple
    literals)."""
    ends: dict[Node, list[str]] = {}
    for s, o in w.get(END_DATE, ()):
        if type(o) is not Literal:
            return False
        ends.setdefault(s, []).append(str(o))
    if not ends:
        return True
    for s, o in w.get(START_DATE, ()):
        if s in ends and (type(o) is not Literal or any(e < str(o) for e in ends[s])):
            return False
    return True


def _one_ordinal_a_series(w: Watched) -> bool:
    """S15 (two events of a series share an ordinal, or a later ordinal starts earlier): it needs two
    distinct events of a series with an ordinal each; vouched for when no series has two."""
    numbered = {s for s, _ in w.get(ORDINAL, ())}
    first: dict[Node, Node] = {}
    return all(first.setdefault(series, s) == s for s, series in w.get(IN_SERIES, ()) if s in numbered)


def _key(query: str) -> str:
    """A constraint's query, known by a digest of its text, whitespace aside (the text itself lives in the
    shapes file only)."""
    return hashlib.sha256(" ".join(query.split()).encode()).hexdigest()[:24]


# the digest of each constraint's query in ontology/shapes.ttl (tests/test_simple_shapes.py: every key is
# one of the shapes file's constraints) -> its check
CHECKS: dict[str, Check] = {
    # S02-Organization: no organization is its own parent
    "d37932a66c0847d7b5add75c": Check(frozenset({SUB_ORGANIZATION_OF}), _no_self_parent),
    # S16-OrganizationAncestry: no cycle of parents
    "4ae729ad230dea716b2afaad": Check(frozenset({SUB_ORGANIZATION_OF}), _no_cycle),
    # S05-EventDates: no end before the start
    "df7997d5757294b94cd766a7": Check(frozenset({END_DATE, START_DATE}), _ends_after_start),
    # S15-SeriesOrder: ordinals of a series
    "ce85c27ad2f22bec2fd8d2c5": Check(frozenset({IN_SERIES, ORDINAL}), _one_ordinal_a_series),
}


def check(select: str) -> Check | None:
    """The Python check of the SPARQL constraint with this query, if there is one."""
    return CHECKS.get(_key(select))
