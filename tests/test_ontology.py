"""The ontology: parses, is documented, aligned to the vocabularies we reuse, and in sync with vocab.py."""

from __future__ import annotations

import subprocess
import sys

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from paths import REPO

MKG = "https://w3id.org/migkg/ontology#"
REUSED = ("https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
          "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#")


def ontology() -> Graph:
    return Graph().parse(REPO / "ontology" / "migkg.ttl", format="turtle")


def test_ontology_header() -> None:
    g = ontology()
    (ont,) = g.subjects(RDF.type, OWL.Ontology)
    assert g.value(ont, OWL.versionInfo) is not None
    assert g.value(ont, DCTERMS.license) is not None
    assert g.value(ont, DCTERMS.title) is not None


def test_every_term_is_labelled_and_commented() -> None:
    g = ontology()
    terms = [s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t)
             if str(s).startswith(MKG)]
    assert len(terms) > 40
    for t in terms:
        label = g.value(t, RDFS.label)
        assert label is not None and label.language == "en", t
    for t in g.subjects(RDF.type, OWL.Class):
        assert g.value(t, RDFS.comment) is not None, t


def test_required_classes_exist_and_align() -> None:
    g = ontology()
    for name in ("Release", "Organization", "Country", "Region", "Event", "EventSeries", "Programme", "Meeting",
                 "Conference", "Workshop", "Training", "SteeringBoard", "Visit", "Launch", "Other"):
        assert (URIRef(MKG + name), RDF.type, OWL.Class) in g, name
    # every top-level class reaches a reused vocabulary through rdfs:subClassOf
    for cls in g.subjects(RDF.type, OWL.Class):
        supers = set(g.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(str(s).startswith(REUSED) for s in supers), f"{cls} is not aligned"


def test_key_properties_align() -> None:
    g = ontology()
    expect = {"organizer": "https://schema.org/organizer", "participant": "https://schema.org/attendee",
              "funder": "https://schema.org/funder", "startDate": "https://schema.org/startDate",
              "subOrganizationOf": "http://www.w3.org/ns/org#subOrganizationOf",
              "location": "https://schema.org/location"}
    for local, target in expect.items():
        assert (URIRef(MKG + local), RDFS.subPropertyOf, URIRef(target)) in g, local


def test_vocab_py_is_generated_from_the_ontology() -> None:
    r = subprocess.run([sys.executable, str(REPO / "tools" / "gen_vocab.py"), "--check"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, "src/migkg/vocab.py is out of date: run python tools/gen_vocab.py"


def test_every_ttl_and_rq_file_parses() -> None:
    import pyoxigraph

    for ttl in list((REPO / "ontology").glob("*.ttl")) + list((REPO / "tests" / "shapes").glob("*.ttl")):
        Graph().parse(ttl, format="turtle")
    store = pyoxigraph.Store()
    for rq in (REPO / "queries").rglob("*.rq"):
        store.query(rq.read_text(encoding="utf-8"))
