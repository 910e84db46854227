"""Pass 3, roles: organizers and participants of a sentence's event from its clause structure (cues typed by
direction in the profile: by-agents, subjects of organizer verbs, lists after participant cues, partners
"together with"), and the countries taking part through their bodies.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from migkg.extract.doc import Doc
from migkg.extract.patterns import (
    ASIDE,
    CLAUSE_END,
    PARTICIPLE_TAIL,
    aux_rx,
    by_rx,
    glued_before,
    words_rx,
)
from migkg.extract.text import Sentence
from migkg.languages import Profile
from migkg.model import Event, Relation

_LIST_NUMBER = re.compile(r"(?<!\w)\(\d{1,2}\)\s")


def assign(doc: Doc, sent: Sentence, event: Event, orgs: list[tuple[int, int, str]],
           countries: list[tuple[int, int, str]], agencies: list[tuple[int, int, str]], in_hand: bool = False) -> None:
    """The roles ``sent`` gives in ``event``; ``in_hand``: the sentence tells a part of it without naming it ("The
    Working Tables were chaired by Switzerland and Hungary"), so countries acting in it take part, no more."""
    # "chaired by (1) Switzerland and Austria, (2) Hungary …": list numbers blanked (offsets kept)
    text = _LIST_NUMBER.sub(lambda m: " " * len(m.group()), sent.text) if "(" in sent.text else sent.text
    # "the Service for Foreigners' Affairs of the Ministry of Security": the ministry only places
    # the service; it takes no role of its own here
    placed = [bool(i and doc.placing_rx.fullmatch(text[orgs[i - 1][1]:o[0]])) for i, o in enumerate(orgs)]
    for i in range(1, len(orgs)):  # "… at the League of Arab States (LAS)": its acronym places it as well
        placed[i] = placed[i] or (placed[i - 1] and bool(re.fullmatch(r"\s*\(", text[orgs[i - 1][1]:orgs[i][0]])))
    orgs = [o for o, off in zip(orgs, placed, strict=True) if not off]
    agency_refs = {r for _, _, r in agencies if not r.startswith("country:")}
    organizers: set[str] = set()
    # a country acting (it hosts, chairs, convenes) is its government
    actors = sorted(orgs + [(a, b, "country:" + iso2) for a, b, iso2 in countries
                            if not any(x <= a < y for x, y, _ in orgs) and _standalone(doc, text, a, b)])
    agent_rx = by_rx(doc.p.by_markers, doc.p.place_prepositions)
    passive_rx = aux_rx(doc.p.auxiliaries)
    for verb in doc.all(doc.verb_rx, text):
        vtext = verb.group(1).lower()
        by = agent_rx.match(text, verb.end()) if agent_rx else None
        if vtext in doc.agent_after or by:
            after = by.end() if by and vtext not in doc.agent_after else verb.end()
            stop = clause_end(doc, text, after)
            listed = doc.part_rx.match(text, stop)
            passive = by is not None or vtext.split()[-1] in {w.lower() for w in doc.p.by_markers}
            if listed and passive and not any(after <= a < stop for a, _, _ in actors) and not re.search(
                    r"[,;:.]", text[after:stop]):
                stop = clause_end(doc, text, listed.end())  # "held by a team including experts from A, B and C"
            partner = doc.with_rx.match(text, stop) or doc.with_rx.match(text, stop + 1)
            if partner:  # "hosted by X in cooperation with Y": both organized it
                stop = clause_end(doc, text, partner.end())
            found = {r for a, _, r in actors if after <= a < stop}
            gap = re.match(r"[\s,]*", text[verb.end():])
            led = doc.with_rx.match(text, verb.end() + (gap.end() if gap else 0)) and not by
            if (not found or led) and vtext in doc.agent_before:  # free word order: "X organised" and "organised X";
                found |= set(subject(doc, text, verb.start(), actors))  # "X organised with Y …": X too
            organizers |= found
        elif participle(doc, text, verb):
            continue  # ", held in Stockholm": a participle, not the subject's verb
        elif not (passive_rx and passive_rx.search(text, 0, verb.start())):
            agents = set(subject(doc, text, verb.start(), actors))
            gap = re.match(r"[\s,]*", text[verb.end():])
            partner = doc.with_rx.match(text, verb.end() + (gap.end() if gap else 0))
            if agents and partner:  # "X organised, in cooperation with Y, …": both organized it
                stop = clause_end(doc, text, partner.end())
                agents |= {r for a, _, r in actors if partner.end() <= a < stop}
            first = next(((a, b) for a, b, _ in actors if a >= verb.end()), None)
            if not agents and first and not text[verb.end():first[0]].strip():
                # the subject after its verb ("… organizovala Međunarodna organizacija …", free word order)
                partner = doc.with_rx.match(text, first[1] + 1)
                end = clause_end(doc, text, partner.end()) if partner else first[1]
                agents = {r for a, _, r in actors if first[0] <= a < end}
            organizers |= agents
    for ref in [r for r in organizers if r.startswith("country:")]:
        organizers.discard(ref)
        if in_hand:  # it chairs a session of the event: the country takes part (no government named)
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, ref[8:], sent)
            continue
        a, b = next((a, b) for a, b, r in actors if r == ref)
        gov = doc.government(ref[8:], sent, a, b)
        org = doc.s.orgs[gov]
        written = re.sub(r"^(?:the|The)\s+", "", text[a:b])
        if written not in org.aliases:
            doc.s.orgs[gov] = replace(org, aliases=(*org.aliases, written))
        organizers.add(gov)
        orgs = [*orgs, (a, b, gov)]
    attached = {c.lower() for c in doc.p.funding_cues.agent_attached}
    for m in doc.all(doc.fund_rx, text):  # "X tarafından finanse edilen …", "EU-funded": X funds, no more
        if m.group("cue").lower() in attached:
            organizers -= {r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", text[b:m.start()])}
    for m in doc.all(doc.part_rx, text):  # "… Merkezi’nin katılımıyla … düzenledi": a participant, not a subject
        if m.group(1).lower() in doc.subject_cues:
            organizers -= {r for a, b, r in orgs if b <= m.start() and re.fullmatch(
                r"\s*(?:\([^()]{1,12}\))?(?:['’]\w{1,5})?\s*", text[b:m.start()]) and len(organizers) > 1}
    fund_at = doc.first(doc.fund_rx, text)
    for ref in sorted(organizers):
        if fund_at and _inside(orgs, ref, fund_at.start()):
            continue
        doc.fact(event.ref, Relation.ORGANIZER, ref, sent)
        if doc.s.orgs[ref].country:  # a national body organizing: its country takes part
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, str(doc.s.orgs[ref].country), sent)
    for a, _, iso2 in countries:  # "under the guidance of the Chair (Türkiye)": the chair's country takes part
        if doc.chaired(text, a):
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, iso2, sent)
    participants = set(agency_refs)
    starts = tuple(a for a, _, _ in (*orgs, *countries))
    for m in doc.all(doc.part_rx, text):
        end = clause_end(doc, text, m.end(), starts)
        inside = {r for a, _, r in orgs if m.end() <= a < end}
        in_countries = [iso2 for a, _, iso2 in countries if m.end() <= a < end]
        if m.group(1).lower() in doc.subject_cues:  # "officers of A and B took part in ..."
            begin = max([0] + [x.end() for x in re.finditer(r"[;:]\s", text[:m.start()])])
            before = {r for a, _, r in orgs if begin <= a < m.start()} - organizers
            before_countries = [iso2 for a, _, iso2 in countries if begin <= a < m.start()]
            if before or before_countries:
                inside, in_countries = before, before_countries
        participants |= inside - organizers
        for iso2 in in_countries:
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, iso2, sent)
    participants |= _beneficiaries(doc, text, sent, event, orgs, countries) - organizers
    kinds = [(a, b, r) for a, b, r in agencies if r.startswith("country:")]  # bodies named by their kind
    for ref in sorted(_beneficiaries(doc, text, sent, event, kinds, []) if kinds else ()):
        doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, ref[8:], sent)  # "a round table with Albanian Government
        # Institutions", "a meeting with the embassies of Italy and Sweden": their countries take part
    for iso2 in _beneficiary_countries(doc, text, sent, event, countries) + _envoys(doc, text, countries):
        doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, iso2, sent)
    organizers |= {f.object for f in doc.s.facts if f.subject == event.ref and f.relation == Relation.ORGANIZER}
    present, present_countries = during(doc, text, orgs, countries)
    participants |= set(present)
    for iso2 in present_countries:
        doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, iso2, sent)
    for ref in sorted(participants - organizers):  # an organizer named again later is no participant
        if fund_at and _inside(orgs, ref, fund_at.start()):
            continue
        doc.fact(event.ref, Relation.PARTICIPANT, ref, sent)
        c = doc.s.orgs[ref].country
        if c:
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, c, sent)


