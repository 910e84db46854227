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
declines (:func:`sort_key_columns` returns None) and the query runs with its ``ORDER BY``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

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


def _column_key(values: Sequence[Node | None]) -> list[tuple[Any, ...]] | None:
    """One sortable key per value of a column, or None when the column's order is not one we reproduce.

    A column repeats its terms, and the store hands out one object per distinct term: each object is
    keyed once, by its ``id`` (rdflib terms hash in Python, slowly)."""
    kinds: set[str] = set()
    ids = list(map(id, values))
    known: dict[int, tuple[Any, ...]] = {}
    for i, t in dict(zip(ids, values, strict=True)).items():
        if t is None:
            known[i] = (0,)
        elif isinstance(t, URIRef):
            known[i] = (2, str(t))
        elif isinstance(t, Literal):
            found = _literal_kind(t)
            if found is None:
                return None
            kinds.add(found[0])
            if len(kinds) > 1:  # incomparable literals: the engine's order between them is its own
                return None
            known[i] = (3, found[1])
        else:  # a blank node: Oxigraph orders them by an internal id
            return None
    return list(map(known.__getitem__, ids))


def _tie_key(t: Node | None) -> tuple[str, ...]:
    """Any fixed total order will do between rows the query's keys do not order."""
    if t is None:
        return ("",)
    if isinstance(t, Literal):
        return ("l", str(t), str(t.datatype or ""), t.language or "")
    return ("b" if isinstance(t, BNode) else "i", str(t))


def sort_rows(names: Sequence[str], rows: list[tuple[Node | None, ...]],
              keys: list[tuple[str, bool]]) -> list[tuple[Node | None, ...]] | None:
    """``rows`` in the order of ``keys`` (variable, descending), or None when not reproducible."""
    columns = []
    for name, desc in keys:
        if name not in names:
            return None  # ordered by a variable the query does not return
        at = names.index(name)
        col = _column_key([r[at] for r in rows])
        if col is None:
            return None
        columns.append((col, desc))
    order = list(range(len(rows)))
    for col, desc in reversed(columns):  # stable sorts, last key first: lexicographic order
        order.sort(key=col.__getitem__, reverse=desc)
    # Rows equal on every key come in an order SPARQL leaves open (Oxigraph's differs from one plan
    # to another); here they are in a fixed one, by the whole row, so that the output diffs cleanly.
    whole = list(zip(*(col for col, _ in columns), strict=True))
    out: list[int] = []
    for _key, group in itertools.groupby(order, key=whole.__getitem__):
        run = list(group)
        if len(run) > 1:
            run.sort(key=lambda i: tuple(_tie_key(t) for t in rows[i]))
        out += run
    return [rows[i] for i in out]
