"""Pass 2, events: the event a sentence tells (an event noun with a date, an ordinal, an organizer, a name;
or an event verb), its type, label, date, place, ordinal and series; a later mention refers back to it.
Calls the roles pass for the sentence's event. Reads :class:`~migkg.extract.mentions.Mentions`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from migkg.extract import roles
from migkg.extract.doc import Doc
from migkg.extract.mentions import Mentions
from migkg.extract.patterns import (
    aux_rx,
    glued_before,
    roman,
    words_rx,
)
from migkg.extract.places import Place, dateline_names
from migkg.extract.text import Sentence
from migkg.extract.when import When, find_dates
from migkg.languages import Profile
from migkg.model import Event, Relation
from migkg.names import fold


def read(doc: Doc, found: Mentions) -> Event | None:
    """The event this sentence tells or refers to (with its roles assigned), or None."""
    sentence_dates(doc, found.sent)
    return event(doc, found.sent, list(found.orgs), list(found.countries), list(found.agencies))


def link_programmes(doc: Doc, found: Mentions, ev: Event | None) -> None:
    """An event held in a programme's framework; "The project …" after an event refers to it."""
    sent = found.sent
    if ev is not None:
        for p in found.programmes:
            doc.fact(ev.ref, Relation.PART_OF_PROGRAMME, p.ref, sent)
    elif found.programmes and doc.s.events and re.match(r"\s*(The|This)\s+\w+", sent.text):
        ref = referenced_event(doc, sent)
        if ref is not None:
            for p in found.programmes:
                doc.fact(ref.ref, Relation.PART_OF_PROGRAMME, p.ref, sent)


