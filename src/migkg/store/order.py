"""A query's closing ``ORDER BY`` done in Python, when that gives exactly the engine's order.

Oxigraph sorts by comparing terms, and an IRI or a string longer than a few bytes is not inlined
in its encoding: every comparison looks both strings up in the store. Sorting 42,000 rows by event
IRI cost 1.7 s of CPU of the 2.1 s `event-countries` took at 10,000 releases; the same rows sorted
in Python by the same rules take about 50 ms (bench/README.md, *Listing queries*).

So when a SELECT ends with ``ORDER BY`` over projected variables only (``?v``, ``ASC(?v)``,
``DESC(?v)``) and nothing after it, the store runs the text without that clause (text is only cut,
never added) and sorts the rows here, by SPARQL's order as Oxigraph implements it (SPARQL 1.1
§15.1): unbound < blank node < IRI < literal; IRIs and plain strings by code point; numbers by
value; ``xsd:date`` values of the plain ``YYYY-MM-DD`` form by their text, which is their order.
Rows the keys leave tied (SPARQL does not order them; Oxigraph's order between them changes with
the plan) come in a fixed order here, by the whole row.
Where the engine's order is not a total order this module can reproduce — a column mixing strings
and numbers, language-tagged strings of several languages, blank nodes, other datatypes — it
declines (:func:`row_order` returns None) and the query runs with its ``ORDER BY``.

The rows to sort are held compactly (:func:`row_order`): each cell an index into the list of the
result's distinct terms (4 bytes), each distinct term keyed once; 4.5 million rows of eight columns
take about 150 MB and sort in seconds (bench/README.md, *Streamed results*).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "negativeInteger",
                              "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
                              "unsignedByte")}
_STRING = XSD + "string"
_DATE = XSD + "date"
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TAIL = re.compile(r"\bORDER\s+BY((?:\s*(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+))+)\s*\Z", re.IGNORECASE)
_CONDITION = re.compile(r"(?:(ASC|DESC)\s*\(\s*)?\?(\w+)", re.IGNORECASE)


def split_order(sparql: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The query without its closing ``ORDER BY`` and the conditions (variable, descending), or None
    when the query does not end with one over plain variables."""
    m = _TAIL.search(sparql)
    if m is None:
        return None
    keys = [(name, (how or "").upper() == "DESC") for how, name in _CONDITION.findall(m.group(1))]
    return sparql[: m.start()], keys


def _literal_kind(t: Literal) -> tuple[str, Any] | None:
    dt = str(t.datatype) if t.datatype else None
    if t.language:
        return f"lang:{t.language.lower()}", str(t)
    if dt is None or dt == _STRING:
        return "string", str(t)
    if dt in _NUMERIC:
        try:
            value = Decimal(str(t).strip())
        except ArithmeticError:
            return None
        return ("number", value) if value.is_finite() else None
    if dt == _DATE and _PLAIN_DATE.fullmatch(str(t)):
        return "date", str(t)
    return None


def _term_key(t: Node | None, kinds: set[str]) -> tuple[Any, ...] | None:
    """A term's key in SPARQL's order, or None when its order is not one we reproduce; a literal's
    kind goes into ``kinds`` (a column mixing kinds is declined by the caller)."""
    if t is None:
        return (0,)
    if isinstance(t, URIRef):
        return (2, str(t))
    if isinstance(t, Literal):
        found = _literal_kind(t)
        if found is None:
            return None
        kinds.add(found[0])
        return (3, found[1])
    return None  # a blank node: Oxigraph orders them by an internal id


def _dense_ranks(items: Sequence[int], key: Any, size: int) -> tuple[np.ndarray, bool]:
    """``rank[i]`` for each index in ``items`` by ``key(i)`` (equal keys, equal ranks) in an array of
    ``size``; and whether the ranks are all different."""
    keys = [key(i) for i in items]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks, r, previous = [], -1, None
    for at in order:
        k = keys[at]
        if r < 0 or k != previous:
            r += 1
        ranks.append(r)
        previous = k
    rank = np.zeros(size, dtype=np.int32)
    rank[np.asarray(items, dtype=np.int64)[order]] = ranks
    return rank, r + 1 == len(keys)


