"""Property-based tests (Hypothesis): any name makes valid RDF, any parameter stays a value, any file
is read or rejected with an InputError.

* Any string as an organization name, programme title or place, fed to ``build_graph`` through a
  hand-made Extraction, gives well-formed IRIs and literals, and Turtle / N-Triples / N-Quads /
  JSON-LD / RDF-XML (rdflib's and Oxigraph's writers) that re-parse to an isomorphic graph; with a
  sensible name the graph conforms to the shapes.
* Any value given to a saved query's parameter is matched as a value: the rows equal those of an
  oracle (the unparameterized query filtered in Python), or the value is refused as badly typed;
  the store is unchanged afterwards.
* Any text or bytes in a release file: ``read_release_file`` returns releases or raises InputError.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest_hostile import HOSTILE_NAMES
from migkg.build import build_graph, release_graph_iri
from migkg.cli import main
from migkg.errors import InputError, QueryError
from migkg.ids import resolve
from migkg.ingest import SUFFIXES, read_release_file
from migkg.model import Event, Extraction, Fact, Org, Programme, Release, Section, Span, Title
from migkg.pipeline import build_store
from migkg.query import run_query
from migkg.reference import load as load_dictionaries
from migkg.store import graph_quads, open_store
from migkg.validate import validate

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"
INJECTIONS = ['"} ; DROP ALL ; #', "<x> } UNION { ?s ?p ?o", "x\nSELECT * WHERE { ?s ?p ?o }",
              "') ; DELETE WHERE { ?s ?p ?o } #", '\\" } } ; CLEAR ALL', "?name", "$name", "*"]
# RFC 3987 IRI: an http(s) scheme and none of the characters IRIs exclude (space, controls, <>"{}|\^`,
# bidi and zero-width formatting characters).
_IRI = re.compile(r"https?://[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")
_LANG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def extraction(name: str, title: str, place: str) -> Extraction:
    """A release naming one organization (organizer and funder), one programme and one event at a place."""
    text = "A meeting took place."
    r = Release(key="prop", path="prop.txt", title="Property test", published=date(2020, 1, 1), text=text,
                sections=(Section("en", text, 0),), source="prop.txt", content_hash="0" * 64)
    sp = Span(0, len(text), text)
    return Extraction(
        release=r,
        organizations=(Org("o1", name, evidence=sp),),
        programmes=(Programme("p1", (Title(title, "en"),), evidence=sp),),
        events=(Event("e1", "Coordination meeting", "Meeting", start="2020-01-02", location=place,
                      location_country="BA", evidence=sp),),
        facts=(Fact("e1", "organizer", "o1", sp), Fact("e1", "partOfProgramme", "p1", sp),
               Fact("p1", "funder", "o1", sp)),
    )


def _graph(name: str, title: str, place: str) -> Graph:
    return build_graph(extraction(name, title, place), load_dictionaries(),
                       generated_at=datetime(2020, 1, 1, tzinfo=UTC))


def _reparse(data: bytes | str, fmt: str) -> Graph:
    """Parse with rdflib; a dataset format's named graphs are merged (the test graph has one)."""
    ds = Dataset()
    ds.parse(data=data, format=fmt)
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


any_text = st.text(max_size=80)


@FAST
@given(name=any_text, title=any_text, place=any_text)
@example(name=HOSTILE_NAMES[0], title=HOSTILE_NAMES[1], place=HOSTILE_NAMES[2])
@example(name="a\x00b\rc\ufffe", title="\u202e\u200b", place=" ")
@example(name="", title="", place="")
def test_any_name_gives_valid_iris_and_literals(name: str, title: str, place: str) -> None:
    g = _graph(name, title, place)
    for term in {t for triple in g for t in triple}:
        if isinstance(term, URIRef):
            assert _IRI.fullmatch(str(term)), term
            ox.NamedNode(str(term))  # Oxigraph checks the IRI grammar too
        elif isinstance(term, Literal):
            assert not _XML_BAD.search(str(term)) and "\r" not in str(term), repr(term)
            str(term).encode("utf-8")  # no lone surrogates
            assert term.language is None or _LANG.fullmatch(term.language), term.language
            assert not term.ill_typed, repr(term)
        else:
            pytest.fail(f"unexpected term {term!r}")
    labels = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    assert "Coordination meeting" in labels


