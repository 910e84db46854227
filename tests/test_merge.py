"""The store's merge (its default graph): every triple of every named graph, each once, but the evidence
records, kept in step with the release graphs through builds and replacements; queries read it, provenance
(the evidence records among it) stays per graph."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from migkg.build import release_graph_iri
from migkg.pipeline import build_store
from migkg.query import run_query
from migkg.store import open_store
from migkg.vocab import EVIDENCE_SPACE, RDF
from paths import SEED

OTHER = ("A workshop in Skopje\nDate Publish: 2021-03-04\n\nOn 2 March 2021, UNHCR organized a workshop on "
         "asylum procedures in Skopje, with the Ministry of Interior of Albania.\n")


def _merge_and_union(store_dir: Path) -> tuple[set[tuple], set[tuple]]:
    """The merge, and the union of the named graphs without the evidence records (checked to be there)."""
    with open_store(store_dir, read_only=True) as store:
        merge = set(store.facts())
        every = {q.triple for q in store.quads()}
    union = {t for t in every if not str(t[0]).startswith(EVIDENCE_SPACE)}
    assert len(union) < len(every)  # the graphs hold evidence records
    return merge, union


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    return folder


def test_merge_is_the_set_of_all_named_graph_triples(corpus_store_dir: Path) -> None:
    merge, union = _merge_and_union(corpus_store_dir)
    assert merge == union
    with open_store(corpus_store_dir, read_only=True) as store:
        assert store.merged
        stated = sum(1 for _ in store.quads())
        assert len(store) == stated > len(merge)  # shared triples are stated by several graphs, merged once


def test_replacing_a_release_keeps_the_merge_in_step(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with open_store(tmp_path / "store") as store:
        build_store([folder], store)
    seed = folder / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("17 May 2019", "18 May 2019"), encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        assert build_store([folder], store).loaded == [str(seed)]
    merge, union = _merge_and_union(tmp_path / "store")
    assert merge == union
    dates = {str(t.object) for t in merge if str(t.predicate).endswith("#startDate")}
    assert "2019-05-18" in dates and "2019-05-17" not in dates
    # a triple both releases state (a country's type) outlives the replacement of one of them
    al = (URIRef("https://w3id.org/migkg/id/country/AL"), RDF.type, URIRef("https://w3id.org/migkg/ontology#Country"))
    assert al in merge


def test_a_store_without_the_merge_is_queried_over_the_union_then_merged(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with open_store(tmp_path / "store") as store:
        build_store([folder], store)
        expected = run_query(store, "countries").rows
        store.oxigraph.clear_graph(ox.DefaultGraph())  # what a store written before the merge holds
    with open_store(tmp_path / "store", read_only=True) as store:
        assert not store.merged
        assert run_query(store, "countries").rows == expected
    with open_store(tmp_path / "store") as store:  # opened for writing: the merge is made
        assert store.merged
        assert run_query(store, "countries").rows == expected
    merge, union = _merge_and_union(tmp_path / "store")
    assert merge == union


def test_provenance_stays_per_release(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with open_store(tmp_path / "store") as store:
        build_store([folder], store)
        country = URIRef("https://w3id.org/migkg/id/country/AL")
        stated_in = {str(q.graph_name) for q in store.named_quads(country, None, None)}
    assert str(release_graph_iri("other")) in stated_in
    assert str(release_graph_iri(SEED.stem)) in stated_in


def test_evidence_stays_in_its_release_graph_and_is_still_read(corpus_store_dir: Path) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        in_graphs = {q.triple for q in store.quads() if str(q.subject).startswith(EVIDENCE_SPACE)}
        assert in_graphs and not any(str(t[0]).startswith(EVIDENCE_SPACE) for t in store.facts())
        iom = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
        rows = run_query(store, "explain", {"node": iom}).rows
        assert rows and all(iom in (str(r[1]), str(r[3])) for r in rows)
        # the triple formats write the evidence records too: every triple of the store once
        out = io.BytesIO()
        store.write(out, "nt")
        written = {line for line in out.getvalue().decode().splitlines() if line.startswith(f"<{EVIDENCE_SPACE}")}
        assert len(written) == len(in_graphs)


def test_the_merge_copies_leave_out_evidence_lines_wherever_they_stand() -> None:
    from migkg.store.embedded import _without_evidence

    ev = f"<{EVIDENCE_SPACE}a1> <http://p> \"x\" <http://g> .\n".encode()
    fact = b"<http://s> <http://p> \"<https://w3id.org/migkg/id/evidence/ in a literal\" <http://g> .\n"
    assert _without_evidence(fact + ev + ev) == fact  # last, as nquads_bytes writes them: a cut
    assert _without_evidence(ev + fact + ev) == fact  # anywhere else: line by line
    assert _without_evidence(fact + ev + fact) == fact + fact
    assert _without_evidence(ev) == b"" and _without_evidence(fact) == fact and _without_evidence(b"") == b""
