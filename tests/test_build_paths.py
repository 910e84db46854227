"""The fast build path stores exactly what the plain one does, and its validation reports what pySHACL
reports on the whole graph.

The pipeline builds each release as a set of triples (``build_triples``), validates in batches only
the triples the shapes can read, and loads N-Quads bytes from the workers. The plain path, written out
here, is the one the pipeline used before: an rdflib Graph per release (``build_graph``), pySHACL over
that graph with the whole ontology mixed in, and ``replace_graph``. Both must leave the same quads in
every named graph and in the merge (the default graph), and pySHACL must report the same violations
for every shape example, whichever way it is given the data.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, SKOS, XSD

from migkg import build as _build
from migkg.extract import extract
from migkg.ingest import iter_release_paths, read_release_file
from migkg.model import Report, Violation
from migkg.pipeline import build_store, ensure_reference
from migkg.reference import load as load_dictionaries
from migkg.series import update_series_order
from migkg.store import open_store
from migkg.validate import constrained_predicates, ontology, shape_id, shapes_graph, validate, validate_many
from migkg.vocab import MKG, PROV
from paths import RELEASES, REPO

sys.path.insert(0, str(REPO / "bench"))
from gen_corpus import generate  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent / "shapes"
GENERATED_AT = PROV.generatedAtTime.toPython()


def _full_report(graph: Graph) -> tuple[bool, list[Violation]]:
    """pySHACL over the whole graph with the whole ontology mixed in (the plain path's validation)."""
    data = Graph()
    for t in graph:
        data.add(t)
    for t in ontology():
        data.add(t)
    shapes = Graph()  # a copy: pySHACL adds two OWL axioms to the shapes graph it is given (shapes_graph() is cached)
    for prefix, namespace in shapes_graph().namespaces():
        shapes.bind(prefix, namespace, replace=True)
    for t in shapes_graph():
        shapes.add(t)
    conforms, results, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                            allow_warnings=False, inplace=True)
    out = []
    for res in results.subjects(SH.resultSeverity, SH.Violation):
        path = results.value(res, SH.resultPath)
        message = results.value(res, SH.resultMessage)
        out.append(Violation(shape_id(shapes_graph(), results.value(res, SH.sourceShape)),
                             str(results.value(res, SH.focusNode)), str(path) if path else None,
                             str(message) if message else ""))
    return bool(conforms), sorted(out, key=lambda v: (v.shape_id, v.focus, v.path or "", v.message))


def _quads(store_dir: Path) -> set[ox.Quad]:
    """Every quad of the store, the merge included, without the build timestamps (they differ per run)."""
    with open_store(store_dir, read_only=True) as store:
        return {q for q in store.oxigraph if q.predicate.value != GENERATED_AT}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed releases and 40 synthetic ones (bench/gen_corpus.py, seed 1)."""
    folder = tmp_path_factory.mktemp("paths")
    generate(40, folder / "synthetic", seed=1)
    shutil.copytree(RELEASES, folder / "releases")
    return folder


def test_pipeline_stores_what_the_plain_path_stores(corpus: Path, tmp_path: Path) -> None:
    dicts = load_dictionaries()
    with open_store(tmp_path / "plain") as store:
        ensure_reference(store)
        loaded = 0
        for path in iter_release_paths([corpus]):
            for release in read_release_file(path):
                graph = _build.build_graph(extract(release, dicts), dicts)
                assert _full_report(graph)[0], path
                store.replace_graph(_build.release_graph_iri(release.key), graph)
                loaded += 1
        update_series_order(store)  # the step every build ends with (series chains over the store)
    with open_store(tmp_path / "fast") as store:
        summary = build_store([corpus], store, jobs=2)
    assert summary.ok and len(summary.loaded) == loaded > 80
    plain, fast = _quads(tmp_path / "plain"), _quads(tmp_path / "fast")
    assert fast == plain
    assert sum(1 for q in fast if isinstance(q.graph_name, ox.DefaultGraph)) > 1000  # the merge is compared too


def test_build_triples_are_the_graphs_triples(corpus: Path) -> None:
    dicts = load_dictionaries()
    for path in sorted(iter_release_paths([corpus]))[:30]:
        for release in read_release_file(path):
            ex = extract(release, dicts)
            when = datetime(2026, 1, 1, tzinfo=UTC)
            assert _build.build_triples(ex, dicts, when) == set(_build.build_graph(ex, dicts, when))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.ttl")), ids=lambda p: p.stem)
def test_validation_reports_what_pyshacl_reports_on_the_whole_graph(example: Path) -> None:
    g = Graph()
    g.parse(example, format="turtle")
    conforms, violations = _full_report(g)
    report = validate(g)
    assert report.conforms == conforms
    assert list(report.violations) == violations
    assert validate_many([g, g])[0] == report  # and in a batch, halved down to it


def test_a_bad_release_in_a_batch_is_reported_alone(corpus: Path) -> None:
    dicts = load_dictionaries()
    paths = sorted(iter_release_paths([corpus / "synthetic"]))[:8]
    batch = [_build.build_triples(extract(r, dicts), dicts) for p in paths for r in read_release_file(p)]
    event = next(s for s, p, o in batch[5] if p == MKG.startDate)
    batch[5].add((event, MKG.ordinal, Literal(0, datatype=XSD.integer)))  # breaks S04 (ordinal >= 1)
    reports = validate_many(batch)
    assert [r.conforms for r in reports] == [True] * 5 + [False] + [True] * 2
    assert reports[5].shape_ids == ("S04-Event",)


def test_only_what_no_shape_reads_is_left_out() -> None:
    keep = constrained_predicates()
    assert keep is not None
    assert MKG.mentions not in keep and PROV.generatedAtTime not in keep  # read by no shape
    for read in (MKG.quote, MKG.charStart, MKG.subOrganizationOf, MKG.endDate, URIRef(str(MKG) + "iso2")):
        assert read in keep  # paths and the SPARQL constraints' predicates


def _event(label: str | None, ordinal: int, day: str) -> Graph:
    """A release graph's statements about one meeting of one series (only what the shapes read)."""
    g = Graph()
    series, event = URIRef("https://w3id.org/migkg/id/series/s"), URIRef("https://w3id.org/migkg/id/event/e")
    g.add((series, RDF.type, MKG.EventSeries))
    g.add((series, SKOS.prefLabel, Literal("a series", lang="en")))
    g.add((event, RDF.type, MKG.Meeting))
    g.add((event, MKG.inSeries, series))
    g.add((event, MKG.ordinal, Literal(ordinal, datatype=XSD.integer)))
    g.add((event, MKG.startDate, Literal(day, datatype=XSD.date)))
    if label is not None:
        g.add((event, SKOS.prefLabel, Literal(label, lang="en")))
    return g