def event(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]], countries: list[tuple[int, int, str]],
           agencies: list[tuple[int, int, str]]) -> Event | None:
    if doc.counted is not None:
        _per_place(doc, sent)
    nm = next(_free_nouns(doc, sent.text, orgs), None)
    said = (*doc.p.speech_verbs, "said", "says", "stressed", "added", "noted")
    quoted = any(q in sent.text for q in "“\"„«") and (  # both patterns need an opening quote
        bool(words_rx(r"[“\"„«].*[”\"“»],?\s+(?:[–—-]\s+)?(?:", said, r")\b").search(sent.text))
        or bool(doc.speech_rx.search(sent.text)))
    if not nm:
        made = None if quoted else _verb_event(doc, sent, orgs, countries)
        if made is not None:
            return made
        again = doc.s.events and _told_again(doc, sent.text)
        if doc.s.events and (doc.first(doc.role_cue_rx, sent.text) or again):
            event = doc.s.events[-1]  # "Representatives of ... reviewed": the event in hand
            roles.assign(doc, sent, event, orgs, countries, agencies, not again)
            return event
        if doc.s.events and roles.opens_during(doc, sent.text):
            # "Amidst the deliberations, A and B unveiled the concept": they take part in the event in hand; what
            # they unveiled is no part of it
            roles.assign(doc, sent, doc.s.events[-1], orgs, countries, agencies, True)
            return None
        if doc.s.events and countries and (doc.by_cue_rx.search(sent.text) or any(
                doc.chaired(sent.text, a) for a, _, _ in countries)):
            # "The three Working Tables were chaired by Switzerland and Hungary": countries chairing a part of the
            # event in hand take part in it (the bodies named so lead a session, not the event)
            told = next((e for e in reversed(doc.s.events) if e.start), doc.s.events[-1])  # not one only named
            roles.assign(doc, sent, told, [], countries, [], True)
        return None
    # "The Government formally launched its implementation of the Compact, following a consultation meeting held
    # last week": an act in the main clause, then another event named after it ("… handed over the equipment at a
    # ceremony" is one event: the act happens at the event named)
    framed = doc.placed_before_rx and doc.placed_before_rx.search(sent.text[:nm.start()])
    if not quoted and not framed and doc.event_verb_rx.search(sent.text, 0, nm.start()):
        dates, doc.dates_here = doc.dates_here, [w for w in doc.dates_here if w.stop <= nm.start()]  # the act's own
        _verb_event(doc, sent, [o for o in orgs if o[0] < nm.start()], [c for c in countries if c[0] < nm.start()])
        doc.dates_here = dates
    subject_type = None
    in_hand = False  # the sentence tells a part of the event in hand, not the event by its name
    held = _held_later(doc, sent.text, nm, orgs)
    if held is not None:  # "The Steering Committee … held its third meeting": the body, then its event
        subject_type, nm = doc.p.event_nouns.get(nm.group(1).lower()), held
    noun = nm.group(1).lower()
    press = "|".join(map(re.escape, doc.p.press_words))
    if press and (re.search(rf"\b(?:{press})[\s-]+$", sent.text[max(0, nm.start() - 12):nm.start()], re.I) or (
            doc.p.event_nouns.get(noun) in ("Conference", "Meeting")  # "conférence de presse", "نشست خبری"
            and re.match(rf"\s+(?:\w{{1,4}}\s+)?(?:{press})\b", sent.text[nm.end():], re.I))):
        return None  # a press briefing or press conference is how the news is told, not an event in it
    if _many_rx(doc.p).search(sent.text, 0, nm.start()):
        return None  # "conducted 20+ consultations", "a series of impactful meetings": many events told as one
    found = doc.dates_here
    ordinal, ord_start = _ordinal(doc, sent.text, nm.start(), nm.end())
    label, label_start = _label(doc, sent.text, nm, ord_start)
    # the dates after the noun, up to the next event noun ("The meeting recalled the Plenary Session on
    # 20 November": that date is the session's)
    later = next((m.start() for m in _free_nouns(doc, sent.text, orgs, max(nm.end(), label_start + len(label)))),
                 len(sent.text))
    aux = _aux_word(doc).search(sent.text, later)
    rel = words_rx(r"\b(?:", (*doc.p.relative_words, "that"), r")\b")
    if aux is not None and any(w.begin > aux.start() for w in found) and not rel.search(sent.text, later,
                                                                                      aux.start()):
        later = len(sent.text)  # "the Meeting for the 5th Conference was held … on 10 December": the meeting's
    after = [w for w in found if nm.start() <= w.begin < later]
    if not after and any(w.begin >= later for w in found):
        found = [w for w in found if w.begin < nm.start()]
    written = [w for w in found if re.search(r"\d", sent.text[w.begin:w.stop])]
    if nm.group(0).lower() != noun and not doc.s.events and not written:
        # "X and Y held two coordination meetings": a plural names several events told later;
        # their organizers are remembered for them ("The three courses took place in May 2016": one, dated)
        verb = doc.first(doc.verb_rx, sent.text)
        if verb:
            doc.pending_organizers = roles.subject(doc, sent.text, verb.start(), orgs)
        if not quoted:
            _named_others(doc, sent, nm, orgs)
        return None
    # before the noun, the last date told, from its start: "On May 22 and 27, officials attended workshops"
    dates = after[:1] or [w for w in found if w.stop == found[-1].stop][:1]
    etype = _type(doc, label, noun)
    if subject_type in SPECIFIC_TYPES:
        etype = subject_type  # the body's own kind of meeting
    if dates and len(dates[0].start) == 4 and any(e.type == etype and (ordinal is None or (e.start or "")[:4] == dates[
            0].start) for e in doc.s.events):
        # a year is too coarse to part a mention from an event of its kind told already, unless it counts an
        # edition of another year ("La première Conférence … a eu lieu en 2006", told after the fifth)
        dates = []
    verb = doc.first(doc.verb_rx, sent.text)
    # a language without articles opens a sentence with the bare noun of the event in hand ("Spotkanie zostało
    # zorganizowane przez …", "Семінар організовано …"), as English says "The meeting was organized by …"
    definite = doc.definite_rx.search(sent.text[:nm.start()]) or (
        not doc.p.articles and not sent.text[:nm.start()].strip())
    existing = None
    if ordinal is not None:  # "the 10th Reference Group Meeting" again: the same event
        existing = next((e for e in doc.s.events if e.ordinal == ordinal and e.type == etype and (
            not dates or e.start is None or e.start == dates[0].start)), None)
        if existing is not None and existing.start is None and dates:
            existing = None  # the first mention had no date; this one is told in full
    if existing is not None:
        pass
    elif doc.s.events and (definite or not dates) and ordinal is None:
        # a later mention of an event type already seen refers back to it
        existing = next((e for e in reversed(doc.s.events) if e.type == etype), None)
        if existing is None and definite and not dates:
            existing = doc.s.events[-1]
    elif dates and ordinal is None and len(dates[0].start) == 10 and not (
            doc.indefinite_rx and doc.indefinite_rx.search(sent.text[:label_start])):
        # told again (bilingual): same type, same day; "a … meeting" is another
        existing = next((e for e in doc.s.events if e.type == etype and e.start == dates[0].start), None)
    pointed = words_rx(r"\b(?:", doc.p.determiners, r")\s+(?:[\w-]+\s+)?$").search(
        sent.text[:nm.start()]) if doc.p.determiners else None
    if existing is not None and pointed and ordinal is None and existing.start and dates and (
            dates[0].start[:7] != existing.start[:7]):
        dates = []  # "The coverage of this training (September 2015)": the training in hand, the date another's
    if existing is not None and (not dates or dates[0].start == existing.start):
        event = existing
        if fold(label).startswith(fold(existing.label) + " ") and existing.evidence is not None:
            # "a workshop" then "The workshop on the exchange of data … in Skopje": the fuller telling
            place = doc.where(sent.text, nm.start())
            event = replace(existing, label=label, evidence=doc.span(sent, label_start, label_start + len(label)),
                            location=existing.location or (place.name if place else None),
                            location_country=existing.location_country or (place.iso2 if place else None))
            doc.s.events[doc.s.events.index(existing)] = event
        elif existing.location is None and existing.evidence is not None:
            place = doc.where(sent.text, nm.end())
            if place is not None and place.name and place.start > nm.end() and (
                    existing.location_country in (None, place.iso2)):  # "The workshop, which took place … in Tunis"
                event = replace(existing, location=place.name, location_country=place.iso2)
                doc.s.events[doc.s.events.index(existing)] = event
    elif dates and not quoted and (undated := _named_undated(doc, label, etype)) is not None:
        # "the 34th Senior Officials Meeting" told undated, then "the Senior Officials’ Meeting the following day"
        event = replace(undated, start=dates[0].start, end=dates[0].end)
        doc.s.events[doc.s.events.index(undated)] = event
    elif not quoted and (dates or (not doc.s.events and (ordinal is not None or verb or _placed(doc, sent, nm)))
                         or _undated_event(doc, sent.text, nm, label, verb, ordinal)
                         or _next_in_day(doc, sent.text, label_start)):
        when = dates[0] if dates else None
        if when is None and doc.recent_date is not None and not any(
                e.start == doc.recent_date.start and e.type == etype for e in doc.s.events):
            when = doc.recent_date  # "... reached on Tuesday in Skopje. The tripartite meeting ..."
        if when is None and not doc.s.events:
            when = _title_date(doc, etype)  # "05 April 2018 – Friends Meeting" over an undated first mention
        place = doc.where(sent.text, nm.start())
        series = None
        if ordinal is not None:
            words = label.split()
            series = " ".join(words[1:]) if len(words) > 1 and words[0].lower() != noun.split()[0] else label
        event = Event(
            ref=f"e:{len(doc.s.events)}",
            label=label,
            type=etype,
            start=when.start if when else None,
            end=when.end if when else None,
            ordinal=ordinal,
            series=series,
            topics=_topics(doc, sent),
            location=place.name if place else None,
            location_country=place.iso2 if place else None,
            evidence=doc.span(sent, label_start, label_start + len(label)),
        )
        doc.s.events.append(event)
        count = _count_rx(doc.p).search(sent.text, 0, nm.start())
        if count is not None and ordinal is None:
            n = doc.p.cardinals.get(count.group(1).lower()) or int(count.group(1))
            doc.counted = (event.ref, n, [], sent.text)
    elif doc.s.events and not quoted and doc.first(doc.role_cue_rx, sent.text):
        event = doc.s.events[-1]  # "Representatives of X discussed the training of …": the event in hand
        in_hand = True
    else:
        if not quoted:  # "sessions such as the Fair Recruitment Training …": the named ones still count
            _named_others(doc, sent, nm, orgs)
        return None
    roles.assign(doc, sent, event, orgs, countries, agencies, in_hand)
    if doc.pending_organizers and not any(f.subject == event.ref and f.relation == Relation.ORGANIZER
                                            for f in doc.s.facts):
        for ref in doc.pending_organizers:
            doc.fact(event.ref, Relation.ORGANIZER, ref, sent)
            if doc.s.orgs[ref].country:
                doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, str(doc.s.orgs[ref].country), sent)
    if event.evidence is not None and event.evidence.sentence == sent.text and not any(
            f.subject == event.ref and f.relation == Relation.ORGANIZER for f in doc.s.facts):
        for ref in _label_owners(doc, sent.text, nm, event.evidence.start - sent.start, orgs):
            doc.fact(event.ref, Relation.ORGANIZER, ref, sent)  # the body whose event it is: no participant
            doc.s.facts[:] = [f for f in doc.s.facts if (f.subject, f.relation, f.object) !=
                              (event.ref, Relation.PARTICIPANT, ref)]
    if event.start is not None and event.evidence is not None and event.evidence.sentence == sent.text:
        _repeats(doc, sent, event, after)
    if not quoted:
        _named_others(doc, sent, nm, orgs, event)
    return event


