"""The document the extraction passes read and annotate: the release, its main section and profile, the
registries of organizations, countries, programmes, events and facts, and the small verbs every pass uses
to register them (one ref per organization, one fact per triple, the evidence span of each).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Generic, TypeVar

from migkg.extract.money import Money, find_money
from migkg.extract.patterns import (
    alternation,
    inflected,
    words_rx,
)
from migkg.extract.places import Place, event_location
from migkg.extract.text import Sentence, footnotes, is_footnote, split_sentences
from migkg.extract.when import When, find_dates
from migkg.languages import Profile, for_language
from migkg.model import CountryMention, Event, Extraction, Fact, Org, Programme, Release, Span
from migkg.names import fold, slug
from migkg.reference import Dictionaries, Match

T = TypeVar("T")


_STARS_AT_END = re.compile(r"(\*+)$")
_STARS = re.compile(r"\*+")


class _PerProfile(Generic[T]):
    """A :class:`Doc` property that depends on the section's profile only: computed once per profile and
    process, not once per release (``@_PerProfile`` instead of ``@cached_property``)."""

    def __init__(self, fn: Callable[[Doc], T]) -> None:
        self.fn = fn
        self.values: dict[Profile, T] = {}
        self.__doc__ = fn.__doc__

    def __get__(self, doc: Doc | None, owner: type | None = None) -> T:
        if doc is None:
            return self  # type: ignore[return-value]  # looked up on the class (help(), docs)
        try:
            return self.values[doc.p]
        except KeyError:
            value = self.values[doc.p] = self.fn(doc)
            return value


@dataclass
class State:
    """The registries the passes fill."""

    orgs: dict[str, Org] = field(default_factory=dict)
    countries: dict[str, CountryMention] = field(default_factory=dict)
    programmes: list[Programme] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


class Doc:
    """One release being read. Make one per release: ``Doc(release, dicts)``; the passes annotate it and
    :meth:`result` returns the :class:`~migkg.model.Extraction`."""

    def __init__(self, release: Release, dicts: Dictionaries) -> None:
        self.r = release
        self.d = dicts
        self.s = State()
        english = [s for s in release.sections if s.lang == "en"]
        self.main = english[0] if english else release.sections[0]
        self.p = for_language(self.main.lang)
        # without a publication date, a date given without its year takes the year of the first full date
        # in the title or the text ("Senior Officials' Meeting, Asmara, 7 March 2019" ... "on the 6th March")
        # ("Bangladesh kicks off its 2016 Chairmanship … On 21-22 January": the latest year the text names)
        if release.published:
            self.year: int | None = None
        elif release.published_month:  # "Date Publish: 2022-11"
            self.year = int(release.published_month[:4])
        else:
            self.year = next((int(w.start[:4]) for t in (release.title, self.main.text)
                              for w in find_dates(t, None, self.p) if len(w.start) > 4), None) or _latest_year(
                f"{release.title}\n{self.main.text}")
        self.others = [s for s in release.sections if s is not self.main]
        self.notes = footnotes(self.main.text)
        # the main section's names are found once, for the whole section; each sentence reads its own off it
        self.main_names = dicts.trie.scan(self.main.text, suffixes=self.p.name_suffixes)
        self.named_countries = {e.key for sec in release.sections for _, _, e in (
                                    self.main_names.names if sec is self.main else dicts.trie.scan(
                                        sec.text, suffixes=for_language(sec.lang).name_suffixes).names)
                                if e.kind == "country" and e.form_kind not in ("adjective", "demonym")}
        self.programme_spans: list[tuple[int, int]] = []
        self.acronyms: dict[str, str] = {}
        self.pending_organizers: list[str] = []
        self.twins: dict[str, str] = {}  # an event told in the same breath as another, on another date -> that one
        self.recent_date: When | None = None
        # "two trainings were held": (the event, how many, the places told so far, the sentence that counted them)
        self.counted: tuple[str, int, list[tuple[str, str]], str] | None = None
        self.pending_date: When | None = None
        self.dates_here: list[When] = []
        self.sentences = [s for s in split_sentences(self.main.text, self.main.start) if not is_footnote(s)]
        self.event_nouns = sorted(self.p.event_nouns, key=len, reverse=True)
        self.event_rx = words_rx(r"\b(", tuple(self.event_nouns), r")s?\b")
        self.verb_rx = alternation((*self.p.organizer_cues.all(), "held"))
        self.part_rx = alternation(self.p.participant_cues.all())
        self.event_verb_rx = alternation(tuple(self.p.event_verbs))
        self.subject_cues = {c.lower() for c in self.p.participant_cues.agent_before}
        self.agent_after = {c.lower() for c in self.p.organizer_cues.agent_after}
        self.by_cue_rx = alternation(self.p.organizer_cues.agent_after)  # "chaired by", "hosted by"
        self.agent_before = {c.lower() for c in self.p.organizer_cues.agent_before}
        # ", который …", ", που …": a relative clause ends the role clause, as ", which" does
        self.relative_rx = words_rx(r",\s+(?:", self.p.relative_words or ("(?!)",), r")\b")
        self.with_rx = words_rx(r"\b(?:", self.p.partner_cues, r")\b")
        self.role_cue_rx = self.part_rx
        self.any_cue_rx = alternation((*self.p.organizer_cues.all(), *self.p.participant_cues.all(),
                                         *self.p.funding_cues.agent_after, *self.p.funding_cues.agent_attached,
                                         *self.p.implementer_cues.all()))
        self.fund_rx = words_rx(r"(?P<cue>", (*self.p.funding_cues.agent_after, *self.p.funding_cues.agent_attached),
                                  r")\b")
        spaced = tuple(w for w in (*self.p.articles, *self.p.determiners) if not w.endswith(("'", "’")))
        articles = tuple(w for w in self.p.articles if not w.endswith(("'", "’")))
        phrase = r")\s+((?:[\w-]+(?:[’'](?=\s))?\s+|\([\w-]+\)\s+){0,8})$"  # "the 21st … (MIDSA) technical Conference"
        # an article is a word of its own, not the ending of a numeral ("cea de-a 21-a reuniune")
        self.article_rx = words_rx(r"(?s:.*)(?<![\w-])(?:", (*spaced, "the", "a", "an", "its", "their", "this"), phrase)
        self.label_rx = words_rx(r"(?s:.*)(?<![\w-])(?:", (*articles, "the", "a", "an"), phrase)
        definite = tuple(w for w in spaced if w.lower() not in ("a", "an"))
        self.definite_rx = words_rx(r"\b(?:", (*definite, "the", "this", "that"), r")\s+(?:[\w-]+\s+){0,2}$")
        self.event_folds = {fold(n) for n in self.p.event_nouns}
        # "a conference outcome document", "training materials": the event noun only qualifies what follows
        self.modifier_heads_rx = words_rx(r"\s+(?:", self.p.event_modifier_heads, r")\b") \
            if self.p.event_modifier_heads else None
        self._all: dict[tuple[int, str], tuple[re.Match[str], ...]] = {}
        self._first: dict[tuple[int, str], tuple[int, re.Match[str] | None]] = {}

    def all(self, rx: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
        """``tuple(rx.finditer(text))``, found once per pattern and text: the passes read a sentence's cues again and
        again (the role pass, the funding pass and the event pass each read its verbs, cues and event nouns)."""
        key = (id(rx), text)  # (a pattern hashes its whole compiled code)
        found = self._all.get(key)
        if found is None:
            found = self._all[key] = tuple(rx.finditer(text))
        return found

    def all_from(self, rx: re.Pattern[str], text: str, start: int) -> Iterable[re.Match[str]]:
        """``rx.finditer(text, start)``, read off :meth:`all` when no match found from 0 straddles ``start``: the scan
        from 0, past its last match before ``start``, tried every position up to its next match in vain, as the scan
        from ``start`` does, and from that match on the two are the same scan."""
        every = self.all(rx, text)
        if any(m.start() < start < m.end() for m in every):
            return rx.finditer(text, start)
        return [m for m in every if m.start() >= start]

    def first(self, rx: re.Pattern[str], text: str, pos: int = 0) -> re.Match[str] | None:
        """``rx.search(text, pos)``, remembered per pattern and text: a search from ``at`` that found its match at
        ``m.start()`` (or none) tried every position from ``at`` up to there in vain, and a try at a position does not
        depend on where the search started (lookbehinds and word edges see the whole text), so a search from any
        ``pos`` between the two finds the same match (only its ``pos`` attribute, which no pass reads, differs)."""
        key = (id(rx), text)  # (a pattern hashes its whole compiled code)
        every = self._all.get(key)
        if every is not None and (not every or pos <= every[0].start()):
            # every match was found from 0: none before the first (none at all), so a search from 0 up to it finds it
            return every[0] if every else None
        known = self._first.get(key)
        if known is not None:
            at, m = known
            if at <= pos and (m is None or pos <= m.start()):
                return m
        m = rx.search(text, pos)
        self._first[key] = (pos, m)
        return m

    @_PerProfile
    def speech_rx(self) -> re.Pattern[str]:
        """A quote then its speaker's verb ("…», — сказал министр", "…” dedi Bakan"), or the verb then a colon and
        quote."""
        verbs = r"(?:" + "|".join(re.escape(v) for v in self.p.speech_verbs or ("said",)) + r")"
        return re.compile(rf"[“\"«„][^“”\"«»]*[”\"»“][,.]?\s*[—–-]?\s*{verbs}\b"
                          rf"|\b{verbs}\b[^“\"«„]{{0,40}}:\s*[“\"«„]", re.I)

    @_PerProfile
    def placing_rx(self) -> re.Pattern[str]:
        """The words between two organizations by which the second only places the first ("the Service … of
        the Ministry", "the Directorate in the Ministry")."""
        p = self.p
        placing = {*p.of_words, *p.place_prepositions, "of", "in"} - {*p.conjunctions, *p.beneficiary_prepositions,
                                                                        "and"}
        place = "|".join(re.escape(w) for w in sorted(placing, key=len, reverse=True)
                         if w[:1] not in "'’-" and w[-1:] != "-")
        return re.compile(rf"\s+(?:{place})\s+(?:the\s+)?")

    @_PerProfile
    def coordination_rx(self) -> re.Pattern[str]:
        """What joins two coordinated names: " and the ", ", ", " et la "."""
        conj = "|".join(re.escape(c) for c in sorted({*self.p.conjunctions, "and"}, key=len, reverse=True))
        arts = "|".join(re.escape(a) for a in sorted({*self.p.articles, "the"}, key=len, reverse=True)
                        if a[-1:] not in "'’")
        return re.compile(rf"\s*,?\s*(?:(?:{conj})\s+)?(?:(?:{arts})\s+)?", re.I)

    @staticmethod
    def _words(words: tuple[str, ...], prefix: str = r"(?<![\w-])(?:", suffix: str = r")(?![\w-])"
               ) -> re.Pattern[str] | None:
        """Any of ``words`` (whole words unless told otherwise), or None for a profile without them."""
        return words_rx(prefix, words, suffix) if words else None

    @_PerProfile
    def office_titles(self) -> tuple[str, ...]:
        """A profile's capitalised titles of office ("Deputy Prime Minister", "Ambassador"), without "Mr."."""
        return tuple(t for t in self.p.person_titles if t[:1].isupper() and not t.endswith("."))

    @_PerProfile
    def office_title_rx(self) -> re.Pattern[str] | None:
        return self._words(self.office_titles)

    @_PerProfile
    def envoy_rx(self) -> re.Pattern[str] | None:
        """A title of office then "of (the)", right before a country: "the Ambassador of Germany"."""
        of = "|".join(re.escape(w) for w in (*self.p.of_words, "of"))
        return self._words(self.office_titles, suffix=rf")\s+(?:{of})\s+(?:the\s+)?$")

    @_PerProfile
    def placed_before_rx(self) -> re.Pattern[str] | None:
        """A place preposition and up to three words, ending where an event noun starts: "at a ceremony"."""
        return self._words(self.p.place_prepositions, suffix=r")\s+(?:[\w'’-]+\s+){0,3}$")

    @_PerProfile
    def indefinite_rx(self) -> re.Pattern[str] | None:
        return self._words(self.p.indefinite_articles, r"(?<![\w'’-])(?:", r")\s+$")

    @_PerProfile
    def sequence_rx(self) -> re.Pattern[str] | None:
        """A sequence cue and maybe an article, ending where an event's name starts: "was followed by a"."""
        arts = "|".join(re.escape(a) for a in (*self.p.articles, "a", "an", "the") if a[-1:] not in "'’")
        return self._words(self.p.sequence_cues, suffix=rf")\s+(?:(?:{arts})\s+)?$")

    @_PerProfile
    def next_day_rx(self) -> re.Pattern[str] | None:
        return self._words(self.p.next_day_words)

    @_PerProfile
    def origin_rx(self) -> re.Pattern[str] | None:
        return self._words(self.p.origin_cues)

    @_PerProfile
    def subject_words(self) -> frozenset[str]:
        """The small words a subject list may hold besides names: conjunctions and articles."""
        return frozenset(w.lower() for w in (*self.p.conjunctions, *self.p.articles, "and", "the"))

    @_PerProfile
    def between_rx(self) -> re.Pattern[str]:
        """" between ", " tra ", " entre ": what opens the parties of a meeting right after its noun."""
        return words_rx(r"\s+(?:", (*self.p.between_words, "between"), r")\b")

    @_PerProfile
    def beneficiary_alt(self) -> str:
        """The section language's beneficiary prepositions ("for", "with", "to") as one alternation."""
        return "|".join(re.escape(w) for w in self.p.beneficiary_prepositions)

    @_PerProfile
    def not_adjectives(self) -> set[str]:
        """Words that never extend an event's name as an adjective after its noun: grammar words and the words
        of role cues and event verbs."""
        p = self.p
        small = {w.lower() for w in (*p.function_words, *p.articles, *p.of_words, *p.auxiliaries,
                                     *p.place_prepositions, *p.conjunctions, *p.relative_words, *p.by_markers,
                                     *p.beneficiary_prepositions, *p.determiners)}
        return small | {w.lower() for c in (*p.organizer_cues.all(), *p.participant_cues.all(), *p.event_verbs)
                        for w in c.split()}

    def headline_read(self) -> None:
        """After the headline was read as a sentence at 0: what was read there has the headline as its quote
        and an empty span at 0, since the headline is not part of the release's text."""
        title = self.r.title

        def settle(span: Span | None) -> Span | None:
            return Span(0, 0, title) if span is not None and span.sentence is title else span

        s = self.s
        s.orgs = {k: replace(o, evidence=settle(o.evidence)) for k, o in s.orgs.items()}
        s.countries = {k: replace(c, evidence=settle(c.evidence)) for k, c in s.countries.items()}
        s.programmes = [replace(p, evidence=settle(p.evidence)) for p in s.programmes]
        s.events = [replace(e, evidence=settle(e.evidence)) for e in s.events]
        s.facts = [replace(f, evidence=settle(f.evidence)) for f in s.facts]

    def chaired(self, text: str, at: int) -> bool:
        """A country named at ``at`` in brackets after a chair noun: "the Chair (Türkiye)" (profile: chair_nouns)."""
        if not self.p.chair_nouns:
            return False
        return words_rx(r"\b(?:", self.p.chair_nouns, r")\s*\(\s*$").search(text[max(0, at - 40):at]) is not None

    def where(self, text: str, after: int = 0) -> Place | None:
        """Where the event of ``text`` took place, read with this section's profile (see places.event_location)."""
        return event_location(self.d, text, after, self.p.place_prepositions, self.p.place_nouns, self.p.articles)

    def names(self, sent: Sentence) -> list[Match]:
        """The dictionary names in a sentence, as ``trie.find(sent.text, suffixes=…)`` gives them: read off the scan
        of the main section when the sentence is part of it and nothing crosses its edges, else found in it."""
        at = sent.start - self.main.start
        if at >= 0 and self.main.text[at:at + len(sent.text)] == sent.text:
            found = self.main_names.within(at, at + len(sent.text))
            if found is not None:
                return found
        return self.d.trie.find(sent.text, suffixes=self.p.name_suffixes)

    def span(self, sent: Sentence, start: int | None = None, end: int | None = None) -> Span:
        a = sent.start + (start or 0)
        b = sent.start + (end if end is not None else len(sent.text))
        return Span(a, b, sent.text)

    def fact(self, s: str, rel: str, o: str, sent: Sentence, money: Money | None = None) -> None:
        f = Fact(s, rel, o, self.span(sent), money.value if money else None, money.currency if money else None)
        for i, x in enumerate(self.s.facts):
            if (x.subject, x.relation, x.object) == (s, rel, o):
                if money is not None and x.amount is None:  # the sum is told in a later sentence
                    self.s.facts[i] = replace(x, amount=f.amount, currency=f.currency)
                return
        self.s.facts.append(f)

    def money_for(self, sent: Sentence, funders: list[str]) -> Money | None:
        """The sum a funding sentence states, when it can belong to its one funder (or one sum to all)."""
        sums = find_money(sent.text, self.p)
        return sums[0] if len(sums) == 1 and len(set(funders)) == 1 else None

    def add_country(self, iso2: str, surface: str, sent: Sentence | None, start: int = 0, end: int = 0) -> None:
        qual = None
        if sent is not None:
            star = _STARS_AT_END.search(sent.text[start:end]) or _STARS.match(sent.text[end:end + 3])
            if star:
                qual = self.notes.get(star.group().strip())
        old = self.s.countries.get(iso2)
        if old is None or (qual and not old.qualification):
            span = self.span(sent, start, end) if sent else None
            self.s.countries[iso2] = CountryMention(iso2, surface, qual or (old.qualification if old else None),
                                                    span)

    def dict_org(self, org_id: str, sent: Sentence, m: Match | None = None, surface: str | None = None) -> str:
        ref = "d:" + org_id
        e = self.d.orgs[org_id]
        # an acronym of another language ("OIM", "МВР") is a name the release uses; the English one is not
        written = surface or (m.text if m and (m.entry.form_kind != "acronym" or m.text != e.acronym) else None)
        if ref not in self.s.orgs:
            span = self.span(sent, m.start, m.end) if m else self.span(sent)
            # the parent is linked only when the release names it too (see _parents); a release in another
            # language also gets the name in its own language (first listed: the nominative) and its own
            # acronym when it uses it ("Европейским союзом" -> "Европейский союз", "ЕС")
            own = [a for a in e.aliases.get(self.main.lang, []) if self.main.lang != "en"]
            local = own[:1] + [a for a in own[1:] if a.isupper() and re.search(rf"(?<!\w){re.escape(a)}(?!\w)",
                                                                               self.main.text)]
            self.s.orgs[ref] = Org(ref, e.name, e.acronym, e.country, None, org_id, tuple(local), span, self.main.lang)
            if e.country and e.country in self.d.countries:
                self.add_country(e.country, e.country, None)
        org = self.s.orgs[ref]
        if written and fold(written) != fold(e.name) and written not in org.aliases:
            self.s.orgs[ref] = replace(org, aliases=(*org.aliases, written))
        return ref

    def new_org(self, name: str, country: str | None, sent: Sentence, start: int, end: int,
                 acronym: str | None = None, parent: str | None = None) -> str:
        name = re.sub(r"(?<=\w)['’]s$", "", name)  # "the Kurdistan Regional Government’s ministries"
        ref = "g:" + slug(name) + (f"@{country}" if country else "")
        if ref not in self.s.orgs:
            self.s.orgs[ref] = Org(ref, name, acronym, country, parent, None, (), self.span(sent, start, end),
                                   self.main.lang)
            if country:
                self.add_country(country, country, None)
        return ref

    def same_org(self, name: str, country: str | None) -> str | None:
        """An organization this release already named of which ``name`` is a short form
        ("the Ministry of Interior" after "the Ministry of Interior of North Macedonia")."""
        short = fold(name)
        hits = [ref for ref, o in self.s.orgs.items()
                if (country is None or o.country in (None, country))
                and any(fold(n) == short or fold(n).startswith(short + " ") for n in (o.name, *o.aliases))]
        if not hits and " " in short:  # an inflected form ("Poliției de Frontieră" after "Poliția de Frontieră")
            hits = [ref for ref, o in self.s.orgs.items() if not o.dict_id and o.country == country
                    and any(inflected(fold(n), short) for n in (o.name, *o.aliases))]
        return hits[0] if len(hits) == 1 else None

    def government(self, iso2: str, sent: Sentence, start: int, end: int) -> str:
        """The government of a country acting as one ("a Canadian-funded project", "Portugal hosted"),
        also known by the country's own name."""
        template = self.p.name_templates.get("government", "{country}")
        name = template.format(country=self.d.country_label(iso2, self.p.code))
        known = [x for x in self.d.trie.find(name, kinds=("org",)) if x.start == 0 and x.end == len(name)]
        if known:
            ref = self.dict_org(known[0].entry.key, sent, surface=name)
        else:
            ref = self.same_org(name, iso2) or self.new_org(name, iso2, sent, start, end)
        org = self.s.orgs[ref]
        country = self.d.country_label(iso2, self.p.code)
        if country != org.name and country not in org.aliases:
            self.s.orgs[ref] = replace(org, aliases=(*org.aliases, country))
        return ref

    def parent_ref(self, ref: str) -> str | None:
        org = self.s.orgs[ref]
        if org.dict_id and self.d.orgs[org.dict_id].parent:
            return "d:" + str(self.d.orgs[org.dict_id].parent)
        return org.parent

    def donor(self, ref: str) -> bool:
        org = self.s.orgs[ref]
        if org.dict_id:
            return self.d.orgs[org.dict_id].kind in ("government", "eu", "agency", "development-bank")
        if re.search(r"\b(Government|Ministry|Embassy|Delegation|Agency)\b", org.name):
            return True
        # a government or embassy named in the section's language ("حكومة اليابان", "Governo do Japão")
        templates = [self.p.name_templates.get(k, "") for k in ("government", "embassy")]
        return bool(org.country) and any(
            t and all(part.strip() in org.name for part in t.split("{country}") if part.strip()) for t in templates)

    def result(self) -> Extraction:
        return Extraction(
            release=self.r,
            organizations=tuple(self.s.orgs.values()),
            countries=tuple(self.s.countries.values()),
            programmes=tuple(self.s.programmes),
            events=tuple(self.s.events),
            facts=tuple(self.s.facts),
        )


def _latest_year(text: str) -> int | None:
    """The latest plausible year (1945 to next year) written alone in the text ("2016", not "2016-2018" ends)."""
    years = [int(y) for y in re.findall(r"(?<![\d/.-])((?:19[4-9]|20[0-9])\d)(?![\d/.])", text)]
    years = [y for y in years if y <= date.today().year + 1]
    return max(years) if years else None
