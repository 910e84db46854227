"""Checks of the dictionary data files under data/dictionaries/.

The third-party reference files (../shared/reference/, see its README) are required: tables we
derived from them are compared with them here, so a missing reference is a failure, not a skip.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from paths import need_shared

ROOT = Path(__file__).resolve().parents[1]
DICT = ROOT / "data" / "dictionaries"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
COUNTRY_CODES = REFERENCE / "country-codes.csv"
IATI_ORGS = REFERENCE / "iati-reporting-organisations.csv"

LANGS = {"en", "fr", "es", "bs", "hr", "sr", "sr-Cyrl", "sq", "mk"} | {  # and every language with a profile
    p.stem for p in (ROOT / "data" / "languages").glob("*.json") if not p.name.startswith("_")}
NAME_KINDS = {"name", "official", "alias", "demonym", "adjective", "form"}
ORG_KINDS = {
    "un",
    "eu",
    "intergovernmental",
    "regional-process",
    "government",
    "agency",
    "ngo",
    "red-cross",
    "development-bank",
    "other",
}
ORG_KEYS = {"id", "name", "acronym", "aliases", "country", "parent", "kind", "wikidata", "iati"}

# Declined forms the extractor relies on (iso2 -> texts that must appear in bs, hr or sr).
REQUIRED_FORMS = {
    "AL": ["Albanija", "Albanije", "Albaniji", "Albaniju", "Albanijom"],
    "BA": [
        "Bosna i Hercegovina",
        "Bosne i Hercegovine",
        "Bosni i Hercegovini",
        "Bosnu i Hercegovinu",
        "Bosnom i Hercegovinom",
        "BiH",
    ],
    "ME": ["Crna Gora", "Crne Gore", "Crnoj Gori", "Crnu Goru", "Crnom Gorom"],
    "MK": [
        "Sjeverna Makedonija",
        "Sjeverne Makedonije",
        "Sjevernoj Makedoniji",
        "Sjevernu Makedoniju",
        "Sjevernom Makedonijom",
        "Severna Makedonija",
        "Severne Makedonije",
        "Severnoj Makedoniji",
    ],
    "RS": ["Srbija", "Srbije", "Srbiji", "Srbiju", "Srbijom"],
    "XK": ["Kosovo", "Kosova", "Kosovu", "Kosovom"],
    "US": ["Sjedinjene Američke Države", "Sjedinjenih Američkih Država", "SAD"],
}
REQUIRED_SQ = {
    "AL": ["Shqipëria", "Shqipërisë"],
    "XK": ["Kosova", "Kosovës"],
    "RS": ["Serbia", "Serbisë"],
    "ME": ["Mali i Zi", "Malit të Zi"],
    "MK": ["Maqedonia e Veriut", "Maqedonisë së Veriut"],
    "BA": ["Bosnja dhe Hercegovina", "Bosnjës dhe Hercegovinës"],
}


def _tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _require(path: Path) -> Path:
    return need_shared(path, "the dictionary checks compare our tables with the third-party reference data")


def _reference_countries() -> list[dict[str, str]]:
    with _require(COUNTRY_CODES).open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if re.fullmatch(r"[A-Z]{2}", r["ISO3166-1-Alpha-2"])]


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    header, rows = _tsv(DICT / "countries.tsv")
    assert header == ["iso2", "iso3", "numeric", "wikidata", "geonames", "name"]
    return rows


@pytest.fixture(scope="module")
def country_codes(countries) -> set[str]:
    return {c["iso2"] for c in countries}


@pytest.fixture(scope="module")
def names() -> list[dict[str, str]]:
    header, rows = _tsv(DICT / "country-names.tsv")
    assert header == ["iso2", "lang", "kind", "text"]
    return rows


@pytest.fixture(scope="module")
def orgs() -> list[dict]:
    data = json.loads((DICT / "organizations.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def triggers() -> dict:  # noqa: D103
    return json.loads((DICT / "triggers.json").read_text(encoding="utf-8"))


# --- countries.tsv -----------------------------------------------------------------------------


def test_countries_well_formed(countries):
    codes = [c["iso2"] for c in countries]
    assert len(codes) == len(set(codes))
    for c in countries:
        assert re.fullmatch(r"[A-Z]{2}", c["iso2"]), c
        assert re.fullmatch(r"[A-Z]{3}", c["iso3"]), c
        assert c["numeric"] == "" or re.fullmatch(r"\d{3}", c["numeric"]), c
        assert re.fullmatch(r"Q\d+", c["wikidata"]), c
        assert re.fullmatch(r"\d+", c["geonames"]), c
        assert c["name"].strip() == c["name"] and c["name"], c


def test_countries_cover_reference_plus_kosovo(country_codes):
    reference = {r["ISO3166-1-Alpha-2"] for r in _reference_countries()}
    assert "NA" in reference, "Namibia must be read as the code NA, not as a missing value"
    assert reference | {"XK"} == country_codes


def test_countries_agree_with_reference(countries):
    ours = {c["iso2"]: c for c in countries}
    for ref in _reference_countries():
        row = ours[ref["ISO3166-1-Alpha-2"]]
        assert row["iso3"] == ref["ISO3166-1-Alpha-3"], row
        assert row["numeric"] == ref["ISO3166-1-numeric"].zfill(3), row
        assert row["geonames"] == ref["Geoname ID"], row
        qid = ref["wikidata_id"].rsplit("/", 1)[-1]
        if qid:
            assert row["wikidata"] == qid, row
    assert ours["XK"] == {
        "iso2": "XK",
        "iso3": "XKX",
        "numeric": "",
        "wikidata": "Q1246",
        "geonames": "831053",
        "name": "Kosovo",
    }


def test_countries_tsv_is_reproducible(countries):
    tool = _load_tool("gen_countries")
    assert tool.build_rows(tool.read_reference(_require(COUNTRY_CODES))) == countries


# --- country-names.tsv -------------------------------------------------------------------------


def test_country_names_well_formed(names, country_codes):
    seen = set()
    for r in names:
        key = (r["iso2"], r["lang"], r["kind"], r["text"])
        assert key not in seen, f"duplicate row {key}"
        seen.add(key)
        assert r["iso2"] in country_codes, r
        assert r["lang"] in LANGS, r
        assert r["kind"] in NAME_KINDS, r
        assert r["text"] and r["text"] == r["text"].strip(), r


def test_every_country_has_a_name_in_every_language(names, country_codes):
    have = {(r["iso2"], r["lang"]) for r in names if r["kind"] == "name"}
    missing = [(c, lang) for c in country_codes for lang in LANGS if (c, lang) not in have]
    # A few dropped ambiguous CLDR names (see country-names-drop.tsv) may leave a gap.
    _, drops = _tsv(DICT / "country-names-drop.tsv")
    dropped = {(d["iso2"], d["lang"]) for d in drops} | {
        (d["iso2"], lang) for d in drops if d["lang"] == "*" for lang in LANGS
    }
    assert [m for m in missing if m not in dropped] == []


def test_no_country_text_maps_to_two_countries(names):
    owners = defaultdict(set)
    for r in names:
        owners[r["text"].casefold()].add(r["iso2"])
    assert {t: sorted(o) for t, o in owners.items() if len(o) > 1} == {}


def test_known_ambiguities_are_resolved(names):
    by_text = defaultdict(set)
    for r in names:
        by_text[r["text"].casefold()].add(r["iso2"])
    assert by_text["niger"] == {"NE"}
    assert by_text["guinea"] == {"GN"}
    assert "congo" not in by_text and "kongo" not in by_text
    assert by_text["nigerian"] == {"NG"} and by_text["nigerien"] == {"NE"}


@pytest.mark.parametrize("iso2", sorted(REQUIRED_FORMS))
def test_required_bcs_forms_present(names, iso2):
    have = {r["text"] for r in names if r["iso2"] == iso2 and r["lang"] in {"bs", "hr", "sr"}}
    assert [t for t in REQUIRED_FORMS[iso2] if t not in have] == []


@pytest.mark.parametrize("iso2", sorted(REQUIRED_SQ))
def test_required_albanian_forms_present(names, iso2):
    have = {r["text"] for r in names if r["iso2"] == iso2 and r["lang"] == "sq"}
    assert [t for t in REQUIRED_SQ[iso2] if t not in have] == []


def test_country_names_tsv_is_reproducible(names):
    tool = _load_tool("gen_country_names")
    rows, errors = tool.build(
        DICT / "countries.tsv",
        DICT / "country-names-extra.tsv",
        DICT / "country-names-drop.tsv",
        _require(COUNTRY_CODES),
    )
    assert errors == []
    assert [dict(zip(tool.HEADER, r, strict=True)) for r in rows] == names


def test_extra_and_drop_files_parse(country_codes):
    header, rows = _tsv(DICT / "country-names-extra.tsv")
    assert header == ["iso2", "lang", "kind", "text"]
    assert all(r["iso2"] in country_codes and r["lang"] in LANGS and r["kind"] in NAME_KINDS for r in rows)
    header, rows = _tsv(DICT / "country-names-drop.tsv")
    assert header == ["iso2", "lang", "text", "reason"]
    assert all(r["lang"] in LANGS | {"*"} and r["reason"] for r in rows)


# --- regions.tsv -------------------------------------------------------------------------------


def test_regions(country_codes):
    header, rows = _tsv(DICT / "regions.tsv")
    assert header == ["id", "name", "lang", "members"]
    members = defaultdict(set)
    seen = set()
    for r in rows:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]), r
        assert r["lang"] in LANGS, r
        assert (r["id"], r["lang"], r["name"]) not in seen, r
        seen.add((r["id"], r["lang"], r["name"]))
        codes = r["members"].split()
        assert codes and set(codes) <= country_codes, r
        members[r["id"]].add(tuple(codes))
    assert all(len(v) == 1 for v in members.values()), "members must be identical on every row"
    assert set(next(iter(members["western-balkans"]))) == {"AL", "BA", "ME", "MK", "RS", "XK"}
    assert len(next(iter(members["european-union-member-states"]))) == 27


# --- organizations.json ------------------------------------------------------------------------


def test_organizations_schema(orgs, country_codes):
    assert len(orgs) >= 170
    for o in orgs:
        assert set(o) - {"umbrella"} == ORG_KEYS, o.get("id")
        assert o.get("umbrella", True) is True, o["id"]  # written only where it applies
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", o["id"]), o["id"]
        assert o["kind"] in ORG_KINDS, o["id"]
        assert isinstance(o["name"], str) and o["name"], o["id"]
        assert o["acronym"] is None or (isinstance(o["acronym"], str) and o["acronym"]), o["id"]
        assert isinstance(o["aliases"], dict), o["id"]
        for lang, texts in o["aliases"].items():
            assert lang in LANGS, (o["id"], lang)
            assert isinstance(texts, list) and all(isinstance(t, str) and t for t in texts)
        assert o["wikidata"] is None or re.fullmatch(r"Q\d+", o["wikidata"]), o["id"]
        if o["country"] is not None:
            assert o["country"] in country_codes, o["id"]
            assert o["id"].startswith(o["country"].lower() + "-"), o["id"]


def test_organization_ids_unique_and_parents_exist(orgs):
    ids = [o["id"] for o in orgs]
    assert len(ids) == len(set(ids))
    known = set(ids)
    assert [o["id"] for o in orgs if o["parent"] is not None and o["parent"] not in known] == []
    assert [o["id"] for o in orgs if o["parent"] == o["id"]] == []


def test_organization_aliases_do_not_collide(orgs):
    owners = defaultdict(set)
    for o in orgs:
        texts = [o["name"], o["acronym"], *(t for ts in o["aliases"].values() for t in ts)]
        for t in texts:
            if t:
                owners[t.casefold()].add(o["id"])
    assert {t: sorted(ids) for t, ids in owners.items() if len(ids) > 1} == {}


def test_organization_iati_identifiers_exist(orgs):
    with _require(IATI_ORGS).open(encoding="utf-8", newline="") as fh:
        known = {r["code"] for r in csv.DictReader(fh)}
    assert [(o["id"], o["iati"]) for o in orgs if o["iati"] and o["iati"] not in known] == []


# --- triggers.json -----------------------------------------------------------------------------


def test_triggers_hold_only_language_neutral_keys(triggers):
    # everything language-specific lives in data/languages/<code>.json
    assert set(triggers) == {"country_masks", "place_stopwords"}
    assert triggers["country_masks"]["Republika Srpska"] == "BA"  # an entity of BA, not Serbia


# --- currencies.tsv ----------------------------------------------------------------------------


def test_currency_codes_are_iso_4217():
    pycountry = pytest.importorskip("pycountry", reason="pycountry (a dev dependency) holds ISO 4217")
    codes, _ = _tsv(DICT / "currencies.tsv")
    assert codes == ["code", "symbol", "name"]
    rows = _tsv(DICT / "currencies.tsv")[1]
    unknown = [r["code"] for r in rows if pycountry.currencies.get(alpha_3=r["code"]) is None]
    assert not unknown, f"not ISO 4217 codes: {unknown}"
    symbols = [r["symbol"] for r in rows if r["symbol"]]
    assert len(symbols) == len(set(symbols)), "a symbol names one currency"


def test_every_capital_is_a_known_place():
    """A meeting "in Valletta" or "in Port Vila" is placed: every capital of the reference table is a place."""
    from migkg.reference import load

    d = load()
    stop = set(d.triggers.get("place_stopwords", []))
    assert "Victoria" in stop
    missing = []
    for ref in _reference_countries():
        capital = (ref.get("Capital") or "").strip()
        if not capital or ref["ISO3166-1-Alpha-2"] not in d.countries or capital in stop:
            continue  # (a stop word, "Victoria", is too often a person's name to be read as a place)
        found = d.places.find(capital)
        whole = bool(found and found[0].start == 0 and found[0].end == len(capital))
        if not whole or d.place_country.get(found[0].entry.key) is None:
            missing.append(capital)
    assert not missing, f"capitals that are no known place: {missing}"
