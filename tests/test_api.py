"""The Python API (migkg.open): build, query rows as dicts / records / DataFrame, explain, graph, close."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

import migkg
from migkg.errors import InputError, MigkgError, QueryError, StoreError
from paths import SEED

IOM = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
PRM = "https://w3id.org/migkg/id/organization/us-bureau-of-population-refugees-and-migration"


def test_open_build_query_explain_graph_close(tmp_path: Path) -> None:
    with migkg.open(tmp_path / "store") as kg:
        summary = kg.build([SEED], jobs=1)
        assert summary.ok and len(summary.loaded) == 1
        rows = kg.query("events")
        assert len(rows) == 1 and rows.variables[:3] == ("event", "label", "type")
        event = rows[0]
        assert event["type"] == "Meeting" and event["start"] == date(2019, 5, 17)
        assert [r["iso2"] for r in kg.query("event-countries")] == ["AL", "BA", "ME", "MK", "RS", "XK"]
        assert kg.build([SEED]).unchanged == [str(SEED)]  # a second build changes nothing
        explained = kg.explain(PRM)
        assert any(r["predicate"].endswith("#funder") and "U.S. State Department" in r["quote"] for r in explained)
        g = kg.graph("co-participation")
        assert isinstance(g, nx.Graph) and g.number_of_nodes() == 7
        assert {d["iso2"] for _, d in g.nodes(data=True) if d.get("iso2")} == {"AL", "BA", "ME", "MK", "RS", "XK"}
    assert kg._reader is None  # closed by the with block


def test_query_takes_sparql_text_and_keyword_parameters(seed_store_dir: Path) -> None:
    kg = migkg.open(seed_store_dir)
    try:
        text = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                "SELECT DISTINCT ?org ?name WHERE { ?org skos:prefLabel ?name . FILTER (LANG(?name) = 'en') }")
        names = [r["name"] for r in kg.query(text, org=IOM)]
        assert names == ["International Organization for Migration"]
        organized = kg.query("events-by-organizer", organizer=IOM)
        assert len(organized) == 1 and organized[0]["organizer"] == IOM
    finally:
        kg.close()


def test_rows_convert_to_records_and_pandas(seed_store_dir: Path) -> None:
    import pandas as pd  # the "notebook" extra; "dev" installs it
    with migkg.open(str(seed_store_dir)) as kg:
        rows = kg.query("event-participants")
    records = rows.to_records()
    assert records == list(rows) and len(records) == len(rows) == 6
    df = rows.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(rows.variables)
    assert IOM not in set(df["participant"])  # IOM organized it
    assert df["participantName"].str.contains("Border").sum() == 6


def test_to_pandas_without_pandas_names_the_extra(seed_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with migkg.open(seed_store_dir) as kg:
        rows = kg.query("releases")
    with pytest.raises(MigkgError, match="pandas") as e:
        rows.to_pandas()
    assert "migkg[notebook]" in str(e.value)


def test_build_of_a_missing_path_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "never"
    with pytest.raises(InputError, match="no such file"), migkg.open(store) as kg:
        kg.build([tmp_path / "missing.txt"])
    assert not store.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with migkg.open(store) as kg:
        summary = kg.build([empty])
    assert not (summary.loaded or summary.unchanged or summary.failures)
    assert not store.exists()


def test_reading_a_missing_store_and_building_an_endpoint_are_errors(tmp_path: Path, seed_store_dir: Path) -> None:
    with pytest.raises(StoreError, match="no store here"), migkg.open(tmp_path / "none") as kg:
        kg.query("events")
    with pytest.raises(StoreError, match="remote endpoint"):
        migkg.open("http://127.0.0.1:9/sparql").build([SEED])
    with pytest.raises(QueryError, match="no such saved query"), migkg.open(seed_store_dir) as kg:
        kg.query("no-such-query")


def test_cli_build_of_nothing_warns_and_leaves_no_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from migkg.cli import main

    store = tmp_path / "store"
    empty = tmp_path / "empty"
    empty.mkdir()
    r = CliRunner().invoke(main, ["build", str(empty), "--store", str(store)])
    assert r.exit_code == 1 and "warning: built 0 releases" in r.stderr and str(empty) in r.stderr
    r = CliRunner().invoke(main, ["build", str(tmp_path / "missing"), "--store", str(store)])
    assert r.exit_code == 2 and "no such file or folder" in r.stderr
    assert not store.exists()


def test_an_engine_is_for_an_endpoint_not_a_store_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="engine='virtuoso' is for a remote endpoint"):
        migkg.open(tmp_path / "store", engine="virtuoso")
    kg = migkg.open("http://127.0.0.1:9/sparql", engine="virtuoso")
    assert kg.engine == "virtuoso" and kg.path is None


def test_a_kg_over_an_open_store_leaves_it_open(seed_store_dir: Path) -> None:
    from migkg.store import open_store

    with open_store(seed_store_dir, read_only=True) as store:
        with migkg.api.KG.over(store) as kg:
            assert len(kg.query("events")) == 1
        assert len(store.select_result("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {}).rows) == 1  # still open
        with pytest.raises(StoreError, match="cannot build"):
            kg.build([Path(__file__)])
