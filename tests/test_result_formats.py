"""The result writers (query.py) cache each term's text by object and join rows around it; the
documents must be exactly what writing every cell on its own gives (the SPARQL JSON as
``json.dumps(doc, ensure_ascii=False, indent=1)``), whether the rows share term objects (as the
embedded store hands them out) or not."""

from __future__ import annotations

import csv
import io
import json
from copy import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migkg import query
from migkg.model import Result
from migkg.query import _json_term, _tsv_term, render, to_csv, to_json, to_tsv, write_csv, write_json, write_tsv
from migkg.vocab import XSD

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_terms = st.one_of(
    st.none(),
    _text.map(lambda s: URIRef("http://x/" + s.replace(" ", "_").replace(">", "").replace("<", ""))),
    _text.map(Literal),
    st.tuples(_text, st.sampled_from(["en", "sr-Latn", "fr"])).map(lambda p: Literal(p[0], lang=p[1])),
    st.integers(-10**12, 10**12).map(Literal),
    st.sampled_from([Literal("2019-05-17", datatype=XSD.date), Literal("1.50", datatype=XSD.decimal)]),
    st.sampled_from([BNode("b0"), BNode("b1")]),
)


def _reference_json(result: Result) -> str:
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)


def _reference_csv(result: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buf.getvalue()


def _reference_tsv(result: Result) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _unshared(rows: list[tuple[Node | None, ...]]) -> list[tuple[Node | None, ...]]:
    return [tuple(None if t is None else copy(t) for t in row) for row in rows]


@settings(max_examples=150, deadline=None)
@given(width=st.integers(0, 4), data=st.data())
def test_writers_match_cell_by_cell_writing(width: int, data: st.DataObject) -> None:
    names = tuple(f"v{i}" for i in range(width))
    pool = data.draw(st.lists(_terms, min_size=1, max_size=6))
    rows = data.draw(st.lists(st.tuples(*[st.sampled_from(pool)] * width), max_size=8))
    for result in (Result(names, tuple(rows)), Result(names, tuple(_unshared(rows)))):
        assert to_json(result) == _reference_json(result)
        assert json.loads(to_json(result))["results"]["bindings"] == json.loads(_reference_json(result))[
            "results"]["bindings"]
        assert to_csv(result) == _reference_csv(result)
        assert to_tsv(result) == _reference_tsv(result)


def test_a_row_with_nothing_bound_and_an_empty_result() -> None:
    assert to_json(Result(("a", "b"), ((None, None),))) == _reference_json(Result(("a", "b"), ((None, None),)))
    assert to_json(Result(("a",), ())) == _reference_json(Result(("a",), ()))
    assert render(Result(("a",), ((URIRef("https://w3id.org/migkg/id/country/AL"),),)), "table").splitlines() == [
        "a" + " " * 12, "-" * 13, "id:country/AL", "(1 row)"]


@settings(max_examples=100, deadline=None)
@given(width=st.integers(0, 3), data=st.data())
def test_writers_give_the_same_text_whatever_the_chunks(width: int, data: st.DataObject) -> None:
    """The CLI writes rows as they come, in chunks of any size, with the writers' text cache emptied as
    it fills: the document is the whole result's."""
    names = tuple(f"v{i}" for i in range(width))
    pool = data.draw(st.lists(_terms, min_size=1, max_size=6))
    rows = data.draw(st.lists(st.tuples(*[st.sampled_from(pool)] * width), max_size=12))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=4)))
    chunks = [rows[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)], strict=True)]
    cache = data.draw(st.sampled_from([1, 2, query.TEXT_CACHE]))
    result = Result(names, tuple(rows))
    old = query.TEXT_CACHE
    query.TEXT_CACHE = cache
    try:
        for write, reference in ((write_json, _reference_json), (write_csv, _reference_csv),
                                 (write_tsv, _reference_tsv)):
            buf = io.StringIO()
            write(names, iter(chunks), buf)
            assert buf.getvalue() == reference(result)
    finally:
        query.TEXT_CACHE = old