@cache
def _count_rx(p: Profile) -> re.Pattern[str]:
    """A number of events before their noun: "two essential trainings", "3 workshops"."""
    return words_rx(r"(?<![\w-])(", (*p.cardinals, *map(str, range(2, 11))), r")\s+(?:[\w-]+\s+){0,2}$")


@cache
def _many_rx(p: Profile) -> re.Pattern[str]:
    """Many events before their noun: "a series of", "dozens of", a number of two or three digits or with a plus
    (then at most one word, no article or month: "on 14 September a training" is a day's one)."""
    arts = "|".join(re.escape(w) for w in sorted({*p.articles, "a", "an", "the", *p.months}, key=len, reverse=True))
    number = rf"(?<![\w.,-])(?:\d{{2,3}}|\d+\+)\s+(?:(?!(?:{arts})\s)[^\W\d_A-Z][\w-]*\s+)?"
    return words_rx(r"(?:(?<![\w-])(?:", p.many_words or ("(?!)",), r")\s+(?:[\w-]+\s+){0,2}|" + number + ")$")


@cache
def _opener_rx(p: Profile) -> re.Pattern[str]:
    return words_rx(r"\s*(?:", p.place_prepositions or ("in",), r")\s+")


def _per_place(doc: Doc, sent: Sentence) -> None:
    """"Two trainings were held … In Korça, participants … In Gjirokastra, the dialogue continued": the counted
    events are one per place a later sentence opens with; the one held there is the event in hand. The first place
    goes to the event as counted, each other one to a copy with the organizers, countries and programmes of the
    sentence that counted them (the participants told for one place are that place's)."""
    assert doc.counted is not None
    ref, n, places, told = doc.counted
    opener = _opener_rx(doc.p).match(sent.text)
    if opener is None or sent.text == told:
        return
    head = re.match(r"([^,]{2,40}),", sent.text[opener.end():])
    if head is None:
        return
    name, iso2 = head.group(1).strip(), None
    datelined = name in dateline_names(doc.d, doc.main.text)
    found = doc.d.places.find(name)
    if found and found[0].start == 0 and found[0].end == len(name):
        name = found[0].entry.key
        iso2 = doc.d.place_country.get(name)
    elif not datelined:
        return
    if not (datelined or doc.role_cue_rx.search(sent.text) or doc.event_rx.search(sent.text)):
        return  # "In Tirana, the ministry opened an office": not of the events counted, unless the dateline lists it
    events = {e.ref: e for e in doc.s.events}
    here = next((events[r] for x, r in places if x == name), None)
    if here is None:
        if len(places) >= n:
            return
        first = events[ref]
        label = f"{first.label.removesuffix(f' ({places[0][0]})') if places else first.label} ({name})"
        if not places:
            if first.location is not None:
                return  # placed already: not one per place
            here = replace(first, label=label, location=name, location_country=iso2 or first.location_country)
            doc.s.events.remove(first)
        else:
            here = replace(first, ref=f"e:{len(doc.s.events)}", label=label, location=name,
                           location_country=iso2 or first.location_country)
            for f in [f for f in doc.s.facts if f.subject == ref and f.evidence is not None and f.evidence.sentence
                      == told and f.relation in (Relation.ORGANIZER, Relation.PARTICIPANT_COUNTRY,
                                                 Relation.PART_OF_PROGRAMME)]:
                doc.s.facts.append(replace(f, subject=here.ref))
        places.append((name, here.ref))
    else:
        doc.s.events.remove(here)
    doc.s.events.append(here)  # the event in hand


SPECIFIC_TYPES = ("SteeringBoard", "Training", "Visit", "Launch")  # the types that outrank a plain meeting
_NOTHING = re.compile(r"(?!)")


def _free_nouns(doc: Doc, text: str, orgs: list[tuple[int, int, str]], start: int = 0) -> Iterator[re.Match[str]]:
    """The event nouns of ``text`` from ``start`` on that are not part of an organization's name ("the
    Global Forum on Migration and Development", "the chair of the Migration Dialogue for Southern Africa")."""
    heads = doc.modifier_heads_rx
    for m in doc.all_from(doc.event_rx, text, start):
        if not any(a <= m.start() and m.end() <= b for a, b, _ in orgs) and not (heads and heads.match(text, m.end())):
            yield m


def _aux_word(doc: Doc) -> re.Pattern[str]:
    """Any passive auxiliary of the section's language, as a word ("was", "were"); matches nothing without."""
    return words_rx(r"\b(?:", doc.p.auxiliaries, r")\b") if doc.p.auxiliaries else _NOTHING


def _held_later(doc: Doc, text: str, nm: re.Match[str], orgs: list[tuple[int, int, str]]) -> re.Match[str] | None:
    """The event noun a body named by an event noun holds ("The Project Steering Committee … held its third
    meeting"): the next event noun when an organizer verb in the active voice stands between them."""
    if doc.p.event_nouns.get(nm.group(1).lower()) != "SteeringBoard":
        return None  # only a body (a steering committee, a board) holds meetings of its own
    nxt = next(_free_nouns(doc, text, orgs, nm.end()), None)
    if nxt is None:
        return None
    verb = doc.verb_rx.search(text, nm.end(), nxt.start())
    if verb is None or text[verb.end():nxt.start()].strip(" ,").count(" ") > 3:
        return None
    aux = aux_rx(doc.p.auxiliaries)
    if aux is not None and aux.search(text, nm.end(), verb.start()):
        return None  # "the meeting was held": passive, the same event
    return nxt


