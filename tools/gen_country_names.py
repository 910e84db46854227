"""Generate data/dictionaries/country-names.tsv (country names, aliases, demonyms, declined forms).

Usage:
    .venv/bin/python tools/gen_country_names.py \
        [--country-codes ../shared/reference/country-codes.csv] [-o OUT]

Sources, merged in this order:
  1. CLDR territory names via Babel (kind=name) for en, fr, es, bs, hr, sr (Latin, locale sr_Latn),
     sr-Cyrl (locale sr), sq, mk, de, nl, pl, id, pt, it, ro, bg, cs, sk, hu, sv, da, nb, sl, fi, az, sw, fa, vi,
     et, lv, lt, ka, hy, zh (Simplified, with the Traditional names as aliases), ja, ko, th; the English
     name of countries.tsv is the English kind=name and a differing CLDR English name becomes an alias.
  2. With --country-codes (datasets/country-codes CSV, ODC-PDDL): UN Terminology (UNTERM) formal
     names in en/fr/es (kind=official, leading article removed) and UNTERM short names (kind=alias).
  3. data/dictionaries/country-names-extra.tsv, hand-written: English aliases, demonyms and
     adjectives, BCS declined forms and adjectives, Albanian definite forms. Rows in lang "sr" with
     kind form/adjective/alias are also transliterated into "sr-Cyrl".
  4. data/dictionaries/country-names-drop.tsv removes texts that would be ambiguous ("Congo").

A text (case-insensitive) that maps to two countries is an error: fix the extra or drop file.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
DICT = ROOT / "data" / "dictionaries"
HEADER = ["iso2", "lang", "kind", "text"]
LOCALES = {
    "en": "en",
    "fr": "fr",
    "es": "es",
    "bs": "bs",
    "hr": "hr",
    "sr": "sr_Latn",
    "sr-Cyrl": "sr",
    "sq": "sq",
    "mk": "mk",
    "de": "de",
    "nl": "nl",
    "pl": "pl",
    "id": "id",
    "ru": "ru",
    "uk": "uk",
    "el": "el",
    "tr": "tr",
    "ar": "ar",
    "pt": "pt",
    "it": "it",
    "ro": "ro",
    "bg": "bg",
    "cs": "cs",
    "sk": "sk",
    "hu": "hu",
    "sv": "sv",
    "da": "da",
    "nb": "nb",
    "sl": "sl",
    "fi": "fi",
    "az": "az",
    "sw": "sw",
    "fa": "fa",
    "vi": "vi",
    "et": "et",
    "lv": "lv",
    "lt": "lt",
    "ka": "ka",
    "hy": "hy",
    "zh": "zh",
    "ja": "ja",
    "ko": "ko",
    "th": "th",
}
LANGS = list(LOCALES)
# more CLDR locales read into one language's names, as aliases: Traditional Chinese names under zh
ALIAS_LOCALES = {"zh": "zh_Hant"}
KINDS = ["name", "official", "alias", "demonym", "adjective", "form"]
_ARTICLE = re.compile(r"^(the|la|le|les|l'|l’|el|los|las)\s*", re.IGNORECASE)
_PAREN_ARTICLE = re.compile(r"\s*\((the|la|le|les|l'|l’|el|los|las)\)$", re.IGNORECASE)

_LAT2CYR = [
    ("dž", "џ"),
    ("Dž", "Џ"),
    ("DŽ", "Џ"),
    ("lj", "љ"),
    ("Lj", "Љ"),
    ("LJ", "Љ"),
    ("nj", "њ"),
    ("Nj", "Њ"),
    ("NJ", "Њ"),
]
_LAT2CYR_1 = dict(
    zip(
        "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
        "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
        strict=True,
    )
)


def to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin to Serbian Cyrillic (digraphs first)."""
    for lat, cyr in _LAT2CYR:
        text = text.replace(lat, cyr)
    return "".join(_LAT2CYR_1.get(ch, ch) for ch in text)


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(" *", "")).strip()


