"""Publishing: a VoID + DCAT description of the store, an HXL 3W table, an IATI-style listing.

Everything is read from the store through saved queries (``queries/publish/*.rq``) and written with
libraries (rdflib for the description, ``csv`` and ElementTree for the tables); nothing is pasted
into query or document text. Column sets and role codes are data files: ``templates/hxl-3w.tsv``
and ``data/dictionaries/iati-organisation-roles.tsv``.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from migkg import __version__
from migkg.build import REFERENCE_GRAPH
from migkg.errors import MigkgError
from migkg.files import csv_cell
from migkg.query import Queryable, run_query
from migkg.resources import resource
from migkg.store import EmbeddedStore
from migkg.vocab import DCTERMS, ID, MKG, ONTOLOGY, OWL, PROV, RDF, SKOS, VOID, WD, XSD

DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
TEMPLATES = Path(__file__).resolve().parent / "templates"
DATASET = ID["dataset/migkg"]
LICENSE = URIRef("https://spdx.org/licenses/MIT")
GEONAMES = "https://sws.geonames.org/"
# (key, title, link predicate, objects' IRI space or None when the links are identifier literals)
LINK_TARGETS: tuple[tuple[str, str, URIRef, str | None], ...] = (
    ("wikidata", "Wikidata", SKOS.exactMatch, str(WD)),
    ("geonames", "GeoNames", SKOS.exactMatch, GEONAMES),
    ("iso3166-alpha2", "ISO 3166-1 alpha-2 codes", MKG.iso2, None),
    ("iso3166-alpha3", "ISO 3166-1 alpha-3 codes", MKG.iso3, None),
    ("iso3166-numeric", "ISO 3166-1 numeric codes", MKG.isoNumeric, None),
    ("iati", "IATI organisation identifiers", MKG.iatiIdentifier, None),
)
_PREFIX = "PREFIX mkg: <https://w3id.org/migkg/ontology#>\n"


# ---------------------------------------------------------------- VoID + DCAT
def _count(store: EmbeddedStore, sparql: str, bindings: dict[str, Node] | None = None) -> int:
    rows = store.select_result(_PREFIX + sparql, bindings or {}).rows
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def class_entities(store: EmbeddedStore) -> dict[URIRef, int]:
    """Things of each mkg: class that the releases mention (the definition `migkg stats` uses)."""
    rows = store.select_result(
        _PREFIX + "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { "
        "?r a mkg:Release ; mkg:mentions ?x . ?x a ?c . "
        "FILTER (STRSTARTS(STR(?c), STR(mkg:))) } GROUP BY ?c",
        {},
    ).rows
    return {URIRef(str(c)): int(n) for c, n in rows}


def _examples(store: EmbeddedStore) -> list[URIRef]:
    """For a few classes, the thing the most releases mention (ties broken by IRI)."""
    out = []
    for cls in (MKG.Organization, MKG.Programme, MKG.Country, MKG.Meeting):
        rows = store.select_result(
            _PREFIX + "SELECT ?x ?cls (COUNT(DISTINCT ?r) AS ?n) WHERE { "
            "?r a mkg:Release ; mkg:mentions ?x . ?x a ?cls } "
            "GROUP BY ?x ?cls ORDER BY DESC(?n) ?x LIMIT 1",
            {"cls": cls},
        ).rows
        out += [URIRef(str(r[0])) for r in rows]
    return out


def _generated(store: EmbeddedStore) -> tuple[str | None, str | None]:
    rows = store.select_result(
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT (MIN(?t) AS ?first) "
        "(MAX(?t) AS ?last) WHERE { ?r prov:generatedAtTime ?t }",
        {},
    ).rows
    first, last = rows[0] if rows else (None, None)
    return (str(first) if first is not None else None, str(last) if last is not None else None)


def linkset_triples(store: EmbeddedStore, predicate: URIRef, space: str | None) -> int:
    """Statements with ``predicate`` (whose objects lie in ``space`` when given), each counted once."""
    if not isinstance(store, EmbeddedStore):  # a remote endpoint: count the distinct triples there
        distinct = "{ SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
        if space is None:
            rows = store.select_result(f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} }}", {"p": predicate}).rows
        else:
            rows = store.select_result(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} FILTER (STRSTARTS(STR(?o), ?space)) }}",
                {"p": predicate, "space": Literal(space)}).rows
        return int(rows[0][0]) if rows else 0
    if space is None:
        return store.count_facts(None, predicate)
    return sum(1 for _, _, o in store.facts(None, predicate) if str(o).startswith(space))


DESCRIBE_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def describe_format(name: str | None, path: Path | None) -> str:
    """The rdflib format for ``migkg describe``: by name, else by the file suffix, else Turtle."""
    suffixes = {
        ".ttl": "ttl",
        ".nt": "nt",
        ".jsonld": "jsonld",
        ".json": "jsonld",
        ".rdf": "rdfxml",
        ".xml": "rdfxml",
    }
    key = name or (suffixes.get(path.suffix.lower()) if path else None) or "ttl"
    if key not in DESCRIBE_FORMATS:
        raise MigkgError(
            f"unknown description format {key!r}", f"choose one of {', '.join(DESCRIBE_FORMATS)}"
        )
    return DESCRIBE_FORMATS[key]


def describe(store: EmbeddedStore, sparql_url: str | None = None) -> Graph:
    """A VoID + DCAT description of the store: size, entities per class, linksets, licence, version,
    dates, example resources and, when given, the SPARQL endpoint serving it."""
    g = Graph()
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("mkg", MKG),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("prov", PROV),
        ("wd", WD),
        ("id", ID),
    ):
        g.bind(prefix, ns)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("migkg: migration-coordination knowledge graph", lang="en")))
    g.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "Organizations, countries, events, programmes and funders reported by press releases "
                "on migration coordination, one named graph per release, with the sentence each "
                "statement was read from.",
                lang="en",
            ),
        )
    )
    g.add((d, DCTERMS.license, LICENSE))
    g.add((d, DCAT.version, Literal(__version__)))
    g.add((d, OWL.versionInfo, Literal(__version__)))
    g.add((d, DCTERMS.conformsTo, URIRef(ONTOLOGY)))
    first, last = _generated(store)
    if first:
        g.add((d, DCTERMS.created, Literal(first, datatype=XSD.dateTime)))
    if last:
        g.add((d, DCTERMS.modified, Literal(last, datatype=XSD.dateTime)))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    for vocab in (ONTOLOGY + "#", str(SKOS), str(DCTERMS), str(PROV)):
        g.add((d, VOID.vocabulary, URIRef(vocab)))
    g.add((d, VOID.triples, Literal(len(store), datatype=XSD.integer)))
    g.add((d, VOID.documents, Literal(store.releases(), datatype=XSD.integer)))
    entities = class_entities(store)
    g.add((d, VOID.entities, Literal(sum(entities.values()), datatype=XSD.integer)))
    for cls, n in sorted(entities.items()):
        part = ID["dataset/migkg/class/" + str(cls).rsplit("#", 1)[1]]
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    ref = ID["dataset/migkg/reference"]
    g.add((d, VOID.subset, ref))
    g.add((ref, RDF.type, VOID.Dataset))
    g.add((ref, DCTERMS.title, Literal("reference data: countries, regions, known organizations", lang="en")))
    g.add((ref, VOID.triples, Literal(sum(1 for _ in store.quads(REFERENCE_GRAPH)), datatype=XSD.integer)))
    for key, title, pred, space in LINK_TARGETS:
        ls = ID["dataset/migkg/linkset/" + key]
        target = ID["dataset/" + key]
        g.add((d, VOID.subset, ls))
        g.add((ls, RDF.type, VOID.Linkset))
        g.add((ls, VOID.subjectsTarget, d))
        g.add((ls, VOID.objectsTarget, target))
        g.add((ls, VOID.linkPredicate, pred))
        g.add((ls, VOID.triples, Literal(linkset_triples(store, pred, space), datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        if space:
            g.add((target, VOID.uriSpace, Literal(space)))
    for ex in _examples(store):
        g.add((d, VOID.exampleResource, ex))
    if sparql_url:
        add_sparql_endpoint(g, sparql_url)
    return g


def add_sparql_endpoint(g: Graph, sparql_url: str) -> Graph:
    """Name the SPARQL endpoint serving the dataset in its description ``g`` (changed in place)."""
    d = DATASET
    g.add((d, VOID.sparqlEndpoint, URIRef(sparql_url)))
    service = BNode()
    g.add((d, DCAT.distribution, service))
    g.add((service, RDF.type, DCAT.Distribution))
    g.add((service, DCAT.accessURL, URIRef(sparql_url)))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return g


# ---------------------------------------------------------------- programmes, their actors and countries
@dataclass(frozen=True)
class Actor:
    iri: str
    name: str
    acronym: str
    iati: str


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name: str


@dataclass
class ProgrammeFacts:
    iri: str
    title: str
    acronym: str
    first: str
    last: str
    titles: list[tuple[str, str]]  # (language, title)
    roles: dict[str, list[Actor]]  # "funder" / "implementer" -> organizations
    countries: list[Country]


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def programme_facts(store: Queryable) -> list[ProgrammeFacts]:
    """Every programme with its titles, funders, implementers and countries, from the saved queries."""
    out: dict[str, ProgrammeFacts] = {}
    for p, title, acronym, first, last in run_query(store, "publish/programmes").rows:
        out[str(p)] = ProgrammeFacts(
            str(p), _s(title), _s(acronym), _s(first), _s(last), [], defaultdict(list), []
        )
    for p, title, lang in run_query(store, "publish/programme-titles").rows:
        out[str(p)].titles.append((_s(lang), str(title)))
    for p, role, org, name, acronym, iati in run_query(store, "publish/programme-actors").rows:
        out[str(p)].roles[str(role)].append(Actor(str(org), _s(name), _s(acronym), _s(iati)))
    for p, _country, iso2, iso3, name in run_query(store, "publish/programme-countries").rows:
        out[str(p)].countries.append(Country(str(iso2), _s(iso3), _s(name)))
    return list(out.values())


# ---------------------------------------------------------------- HXL 3W
def _hxl_columns() -> list[dict[str, str]]:
    with (TEMPLATES / "hxl-3w.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def hxl_3w(store: Queryable) -> str:
    """An HXL-tagged 3W table (who funds, who implements, what, where, when): a header row, the
    HXL hashtag row, then one row per (programme, funder, implementer, country)."""
    cols = _hxl_columns()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c["header"] for c in cols])
    w.writerow([c["hashtag"] for c in cols])
    blank = Actor("", "", "", "")
    for p in programme_facts(store):
        for funder in p.roles.get("funder") or [blank]:
            for impl in p.roles.get("implementer") or [blank]:
                for c in p.countries or [Country("", "", "")]:
                    values = {
                        "funder_name": funder.name,
                        "funder_acronym": funder.acronym,
                        "funder_iati": funder.iati,
                        "impl_name": impl.name,
                        "impl_acronym": impl.acronym,
                        "impl_iati": impl.iati,
                        "title": p.title,
                        "acronym": p.acronym,
                        "programme": p.iri,
                        "country_name": c.name,
                        "iso3": c.iso3,
                        "iso2": c.iso2,
                        "first": p.first,
                        "last": p.last,
                    }
                    w.writerow([csv_cell(values[c_["field"]]) for c_ in cols])
    return buf.getvalue()


# ---------------------------------------------------------------- IATI-style listing
def iati_roles() -> dict[str, tuple[str, str]]:
    """Our relation ("funder", "implementer") -> (IATI OrganisationRole code, name)."""
    path = resource("dictionaries", "iati-organisation-roles.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {r["relation"]: (r["code"], r["name"]) for r in rows if r["relation"]}


def iati_xml(store: Queryable) -> str:
    """IATI-style XML (activity standard 2.03 element names): one ``iati-activity`` per programme with
    its titles, participating organizations by role code, and recipient countries."""
    roles = iati_roles()
    root = ET.Element("iati-activities", {"version": "2.03"})
    root.append(
        ET.Comment(
            " IATI-style listing generated by migkg from press releases; not an IATI "
            "publication: iati-identifier holds the migkg IRI of the programme. "
        )
    )
    for p in programme_facts(store):
        act = ET.SubElement(root, "iati-activity")
        ET.SubElement(act, "iati-identifier").text = p.iri
        title = ET.SubElement(act, "title")
        for lang, text in sorted(p.titles):
            n = ET.SubElement(title, "narrative", {"xml:lang": lang} if lang else {})
            n.text = text
        for relation, (code, _name) in roles.items():
            for a in p.roles.get(relation, []):
                attrs = {"role": code, **({"ref": a.iati} if a.iati else {})}
                org = ET.SubElement(act, "participating-org", attrs)
                ET.SubElement(org, "narrative").text = a.name
        for c in p.countries:
            country = ET.SubElement(act, "recipient-country", {"code": c.iso2})
            ET.SubElement(country, "narrative").text = c.name
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def iati_csv(store: Queryable) -> str:
    """The IATI-style listing as CSV: one row per (programme, role, organization)."""
    roles = iati_roles()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(
        [
            "iati-identifier",
            "title",
            "participating-org-role",
            "participating-org-role-name",
            "participating-org-ref",
            "participating-org-name",
            "recipient-countries",
        ]
    )
    for p in programme_facts(store):
        countries = ";".join(c.iso2 for c in p.countries)
        for relation, (code, name) in roles.items():
            for a in p.roles.get(relation, []):
                w.writerow([csv_cell(v) for v in (p.iri, p.title, code, name, a.iati, a.name, countries)])
    return buf.getvalue()