def _named_others(doc: Doc, sent: Sentence, nm: re.Match[str], orgs: list[tuple[int, int, str]],
                  first: Event | None = None) -> None:
    """More events a sentence names after its first one: "trainings such as the Bilateral Labour Mobility
    Training in Nadi and the Fair Recruitment Training in Port Vila", "the Second Preparatory Meeting for
    the 5th Ministerial Conference". Only named ones (capitalized, or with an ordinal) count."""
    text = sent.text
    done = nm.end()  # (a later noun may sit in the first one's label: "Meeting for the 5th Conference")
    for m in _free_nouns(doc, text, orgs, nm.end()):
        noun = m.group(1).lower()
        if m.start() < done or m.group(0).lower() != noun or (noun.endswith("s") and noun[:-1] in doc.p.event_nouns):
            continue  # a plural ("the third of three trainings") names several, told elsewhere
        ordinal, ord_start = _ordinal(doc, text, m.start(), m.end())
        label, label_start = _label(doc, text, m, ord_start)
        if label_start < done:
            continue
        words = label.split()
        own = text[label_start:m.start()].split()  # the name's words before its noun: "Fair Recruitment"
        named = sum(1 for w in own if w[:1].isupper()) >= 2 and text[m.start():m.start() + 1].isupper()
        nxt, edge = len(text), max(m.end(), label_start + len(label))
        for x in doc.all_from(doc.event_rx, text, edge):
            if x.start() > edge + 1:  # "Plenary Session": nouns side by side are one name
                nxt = x.start()
                break
            edge = x.end()
        # its own date follows its name ("the Conference on 12 November", "Session … (20 November 2015)");
        # a date after the clause's verb ("… was held in Ankara on 10 December") is the first event's
        # ("an earlier training … held in June 2015": a participle, its own date)
        aux = _aux_word(doc).search(text, label_start + len(label))
        if aux is not None:
            nxt = min(nxt, aux.start())
        when = next((w for w in doc.dates_here if m.end() <= w.begin < nxt), None)
        if when is None and first is not None and first.start and len(first.start) == 10 and _follows(doc, text,
                                                                                                   label_start):
            when = When(first.end or first.start, None, m.start(), m.start())  # "The meeting was followed by a …"
        if not (named or ordinal is not None or when is not None):
            continue
        etype = _type(doc, label, noun)
        undated = _named_undated(doc, label, etype)
        if undated is not None and when is not None and ordinal in (None, undated.ordinal):
            # "the 34th Senior Officials Meeting" told undated, then "the Senior Officials’ Meeting the following day"
            doc.s.events[doc.s.events.index(undated)] = replace(undated, start=when.start, end=when.end)
            done = label_start + len(label)
            continue
        if any(_bare(e.label).startswith(_bare(label)) or (ordinal is not None and e.ordinal == ordinal)
               for e in doc.s.events):
            continue  # told already ("Senior Officials Meeting" after "the 34th Senior Officials Meeting of …")
        if when is not None and any(e.start == when.start and e.type == etype for e in doc.s.events):
            continue
        place = doc.where(text[m.end():nxt], 0)
        series = " ".join(words[1:]) if ordinal is not None and len(words) > 1 else None
        # "met in Stockholm for the 10th Reference Group Meeting and the 34th Senior Officials Meeting": the second
        # is told in the same breath as the first, where it took place and with whom
        twin = first if first is not None and first.evidence is not None and when is None and re.fullmatch(
            doc.coordination_rx, text[first.evidence.end - sent.start:label_start]) else None
        if twin is not None and place is None and twin.location:
            place = Place(twin.location, twin.location_country, 0)
        doc.s.events.append(Event(
            ref=f"e:{len(doc.s.events)}", label=label, type=etype, start=when.start if when else None,
            end=when.end if when else None, ordinal=ordinal, series=series,
            location=place.name if place else None, location_country=place.iso2 if place else None,
            evidence=doc.span(sent, label_start, label_start + len(label))))
        if twin is not None:
            doc.twins[doc.s.events[-1].ref] = twin.ref
        done = label_start + len(label)


def _bare(label: str) -> str:
    """A label without a leading ordinal, folded ("34th Senior Officials Meeting" -> "senior officials meeting")."""
    return re.sub(r"^\S*\d\S*\s+", "", fold(label))


def _repeats(doc: Doc, sent: Sentence, event: Event, dates: list) -> None:  # type: ignore[type-arg]
    """"Sessions were held on 28-30 August in A and on 2-4 September in B": one event per date joined
    by a conjunction, each with its own place and the first one's roles."""
    conj = "|".join(re.escape(w) for w in doc.p.conjunctions) or "(?!)"
    text = sent.text
    first = next((i for i, w in enumerate(dates) if w.start == event.start), None)
    if first is None:
        return
    prev = dates[first]
    for when in dates[first + 1:]:
        gap = text[prev.stop:when.begin]
        if not re.search(rf"(?:^|[\s,])(?:{conj})\s", gap) or doc.event_rx.search(gap) or when.start == prev.start:
            break
        place = doc.where(text[when.stop:], 0)
        twin = dataclasses.replace(event, ref=f"e:{len(doc.s.events)}", start=when.start, end=when.end,
                                   location=place.name if place else None,
                                   location_country=place.iso2 if place else None)
        doc.s.events.append(twin)
        doc.twins[twin.ref] = event.ref
        for f in [f for f in doc.s.facts if f.subject == event.ref]:
            doc.fact(twin.ref, f.relation, f.object, sent)
        prev = when


@cache
def _owner_rx(p: Profile) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """_label_owners' patterns in a profile's words (built once: the ordinals make one slow to compile): a
    beneficiary preposition as an aside; a conjunction and a few words joining a second event's name; of-words
    (maybe an ordinal) after the label; a capitalised name then its of-word."""
    aside = "|".join(re.escape(w) for w in p.beneficiary_prepositions) or "(?!)"
    of = "|".join(re.escape(w) for w in (*p.of_words, *p.articles)) or "of"
    joins = "|".join(re.escape(w) for w in (*p.conjunctions, "and")) or "and"
    ordinal = "|".join(re.escape(w) for w in p.ordinals) or "(?!)"
    return (re.compile(rf"\s(?:{aside})\s"),
            re.compile(rf"\s+(?:{joins})\s+(?:[^\s,;.]+\s+){{0,5}}"),
            re.compile(rf"\s+(?:[A-Z][\w'’-]*\s+)*?(?:{of})\s+(?:(?:{of})\s+)?(?:(?:\d+\w{{0,3}}|(?i:{ordinal}))\s+)?"),
            re.compile(rf"(?:[A-Z][\w'’-]*\s+(?:(?:on|for|and)\s+)?)+(?:\([A-Z]{{2,8}}\)\s+)?(?:{of})\s+(?:the\s+)?"))


def _label_owners(doc: Doc, text: str, nm: re.Match[str], label_start: int,
                  orgs: list[tuple[int, int, str]]) -> list[str]:
    """The body whose event the label names, when no sentence role says who organized it: "the Khartoum
    Process Steering Committee Meeting", "the 10th Reference Group Meeting of the Budapest Process"."""
    aside, joined, owner_after, owner_name = _owner_rx(doc.p)
    before = [r for a, b, r in orgs if label_start <= a and b <= nm.start()
              and re.fullmatch(r"[\s\w'’-]*", text[b:nm.start()])
              and not aside.search(text[b:nm.start()])]
    end = nm.end()
    nxt = next(_free_nouns(doc, text, orgs, end), None)
    if nxt is not None and joined.fullmatch(text[end:nxt.start()]):
        end = nxt.end()  # "the 10th Reference Group Meeting and the 34th Senior Officials Meeting of the Process"
    after = owner_after.match(text[end:])
    owners = before
    if after:  # "of the Budapest Process", "for the 5th Budapest Process Ministerial Conference"
        at = end + after.end()
        here = [r for a, _, r in orgs if a == at]
        name = owner_name.match(text[at:])
        if not here and name:  # "7th Meeting of Regional Consultative Process (RCP) of the IGAD": a forum of IGAD
            here = [r for a, _, r in orgs if a == at + name.end()]
        owners = owners + here
    return [r for r in dict.fromkeys(owners) if doc.d.orgs.get(doc.s.orgs[r].dict_id or "") is None
            or doc.d.orgs[str(doc.s.orgs[r].dict_id)].kind in ("regional-process", "intergovernmental", "un")]


