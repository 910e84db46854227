"""`migkg describe`: the VoID + DCAT description agrees with `migkg stats` and with the store."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from migkg.cli import main
from migkg.pipeline import store_stats
from migkg.publish import DATASET
from migkg.store import open_store
from migkg.vocab import MKG, SKOS, VOID

DCAT = Namespace("http://www.w3.org/ns/dcat#")


def _describe(store: Path, *extra: str) -> Graph:
    res = CliRunner().invoke(main, ["describe", "--store", str(store), *extra])
    assert res.exit_code == 0, res.output
    return Graph().parse(data=res.stdout, format="turtle")


def _int(g: Graph, s: URIRef, p: URIRef) -> int:
    [v] = list(g.objects(s, p))
    return int(v)


def test_void_counts_equal_stats(corpus_store_dir: Path) -> None:
    g = _describe(corpus_store_dir)
    with open_store(corpus_store_dir, read_only=True) as store:
        stats = store_stats(store)
    assert _int(g, DATASET, VOID.triples) == stats["quads"]
    assert _int(g, DATASET, VOID.documents) == stats["releases"]
    partitions = {str(next(g.objects(p, VOID["class"]))).rsplit("#", 1)[1]: _int(g, p, VOID.entities)
                  for p in g.objects(DATASET, VOID.classPartition)}
    assert partitions == stats["classes"]
    assert _int(g, DATASET, VOID.entities) == sum(stats["classes"].values())


def test_void_counts_equal_the_stats_command_output(corpus_store_dir: Path) -> None:
    g = _describe(corpus_store_dir)
    out = CliRunner().invoke(main, ["stats", "--store", str(corpus_store_dir)]).stdout
    assert int(re.search(r"^quads\s+(\d+)", out, re.M).group(1)) == _int(g, DATASET, VOID.triples)
    assert int(re.search(r"^releases\s+(\d+)", out, re.M).group(1)) == _int(g, DATASET, VOID.documents)
    for cls, n in re.findall(r"^  (\w+)\s+(\d+)$", out, re.M):
        [part] = [p for p in g.objects(DATASET, VOID.classPartition) if (p, VOID["class"], MKG[cls]) in g]
        assert _int(g, part, VOID.entities) == int(n), cls


def test_linksets_count_the_links_in_the_store(corpus_store_dir: Path) -> None:
    g = _describe(corpus_store_dir)
    sets = {str(next(g.objects(ls, VOID.objectsTarget))).rsplit("/", 1)[1]: ls
            for ls in g.subjects(RDF.type, VOID.Linkset)}
    want = {"wikidata", "geonames", "iso3166-alpha2", "iso3166-alpha3", "iso3166-numeric", "iati"}
    assert want <= set(sets)
    with open_store(corpus_store_dir, read_only=True) as store:
        [row] = store.select_result(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT (COUNT(*) AS ?n) WHERE { "
            "GRAPH ?g { ?s skos:exactMatch ?o } "
            "FILTER STRSTARTS(STR(?o), 'http://www.wikidata.org/entity/') }"
        ).rows
    assert _int(g, sets["wikidata"], VOID.triples) == int(row[0]) >= 250  # every country, plus some orgs
    assert next(g.objects(sets["wikidata"], VOID.linkPredicate)) == SKOS.exactMatch
    assert _int(g, sets["iati"], VOID.triples) > 0


def test_description_has_licence_version_dates_examples(corpus_store_dir: Path) -> None:
    from migkg import __version__

    g = _describe(corpus_store_dir)
    assert (DATASET, RDF.type, DCAT.Dataset) in g
    assert str(next(g.objects(DATASET, DCAT.version))) == __version__
    assert next(g.objects(DATASET, URIRef("http://purl.org/dc/terms/license")))
    assert next(g.objects(DATASET, URIRef("http://purl.org/dc/terms/created")))
    examples = set(g.objects(DATASET, VOID.exampleResource))
    iom = URIRef("https://w3id.org/migkg/id/organization/international-organization-for-migration")
    assert iom in examples
    with open_store(corpus_store_dir, read_only=True) as store:
        for ex in examples:
            assert store.value(ex, RDF.type) is not None, f"example {ex} is not in the store"
    assert not list(g.objects(DATASET, VOID.sparqlEndpoint))


def test_description_names_the_endpoint_when_served(corpus_store_dir: Path) -> None:
    g = _describe(corpus_store_dir, "--sparql-url", "http://127.0.0.1:7878/sparql", "--format", "ttl")
    assert list(g.objects(DATASET, VOID.sparqlEndpoint)) == [URIRef("http://127.0.0.1:7878/sparql")]
