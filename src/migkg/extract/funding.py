"""Pass 4, funding: who funds what, from cues typed by direction ("funded by X", "X-funded", "X committed"),
with the sum when the sentence states one; the funded thing is the sentence's programme, else its event.
"""

from __future__ import annotations

import re
from functools import cache

from migkg.extract import roles
from migkg.extract.doc import Doc
from migkg.extract.mentions import Mentions
from migkg.extract.money import find_money
from migkg.extract.patterns import (
    GAP,
    alternation,
    anchors,
    glued,
    whole,
    words_rx,
)
from migkg.extract.text import Sentence
from migkg.languages import Profile
from migkg.model import Event, Programme, Relation


def read(doc: Doc, found: Mentions, event: Event | None) -> None:
    """Funding stated in this sentence."""
    cues(doc, found.sent, list(found.orgs), list(found.programmes), event, found.countries)
    subject_funding(doc, found.sent, list(found.orgs), list(found.programmes), event, found.countries)
    sums_from(doc, found.sent, list(found.orgs), list(found.programmes), found.countries)
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


@cache
def _fund_anchors(p: Profile) -> tuple[str, ...]:
    """The anchors of the profile's funding cues (the cues' tuple made and hashed once, not per sentence)."""
    return anchors((*p.funding_cues.agent_after, *p.funding_cues.agent_attached))


def cues(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme],
             event: Event | None, countries: tuple[tuple[int, int, str], ...] = ()) -> None:
    low = sent.text.lower()
    if not any(a in low for a in _fund_anchors(doc.p)):
        return
    for m in doc.all(doc.fund_rx, sent.text):
        cue = m.group("cue").lower()
        end = roles.clause_end(doc, sent.text, m.end())
        funders = [r for a, _, r in orgs if m.end() <= a < end]
        if not funders:  # "finanziato dal Fondo asilo migrazione e integrazione": a fund named in lower case
            funders = _named_fund(doc, sent, m.end(), end)
        funders = _not_owners(doc, sent.text, orgs, funders)
        first = next(((a, b, iso2) for a, b, iso2 in countries if m.end() <= a < end), None)
        gov = doc.p.name_templates.get("government", "").split("{country}")[0].strip().lower()
        between = sent.text[m.end():first[0]].strip().lower() if first else ""
        if not funders and first and (len(between.split()) <= 1 or (gov and between.endswith(gov))):
            # "funded by (the) Netherlands": its government
            funders = [doc.government(first[2], sent, first[0], first[1])]
        elif funders:  # "with the support of IOM, Switzerland and the EU": a country in the list, its government
            funders += _listed_countries(doc, sent, m.end(), end, orgs, countries)
        attached = {c.lower() for c in doc.p.funding_cues.agent_attached}
        if cue in attached:  # "EU-funded": the word before
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
        if cue not in attached:
            channels |= _agent_programmes(doc, sent.text, m.end(), end, orgs)
        progs_here = [p for p in progs if p.ref not in channels]
        targets = [p.ref for p in progs_here] or _target_programmes(doc, sent, m.start(), channels)
        if not targets:
            targets = _founded(doc, sent.text, orgs, funders)
        if not targets and _qualifies_complement(doc, sent.text[:m.start()]):
            continue
        if not targets and event is not None:
            targets = [event.ref]
        if not targets and doc.s.events and re.search(r"\b(event|meeting|workshop|training|conference)\b",
                                                        sent.text[:m.start()], re.I):
            targets = [doc.s.events[-1].ref]
        for t in targets:
            for f in funders:
                doc.fact(t, Relation.FUNDER, f, sent, doc.money_for(sent, funders))