@FAST
@given(name=any_text, title=any_text, place=any_text)
@example(name=HOSTILE_NAMES[3], title=HOSTILE_NAMES[5], place=HOSTILE_NAMES[6])
@example(name="a\x00b\rc\ufffe\x85\u2028", title='"""\'\'\'', place="\\u0022 \\")
def test_any_name_round_trips_through_every_syntax(name: str, title: str, place: str) -> None:
    g = _graph(name, title, place)
    for fmt in ("turtle", "nt", "json-ld", "xml"):  # rdflib writes, rdflib reads
        assert isomorphic(g, _reparse(g.serialize(format=fmt), fmt)), fmt
    quads = list(graph_quads(g, release_graph_iri("prop")))
    triples = [q.triple for q in quads]
    for ox_fmt, rdflib_fmt, items in ((ox.RdfFormat.TURTLE, "turtle", triples),  # Oxigraph writes (export)
                                      (ox.RdfFormat.N_QUADS, "nquads", quads),
                                      (ox.RdfFormat.TRIG, "trig", quads),
                                      (ox.RdfFormat.JSON_LD, "json-ld", quads),
                                      (ox.RdfFormat.RDF_XML, "xml", triples)):
        data = ox.serialize(items, format=ox_fmt)
        assert isomorphic(g, _reparse(data, rdflib_fmt)), rdflib_fmt
        back = list(ox.parse(data, format=ox_fmt))
        assert {q.triple if hasattr(q, "triple") else q for q in back} == set(triples), ox_fmt


sensible = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1,
                   max_size=60).filter(lambda s: any(c.isalnum() for c in s) and s.strip() == s)


@settings(max_examples=20, deadline=None)
@given(name=sensible, title=sensible, place=sensible)
@example(name=HOSTILE_NAMES[7], title=HOSTILE_NAMES[8], place=HOSTILE_NAMES[4])
def test_sensible_names_conform_to_the_shapes(name: str, title: str, place: str) -> None:
    report = validate(_graph(name, title, place))
    assert report.conforms, report.violations[:3]


