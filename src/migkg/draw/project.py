"""Projections: rows of the saved queries under ``queries/construct/`` -> networkx graphs.

Each kind of drawing is a pure function of query rows (so a benchmark can feed synthetic rows)
plus :func:`project`, which runs the queries against a store with the filters bound as query
parameters. List-valued edge and node attributes (years, releases, events) are space-separated
strings so that every output format, GraphML and GEXF included, can hold them.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from migkg.errors import QueryError
from migkg.model import EVENT_TYPES
from migkg.query import Queryable, bound, load_query

Row = dict[str, Any]


@dataclass(frozen=True)
class Filters:
    """What to keep: events in a year range (undated ones too unless ``dated_only``), with a country, an
    organization, a type, a programme."""

    from_year: int | None = None
    to_year: int | None = None
    country: str | None = None
    organization: str | None = None
    event_type: str | None = None
    programme: str | None = None
    dated_only: bool = False  # year filters keep undated events unless this is set
    rollup: bool = False  # units count as their top-most parent organization (IOM Libya as IOM)

    def params(self) -> dict[str, str]:
        """The filters as saved-query parameters (checked; values are bound by the query engine)."""
        if self.from_year is not None and self.to_year is not None and self.from_year > self.to_year:
            raise QueryError(f"--from {self.from_year} is after --to {self.to_year}")
        out: dict[str, str] = {}
        if self.from_year is not None:
            out["from_year"] = str(self.from_year)
        if self.to_year is not None:
            out["to_year"] = str(self.to_year)
        if self.country is not None:
            if not re.fullmatch(r"[A-Za-z]{2}", self.country):
                raise QueryError(f"--country {self.country!r}: expected an ISO 3166-1 alpha-2 code",
                                 "for example BA; Kosovo is XK")
            out["country"] = self.country.upper()
        if self.organization is not None:
            out["organization"] = self.organization
        if self.event_type is not None:
            known = {t.lower(): t for t in EVENT_TYPES}
            if self.event_type.lower() not in known:
                raise QueryError(f"--event-type {self.event_type!r}: unknown type",
                                 f"use one of {', '.join(EVENT_TYPES)}")
            out["event_type"] = known[self.event_type.lower()]
        if self.programme is not None:
            out["programme"] = self.programme
        if self.dated_only:
            out["dated_only"] = "true"
        if self.rollup:
            out["rollup"] = "yes"
        return out

    def events_filtered(self) -> bool:
        """True when a filter other than the programme narrows the events."""
        return self.dated_only or any(v is not None for v in (self.from_year, self.to_year, self.country,
                                                              self.organization, self.event_type))

    def describe(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.params().items())


@dataclass
class _Edge:
    events: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    releases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    # more events and releases, held by other edges (shared, not copied: the flows graph's countries);
    # added one edge at a time when the graph is made
    parts: list[_Edge] = field(default_factory=list)


def fetch(store: Queryable, name: str, filters: Filters | None = None) -> list[Row]:
    """Run ``queries/construct/NAME.rq`` with the filters it declares; rows as dicts of Python values."""
    q = load_query(f"construct/{name}")
    declared = {p.name for p in q.params}
    given = {k: v for k, v in (filters or Filters()).params().items() if k in declared}
    result = store.select_result(*bound(q, given))
    out = []
    for row in result.rows:
        d: Row = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None or var in declared:
                continue
            d[var] = term.toPython() if var == "year" else str(term)
            if var == "value" and getattr(term, "language", None):
                d["lang"] = term.language
        out.append(d)
    return out


def node_info(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Rows of ``construct/nodes`` (and ``construct/event-nodes``) -> node IRI -> {kind, label, acronym,
    iso2, type, start}."""
    info: dict[str, dict[str, Any]] = {}
    labels: dict[str, list[tuple[int, str]]] = defaultdict(list)
    least: dict[tuple[str, str], tuple[str, str]] = {}  # (node, key) -> the least (kind, value)
    for r in rows:  # in any order: every choice is a least one (as in the query's order, by kind first)
        d = info.setdefault(r["node"], {"kind": r["kind"]})
        d["kind"] = min(d["kind"], r["kind"])
        if "value" not in r:
            continue
        if r["key"] == "label":
            rank = {"en": 0, None: 1}.get(r.get("lang"), 2)
            labels[r["node"]].append((rank, r["value"]))
        else:
            at = (r["node"], r["key"])
            least[at] = min(least.get(at, (r["kind"], r["value"])), (r["kind"], r["value"]))
    for (node, key), (_kind, value) in least.items():
        info[node][key] = value
    for node, options in labels.items():
        info[node]["label"] = min(options)[1]
    return info