def subject_funding(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme],
                    event: Event | None = None, countries: tuple[tuple[int, int, str], ...] = ()) -> None:
    """"X has committed CAD 9 million to the programme “P”", "X supported the meeting through “P”"; a country
    as the subject is its government ("Norway has pledged EUR 5 million to the Fund"). A sentence that names no
    programme but states a sum ("So far, Norway and Switzerland have announced a contribution of EUR 78 million")
    speaks of the programme the sentence before it named, when that one named a single programme."""
    m = alternation(doc.p.funding_cues.agent_before).search(sent.text)
    if not m:
        return
    if not progs and event is None and find_money(sent.text, doc.p):
        progs = _anaphor(doc, sent.text[m.end():]) or _previous_programmes(doc, sent)
    if not progs:
        return
    begin = max([0] + [x.end() for x in re.finditer(r"[;:]\s|,\s", sent.text[:m.start()])])
    funders = [r for a, _, r in orgs if begin <= a < m.start()]
    taken = [(a, b) for a, b, _ in orgs]
    for a, b, iso2 in countries:
        if begin <= a < m.start() and not any(x <= a < y for x, y in taken):
            funders.append(doc.government(iso2, sent, a, b))
    for ref in funders:
        for p in progs:
            doc.fact(p.ref, Relation.FUNDER, ref, sent, doc.money_for(sent, funders))


def _previous_programmes(doc: Doc, sent: Sentence) -> list[Programme]:
    """The one programme the sentence before this one names, if it names exactly one."""
    i = next((i for i, x in enumerate(doc.sentences) if x.start == sent.start), 0)
    if i == 0:
        return []
    before = doc.sentences[i - 1].text
    named = [p for p in doc.s.programmes if _title_starts(before, p)]
    return named if len(named) == 1 else [] if named else _anaphor(doc, before)


def _anaphor(doc: Doc, text: str) -> list[Programme]:
    """"… to support the initiative", "… flow into the programme": a definite programme noun speaks of the
    programme the release named last."""
    if not doc.s.programmes:
        return []
    dets = {w.lower() for w in (*doc.p.articles, *doc.p.determiners, "the", "this")} - {
        w.lower() for w in doc.p.indefinite_articles}
    dets -= {"a", "an"}
    rx = words_rx(r"(?<![\w-])(?:", tuple(sorted(dets, key=len, reverse=True)), r")\s+(?:" + "|".join(
        re.escape(n) for n in sorted(doc.p.programme_nouns, key=len, reverse=True)) + r")(?![\w-])")
    return [doc.s.programmes[-1]] if rx.search(text) else []


def sums_from(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], progs: list[Programme],
              countries: tuple[tuple[int, int, str], ...] = ()) -> None:
    """"The Fund is made up of EUR 1.8 billion from the European Union": a sum given from a body (or a country,
    its government) funds the sentence's programme."""
    if not progs or not doc.p.source_prepositions:
        return
    sums = find_money(sent.text, doc.p)
    if not sums:
        return
    src = "|".join(re.escape(w) for w in sorted(doc.p.source_prepositions, key=len, reverse=True))
    arts = "|".join(re.escape(w) for w in sorted({*doc.p.articles, "the"}, key=len, reverse=True))
    for money in sums:
        m = re.match(rf"\s+(?:{src})(?:\s+|(?<=['’]))(?:(?:{arts})(?:\s+|(?<=['’])))?", sent.text[money.end:], re.I)
        if m is None:
            continue
        at = money.end + m.end()
        funders = [r for a, _, r in orgs if a == at]
        if not funders:
            funders = [doc.government(iso2, sent, a, b) for a, b, iso2 in countries if a == at]
        for ref in funders:
            for p in progs:
                doc.fact(p.ref, Relation.FUNDER, ref, sent, money)


def _channels(doc: Doc, text: str, start: int, end: int) -> set[str]:
    """Programmes the money passes through, not the thing funded: "funded by X via the Facility"."""
    if not doc.p.channel_prepositions:
        return set()
    via = words_rx(r"\b(?:", doc.p.channel_prepositions, r")\s+(?:(?:" + "|".join(
        re.escape(a) for a in (*doc.p.articles, "the")) + r")\s+)?$")
    return {p.ref for p in doc.s.programmes for a in _title_starts(text, p)
            if start <= a < end and via.search(text[:a])}


