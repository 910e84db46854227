"""Namespaces. ``MKG`` is generated from ``ontology/migkg.ttl`` by ``tools/gen_vocab.py``;
``tests/test_ontology.py`` fails when the two drift apart, so a mistyped term is an error."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["BASE", "DCTERMS", "EVIDENCE_SPACE", "ID", "MKG", "ONTOLOGY", "ORG", "OWL", "PROV", "RDF", "RDFS",
           "SCHEMA", "SKOS", "SKOSXL", "VOID", "WD", "XSD"]

BASE = "https://w3id.org/migkg/"
ID = Namespace(BASE + "id/")
# evidence records (id:evidence/…): provenance that stays in its release graph, never copied to the store's merge
EVIDENCE_SPACE = str(ID) + "evidence/"
ONTOLOGY = BASE + "ontology"
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")


# --- generated: begin (tools/gen_vocab.py) ---
class MKG(DefinedNamespace):
    """Terms of the migkg ontology (https://w3id.org/migkg/ontology#)."""

    _NS = Namespace("https://w3id.org/migkg/ontology#")
    _fail = True

    # classes
    Conference: object
    Country: object
    Event: object
    EventSeries: object
    Evidence: object
    ExtractionRun: object
    Funding: object
    Launch: object
    Meeting: object
    Mention: object
    Organization: object
    Other: object
    Place: object
    Programme: object
    Region: object
    Release: object
    SteeringBoard: object
    TimedName: object
    Training: object
    Visit: object
    Workshop: object

    # properties
    acronym: object
    amount: object
    charEnd: object
    charStart: object
    contentHash: object
    country: object
    denotes: object
    endDate: object
    fundedBy: object
    funder: object
    funds: object
    iatiIdentifier: object
    implementer: object
    inRegion: object
    inRelease: object
    inSeries: object
    iso2: object
    iso3: object
    isoNumeric: object
    language: object
    location: object
    mentions: object
    nextInSeries: object
    ordinal: object
    organizer: object
    participant: object
    participantCountry: object
    partOfProgramme: object
    previousInSeries: object
    qualification: object
    quote: object
    region: object
    startDate: object
    subOrganizationOf: object
    surfaceForm: object
    topic: object
# --- generated: end ---