def _next_in_day(doc: Doc, text: str, label_start: int) -> bool:
    """"The meeting … on 19 February. A signing ceremony will follow …", "Θα ακολουθήσει τελετή υπογραφής …": an
    event told as what comes next in the day of the one before (profile: sequence_cues)."""
    return doc.recent_date is not None and len(doc.recent_date.start) == 10 and _follows(doc, text, label_start)


def _follows(doc: Doc, text: str, label_start: int) -> bool:
    """A sequence cue right before the event's name ("was followed by a signing ceremony")."""
    return doc.sequence_rx is not None and doc.sequence_rx.search(text[:label_start]) is not None


def _named_undated(doc: Doc, label: str, etype: str) -> Event | None:
    """The event told earlier without a date whose name holds this mention's name (from its first capital:
    "Senior Officials’ Meeting" in "34th Senior Officials Meeting of the Budapest Process")."""
    written = label.split()
    first = next((i for i, w in enumerate(written) if w[:1].isupper()), len(written))
    words = fold(" ".join(written[first:]))  # (folding drops the apostrophe: "officials’" is "officials")
    if len(words.split()) < 2:
        return None
    return next((e for e in doc.s.events
                 if e.start is None and e.type == etype and f" {words} " in f" {fold(e.label)} "), None)


def _placed(doc: Doc, sent: Sentence, nm: re.Match[str]) -> bool:
    """"The ceremony … in Zhytomyr": the event noun opens the sentence and a city follows it."""
    if len(sent.text[:nm.start()].split()) > 1:
        return False
    place = doc.where(sent.text, nm.start())
    return place is not None and place.name is not None and place.start > nm.end()


def _undated_event(doc: Doc, text: str, nm: re.Match[str], label: str, verb: re.Match[str] | None,
                   ordinal: int | None = None) -> bool:
    """An event told without a date is still one when it is named ("the Khartoum Process Steering
    Committee Meeting"), or an actor organizes it, or it is between parties ("a meeting between A and B");
    a plural or a generic mention is not."""
    if nm.group(0).lower() != nm.group(1).lower():
        return False  # a plural: several events, told elsewhere
    words = label.split()
    named = sum(1 for w in words if w[:1].isupper()) >= 2 and words[-1][:1].isupper()
    between = doc.between_rx.match(text, nm.end()) is not None
    counted = ordinal is not None and any(w[:1].isupper() for w in words[1:])  # "this 4th RMCC meeting"
    return named or between or counted or verb is not None


def sentence_dates(doc: Doc, sent: Sentence) -> None:
    """Remember the last date the text gave before this sentence, for an event told without one."""
    doc.recent_date = doc.pending_date
    doc.dates_here = find_dates(sent.text, doc.r.published, doc.p, doc.year)  # read once per sentence
    if doc.next_day_rx is not None and doc.dates_here:
        # "the 10th Reference Group Meeting on 26th June, that preceded … the Senior Officials’ Meeting the following
        # day": the day after a full date told before it in the same sentence
        told = []
        for m in doc.next_day_rx.finditer(sent.text):
            base = [w for w in doc.dates_here if w.stop <= m.start() and len(w.end or w.start) == 10]
            if base:
                nxt = (date.fromisoformat(base[-1].end or base[-1].start) + timedelta(days=1)).isoformat()
                told.append(When(nxt, None, m.start(), m.end()))
        doc.dates_here = sorted([*doc.dates_here, *told], key=lambda w: w.begin)
    told = [w for w in doc.dates_here if len(w.start) > 4]  # a year alone dates its own sentence's event only
    if told and not sent.text.startswith(("“", '"')):
        doc.pending_date = told[-1]


