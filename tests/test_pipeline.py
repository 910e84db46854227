"""The pipeline end to end on the embedded store: idempotence, replacement, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal

from migkg import build as build_module
from migkg.build import release_graph_iri
from migkg.pipeline import build_store
from migkg.store import open_store
from migkg.vocab import MKG, XSD
from paths import SEED


def _copy_seed(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(SEED, folder / SEED.name))


def test_building_twice_changes_nothing(tmp_path: Path) -> None:
    src = _copy_seed(tmp_path / "in")
    with open_store(tmp_path / "store") as store:
        first = build_store([src], store)
        quads = len(store)
        second = build_store([src], store)
        assert len(store) == quads
    assert first.loaded == [str(src)] and not first.unchanged
    assert second.unchanged == [str(src)] and not second.loaded


def test_changed_release_replaces_its_own_graph(tmp_path: Path) -> None:
    src = _copy_seed(tmp_path / "in")
    other = tmp_path / "in" / "other.txt"
    other.write_text("A workshop in Skopje\nDate Publish: 2021-03-04\n\nOn 2 March 2021, UNHCR organized a "
                     "workshop on asylum procedures in Skopje.\n", encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        build_store([tmp_path / "in"], store)
        other_graph = release_graph_iri("other")
        other_before = sum(1 for _ in store.quads(other_graph))
        src.write_text(src.read_text(encoding="utf-8").replace("17 May 2019", "18 May 2019"), encoding="utf-8")
        summary = build_store([tmp_path / "in"], store)
        assert summary.loaded == [str(src)]
        assert sum(1 for _ in store.quads(other_graph)) == other_before
        rows = store.select_result(
            "PREFIX mkg: <https://w3id.org/migkg/ontology#> SELECT ?s WHERE { ?e mkg:startDate ?s }").rows
    starts = {str(r[0]) for r in rows}
    assert "2019-05-18" in starts and "2019-05-17" not in starts


def test_bad_releases_do_not_spoil_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _copy_seed(folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x00")
    (folder / "latin.txt").write_bytes("Naslov\n\nSastanak u Sarajevu, održan.\n".encode("cp1250"))
    with open_store(tmp_path / "store") as store:
        summary = build_store([folder], store)
        assert store.releases() == 1
    assert not summary.ok
    assert summary.loaded == [str(folder / SEED.name)]
    lines = sorted(f.line() for f in summary.failures)
    assert len(lines) == 3
    assert all("\n" not in line for line in lines)
    assert any("binary.txt" in line and "binary" in line for line in lines)
    assert any("empty.txt" in line and "empty file" in line for line in lines)
    assert any("latin.txt" in line and "not UTF-8" in line for line in lines)


def test_release_failing_validation_is_reported_with_shape_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    folder = tmp_path / "in"
    _copy_seed(folder)
    bad = folder / "bad.txt"
    bad.write_text("A meeting\nDate Publish: 2021-03-04\n\nOn 2 March 2021, UNHCR organized a meeting in Skopje.\n",
                   encoding="utf-8")
    real = build_module.build_triples  # what the pipeline builds each release with

    def spoil(ex, dicts, generated_at=None):  # type: ignore[no-untyped-def]
        g = real(ex, dicts, generated_at)
        if ex.release.key == "bad":
            for s in {s for s, p, _ in g if p == MKG.startDate}:
                g.add((s, MKG.ordinal, Literal(0, datatype=XSD.integer)))
        return g

    monkeypatch.setattr(build_module, "build_triples", spoil)
    with open_store(tmp_path / "store") as store:
        summary = build_store([folder], store, jobs=1)
        assert store.releases() == 1
    (failure,) = summary.failures
    assert failure.stage == "validate"
    assert failure.shape_ids == ("S04-Event",)
    assert "bad.txt" in failure.line()


def test_reference_graph_loaded_once(tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        build_store([SEED], store)
        ref = sum(1 for _ in store.quads(build_module.REFERENCE_GRAPH))
        assert ref > 5000
        build_store([SEED], store, force=True)
        assert sum(1 for _ in store.quads(build_module.REFERENCE_GRAPH)) == ref


def test_parallel_build_equals_sequential(tmp_path: Path) -> None:
    from paths import RELEASES

    with open_store(tmp_path / "a") as a:
        build_store([RELEASES], a, jobs=1)
        na = len(a)
        rows_a = sorted(map(str, a.select_result("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows))
    with open_store(tmp_path / "b") as b:
        build_store([RELEASES], b, jobs=2)
        nb = len(b)
        rows_b = sorted(map(str, b.select_result("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows))
    # generatedAtTime differs between runs; everything else is the same
    assert abs(na - nb) == 0
    strip = [r for r in rows_a if "generatedAtTime" not in r]
    assert strip == [r for r in rows_b if "generatedAtTime" not in r]


def test_the_reference_is_reloaded_for_its_data_not_its_documentation(tmp_path: Path, monkeypatch) -> None:
    """The reference and ontology graphs are replaced when the dictionaries or the ontology change (a costly
    step at scale: every series chain is recomputed after it), not when a README does."""
    from migkg import pipeline
    from migkg.resources import resource_dir

    for kind in ("ontology", "dictionaries"):
        shutil.copytree(resource_dir(kind), tmp_path / kind)
    monkeypatch.setattr(pipeline, "resource_dir", lambda kind: tmp_path / kind)
    before = pipeline._resources_hash()
    for kind in ("ontology", "dictionaries"):
        (tmp_path / kind / "README.md").write_text("changed", encoding="utf-8")
    assert pipeline._resources_hash() == before
    with (tmp_path / "dictionaries" / "regions.tsv").open("a", encoding="utf-8") as f:
        f.write("\n")
    dictionaries = pipeline._resources_hash()
    assert dictionaries != before
    with (tmp_path / "ontology" / "migkg.ttl").open("a", encoding="utf-8") as f:
        f.write("\n# a comment\n")
    assert pipeline._resources_hash() not in (before, dictionaries)
