"""Streamed SELECT results (store/stream.py, ``select_stream``): the same rows in the same order as the
whole result, the closing ORDER BY sorted on compact term indexes, and nothing left behind when the
reader stops early (the producer thread ends, the store can be written and reopened)."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

import migkg
from migkg.cli import main
from migkg.query import bind_params, load_query, run_query, saved_queries, stream_query, to_csv, to_json, to_tsv
from migkg.store import embedded, open_store
from migkg.store.order import _term_key, _tie_key, split_order
from migkg.store.stream import AHEAD, CHUNK
from paths import REPO

PARAMS = json.loads((REPO / "tests" / "expected" / "params.json").read_text(encoding="utf-8"))
SAVED = [q.name for q in saved_queries() if not q.name.startswith("checks/")]
EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
EVERY_TRIPLE_SORTED = EVERY_TRIPLE + " ORDER BY ?p DESC(?s)"


def _producers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "migkg-query"]


def _reference_order(rows: list[tuple], names: tuple[str, ...], keys: list[tuple[str, bool]]) -> list[tuple]:
    """The order sort_rows promised, written the slow and obvious way: by the whole row (each term's
    tie key), then by each key from the last to the first with stable sorts."""
    out = sorted(rows, key=lambda r: tuple(_tie_key(t) for t in r))
    for name, desc in reversed(keys):
        at = names.index(name)
        out.sort(key=lambda r, at=at: _term_key(r[at], set()), reverse=desc)
    return out


@pytest.mark.parametrize("name", SAVED)
def test_the_stream_gives_the_rows_in_the_order_of_the_whole_result(name: str, corpus_store_dir: Path) -> None:
    q = load_query(name)
    bindings = bind_params(q, PARAMS.get(name, {}))
    with open_store(corpus_store_dir, read_only=True) as store:
        with store.select_stream(q.text, bindings) as stream:
            streamed = list(stream)
            variables = stream.variables
        whole = store.select_result(q.text, bindings)
        store.order_in_python = False  # the engine's own rows, unsorted by us
        with store.select_stream(q.text, bindings) as stream:
            engine = list(stream)
    assert variables == whole.variables and streamed == list(whole.rows)
    assert sorted(map(str, streamed)) == sorted(map(str, engine))  # the same rows as the engine's
    split = split_order(q.text)
    if split is not None and _reproducible(engine, variables, split[1]):
        assert streamed == _reference_order(engine, variables, split[1])


def _reproducible(rows: list[tuple], names: tuple[str, ...], keys: list[tuple[str, bool]]) -> bool:
    """Whether store/order.py takes the ORDER BY over (every key column of one kind it can order)."""
    for name, _ in keys:
        kinds: set[str] = set()
        if name not in names or any(_term_key(r[names.index(name)], kinds) is None for r in rows) or len(kinds) > 1:
            return False
    return True


def test_a_small_term_cache_gives_the_same_rows(corpus_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        expected = list(store.select_stream(EVERY_TRIPLE))
        monkeypatch.setattr(embedded, "TERM_CACHE", 7)  # emptied every chunk
        assert list(store.select_stream(EVERY_TRIPLE)) == expected
        assert len(expected) > CHUNK * 3


@pytest.mark.parametrize("sparql", [EVERY_TRIPLE, EVERY_TRIPLE_SORTED], ids=["engine order", "sorted here"])
def test_closing_early_ends_the_thread_and_frees_the_store(sparql: str, corpus_store_dir: Path,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "store"
    shutil.copytree(corpus_store_dir, path)
    added = URIRef("https://w3id.org/migkg/id/release/stream-test")
    store = open_store(path)
    try:
        stream = store.select_stream(sparql)
        assert len(list(store.select_stream(sparql))) > CHUNK * (AHEAD + 2)  # more than the queue holds
        first = next(stream)
        assert first and _producers()  # the producer is still at work, waiting for room
        stream.close()
        assert not _producers() and list(stream) == []  # nothing after the close
        g = Graph()
        g.add((added, URIRef("http://purl.org/dc/terms/title"), Literal("written after an early close")))
        assert store.replace_graph(added, g) == 1
    finally:
        store.close()
    with open_store(path) as again:  # the engine's files are free: the thread held nothing
        assert str(added) in again.graph_names()


def test_an_exception_in_the_reader_or_dropping_the_stream_ends_the_thread(corpus_store_dir: Path) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        with pytest.raises(ValueError, match="reader failed"), store.select_stream(EVERY_TRIPLE) as stream:
            for _ in stream:
                raise ValueError("reader failed")
        assert not _producers()
        stream = store.select_stream(EVERY_TRIPLE_SORTED)
        next(stream)
        del stream
        gc.collect()
        assert not _producers()


def test_a_query_that_fails_fails_when_the_stream_is_opened(corpus_store_dir: Path) -> None:
    from migkg.errors import StoreError

    with open_store(corpus_store_dir, read_only=True) as store:
        with pytest.raises(StoreError, match="does not parse"):
            store.select_stream("SELECT ?x WHERE { ?x ")
        with pytest.raises(StoreError, match="only SELECT"):
            store.select_stream("ASK { ?s ?p ?o }")
        assert not _producers()


def test_a_broken_pipe_exits_quietly(corpus_store_dir: Path, tmp_path: Path) -> None:
    query = tmp_path / "every-triple.rq"
    query.write_text(EVERY_TRIPLE + "\n", encoding="utf-8")
    for fmt in ("csv", "json", "table"):
        proc = subprocess.Popen([sys.executable, "-m", "migkg", "query", str(query), "--store", str(corpus_store_dir),
                                 "-f", fmt], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(200)  # then stop reading, as `| head -c 200` does
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=120) == 0, err
        assert err == b"", err


TOP_LEVEL = [name for name in SAVED if "/" not in name]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_cli_json_is_byte_for_byte_the_stored_expected_document(name: str, corpus_store_dir: Path) -> None:
    """tests/expected/NAME.json was written by to_json over the whole result (tools/gen_expected_rows.py,
    before streaming existed); the CLI streams its rows and must give the same bytes, row order included."""
    args = [a for k, v in PARAMS.get(name, {}).items() for a in ("--param", f"{k}={v}")]
    out = CliRunner().invoke(main, ["query", name, "--store", str(corpus_store_dir), "-f", "json", *args])
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes + b"\n" == (REPO / "tests" / "expected" / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", ["event-countries", "explain", "funding-details", "releases"])
def test_cli_writes_the_documents_of_the_whole_result(name: str, corpus_store_dir: Path) -> None:
    params = PARAMS.get(name, {})
    args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    with open_store(corpus_store_dir, read_only=True) as store:
        whole = run_query(store, name, params)
    assert whole.rows
    for fmt, write in (("csv", to_csv), ("tsv", to_tsv), ("json", to_json)):
        out = CliRunner().invoke(main, ["query", name, "--store", str(corpus_store_dir), "-f", fmt, *args])
        assert out.exit_code == 0, out.output
        assert out.stdout_bytes == write(whole).encode("utf-8")


def test_kg_stream_gives_the_dicts_of_kg_query(corpus_store_dir: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        rows = kg.query("event-organizers")
        with kg.stream("event-organizers") as streamed:
            assert streamed.variables == rows.variables
            assert list(streamed) == list(rows)
        sparql = "SELECT ?e ?start WHERE { ?e a ?c OPTIONAL { ?e schema:startDate ?start } } ORDER BY DESC(?start) ?e"
        sparql = "PREFIX schema: <http://schema.org/>\n" + sparql
        with kg.stream(sparql, c="mkg:Event") as events:
            assert list(events) == list(kg.query(sparql, c="mkg:Event"))
        with kg.stream("events") as partial:
            assert next(partial)["event"]
        assert not _producers()


def test_stream_query_binds_parameters_as_run_query(corpus_store_dir: Path) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        for name, params in PARAMS.items():
            with stream_query(store, name, params) as stream:
                assert list(stream) == list(run_query(store, name, params).rows), name
