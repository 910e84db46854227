"""Generate data/dictionaries/countries.tsv from the datasets/country-codes CSV.

Usage:
    .venv/bin/python tools/gen_countries.py ../shared/reference/country-codes.csv \
        [-o data/dictionaries/countries.tsv]

Source: github.com/datasets/country-codes, data/country-codes.csv (ODC-PDDL 1.0). The CSV is read
only; the facts we need (ISO 3166-1 alpha-2/alpha-3/numeric, Wikidata QID, GeoNames id) are
written to our own table. Display names come from CLDR (Babel, English) with the overrides below,
chosen to match the short names press releases use.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "dictionaries" / "countries.tsv"
HEADER = ["iso2", "iso3", "numeric", "wikidata", "geonames", "name"]

# Short common English names where CLDR's English display name differs from press usage.
NAME_OVERRIDES = {
    "BA": "Bosnia and Herzegovina",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CI": "Côte d'Ivoire",
    "CV": "Cabo Verde",
    "GB": "United Kingdom",
    "HK": "Hong Kong",
    "MM": "Myanmar",
    "MO": "Macao",
    "PS": "Palestine",
    "TR": "Turkey",
    "US": "United States",
    "VA": "Holy See",
    "SH": "Saint Helena, Ascension and Tristan da Cunha",
    "UM": "United States Minor Outlying Islands",
    "VI": "United States Virgin Islands",
    "PN": "Pitcairn Islands",
}

# Facts missing from the reference CSV (checked by hand; Wikidata item of the country).
WIKIDATA_FILL = {"NA": "Q1030"}  # Namibia

# Kosovo has no ISO 3166-1 code; XK/XKX is the user-assigned code used by the EU, IOM and CLDR.
KOSOVO = {
    "iso2": "XK",
    "iso3": "XKX",
    "numeric": "",
    "wikidata": "Q1246",
    "geonames": "831053",
    "name": "Kosovo",
}


def _english_name(iso2: str, en: dict[str, str]) -> str:
    if iso2 in NAME_OVERRIDES:
        return NAME_OVERRIDES[iso2]
    name = en[iso2]
    name = name.replace(" & ", " and ")
    name = re.sub(r"^St\. ", "Saint ", name)
    return name


def read_reference(path: Path) -> list[dict[str, str]]:
    """Read the country-codes CSV as text only ("NA" is Namibia, not a missing value)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_rows(reference: list[dict[str, str]]) -> list[dict[str, str]]:
    en = Locale("en").territories
    rows = []
    for rec in reference:
        iso2 = rec["ISO3166-1-Alpha-2"].strip()
        if not re.fullmatch(r"[A-Z]{2}", iso2):
            continue
        wikidata = rec["wikidata_id"].strip().rsplit("/", 1)[-1] or WIKIDATA_FILL.get(iso2, "")
        numeric = rec["ISO3166-1-numeric"].strip()
        rows.append(
            {
                "iso2": iso2,
                "iso3": rec["ISO3166-1-Alpha-3"].strip(),
                "numeric": numeric.zfill(3) if numeric else "",
                "wikidata": wikidata,
                "geonames": rec["Geoname ID"].strip(),
                "name": _english_name(iso2, en),
            }
        )
    rows.append(dict(KOSOVO))
    rows.sort(key=lambda r: r["iso2"])
    return rows


def write_tsv(rows: list[dict[str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(HEADER) + "\n")
        for row in rows:
            fh.write("\t".join(row[k] for k in HEADER) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("country_codes_csv", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build_rows(read_reference(args.country_codes_csv))
    write_tsv(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
