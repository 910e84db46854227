"""Where an event happened: a city after "in"/"at" in the event's sentence, else the dateline.

Place names come from ``data/dictionaries/places.tsv`` (GeoNames extract) and are looked up only
where the text speaks of a place, so a town called "Police" or "Bar" is never read out of prose.
A country standing alone as the place gives a location country and no city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from migkg.extract.patterns import glued, glued_before
from migkg.reference import Dictionaries

_CUE = re.compile(r"(?<!\w)(?:in|at|near|held in|took place in|hosted in|à|en|au|dans|a|në)\s+"
                  r"(?:the\s+(?:city|town|capital|village)\s+of\s+)?",
                  re.I)
_DATELINE_END = re.compile(r"\s[–—-]\s|\s[–—-]$|:\s|/[A-Z]+\b|\s[–—-](?=[A-Z])")


@dataclass(frozen=True)
class Place:
    name: str | None  # None when only the country is known
    iso2: str | None
    start: int  # offset in the searched text


def _country_at(d: Dictionaries, text: str) -> tuple[str, int] | None:
    for m in d.trie.find(text[:60], kinds=("country",)):
        if m.start == 0 and m.entry.form_kind not in ("adjective", "demonym"):
            return m.entry.key, m.end
        break
    return None


@cache
def _ending_rx(suffix: str) -> re.Pattern[str]:
    """A case ending for "in" written onto a word ("-ban", "’da"); compiled once (glued() makes it long)."""
    return re.compile(glued(rf"(?<=\w){re.escape(suffix)}\b"))


def _place_at(d: Dictionaries, text: str) -> Place | None:
    """A city (optionally followed by its country) or a country, right at the start of text."""
    found = d.places.find(text[:80])
    if found and found[0].start == 0 and text[found[0].end:found[0].end + 1] not in ("-", "–"):
        m = found[0]
        name = m.entry.key
        iso2 = d.place_country.get(name)
        rest = text[m.end:]
        tail = re.match(r"\s*(?:,\s*|\(\s*)", rest)
        if tail:
            c = _country_at(d, rest[tail.end():])
            if c:
                iso2 = c[0]
        country_first = _country_at(d, text)
        if country_first and country_first[1] >= m.end and d.place_country.get(name) != country_first[0]:
            return Place(None, country_first[0], 0)  # "Niger" the country, not a town called Niger
        # (a capital some language names its country after, "Tunis", is the city)
        return Place(name, iso2, 0)
    c = _country_at(d, text)
    if c:
        gap = 1 if text[c[1]:c[1] + 1] in (" ", "・") else 0
        city = d.places.find(text[c[1] + gap:c[1] + gap + 40]) if gap or glued_before(text, c[1]) else []
        if city and city[0].start == 0 and d.place_country.get(city[0].entry.key) == c[0]:
            # "马来西亚吉隆坡", "カンボジア・プノンペン": the country, then its city
            return Place(city[0].entry.key, c[0], 0)
        return Place(None, c[0], 0)
    town = _UNLISTED.match(text)  # "in Jahorina, Bosnia and Herzegovina": a place the gazetteer lacks, placed
    if town and not _country_at(d, town.group(1)):
        c = _country_at(d, text[town.end():])
        if c and not re.match(r"[\w-]", text[town.end() + c[1]:town.end() + c[1] + 1]):
            return Place(town.group(1), c[0], 0)
    return None


_UNLISTED = re.compile(r"([A-Z][^\W\d_]{2,}(?:[ -][A-Z][^\W\d_]{2,})?),\s*")


@cache
def _cues(prepositions: tuple[str, ...]) -> re.Pattern[str]:
    prepositions = tuple(w for w in prepositions if w[:1] not in "'’-" and w[-1:] != "-")  # glued: read apart (below)
    if not prepositions:
        return _CUE
    words = "|".join(re.escape(w) for w in sorted(prepositions, key=len, reverse=True))
    return re.compile(_CUE.pattern.replace("(?:in|", f"(?:{words}|in|", 1), re.I)


@cache
def _named_rx(nouns: tuple[str, ...], articles: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A place the gazetteer lacks, named with a place noun: after it ("Gjirokastra Region", "the Spuz Reception
    Center"; the noun capitalised, as a proper name writes it) or before it ("Punctul de Trecere a Frontierei
    Palanca", "le centre de transit d'Agadez"; the name capitalised). Groups: ``name`` and ``noun``."""
    alt = "|".join(re.escape(w) for w in sorted(nouns, key=len, reverse=True))
    art = "|".join(re.escape(w) for w in sorted(articles, key=len, reverse=True) if w[-1:] not in "'’")
    lead = rf"(?:(?:{art})\s+)?" if art else ""
    word = r"[^\W\d_][\w'’.-]*"
    after = re.compile(rf"{lead}(?P<name>(?:{word}\s+){{1,3}}?)(?P<noun>{alt})(?![\w-])", re.I)
    before = re.compile(rf"{lead}(?P<noun>{alt})(?P<name>(?:\s+[^\W\d_]{{1,3}}\s+|\s+|\s*[^\W\d_]['’])"
                        rf"{word}(?:\s+{word})?)", re.I)
    return after, before


