#!/usr/bin/env python3
"""Fill ``data/languages/sr-Cyrl.json`` from ``bs.json`` by Serbian Latin -> Cyrillic transliteration, and the
``sr-Cyrl`` aliases of ``data/dictionaries/organizations.json`` from their ``sr`` (Latin) aliases.

Serbian is written in both scripts with the same words, so the Cyrillic profile's cues, nouns, ordinals and
titles are the Latin (BCS) profile's, transliterated, added to what ``sr-Cyrl.json`` itself holds (its own
entries are kept and come first). Keys that are the Cyrillic profile's own (code, script, function words,
calendar extras, year suffixes) are left alone. Idempotent: run after editing either profile.

usage: python tools/gen_sr_cyrl.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LANGS = Path(__file__).resolve().parent.parent / "data" / "languages"
ORGS = LANGS.parent / "dictionaries" / "organizations.json"
OWN = {"code", "name", "script", "also", "cldr", "stemmer", "function_words", "months_extra", "weekdays_extra",
       "year_suffixes", "name_templates"}
_DIGRAPHS = {"dž": "џ", "Dž": "Џ", "DŽ": "Џ", "lj": "љ", "Lj": "Љ", "LJ": "Љ", "nj": "њ", "Nj": "Њ", "NJ": "Њ"}
_LETTERS = dict(zip("abcčćdđefghijklmnoprsštuvzžABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ",
                    "абцчћдђефгхијклмнопрсштувзжАБЦЧЋДЂЕФГХИЈКЛМНОПРСШТУВЗЖ", strict=True))


def to_cyrillic(text: str) -> str:
    for lat, cyr in _DIGRAPHS.items():
        text = text.replace(lat, cyr)
    return "".join(_LETTERS.get(c, c) for c in text)


def _words(value: object, keys: bool = True) -> object:
    """Transliterated words; dict keys too unless they are field names (the directions of a cue table)."""
    if isinstance(value, str):
        return to_cyrillic(value)
    if isinstance(value, list):
        return [to_cyrillic(v) for v in value]
    if isinstance(value, dict):
        return {(to_cyrillic(k) if keys else k): (_words(v) if isinstance(v, list | dict) else v)
                for k, v in value.items()}
    return value


def _merge(own: object, theirs: object) -> object:
    if isinstance(own, list) and isinstance(theirs, list):
        return list(dict.fromkeys([*own, *theirs]))
    if isinstance(own, dict) and isinstance(theirs, dict):
        out = dict(own)
        for k, v in theirs.items():
            out[k] = _merge(own[k], v) if k in own and isinstance(v, list | dict) else own.get(k, v)
        return out
    return own


def generate() -> str:
    latin = json.loads((LANGS / "bs.json").read_text(encoding="utf-8"))
    cyr = json.loads((LANGS / "sr-Cyrl.json").read_text(encoding="utf-8"))
    out = dict(cyr)
    for key, value in latin.items():
        if key in OWN:
            continue
        translit = _words(value, keys=not key.endswith("_cues"))
        out[key] = _merge(cyr[key], translit) if key in cyr else translit
    order = [*latin, *(k for k in cyr if k not in latin)]
    return json.dumps({k: out[k] for k in order if k in out}, ensure_ascii=False, indent=1)


def organizations() -> str:
    orgs = json.loads(ORGS.read_text(encoding="utf-8"))
    for o in orgs:
        latin = o.get("aliases", {}).get("sr", [])
        if latin:
            own = o["aliases"].get("sr-Cyrl", [])
            o["aliases"]["sr-Cyrl"] = list(dict.fromkeys([*own, *(to_cyrillic(x) for x in latin)]))
    return json.dumps(orgs, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    stale = []
    for path, text in ((LANGS / "sr-Cyrl.json", generate()), (ORGS, organizations())):
        if "--check" in sys.argv[1:]:
            if path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"{', '.join(stale)} not current: run tools/gen_sr_cyrl.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