def _verb_event(doc: Doc, sent: Sentence, orgs: list[tuple[int, int, str]],
                countries: list[tuple[int, int, str]]) -> Event | None:
    """An event told by its verb with a date: "X launched a centre", "a delegation visited Y"."""
    m = doc.event_verb_rx.search(sent.text)
    dates = doc.dates_here
    if not m:
        return None
    now = doc.r.published.year if doc.r.published else doc.year
    if dates and ((now and int(dates[0].start[:4]) < now - 1) or len(dates[0].start) == 4):
        # "the centre was launched in October 2014 and has since …": background, not news; so is an act dated
        # by its year alone ("In 1999 … an IOM mission was opened")
        return None
    etype = doc.p.event_verbs[m.group(1).lower()]
    text = sent.text
    if etype == "Meeting" and not any(a >= m.end() for a, _, _ in (*orgs, *countries)):
        return None  # "met difficulties", "a rencontré des difficultés": a meeting is with someone named
    if roles.participle(doc, text, m):
        return None  # "the programme, launched in October 2014, …": no event told here
    if _event_acronym_subject(doc, text[:m.start()]):
        return None  # "The SOM officially launched the fourth phase …": an act of the event told, no event of its own
    aux = aux_rx(doc.p.auxiliaries)
    passive = aux.search(text, 0, m.start()) if aux else None
    if not dates and not _told_by_actor(doc, text, m, passive, orgs):
        return None  # an undated verb is an event only when an actor does it in the news told here
    stop = "|".join(re.escape(w) for w in (*doc.p.place_prepositions, *doc.p.relative_words, *doc.p.by_markers))
    if passive:
        obj = re.sub(r"^.*?,\s*", "", text[:passive.start()]).strip()
    else:
        lead = next((w for w in dates if 0 <= w.begin - m.end() <= 8), None)
        rest = text[lead.stop if lead else m.end():].strip()  # "overhandigde op 20 juni 2023 twintig laptops"
        days = "|".join(re.escape(w) for w in doc.p.relative_dates)
        places = "|".join(re.escape(w) for w in doc.p.place_prepositions)
        # "ont lancé hier à Dakar la deuxième phase …": the object follows the day and the place
        town = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
        rest = re.sub(rf"^(?:(?:{days or '(?!)'})\s+)?(?:(?:{places or '(?!)'})\s+{town},?\s+)?", "", rest)
        obj = re.split(rf"[,;]|\s+(?:{stop or '(?!)'})\s", rest, maxsplit=1)[0]
    articles = "|".join(re.escape(w) for w in doc.p.articles)
    obj = re.sub(r"(?<=[^\W\d_]{2})[.;:]$", "", obj.strip())  # the sentence's full stop ends it
    obj = re.sub(rf"^(?:{articles})\s+", "", obj, flags=re.I) if articles else obj
    at = text.find(obj, m.end()) if obj and not passive else -1
    cut = next((w.begin for w in dates if at >= 0 and at < w.begin < at + len(obj)), None)
    if cut is not None:  # "ha incontrato la Prefettura di Bari il 3 maggio 2022": the object ends at its date
        small = "|".join(re.escape(w) for w in (*doc.p.articles, *doc.p.place_prepositions, *doc.p.date_fillers,
                                                 "on", "in")) or "on"
        obj = re.sub(rf"(?:\s+(?:{small}))+\s*$", "", text[at:cut].rstrip(" ,"), flags=re.I).strip()
    # "donated 49 vehicles" has an object; "launched 2014 …" has none
    uncounted = obj[:1].isdigit() and (not re.match(r"\d[\d.,]*\s+[^\W\d_]", obj) or re.match(r"(?:19|20)\d\d\b", obj))
    if not obj or uncounted or (cut is None and dates and dates[0].begin - m.end() <= 4 + len(obj)
                                        and obj in text[dates[0].begin - len(obj) - 4:dates[0].stop]):
        return None  # "launched in October 2014": no object, no event
    if doc.event_rx.search(obj):
        return None  # "the Minister opened the conference": an act inside an event told by its noun
    template = doc.p.name_templates.get(f"event_verb:{m.group(1).lower()}") or doc.p.name_templates.get(
        f"event_{etype}", "{verb} {object}")
    label = template.format(verb=m.group(1).lower(), object=obj).strip()
    place = doc.where(text, m.start())
    when = dates[0] if dates else None
    event = Event(ref=f"e:{len(doc.s.events)}", label=label, type=etype, start=when.start if when else None,
                  end=when.end if when else None,
                  location=place.name if place else None, location_country=place.iso2 if place else None,
                  evidence=doc.span(sent, m.start(), m.end()))
    # undated, an act of a kind already told is that event told again ("The keys were handed over by …")
    existing = next((e for e in doc.s.events if e.type == etype and (e.start == event.start if when else True)),
                    None)
    if existing is not None:
        if existing.location is None and place is not None and place.name and (
                existing.location_country in (None, place.iso2)):  # told again, now with its place
            doc.s.events[doc.s.events.index(existing)] = existing = replace(
                existing, location=place.name, location_country=place.iso2)
        return existing
    doc.s.events.append(event)
    roles.assign(doc, sent, event, orgs, countries, [])
    led = {f.object for f in doc.s.facts if f.subject == event.ref and f.relation == Relation.ORGANIZER}
    subject = ({r for a, _, r in orgs if a < m.start()} if not passive else set()) - led
    if not passive:  # "Japan and the UN Refugee Agency have signed …": a country acting is its government
        for a, b, iso2 in countries:
            head = all(w[:1].isupper() or w.lower() in doc.subject_words for w in re.findall(r"[\w'’-]+", text[:a]))
            if a < m.start() and head and not any(x <= a < y for x, y, _ in orgs) and roles._standalone(
                    doc, text, a, b):  # the subject opens the sentence: "Japan and UNHCR signed", not "… from Japan"
                subject.add(doc.government(iso2, sent, a, b))
    others = {r for a, _, r in orgs if a >= m.end()} - led
    role = Relation.ORGANIZER if etype == "Launch" else Relation.PARTICIPANT
    for ref in sorted(subject):
        doc.fact(event.ref, role, ref, sent)
    for ref in sorted(others - subject):
        doc.fact(event.ref, Relation.PARTICIPANT, ref, sent)
    for ref in sorted(subject | (others - subject)):
        if doc.s.orgs[ref].country:
            doc.fact(event.ref, Relation.PARTICIPANT_COUNTRY, str(doc.s.orgs[ref].country), sent)
    return event


def _event_acronym_subject(doc: Doc, before: str) -> bool:
    """The words before a verb are an event's acronym, as the release defined it after the event's name ("the
    Senior Officials’ Meeting (SOM) … The SOM launched …")."""
    m = re.fullmatch(r"\s*(?:\w+\s+)?([A-Z]{2,8})(?:\s+[a-z]+ly)?\s*", before)
    if m is None:
        return False
    acronym = re.escape(m.group(1))
    return any(e.evidence is not None and re.search(rf"{re.escape(e.label)}\s*\({acronym}\)", e.evidence.sentence)
               for e in doc.s.events)


def _told_again(doc: Doc, text: str) -> bool:
    """"The activity was held by IOM": a sentence that opens on a definite noun and a passive and names who
    organized, with no date of its own, tells the event in hand."""
    if doc.dates_here:
        return False
    cues = tuple(c for c in doc.p.organizer_cues.agent_after)
    if not cues or not doc.first(words_rx(r"\b(?:", cues, r")\b"), text):
        return False
    lead = (*doc.p.articles, *doc.p.determiners, "the", "this")
    aux = (*doc.p.auxiliaries, "was", "were")
    one_noun = words_rx(r"^\s*(?:", lead, r")\s+[\w-]+\s+").match(text)  # "The activity was", not "The three tables"
    return bool(one_noun and words_rx(r"(?:", aux, r")\b").match(text, one_noun.end()))


def _title_date(doc: Doc, etype: str):  # type: ignore[no-untyped-def]
    """The full date a headline gives beside an event noun of the same type, if any."""
    title = doc.r.title or ""
    nm = doc.event_rx.search(title)
    if nm is None or _type(doc, title, nm.group(1).lower()) != etype:
        return None
    dates = [w for w in find_dates(title, doc.r.published, doc.p, doc.year) if len(w.start) == 10]
    return dates[0] if len(dates) == 1 else None


def _told_by_actor(doc: Doc, text: str, m: re.Match[str], passive: re.Match[str] | None,
                   orgs: list[tuple[int, int, str]]) -> bool:
    """"IOM launched the report", "the equipment was handed over by the EU Delegation": an organization
    does the act in the sentence's main clause (its subject, or the agent of a passive)."""
    if passive:
        by = "|".join(re.escape(w) for w in doc.p.by_markers) or "(?!)"
        agent = re.match(rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{by})\s+(?:the\s+)?", text[m.end():], re.I)
        return agent is not None and any(a == m.end() + agent.end() or a <= m.end() + agent.end() + 30
                                         and a >= m.end() + agent.end() for a, _, _ in orgs)
    rel = "|".join(re.escape(w) for w in doc.p.relative_words) or "(?!)"
    before = text[:m.start()]
    if re.search(rf"\b(?:{rel})\s+(?:\w+\s+){{0,2}}$", before, re.I):
        return False  # "the report which IOM launched": a relative clause, not the news
    lead = text == doc.r.title or (doc.sentences and text == doc.sentences[0].text)
    return bool(roles.subject(doc, text, m.start(), orgs)) or bool(lead and _official_subject(doc, before))


