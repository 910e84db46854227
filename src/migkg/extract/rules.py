"""The extraction rules: one pass over the sentences of a release's main section.

Order of work: footnotes and qualifications; organizations and countries (dictionary matches,
coordinated lists of national agencies, unseen names built around head nouns); programmes (a
programme noun with a quoted title, aligned with the other language sections); events (an event
noun with a date, ordinal or organizer verb) with their organizers, participants, places and
series; funding clauses. Precision first: a clause that does not fit a rule yields nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cache

from migkg.extract.gazetteer import Dictionaries, Match
from migkg.extract.money import Money, find_money
from migkg.extract.orgs import heads_in as _heads_in
from migkg.extract.orgs import initials_in_order, unseen_orgs
from migkg.extract.places import dateline, event_location
from migkg.extract.programmes import find_programmes
from migkg.extract.text import Sentence, footnotes, is_footnote, split_sentences
from migkg.extract.when import When, find_dates
from migkg.languages import for_language
from migkg.model import CountryMention, Event, Extraction, Fact, Org, Programme, Release, Span, Title
from migkg.names import fold, slug

_QUOTED = r"[“\"„«‘']\s*(?P<title>[^“”\"„«»]{6,300}?)\s*[”\"“»’']"
_ACRONYM = r"(?:\s*\((?P<acr>[A-Z][A-Za-z0-9\-–&]{1,15}(?:\s[IVX]+)?)\))?"
_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_CLAUSE_END = re.compile(r"[;:]|,\s+(?:which|who|where|while|and\s+(?:the|a|an)\b|in\s+order|to\s+\w+)|"
                         r"\s(?:in\s+the\s+framework|within|under|as\s+part)\b")


def roman(text: str) -> int | None:
    if not text or not _ROMAN.match(text):
        return None
    values = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


_NESTED = re.compile(r"(?P<unit>(?:[A-Z][\w-]*\s+){1,4}(?:Directorate|Department|Unit|Service|Office|Sector|Division))"
                     r",\s+(?P<parent>(?:Ministry|Department|Secretariat|Office)\s+of\s+(?:the\s+)?[A-Z][\w-]*"
                     r"(?:\s+(?:and\s+)?[A-Z][\w-]*)*),\s+(?P<country>[A-Z][\w' -]+?)(?=,|\.|;|\s+and\b)")
_PARTICIPLE_TAIL = re.compile(r"\s+(?:in|on|at|during|from|between|with)\b(?![^,.;]*\b(?:the|a|an|its|their)\s)")
_ASIDE = re.compile(r"(?:in\s+(?:its|their|his|her)\s+(?:role|capacity)\s+as|as\s+(?:the\s+)?[a-z]|which|who|"
                    r"acting\s+as|represented\s+by)\b", re.I)
_BODY_PLURALS = {"Forces": "Force", "Ministries": "Ministry", "Services": "Service", "Agencies": "Agency",
                 "Offices": "Office", "Authorities": "Authority", "Directorates": "Directorate",
                 "Commissions": "Commission", "Committees": "Committee", "Councils": "Council", "Societies": "Society",
                 "Units": "Unit", "Centres": "Centre", "Centers": "Center"}
_PLURAL_BODIES = re.compile(
    r"(?P<plural>(?:[A-Z][\w-]*\s+){0,3}(?:" + "|".join(_BODY_PLURALS) + r")"
    r"(?:\s+(?:for|of|on)\s+(?:[A-Z][\w-]*)(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w-]*)*)?)"
    r"(?:\s*\([^)]*\))?\s+(?:of|from|in)\s+(?:the\s+)?")


_INTERNATIONAL = {"un", "intergovernmental", "eu", "agency", "regional-process", "red-cross", "development-bank", "ngo"}


@cache
def _unit_rx(nouns: tuple[str, ...], preps: tuple[str, ...]) -> re.Pattern[str]:
    """' Regional Office in ', ' Delegation to ', ' Country Team', ' HQ' right after an organization's name."""
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    prep = "|".join(re.escape(p) for p in sorted({*preps, "to", "for"}, key=len, reverse=True))
    return re.compile(rf"[ \t]+({noun})\b(?:[ \t]+(?P<prep>(?:{prep})[ \t]+(?:the[ \t]+)?))?")


@cache
def _by_rx(markers: tuple[str, ...], preps: tuple[str, ...]) -> re.Pattern[str] | None:
    """A passive agent after a verb, maybe after a place or a date: "held in Skopje by", "hosted on 5 May by"."""
    if not markers:
        return None
    by = "|".join(re.escape(w) for w in sorted(markers, key=len, reverse=True))
    prep = "|".join(re.escape(w) for w in sorted(preps, key=len, reverse=True)) or "in"
    return re.compile(rf"(?:\s+(?:{prep})\s+[A-Z][\w'’-]*(?:,\s*[A-Z][\w'’-]*)?|\s+(?:\w+\s+)?\d[^,]*?)?\s+(?:{by})\b")


@cache
def _aux_rx(auxiliaries: tuple[str, ...]) -> re.Pattern[str] | None:
    """A passive auxiliary right before a verb ("was organized"): the verb's subject is no agent."""
    if not auxiliaries:
        return None
    aux = "|".join(re.escape(w) for w in sorted(auxiliaries, key=len, reverse=True))
    return re.compile(rf"\b(?:{aux})\s+(?:\w+ly\s+)?$", re.I)


def _singular(plural: str) -> str:
    return " ".join(_BODY_PLURALS.get(w, w) for w in plural.split())


@cache
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + body + r")\b", re.I)


def _inflected(a: str, b: str) -> bool:
    """Two names of the same words with other endings: each pair shares all but its last three letters."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or a == b:
        return False
    for x, y in zip(wa, wb, strict=True):
        common = len(os.path.commonprefix([x, y]))
        if x != y and (common < 4 or common < max(len(x), len(y)) - 3):
            return False
    return True


def _initialism(acronym: str, name: str) -> bool:
    """Whether an acronym abbreviates the name it follows: its letters are initials of the name's words,
    in order, starting with the first ("SOM" after "Task Forces for ... Smuggling of Migrants" is not)."""
    initials = [w[0].upper() for w in re.findall(r"[\w'’]+", name)]
    letters = [c for c in acronym.upper() if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    return initials_in_order("".join(letters), initials)


@cache
def _anchors(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The longest word of each phrase: a cheap test before running a long alternation."""
    return tuple({max(p.lower().replace("-", " ").split(), key=len) for p in phrases})


@cache
def _words_rx(prefix: str, words: tuple[str, ...], suffix: str) -> re.Pattern[str]:
    return re.compile(prefix + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + suffix, re.I)


@dataclass
class _State:
    orgs: dict[str, Org] = field(default_factory=dict)
    countries: dict[str, CountryMention] = field(default_factory=dict)
    programmes: list[Programme] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


