"""Pass 5, the document as a whole: parents of units named with them, places from the dateline or the other
language's version, programme titles aligned across language sections, implementers from organizers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from migkg.extract.doc import Doc
from migkg.extract.patterns import (
    QUOTED,
    initialism,
    whole,
)
from migkg.extract.places import dateline, event_location
from migkg.extract.programmes import is_decoy
from migkg.extract.text import split_sentences
from migkg.extract.when import find_dates
from migkg.languages import for_language
from migkg.model import Event, Fact, Relation, Title
from migkg.names import fold


def run(doc: Doc) -> None:
    """The document-level pass, after every sentence was read."""
    _parents(doc)
    _twins_share_roles(doc)
    _title_organizer(doc)
    _title_beneficiary(doc)
    _named_owner(doc)
    _same_kind_same_hands(doc)
    _organizers_not_participants(doc)
    _places(doc)
    _align_titles(doc)
    _short_titles(doc)
    _implementers_organize(doc)
    _implementers(doc)


def _title_beneficiary(doc: Doc) -> None:
    """A headline that says whom the release's first event was for ("Handover of two vehicles to the State
    Migration Service of Ukraine") names a participant when the body names none; only a body the text also
    names, with its evidence."""
    if not doc.s.events or not doc.p.beneficiary_prepositions:
        return
    first = doc.s.events[0]
    if any(f.subject == first.ref and f.relation == Relation.PARTICIPANT for f in doc.s.facts):
        return
    title = doc.r.title
    noun = doc.event_rx.search(title)
    if noun is None or doc.p.event_nouns.get(noun.group(1).lower()) != first.type and first.type != "Other":
        return
    near = re.compile(rf"(?:^|\s)(?:{doc.beneficiary_alt})\s+(?:[\w’'-]+\s+){{0,3}}$", re.I)
    for org in list(doc.s.orgs.values()):
        if org.evidence is None:
            continue
        for name in {org.name, *org.aliases}:
            at = title.find(name, noun.end())
            if at >= 0 and near.search(title[noun.end():at]):
                doc.s.facts.append(Fact(first.ref, Relation.PARTICIPANT, org.ref, org.evidence))
                if org.country:
                    doc.s.facts.append(Fact(first.ref, Relation.PARTICIPANT_COUNTRY, org.country, org.evidence))
                break


_OWNERS = ("regional-process", "intergovernmental", "un")


def _named_owner(doc: Doc) -> None:
    """"The 7th Budapest Process Ministerial Conference", told in passing with no organizer: the body its
    name starts with (a process, an intergovernmental body) holds it."""
    for e in doc.s.events:
        if any(f.subject == e.ref and f.relation == Relation.ORGANIZER for f in doc.s.facts) or e.evidence is None:
            continue
        words = e.label.split()
        for org in doc.s.orgs.values():
            known = doc.d.orgs.get(org.dict_id or "")
            if known is None or known.kind not in _OWNERS:
                continue
            for name in {org.name, *org.aliases, org.acronym or ""} - {""}:
                at = e.label.find(name)
                rest = e.label[at + len(name):].split() if at >= 0 else []
                if at >= 0 and at <= len(words[0]) + 1 and rest and all(w[:1].isupper() for w in rest[:2]) \
                        and doc.event_rx.search(" ".join(rest[:3])):
                    doc.s.facts.append(Fact(e.ref, Relation.ORGANIZER, org.ref, e.evidence))
                    break


def _organizers_not_participants(doc: Doc) -> None:
    """A body one sentence says took part and another says organized the event is its organizer."""
    organizing = {(f.subject, f.object) for f in doc.s.facts if f.relation == Relation.ORGANIZER}
    doc.s.facts[:] = [f for f in doc.s.facts
                      if not (f.relation == Relation.PARTICIPANT and (f.subject, f.object) in organizing)]


_SHARED = (Relation.ORGANIZER, Relation.PARTICIPANT, Relation.PARTICIPANT_COUNTRY, Relation.PART_OF_PROGRAMME)


def _twins_share_roles(doc: Doc) -> None:
    """"Sessions were held on 28-30 August in A and on 2-4 September in B. … were held by X": what a later
    sentence says of the sessions holds for each of them."""
    for twin, first in doc.twins.items():
        for a, b in ((first, twin), (twin, first)):
            for f in [f for f in doc.s.facts if f.subject == a and f.relation in _SHARED]:
                if not any((x.subject, x.relation, x.object) == (b, f.relation, f.object) for x in doc.s.facts):
                    doc.s.facts.append(replace(f, subject=b))


def _short_titles(doc: Doc) -> None:
    """"the Emergency Trust Fund" after "the EU's Emergency Trust Fund for stability … in Africa": a
    programme whose title is the other's words in order, ending on the same head, is that programme; so is one
    that puts the other's last word first ("the Africa Trust Fund" for "the Trust Fund for Africa")."""
    progs = doc.s.programmes
    for short in list(progs):
        words = fold(short.title).split()
        if len(words) < 2 or short.dict_id:
            continue
        longer = [q for q in progs if q is not short and len(fold(q.title).split()) > len(words)
                  and words[-1] in fold(q.title).split() and (_in_order(words, fold(q.title).split(), fronted=True)
                                                               or _subtitled(words, q.title))
                  and not (short.acronym and q.acronym and short.acronym != q.acronym)]
        if len(longer) != 1:
            continue
        q = longer[0]
        i = progs.index(q)
        aliases = (*q.aliases, *(t for t in (*short.titles, *short.aliases)
                                 if t.text not in {x.text for x in (*q.titles, *q.aliases)}))
        progs[i] = replace(q, aliases=aliases, acronym=q.acronym or short.acronym)
        progs.remove(short)
        kept: dict[tuple[str, str, str], Fact] = {}  # the facts of both, each once (the first telling)
        for f in doc.s.facts:
            f = replace(f, subject=q.ref if f.subject == short.ref else f.subject,
                        object=q.ref if f.object == short.ref else f.object)
            kept.setdefault((f.subject, f.relation, f.object), f)
        doc.s.facts[:] = kept.values()