@cache
def _during_rx(p: Profile) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    cue = words_rx(r"\s*(?:", p.during_cues, r")\s+(?P<phrase>[^,;:.]{1,60}?),\s*") if p.during_cues else None
    return cue, frozenset(n.casefold() for n in p.discussion_nouns)


def opens_during(doc: Doc, text: str) -> re.Match[str] | None:
    """"During the meeting, …", "Amidst the deliberations, …": the sentence is placed in the event in hand."""
    cue, nouns = _during_rx(doc.p)
    m = cue.match(text) if cue is not None else None
    if m is None or not (doc.event_rx.search(m.group("phrase")) or any(
            w.casefold() in nouns for w in re.findall(r"[\w-]+", m.group("phrase")))):
        return None
    return m


def during(doc: Doc, text: str, orgs: list[tuple[int, int, str]],
           countries: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """"Amidst the deliberations, the Czech Republic, the European Commission and the Secretariat unveiled …": the
    bodies (and countries) the sentence opens with, after a phrase that places it in the event, took part in it."""
    m = opens_during(doc, text)
    if m is None:
        return [], []
    items = sorted([(a, b, r, False) for a, b, r in orgs] + [(a, b, iso2, True) for a, b, iso2 in countries
                                                            if not any(x <= a < y for x, y, _ in orgs)])
    refs: list[str] = []
    isos: list[str] = []
    pos = m.end()
    for a, b, ref, is_country in items:
        if a < pos:
            continue
        # joined as coordinated names are, over a bracketed acronym and an article elided onto the next name
        gap = re.sub(r"^\s*\([^()]{1,12}\)|\b\w{1,3}['’]$", "", text[pos:a])
        if not doc.coordination_rx.fullmatch(gap):
            break
        (isos if is_country else refs).append(ref)
        pos = b
    return refs, isos


@cache
def _near_rx(alt: str) -> re.Pattern[str]:
    """A beneficiary preposition (of the alternation ``alt``) and up to four words closing the text ("… for officials
    of the"), compiled once."""
    return re.compile(rf"(?:^|\s)(?:{alt})\s+(?:[\w’'-]+\s+){{0,4}}$", re.I)


def _beneficiaries(doc: Doc, text: str, sent: Sentence, event: Event, orgs: list[tuple[int, int, str]],
                   countries: list[tuple[int, int, str]]) -> set[str]:
    """Bodies the event is for, with, between or handed to, right after its noun phrase: "a training for
    officials of the Directorate", "a meeting between A and B", "the handover of vehicles to the Service"."""
    if not doc.p.beneficiary_prepositions or event.evidence is None or event.evidence.sentence != text:
        return set()
    at = event.evidence.start - sent.start
    if not 0 <= at <= len(text):
        return set()
    stop = clause_end(doc, text, event.evidence.end - sent.start)
    near = _near_rx(doc.beneficiary_alt)
    found = {r for a, _, r in orgs if at <= a < stop and near.search(text[at:a])}
    between = words_rx(r"\b(?:", doc.p.between_words, r")\s") if doc.p.between_words else None
    parties = between.search(text, at, stop) if between is not None else None
    if parties is not None and not doc.event_rx.search(text, event.evidence.end - sent.start, parties.start()):
        # "a meeting between IOM representatives and the Mayor of Kukes Municipality": every party named
        found |= {r for a, _, r in orgs if parties.end() <= a < stop}
    # "between A and B": B joins A by a conjunction (an article, or one elided onto B: "e l’OIM")
    joins = "|".join(re.escape(w) for w in (*doc.p.conjunctions, "and", ","))
    arts = "|".join(re.escape(w) for w in (*doc.p.articles, "the"))
    if parties is not None:  # "a signing ceremony between Greece and UNHCR": a country as a party is its government
        party = re.compile(rf"\s*(?:(?:{joins})\s*)?(?:(?:{arts})\s+|\w{{1,3}}['’])?", re.I)
        ends = [parties.end()] + [b for a, b, _ in orgs if parties.end() <= a < stop]
        for a, b, iso2 in countries:
            if parties.end() <= a < stop and not any(x <= a < y for x, y, _ in orgs) and any(
                    e <= a and party.fullmatch(text[e:a]) for e in ends):
                found.add(doc.government(iso2, sent, a, b))
                found |= {r for x, _, r in orgs if x > b and x < stop and party.fullmatch(text[b:x])}  # "… and UNHCR"
                ends.append(b)
    for (_, b1, r1), (a2, _, r2) in zip(orgs, orgs[1:], strict=False):
        if r1 in found and a2 < stop and re.fullmatch(rf"\s*(?:{joins})\s*(?:(?:{arts})\s+|\w{{1,3}}['’])?",
                                                       text[b1:a2], re.I):
            found.add(r2)
    return found


def _envoys(doc: Doc, text: str, countries: list[tuple[int, int, str]]) -> list[str]:
    """"meeting with the Ambassador of Germany": an office holder of a country at the event brings the country."""
    rx = doc.envoy_rx
    return [iso2 for a, _, iso2 in countries if rx is not None and rx.search(text[max(0, a - 60):a])]


def _beneficiary_countries(doc: Doc, text: str, sent: Sentence, event: Event,
                           countries: list[tuple[int, int, str]]) -> list[str]:
    """"a national training for Albania’s law enforcement agencies": the country whose bodies the event is for."""
    if not doc.p.beneficiary_prepositions or event.evidence is None or event.evidence.sentence != text:
        return []
    at, stop = event.evidence.start - sent.start, event.evidence.end - sent.start
    return [iso2 for a, b, iso2 in countries if at <= a < stop and re.match(r"['’]s\b", text[b:b + 3])
            and re.search(rf"(?:^|\s)(?:{doc.beneficiary_alt})\s+(?:the\s+)?$", text[at:a], re.I)]


@cache
def _small_words(p: Profile) -> frozenset[str]:
    """The place prepositions, of-words and articles before which a country is no actor (lower case)."""
    return frozenset(w.lower() for w in (*p.place_prepositions, *p.of_words, *p.articles))


def _standalone(doc: Doc, text: str, a: int, b: int) -> bool:
    """A country named as an actor, not as a place or a qualifier ("in Niger", "(Niger)", "of Albania"), nor
    the dateline opening the text ("Libya - IOM Libya this week hosted …")."""
    if not text[:a].strip() and re.match(r"\s*(?:,[^,]{0,30})?\s*[–—-]\s|:\s", text[b:]):
        return False
    if _after_city(doc, text[:a]):
        return False  # "the Regional Office in Vienna, Austria held …": the country places the city
    gap = 1 if text[b:b + 1] in (" ", "・") else 0
    city = doc.d.places.find(text[b + gap:b + gap + 40]) if gap or glued_before(text, b) else []
    if city and city[0].start == 0:
        return False  # "马来西亚吉隆坡", "캄보디아 프놈펜에서": the country places the city after it
    # the last run of non-spaces before the name (what (\S+)\s*$ finds, without trying every position of the text)
    before = text[:a].rsplit(None, 1)
    word = before[-1].lower() if before else ""
    small = _small_words(doc.p)
    if glued_before(text, a):  # "在马来西亚", "ประจำประเทศไทย": the small word is written onto the name
        small = {w.strip("-") for w in small}
        return not any(word.endswith(w) for w in small if w)
    if word in {"the", "la", "le", "el"} and before:  # an article: look one word further back
        prev = text[:a].rsplit(None, 2)  # the run before it ((\S+)\s+\S+\s*$)
        word = prev[-2].lower() if len(prev) > 1 else ""
    return word not in small and not word.endswith("(") and text[b:b + 1] != ")" and word != "from"


_CITY_COMMA = re.compile(r"((?:[^\W\d_][\w'’.-]*\s+){0,2}[^\W\d_][\w'’.-]*),\s*$")


def _after_city(doc: Doc, before: str) -> bool:
    """The text ends on a city and a comma ("… in Vienna, "): a country next is the city's."""
    if not before.rstrip().endswith(","):
        return False  # the pattern below needs the comma; searching for it through the whole text is slow
    # it spans three runs of non-spaces at most, the last closed by the comma: searched in those alone (the same
    # match; through the whole text, every word is tried as its start)
    runs = before.rsplit(None, 3)
    head = _CITY_COMMA.search(before, len(runs[0]) if len(runs) == 4 else 0)
    if head is None:
        return False
    words = head.group(1).split()
    for n in range(1, len(words) + 1):
        name = " ".join(words[-n:])
        if name[:1].isupper() and any(m.start == 0 and m.end == len(name) for m in doc.d.places.find(name)):
            return True
    return False


def participle(doc: Doc, text: str, verb: re.Match[str]) -> bool:
    """", held in Stockholm" or "a ceremony held at the port": a participle, not the subject's verb."""
    if not PARTICIPLE_TAIL.match(text[verb.end():]):
        return False
    before = text[:verb.start()].rstrip()
    return before.endswith(",") or bool(doc.event_rx.search(before.rsplit(" ", 1)[-1]))


def subject(doc: Doc, text: str, verb_at: int, orgs: list[tuple[int, int, str]]) -> list[str]:
    """The organizations in the subject of a verb: after the last comma that is not inside an
    organization's name, stepping over asides. "X, in cooperation with Y, held ..." gives X and Y;
    "X, in its role as Secretariat of the Budapest Process, organised ..." gives X alone."""
    commas = [m for m in re.finditer(r"[,;:]\s", text[:verb_at]) if not any(a <= m.start() < b for a, b, _ in orgs)
              and not (m.group(0)[0] == "," and _after_city(doc, text[:m.end()]))]  # "in Vienna, Austria"
    start = commas[-1].end() if commas else 0
    skipped: list[tuple[int, int]] = []
    for i in range(len(commas) - 1, -1, -1):
        seg_end = verb_at if i == len(commas) - 1 else commas[i + 1].start()
        segment = text[commas[i].end():seg_end].strip()
        dated = i == len(commas) - 1 and not any(commas[i].end() <= a < seg_end for a, _, _ in orgs) and any(
            commas[i].end() <= w.begin < seg_end for w in doc.dates_here)  # "X, on 19 April in Skopje, held"
        # a partner cue opening the segment, or closing its first name where it follows it ("Y ile işbirliği içinde")
        partner = doc.with_rx.match(segment) or _partner_after(doc, segment, orgs, commas[i].end())
        listed = i > 0 and _names_only(doc, text, commas[i].end(), seg_end, orgs) and _helped(
            doc, text[commas[i - 1].end():commas[i].start()])  # "X, as chair with support from A, B and C, hosted"
        # ", with the financial support of Y,": Y funds; an aside in every language, as "in its role as" is
        aside = ASIDE.match(segment) or doc.fund_rx.match(segment)
        person = re.fullmatch(r"(?:[^\W\d_][\w'’.-]*\s+){1,3}[^\W\d_][\w'’.-]*", segment) and all(
            w[:1].isupper() for w in segment.split()) and not any(commas[i].end() <= a < seg_end for a, _, _ in orgs)
        if partner or not segment or aside or dated or listed or person:
            # (a person's name in apposition: "The Head of the Border Police, Ion Popescu, received …")
            # names listed on after a partner cue are partners ("X, in cooperation with A, B at C, organized"),
            # after a support cue helpers
            if aside or (listed and not doc.with_rx.search(text, commas[i - 1].end(), commas[i].start())):
                skipped.append((commas[i].end(), seg_end))
            start = commas[i - 1].end() if i > 0 else 0
        else:
            break
    start = _listed_before(doc, text, start, orgs)
    earlier = [m for m in doc.verb_rx.finditer(text, start, verb_at) if m.end() < verb_at]
    if earlier and re.search(r",\s*(?:(?:" + "|".join(re.escape(c) for c in (*doc.p.conjunctions, "and")) + r")\s+)?$",
                             text[:verb_at]):
        # "the project delivered A to X, conducted B and organised C": the verbs share the first one's subject
        return subject(doc, text, earlier[0].start(), orgs)
    other = [m.end() for m in earlier] + [m.end() for m in doc.part_rx.finditer(text, start, verb_at)
                                          if m.end() < verb_at and m.group(1).lower() in doc.subject_cues]
    verb = doc.verb_rx.match(text, verb_at)
    object_after = verb is not None and doc.event_rx.search(text[verb.end():verb.end() + 60]) is not None
    if other and object_after:  # "officers of X attended “Frontex led Training”": X is another verb's subject
        start = max(other)
    return [r for a, _, r in orgs if start <= a < verb_at and not any(x <= a < y for x, y in skipped)]


def _beside_names(doc: Doc, text: str, a: int, b: int, orgs: list[tuple[int, int, str]]) -> str | None:
    """What text[a:b] says besides the organizations named in it, their bracketed acronyms, articles and
    conjunctions; None when it names none."""
    inside = [(x, y) for x, y, _ in orgs if a <= x and y <= b]
    if not inside:
        return None
    placed = [(x, _placed_by(doc, text, y, b)) for x, y in inside]  # "the Department … at the League of Arab States"
    inside = [(x, max(y, z)) for (x, y), (_, z) in zip(inside, placed, strict=True)]
    rest = text[a:b]
    for x, y in sorted(inside, reverse=True):
        rest = rest[:x - a] + " " + rest[y - a:]
    filler = "|".join(re.escape(w) for w in (*doc.p.articles, *doc.p.conjunctions, "the", "and")) or "the"
    return re.sub(rf"(?i)\([^()]{{1,15}}\)|\b(?:{filler})\b", " ", rest)


def _placed_by(doc: Doc, text: str, end: int, stop: int) -> int:
    """Where a name ends with the body that only places it ("the Department … at the League of Arab States"): the
    placing words and that body's capitalised name, up to ``stop``; ``end`` when none follows."""
    m = doc.placing_rx.match(text, end, stop)
    name = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of|and|for|the|[A-Z][\w'’-]*))*(?<=[\w'’])").match(text, m.end(), stop) \
        if m else None
    return name.end() if name else end


