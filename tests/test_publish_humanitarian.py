"""HXL 3W and IATI-style exports, checked against the seed release's facts."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import hxl
import hxl.input
from click.testing import CliRunner

from conftest_publish import ROOT
from migkg.cli import main
from migkg.publish import iati_roles
from paths import need_shared

SEED_PROGRAMME = ("https://w3id.org/migkg/id/programme/enhancing-capacities-and-mechanisms-to-identify-and-"
                  "protect-vulnerable-migrants-in-the-western-balka")
PRM = "Bureau of Population, Refugees, and Migration"
IOM = "International Organization for Migration"
SIX_ISO3 = {"ALB", "BIH", "MNE", "MKD", "SRB", "XKX"}
SIX_ISO2 = {"AL", "BA", "ME", "MK", "RS", "XK"}
REFERENCE_DIRS = [ROOT.parent / "shared" / "reference", ROOT.parents[1] / "shared" / "reference"]


def _run(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def test_hxl_3w_has_the_seed_programme(corpus_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "3w.csv"
    _run("hxl", "--store", str(corpus_store_dir), "--out", str(out))
    with out.open("rb") as fh:
        data = hxl.data(hxl.input.make_input(fh))  # libhxl: an independent HXL reader
        tags = {c.display_tag for c in data.columns}
        rows = [r for r in data if r.get("#activity+code") == SEED_PROGRAMME]
    assert {"#org+funder", "#org+impl", "#activity+name", "#country+code", "#date+start"} <= tags
    assert rows, "the seed programme has no 3W row"
    assert {r.get("#org+funder") for r in rows} == {PRM}
    assert {r.get("#org+impl") for r in rows} == {IOM}
    assert {r.get("#org+impl+code") for r in rows} == {"XM-DAC-47066"}
    assert {r.get("#country+code") for r in rows} == SIX_ISO3
    assert {r.get("#country+code+v_iso2") for r in rows} == SIX_ISO2
    assert {r.get("#date+start") for r in rows} == {"2019-05-17"}
    assert {r.get("#activity+name") for r in rows} == {"Enhancing Capacities and Mechanisms to Identify and "
                                                        "Protect Vulnerable Migrants in the Western Balkans"}


def test_iati_xml_lists_the_seed_programme_by_role(corpus_store_dir: Path) -> None:
    root = ET.fromstring(_run("iati", "--store", str(corpus_store_dir)))
    assert root.tag == "iati-activities"
    [act] = [a for a in root.iter("iati-activity") if a.findtext("iati-identifier") == SEED_PROGRAMME]
    orgs = {(o.get("role"), o.findtext("narrative"), o.get("ref")) for o in act.iter("participating-org")}
    assert orgs == {("1", PRM, None), ("4", IOM, "XM-DAC-47066")}
    assert {c.get("code") for c in act.iter("recipient-country")} == SIX_ISO2
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in act.find("title")}
    assert langs == {"en", "bs"}


def test_iati_csv_lists_the_seed_programme_by_role(corpus_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "iati.csv"
    _run("iati", "--store", str(corpus_store_dir), "--out", str(out))
    rows = [r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
            if r["iati-identifier"] == SEED_PROGRAMME]
    assert {(r["participating-org-role-name"], r["participating-org-name"]) for r in rows} == {
        ("Funding", PRM), ("Implementing", IOM)}
    assert {frozenset(r["recipient-countries"].split(";")) for r in rows} == {frozenset(SIX_ISO2)}


def test_iati_role_names_agree_with_the_iati_codelist() -> None:
    found = [d / "iati-organisation-role.csv" for d in REFERENCE_DIRS
             if (d / "iati-organisation-role.csv").exists()]
    codelist = found[0] if found else need_shared(REFERENCE_DIRS[0] / "iati-organisation-role.csv",
                                                  "the IATI OrganisationRole codelist is third-party reference data")
    with codelist.open(encoding="utf-8", newline="") as fh:
        names = {r["name"] for r in csv.DictReader(fh)}
    roles = iati_roles()
    assert {name for _, name in roles.values()} <= names
    assert roles["funder"] == ("1", "Funding") and roles["implementer"] == ("4", "Implementing")
