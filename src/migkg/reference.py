"""Reference data, loaded once per process: the dictionaries of ``data/dictionaries/`` (countries and their
names in every language, organizations, regions, programmes, places) and a trie that finds their names in
text. Read by extract and build alike; it holds no extraction rule.

Names are matched token by token, ignoring case and accents, except that a form written in
capitals (an acronym such as ``IOM`` or ``US``) must match its case exactly and a capitalized
form must not match a lower-case word ("Chad" the country, not "chad").
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import product
from typing import Any, NamedTuple

from migkg import dictcache
from migkg.languages import profiles, unspaced_letters
from migkg.names import fold
from migkg.resources import resource


class Entry(NamedTuple):
    """One name of one thing: ``kind`` is country, org or region; ``key`` its ISO code or id. (A named tuple,
    not a dataclass: the compiled dictionaries hold 50,000 of them and unpickle ten times faster so.)"""

    kind: str
    key: str
    form: str
    form_kind: str  # name, official, alias, demonym, adjective, form, acronym
    lang: str
    exact_case: bool


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int
    end: int
    text: str


# A trie node is a plain dict: its children by folded token, and under the key "" (never a token) the entries of
# the names that end there. Plain dicts, not objects, make the compiled dictionaries quick to unpickle.
_Node = dict[str, Any]
_ENTRIES = ""


@cache
def _token_rx() -> re.Pattern[str]:
    """Runs of word characters and single punctuation marks; a letter of a script whose words are glued
    (``letters`` of a profile: Chinese, Japanese, Thai, Korean) is a token of its own, so a name is
    matched as a run of them inside a longer one."""
    glued, spaced = unspaced_letters()
    letters = glued + spaced
    if not letters:
        return re.compile(r"\w+|[^\w\s]")
    return re.compile(rf"[{letters}]|[^\W{letters}]+|[^\w\s]")


@cache
def _spaced_rx() -> re.Pattern[str] | None:
    """A letter of a script that spaces its words but glues endings onto them (Korean): a name starts a word."""
    spaced = unspaced_letters()[1]
    return re.compile(rf"[{spaced}]") if spaced else None


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Split text into (token, start, end): runs of word characters and single punctuation marks."""
    return [(m.group(), m.start(), m.end()) for m in _token_rx().finditer(text.replace("’", "'"))]


def _key_tokens(form: str) -> list[str]:
    return [fold(t) or t for t, _, _ in tokens(form)]


_FOUND_KEPT = 1 << 15  # texts whose matches a trie keeps


