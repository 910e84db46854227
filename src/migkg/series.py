"""Series in order: each event of a series linked to the previous and next one the store knows.

The links are facts about the whole store, not about one release: the ninth meeting's release does not
know that a release about the tenth exists. So they are computed over the merge after every build
(:func:`update_series_order`) and kept in a named graph of their own (``id:graph/series-order``),
replaced in one transaction like a release graph, and only when the links changed. A release added,
replaced or built again leaves the chain as it would be had the store been built from scratch.

Order within a series: by ordinal when every event of the series has one (the start date breaks a
tie), else by start date (undated events last, then by ordinal). Gaps are ordinals between two
consecutive known events ("the 7th is not in the store"); :func:`timeline` reads the stored chain back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migkg.build import SERIES_ORDER_GRAPH
from migkg.query import Queryable, run_query
from migkg.store.terms import Quad, Triple
from migkg.vocab import MKG


@dataclass(frozen=True)
class Member:
    """One event of a series as the store knows it."""

    event: str
    label: str
    ordinal: int | None
    start: str | None


@dataclass(frozen=True)
class Link:
    """An event in its series' chain, with the ordinals missing between it and the one before."""

    member: Member
    previous: str | None
    missing_before: tuple[int, ...]


@dataclass(frozen=True)
class Chain:
    series: str
    label: str
    links: tuple[Link, ...]


class _Writable(Queryable, Protocol):
    def value(self, subject: URIRef, predicate: URIRef) -> Node | None: ...
    def replace_graph(self, name: URIRef, graph: Graph) -> int: ...
    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]: ...
    def facts(self, subject: Node | None = None, predicate: Node | None = None,
              obj: Node | None = None) -> Iterator[Triple]: ...


def order(members: list[Member]) -> list[Member]:
    """The members of one series in order (see the module docstring)."""
    if all(m.ordinal is not None for m in members):
        return sorted(members, key=lambda m: (m.ordinal, m.start or "9999", m.event))
    return sorted(members, key=lambda m: (m.start or "9999", m.ordinal or 0, m.event))


def _members(rows: list[dict[str, Node | None]]) -> dict[str, dict[str, Member]]:
    """series -> event -> member, one per event (several labels or ordinals in the merge: the first)."""
    out: dict[str, dict[str, Member]] = {}
    for r in rows:
        series, event = str(r["series"]), str(r["event"])
        ordinal = int(str(r["ordinal"])) if r.get("ordinal") is not None else None
        start = str(r["start"]) if r.get("start") is not None else None
        m = Member(event, str(r.get("label") or ""), ordinal, start)
        have = out.setdefault(series, {}).get(event)
        if have is None or (m.ordinal or 0, m.start or "", m.label) < (have.ordinal or 0, have.start or "", have.label):
            out[series][event] = m
    return out


def _rows(store: Queryable, name: str, params: dict[str, str] | None = None) -> list[dict[str, Node | None]]:
    result = run_query(store, name, params)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


Links = set[tuple[Node, Node, Node]]


def _links(members_by_series: dict[str, dict[str, Member]]) -> Links:
    out: Links = set()
    for members in members_by_series.values():
        ordered = order(list(members.values()))
        for a, b in zip(ordered, ordered[1:], strict=False):
            out.add((URIRef(b.event), MKG.previousInSeries, URIRef(a.event)))
            out.add((URIRef(a.event), MKG.nextInSeries, URIRef(b.event)))
    return out


def _order_graph(links: Links) -> Graph:
    g = Graph(identifier=SERIES_ORDER_GRAPH)
    for t in links:
        g.add(t)
    digest = hashlib.sha256("\n".join(sorted(f"{s} {p} {o}" for s, p, o in g)).encode()).hexdigest()
    g.add((SERIES_ORDER_GRAPH, MKG.contentHash, Literal(digest)))
    return g


def order_graph(store: Queryable) -> Graph:
    """The previous/next links of every series in the store, with a hash of themselves."""
    return _order_graph(_links(_members(_rows(store, "construct/series-members"))))


def chain_links(store: Queryable, series: Iterable[Node]) -> dict[Node, Links]:
    """The previous/next links of each of the given series as the store orders them now (one
    parameterized query each: look-ups from the series' events, not a pass over the store)."""
    return {s: _links(_members(_rows(store, "construct/series-members", {"series": str(s)}))) for s in series}