def _tie_key(t: Node | None) -> tuple[str, ...]:
    """Any fixed total order will do between rows the query's keys do not order."""
    if t is None:
        return ("",)
    if isinstance(t, Literal):
        return ("l", str(t), str(t.datatype or ""), t.language or "")
    return ("b" if isinstance(t, BNode) else "i", str(t))


def row_order(names: Sequence[str], terms: Sequence[Node | None], ids: np.ndarray,
              keys: list[tuple[str, bool]]) -> np.ndarray | None:
    """The order of the rows ``ids`` (an n × width array of indexes into ``terms``, the distinct terms
    of the rows) by ``keys`` (variable, descending): row indexes; None when not reproducible.

    Each distinct term is keyed once (in Python); the rows are then ordered by numpy on small integers
    (each term's rank in its column), so millions of rows sort in seconds and a few bytes a cell.
    Rows equal on every key come in a fixed order, by the whole row (the rank of each of their terms
    by :func:`_tie_key`): SPARQL leaves their order open, and Oxigraph's changes with the plan."""
    size = len(terms)
    columns: list[np.ndarray] = []
    settled: set[int] = set()  # key columns whose every term has a rank of its own: no tie to break there
    for name, desc in keys:
        if name not in names:
            return None  # ordered by a variable the query does not return
        at = names.index(name)
        present = np.flatnonzero(np.bincount(ids[:, at], minlength=size)).tolist() if len(ids) else []
        kinds: set[str] = set()
        keyed = {i: _term_key(terms[i], kinds) for i in present}
        if None in keyed.values() or len(kinds) > 1:  # incomparable literals: the engine's order is its own
            return None
        rank, distinct = _dense_ranks(present, keyed.__getitem__, size)
        if distinct:
            settled.add(at)
        columns.append(-rank[ids[:, at]] if desc else rank[ids[:, at]])
    if not len(ids):
        return np.zeros(0, dtype=np.intp)
    order = np.lexsort(columns[::-1])  # np.lexsort's last key is the first
    # rows tied on every key, next to each other once sorted: only their terms need a tie rank
    ranked = np.stack([c[order] for c in columns])
    tied = np.zeros(len(order), dtype=bool)
    same = (ranked[:, 1:] == ranked[:, :-1]).all(axis=0)
    tied[1:] |= same
    tied[:-1] |= same
    unsettled = [at for at in range(ids.shape[1]) if at not in settled]
    if not tied.any() or not unsettled:
        return order
    needed = np.unique(ids[order[tied]][:, unsettled]).tolist()
    tie, _ = _dense_ranks(needed, lambda i: _tie_key(terms[i]), size)
    ties = [tie[ids[:, at]] for at in unsettled]
    return np.lexsort([*reversed(ties), *reversed(columns)])


def sort_rows(names: Sequence[str], rows: list[tuple[Node | None, ...]],
              keys: list[tuple[str, bool]]) -> list[tuple[Node | None, ...]] | None:
    """``rows`` in the order of ``keys`` (variable, descending), or None when not reproducible
    (:func:`row_order` over the rows' distinct term objects)."""
    terms: list[Node | None] = []
    index: dict[int, int] = {}
    flat = []
    for t in itertools.chain.from_iterable(rows):
        at = index.get(id(t))
        if at is None:
            at = index[id(t)] = len(terms)
            terms.append(t)
        flat.append(at)
    ids = np.array(flat, dtype=np.int64).reshape(len(rows), len(names))
    order = row_order(names, terms, ids, keys)
    return None if order is None else [rows[i] for i in order.tolist()]