def event_node_rows(rows: Iterable[Row]) -> list[Row]:
    """Rows of ``construct/event-nodes`` (an event's type, label and start in one row) as rows of
    ``construct/nodes`` (one attribute a row), for :func:`node_info`."""
    out: list[Row] = []
    for r in rows:
        node = r["node"]
        out.append({"node": node, "kind": "event", "key": "type", "value": r["type"]})
        if "label" in r:
            out.append({"node": node, "kind": "event", "key": "label", "value": r["label"],
                        "lang": r.get("lang") or None})  # LANG() is "" for a string without one
        if "start" in r:
            out.append({"node": node, "kind": "event", "key": "start", "value": r["start"]})
    return out


def _add_node(g: nx.Graph, node: str, info: dict[str, dict[str, Any]], kind: str) -> None:
    if node in g:
        return
    d = info.get(node, {})
    attrs = {"label": d.get("label") or node.rsplit("/", 1)[-1], "kind": d.get("kind", kind), "iri": node}
    attrs.update({k: d[k] for k in ("acronym", "iso2", "type", "start") if d.get(k)})
    g.add_node(node, **attrs)


# The most releases and events an edge lists (the first, by IRI); the weight and the *_total attributes
# count them all. At 100,000 releases an edge of the flows graph was stated by 50,000 releases: every
# edge's full lists took 7 GB and a GraphML file of gigabytes.
EDGE_LIST_MAX = 100