def _agent_programmes(doc: Doc, text: str, start: int, end: int, orgs: list[tuple[int, int, str]]) -> set[str]:
    """Programmes standing where the funder stands: "funded by the European Union's Regional … Programme" (the
    programme is the money's channel, and the organization before it the funder of what the cue follows)."""
    glue = {w.lower() for w in (*doc.p.articles, *doc.p.determiners, "the")}
    nouns = {w.lower() for w in doc.p.programme_nouns}
    out = set()
    for p in doc.s.programmes:
        for a in _title_starts(text, p, acronym=True):  # "funded by the Fund for X (AMIF)": its acronym too
            if not start <= a < end:
                continue
            between = text[start:a]
            owners = [(x, y) for x, y, _ in orgs if start <= x and y <= a]
            for x, y in sorted(owners, reverse=True):
                between = between[:x - start] + " " + between[y - start:]
            words = re.sub(r"['’]s\b|[^\w\s-]", " ", between).lower().split()
            # "funded by the programme “P”" too; but after a funder, "funds the EU project “P”" (a verb before its
            # subject) names what is funded
            if all(w in glue or (w in nouns and not owners) for w in words):
                out.add(p.ref)
    return out


def _named_fund(doc: Doc, sent: Sentence, start: int, end: int) -> list[str]:
    """A fund right after a funding cue whose name goes on in lower case ("dal Fondo asilo migrazione e
    integrazione del ministero"): the fund noun (a noun both of organizations and programmes) and the words after
    it up to an "of" word or a punctuation mark; the fund is the funder (an intermediary)."""
    funds = {w.lower() for w in doc.p.org_head_nouns} & {w.lower() for w in doc.p.programme_nouns}
    if not funds:
        return []
    arts = "|".join(re.escape(w) for w in sorted({*doc.p.articles, "the"}, key=len, reverse=True))
    m = re.match(rf"\s*(?:(?:{arts})(?:\s+|(?<=['’])))?(?P<head>[A-Z][^\W\d_]+)(?P<rest>(?:\s+[^\W\d_]+){{1,6}})",
                 sent.text[start:end])
    if m is None or m.group("head").lower() not in funds:
        return []
    stops = {w.lower() for w in (*doc.p.of_words, *doc.p.by_markers, *doc.p.source_prepositions, "of", "by")}
    words = m.group("rest").split()
    cut = next((i for i, w in enumerate(words) if w.lower() in stops or not w.islower()), len(words))
    if cut < 2:
        return []
    a = start + m.start("head")
    kept = re.match(rf"(?:\s+\S+){{{cut}}}", m.group("rest"))
    b = start + m.end("head") + (kept.end() if kept else 0)
    return [doc.new_org(sent.text[a:b], None, sent, a, b)]


def _not_owners(doc: Doc, text: str, orgs: list[tuple[int, int, str]], funders: list[str]) -> list[str]:
    """"funded by the Fund for X (AMIF) of the European Union": the fund is the funder; the body whose fund it
    is, named right after it with an "of" word, is not a second funder here."""
    funds = {w.lower() for w in (*doc.p.programme_nouns, "fund", "facility")}
    of = "|".join(re.escape(w) for w in sorted({*doc.p.of_words, "of"}, key=len, reverse=True) if w[-1:] not in "'’")
    arts = "|".join(re.escape(w) for w in sorted({*doc.p.articles, "the"}, key=len, reverse=True))
    starts: dict[int, str] = {a: r for a, _, r in orgs}
    owners = set()
    for _, b, r in orgs:
        if r not in funders or not (set(re.findall(r"[^\W\d_]+", doc.s.orgs[r].name.lower())) & funds):
            continue
        after = re.match(rf"\s*(?:\([^()]{{1,20}}\)|\))?\s*(?:{of})\s+(?:(?:{arts})(?:\s+|(?<=['’])))?", text[b:])
        if after and starts.get(b + after.end(), r) != r:
            owners.add(starts[b + after.end()])
    return [r for r in funders if r not in owners]