# ---------------------------------------------------------------- parameters are values
@pytest.fixture(scope="module")
def param_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The illustrative corpus plus one release whose organizations are named like injection attempts."""
    path = tmp_path_factory.mktemp("params") / "store"
    with open_store(path) as st_:
        summary = build_store([RELEASES], st_, jobs=1)
        assert summary.ok, summary.failures
        for i, name in enumerate(INJECTIONS + HOSTILE_NAMES):
            ex = extraction(name, f"Programme {i}", f"Place {i}")
            ex = Extraction(release=Release(**{**ex.release.__dict__, "key": f"injection-{i}"}),
                            organizations=ex.organizations)
            st_.replace_graph(release_graph_iri(f"injection-{i}"), build_graph(ex, load_dictionaries()))
    return path


def _rows(store_dir: Path, name: str, params: dict[str, str] | None = None) -> set[tuple[str, ...]]:
    with open_store(store_dir, read_only=True) as s:
        return {tuple("" if t is None else str(t) for t in row) for row in run_query(s, name, params).rows}


def _quads(store_dir: Path) -> int:
    with open_store(store_dir, read_only=True) as s:
        return len(s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=60))
@example(value="International Organization for Migration")
@example(value=INJECTIONS[0])
@example(value=INJECTIONS[1])
@example(value=INJECTIONS[2])
def test_string_param_is_matched_literally(param_store: Path, value: str) -> None:
    before = _quads(param_store)
    got = _rows(param_store, "organizations-by-name", {"name": value})
    oracle = {(org, value, acr, iso2) for org, name, acr, iso2 in _rows(param_store, "organizations")
              if name == value}
    assert got == oracle
    assert _quads(param_store) == before


def test_injection_strings_find_exactly_their_organization(param_store: Path) -> None:
    for value in INJECTIONS + HOSTILE_NAMES:
        rows = _rows(param_store, "organizations-by-name", {"name": value})
        assert len(rows) == 1 and next(iter(rows))[1] == value, value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=60), st.sampled_from(INJECTIONS), st.just(
    "https://w3id.org/migkg/id/organization/international-organization-for-migration")))
def test_iri_param_is_a_value_or_refused(param_store: Path, value: str) -> None:
    # an iri parameter is an identifier: an IRI, id:kind/key, or a name resolved to one node (migkg.ids)
    try:
        got = _rows(param_store, "events-by-organizer", {"organizer": value})
    except QueryError as e:
        assert any(m in str(e) for m in ("not a valid iri", "no organization node", " names ", "empty identifier")), e
        return
    with open_store(param_store, read_only=True) as s:
        iri = str(resolve(s, value, "organization"))
    organized = {row[0] for row in _rows(param_store, "event-organizers") if row[1] == iri}
    assert {row[0] for row in got} == organized and {row[3] for row in got} <= {iri}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=20), st.integers(1990, 2030).map(str), st.sampled_from(INJECTIONS)))
def test_year_param_is_a_value_or_refused(param_store: Path, value: str) -> None:
    iom = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
    everything = _rows(param_store, "events-by-organizer", {"organizer": iom})  # organizer is required
    try:
        got = _rows(param_store, "events-by-organizer", {"organizer": iom, "year": value})
    except QueryError as e:
        assert "not a valid year" in str(e)
        return
    assert got == {row for row in everything if row[2][:4].isdigit() and int(row[2][:4]) == int(value)}


@pytest.mark.parametrize("value", INJECTIONS)
def test_cli_param_injection_is_inert(param_store: Path, value: str) -> None:
    before = _quads(param_store)
    res = CliRunner().invoke(main, ["query", "organizations-by-name", "--store", str(param_store),
                                    "--param", f"name={value}", "--format", "json"])
    assert res.exit_code == 0, res.output
    bindings = json.loads(res.stdout)["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == [value]
    named = {b["org"]["value"] for b in bindings}
    # as an identifier the text is a name: it resolves to the organization so named (a bound IRI), or is refused
    res = CliRunner().invoke(main, ["query", "events-by-organizer", "--store", str(param_store),
                                    "--param", f"organizer={value}", "--format", "json"])
    assert "Traceback" not in res.output
    if res.exit_code == 0:
        found = {b["organizer"]["value"] for b in json.loads(res.stdout)["results"]["bindings"]}
        assert found <= named
    else:
        assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert _quads(param_store) == before


# ---------------------------------------------------------------- ingest: read or InputError
_TMP = Path(tempfile.mkdtemp(prefix="migkg-prop-"))


def _read(data: bytes, suffix: str) -> None:
    p = _TMP / f"release{suffix}"
    p.write_bytes(data)
    try:
        releases = read_release_file(p)
    except InputError as e:
        assert str(p) in str(e)
        return
    assert releases and all(r.title and r.text for r in releases)


@settings(max_examples=200, deadline=None)
@given(text=st.text(), suffix=st.sampled_from(SUFFIXES), encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]))
@example(text="Title\n\nBody", suffix=".txt", encoding="utf-8")
@example(text='{"text": "x"}\n[\n', suffix=".jsonl", encoding="utf-8")
@example(text="<title>T</title><script>x</script>", suffix=".html", encoding="utf-8")
def test_any_text_is_read_or_rejected_with_an_input_error(text: str, suffix: str, encoding: str) -> None:
    _read(text.encode(encoding), suffix)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\x01\n!", suffix=".html")  # a title line that cleaning empties: the body's first words stand in
def test_any_bytes_are_read_or_rejected_with_an_input_error(data: bytes, suffix: str) -> None:
    _read(data, suffix)