def _subtitled(words: list[str], title: str) -> bool:
    """"the Mesoamerica Program" for "the Regional Migration Program: Mesoamerica - The Caribbean": the first words
    of the part after the colon, then the programme noun the part before it ends with."""
    head, colon, sub = title.partition(":")
    head_words, sub_words = fold(head).split(), fold(sub).split()
    return bool(colon and head_words and words[-1] == head_words[-1] and words[:-1] == sub_words[:len(words) - 1])


def _in_order(words: list[str], other: list[str], fronted: bool = False) -> bool:
    it = iter(other)
    if all(w in it for w in words):
        return True
    return fronted and len(words) > 2 and words[0] == other[-1] and _in_order(words[1:], other[:-1])


def _title_organizer(doc: Doc) -> None:
    """A headline that says who acts ("IGAD Convenes Migration Meeting in Addis", "IOM trains judges …")
    names the organizer of the release's first event when its sentences name none. Only an organization
    the body also names takes the role, with the body's evidence."""
    if not doc.s.events or any(f.subject == doc.s.events[0].ref and f.relation == Relation.ORGANIZER
                               for f in doc.s.facts):
        return
    title = doc.r.title
    before = {c.lower() for c in doc.p.organizer_cues.agent_before}
    for verb in doc.verb_rx.finditer(title):
        if verb.group(1).lower() not in before:
            continue
        found = [m for m in doc.d.trie.find(title[:verb.start()], kinds=("org",))
                 if not title[m.end:verb.start()].strip(" ,")]
        for m in found:
            org = doc.s.orgs.get("d:" + m.entry.key)
            if org is not None and org.evidence is not None:
                doc.s.facts.append(Fact(doc.s.events[0].ref, Relation.ORGANIZER, org.ref, org.evidence))
                return


def _same_kind_same_hands(doc: Doc) -> None:
    """"IOM conducted a training in Erbil … following an earlier training held in June … a follow-up training is
    planned in October": the release's other events of the same kind, told with no one taking part and not named
    for a body, are held by the same organizers as the first one."""
    if not doc.s.events:
        return
    first = doc.s.events[0]
    told = {f.subject for f in doc.s.facts if f.relation in (Relation.ORGANIZER, Relation.PARTICIPANT)}
    leads = [f for f in doc.s.facts if f.subject == first.ref and f.relation == Relation.ORGANIZER]
    names = {n for o in doc.s.orgs.values() for n in (o.name, o.acronym, *o.aliases) if n}
    for e in doc.s.events[1:]:
        acronyms = re.findall(r"(?<![\w-])[A-Z]{2,}(?![\w-])", e.label)  # "the 4th RMCC meeting"
        owned = any(whole(n).search(e.label) for n in names) or any(
            initialism(a, o.name) for a in acronyms for o in doc.s.orgs.values())
        if e.type == first.type and e.ref not in told and e.evidence is not None and not owned and (
                e.start is None or e.start != first.start):  # a second event on the first one's day is a side event
            for f in leads:
                doc.s.facts.append(Fact(e.ref, Relation.ORGANIZER, f.object, e.evidence))


def _parents(doc: Doc) -> None:
    """Link a dictionary organization to its parent when the release names the parent too."""
    for ref, org in list(doc.s.orgs.items()):
        if org.dict_id and org.parent is None:
            parent = doc.d.orgs[org.dict_id].parent
            if parent and "d:" + parent in doc.s.orgs:
                doc.s.orgs[ref] = replace(org, parent="d:" + parent)