class Trie:
    """Longest-match lookup of multi-token names."""

    def __init__(self) -> None:
        self._root: _Node = {}

    def add(self, entry: Entry) -> None:
        node = self._root
        for tok in _key_tokens(entry.form):
            node = node.setdefault(tok, {})
        entries = node.setdefault(_ENTRIES, [])
        if entry not in entries:
            entries.append(entry)

    def find(self, text: str, kinds: tuple[str, ...] | None = None, suffixes: tuple[str, ...] = ()) -> list[Match]:
        """All longest, non-overlapping matches in text, left to right. A mask (a name that holds a
        country's name but denotes something else: "New Mexico", "Latin America") takes its span and
        yields nothing. ``suffixes`` are case endings a language writes onto a name's last word
        ("Szerbiában", "Budapesten"): a word that is a name's last word plus one of them ends the match.

        The answers are kept (up to ``_FOUND_KEPT`` texts, then forgotten at once): the same names and places are
        looked up again and again, within a release and across releases."""
        found = self.__dict__.get("_found")
        if found is None:  # (a trie loaded from the compiled dictionaries has none yet)
            found = self.__dict__["_found"] = {}
        key = (text, kinds, suffixes)
        hit = found.get(key)
        if hit is None:
            if len(found) >= _FOUND_KEPT:
                found.clear()
            hit = found[key] = tuple(Match(e, a, b, text[a:b]) for a, b, e in self.scan(text, kinds, suffixes).names
                                     if e.kind != "mask")
        return list(hit)

    def __getstate__(self) -> dict[str, Any]:
        """What is pickled (the compiled dictionaries): the trie, not the answers kept."""
        return {k: v for k, v in self.__dict__.items() if k != "_found"}

    def scan(self, text: str, kinds: tuple[str, ...] | None = None, suffixes: tuple[str, ...] = ()) -> Scan:
        """What :meth:`find` reads: the text's tokens and its names, masks included, as (start, end, entry)."""
        if kinds is not None and "country" in kinds:
            kinds = (*kinds, "mask")
        suffixes = _fold_all(suffixes)
        toks = tokens(text)
        words = [t for t, _, _ in toks]
        folded = [fold(t) or t for t in words]
        out: list[tuple[int, int, Entry]] = []
        spaced = _spaced_rx()
        root = self._root
        # where a name may start: any word when endings may be glued on, else a word that starts one (few words)
        starts = range(len(toks)) if suffixes else [i for i, f in enumerate(folded) if f in root]
        after = 0  # the word after the last name found: the next name starts there or later
        for i in starts:
            if i < after:
                continue
            if spaced and i and toks[i - 1][2] == toks[i][1] and spaced.match(text, toks[i - 1][1]):
                continue  # inside a word of glued endings ("국제이주기구는"): no name starts here
            node = root
            best: tuple[int, list[Entry]] | None = None
            j = i
            while j < len(toks) and folded[j] in node:
                node = node[folded[j]]
                j += 1
                entries = node.get(_ENTRIES)  # most nodes are inside longer names only
                if entries:
                    surface = tuple(words[i:j])  # (the words a name's entries are checked against, made once)
                    ok = [e for e in entries if (kinds is None or e.kind in kinds) and _case_ok(e, surface)]
                    if ok:
                        best = (j, ok)
                if j < len(toks) and suffixes and folded[j] not in node:
                    glued = _suffixed(node, folded[j], suffixes, kinds, tuple(words[i:j + 1]))
                    if glued:
                        best = (j + 1, glued)
            if not best and suffixes:  # a one-word name with its ending: "Szerbiában"
                glued = _suffixed(self._root, folded[i], suffixes, kinds, (words[i],))
                best = (i + 1, glued) if glued else None
            if best:
                j, entries = best
                start, end = toks[i][1], toks[j - 1][2]
                # "U.S." ends with a dot that belongs to the name; keep it
                out.append((start, end, _prefer(entries)))
                after = j
        return Scan(text, toks, out)


@dataclass(frozen=True)
class Scan:
    """A text's tokens and the names :meth:`Trie.scan` found in it (masks included), so that the names of a part of
    the text can be read off without scanning it again (:meth:`within`)."""

    text: str
    tokens: list[tuple[str, int, int]]
    names: list[tuple[int, int, Entry]]

    def within(self, start: int, end: int) -> list[Match] | None:
        """The matches ``find(text[start:end])`` gives, with offsets in that part, read off this scan; None when
        the part's edges could make them differ (a name or a word across an edge, a word glued to the one
        before), and the part must be scanned alone."""
        toks = self.tokens
        first = bisect_left(toks, start, key=lambda t: t[1])
        last = bisect_left(toks, end, key=lambda t: t[1])  # tokens first … last - 1 start inside the part
        if (first and toks[first - 1][2] >= start) or (last and toks[last - 1][2] > end):
            return None
        # the names are left to right and do not overlap: of those starting before an edge, only the last can cross it
        names, starts = self.names, self._starts
        first = bisect_left(starts, start)
        last = bisect_left(starts, end)  # names first … last - 1 start inside the part
        if (first and names[first - 1][1] > start) or (last and names[last - 1][1] > end):
            return None
        part = self.text[start:end]
        return [Match(e, a - start, b - start, part[a - start:b - start]) for a, b, e in names[first:last]
                if e.kind != "mask"]

    @cached_property
    def _starts(self) -> list[int]:
        return [a for a, _, _ in self.names]