def _named_place(d: Dictionaries, text: str, nouns: tuple[str, ...], articles: tuple[str, ...]) -> Place | None:
    after, before = _named_rx(nouns, articles)
    m = after.match(text)
    if m:
        name = " ".join(m.group("name").split())
        whole = f"{name} {m.group('noun')}"
        if all(w[:1].isupper() for w in whole.split()) and not d.trie.find(name, kinds=("country", "region", "org")):
            town = [x for x in d.places.find(name) if x.start == 0]
            return Place(whole, d.place_country.get(town[0].entry.key) if town else None, 0)
    m = before.match(text)
    if m:
        words = list(re.finditer(r"[^\W\d_][\w-]*", m.group("name")))  # "d’Agadez": "d", "Agadez"
        k = next((i for i, w in enumerate(words) if w.group()[:1].isupper()), None)
        if k is not None and k >= len(words) - 2:  # one or two capitalised words close it ("… Palanca pe")
            names = [w.group() for w in words[k:] if w.group()[:1].isupper()]
            if names == [w.group() for w in words[k:k + len(names)]]:
                end = m.start("name") + words[k + len(names) - 1].end()
                town = [x for x in d.places.find(names[0]) if x.start == 0]
                if not d.trie.find(" ".join(names), kinds=("country", "region", "org")):
                    return Place(" ".join(text[m.start("noun"):end].split()),
                                 d.place_country.get(town[0].entry.key) if town else None, 0)
    return None