def test_each_graph_of_a_batch_is_validated_as_if_alone() -> None:
    # one meeting reported by two releases with two labels: each release conforms alone (together the
    # meeting would have two labels, S04); a third release without the label fails alone (together the
    # others' label would hide it)
    a, b = _event("first", 9, "2019-05-17"), _event("second", 9, "2019-05-17")
    unlabelled = _event(None, 9, "2019-05-17")
    assert validate(a).conforms and validate(b).conforms and not validate(unlabelled).conforms
    reports = validate_many([a, b, unlabelled, a])
    assert reports == [validate(a), validate(b), validate(unlabelled), validate(a)]
    assert reports[2].shape_ids == ("S04-Event",)
    assert reports[2].violations[0].focus == "https://w3id.org/migkg/id/event/e"  # in the release's own IRIs


def test_a_batch_of_releases_that_meet_costs_one_pyshacl_call(monkeypatch: pytest.MonkeyPatch) -> None:
    import migkg.validate as v

    calls = []
    report = v._report
    monkeypatch.setattr(v, "_report", lambda data, lean=False: calls.append(len(data)) or report(data, lean))
    # two meetings of one series with the same ordinal on different days: each release conforms alone
    assert validate_many([_event("x", 9, "2019-05-17"), _event("x", 9, "2020-05-17")]) == [Report(True)] * 2
    assert len(calls) == 0  # every shape with a focus node in them is checked before pySHACL (simple_shapes)
    graphs = [_event("x", 9, "2019-05-17"), _event("x", 9, "2020-05-17")]
    for g in graphs:  # a timed name each (S14's SPARQL constraint is pySHACL's): one call for the lot
        name = URIRef("https://w3id.org/migkg/id/name/n")
        g.add((name, RDF.type, MKG.TimedName))
        g.add((name, URIRef("http://www.w3.org/2008/05/skos-xl#literalForm"), Literal("a name", lang="en")))
        g.add((name, DCTERMS.source, URIRef("https://example.org/source")))
    assert validate_many(graphs) == [Report(True)] * 2
    assert len(calls) == 1


def test_property_shapes_are_checked_with_their_node_shapes_targets() -> None:
    from migkg.validate import checked_shapes

    file, checked = shapes_graph(), checked_shapes()
    links = list(file.subject_objects(SH.property))
    assert len(links) > 40
    for node, prop in links:  # each hoisted: pySHACL checks it once for all focus nodes, not once per node
        assert (node, SH.property, prop) not in checked
        assert set(checked.objects(prop, SH.targetClass)) == set(file.objects(node, SH.targetClass))
        assert set(checked.objects(prop, SH.targetSubjectsOf)) == set(file.objects(node, SH.targetSubjectsOf))
    assert set(checked) - set(file) and len(checked) == len(file)  # only the links moved