def _names_only(doc: Doc, text: str, a: int, b: int, orgs: list[tuple[int, int, str]]) -> bool:
    """Whether text[a:b] is a list of organizations and nothing else."""
    rest = _beside_names(doc, text, a, b, orgs)
    return rest is not None and not rest.strip()


def _helped(doc: Doc, segment: str) -> bool:
    """A partner or support cue in the segment: the names after it are helpers, not the subject."""
    helpers = {c.lower() for c in doc.p.support_cues}
    return bool(doc.with_rx.search(segment)) or any(
        "support" in m.group("cue").lower() or m.group("cue").lower() in helpers for m in doc.fund_rx.finditer(segment))


def _partner_after(doc: Doc, segment: str, orgs: list[tuple[int, int, str]], at: int) -> bool:
    """A partner cue right after the segment's first organization, as postpositions write it."""
    first = next(((a, b) for a, b, _ in orgs if a == at + len(segment) - len(segment.lstrip())), None)
    return bool(first and doc.with_rx.match(segment, first[1] - at + 1))


def _listed_before(doc: Doc, text: str, start: int, orgs: list[tuple[int, int, str]]) -> int:
    """"IOM, the UN Migration Agency, the Royal Thai Police and the Office … have organized": the subject is
    a list whose items commas separate; walk back over items that are organizations only, to the
    sentence's start (or its dateline)."""
    if start == 0 or not any(a >= start for a, _, _ in orgs):
        return start
    commas = [m.start() for m in re.finditer(",", text[:start]) if not any(a <= m.start() < b for a, b, _ in orgs)]
    for k in range(len(commas) - 1, -1, -1):
        begin = commas[k - 1] + 1 if k else 0
        rest = _beside_names(doc, text, begin, commas[k], orgs)
        if rest is None:
            return start
        if k == 0:
            rest = re.sub(r"^.*\s[–—-]\s", " ", rest)  # "06/02/2018 - IOM, …": the dateline before the list
        if rest.strip():
            return start
        start = begin
    return start


def _inside(orgs: list[tuple[int, int, str]], ref: str, after: int) -> bool:
    return all(a >= after for a, _, r in orgs if r == ref)


def clause_end(doc: Doc, text: str, pos: int, names: tuple[int, ...] = ()) -> int:
    """Where the role clause starting at pos ends: punctuation that closes it, or another role's cue. With
    ``names`` (where names start), a list's last item after ", and the" goes on the list ("from A, B, and
    the Republic of C")."""
    ends = [m.start() for m in (doc.first(CLAUSE_END, text, pos), doc.first(doc.any_cue_rx, text, pos),
                                doc.first(doc.relative_rx, text, pos)) if m]
    end = min(ends) if ends else len(text)
    last = CLAUSE_END.match(text, end)
    if names and last and re.match(r",\s+\S+\s+\S+", last.group()) and any(
            last.start() < n <= last.end() + 2 for n in names):
        return clause_end(doc, text, last.end(), names)
    return end