@cache
def _glue(p: Profile) -> frozenset[str]:
    """The words that may join the names of a list (conjunctions, articles, of-words), lower case, once per profile."""
    return frozenset(w.lower() for x in (*p.conjunctions, *p.articles, *p.of_words, "and", "the")
                     for w in re.split(r"\s+|(?<=['’])", x) if w)


def _listed_countries(doc: Doc, sent: Sentence, start: int, end: int, orgs: list[tuple[int, int, str]],
                      countries: tuple[tuple[int, int, str], ...]) -> list[str]:
    """The governments of the countries in the list of names right after a funding cue (names joined by commas,
    conjunctions and articles only)."""
    glue = _glue(doc.p)
    items = sorted([(a, b, None) for a, b, _ in orgs] + [(a, b, iso2) for a, b, iso2 in countries
                                                          if not any(x <= a < y for x, y, _ in orgs)])
    out, at = [], start
    for a, b, iso2 in items:
        if a < at or a >= end:
            continue
        if any(w.lower() not in glue for w in re.sub(r"[,&]", " ", sent.text[at:a]).split()):
            break
        if iso2:
            out.append(doc.government(iso2, sent, a, b))
        at = b
    return out


def _founded(doc: Doc, text: str, orgs: list[tuple[int, int, str]], funders: list[str]) -> list[str]:
    """"MIDWA was set up in 2000 with the support of Switzerland and the EU": the body the sentence opens with,
    when a founding participle follows it, is what the donors fund."""
    if not doc.p.founding_cues or not orgs:
        return []
    a, b, ref = min(orgs)
    lead = text[:a].strip().lower()
    if ref in funders or lead not in {"", "the", *(w.lower() for w in doc.p.articles)}:
        return []
    verb = alternation(doc.p.founding_cues).search(text, b)
    if verb is None:
        return []
    # a passive right after the name, maybe after an auxiliary ("was set up", "a été créé", "ιδρύθηκε"), or the
    # verb closing the sentence (languages that put it last); the profile lists passive forms only, so that an
    # active verb ("IOM established an office") is none
    aux = sorted(doc.p.auxiliaries, key=len, reverse=True)
    between = re.sub(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in aux) + r")(?!\w)", " ", text[b:verb.start()],
                     flags=re.I) if aux else text[b:verb.start()]
    return [ref] if not between.strip() or not text[verb.end():].strip(" .!") else []


def _qualifies_complement(doc: Doc, before: str) -> bool:
    """"the meeting of the organizations funded by X": the cue follows a common noun after "of", neither an event
    nor a programme; what it funds is that noun, not the sentence's event."""
    of = "|".join(re.escape(w) for w in sorted({*doc.p.of_words, "of"}, key=len, reverse=True) if w[-1:] not in "'’")
    arts = "|".join(re.escape(w) for w in sorted({*doc.p.articles, "the"}, key=len, reverse=True) if w[-1:] not in "'’")
    m = re.search(rf"(?<!\w)(?:{of})\s+(?:(?:{arts})\s+)?([^\W\d_]+)\s*$", before, re.I)
    if m is None:
        return False
    word = m.group(1)
    if not word.islower():  # "… for Migration Policy Development with the support of": a name's last word
        return False
    heads = {n.lower() for n in (*doc.p.event_nouns, *doc.p.programme_nouns)}
    return not any(word == h or word.startswith(h) for h in heads)


def _title_starts(text: str, p: Programme, acronym: bool = False) -> list[int]:
    names = [t.text for t in (*p.titles, *p.aliases)] + ([p.acronym] if acronym and p.acronym else [])
    return [m.start() for t in names for m in whole(t).finditer(text)]


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
