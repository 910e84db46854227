"""One identifier grammar: what tables print pastes back into every command that takes an identifier."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import migkg
from migkg.cli import main
from migkg.ids import AmbiguousError, UnknownError, expand, resolve, short
from migkg.query import saved_queries, to_table
from migkg.vocab import ID, MKG

EXPECTED = Path(__file__).parent / "expected"
PARAMS = json.loads((EXPECTED / "params.json").read_text(encoding="utf-8"))
IOM = ID["organization/international-organization-for-migration"]
TOKEN = re.compile(r"(?:id|mkg):[^\s,]+")
STATED = """SELECT DISTINCT ?node WHERE {
  GRAPH ?g { { ?node ?p ?o } UNION { ?s ?p ?node } }
  FILTER (isIRI(?node) && STRSTARTS(STR(?g), "https://w3id.org/migkg/id/graph/release/"))
}"""


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@given(st.text(alphabet=st.characters(categories=["L", "N"], include_characters="-_."), min_size=1, max_size=30))
def test_short_forms_expand_back(key: str) -> None:
    iri = ID["organization/" + key]
    assert expand(short(str(iri))) == iri
    assert expand(str(iri)) == iri


def test_forms_of_one_node(corpus_store_dir: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        store = kg.store
        for text in ("IOM", "iom", "International Organization for Migration", "international organization "
                     "for migration", "id:organization/international-organization-for-migration",
                     "organization/international-organization-for-migration", str(IOM)):
            assert resolve(store, text) == IOM, text
        for text in ("BA", "ba", "BIH", "Bosnia and Herzegovina", "Bosna i Hercegovina", "id:country/BA"):
            assert resolve(store, text) == ID["country/BA"], text
        assert resolve(store, "Shqipëri") == resolve(store, "shqiperi") == ID["country/AL"]  # accents folded
        assert resolve(store, "xk", "country") == ID["country/XK"]
        assert resolve(store, "mkg:funder") == MKG.funder


def test_an_ambiguous_name_lists_its_candidates(corpus_store_dir: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        with pytest.raises(AmbiguousError) as e:
            kg.resolve("DRC")
        assert {short(n) for n, _ in e.value.candidates} == {"id:country/CD",
                                                             "id:organization/danish-refugee-council"}
        assert kg.resolve("DRC", "organization") == ID["organization/danish-refugee-council"]
        with pytest.raises(UnknownError):
            kg.resolve("Atlantis Border Agency")
    code, _, err = run("query", "events-by-organizer", "--store", str(corpus_store_dir), "-p", "organizer=Canada")
    assert code == 0, err  # the parameter's kind (organization) settles it
    code, _, err = run("explain", "Canada", "--store", str(corpus_store_dir))
    assert code == 2 and "id:country/CA" in err and "id:organization/ca-government-of-canada" in err
    assert len(err.strip().splitlines()) == 1


def test_parameters_take_short_forms_codes_and_names(corpus_store_dir: Path) -> None:
    store = str(corpus_store_dir)
    outs = set()
    for value in ("id:organization/international-organization-for-migration", "IOM", "iom", str(IOM)):
        code, out, err = run("query", "events-by-organizer", "--store", store, "-p", f"organizer={value}",
                             "-f", "csv")
        assert code == 0, err
        outs.add(out)
    assert len(outs) == 1 and len(next(iter(outs)).splitlines()) > 2
    code, by_code, _ = run("query", "meetings-by-country", "--store", store, "-p", "country=AL", "-f", "csv")
    code2, by_name, _ = run("query", "meetings-by-country", "--store", store, "-p", "country=Albania", "-f", "csv")
    assert code == code2 == 0 and by_code == by_name and len(by_code.splitlines()) > 1


def test_every_printed_identifier_pastes_back(corpus_store_dir: Path) -> None:
    """Walk every saved query's table: each id:/mkg: token is whole (in the JSON as a full IRI), resolves to
    it, and `explain` traces every node of ours back to a release sentence."""
    tokens: dict[str, str] = {}
    with migkg.open(corpus_store_dir) as kg:
        for q in saved_queries():
            if "/" in q.name:
                continue
            rows = kg.query(q.name, **PARAMS.get(q.name, {}))
            table = to_table(rows.result)
            assert "…" not in table, q.name
            iris = {str(v) for r in rows for v in r.values() if isinstance(v, str) and "://" in v}
            for token in TOKEN.findall(table):
                full = str(kg.resolve(token))
                assert full in iris, (q.name, token)
                tokens.setdefault(token, full)
        assert len(tokens) > 100
        stated = {r["node"] for r in kg.query(STATED)}
        for token, full in tokens.items():
            if token.startswith("id:") and full in stated:  # not countries known only from a region's members
                assert len(kg.explain(token)) > 0, f"explain {token}: nothing traced"
        assert sum(1 for full in tokens.values() if full in stated) > 100
    # the CLI, once per kind
    firsts = {t.split("/")[0]: t for t in sorted(tokens) if t.startswith("id:")}
    for token in firsts.values():
        code, out, err = run("explain", token, "--store", str(corpus_store_dir))
        assert code == 0 and "    from id:release/" in out, (token, err)
    event = firsts["id:event"]
    code, out, err = run("frame", event, "--store", str(corpus_store_dir))
    assert code == 0 and tokens[event].removeprefix(str(ID)) in out, err  # @base is the id/ namespace


def test_graph_filters_take_the_same_identifiers(seed_store_dir: Path, tmp_path: Path) -> None:
    with migkg.open(seed_store_dir) as kg:
        by_code = kg.graph("co-participation", country="BIH")
        by_name = kg.graph("co-participation", country="Bosnia and Herzegovina", organization="IOM")
    assert by_code.number_of_nodes() == by_name.number_of_nodes() == 7
    code, out, err = run("graph", "stats", "--store", str(seed_store_dir), "--organization", "iom")
    assert code == 0 and "7 nodes" in out, err