@cache
def _fold_all(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({fold(w).strip() for w in words if fold(w)}, key=len, reverse=True))


def _suffixed(node: _Node, word: str, suffixes: tuple[str, ...], kinds: tuple[str, ...] | None,
              surface: tuple[str, ...]) -> list[Entry]:
    """The entries a name ending in ``word`` minus one of ``suffixes`` (folded) reaches, if any."""
    for suffix in suffixes:
        stem = word[:-len(suffix)]
        if not word.endswith(suffix) or len(stem) < 3 or stem not in node:
            continue
        ok = [e for e in node[stem].get(_ENTRIES, ()) if (kinds is None or e.kind in kinds)
              and not e.exact_case and _case_ok(e, surface)]
        if ok:
            return ok
    return []


def _case_ok(entry: Entry, surface: tuple[str, ...]) -> bool:
    """Whether the words of the text (``surface``) are written as a name of ``entry`` may be."""
    form = _form_words(entry.form)
    if entry.exact_case:  # Turkish keyboards write acronyms with a dotted capital: "UNİCEF", "İOM"
        return surface == form or tuple(t.replace("İ", "I") for t in surface) == form
    if len(form) == 1 and len(form[0]) <= 3 and surface[0].lower() != form[0].lower():
        return False  # a short name keeps its accents: Vietnamese "Áo" (Austria) is not Portuguese "Ao"
    first = surface[0]
    if entry.kind == "country" and len(form) == len(surface):  # "La réunion" (a meeting) is not "La Réunion"
        return all(s[:1].isupper() or not f[:1].isupper() for s, f in zip(surface, form, strict=True))
    return not (form[0][:1].isupper() and not first[:1].isupper())


@cache
def _form_words(form: str) -> tuple[str, ...]:
    """The tokens of a dictionary form, split once (a form is checked for every match of its words)."""
    return tuple(t for t, _, _ in tokens(form))


def _prefer(entries: list[Entry]) -> Entry:
    rank = {"name": 0, "official": 1, "acronym": 2, "alias": 3, "form": 4, "adjective": 5, "demonym": 6}
    return sorted(entries, key=lambda e: (e.kind not in ("org", "programme"), rank.get(e.form_kind, 9)))[0]


def inflected(name: str, lang: str) -> list[str]:
    """Case forms of a name in an inflecting language, from its profile's ``inflections`` (ending -> other
    endings): the words before the first joiner ("Ministarstvo sigurnosti" -> "Ministarstva sigurnosti",
    "Ministarstvom sigurnosti"; "Granična policija" -> "Granične policije" …). Over-generation is harmless:
    a form no text uses is never matched."""
    profile = profiles().get(lang)
    rules = profile.inflections if profile else {}
    if not rules:
        return []
    words = name.split()
    stop = {w.lower() for w in (*profile.of_words, *profile.conjunctions, *profile.source_prepositions,  # type: ignore[union-attr]
                                 *profile.beneficiary_prepositions, *profile.place_prepositions)}  # type: ignore[union-attr]
    head = 0
    while head < min(len(words), 2) and words[head].lower() not in stop and not _exact(words[head]):
        head += 1
    options: list[list[str]] = []
    for w in words[:head]:
        ends = sorted((e for e in rules if w.lower().endswith(e)), key=len, reverse=True)
        stem = w[:len(w) - len(ends[0])] if ends else w
        options.append([w, *(stem + r for r in (rules[ends[0]] if ends else []))])
    out: list[str] = []
    for combo in product(*options):
        form = " ".join((*combo, *words[head:]))
        if form != name and form not in out:
            out.append(form)
    return out