def _official_subject(doc: Doc, before: str) -> bool:
    """"Aleksa Bečić, Deputy Prime Minister, met with …", "Il Prefetto di Fermo Mara Di Lullo ha incontrato …":
    an office holder named by a capitalised title and a name, as the subject of the headline's or the lead's
    clause, does the act the news is about (later in the text, "the Minister opened the event" is a moment of
    an event already told)."""
    clause = re.split(r"[;:]\s", before)[-1]
    if doc.office_title_rx is None or not clause.strip():
        return False
    names = re.findall(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω][\w'’-]+", clause)
    hit = doc.office_title_rx.search(clause)
    return hit is not None and hit.group(0)[:1].isupper() and len(names) >= 2


def _type(doc: Doc, label: str, noun: str) -> str:
    """The most specific event type any event noun in the label names ("meeting of the Steering Committee")."""
    nouns = doc.p.event_nouns
    found = [nouns.get(m.group(1).lower()) or nouns.get(m.group(1)) for m in doc.event_rx.finditer(label)]
    found = [f for f in found if f]
    for specific in SPECIFIC_TYPES:
        if specific in found:
            return specific
    return nouns.get(noun) or (found[0] if found else "Other")


def referenced_event(doc: Doc, sent: Sentence) -> Event | None:
    nm = doc.event_rx.search(sent.text)
    if nm:
        noun = nm.group(1).lower()
        etype = doc.p.event_nouns.get(noun)
        for e in reversed(doc.s.events):
            if e.type == etype:
                return e
    return doc.s.events[-1] if doc.s.events else None


@cache
def _multi_ordinal_rx(p: Profile) -> re.Pattern[str] | None:
    """A profile's ordinals of several words as a whole ("dvadeset prvi", "dwudziesty pierwszy"), made once."""
    multi = tuple(k for k in p.ordinals if " " in k)
    return words_rx(r"(?<![\w-])(", multi, r")(?![\w-])") if multi else None


@cache
def _ordinal_after_rx(p: Profile) -> re.Pattern[str]:
    """An ordinal word right after the noun, made once per profile (not one opening with a digit: "posjeta 5. marta",
    "встреча 5-го марта" are dates)."""
    words = tuple(k for k in p.ordinals if not k[:1].isdigit())
    return words_rx(r"\s+(?:[\w-]+\s+)?(", words, r")(?![\w-])")


def _ordinal(doc: Doc, text: str, noun_at: int, noun_end: int | None = None) -> tuple[int | None, int | None]:
    """The ordinal standing in the noun phrase before the event noun ('the ninth regular meeting'), or,
    in a language without articles, right after it ("takimi i katërt", "pertemuan ke-4")."""
    before = text[max(0, noun_at - 80):noun_at]
    m = doc.article_rx.search(before)
    if m:
        phrase = m.group(1)
    else:  # languages without articles: the few words right before the noun ("deveti redovni sastanak")
        w = re.search(r"((?:[\w.'’-]+\s+){0,3})$", before)
        phrase = w.group(1) if w else ""
    base = noun_at - len(phrase)
    ordinals = doc.p.ordinals
    if not phrase and ordinals and glued_before(text, noun_at):  # "第5回地域協議会": the run before the noun
        run = re.search(r"[^\s,.;:，、。：；]{1,30}$", before)
        found = list(words_rx(r"(", tuple(ordinals), r")").finditer(run.group())) if run else []
        if run and found:
            return int(ordinals[found[-1].group(1).lower()]), noun_at - len(run.group()) + found[-1].start()
    multi = _multi_ordinal_rx(doc.p)
    whole = multi.search(phrase) if multi else None
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
    if noun_end is not None and not doc.p.articles and ordinals:
        after = _ordinal_after_rx(doc.p).match(text, noun_end)
        if after:
            return int(ordinals[after.group(1).lower()]), None
    return None, None


class _LabelRx(NamedTuple):
    joined: re.Pattern[str]  # "… workshop and coordination meeting": a second noun joined to the first
    complement: re.Pattern[str]  # the "of/on/for …" complement, up to the word that ends it
    verb_heads: frozenset[str]  # the first words of auxiliaries and event verbs (they end a complement)
    lead: re.Pattern[str]  # a preposition before the label ("… participated in informational workshops")


@cache
def _label_rx(p: Profile) -> _LabelRx:
    """What :func:`_label` reads with, built once per profile (it was built again for every event noun)."""
    conj = "|".join(re.escape(w) for w in (*p.conjunctions, "and")) or "and"
    stops = {"from", "in", "at", "on", "with", "held", "which", "who", "hosted", "took", "was", "were", "by"}
    own = {*p.place_prepositions, *p.source_prepositions, *p.relative_words, *p.by_markers,
           *p.auxiliaries} - stops  # the section language's words that end the complement
    if p.adjectives_follow_nouns:
        own -= set(p.of_words)  # "Conférence … du programme X": "du" is "of" before it is "from"
    ofs = "".join("|" + re.escape(w) for w in {*p.of_words, *p.beneficiary_prepositions} - stops - own
                  - {"of", "on", "for", "to"})
    ends = "".join("|" + re.escape(w) for w in own)
    topic_on = r"on(?!\s+(?!the\b|an?\b)[a-z])"  # "on saving lives" goes on; "on 5 May", "on the 6th" end it
    preps = "|".join(re.escape(w) for w in (*p.place_prepositions, "in", "at")) or "in"
    return _LabelRx(
        re.compile(rf"\s+(?:{conj})\s+(?:[\w'’-]+\s+){{0,2}}?(?=\w)"),
        re.compile(rf"(\s+(?:of|on|for|to{ofs})\s+(?:the\s+)?[^,;.“”\"]*?)(?=\s+(?:from|in|at|{topic_on}|"
                   rf"with|held|which|"
                   rf"who|organi[sz]ed|hosted|took|was|were|by{ends})\b|[,;.]|$)"),
        frozenset({a.split()[0].lower() for a in p.auxiliaries} | {v.split()[0].lower() for v in p.event_verbs}),
        re.compile(rf"(?:{preps})\s+(?=\S)", re.I))


def _label(doc: Doc, text: str, nm: re.Match[str], start: int | None) -> tuple[str, int]:
    """The event's noun phrase: from its determiner (or ordinal) to the noun, then an "of/on/for …"
    complement, skipping a place in between ("workshop in Skopje on asylum decisions")."""
    if not doc.p.word_spaces and glued_before(text, nm.end()):
        return _glued_label(doc, text, nm, start)
    begin = start if start is not None else nm.start()
    if start is None:
        m = doc.label_rx.search(text[max(0, nm.start() - 90):nm.start()])
        if m:
            begin = nm.start() - len(m.group(1))
        elif doc.p.label_stops:
            begin = _words_before(doc, text, nm.start())
    count = _count_rx(doc.p).search(text, begin, nm.start()) if start is None else None
    if count is not None:  # "L’OIM a organisé deux ateliers": the events counted, not the count
        begin = count.end(1) + len(text[count.end(1):nm.start()]) - len(text[count.end(1):nm.start()].lstrip())
    noun_end = nm.end()
    rx = _label_rx(doc.p)
    co = rx.joined.match(text[noun_end:])
    second = doc.event_rx.match(text, noun_end + co.end()) if co else None
    if second is not None and second.start() == noun_end + co.end():  # "workshop and coordination meeting"
        noun_end = second.end()
    head = re.match(r"[ \t]+", text[noun_end:])
    compound = doc.event_rx.match(text, noun_end + head.end()) if head else None
    if compound is not None and compound.start() == noun_end + head.end():  # "consultation meeting"
        noun_end = compound.end()
    if doc.p.adjectives_follow_nouns:  # "segunda Consulta Migratoria del Caribe", "Conférence pair-à-pair du …"
        noun_end = _adjectives_after(doc, text, noun_end)
    rest = text[noun_end:]
    skip = re.match(r"(?:\s+(?:in|at)\s+[A-Z][\w'’-]*(?:,\s*[A-Z][\w'’-]*)?)?", rest)
    after = rest[skip.end():] if skip else rest
    tail = rx.complement.match(after)
    rest_of = tail.group(1).rstrip() if tail else ""
    if rest_of and doc.p.adjectives_follow_nouns:  # "… du dialogue euro-africain … a ouvert": the verb ends it
        heads = rx.verb_heads
        words = list(re.finditer(r"\S+", rest_of))
        stop_at = next((w.start() for w in words[1:] if w.group().lower() in heads), None)
        if stop_at is not None:
            rest_of = rest_of[:stop_at].rstrip()
    verb = [v for v in doc.verb_rx.finditer(rest_of) if v.end() == len(rest_of)]
    held = [v for v in (*doc.verb_rx.finditer(text, begin, nm.start()), *doc.part_rx.finditer(text, begin, nm.start()))
            if v.re is doc.verb_rx or v.group(1).lower() in doc.subject_cues]  # "… participated in workshops"
    held.sort(key=lambda v: v.end())
    if held:  # "… (IOM) held two local coordination meetings": the label starts after the verb
        begin = held[-1].end() + len(text[held[-1].end():nm.start()]) - len(text[held[-1].end():nm.start()].lstrip())
        lead = rx.lead.match(text[begin:nm.start()])
        begin += lead.end() if lead else 0  # "… participated in informational workshops"
    label = text[begin:noun_end] + (rest_of[:verb[0].start()] if verb else rest_of)  # "… Rückkehr veranstaltet"
    tail_at = noun_end + (skip.end() if skip else 0)
    if rest_of and any(tail_at <= w.begin <= tail_at + len(rest_of) for w in doc.dates_here):
        label = text[begin:noun_end]  # "third meeting on 3 July 2019": the date is no part of the name
    return " ".join(label.split()), begin


def _words_before(doc: Doc, text: str, at: int) -> int:
    """Where an event's name starts in a language that writes endings onto words and no articles: the words
    before its noun back to one that ends in a particle or a verb ending ("서울에서 | 이주민 사회통합 정책 워크숍")."""
    stops = words_rx(r"(?:", doc.p.label_stops, r")$")
    begin = at
    for w in reversed(list(re.finditer(r"\S+", text[max(0, at - 60):at]))[-4:]):
        word = w.group()
        if stops.search(word) or any(c.isdigit() or not c.isalnum() for c in word) or doc.any_cue_rx.search(word):
            break
        begin = max(0, at - 60) + w.start()
    within = re.search(r"\w+$", text[:at])  # the noun written onto the word before it ("정책워크숍")
    return min(begin, at - len(within.group())) if within and begin == at else begin


_RUN_END = r"\s,.;:，、。：；“”「」『』《》()（）—–-"


def _glued_label(doc: Doc, text: str, nm: re.Match[str], start: int | None) -> tuple[str, int]:
    """The label of an event noun in a script without word spaces: the run of letters it stands in, before the
    noun ("人身取引被害者の保護に関するワークショップ", after the last cue: "共同举办了湄公河次区域劳务移民研讨会")
    or, where adjectives follow nouns, after it ("การฝึกอบรมเรื่องการคัดเลือกแรงงาน", up to a cue)."""
    cues = (doc.verb_rx, doc.part_rx, doc.fund_rx)
    if doc.p.adjectives_follow_nouns:
        run = re.match(rf"[^{_RUN_END}]*", text[nm.end():])
        end = nm.end() + (run.end() if run else 0)
        end = min([end, *(m.start() for rx in cues for m in [rx.search(text, nm.end(), end)] if m)])
        begin = start if start is not None else nm.start()
        return text[begin:end], begin
    begin = start if start is not None else nm.start()
    if start is None:
        run = re.search(rf"[^{_RUN_END}]*$", text[max(0, nm.start() - 60):nm.start()])
        begin = nm.start() - (len(run.group()) if run else 0)
        begin = max([begin, *(m.end() for rx in cues for m in rx.finditer(text, begin, nm.start()))])
        # a date or a place before the name ("12月5日から7日までマニラで…研修") is no part of it
        begin = max([begin, *(w.stop for w in doc.dates_here if begin <= w.stop <= nm.start())])
        places = [m.end for m in doc.d.places.find(text[begin:nm.start()])]
        begin += max(places, default=0)
        small = words_rx(r"(?:", tuple(w for w in (*doc.p.function_words, *doc.p.determiners, *(
            w.strip("-") for w in doc.p.place_prepositions)) if len(w.strip("-")) == 1), r")")
        lead = words_rx(r"(?:", doc.p.determiners, r")") if doc.p.determiners else None
        while begin < nm.start():  # "了", "を", "一场": a particle or a determiner written before the name
            m = (lead.match(text, begin) if lead else None) or small.match(text, begin)
            if not m or m.end() == begin:
                break
            begin = m.end()
    return text[begin:nm.end()], begin


def _adjectives_after(doc: Doc, text: str, end: int) -> int:
    """Past up to two adjectives written after the noun, in languages that put them there: not a grammar
    word, a date, a digit or a role verb."""
    small = doc.not_adjectives
    for _ in range(2):
        w = re.match(r"\s+([^\W\d_][\w’'-]{2,})", text[end:])
        at = end + w.start(1) if w else end
        if not w or w.group(1).lower() in small or w.group(1).lower() in doc.p.months \
                or any(rx.match(text, at) for rx in (doc.verb_rx, doc.part_rx, doc.event_rx)) \
                or any(x.begin == at for x in doc.dates_here):
            break
        end += w.end()
    return end


def _topics(doc: Doc, sent: Sentence) -> tuple[str, ...]:
    m = re.search(r"\b(?:information|views|experiences|practices)\s+on\s+(.+?)(?:[.;]|$)", sent.text)
    if not m:
        return ()
    parts = re.split(r",\s*|\s+as well as\s+|\s+and\s+(?=main|the|new)", m.group(1))
    return tuple(p.strip() for p in parts if len(p.strip()) > 3)
