"""Pass 4, funding: who funds what, from cues typed by direction ("funded by X", "X-funded", "X committed"),
with the sum when the sentence states one; the funded thing is the sentence's programme, else its event.
"""

from __future__ import annotations

import re
from functools import cache

from migkg.extract import roles
from migkg.extract.doc import Doc
from migkg.extract.mentions import Mentions
from migkg.extract.patterns import (
    GAP,
    alternation,
    anchors,
    glued,
    words_rx,
)
from migkg.extract.text import Sentence
from migkg.languages import Profile
from migkg.model import Event, Programme, Relation


def read(doc: Doc, found: Mentions, event: Event | None) -> None:
    """Funding stated in this sentence."""
    cues(doc, found.sent, list(found.orgs), list(found.programmes), event, found.countries)
    subject_funding(doc, found.sent, list(found.orgs), list(found.programmes))
    implementers(doc, found.sent, list(found.orgs), list(found.programmes))


@cache
def _implementer_rx(p: Profile) -> re.Pattern[str] | None:
    """The implementer cues that are no partner or role cue too, or None when there are none."""
    shared = {c.lower() for c in (*p.partner_cues, *p.organizer_cues.all(), *p.participant_cues.all())}
    own = tuple(c for c in p.implementer_cues.agent_after if c.lower() not in shared)
    return words_rx(r"(?<![\w-])(?:", own, r")(?![\w-])") if own else None


def implementers(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme]) -> None:
    """"the project funded by the EU and implemented by IOM “Title”", "le projet … mis en œuvre par l’OIM": the
    organizations right after an implementer cue implement the sentence's programmes (cues that are also partner
    or role cues say less, and are left to the roles)."""
    own = _implementer_rx(doc.p)
    if not progs or own is None:
        return
    for m in own.finditer(sent.text):
        end = roles.clause_end(doc, sent.text, m.end())
        title = re.search(r"[“«„\"]", sent.text[m.end():end])
        stop = m.end() + title.start() if title else end  # "… mis en œuvre par l’OIM « Title »"
        names = [r for a, _, r in orgs if m.end() <= a < stop]
        for p in progs:
            for r in names[:3]:
                doc.fact(p.ref, Relation.IMPLEMENTER, r, sent)


def cues(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme],
             event: Event | None, countries: tuple[tuple[int, int, str], ...] = ()) -> None:
    low = sent.text.lower()
    if not any(a in low for a in anchors((*doc.p.funding_cues.agent_after, *doc.p.funding_cues.agent_attached))):
        return
    for m in doc.fund_rx.finditer(sent.text):
        cue = m.group("cue").lower()
        end = roles.clause_end(doc, sent.text, m.end())
        funders = [r for a, _, r in orgs if m.end() <= a < end]
        first = next(((a, b, iso2) for a, b, iso2 in countries if m.end() <= a < end), None)
        gov = doc.p.name_templates.get("government", "").split("{country}")[0].strip().lower()
        between = sent.text[m.end():first[0]].strip().lower() if first else ""
        if not funders and first and (len(between.split()) <= 1 or (gov and between.endswith(gov))):
            # "funded by (the) Netherlands": its government
            funders = [doc.government(first[2], sent, first[0], first[1])]
        if cue in {c.lower() for c in doc.p.funding_cues.agent_attached}:  # "EU-funded": the word before
            word = re.search(r"([\w.]+)$", sent.text[:m.start()])
            # glued ("EU-funded"), or right before it with a case ending ("Avrupa Komisyonu’nun mali desteğiyle")
            funders = [r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", sent.text[b:m.start()])]
            if word and not funders and word.end() == m.start() and word.group(1).isupper():
                # "the EUfunded programme": the acronym written onto the cue
                known = [x for x in doc.d.trie.find(word.group(1), kinds=("org",)) if x.start == 0
                         and x.end == len(word.group(1))]
                funders = [doc.dict_org(known[0].entry.key, sent)] if known else []
            iso2 = doc.d.adjective_country(word.group(1)) if word and not funders else None
            if iso2:  # "a Canadian-funded project": the government of that country
                funders = [doc.government(iso2, sent, word.start(1), m.end())]
        if "support" in cue or cue in {c.lower() for c in doc.p.support_cues}:
            # support from an implementing agency is taking part, not funding
            helpers = [r for r in funders if not doc.donor(r)]
            funders = [r for r in funders if doc.donor(r)]
            if event is not None and not progs:
                for r in helpers:
                    doc.fact(event.ref, Relation.PARTICIPANT, r, sent)
        # a unit named with its parent: the unit funds, the parent does not
        parents = {doc.parent_ref(r) for r in funders}
        funders = [r for r in funders if r not in parents]
        if not funders:
            continue
        channels = _channels(doc, sent.text, m.end(), end)
        progs_here = [p for p in progs if p.ref not in channels]
        targets = [p.ref for p in progs_here] or _target_programmes(doc, sent, m.start(), channels)
        if not targets and event is not None:
            targets = [event.ref]
        if not targets and doc.s.events and re.search(r"\b(event|meeting|workshop|training|conference)\b",
                                                        sent.text[:m.start()], re.I):
            targets = [doc.s.events[-1].ref]
        for t in targets:
            for f in funders:
                doc.fact(t, Relation.FUNDER, f, sent, doc.money_for(sent, funders))


def subject_funding(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme]) -> None:
    """"X has committed CAD 9 million to the programme “P”", "X supported the meeting through “P”"."""
    if not progs:
        return
    m = alternation(doc.p.funding_cues.agent_before).search(sent.text)
    if not m:
        return
    begin = max([0] + [x.end() for x in re.finditer(r"[;:]\s|,\s", sent.text[:m.start()])])
    funders = [r for a, _, r in orgs if begin <= a < m.start()]
    for ref in funders:
        for p in progs:
            doc.fact(p.ref, Relation.FUNDER, ref, sent, doc.money_for(sent, funders))


def _channels(doc: Doc, text: str, start: int, end: int) -> set[str]:
    """Programmes the money passes through, not the thing funded: "funded by X via the Facility"."""
    if not doc.p.channel_prepositions:
        return set()
    via = words_rx(r"\b(?:", doc.p.channel_prepositions, r")\s+(?:(?:" + "|".join(
        re.escape(a) for a in (*doc.p.articles, "the")) + r")\s+)?$")
    return {p.ref for p in doc.s.programmes for a in _title_starts(text, p)
            if start <= a < end and via.search(text[:a])}


def _title_starts(text: str, p: Programme) -> list[int]:
    return [m.start() for t in (*p.titles, *p.aliases) for m in re.finditer(re.escape(t.text), text)]


def _target_programmes(doc: Doc, sent: Sentence, before: int, channels: set[str] = frozenset()) -> list[str]:
    progs = [p for p in doc.s.programmes if p.ref not in channels]
    nouns = [re.escape(n) for n in doc.p.programme_nouns]
    dets = "".join("|" + re.escape(d) for d in doc.p.determiners)  # or the noun opening the sentence
    edge, gap = (glued, GAP) if doc.p.letters else (str, r"\s+")
    if progs and re.search(edge(r"(?:^|\b(?:the|this" + dets + r")" + gap + r")(?:\w+\s+){0,2}(?:" + "|".join(nouns)
                                + r")\b"), sent.text[:before], re.I):
        return [progs[-1].ref]
    if progs and re.match(r"[\w-]*\s+(?:" + "|".join(nouns) + r")\b", sent.text[before:], re.I):
        return [progs[-1].ref]  # "this regional EU-funded project": the programme in hand
    return []