def _places(doc: Doc) -> None:
    """Events without a place in their own sentence take the dateline's."""
    line = dateline(doc.d, doc.main.text)
    named = set(doc.s.countries)
    for i, e in enumerate(doc.s.events):
        if e.location is None and e.location_country is None and e.start and len(e.start) == 10:
            e = doc.s.events[i] = _place_elsewhere(doc, e)
        if line is not None and e.location is None and e.location_country in (None, line.iso2):
            e = doc.s.events[i] = replace(e, location=line.name, location_country=line.iso2)
        if e.location_country and e.evidence is not None and (e.location is None or e.location_country in named):
            # the host is a country of the release when the release names it ("in Tunis" alone names no country)
            doc.add_country(e.location_country, e.location_country, None)
            if _hosts_take_part(doc, e):  # and sits at the table when its bodies do
                doc.s.facts.append(Fact(e.ref, Relation.PARTICIPANT_COUNTRY, e.location_country, e.evidence))


def _hosts_take_part(doc: Doc, e: Event) -> bool:
    """The host country of an event takes part when the release names a body of its own, or names no one
    taking part ("a workshop in Skopje" with no roles told: the host's people were there)."""
    told = any(f.subject == e.ref and f.relation in (Relation.ORGANIZER, Relation.PARTICIPANT) for f in doc.s.facts)
    return not told or any(o.country == e.location_country for o in doc.s.orgs.values())


def _place_elsewhere(doc: Doc, e: Event) -> Event:
    """The place another language version gives for the event of the same day (a bilingual release
    may name the town in one version only)."""
    for section in doc.others:
        if section.lang == "und":
            continue
        p = for_language(section.lang)
        for sent in split_sentences(section.text, section.start):
            if not any(w.start == e.start for w in find_dates(sent.text, doc.r.published, p)):
                continue
            place = event_location(doc.d, sent.text, 0, p.place_prepositions, p.place_nouns, p.articles)
            if place is not None:
                if place.iso2:
                    doc.add_country(place.iso2, place.iso2, None)
                return replace(e, location=place.name, location_country=place.iso2)
    return e


def _align_titles(doc: Doc) -> None:
    """Give each programme the title the other language sections use at the same position."""
    if not doc.s.programmes:
        return
    for section in doc.others:
        nouns = for_language(section.lang).programme_nouns if section.lang != "und" else ()
        if not nouns:
            continue
        noun_rx = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
        rx = re.compile(rf"\b(?:{noun_rx})\b[^“\"„«\n]{{0,40}}?{QUOTED}", re.I)
        titles = [m.group("title").strip().rstrip(",.") for m in rx.finditer(section.text)]
        titles = [t for t in titles if not is_decoy(doc.p, t)]
        seen: list[str] = []
        for t in titles:
            if fold(t) not in [fold(x) for x in seen]:
                seen.append(t)
        if len(seen) != len(doc.s.programmes):
            continue  # positions do not line up: add nothing rather than pair wrongly
        for i, (p, t) in enumerate(zip(doc.s.programmes, seen, strict=True)):
            if all(fold(x.text) != fold(t) for x in p.titles):
                doc.s.programmes[i] = replace(p, titles=(*p.titles, Title(t, section.lang)))


def _implementers_organize(doc: Doc) -> None:
    """"In the project funded by the EU and implemented by IOM …, two trainings were organized": an event of a
    programme, told with no organizer, is organized by the programme's stated implementers."""
    led = {f.subject for f in doc.s.facts if f.relation == Relation.ORGANIZER}
    implementers: dict[str, list[str]] = {}
    for f in doc.s.facts:
        if f.relation == Relation.IMPLEMENTER:
            implementers.setdefault(f.subject, []).append(f.object)
    for f in list(doc.s.facts):
        if f.relation == Relation.PART_OF_PROGRAMME and f.subject not in led and f.evidence is not None:
            for org in dict.fromkeys(implementers.get(f.object, [])):
                doc.s.facts.append(Fact(f.subject, Relation.ORGANIZER, org, f.evidence))


def _implementers(doc: Doc) -> None:
    """An organization that organized an event in a programme's framework implements it."""
    by_event: dict[str, list[Fact]] = {}
    for f in doc.s.facts:
        by_event.setdefault(f.subject, []).append(f)
    for f in list(doc.s.facts):
        if f.relation != Relation.PART_OF_PROGRAMME:
            continue
        for g in by_event.get(f.subject, []):
            if g.relation == Relation.ORGANIZER and g.evidence:
                doc.s.facts.append(Fact(f.object, Relation.IMPLEMENTER, g.object, g.evidence))
    for ref, org in doc.s.orgs.items():
        if org.parent:
            doc.s.facts.append(Fact(ref, Relation.SUB_ORGANIZATION_OF, org.parent, org.evidence))
