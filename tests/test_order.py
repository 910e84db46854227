"""A closing ORDER BY sorted in Python (store/order.py) gives the engine's rows in the engine's order
(rows tied on every key in a fixed order of their own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from migkg.query import bind_params, saved_queries
from migkg.store import EmbeddedStore, open_store
from migkg.store.order import sort_rows, split_order
from migkg.vocab import XSD

PARAMS = json.loads((Path(__file__).parent / "expected" / "params.json").read_text(encoding="utf-8"))
ORDERED = [q for q in saved_queries() if split_order(q.text) is not None]


def test_most_saved_queries_end_with_an_order_the_store_can_take_over() -> None:
    assert len(ORDERED) >= 15, [q.name for q in ORDERED]


@pytest.mark.parametrize("query", ORDERED, ids=[q.name for q in ORDERED])
def test_python_order_is_the_engine_order(query, corpus_store_dir: Path) -> None:
    bindings = bind_params(query, PARAMS.get(query.name, {})) or None
    with open_store(corpus_store_dir, read_only=True) as store:
        ours = store.select_result(query.text, bindings)
        store.order_in_python = False
        engine = store.select_result(query.text, bindings)
    assert ours.variables == engine.variables
    assert sorted(map(str, ours.rows)) == sorted(map(str, engine.rows))  # the same rows
    keys = [ours.variables.index(name) for name, _ in split_order(query.text)[1]]  # type: ignore[index]
    # in the same order wherever the query's ORDER BY decides it (ties: SPARQL leaves them open)
    assert [[r[k] for k in keys] for r in ours.rows] == [[r[k] for k in keys] for r in engine.rows]


def test_split_order_cuts_only_a_closing_order_by_over_variables() -> None:
    body, keys = split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a\n")  # type: ignore[misc]
    assert body == "SELECT ?a ?b WHERE { ?a ?p ?b } " and keys == [("b", True), ("a", False)]
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 5") is None
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") is None
    assert split_order("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }") is None


def test_sort_rows_follows_sparql_order_and_declines_what_it_cannot_reproduce() -> None:
    a, b = URIRef("http://x/a"), URIRef("http://x/b")
    n2, n10 = Literal(2), Literal("10", datatype=XSD.integer)
    rows = [(b, n2), (None, n10), (a, Literal("z")), (a, n10)]
    # unbound < IRI; then the second key descending, by value (10 > 2), strings and numbers never mixed
    assert sort_rows(("x", "n"), [(b, n2), (None, n10), (a, n10)], [("x", False), ("n", True)]) == [
        (None, n10), (a, n10), (b, n2)]
    assert sort_rows(("x", "n"), rows, [("n", False)]) is None  # a string and numbers in one column
    assert sort_rows(("x",), [(BNode(),), (a,)], [("x", False)]) is None  # blank nodes: declined
    assert sort_rows(("x",), [(Literal("a", lang="en"),), (Literal("b", lang="fr"),)], [("x", False)]) is None
    assert sort_rows(("x",), [(a,)], [("y", False)]) is None  # not a returned variable


def test_the_flag_is_on_for_the_embedded_store() -> None:
    assert EmbeddedStore.order_in_python is True


def test_rows_tied_on_every_key_come_in_a_fixed_order() -> None:
    a, b = URIRef("http://x/a"), URIRef("http://x/b")
    one = [(a, Literal("y")), (a, Literal("x")), (b, Literal("w"))]
    two = [one[1], one[2], one[0]]
    assert sort_rows(("k", "v"), one, [("k", False)]) == sort_rows(("k", "v"), two, [("k", False)]) == [
        (a, Literal("x")), (a, Literal("y")), (b, Literal("w"))]