def _exact(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 8


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    numeric: str
    wikidata: str
    geonames: str
    name: str


@dataclass(frozen=True)
class OrgEntry:
    id: str
    name: str
    acronym: str | None
    aliases: dict[str, list[str]]
    country: str | None
    parent: str | None
    kind: str
    wikidata: str | None
    iati: str | None
    umbrella: bool = False  # its organs named with it ("UN Country Team") stand alone: it is no actor through them


@dataclass(frozen=True)
class TimedName:
    """A name of a country or organization with the dates it was in force (ISO dates, inclusive; None:
    open), from ``data/dictionaries/renamings.tsv``; ``key`` is the ISO alpha-2 code or the dictionary id."""

    kind: str  # country, organization
    key: str
    lang: str
    name: str
    acronym: str | None
    valid_from: str | None
    valid_through: str | None
    source: str

    @property
    def current(self) -> bool:
        return self.valid_through is None


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    members: tuple[str, ...]
    names: tuple[tuple[str, str], ...]  # (lang, form)


class Dictionaries:
    """Everything under ``data/dictionaries/``, loaded once."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.country_names: dict[str, dict[str, list[tuple[str, str]]]] = {}  # iso2 -> lang -> [(kind, text)]
        self.orgs: dict[str, OrgEntry] = {}
        self.regions: dict[str, Region] = {}
        self.triggers: dict[str, Any] = {}
        self.renamings: dict[tuple[str, str], list[TimedName]] = {}  # (kind, key) -> names, oldest first
        self.trie = Trie()
        self._load()
        self._load_renamings()

    def _load(self) -> None:
        self.triggers = json.loads(resource("dictionaries", "triggers.json").read_text(encoding="utf-8"))
        for text, iso2 in self.triggers.get("country_masks", {}).items():
            # "Republika Srpska" is in BA, not Serbia; "New Mexico" is no country at all
            self.trie.add(Entry("country" if iso2 else "mask", iso2 or text, text, "form", "", False))
        with resource("dictionaries", "countries.tsv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                c = Country(row["iso2"], row["iso3"], row["numeric"], row["wikidata"], row["geonames"],
                            row["name"])
                self.countries[c.iso2] = c
                self.trie.add(Entry("country", c.iso2, c.name, "name", "en", _exact(c.name)))
        with resource("dictionaries", "country-names.tsv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                iso2, text = row["iso2"], row["text"].strip()
                if iso2 not in self.countries or not text:
                    continue
                self.country_names.setdefault(iso2, {}).setdefault(row["lang"], []).append((row["kind"], text))
                self.trie.add(Entry("country", iso2, text, row["kind"], row["lang"], _exact(text)))
        for obj in json.loads(resource("dictionaries", "organizations.json").read_text(encoding="utf-8")):
            o = OrgEntry(obj["id"], obj["name"], obj.get("acronym"), obj.get("aliases") or {},
                         obj.get("country"), obj.get("parent"), obj.get("kind") or "other",
                         obj.get("wikidata"), obj.get("iati"), bool(obj.get("umbrella")))
            self.orgs[o.id] = o
            self.trie.add(Entry("org", o.id, o.name, "name", "en", False))
            if o.acronym:
                self.trie.add(Entry("org", o.id, o.acronym, "acronym", "en", True))
            for lang, forms in o.aliases.items():
                for form in forms:
                    kind = "acronym" if _exact(form) else "alias"
                    self.trie.add(Entry("org", o.id, form, kind, lang, _exact(form)))
                    for other in () if _exact(form) else inflected(form, lang):
                        self.trie.add(Entry("org", o.id, other, "alias", lang, False))
        with resource("dictionaries", "regions.tsv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        grouped: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            grouped.setdefault(row["id"], []).append(row)
        for rid, group in grouped.items():
            members = next((tuple(r["members"].split()) for r in group if r.get("members")), ())
            english = next((r["name"] for r in group if r["lang"] == "en"), group[0]["name"])
            names = tuple((r["lang"], r["name"]) for r in group)
            self.regions[rid] = Region(rid, english, members, names)
            for lang, form in names:
                self.trie.add(Entry("region", rid, form, "name", lang, False))
        self.programmes: dict[str, dict[str, Any]] = {}
        for obj in json.loads(resource("dictionaries", "programmes.json").read_text(encoding="utf-8")):
            self.programmes[obj["id"]] = obj
            forms = [obj["title"], *(a for forms in (obj.get("aliases") or {}).values() for a in forms)]
            for form in forms:
                self.trie.add(Entry("programme", obj["id"], form, "name", "en", False))
            if obj.get("acronym"):
                self.trie.add(Entry("programme", obj["id"], obj["acronym"], "acronym", "en", True))
        self.places = Trie()  # only looked up where the text speaks of a place ("in X", datelines)
        self.place_country: dict[str, str] = {}
        stop = set(self.triggers.get("place_stopwords", []))
        rows: list[dict[str, str]] = []
        for name in ("places.tsv", "places-extra.tsv"):
            with resource("dictionaries", name).open(encoding="utf-8", newline="") as f:
                rows.extend(csv.DictReader(f, delimiter="\t"))
        # names that fold alike ("Tripoli", "Trípoli"): the most populous place is the one meant
        rows.sort(key=lambda row: -int(row.get("population") or 0))
        for row in rows:
            if row["iso2"] not in self.countries or row["name"] in stop:
                continue
            key = (row.get("of") or "").strip() or row["name"]  # a declined form names its nominative
            self.places.add(Entry("place", key, row["name"], "name", "", False))
            self.place_country.setdefault(key, row["iso2"])

    def _load_renamings(self) -> None:
        """Names in force over dates: the current English one becomes the country's name; every one,
        former names and acronyms too, is found in text as the same country or organization."""
        with resource("dictionaries", "renamings.tsv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                t = TimedName(row["kind"], row["key"], row["lang"], row["name"], row["acronym"] or None,
                              row["valid_from"] or None, row["valid_through"] or None, row["source"])
                known = self.countries if t.kind == "country" else self.orgs
                if t.key not in known:
                    raise ValueError(f"renamings.tsv: unknown {t.kind} {t.key!r}")
                self.renamings.setdefault((t.kind, t.key), []).append(t)
                kind = "country" if t.kind == "country" else "org"
                self.trie.add(Entry(kind, t.key, t.name, "alias", t.lang, _exact(t.name)))
                if t.acronym:
                    self.trie.add(Entry(kind, t.key, t.acronym, "acronym", t.lang, True))
        for (kind, key), names in self.renamings.items():
            names.sort(key=lambda t: t.valid_from or "")
            now = [t for t in names if t.current and t.lang == "en"]
            if kind == "country" and now:
                c = self.countries[key]
                self.countries[key] = Country(c.iso2, c.iso3, c.numeric, c.wikidata, c.geonames, now[-1].name)

    def country_label(self, iso2: str, lang: str = "en") -> str:
        if lang == "en":
            return self.countries[iso2].name
        for kind, text in self.country_names.get(iso2, {}).get(lang, []):
            if kind == "name":
                return text
        return self.countries[iso2].name

    def adjective_country(self, word: str) -> str | None:
        """The country an English adjective or demonym names ("Albanian" -> AL), if unambiguous."""
        for m in self.trie.find(word, kinds=("country",)):
            if m.start == 0 and m.end == len(word):
                return m.entry.key
        return None


@cache
def load() -> Dictionaries:
    """The dictionaries, loaded once per process: from the compiled copy :mod:`migkg.dictcache` keeps when it
    was built from the same data files and code, else built (and that copy written)."""
    key = dictcache.digest(("dictionaries", "languages"), (__name__, "migkg.names", "migkg.languages"))
    return dictcache.cached("dictionaries", key, Dictionaries)