class Extractor:
    """Runs the rules over one release. Use once: ``Extractor(release, dicts).run()``."""

    def __init__(self, release: Release, dicts: Dictionaries) -> None:
        self.r = release
        self.d = dicts
        self.s = _State()
        english = [s for s in release.sections if s.lang == "en"]
        self.main = english[0] if english else release.sections[0]
        self.p = for_language(self.main.lang)
        # without a publication date, a date given without its year takes the year of the first full date
        # in the title or the text ("Senior Officials' Meeting, Asmara, 7 March 2019" ... "on the 6th March")
        self._year = None if release.published else next(
            (int(w.start[:4]) for t in (release.title, self.main.text) for w in find_dates(t, None, self.p)), None)
        self.others = [s for s in release.sections if s is not self.main]
        self.notes = footnotes(self.main.text)
        self._named_countries = {m.entry.key for sec in release.sections for m in dicts.trie.find(sec.text)
                                 if m.entry.kind == "country" and m.entry.form_kind not in ("adjective", "demonym")}
        self._programme_spans: list[tuple[int, int]] = []
        self._acronyms: dict[str, str] = {}
        self._pending_organizers: list[str] = []
        self._recent_date: When | None = None
        self._pending_date: When | None = None
        self._dates_here: list[When] = []
        self.sentences = [s for s in split_sentences(self.main.text, self.main.start) if not is_footnote(s)]
        self._event_nouns = sorted(self.p.event_nouns, key=len, reverse=True)
        self._event_rx = _words_rx(r"\b(", tuple(self._event_nouns), r")s?\b")
        self._verb_rx = _alternation((*self.p.organizer_cues.all(), "held"))
        self._part_rx = _alternation(self.p.participant_cues.all())
        self._event_verb_rx = _alternation(tuple(self.p.event_verbs))
        self._subject_cues = {c.lower() for c in self.p.participant_cues.agent_before}
        self._agent_after = {c.lower() for c in self.p.organizer_cues.agent_after}
        self._agent_before = {c.lower() for c in self.p.organizer_cues.agent_before}
        # ", который …", ", που …": a relative clause ends the role clause, as ", which" does
        self._relative_rx = _words_rx(r",\s+(?:", self.p.relative_words or ("(?!)",), r")\b")
        self._with_rx = _words_rx(r"\b(?:", self.p.partner_cues, r")\b")
        # a quote then its speaker's verb ("…», — сказал министр", "…” dedi Bakan"), or the verb then a colon and quote
        verbs = r"(?:" + "|".join(re.escape(v) for v in self.p.speech_verbs or ("said",)) + r")"
        self._speech_rx = re.compile(rf"[“\"«„][^“”\"«»]*[”\"»“][,.]?\s*[—–-]?\s*{verbs}\b"
                                     rf"|\b{verbs}\b[^“\"«„]{{0,40}}:\s*[“\"«„]", re.I)
        self._role_cue_rx = self._part_rx
        self._any_cue_rx = _alternation((*self.p.organizer_cues.all(), *self.p.participant_cues.all(),
                                         *self.p.funding_cues.agent_after, *self.p.funding_cues.agent_attached,
                                         *self.p.implementer_cues.all()))
        self._fund_rx = _words_rx(r"(?P<cue>", (*self.p.funding_cues.agent_after, *self.p.funding_cues.agent_attached),
                                  r")\b")
        spaced = tuple(w for w in (*self.p.articles, *self.p.determiners) if not w.endswith(("'", "’")))
        articles = tuple(w for w in self.p.articles if not w.endswith(("'", "’")))
        phrase = r")\s+((?:[\w-]+\s+){0,8})$"
        self._article_rx = _words_rx(r"(?s:.*)\b(?:", (*spaced, "the", "a", "an", "its", "their", "this"), phrase)
        self._label_rx = _words_rx(r"(?s:.*)\b(?:", (*articles, "the", "a", "an"), phrase)
        definite = tuple(w for w in spaced if w.lower() not in ("a", "an"))
        self._definite_rx = _words_rx(r"\b(?:", (*definite, "the", "this", "that"), r")\s+(?:[\w-]+\s+){0,2}$")
        self._event_folds = {fold(n) for n in self.p.event_nouns}

    # ------------------------------------------------------------------ helpers
    def _span(self, sent: Sentence, start: int | None = None, end: int | None = None) -> Span:
        a = sent.start + (start or 0)
        b = sent.start + (end if end is not None else len(sent.text))
        return Span(a, b, sent.text)

    def _fact(self, s: str, rel: str, o: str, sent: Sentence, money: Money | None = None) -> None:
        f = Fact(s, rel, o, self._span(sent), money.value if money else None, money.currency if money else None)
        for i, x in enumerate(self.s.facts):
            if (x.subject, x.relation, x.object) == (s, rel, o):
                if money is not None and x.amount is None:  # the sum is told in a later sentence
                    self.s.facts[i] = replace(x, amount=f.amount, currency=f.currency)
                return
        self.s.facts.append(f)

    def _money_for(self, sent: Sentence, funders: list[str]) -> Money | None:
        """The sum a funding sentence states, when it can belong to its one funder (or one sum to all)."""
        sums = find_money(sent.text, self.p)
        return sums[0] if len(sums) == 1 and len(set(funders)) == 1 else None

    def _country(self, iso2: str, surface: str, sent: Sentence | None, start: int = 0, end: int = 0) -> None:
        qual = None
        if sent is not None:
            star = re.search(r"(\*+)$", sent.text[start:end]) or re.match(r"\*+", sent.text[end:end + 3])
            if star:
                qual = self.notes.get(star.group().strip())
        old = self.s.countries.get(iso2)
        if old is None or (qual and not old.qualification):
            span = self._span(sent, start, end) if sent else None
            self.s.countries[iso2] = CountryMention(iso2, surface, qual or (old.qualification if old else None),
                                                    span)

    def _dict_org(self, org_id: str, sent: Sentence, m: Match | None = None, surface: str | None = None) -> str:
        ref = "d:" + org_id
        e = self.d.orgs[org_id]
        # an acronym of another language ("OIM", "МВР") is a name the release uses; the English one is not
        written = surface or (m.text if m and (m.entry.form_kind != "acronym" or m.text != e.acronym) else None)
        if ref not in self.s.orgs:
            span = self._span(sent, m.start, m.end) if m else self._span(sent)
            # the parent is linked only when the release names it too (see _parents); a release in another
            # language also gets the name in its own language (first listed: the nominative) and its own
            # acronym when it uses it ("Европейским союзом" -> "Европейский союз", "ЕС")
            own = [a for a in e.aliases.get(self.main.lang, []) if self.main.lang != "en"]
            local = own[:1] + [a for a in own[1:] if a.isupper() and re.search(rf"(?<!\w){re.escape(a)}(?!\w)",
                                                                               self.main.text)]
            self.s.orgs[ref] = Org(ref, e.name, e.acronym, e.country, None, org_id, tuple(local), span, self.main.lang)
            if e.country and e.country in self.d.countries:
                self._country(e.country, e.country, None)
        org = self.s.orgs[ref]
        if written and fold(written) != fold(e.name) and written not in org.aliases:
            self.s.orgs[ref] = replace(org, aliases=(*org.aliases, written))
        return ref

    def _new_org(self, name: str, country: str | None, sent: Sentence, start: int, end: int,
                 acronym: str | None = None, parent: str | None = None) -> str:
        ref = "g:" + slug(name) + (f"@{country}" if country else "")
        if ref not in self.s.orgs:
            self.s.orgs[ref] = Org(ref, name, acronym, country, parent, None, (), self._span(sent, start, end),
                                   self.main.lang)
            if country:
                self._country(country, country, None)
        return ref

    # ------------------------------------------------------------------ run
    def run(self) -> Extraction:
        for sent in self.sentences:
            self._sentence(sent)
        self._parents()
        self._places()
        self._align_titles()
        self._implementers()
        return Extraction(
            release=self.r,
            organizations=tuple(self.s.orgs.values()),
            countries=tuple(self.s.countries.values()),
            programmes=tuple(self.s.programmes),
            events=tuple(self.s.events),
            facts=tuple(self.s.facts),
        )

    def _sentence(self, sent: Sentence) -> None:
        self._sentence_dates(sent)
        matches = self.d.trie.find(sent.text)
        progs = self._programmes(sent, matches)
        inside = self._programme_spans
        matches = [m for m in matches if not any(a <= m.start < b for a, b in inside)]
        org_spans: list[tuple[int, int, str]] = []  # (start, end, org ref) in sentence offsets
        country_spans: list[tuple[int, int, str]] = []
        agency_spans = self._agencies(sent, matches)
        attributive = set(self.p.attributive_nouns)
        clitics = {c for c in self.p.conjunctions if len(c) == 1 and c.isalpha()}
        for m in matches:
            if any(a <= m.start < b for a, b, _ in agency_spans):
                continue
            after = re.match(r"\s+([\w-]+)", sent.text[m.end:])
            if m.entry.kind == "org" and any(x.start == m.end + 1 and x.entry.kind == "org"
                                             and x.text[:1] not in clitics  # not "… والاتحاد": "and" written on
                                             for x in matches):
                continue  # "UN International Organization for Migration": a qualifier of the name that follows
            if m.entry.kind == "org" and m.entry.form_kind == "acronym" and after and after.group(1) in attributive:
                continue  # "EU legislation", "EU Member States": the acronym qualifies a noun
            if m.entry.kind == "org":
                ref = self._dict_org(m.entry.key, sent, m)
                org_spans.append(self._unit(sent, m, ref, matches) or self._unit_before(sent, m, ref, matches)
                                 or (m.start, m.end, ref))
            elif m.entry.kind == "country" and fold(m.text) in self._event_folds:
                continue  # "la Reunión": the Spanish word for a meeting, not Réunion
            elif m.entry.kind == "country" and m.entry.form_kind not in ("adjective", "demonym"):
                self._country(m.entry.key, m.text, sent, m.start, m.end)
                country_spans.append((m.start, m.end, m.entry.key))
        for a, b, iso2 in [(a, b, r) for a, b, r in agency_spans if r.startswith("country:")]:
            self._country(iso2[8:], sent.text[a:b], sent, a, b)
            if (a, b, iso2[8:]) not in country_spans:
                country_spans.append((a, b, iso2[8:]))
        org_spans += [(a, b, r) for a, b, r in agency_spans if not r.startswith("country:")]
        for a, b, ref in self._titled_and_nested(sent, matches):
            if not any(x <= a < y for x, y, _ in org_spans + agency_spans):
                org_spans.append((a, b, ref))
        for c in unseen_orgs(self.d, self.p, sent.text, matches):
            if any(a <= c.start < b for a, b, _ in org_spans):
                continue
            if any(a < c.end and c.start < b for a, b, _ in agency_spans) or any(
                    a < c.end and c.start < b for a, b in inside):
                continue
            unit = re.match(r"(.+?)\s+of\s+the\s+(.+)$", c.name)
            parent = self._same_org(unit.group(2), None) if unit and _heads_in(self.p, unit.group(1)) else None
            if unit and parent:  # "the Sector for Asylum of the Ministry of Security": a unit and its parent
                name = unit.group(1)
                ref = self._same_org(name, self.s.orgs[parent].country) or self._new_org(
                    name, self.s.orgs[parent].country, sent, c.start, c.start + len(name), parent=parent)
                org_spans.append((c.start, c.end, ref))
                continue
            acr = re.match(r"\s*\(([^\W\d_]{2,10})\)", sent.text[c.end:])
            acr = acr if acr and acr.group(1)[0].isupper() else None
            acronym = acr.group(1) if acr and _initialism(acr.group(1), c.name) else None
            ref = self._same_org(c.name, c.country) or self._new_org(c.name, c.country, sent, c.start, c.end,
                                                                      acronym=acronym)
            org_spans.append((c.start, c.end, ref))
            if acronym:
                self._acronyms[acronym] = ref
        for acronym, ref in self._acronyms.items():  # an acronym the release defined, used again
            for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", sent.text):
                if not any(a <= m.start() < b for a, b, _ in org_spans):
                    org_spans.append((m.start(), m.end(), ref))
        org_spans.sort()
        event = self._event(sent, org_spans, country_spans, agency_spans)
        self._funding(sent, org_spans, progs, event)
        self._subject_funding(sent, org_spans, progs)
        if event is not None:
            for p in progs:
                self._fact(event.ref, "partOfProgramme", p.ref, sent)
        elif progs and self.s.events and re.match(r"\s*(The|This)\s+\w+", sent.text):
            ev = self._referenced_event(sent)
            if ev is not None:
                for p in progs:
                    self._fact(ev.ref, "partOfProgramme", p.ref, sent)

    # ------------------------------------------------------------------ units
    def _unit(self, sent: Sentence, m: Match, parent: str, matches: list[Match]) -> tuple[int, int, str] | None:
        """An office of an international organization named after it: "IOM Libya", "IOM Regional Office
        in Vienna", "EU Delegation to Ukraine", "UN Country Team". The unit is an organization of its own,
        part of its parent, and takes the roles the sentence gives."""
        if self.d.orgs[m.entry.key].kind not in _INTERNATIONAL or not self.p.unit_nouns:
            return None
        text = sent.text
        rx = _unit_rx(self.p.unit_nouns, self.p.place_prepositions)
        u = rx.match(text, m.end)
        end = None
        if u:
            at = u.end("prep") if u.group("prep") else -1
            country = [c for c in matches if c.start == at and c.entry.kind == "country"]
            place = self.d.places.find(text[at:at + 60]) if at >= 0 else []
            if country:
                end = country[0].end
            elif place and place[0].start == 0:
                end = at + place[0].end
            elif u.group(1) in self.p.unit_nouns_alone:  # "UN Country Team", "IOM HQ"
                end = u.end(1)
        else:  # "IOM Libya": the organization as it presents itself in a country, not a unit
            gap = re.match(r"[ \t]+", text[m.end:])
            at = m.end + gap.end() if gap else -1
            country = [c for c in matches if c.start == at and c.entry.kind == "country"
                       and c.entry.form_kind in ("name", "alias", "official")]
            if country and not re.match(r"[\w-]", text[country[0].end:country[0].end + 1]):
                written = " ".join(text[m.start:country[0].end].split())
                org = self.s.orgs[parent]
                if written not in org.aliases:
                    self.s.orgs[parent] = replace(org, aliases=(*org.aliases, written))
                return (m.start, country[0].end, parent)
        if end is None:
            return None
        name = " ".join(text[m.start:end].split())
        ref = self._same_org(name, None) or self._new_org(name, None, sent, m.start, end, parent=parent)
        return (m.start, end, ref)

    def _unit_before(self, sent: Sentence, m: Match, parent: str, matches: list[Match]) -> tuple[int, int, str] | None:
        """The unit noun before the organization, as languages that put the head first write it: "представительство
        МОМ в Украине", "Γραφείο της Ύπατης Αρμοστείας στην Ελλάδα", "مكتب المنظمة الدولية للهجرة في تونس"."""
        if self.d.orgs[m.entry.key].kind not in _INTERNATIONAL or not (self.p.unit_nouns and self.p.place_prepositions):
            return None
        text = sent.text
        link = "|".join(re.escape(w) for w in sorted({*self.p.of_words, *self.p.articles}, key=len, reverse=True))
        u = _words_rx(r"(?<![\w-])(", self.p.unit_nouns, rf")(?:\s+(?:{link or '(?!)'}))?\s+$").search(text[:m.start])
        prep = _words_rx(r"\s+(?:", self.p.place_prepositions, r")\s+").match(text, m.end)
        if not u or not prep:
            return None
        country = [c for c in matches if c.start == prep.end() and c.entry.kind == "country"
                   and c.entry.form_kind not in ("adjective", "demonym")]
        place = self.d.places.find(text[prep.end():prep.end() + 60])
        end = country[0].end if country else prep.end() + place[0].end if place and place[0].start == 0 else None
        if end is None:
            return None
        name = " ".join(text[u.start(1):end].split())
        ref = self._same_org(name, None) or self._new_org(name, None, sent, u.start(1), end, parent=parent)
        return (u.start(1), end, ref)

    # ------------------------------------------------------------------ agencies
    def _agencies(self, sent: Sentence, matches: list[Match]) -> list[tuple[int, int, str]]:
        """'<agency type> agencies from A, B and C' -> one national agency per country."""
        out: list[tuple[int, int, str]] = []
        types = self.p.agency_types
        if not types:
            return out
        joiners = tuple({*self.p.source_prepositions, *self.p.of_words, *self.p.place_prepositions})
        rx = _words_rx(r"\b(?P<type>", tuple(types),
                       r")(?:\s+(?:agencies|authorities|services|institutions|bodies))?\s+(?:"
                       + "|".join(re.escape(j) for j in sorted(joiners, key=len, reverse=True)) + r")\s+(?:the\s+)?")
        found = [(m, types[next(k for k in types if k.lower() == m.group("type").lower())], 1)
                 for m in rx.finditer(sent.text)]
        if any(w in sent.text for w in _BODY_PLURALS):
            found += [(m, _singular(m.group("plural")), 2) for m in _PLURAL_BODIES.finditer(sent.text)]
        template = self.p.name_templates.get("body_of_country", "{body} of {country}")
        lang = self.p.code if "body_of_country" in self.p.name_templates else "en"  # its country in its language
        for m, singular, least in found:
            countries = [(c.entry.key, c.start, c.end) for c in self._country_list(sent, matches, m.end())]
            region = next((x for x in matches if x.start == m.end() and x.entry.kind == "region"), None)
            if not countries and region is not None:
                # "Heads of Border Police in the Western Balkans": one body per member the release names
                countries = [(iso2, region.start, region.end) for iso2 in self.d.regions[region.entry.key].members
                             if iso2 in self._named_countries]
                least = 2
            if len(countries) < least or any(a <= m.start() < b for a, b, _ in out):
                continue
            for iso2, c_start, c_end in countries:
                if not singular:  # "representatives of the embassies of A and B": the countries take part
                    out.append((c_start, c_end, "country:" + iso2))
                    continue
                name = template.format(body=singular, country=self.d.country_label(iso2, lang))
                known = [x for x in self.d.trie.find(name, kinds=("org",)) if x.start == 0 and x.end == len(name)]
                if known and self.d.orgs[known[0].entry.key].country == iso2:
                    ref = self._dict_org(known[0].entry.key, sent, surface=name)
                else:
                    ref = self._new_org(name, iso2, sent, m.start(), c_end)
                out.append((m.start(), c_end, ref))
                out.append((c_start, c_end, "country:" + iso2))
        return out

    def _same_org(self, name: str, country: str | None) -> str | None:
        """An organization this release already named of which ``name`` is a short form
        ("the Ministry of Interior" after "the Ministry of Interior of North Macedonia")."""
        short = fold(name)
        hits = [ref for ref, o in self.s.orgs.items()
                if (country is None or o.country in (None, country))
                and any(fold(n) == short or fold(n).startswith(short + " ") for n in (o.name, *o.aliases))]
        if not hits and " " in short:  # an inflected form ("Poliției de Frontieră" after "Poliția de Frontieră")
            hits = [ref for ref, o in self.s.orgs.items() if not o.dict_id and o.country == country
                    and any(_inflected(fold(n), short) for n in (o.name, *o.aliases))]
        return hits[0] if len(hits) == 1 else None

    def _titled_and_nested(self, sent: Sentence, matches: list[Match]) -> list[tuple[int, int, str]]:
        """Bodies named through a person's title (
        "the Deputy Minister of Interior of Albania" -> Ministry of Interior of Albania) and nested units
        ("the Ports Security Directorate, Ministry of Interior, Libya")."""
        text, out = sent.text, []
        for m in re.finditer(r"\b(?:Deputy\s+|Assistant\s+)?Minister(?=\s+of\s)", text):
            virtual = "Ministry" + text[m.end():m.end() + 120]
            known = self.d.trie.find(virtual, kinds=("org",))
            if known and known[0].start == 0:
                out.append((m.start(), m.end() + known[0].end - 8, self._dict_org(known[0].entry.key, sent)))
        # "the Ambassador of Germany" names no body: the country takes part (its name is a country mention),
        # and analysts record no "Embassy of Germany" the release does not name
        for m in _NESTED.finditer(text):
            c = [x for x in matches if x.start == m.start("country") and x.entry.kind == "country"
                 and x.end == m.end("country")]
            if not c:
                continue
            iso2 = c[0].entry.key
            parent_name = f"{m.group('parent')} of {self.d.country_label(iso2)}"
            known = [x for x in self.d.trie.find(parent_name, kinds=("org",)) if x.start == 0]
            parent = (self._dict_org(known[0].entry.key, sent, surface=parent_name) if known
                      else self._new_org(parent_name, iso2, sent, m.start("parent"), m.end("country")))
            unit = self._new_org(m.group("unit"), iso2, sent, m.start("unit"), m.end("unit"), parent=parent)
            out += [(m.start("unit"), m.end("unit"), unit), (m.start("parent"), m.end("country"), parent)]
        return out

    def _country_list(self, sent: Sentence, matches: list[Match], pos: int) -> list[Match]:
        """Countries listed from pos on: 'A, B, C and D' (a leading 'the' allowed)."""
        got: list[Match] = []
        for m in matches:
            if m.start < pos or m.entry.kind != "country":
                continue
            gap = sent.text[pos:m.start]
            conj = "".join("|" + re.escape(w) for w in self.p.conjunctions)  # "und", "en", "dan" …
            arts = "".join("|" + re.escape(w) for w in self.p.articles)  # "Österreich, der Schweiz und den …"
            joined = rf"(?:,|and|&|i|et|y|dhe|и|,\s*and|as\s+well\s+as{conj})?"
            if not re.fullmatch(rf"[\s*]*{joined}\s*(?:(?:the{arts})\s+)?", gap, re.I):
                break
            if m.entry.form_kind in ("adjective", "demonym"):
                break
            got.append(m)
            pos = m.end
        return got

    # ------------------------------------------------------------------ programmes
    def _programmes(self, sent: Sentence, matches: list[Match]) -> list[Programme]:
        orgs = [(m.start, m.end) for m in matches if m.entry.kind == "org"]
        known = [m for m in matches if m.entry.kind == "programme"]
        spans = [f for f in find_programmes(self.p, sent.text, orgs)
                 if not any(m.start < f.end and f.start < m.end and (f.end - f.start) <= (m.end - m.start)
                            for m in known)]
        lang = self.main.lang if self.main.lang != "und" else "en"
        found = [self._add_programme(f.title, lang, f.acronym, sent, f.start, f.end) for f in spans]
        for m in known:  # programmes the dictionary knows, by title or acronym
            if not any(f.start <= m.start < f.end for f in spans):
                known = self.d.programmes[m.entry.key]
                found.append(self._add_programme(known["title"], "en", known.get("acronym"), sent, m.start, m.end))
        for p in self.s.programmes:  # a programme named again by its acronym
            if p.acronym and p not in found and re.search(rf"(?<![\w-]){re.escape(p.acronym)}(?![\w-])", sent.text):
                found.append(p)
        self._programme_spans = [(sent.text.find(t.text), sent.text.find(t.text) + len(t.text))
                                 for p in found for t in p.titles if t.text in sent.text]
        return found

    def _decoy(self, title: str) -> bool:
        low = title.lower()
        return any(d in low for d in self.p.programme_decoys)

    def _add_programme(self, title: str, lang: str, acronym: str | None, sent: Sentence, a: int, b: int
                       ) -> Programme:
        for i, p in enumerate(self.s.programmes):
            if fold(p.title) == fold(title) or (acronym and p.acronym == acronym):
                if acronym and not p.acronym:
                    p = replace(p, acronym=acronym)
                    self.s.programmes[i] = p
                return p
        region = None
        for m in self.d.trie.find(title, kinds=("region",)):
            region = m.entry.key
        known = [m.entry.key for form in (title, acronym or "") for m in self.d.trie.find(form, kinds=("programme",))
                 if m.start == 0 and m.end == len(form)]
        if known:  # one IRI for a known programme, whichever name the release uses
            entry = self.d.programmes[known[0]]
            title, acronym = entry["title"], acronym or entry.get("acronym")
        p = Programme("p:" + slug(acronym or title), (Title(title, lang),), acronym, region,
                      self._span(sent, a, b), known[0] if known else None)
        self.s.programmes.append(p)
        return p

    def _align_titles(self) -> None:
        """Give each programme the title the other language sections use at the same position."""
        if not self.s.programmes:
            return
        for section in self.others:
            nouns = for_language(section.lang).programme_nouns if section.lang != "und" else ()
            if not nouns:
                continue
            noun_rx = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
            rx = re.compile(rf"\b(?:{noun_rx})\b[^“\"„«\n]{{0,40}}?{_QUOTED}", re.I)
            titles = [m.group("title").strip().rstrip(",.") for m in rx.finditer(section.text)]
            titles = [t for t in titles if not self._decoy(t)]
            seen: list[str] = []
            for t in titles:
                if fold(t) not in [fold(x) for x in seen]:
                    seen.append(t)
            if len(seen) != len(self.s.programmes):
                continue  # positions do not line up: add nothing rather than pair wrongly
            for i, (p, t) in enumerate(zip(self.s.programmes, seen, strict=True)):
                if all(fold(x.text) != fold(t) for x in p.titles):
                    self.s.programmes[i] = replace(p, titles=(*p.titles, Title(t, section.lang)))

    # ------------------------------------------------------------------ events
    def _event(self, sent: Sentence, orgs: list[tuple[int, int, str]], countries: list[tuple[int, int, str]],
               agencies: list[tuple[int, int, str]]) -> Event | None:
        nm = self._event_rx.search(sent.text)
        said = (*self.p.speech_verbs, "said", "says", "stressed", "added", "noted")
        quoted = bool(_words_rx(r"[“\"„«].*[”\"“»],?\s+(?:[–—-]\s+)?(?:", said, r")\b").search(sent.text)) or bool(
            self._speech_rx.search(sent.text))
        if not nm:
            made = None if quoted else self._verb_event(sent, orgs, countries)
            if made is not None:
                return made
            if self.s.events and self._role_cue_rx.search(sent.text):
                event = self.s.events[-1]  # "Representatives of ... reviewed": the event in hand
                self._roles(sent, event, orgs, countries, agencies)
                return event
            return None
        noun = nm.group(1).lower()
        press = "|".join(map(re.escape, self.p.press_words))
        if press and (re.search(rf"\b(?:{press})[\s-]+$", sent.text[max(0, nm.start() - 12):nm.start()], re.I) or (
                self.p.event_nouns.get(noun) == "Conference"
                and re.match(rf"\s+(?:\w{{1,4}}\s+)?(?:{press})\b", sent.text[nm.end():], re.I))):
            return None  # a press briefing or press conference is how the news is told, not an event in it
        if nm.group(0).lower() != noun and not self.s.events:
            # "X and Y held two coordination meetings": a plural names several events told later;
            # their organizers are remembered for them
            verb = self._verb_rx.search(sent.text)
            if verb:
                self._pending_organizers = self._subject(sent.text, verb.start(), orgs)
            return None
        found = self._dates_here
        after = [w for w in found if w.begin >= nm.start()]
        dates = after[:1] or found[-1:]
        ordinal, ord_start = self._ordinal(sent.text, nm.start(), nm.end())
        label, label_start = self._label(sent.text, nm, ord_start)
        etype = self._type(label, noun)
        verb = self._verb_rx.search(sent.text)
        definite = self._definite_rx.search(sent.text[:nm.start()])
        existing = None
        if self.s.events and (definite or not dates) and ordinal is None:
            # a later mention of an event type already seen refers back to it
            existing = next((e for e in reversed(self.s.events) if e.type == etype), None)
            if existing is None and definite and not dates:
                existing = self.s.events[-1]
        elif dates and ordinal is None and len(dates[0].start) == 10:  # told again (bilingual): same type, same day
            existing = next((e for e in self.s.events if e.type == etype and e.start == dates[0].start), None)
        if existing is not None and (not dates or dates[0].start == existing.start):
            event = existing
        elif not quoted and (dates or (not self.s.events and (ordinal is not None or verb or self._placed(sent, nm)))
                             or self._undated_event(sent.text, nm, label, verb)):
            when = dates[0] if dates else None
            if when is None and self._recent_date is not None and not any(
                    e.start == self._recent_date.start for e in self.s.events):
                when = self._recent_date  # "... reached on Tuesday in Skopje. The tripartite meeting ..."
            place = event_location(self.d, sent.text, nm.start(), self.p.place_prepositions)
            series = None
            if ordinal is not None:
                words = label.split()
                series = " ".join(words[1:]) if len(words) > 1 and words[0].lower() != noun.split()[0] else label
            event = Event(
                ref=f"e:{len(self.s.events)}",
                label=label,
                type=etype,
                start=when.start if when else None,
                end=when.end if when else None,
                ordinal=ordinal,
                series=series,
                topics=self._topics(sent),
                location=place.name if place else None,
                location_country=place.iso2 if place else None,
                evidence=self._span(sent, label_start, label_start + len(label)),
            )
            self.s.events.append(event)
        elif self.s.events and not quoted and self._role_cue_rx.search(sent.text):
            event = self.s.events[-1]  # "Representatives of X discussed the training of …": the event in hand
        else:
            return None
        self._roles(sent, event, orgs, countries, agencies)
        if self._pending_organizers and not any(f.subject == event.ref and f.relation == "organizer"
                                                for f in self.s.facts):
            for ref in self._pending_organizers:
                self._fact(event.ref, "organizer", ref, sent)
                if self.s.orgs[ref].country:
                    self._fact(event.ref, "participantCountry", str(self.s.orgs[ref].country), sent)
        if event.evidence is not None and event.evidence.sentence == sent.text and not any(
                f.subject == event.ref and f.relation == "organizer" for f in self.s.facts):
            for ref in self._label_owners(sent.text, nm, event.evidence.start - sent.start, orgs):
                self._fact(event.ref, "organizer", ref, sent)
        return event

    def _label_owners(self, text: str, nm: re.Match[str], label_start: int,
                      orgs: list[tuple[int, int, str]]) -> list[str]:
        """The body whose event the label names, when no sentence role says who organized it: "the Khartoum
        Process Steering Committee Meeting", "the 10th Reference Group Meeting of the Budapest Process"."""
        aside = "|".join(re.escape(w) for w in self.p.beneficiary_prepositions) or "(?!)"
        before = [r for a, b, r in orgs if label_start <= a and b <= nm.start()
                  and re.fullmatch(r"[\s\w'’-]*", text[b:nm.start()])
                  and not re.search(rf"\s(?:{aside})\s", text[b:nm.start()])]
        of = "|".join(re.escape(w) for w in (*self.p.of_words, *self.p.articles)) or "of"
        after = re.match(rf"\s+(?:[A-Z][\w'’-]*\s+)*?(?:{of})\s+(?:(?:{of})\s+)?", text[nm.end():])
        owners = before
        if after:
            at = nm.end() + after.end()
            owners = owners + [r for a, _, r in orgs if a == at]
        return [r for r in dict.fromkeys(owners) if self.d.orgs.get(self.s.orgs[r].dict_id or "") is None
                or self.d.orgs[str(self.s.orgs[r].dict_id)].kind in ("regional-process", "intergovernmental", "un")]

    def _placed(self, sent: Sentence, nm: re.Match[str]) -> bool:
        """"The ceremony … in Zhytomyr": the event noun opens the sentence and a city follows it."""
        if len(sent.text[:nm.start()].split()) > 1:
            return False
        place = event_location(self.d, sent.text, nm.start(), self.p.place_prepositions)
        return place is not None and place.name is not None and place.start > nm.end()

    def _undated_event(self, text: str, nm: re.Match[str], label: str, verb: re.Match[str] | None) -> bool:
        """An event told without a date is still one when it is named ("the Khartoum Process Steering
        Committee Meeting"), or an actor organizes it, or it is between parties ("a meeting between A and B");
        a plural or a generic mention is not."""
        if nm.group(0).lower() != nm.group(1).lower():
            return False  # a plural: several events, told elsewhere
        words = label.split()
        named = sum(1 for w in words if w[:1].isupper()) >= 2 and words[-1][:1].isupper()
        between = re.match(r"\s+between\b", text[nm.end():]) is not None
        return named or between or verb is not None

    def _sentence_dates(self, sent: Sentence) -> None:
        """Remember the last date the text gave before this sentence, for an event told without one."""
        self._recent_date = self._pending_date
        self._dates_here = find_dates(sent.text, self.r.published, self.p, self._year)  # read once per sentence
        if self._dates_here and not sent.text.startswith(("“", '"')):
            self._pending_date = self._dates_here[-1]

    def _verb_event(self, sent: Sentence, orgs: list[tuple[int, int, str]],
                    countries: list[tuple[int, int, str]]) -> Event | None:
        """An event told by its verb with a date: "X launched a centre", "a delegation visited Y"."""
        m = self._event_verb_rx.search(sent.text)
        dates = self._dates_here
        if not m or not dates:
            return None
        if self.r.published and int(dates[0].start[:4]) < self.r.published.year - 1:
            return None  # "the centre was launched in October 2014 and has since …": background, not news
        etype = self.p.event_verbs[m.group(1).lower()]
        text = sent.text
        if self._participle(text, m):
            return None  # "the programme, launched in October 2014, …": no event told here
        aux = _aux_rx(self.p.auxiliaries)
        passive = aux.search(text, 0, m.start()) if aux else None
        stop = "|".join(re.escape(w) for w in (*self.p.place_prepositions, *self.p.relative_words, *self.p.by_markers))
        if passive:
            obj = re.sub(r"^.*?,\s*", "", text[:passive.start()]).strip()
        else:
            rest = text[m.end():].strip()
            days = "|".join(re.escape(w) for w in self.p.relative_dates)
            places = "|".join(re.escape(w) for w in self.p.place_prepositions)
            # "ont lancé hier à Dakar la deuxième phase …": the object follows the day and the place
            town = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
            rest = re.sub(rf"^(?:(?:{days or '(?!)'})\s+)?(?:(?:{places or '(?!)'})\s+{town},?\s+)?", "", rest)
            obj = re.split(rf"[,;]|\s+(?:{stop or '(?!)'})\s", rest, maxsplit=1)[0]
        articles = "|".join(re.escape(w) for w in self.p.articles)
        obj = re.sub(rf"^(?:{articles})\s+", "", obj.strip(), flags=re.I) if articles else obj.strip()
        if not obj or obj[:1].isdigit() or (dates and dates[0].begin - m.end() <= 4 + len(obj) and obj in text[
                dates[0].begin - len(obj) - 4:dates[0].stop]):
            return None  # "launched in October 2014": no object, no event
        template = self.p.name_templates.get(f"event_{etype}", "{verb} {object}")
        label = template.format(verb=m.group(1).lower(), object=obj).strip()
        place = event_location(self.d, text, m.start(), self.p.place_prepositions)
        event = Event(ref=f"e:{len(self.s.events)}", label=label, type=etype, start=dates[0].start, end=dates[0].end,
                      location=place.name if place else None, location_country=place.iso2 if place else None,
                      evidence=self._span(sent, m.start(), m.end()))
        existing = next((e for e in self.s.events if e.type == etype and e.start == event.start), None)
        if existing is not None:
            return existing
        self.s.events.append(event)
        self._roles(sent, event, orgs, countries, [])
        led = {f.object for f in self.s.facts if f.subject == event.ref and f.relation == "organizer"}
        subject = ({r for a, _, r in orgs if a < m.start()} if not passive else set()) - led
        others = {r for a, _, r in orgs if a >= m.end()} - led
        role = "organizer" if etype == "Launch" else "participant"
        for ref in sorted(subject):
            self._fact(event.ref, role, ref, sent)
        for ref in sorted(others - subject):
            self._fact(event.ref, "participant", ref, sent)
        for ref in sorted(subject | (others - subject)):
            if self.s.orgs[ref].country:
                self._fact(event.ref, "participantCountry", str(self.s.orgs[ref].country), sent)
        return event

    def _type(self, label: str, noun: str) -> str:
        """The most specific event type any event noun in the label names ("meeting of the Steering Committee")."""
        nouns = self.p.event_nouns
        found = [nouns.get(m.group(1).lower()) or nouns.get(m.group(1)) for m in self._event_rx.finditer(label)]
        found = [f for f in found if f]
        for specific in ("SteeringBoard", "Training", "Visit", "Launch"):
            if specific in found:
                return specific
        return nouns.get(noun) or (found[0] if found else "Other")

    def _referenced_event(self, sent: Sentence) -> Event | None:
        nm = self._event_rx.search(sent.text)
        if nm:
            noun = nm.group(1).lower()
            etype = self.p.event_nouns.get(noun)
            for e in reversed(self.s.events):
                if e.type == etype:
                    return e
        return self.s.events[-1] if self.s.events else None

    def _ordinal(self, text: str, noun_at: int, noun_end: int | None = None) -> tuple[int | None, int | None]:
        """The ordinal standing in the noun phrase before the event noun ('the ninth regular meeting'), or,
        in a language without articles, right after it ("takimi i katërt", "pertemuan ke-4")."""
        before = text[max(0, noun_at - 80):noun_at]
        m = self._article_rx.search(before)
        if m:
            phrase = m.group(1)
        else:  # languages without articles: the few words right before the noun ("deveti redovni sastanak")
            w = re.search(r"((?:[\w.'’-]+\s+){0,3})$", before)
            phrase = w.group(1) if w else ""
        base = noun_at - len(phrase)
        ordinals = self.p.ordinals
        multi = tuple(k for k in ordinals if " " in k)  # "dvadeset prvi", "dwudziesty pierwszy"
        whole = _words_rx(r"(?<![\w-])(", multi, r")(?![\w-])").search(phrase) if multi else None
        if whole:
            return int(ordinals[whole.group(1).lower()]), base + whole.start()
        for w in re.finditer(r"[\w'’-]+\.?", phrase):  # "п'яту"
            word = w.group()
            value = ordinals.get(word.lower())  # "5." where the language writes ordinals so
            word = word.rstrip(".")
            value = ordinals.get(word.lower()) if value is None else value
            if value is None:
                dm = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", word)
                value = int(dm.group(1)) if dm else roman(word.rstrip("."))
            if value is not None:
                return int(value), base + w.start()
        if noun_end is not None and not self.p.articles and ordinals:
            words = tuple(k for k in ordinals if not k[:1].isdigit())  # "posjeta 5. marta", "встреча 5-го марта": dates
            after = _words_rx(r"\s+(?:[\w-]+\s+)?(", words, r")(?![\w-])").match(text, noun_end)
            if after:
                return int(ordinals[after.group(1).lower()]), None
        return None, None

    def _label(self, text: str, nm: re.Match[str], start: int | None) -> tuple[str, int]:
        """The event's noun phrase: from its determiner (or ordinal) to the noun, then an "of/on/for …"
        complement, skipping a place in between ("workshop in Skopje on asylum decisions")."""
        begin = start if start is not None else nm.start()
        if start is None:
            m = self._label_rx.search(text[max(0, nm.start() - 90):nm.start()])
            if m:
                begin = nm.start() - len(m.group(1))
        rest = text[nm.end():]
        skip = re.match(r"(?:\s+(?:in|at)\s+[A-Z][\w'’-]*(?:,\s*[A-Z][\w'’-]*)?)?", rest)
        after = rest[skip.end():] if skip else rest
        stops = {"from", "in", "at", "on", "with", "held", "which", "who", "hosted", "took", "was", "were", "by"}
        own = {*self.p.place_prepositions, *self.p.source_prepositions, *self.p.relative_words, *self.p.by_markers,
               *self.p.auxiliaries} - stops  # the section language's words that end the complement
        ofs = "".join("|" + re.escape(w) for w in {*self.p.of_words, *self.p.beneficiary_prepositions} - stops - own
                      - {"of", "on", "for", "to"})
        ends = "".join("|" + re.escape(w) for w in own)
        tail = re.match(rf"(\s+(?:of|on|for|to{ofs})\s+(?:the\s+)?[^,;.“”\"]*?)(?=\s+(?:from|in|at|on|with|held|which|"
                        rf"who|organi[sz]ed|hosted|took|was|were|by{ends})\b|[,;.]|$)", after)
        rest_of = tail.group(1).rstrip() if tail else ""
        verb = [v for v in self._verb_rx.finditer(rest_of) if v.end() == len(rest_of)]
        label = text[begin:nm.end()] + (rest_of[:verb[0].start()] if verb else rest_of)  # "… Rückkehr veranstaltet"
        return " ".join(label.split()), begin

    def _topics(self, sent: Sentence) -> tuple[str, ...]:
        m = re.search(r"\b(?:information|views|experiences|practices)\s+on\s+(.+?)(?:[.;]|$)", sent.text)
        if not m:
            return ()
        parts = re.split(r",\s*|\s+as well as\s+|\s+and\s+(?=main|the|new)", m.group(1))
        return tuple(p.strip() for p in parts if len(p.strip()) > 3)

    def _roles(self, sent: Sentence, event: Event, orgs: list[tuple[int, int, str]],
               countries: list[tuple[int, int, str]], agencies: list[tuple[int, int, str]]) -> None:
        text = sent.text
        # "the Service for Foreigners' Affairs of the Ministry of Security": the ministry only places
        # the service; it takes no role of its own here
        orgs = [o for i, o in enumerate(orgs)
                if not (i and re.fullmatch(r"\s+of\s+(?:the\s+)?", text[orgs[i - 1][1]:o[0]]))]
        agency_refs = {r for _, _, r in agencies if not r.startswith("country:")}
        organizers: set[str] = set()
        # a country acting (it hosts, chairs, convenes) is its government
        actors = sorted(orgs + [(a, b, "country:" + iso2) for a, b, iso2 in countries
                                if not any(x <= a < y for x, y, _ in orgs) and self._standalone(text, a, b)])
        by_rx = _by_rx(self.p.by_markers, self.p.place_prepositions)
        aux_rx = _aux_rx(self.p.auxiliaries)
        for verb in self._verb_rx.finditer(text):
            vtext = verb.group(1).lower()
            by = by_rx.match(text, verb.end()) if by_rx else None
            if vtext in self._agent_after or by:
                after = by.end() if by and vtext not in self._agent_after else verb.end()
                clause_end = self._clause_end(text, after)
                partner = self._with_rx.match(text, clause_end) or self._with_rx.match(text, clause_end + 1)
                if partner:  # "hosted by X in cooperation with Y": both organized it
                    clause_end = self._clause_end(text, partner.end())
                found = {r for a, _, r in actors if after <= a < clause_end}
                if not found and vtext in self._agent_before:  # free word order: "X organised" as well as "organised X"
                    found = set(self._subject(text, verb.start(), actors))
                organizers |= found
            elif self._participle(text, verb):
                continue  # ", held in Stockholm": a participle, not the subject's verb
            elif not (aux_rx and aux_rx.search(text, 0, verb.start())):
                subject = set(self._subject(text, verb.start(), actors))
                first = next(((a, b) for a, b, _ in actors if a >= verb.end()), None)
                if not subject and first and not text[verb.end():first[0]].strip():
                    # the subject after its verb ("… organizovala Međunarodna organizacija …", free word order)
                    partner = self._with_rx.match(text, first[1] + 1)
                    end = self._clause_end(text, partner.end()) if partner else first[1]
                    subject = {r for a, _, r in actors if first[0] <= a < end}
                organizers |= subject
        for ref in [r for r in organizers if r.startswith("country:")]:
            organizers.discard(ref)
            a, b = next((a, b) for a, b, r in actors if r == ref)
            gov = self._government(ref[8:], sent, a, b)
            org = self.s.orgs[gov]
            written = re.sub(r"^(?:the|The)\s+", "", text[a:b])
            if written not in org.aliases:
                self.s.orgs[gov] = replace(org, aliases=(*org.aliases, written))
            organizers.add(gov)
            orgs = [*orgs, (a, b, gov)]
        attached = {c.lower() for c in self.p.funding_cues.agent_attached}
        for m in self._fund_rx.finditer(text):  # "X tarafından finanse edilen …", "EU-funded": X funds, no more
            if m.group("cue").lower() in attached:
                organizers -= {r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                    r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", text[b:m.start()])}
        for m in self._part_rx.finditer(text):  # "… Merkezi’nin katılımıyla … düzenledi": a participant, not a subject
            if m.group(1).lower() in self._subject_cues:
                organizers -= {r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                    r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", text[b:m.start()]) and len(organizers) > 1}
        fund_at = self._fund_rx.search(text)
        for ref in sorted(organizers):
            if fund_at and self._inside(orgs, ref, fund_at.start()):
                continue
            self._fact(event.ref, "organizer", ref, sent)
            if self.s.orgs[ref].country:  # a national body organizing: its country takes part
                self._fact(event.ref, "participantCountry", str(self.s.orgs[ref].country), sent)
        participants = set(agency_refs)
        for m in self._part_rx.finditer(text):
            end = self._clause_end(text, m.end())
            inside = {r for a, _, r in orgs if m.end() <= a < end}
            in_countries = [iso2 for a, _, iso2 in countries if m.end() <= a < end]
            if m.group(1).lower() in self._subject_cues:  # "officers of A and B took part in ..."
                begin = max([0] + [x.end() for x in re.finditer(r"[;:]\s", text[:m.start()])])
                before = {r for a, _, r in orgs if begin <= a < m.start()} - organizers
                before_countries = [iso2 for a, _, iso2 in countries if begin <= a < m.start()]
                if before or before_countries:
                    inside, in_countries = before, before_countries
            participants |= inside - organizers
            for iso2 in in_countries:
                self._fact(event.ref, "participantCountry", iso2, sent)
        organizers |= {f.object for f in self.s.facts if f.subject == event.ref and f.relation == "organizer"}
        for ref in sorted(participants - organizers):  # an organizer named again later is no participant
            if fund_at and self._inside(orgs, ref, fund_at.start()):
                continue
            self._fact(event.ref, "participant", ref, sent)
            c = self.s.orgs[ref].country
            if c:
                self._fact(event.ref, "participantCountry", c, sent)

    def _standalone(self, text: str, a: int, b: int) -> bool:
        """A country named as an actor, not as a place or a qualifier ("in Niger", "(Niger)", "of Albania")."""
        before = re.search(r"(\S+)\s*$", text[:a])
        word = before.group(1).lower() if before else ""
        small = {w.lower() for w in (*self.p.place_prepositions, *self.p.of_words, *self.p.articles)}
        if word in {"the", "la", "le", "el"} and before:  # an article: look one word further back
            prev = re.search(r"(\S+)\s+\S+\s*$", text[:a])
            word = prev.group(1).lower() if prev else ""
        return word not in small and not word.endswith("(") and text[b:b + 1] != ")" and word != "from"

    def _participle(self, text: str, verb: re.Match[str]) -> bool:
        """", held in Stockholm" or "a ceremony held at the port": a participle, not the subject's verb."""
        if not _PARTICIPLE_TAIL.match(text[verb.end():]):
            return False
        before = text[:verb.start()].rstrip()
        return before.endswith(",") or bool(self._event_rx.search(before.rsplit(" ", 1)[-1]))

    def _subject(self, text: str, verb_at: int, orgs: list[tuple[int, int, str]]) -> list[str]:
        """The organizations in the subject of a verb: after the last comma that is not inside an
        organization's name, stepping over asides. "X, in cooperation with Y, held ..." gives X and Y;
        "X, in its role as Secretariat of the Budapest Process, organised ..." gives X alone."""
        commas = [m for m in re.finditer(r"[,;:]\s", text[:verb_at]) if not any(a <= m.start() < b for a, b, _ in orgs)]
        start = commas[-1].end() if commas else 0
        skipped: list[tuple[int, int]] = []
        for i in range(len(commas) - 1, -1, -1):
            seg_end = verb_at if i == len(commas) - 1 else commas[i + 1].start()
            segment = text[commas[i].end():seg_end].strip()
            dated = i == len(commas) - 1 and not any(commas[i].end() <= a < seg_end for a, _, _ in orgs) and any(
                commas[i].end() <= w.begin < seg_end for w in self._dates_here)  # "X, on 19 April in Skopje, held"
            if self._with_rx.match(segment) or not segment or _ASIDE.match(segment) or dated:
                if _ASIDE.match(segment):
                    skipped.append((commas[i].end(), seg_end))
                start = commas[i - 1].end() if i > 0 else 0
            else:
                break
        return [r for a, _, r in orgs if start <= a < verb_at and not any(x <= a < y for x, y in skipped)]

    @staticmethod
    def _inside(orgs: list[tuple[int, int, str]], ref: str, after: int) -> bool:
        return all(a >= after for a, _, r in orgs if r == ref)

    def _clause_end(self, text: str, pos: int) -> int:
        """Where the role clause starting at pos ends: punctuation that closes it, or another role's cue."""
        ends = [m.start() for m in (_CLAUSE_END.search(text, pos), self._any_cue_rx.search(text, pos),
                                    self._relative_rx.search(text, pos)) if m]
        return min(ends) if ends else len(text)

    # ------------------------------------------------------------------ funding
    def _funding(self, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme],
                 event: Event | None) -> None:
        low = sent.text.lower()
        if not any(a in low for a in _anchors((*self.p.funding_cues.agent_after, *self.p.funding_cues.agent_attached))):
            return
        for m in self._fund_rx.finditer(sent.text):
            cue = m.group("cue").lower()
            end = self._clause_end(sent.text, m.end())
            funders = [r for a, _, r in orgs if m.end() <= a < end]
            if cue in {c.lower() for c in self.p.funding_cues.agent_attached}:  # "EU-funded": the word before
                word = re.search(r"([\w.]+)$", sent.text[:m.start()])
                # glued ("EU-funded"), or right before it with a case ending ("Avrupa Komisyonu’nun mali desteğiyle")
                funders = [r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                    r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", sent.text[b:m.start()])]
                iso2 = self.d.adjective_country(word.group(1)) if word and not funders else None
                if iso2:  # "a Canadian-funded project": the government of that country
                    funders = [self._government(iso2, sent, word.start(1), m.end())]
            if "support" in cue or cue in {c.lower() for c in self.p.support_cues}:
                # support from an implementing agency is taking part, not funding
                helpers = [r for r in funders if not self._donor(r)]
                funders = [r for r in funders if self._donor(r)]
                if event is not None and not progs:
                    for r in helpers:
                        self._fact(event.ref, "participant", r, sent)
            # a unit named with its parent: the unit funds, the parent does not
            parents = {self._parent_ref(r) for r in funders}
            funders = [r for r in funders if r not in parents]
            if not funders:
                continue
            targets = [p.ref for p in progs] or self._target_programmes(sent, m.start())
            if not targets and event is not None:
                targets = [event.ref]
            if not targets and self.s.events and re.search(r"\b(event|meeting|workshop|training|conference)\b",
                                                            sent.text[:m.start()], re.I):
                targets = [self.s.events[-1].ref]
            for t in targets:
                for f in funders:
                    self._fact(t, "funder", f, sent, self._money_for(sent, funders))

    def _government(self, iso2: str, sent: Sentence, start: int, end: int) -> str:
        """The government of a country acting as one ("a Canadian-funded project", "Portugal hosted"),
        also known by the country's own name."""
        template = self.p.name_templates.get("government", "{country}")
        name = template.format(country=self.d.country_label(iso2, self.p.code))
        known = [x for x in self.d.trie.find(name, kinds=("org",)) if x.start == 0 and x.end == len(name)]
        if known:
            ref = self._dict_org(known[0].entry.key, sent, surface=name)
        else:
            ref = self._same_org(name, iso2) or self._new_org(name, iso2, sent, start, end)
        org = self.s.orgs[ref]
        country = self.d.country_label(iso2, self.p.code)
        if country != org.name and country not in org.aliases:
            self.s.orgs[ref] = replace(org, aliases=(*org.aliases, country))
        return ref

    def _subject_funding(self, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme]) -> None:
        """"X has committed CAD 9 million to the programme “P”", "X supported the meeting through “P”"."""
        if not progs:
            return
        m = _alternation(self.p.funding_cues.agent_before).search(sent.text)
        if not m:
            return
        begin = max([0] + [x.end() for x in re.finditer(r"[;:]\s|,\s", sent.text[:m.start()])])
        funders = [r for a, _, r in orgs if begin <= a < m.start()]
        for ref in funders:
            for p in progs:
                self._fact(p.ref, "funder", ref, sent, self._money_for(sent, funders))

    def _parent_ref(self, ref: str) -> str | None:
        org = self.s.orgs[ref]
        if org.dict_id and self.d.orgs[org.dict_id].parent:
            return "d:" + str(self.d.orgs[org.dict_id].parent)
        return org.parent

    def _target_programmes(self, sent: Sentence, before: int) -> list[str]:
        nouns = [re.escape(n) for n in self.p.programme_nouns]
        dets = "".join("|" + re.escape(d) for d in self.p.determiners)  # or the noun opening the sentence
        if self.s.programmes and re.search(r"(?:^|\b(?:the|this" + dets + r")\s+)(?:\w+\s+){0,2}(?:" + "|".join(nouns)
                                           + r")\b", sent.text[:before], re.I):
            return [self.s.programmes[-1].ref]
        return []

    def _donor(self, ref: str) -> bool:
        org = self.s.orgs[ref]
        if org.dict_id:
            return self.d.orgs[org.dict_id].kind in ("government", "eu", "agency", "development-bank")
        return bool(re.search(r"\b(Government|Ministry|Embassy|Delegation|Agency)\b", org.name))

    # ------------------------------------------------------------------ parents and places
    def _parents(self) -> None:
        """Link a dictionary organization to its parent when the release names the parent too."""
        for ref, org in list(self.s.orgs.items()):
            if org.dict_id and org.parent is None:
                parent = self.d.orgs[org.dict_id].parent
                if parent and "d:" + parent in self.s.orgs:
                    self.s.orgs[ref] = replace(org, parent="d:" + parent)

    def _places(self) -> None:
        """Events without a place in their own sentence take the dateline's."""
        line = dateline(self.d, self.main.text)
        for i, e in enumerate(self.s.events):
            if e.location is None and e.location_country is None and e.start and len(e.start) == 10:
                e = self.s.events[i] = self._place_elsewhere(e)
            if line is not None and e.location is None and e.location_country in (None, line.iso2):
                e = self.s.events[i] = replace(e, location=line.name, location_country=line.iso2)
            if e.location_country and e.evidence is not None:
                # the host country sits at the table of an event held there
                self.s.facts.append(Fact(e.ref, "participantCountry", e.location_country, e.evidence))
                self._country(e.location_country, e.location_country, None)  # and is a country of the release

    def _place_elsewhere(self, e: Event) -> Event:
        """The place another language version gives for the event of the same day (a bilingual release
        may name the town in one version only)."""
        for section in self.others:
            if section.lang == "und":
                continue
            p = for_language(section.lang)
            for sent in split_sentences(section.text, section.start):
                if not any(w.start == e.start for w in find_dates(sent.text, self.r.published, p)):
                    continue
                place = event_location(self.d, sent.text, 0, p.place_prepositions)
                if place is not None:
                    if place.iso2:
                        self._country(place.iso2, place.iso2, None)
                    return replace(e, location=place.name, location_country=place.iso2)
        return e

    # ------------------------------------------------------------------ implementers
    def _implementers(self) -> None:
        """An organization that organized an event in a programme's framework implements it."""
        by_event: dict[str, list[Fact]] = {}
        for f in self.s.facts:
            by_event.setdefault(f.subject, []).append(f)
        for f in list(self.s.facts):
            if f.relation != "partOfProgramme":
                continue
            for g in by_event.get(f.subject, []):
                if g.relation == "organizer" and g.evidence:
                    self.s.facts.append(Fact(f.object, "implementer", g.object, g.evidence))
        for ref, org in self.s.orgs.items():
            if org.parent:
                self.s.facts.append(Fact(ref, "subOrganizationOf", org.parent, org.evidence))