def test_sparql_constraints_that_can_find_nothing_are_not_run() -> None:
    from rdflib.plugins.sparql.processor import prepareQuery

    from migkg.validate import _data, _idle_constraints, _needed

    needs = {str(q): _needed(prepareQuery(q).algebra) for q in (
        "SELECT ?x WHERE { ?x <urn:p> ?y . OPTIONAL { ?y <urn:q> ?z } FILTER (?y != ?x) }",
        "SELECT ?x WHERE { { ?x <urn:p> ?y } UNION { ?x <urn:q> ?y } }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?x <urn:p> ?y }")}
    assert list(needs.values()) == [{URIRef("urn:p")}, set(), set()]  # a union or a count answers without
    event = URIRef("urn:e")
    data = _data([[(event, RDF.type, MKG.Meeting), (event, MKG.startDate, Literal("2020-01-02", datatype=XSD.date))]])
    idle = {shape_id(shapes_graph(), shape) for shape, _ in _idle_constraints(data)}
    assert {"S02-Organization", "S05-EventDates", "S15-SeriesOrder"} <= idle  # no parent, end date or ordinal
    data = _data([[(event, MKG.startDate, Literal("2020-01-02")), (event, MKG.endDate, Literal("2020-01-01"))]])
    assert "S05-EventDates" not in {shape_id(shapes_graph(), shape) for shape, _ in _idle_constraints(data)}


@pytest.mark.parametrize("batch", [None, 1 << 16])  # the default batch; many batches, written on a thread
def test_a_bulk_first_build_stores_what_the_transactional_one_stores(corpus: Path, tmp_path: Path, batch: int | None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import migkg.store.embedded as embedded

    if batch is not None:
        monkeypatch.setattr(embedded, "BULK_BYTES", batch)
        loads = []
        real = embedded._Loading.run
        monkeypatch.setattr(embedded._Loading, "run", lambda self: (loads.append(1), real(self)))
    with open_store(tmp_path / "tx") as store:
        tx = build_store([corpus], store, jobs=2, bulk_from=0)  # one transaction a release
    with open_store(tmp_path / "bulk") as store:
        beside = []  # the build goes to a new store beside, swapped in at the end
        bulk = build_store([corpus], store, jobs=2, bulk_from=1,
                           progress=lambda *_: beside.append((tmp_path / ".bulk.migkg-bulk" / "CURRENT").exists()))
        assert len(store) == store._counted()  # the count it keeps is the store's
        assert store.path == tmp_path / "bulk"
    assert beside and all(beside)
    assert sorted(bulk.loaded) == sorted(tx.loaded) and len(bulk.loaded) > 80 and bulk.ok
    assert bulk.quads == tx.quads > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulk", "tx"]  # nothing left beside
    fast, plain = _quads(tmp_path / "bulk"), _quads(tmp_path / "tx")
    assert fast == plain  # quad for quad, the merge (default graph) included
    assert sum(1 for q in fast if isinstance(q.graph_name, ox.DefaultGraph)) > 1000
    with open_store(tmp_path / "bulk") as store:  # a second build over it: unchanged, the usual way
        again = build_store([corpus], store, jobs=1, bulk_from=1)
    assert len(again.unchanged) == len(tx.loaded) and not again.loaded and again.quads == tx.quads
    if batch is not None:
        assert len(loads) > 10  # the loader did write many batches


def test_a_bulk_batch_that_fails_raises_where_the_build_waits_for_it(tmp_path: Path) -> None:
    from migkg.store.embedded import _Loading

    with open_store(tmp_path / "s") as store:
        loading = _Loading(store.oxigraph, b"<urn:a> <urn:b> this is not N-Quads .\n")
        with pytest.raises(SyntaxError):
            loading.join()
        bulk = store.beside()
        bulk._bulk = [b"<urn:a> <urn:b> <urn:c> <urn:g> .\n", b"broken\n"]
        with pytest.raises(SyntaxError):
            bulk.flush_bulk()
        bulk.discard()


def test_date_choices_are_checked_before_pyshacl_with_its_results(monkeypatch: pytest.MonkeyPatch) -> None:
    import migkg.validate as v

    choices = [r for r in v._simple() if SH["or"] in dict(r.params)]
    found = {(shape_id(shapes_graph(), r.shape), *r.path) for r in choices}
    assert found == {("S01-Release", DCTERMS.issued), ("S04-Event", MKG.startDate), ("S04-Event", MKG.endDate)}
    lean, full = v.checked_shapes(lean=True), v.checked_shapes()
    assert not any((r.shape, None, None) in lean for r in choices)
    assert set(lean) < set(full)
    event = URIRef("https://w3id.org/migkg/id/event/e")
    graphs = []
    for value in (Literal("2019-05-17", datatype=XSD.date), Literal("2019", datatype=XSD.gYear),
                  Literal("2019-13-45", datatype=XSD.date), Literal("2019-05-17T10:00:00", datatype=XSD.dateTime),
                  Literal("17 May 2019"), Literal("2019-05", datatype=XSD.gYearMonth)):
        g = _event("x", 9, "2019-05-17")
        g.set((event, MKG.startDate, value))
        graphs.append(g)
    alone = []
    report = v._report
    monkeypatch.setattr(v, "_report", lambda data, lean=False: alone.append(lean) or report(data, lean))
    reports = validate_many(graphs)
    assert [r.conforms for r in reports] == [True, True, False, False, False, True]
    assert alone.count(True) == 0 and alone.count(False) == 3  # three graphs alone; the others need no pySHACL
    for g, r in zip(graphs, reports, strict=True):  # what pySHACL says over the whole graph with every shape
        assert (r.conforms, list(r.violations)) == _full_report(g)
    assert reports[2].shape_ids == ("S04-Event",)