def cldr_rows(countries: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    rows = []
    territories = {lang: Locale.parse(loc).territories for lang, loc in LOCALES.items()}
    for c in countries:
        iso2 = c["iso2"]
        rows.append((iso2, "en", "name", c["name"]))
        for lang in LANGS:
            text = territories[lang].get(iso2)
            if not text:
                continue
            if lang == "en":
                if text != c["name"]:
                    rows.append((iso2, "en", "alias", text))
            else:
                rows.append((iso2, lang, "name", text))
        for lang, loc in ALIAS_LOCALES.items():
            text = Locale.parse(loc).territories.get(iso2)
            if text and text != territories[lang].get(iso2):
                rows.append((iso2, lang, "alias", text))
    return rows


def unterm_rows(csv_path: Path, codes: set[str]) -> list[tuple[str, str, str, str]]:
    rows = []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            iso2 = rec["ISO3166-1-Alpha-2"].strip()
            if iso2 not in codes:
                continue
            for lang, col in (("en", "English"), ("fr", "French"), ("es", "Spanish")):
                formal = _ARTICLE.sub("", _clean(rec.get(f"UNTERM {col} Formal", "")))
                short = _PAREN_ARTICLE.sub("", _clean(rec.get(f"UNTERM {col} Short", "")))
                if formal:
                    rows.append((iso2, lang, "official", formal))
                if short:
                    rows.append((iso2, lang, "alias", short))
    return rows


def build(countries_tsv: Path, extra_tsv: Path, drop_tsv: Path, country_codes: Path | None):
    countries = _read_tsv(countries_tsv)
    codes = {c["iso2"] for c in countries}
    rows = cldr_rows(countries)
    if country_codes:
        rows += unterm_rows(country_codes, codes)
    for rec in _read_tsv(extra_tsv):
        row = (rec["iso2"], rec["lang"], rec["kind"], rec["text"].strip())
        rows.append(row)
        if row[1] == "sr" and row[2] in {"form", "adjective", "alias"}:
            rows.append((row[0], "sr-Cyrl", row[2], to_cyrillic(row[3])))
    drops = {(d["iso2"], d["lang"], d["text"].casefold()) for d in _read_tsv(drop_tsv)}

    errors = []
    best: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    for iso2, lang, kind, text in rows:
        if iso2 not in codes:
            errors.append(f"unknown iso2 {iso2!r} in row {(iso2, lang, kind, text)}")
        if lang not in LOCALES or kind not in KINDS or not text:
            errors.append(f"bad lang/kind/text in row {(iso2, lang, kind, text)}")
            continue
        key = text.casefold()
        if (iso2, lang, key) in drops or (iso2, "*", key) in drops:
            continue
        k = (iso2, lang, key)
        if k not in best or KINDS.index(kind) < KINDS.index(best[k][2]):
            best[k] = (iso2, lang, kind, text)

    owners: dict[str, set[str]] = defaultdict(set)
    for iso2, _lang, _kind, text in best.values():
        owners[text.casefold()].add(iso2)
    for text, isos in sorted(owners.items()):
        if len(isos) > 1:
            errors.append(f"ambiguous text {text!r} -> {sorted(isos)}; add it to the drop file")
    out = sorted(
        best.values(),
        key=lambda r: (r[0], LANGS.index(r[1]), KINDS.index(r[2]), r[3].casefold(), r[3]),
    )
    return out, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=Path, default=DICT / "countries.tsv")
    parser.add_argument("--extra", type=Path, default=DICT / "country-names-extra.tsv")
    parser.add_argument("--drop", type=Path, default=DICT / "country-names-drop.tsv")
    parser.add_argument("--country-codes", type=Path, default=None)
    parser.add_argument("-o", "--out", type=Path, default=DICT / "country-names.tsv")
    args = parser.parse_args(argv)
    rows, errors = build(args.countries, args.extra, args.drop, args.country_codes)
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        return 1
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(HEADER) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