def update_series_order(store: _Writable, before: dict[Node, Links] | None = None) -> bool:
    """Recompute the series chains and replace the series-order graph when they changed; returns True
    when it was written.

    With ``before`` (series -> their links before a small build touched them) only those series are
    recomputed: when their links did not change nothing else is read or written; when they did, the
    stored graph gets their old links replaced by the new ones. Every series is recomputed instead
    where that could differ from recomputing the whole store: an event of these series that is in
    another series too (a link could belong to both chains), or stored links other than ``before``'s."""
    if before is not None:
        old: Links = set().union(*before.values())
        new: Links = set().union(*chain_links(store, before).values())
        if old == new:
            return False
        stored = {(q.subject, q.predicate, q.object) for q in store.quads(SERIES_ORDER_GRAPH)
                  if q.predicate in (MKG.previousInSeries, MKG.nextInSeries)}
        events = {t[0] for t in old | new} | {t[2] for t in old | new}
        if old <= stored and all({t.object for t in store.facts(e, MKG.inSeries)} <= before.keys() for e in events):
            return _write(store, _order_graph((stored - old) | new))
    return _write(store, order_graph(store))


def _write(store: _Writable, g: Graph) -> bool:
    new = g.value(SERIES_ORDER_GRAPH, MKG.contentHash)
    if store.value(SERIES_ORDER_GRAPH, MKG.contentHash) == new:
        return False
    store.replace_graph(SERIES_ORDER_GRAPH, g)
    return True


def timeline(store: Queryable, series: str | None = None) -> list[Chain]:
    """The stored chain of each series (or of one), from its first known event along the next links,
    with the ordinals missing before each event (``queries/series-chain.rq``)."""
    rows = _rows(store, "series-chain", {"series": series} if series else None)
    members = _members(rows)
    labels: dict[str, tuple[int, str]] = {}
    nxt: dict[tuple[str, str], str] = {}
    prev: dict[tuple[str, str], str] = {}
    for r in rows:
        s = str(r["series"])
        if r.get("seriesLabel") is not None:
            lab = r["seriesLabel"]
            rank = 0 if getattr(lab, "language", None) == "en" else 1
            labels[s] = min(labels.get(s, (9, "")), (rank, str(lab)))
        if r.get("next") is not None:
            nxt[(s, str(r["event"]))] = str(r["next"])
        if r.get("previous") is not None:
            prev[(s, str(r["event"]))] = str(r["previous"])
    out = []
    for s in sorted(members):
        by_event = members[s]
        heads = order([m for e, m in by_event.items() if (s, e) not in prev])
        links: list[Link] = []
        seen: set[str] = set()
        for head in heads:
            event: str | None = head.event
            while event is not None and event in by_event and event not in seen:
                seen.add(event)
                m = by_event[event]
                before = prev.get((s, event))
                links.append(Link(m, before, _missing(by_event.get(before or ""), m)))
                event = nxt.get((s, event))
        out.append(Chain(s, labels.get(s, (9, s.rsplit("/", 1)[-1]))[1], tuple(links)))
    return out


def _missing(before: Member | None, m: Member) -> tuple[int, ...]:
    if before is None or before.ordinal is None or m.ordinal is None:
        return ()
    return tuple(range(before.ordinal + 1, m.ordinal))


def ordinal_words(n: int) -> str:
    """1 -> 1st, 2 -> 2nd, 11 -> 11th, 23 -> 23rd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def gap_text(missing: tuple[int, ...]) -> str:
    """("the 7th is not in the store", "the 5th to 7th are not in the store")."""
    if len(missing) == 1:
        return f"the {ordinal_words(missing[0])} is not in the store"
    return f"the {ordinal_words(missing[0])} to {ordinal_words(missing[-1])} are not in the store"


def format_timeline(chains: list[Chain]) -> str:
    """The chains as text: one block per series, one line per event, a line for each gap."""
    lines: list[str] = []
    for c in chains:
        lines.append(f"{c.label}  <{c.series}>")
        for link in c.links:
            if link.missing_before:
                lines.append(f"   ... {gap_text(link.missing_before)}")
            m = link.member
            n = ordinal_words(m.ordinal) if m.ordinal is not None else "-"
            lines.append(f"  {n:>5}  {m.start or 'undated':<10}  {m.label}  <{m.event}>")
        lines.append("")
    return "\n".join(lines)