def event_location(d: Dictionaries, text: str, after: int = 0, prepositions: tuple[str, ...] = (),
                   nouns: tuple[str, ...] = (), articles: tuple[str, ...] = ()) -> Place | None:
    """The first city named after a place cue (after ``after`` if possible), else a country so named, else a
    place the gazetteer lacks named with one of ``nouns`` ("Gjirokastra Region"); ``prepositions`` are the
    section language's place prepositions, added to the built-in cues."""
    best_city: Place | None = None
    best_country: Place | None = None
    for m in _cues(prepositions).finditer(text):
        p = _place_at(d, text[m.end():])
        if p is None:
            continue
        p = Place(p.name, p.iso2, m.end())
        if p.name:
            if best_city is None or (best_city.start < after <= p.start):
                best_city = p
                if p.start >= after:
                    break
        elif best_country is None:
            best_country = p
    # a case ending for "in": after an apostrophe ("Ankara’da") or, written with a hyphen, glued on
    # ("-ban": "Debrecenben")
    suffixes = [w for w in prepositions if w[:1] in "'’"] + [w[1:] for w in prepositions if w[:1] == "-" and w[1:]]
    if best_city is None and suffixes:
        ends: dict[int, list[int]] = {}  # word end -> where each ending that closes it starts (shortest ending first)
        for suffix in suffixes:
            for m in _ending_rx(suffix).finditer(text):
                ends.setdefault(m.end(), []).append(m.start())
        for stop in sorted(ends):
            for at in sorted(ends[stop], reverse=True):
                if glued_before(text, at):  # "東京で", "방콕에서": a place whose name ends where the ending starts
                    head = text[max(0, at - 40):at]
                    found = [f for f in d.places.find(head) if f.end == len(head)]
                    if found:
                        return Place(found[0].entry.key, d.place_country.get(found[0].entry.key), at)
                words = list(re.finditer(r"[^\W\d][\w-]*", text[max(0, at - 40):at]))[-2:]
                for w in words:
                    head = text[max(0, at - 40) + w.start():at]
                    found = d.places.find(head)
                    if found and found[0].start == 0 and found[0].end == len(head):
                        return Place(found[0].entry.key, d.place_country.get(found[0].entry.key), at)
                    c = _country_at(d, head)
                    if best_country is None and c and c[1] == len(head):
                        best_country = Place(None, c[0], at)
            word = re.search(r"[^\W\d][\w-]*$", text[:stop])  # a declined form the gazetteer lists ("Tampereella")
            found = d.places.find(word.group()) if word else []
            if word and found and found[0].start == 0 and found[0].end == len(word.group()):
                return Place(found[0].entry.key, d.place_country.get(found[0].entry.key), word.start())
    prefixes = [w[:-1] for w in prepositions if w[-1:] == "-" and w[:-1]]  # written onto the place: "ب-": "ببغداد"
    if best_city is None and prefixes:
        alt = "|".join(re.escape(w) for w in sorted(prefixes, key=len, reverse=True))
        for m in re.finditer(glued(rf"(?<!\w)(?:{alt})(?=\w)"), text):
            p = _place_at(d, text[m.end():])
            if p is not None and p.name:
                return Place(p.name, p.iso2, m.end())
    if best_city is None and best_country is None and nouns:
        for m in _cues(prepositions).finditer(text):
            head = text[:m.start()]
            if head.count("“") > head.count("”") or head.count('"') % 2 or head.count("«") > head.count("»"):
                continue  # inside a quoted title: "the project “Protecting Migrants in the Agadez Region”"
            p = _named_place(d, text[m.end():], nouns, articles)
            if p is not None:
                return Place(p.name, p.iso2, m.end())
    return best_city or best_country


def _dateline_head(section: str) -> str | None:
    """The words of a dateline before its end ("Budva", "26 November 2014, Addis Ababa, Ethiopia"), or None."""
    head = re.sub(r"^\s*\[[^\]\n]*\]\s*", "", section)[:120]  # "[Versioni shqip më poshtë]" before it
    end = _DATELINE_END.search(head)
    return head[:end.start()] if end and end.start() <= 90 else None


def dateline(d: Dictionaries, section: str) -> Place | None:
    """The place of a dateline ("Budva –", "Agadez, Niger –", "26 November 2014, Addis Ababa, Ethiopia:")."""
    head = _dateline_head(section)
    if head is None:
        return None
    city: str | None = None
    iso2: str | None = None
    for part in re.split(r"[,;()،]", head):
        part = part.strip()
        if not part:
            continue
        found = d.places.find(part)
        if found and found[0].start == 0 and found[0].end == len(part) and city is None:
            city = found[0].entry.key
            iso2 = iso2 or d.place_country.get(city)
            continue
        c = _country_at(d, part)
        if c and c[1] == len(part):
            iso2 = c[0]
    if city is None and iso2 is None:
        return None
    return Place(city, iso2, 0)


def dateline_names(d: Dictionaries, section: str) -> list[str]:
    """Every place a dateline names, listed ones or not ("Korça & Gjirokastra, December 2024 –": both; "Geneva,
    Switzerland –": Geneva): a name of capitalised words before the dateline's end, no country, no date."""
    head = _dateline_head(section)
    if head is None or "\n" in head:
        return []
    names = []
    for part in re.split(r"[,;()،&/]|\s+(?:and|et|y|e|i|и|und|ve)\s+", head):
        part = part.strip()
        if not part or re.search(r"\d", part) or _country_at(d, part):
            continue
        found = d.places.find(part)
        if found and found[0].start == 0 and found[0].end == len(part):
            names.append(found[0].entry.key)
        elif re.fullmatch(r"[^\W\d_][^\W\d_’'-]+(?:[ -][^\W\d_][^\W\d_’'-]+){0,2}", part) and all(
                w[:1].isupper() for w in re.split(r"[ -]", part)):
            names.append(part)
    return names
