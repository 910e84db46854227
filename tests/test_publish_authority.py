"""Authority links: the country table against pycountry (ISO 3166-1), and link completeness in the graph."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pycountry
from rdflib import Graph, Literal, URIRef

from conftest_publish import ROOT
from migkg import build as b
from migkg.reference import load
from migkg.store import open_store
from migkg.vocab import MKG, SKOS, WD

COUNTRIES = ROOT / "data" / "dictionaries" / "countries.tsv"
ORGS = ROOT / "data" / "dictionaries" / "organizations.json"


def _rows() -> dict[str, dict[str, str]]:
    with COUNTRIES.open(encoding="utf-8", newline="") as fh:
        return {r["iso2"]: r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def test_country_codes_agree_with_pycountry() -> None:
    rows = _rows()
    iso = {c.alpha_2: c for c in pycountry.countries}
    assert set(rows) - {"XK"} == set(iso), "countries.tsv and ISO 3166-1 (pycountry) list different countries"
    for code, c in iso.items():
        row = rows[code]
        assert (row["iso3"], row["numeric"]) == (c.alpha_3, c.numeric), f"{code}: {row} vs pycountry {c}"


def test_kosovo_row_uses_the_user_assigned_codes() -> None:
    xk = _rows()["XK"]
    assert (xk["iso3"], xk["numeric"], xk["wikidata"], xk["geonames"]) == ("XKX", "", "Q1246", "831053")
    assert pycountry.countries.get(alpha_2="XK") is None  # not ISO: the table must add it itself


def test_every_country_has_a_wikidata_and_geonames_identifier() -> None:
    rows = _rows()
    qids = [r["wikidata"] for r in rows.values()]
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in qids), [q for q in qids if not re.fullmatch(r"Q\d+", q)]
    assert len(set(qids)) == len(qids), "two countries share a Wikidata item"
    assert all(re.fullmatch(r"[1-9]\d*", r["geonames"]) for r in rows.values())


def test_reference_graph_links_countries_and_orgs_with_skos_exact_match() -> None:
    g = b.reference_graph(load())
    al = b.country_iri("AL")
    assert (al, SKOS.exactMatch, WD.Q222) in g
    assert (al, SKOS.exactMatch, URIRef("https://sws.geonames.org/783754/")) in g
    assert (al, MKG.iso3, Literal("ALB")) in g and (al, MKG.isoNumeric, Literal("008")) in g
    orgs = json.loads(ORGS.read_text(encoding="utf-8"))
    for o in orgs:
        node = b.dict_org_iri(o["id"])
        links = set(g.objects(node, SKOS.exactMatch))
        assert links == ({WD[o["wikidata"]]} if o["wikidata"] else set()), o["id"]
        iati = set(g.objects(node, MKG.iatiIdentifier))
        assert iati == ({Literal(o["iati"])} if o["iati"] else set()), o["id"]
    iom = b.dict_org_iri("international-organization-for-migration")
    assert (iom, MKG.iatiIdentifier, Literal("XM-DAC-47066")) in g
    assert not list(g.subject_objects(URIRef("http://www.w3.org/2002/07/owl#sameAs")))


def test_every_country_the_graph_mentions_has_wikidata_and_iso_codes(corpus_store_dir: Path) -> None:
    with open_store(corpus_store_dir, read_only=True) as store:
        mentioned = {c for (c,) in store.select_result(
            "PREFIX mkg: <https://w3id.org/migkg/ontology#> "
            "SELECT DISTINCT ?c WHERE { ?r a mkg:Release ; mkg:mentions ?c . ?c a mkg:Country }").rows}
        g = Graph()
        for q in store.quads():
            if q.subject in mentioned:
                g.add(q.triple)
    assert len(mentioned) > 40
    for c in mentioned:
        wd = [o for o in g.objects(c, SKOS.exactMatch) if str(o).startswith(str(WD))]
        assert len(wd) == 1, f"{c}: Wikidata links {wd}"
        iso2 = {str(v) for v in g.objects(c, MKG.iso2)}
        assert iso2 == {str(c).rsplit("/", 1)[1]}, c
        assert len(set(g.objects(c, MKG.iso3))) == 1, f"{c} has no alpha-3 code"
        if iso2 != {"XK"}:
            assert len(set(g.objects(c, MKG.isoNumeric))) == 1, f"{c} has no numeric code"
