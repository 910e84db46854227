# ruff: noqa: F811  (pytest fixtures imported from conftest_remote are parameters here)
"""Saved queries: stored expected rows over data/releases, the parameter list, and safe binding."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from conftest_remote import built_store  # noqa: F401
from migkg.bind import with_values
from migkg.cli import main
from migkg.errors import QueryError
from migkg.query import SavedQuery, bind_params, load_query, run_query, saved_queries, to_json, without_idle_filters
from migkg.store import open_store

EXPECTED = Path(__file__).parent / "expected"
PARAMS = json.loads((EXPECTED / "params.json").read_text(encoding="utf-8"))
TOP_LEVEL = [q.name for q in saved_queries() if "/" not in q.name]
ANALYST = ["meetings-by-organizer", "meetings-by-country", "meetings-by-year", "programme-partners",
           "funding-flows", "co-participation", "series-timeline", "fact-releases"]


def _sorted_doc(text: str) -> dict[str, object]:
    doc = json.loads(text)
    doc["results"]["bindings"].sort(key=lambda b: json.dumps(b, sort_keys=True))
    return doc


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_saved_query_returns_the_expected_rows(name: str, built_store: Path) -> None:
    expected = EXPECTED / f"{name}.json"
    assert expected.is_file(), f"no expected rows for {name}; run tools/gen_expected_rows.py"
    with open_store(built_store, read_only=True) as store:
        got = to_json(run_query(store, name, PARAMS.get(name, {})))
    assert _sorted_doc(got) == _sorted_doc(expected.read_text(encoding="utf-8"))


def test_analyst_queries_exist_and_list_their_parameters() -> None:
    out = CliRunner().invoke(main, ["query", "--list"]).stdout
    for name in ANALYST:
        assert f"\n{name}: " in "\n" + out
    for p in ("--param organizer=<iri>", "--param country=<iri>", "--param year=<year>",
              "--param series=<iri>", "--param subject=<iri>", "--param predicate=<iri>",
              "--param object=<iri>"):
        assert p in out


def test_parameters_filter(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        every = run_query(store, "events").rows
        in_2019 = run_query(store, "meetings-by-year", {"year": "2019"}).rows
        assert 0 < len(in_2019) < len(every)
        assert all(str(r[4]).startswith("2019") and int(r[0]) == 2019 for r in in_2019)
        with pytest.raises(QueryError, match="not a valid year"):
            run_query(store, "meetings-by-year", {"year": "2019 } ; DROP ALL"})


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
@example("\\U0000")  # a backslash then U: rdflib's \\U pre-pass once refused it (CI, eighth session)
@example("\\u0041 and \\\\u00e9")
@example("} ; DROP ALL ; #")
def test_any_text_binds_as_one_literal(text: str) -> None:
    q = with_values("SELECT ?x WHERE { BIND (?v AS ?x) }", {"v": Literal(text)})
    # the embedded store's engine reads it as exactly that text
    assert [t.value for t, in pyoxigraph.Store().query(q)] == [text]
    if not re.search(r"\\[uU]", text):  # rdflib expands \\u escapes before reading strings (its first pass)
        rows = list(Graph().query(prepareQuery(q)))
        assert [r[0] for r in rows] == [Literal(text)]


def test_values_go_into_the_where_group_not_a_string_or_comment() -> None:
    q = ('# a { in a comment\nPREFIX ex: <http://e/#x>\nSELECT ?x (STR("{") AS ?b) WHERE { BIND (?v AS ?x) }')
    out = with_values(q, {"v": URIRef("http://e/a")})
    assert "WHERE { VALUES (?v) { (<http://e/a>) }" in out
    rows = list(Graph().query(prepareQuery(out)))
    assert rows[0][0] == URIRef("http://e/a")


# values for every optional filter the saved queries declare, the committed releases have rows for
_FILTER_VALUES = {"country": "BA", "dated_only": "yes", "event_type": "Meeting", "from_year": "2018",
                  "to_year": "2019", "year": "2019", "rollup": "yes",
                  "organization": "https://w3id.org/migkg/id/organization/international-organization-for-migration",
                  "programme": "https://w3id.org/migkg/id/programme/caminhos-de-integracao-na-america-do-sul"}


def _guarded() -> list[SavedQuery]:
    return [q for q in saved_queries() if re.search(r"COALESCE\(sameTerm\(\?(\w+), \?\1\)", q.text)]


@pytest.mark.parametrize("name", [q.name for q in _guarded()])
def test_idle_filters_left_out_give_the_same_rows(name: str, built_store: Path) -> None:
    """A saved query runs without the filters of the optional parameters not given: every subset of the
    given ones, on the committed releases, gives exactly the rows of the query as written."""
    q = load_query(name)
    required = tuple(p.name for p in q.params if p.required)
    names = [p.name for p in q.params if p.name in _FILTER_VALUES and not p.required]
    assert names, f"{name}: a guarded filter of a parameter this test has no value for"
    subsets = [required + s for s in [(), tuple(names), *((n,) for n in names), *itertools.combinations(names, 2)]]
    with open_store(built_store, read_only=True) as store:
        some = 0
        for given in subsets:
            b = bind_params(q, {n: _FILTER_VALUES[n] for n in given})
            reduced = q.text_for(b)
            assert len(reduced) < len(q.text) or len(given) == len(names) + len(required)
            whole, cut = store.select_result(q.text, b), store.select_result(reduced, b)
            assert cut.variables == whole.variables
            assert cut.rows == whole.rows, (name, given)
            some += bool(whole.rows)
        assert some, f"{name}: no subset of filters has rows here; the comparison would prove nothing"


def test_only_a_whole_filter_with_an_idle_guard_goes() -> None:
    text = '''SELECT ?a ?p ?q WHERE {
  ?a <http://example.org/x#y> "FILTER (!COALESCE(sameTerm(?p, ?p), false) || true)" .  # FILTER (
  FILTER (!COALESCE(sameTerm(?p, ?p), false) || ?a != <http://example.org/(#)>)
  FILTER (BOUND(?a) || !COALESCE( sameTerm(?q,?q) , false ))
  FILTER ((!COALESCE(sameTerm(?p, ?p), false) || ?a < 3) && ?a > 1)
  FILTER (!COALESCE(sameTerm(?q, ?p), false) || ?a)
  FILTER (STRLEN(")") > 0 || !COALESCE(sameTerm(?r, ?r), false))
}'''
    out = without_idle_filters(text, {"p", "q"})
    assert '"FILTER (!COALESCE(sameTerm(?p, ?p), false) || true)"' in out  # in a string
    assert "# FILTER (" in out  # in a comment
    assert "<http://example.org/(#)>" not in out  # p's filter went, an IRI with a bracket inside it
    assert "BOUND(?a)" not in out  # q's guard as the second alternative
    assert "?a < 3) && ?a > 1" in out  # p's guard not at the top level: kept
    assert "sameTerm(?q, ?p)" in out  # not a guard
    assert 'STRLEN(")")' in out  # r is given (not idle)
    prepareQuery(out)  # still a query
    assert without_idle_filters(text, set()) == text
    assert without_idle_filters(text, {"r"}).count("FILTER") == text.count("FILTER") - 1