class _Bits:
    """Sets of strings as bit masks over one sorted universe, for the edges made of shared parts (the
    flows graph's countries): at 100,000 releases an edge united up to 146 parts of 164,000 releases
    in all, 2,100 edges 198 million set insertions (7 s) and the first releases picked from each union
    (7 s more). Each part becomes a mask once; an edge is the OR of its parts' masks, counted by
    ``int.bit_count`` and listed from its lowest bits, which are the first strings in order."""

    def __init__(self, sets: Iterable[set[str]]) -> None:
        self.names = sorted(set().union(*sets))
        self.index = {name: i for i, name in enumerate(self.names)}
        self.size = (len(self.names) + 7) // 8  # bytes of a mask

    def mask(self, items: set[str]) -> int:
        bits = np.zeros(self.size * 8, dtype=bool)
        bits[list(map(self.index.__getitem__, items))] = True
        return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")

    def first(self, mask: int) -> list[str]:
        """The first EDGE_LIST_MAX strings of a mask, in order."""
        raw = np.frombuffer(mask.to_bytes(self.size, "little"), dtype=np.uint8)
        at = np.flatnonzero(raw)[:EDGE_LIST_MAX]  # the first bytes with a bit set hold the first bits
        bits = np.flatnonzero(np.unpackbits(raw[at], bitorder="little"))[:EDGE_LIST_MAX]
        return [self.names[i] for i in (at[bits // 8] * 8 + bits % 8).tolist()]


Listing = tuple[int, list[str]]  # how many, and the first EDGE_LIST_MAX in order


def _listing(items: set[str]) -> Listing:
    return len(items), _first(items)


def _united(edges: dict[tuple[str, str], _Edge], which: str) -> dict[tuple[str, str], Listing]:
    """For each edge with parts: the releases (or events: ``which``) that it and its parts hold together,
    counted and listed, without making their unions."""
    with_parts = {k: e for k, e in edges.items() if e.parts}
    parts = {id(p): getattr(p, which) for e in with_parts.values() for p in e.parts}
    bits = _Bits([*parts.values(), *(getattr(e, which) for e in with_parts.values())])
    masks = {key: bits.mask(items) for key, items in parts.items()}
    out = {}
    for k, e in with_parts.items():
        m = bits.mask(getattr(e, which))
        for p in e.parts:
            m |= masks[id(p)]
        out[k] = (m.bit_count(), bits.first(m))
    return out


def _finish(g: nx.Graph, edges: dict[tuple[str, str], _Edge], weight_by: str = "events") -> None:
    """Add the edges; an edge's weight counts its events or its releases (``weight_by``: "events",
    "releases", or "events, else releases" for an edge with no event)."""
    cut = 0
    united_releases, united_events = _united(edges, "releases"), _united(edges, "events")
    for (a, b), e in edges.items():
        n_releases, releases = united_releases.get((a, b)) or _listing(e.releases)
        n_events, events = united_events.get((a, b)) or _listing(e.events)
        by_events = weight_by == "events" or (weight_by == "events, else releases" and n_events)
        attrs: dict[str, Any] = {
            "weight": n_events if by_events else n_releases,
            "years": " ".join(str(y) for y in sorted(e.years)),
            "releases": " ".join(releases),
            "events": " ".join(events),
        }
        if n_releases > EDGE_LIST_MAX or n_events > EDGE_LIST_MAX:
            attrs["releases_total"], attrs["events_total"] = n_releases, n_events
            cut += 1
        if e.roles:
            attrs["relation"] = " ".join(sorted(e.roles))
        g.add_edge(a, b, **attrs)
    if cut:  # stated with the graph's other approximations (metrics.add_metrics)
        g.graph["edge_lists_cut"] = (f"{cut} edge(s) list only the first {EDGE_LIST_MAX} of their releases or "
                                     "events (by IRI); their weight and releases_total/events_total count them all")


def _first(items: set[str]) -> list[str]:
    """The first EDGE_LIST_MAX of ``items`` in order (all of them when fewer)."""
    if len(items) <= EDGE_LIST_MAX:
        return sorted(items)
    return heapq.nsmallest(EDGE_LIST_MAX, items)


def _set_activity(g: nx.Graph, node_events: dict[str, dict[str, int | None]]) -> None:
    """Activity per year: ``2019:3 2020:1``, the number of distinct events, first and last year."""
    for node, events in node_events.items():
        if node not in g:
            continue
        per_year = Counter(y for y in events.values() if y is not None)
        g.nodes[node]["activity"] = " ".join(f"{y}:{n}" for y, n in sorted(per_year.items()))
        g.nodes[node]["event_count"] = len(events)
        if per_year:
            g.nodes[node]["first_year"] = min(per_year)
            g.nodes[node]["last_year"] = max(per_year)


def _by_event(rows: Iterable[Row], key: str) -> dict[str, dict[str, set[str]]]:
    """event -> actor -> releases reporting that actor at that event."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        if r.get(key):
            out[r["event"]][r[key]].add(r["release"])
    return out


def _years(rows: Iterable[Row]) -> dict[str, int | None]:
    return {r["event"]: r.get("year") for r in rows}


def _shared_events(rows: Sequence[Row], key: str, info: dict[str, dict[str, Any]], kind: str,
                   g: nx.Graph) -> nx.Graph:
    """Link the ``key`` nodes of ``rows`` that took part in the same events; weight = shared events."""
    years = _years(rows)
    edges: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    seen: dict[str, dict[str, int | None]] = defaultdict(dict)
    for event, members in _by_event(rows, key).items():
        for node in members:
            _add_node(g, node, info, kind)
            seen[node][event] = years[event]
        for x, y in itertools.combinations(sorted(members), 2):
            e = edges[(x, y)]
            e.events.add(event)
            if years[event] is not None:
                e.years.add(years[event])  # type: ignore[arg-type]
            e.releases |= members[x] | members[y]
    _finish(g, edges)
    _set_activity(g, seen)
    return g


def co_participation(actor_rows: Sequence[Row], info: dict[str, dict[str, Any]]) -> nx.Graph:
    """Organizations linked when they were at the same events; weight = number of shared events."""
    return _shared_events(actor_rows, "org", info, "organization", nx.Graph(kind="co-participation"))


def organizer_participant(actor_rows: Sequence[Row], info: dict[str, dict[str, Any]]) -> nx.DiGraph:
    """Organizer -> participant at each event; weight = number of events."""
    g = nx.DiGraph(kind="organizer-participant")
    years = _years(actor_rows)
    roles: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set)))
    for r in actor_rows:
        roles[r["event"]][r["role"]][r["org"]].add(r["release"])
    edges: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    seen: dict[str, dict[str, int | None]] = defaultdict(dict)
    for event, by_role in roles.items():
        for org in dict.fromkeys([*by_role["organizer"], *by_role["participant"]]):  # in row order: the same
            # graph (node order, communities) whatever the string hashing
            _add_node(g, org, info, "organization")
            seen[org][event] = years[event]
        for a, ra in by_role["organizer"].items():
            for b, rb in by_role["participant"].items():
                if a == b:
                    continue
                e = edges[(a, b)]
                e.events.add(event)
                if years[event] is not None:
                    e.years.add(years[event])  # type: ignore[arg-type]
                e.releases |= ra | rb
    _finish(g, edges)
    _set_activity(g, seen)
    return g


def country_graph(country_rows: Sequence[Row], info: dict[str, dict[str, Any]]) -> nx.Graph:
    """Countries linked when they took part in the same events; weight = number of shared events."""
    return _shared_events(country_rows, "place", info, "country", nx.Graph(kind="country"))


def bipartite(actor_rows: Sequence[Row], info: dict[str, dict[str, Any]]) -> nx.Graph:
    """Organizations and events; an edge per organization at an event, with its role(s)."""
    g = nx.Graph(kind="bipartite")
    years = _years(actor_rows)
    edges: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    seen: dict[str, dict[str, int | None]] = defaultdict(dict)
    for r in actor_rows:
        org, event = r["org"], r["event"]
        _add_node(g, org, info, "organization")
        _add_node(g, event, info, "event")
        g.nodes[org]["bipartite"], g.nodes[event]["bipartite"] = 0, 1
        e = edges[(org, event)]
        e.events.add(event)
        e.roles.add(r["role"])
        e.releases.add(r["release"])
        if years[event] is not None:
            e.years.add(years[event])  # type: ignore[arg-type]
        seen[org][event] = seen[event][event] = years[event]
    _finish(g, edges)
    _set_activity(g, seen)
    return g


def flows(link_rows: Sequence[Row], event_rows: Sequence[Row], country_rows: Sequence[Row],
          info: dict[str, dict[str, Any]], events_filtered: bool = False) -> nx.DiGraph:
    """Funder -> programme -> implementer -> country (countries of the programme's events).

    ``event_rows`` are the programmes' events (``construct/programme-events``), ``country_rows`` the
    countries taking part in them with the releases stating it (``construct/programme-event-countries``,
    the same filters; other events' rows are not used); joined here by event. A programme without a
    known implementer reaches its countries directly. With event filters, only programmes with a
    matching event are kept."""
    g = nx.DiGraph(kind="flows")
    active = {r["prog"] for r in event_rows}
    funders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    implementers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in link_rows:
        if events_filtered and r["prog"] not in active:
            continue
        (funders if r["relation"] == "funder" else implementers)[r["prog"]][r["org"]].add(r["release"])
    edges: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    for prog, orgs in funders.items():
        for org, releases in orgs.items():
            edges[(org, prog)].releases |= releases
            edges[(org, prog)].roles.add("funds")
    for prog, orgs in implementers.items():
        for org, releases in orgs.items():
            edges[(prog, org)].releases |= releases
            edges[(prog, org)].roles.add("implemented by")
    # event -> country -> the releases stating it, in row order: an event that 300 releases report with
    # 20 countries, in 20 programmes of 10 implementers, is then 4,000 set unions, not 1.2 million adds
    places: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for r in country_rows:
        places[r["event"]].setdefault(r["place"], set()).add(r["release"])
    seen: dict[str, dict[str, int | None]] = defaultdict(dict)
    # a programme's events gathered per country first, then given to each of its implementers: the rows
    # come by programme (ORDER BY; a programme split in two groups would give the same graph)
    for prog, rows in itertools.groupby(event_rows, key=lambda r: r["prog"]):
        at: dict[str, _Edge] = {}  # country -> this programme's events there, in row order
        placed: dict[str, int | None] = {}  # this programme's events with a country
        for r in rows:
            event, year = r["event"], r.get("year")
            seen[prog][event] = year
            for place, releases in places.get(event, {}).items():
                a = at.get(place)
                if a is None:
                    a = at[place] = _Edge()
                a.events.add(event)
                a.releases |= releases
                if year is not None:
                    a.years.add(year)
                seen[place][event] = placed[event] = year
        sources = implementers.get(prog) or {prog: set()}
        for place, a in at.items():
            for source in sources:  # (an implementer's countries hold the events of all its programmes)
                e = edges[(source, place)]
                e.parts.append(a)
                e.years |= a.years
                e.roles.add("works in" if source != prog else "reaches")
        for source in sources if placed else ():
            seen[source].update(placed)
    for a, b in edges:
        _add_node(g, a, info, "organization")
        _add_node(g, b, info, "organization")
    _finish(g, edges, weight_by="events, else releases")  # a country edge counts events, a link releases
    _set_activity(g, seen)
    return g


def timeline_rows(event_rows: Sequence[Row], info: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(row label, event IRI, start date) for each event in each of its series and programmes."""
    out = set()
    for r in event_rows:
        if not r.get("start"):
            continue
        groups = []
        if r.get("series"):
            groups.append("series: " + (r.get("seriesLabel") or info.get(r["series"], {}).get("label")
                                        or r["series"].rsplit("/", 1)[-1]))
        if r.get("prog"):
            p = info.get(r["prog"], {})
            name = p.get("acronym") or p.get("label") or r["prog"].rsplit("/", 1)[-1]
            groups.append("programme: " + name)
        for grp in groups or ["(no series or programme)"]:
            out.add((grp, r["event"], str(r["start"])[:10]))
    return sorted(out)


def top_parents(parent_rows: Iterable[Row]) -> dict[str, str]:
    """Rows of ``construct/org-parents`` -> unit -> its top-most ancestor (the first parent by IRI when a
    unit has several; a cycle, which the checks report, stops where it closes)."""
    parent: dict[str, str] = {}
    for r in parent_rows:
        parent.setdefault(r["org"], r["parent"])
    out = {}
    for unit in parent:
        node, seen = unit, {unit}
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        out[unit] = node
    return out


def rolled_up(rows: list[Row], up: dict[str, str]) -> list[Row]:
    """The rows with each organization (``org``) replaced by its top-most parent, when rolling up."""
    if not up:
        return rows
    return [{**r, "org": up.get(r["org"], r["org"])} if r.get("org") else r for r in rows]


KINDS = ("co-participation", "organizer-participant", "flows", "country", "bipartite")


def project(store: Queryable, kind: str, filters: Filters | None = None) -> nx.Graph:
    """Build the graph of one kind (see :data:`KINDS`) from the store."""
    f = filters or Filters()
    if kind not in KINDS:
        raise QueryError(f"unknown graph kind {kind!r}", f"use one of {', '.join(KINDS)}, stats or timeline")
    node_rows = fetch(store, "nodes")
    if kind == "bipartite":  # the only kind with event nodes; the others need not read every event
        node_rows += event_node_rows(fetch(store, "event-nodes"))
    info = node_info(node_rows)
    up = top_parents(fetch(store, "org-parents")) if f.rollup else {}
    if kind == "co-participation":
        g = co_participation(rolled_up(fetch(store, "event-actors", f), up), info)
    elif kind == "organizer-participant":
        g = organizer_participant(rolled_up(fetch(store, "event-actors", f), up), info)
    elif kind == "bipartite":
        g = bipartite(rolled_up(fetch(store, "event-actors", f), up), info)
    elif kind == "country":
        g = country_graph(fetch(store, "event-countries", f), info)
    else:
        g = flows(rolled_up(fetch(store, "programme-links", f), up), fetch(store, "programme-events", f),
                  fetch(store, "programme-event-countries", f), info, f.events_filtered())
    g.graph["filters"] = f.describe()
    return g
