"""Every export format re-parses to a dataset isomorphic with the store's content (rdflib.compare)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from conftest_publish import assert_isomorphic, merged, store_graphs
from migkg import build as b
from migkg.cli import main
from migkg.export import FORMATS, export, format_for
from migkg.store import open_store

RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld",
                 "rdfxml": "xml"}


def reparse(data: bytes, name: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[name], publicID="https://w3id.org/migkg/id/")
    return ds


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("which", ["all", "reference", "seed"])
def test_export_round_trips(corpus_store_dir: Path, name: str, which: str) -> None:
    fmt = FORMATS[name]
    only = {"all": None, "reference": b.REFERENCE_GRAPH,
            "seed": b.release_graph_iri("iom-bih-2019-05-22-border-police-meeting")}[which]
    expected = store_graphs(corpus_store_dir, only)
    assert expected, "the store is empty"
    buf = io.BytesIO()
    with open_store(corpus_store_dir, read_only=True) as store:
        n = export(store, buf, fmt, only)
    ds = reparse(buf.getvalue(), name)
    if fmt.dataset:
        assert n == sum(len(g) for g in expected.values())
        got = {str(g.identifier): g for g in ds.graphs() if len(g)}
        assert sorted(got) == sorted(expected), "named graphs differ"
        for gname, g in expected.items():
            assert_isomorphic(g, got[gname], f"{name} graph {gname}")
    else:
        want = merged(expected)
        assert n == len(want)
        assert_isomorphic(want, ds.default_graph, f"{name} merged graph")


def test_formats_are_named_by_suffix() -> None:
    for f in FORMATS.values():
        assert format_for(path=f"x{f.suffix}") is f
        assert format_for(f.name) is f


def test_cli_export_writes_the_file(corpus_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.nq"
    res = CliRunner().invoke(main, ["export", "--store", str(corpus_store_dir), "--out", str(out)])
    assert res.exit_code == 0, res.output
    ds = reparse(out.read_bytes(), "nq")
    assert sum(len(g) for g in ds.graphs()) == sum(len(g) for g in store_graphs(corpus_store_dir).values())


def test_cli_export_unknown_graph_is_a_usage_error(corpus_store_dir: Path) -> None:
    res = CliRunner().invoke(main, ["export", "--store", str(corpus_store_dir), "--graph", "no-such-release"])
    assert res.exit_code == 2
    assert "no such graph" in res.output
