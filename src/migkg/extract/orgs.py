"""Organizations the dictionaries do not know, found by their shape.

A run of capitalized words (joined by "of", "for", "and", "on", "de" …) that holds a head noun
from ``triggers.json`` ("Ministry", "Court", "Network", "Municipality", "Red Cross" …) names an
organization: "Administrative Court of North Macedonia", "Legal Aid Network Skopje",
"Kukës Municipality". Its country comes from a country named inside it, a leading adjective
("Swedish Police Authority") or a town ending it ("Centre for Social Work Podgorica").
Facilities ("Reception Centre"), bodies of a programme ("Steering Committee") and people's titles
("the Mayor of …", "State Secretary of …") are not organizations; a title names the body after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from migkg.extract.wordtrie import choice
from migkg.languages import Profile
from migkg.names import fold
from migkg.reference import Dictionaries, Match

_UPPER = "".join(sorted({c for c in map(chr, range(0x2000)) if c.isupper()}))  # capitals of every script
_CAP = rf"(?:[{_UPPER}][\w'’.-]*\w|[A-Z])"
_SEP = r"(?:[ \t]+(?:(?:of|for|on|de|du|des|la|del|di)(?:[ \t]+the)?[ \t]+|(?:and|&)[ \t]+)?|[ \t]+d'|[ \t]+d’)"
_NAME = re.compile(rf"{_CAP}(?:{_SEP}{_CAP})*")
_IN_TOWN = re.compile(r"\s+in\s+" + _CAP + r"(?:\s+" + _CAP + r")*$")
# "Trafficking in Persons" joins a name; "in" before a place ends it (checked against the gazetteer later)
_PLACE_AFTER_IN = r"the\b|[^\W\d_][\w.-]*['’]s\s"  # "in the …", "in Tajikistan’s Ministry …": another body
_LEADING = re.compile(r"^(?:The|A|An|This|These|Its|Their|Both|Each|All|On|In|At|For|From|With|By|During|After|"
                      r"Under|Over|Since|Between|Among|Through|Within|Following|Participants?|Representatives?|"
                      r"Officers?|Officials?|Members?|Staff|Experts?|Judges?|Lawyers?|Delegations?)\s+(?:of\s+(?:the\s+)?)?")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    name: str  # "" for a kind of bodies ("Albanian Government Institutions"): no body, its country takes part
    country: str | None


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted({str(w) for w in words if w}, key=len, reverse=True))  # type: ignore[attr-defined]


@cache
def _joiners(p: Profile) -> tuple[str, str, str]:
    """The section's own words that join a name's capitalized words: of-words ("de", "del", "pentru"),
    articles after them ("de la", "pour les") and elided forms glued to the next word ("de l’", "dell’")."""
    elided = [w for w in (*p.of_words, *p.articles) if w.endswith(("'", "’"))]
    of = [w for w in p.of_words if w not in elided]
    arts = [w for w in p.articles if w not in elided]
    return (_alt(["of", "for", "on", "against", "de", "du", "des", "la", "del", "di", *of]), _alt(["the", *arts]),
            _alt(elided))


@cache
def _name_rx(p: Profile) -> re.Pattern[str]:
    """A run of capitalized words, joined also by the language's of-words (with an article or glued: "de la",
    "de l’", "dell’") and conjunctions ("Bundesamt für Migration und Flüchtlinge", "Ministria e Brendshme")."""
    of, art, elided = _joiners(p)
    conj = _alt(["and", "&", *(c for c in p.conjunctions if " " not in c)])
    glued = rf"|[ \t]+(?:(?:{of})[ \t]+)?(?:{elided})" if elided else ""
    sep = (rf"(?:[ \t]+(?:(?:{conj})[ \t]+)?(?:(?:{of})(?:[ \t]+(?:{art}))?[ \t]+)?|[ \t]+d'|[ \t]+d’{glued}"
           rf"|[ \t]+(?:{conj})(?:{glued})|[ \t]+in[ \t]+(?!{_PLACE_AFTER_IN}))")
    # a body's head noun written in lower case, as French and Spanish write ministries ("ministère de l’Intérieur")
    lower_heads = [h for h in p.org_head_nouns if h.islower() and " " not in h]
    heads = _alt(lower_heads)
    of_sep = rf"(?:[ \t]+(?:{of})(?:[ \t]+(?:{art}))?[ \t]+|[ \t]+d'|[ \t]+d’{glued})"  # "ministère de", not "agence X"
    # a capitalized word with the lower-case adjectives a language writes after it ("Affaires étrangères")
    adjs = _alt(p.name_adjectives)
    cap = rf"{_CAP}(?:[ \t]+(?:{adjs})(?![\w'’-]))*" if adjs else _CAP
    # a match starts with a capital or a lower-case head noun: tested once before the two branches are tried (the same
    # matches; without lower-case heads the second branch opens with spaces, and the test does not pay)
    firsts = "".join(re.escape(c) for c in dict.fromkeys(h[0] for h in lower_heads) if c not in _UPPER)
    ahead = rf"(?=[{_UPPER}{firsts}])" if lower_heads else ""
    return re.compile(rf"{ahead}(?:{cap}(?:{sep}{cap})*|\b(?:{heads}){of_sep}{cap}(?:{sep}{cap})*)")


@cache
def _leading(p: Profile) -> re.Pattern[str]:
    """The language's articles, determiners, prepositions and people nouns before a name ("Die Vertreter der")."""
    lead = _alt((*p.articles, *p.determiners, *p.place_prepositions, *p.source_prepositions, *p.not_organizations))
    of = _alt((*p.of_words, *p.articles))
    if not lead:
        return re.compile(r"(?!)")
    return re.compile(rf"^(?:{lead})\s+(?:(?:{of or '(?!)'})\s+)?", re.I)


@cache
def _leading_words(p: Profile) -> re.Pattern[str]:
    """Articles, determiners and function words of the section's language before a name, in either case
    ("Durante la Reunión …", "L’Office …")."""
    words = [w for w in (*p.articles, *p.determiners, *p.function_words, *p.place_prepositions)
             if w.lower() not in ("the", "a", "an", "this", "these", "its", "their")]
    if not words:
        return _LEADING
    spaced = _alt([f(w) for w in words if not w.endswith(("'", "’")) for f in (str.capitalize, str.lower)])
    glued = _alt([f(w) for w in words if w.endswith(("'", "’")) for f in (str.capitalize, str.lower)])
    return re.compile(rf"^(?:(?:{spaced})\s+" + (rf"|(?:{glued})(?=\w)" if glued else "") + ")")


@cache
def _joint(p: Profile) -> re.Pattern[str]:
    """A conjunction, maybe with an of-word and an article, between two capitalized runs (kept by split)."""
    conj = _alt(["and", "&", *(c for c in p.conjunctions if " " not in c)])
    of, art, elided = _joiners(p)
    return re.compile(rf"(\s+(?:{conj})\s+(?:(?:{of})\s+(?:(?:{art})\s+)?)?(?:{elided or '(?!)'})?)")


@cache
def non_organizations(p: Profile) -> frozenset[str]:
    """The profile's words for people and other things that are no organization, case-folded."""
    return frozenset(x.casefold() for x in p.not_organizations)


@cache
def _own_leading(p: Profile) -> frozenset[str]:
    """Words of the section's language that never open a name: "Toplantıya İçişleri …", "В Министерстве …"."""
    return frozenset(w.casefold() for w in (*p.function_words, *p.articles, *p.place_prepositions, *p.determiners,
                                            *(n for n in p.event_nouns if " " not in n)))


def _names(p: Profile, text: str, taken: list[tuple[int, int]] | None = None) -> list[tuple[int, str]]:
    """Capitalized runs, split at a conjunction before a body's head noun ("Poliția de Frontieră … și Inspectoratul …")
    or before an organization the dictionary knows ("le ministère de l’Intérieur du Sénégal et l’OIM")."""
    out = []
    for m in _name_rx(p).finditer(text):
        if len(m.group().split(None, 1)) == 1:  # one word: _joint (which opens with spaces) has nothing to split at
            out.append((m.start(), m.group()))
            continue
        pieces = _joint(p).split(m.group())
        parts, at = [[m.start(), pieces[0]]], m.start() + len(pieces[0])
        for sep, x in zip(pieces[1::2], pieces[2::2], strict=True):
            if _heads(p).match(x) or any(a == at + len(sep) for a, _ in taken or ()) or (
                    x.isupper() and " " not in x and sep.strip() not in ("", "of", "for")):  # "… Office and HM"
                parts.append([at + len(sep), x])  # "Ministerio del Interior y de la Policía Nacional": two bodies
            else:
                parts[-1][1] += sep + x
            at += len(sep) + len(x)
        out += [(a, x) for a, x in parts]
    return out


@cache
def _place_words(p: Profile) -> str:
    """"in" and the section's own place prepositions written as words (not case endings glued to a name)."""
    return _alt(["in", *(w for w in p.place_prepositions if " " not in w and w[:1].isalpha() and w[-1:].isalpha()
                         and w not in p.of_words)])


@cache
def _at_town(p: Profile) -> re.Pattern[str]:
    """A place word and a capitalised name ending a name: "… la Iași" (compiled once: _CAP is a long class)."""
    return re.compile(rf"\s+(?:{_place_words(p)})\s+({_CAP}(?:\s+{_CAP})*)$")


@cache
def _event_lead(p: Profile) -> re.Pattern[str]:
    """An event noun phrase before the body it belongs to ("Reunión Ordinaria de la Comisión …")."""
    of, art, elided = _joiners(p)
    nouns = _alt([n for n in p.event_nouns if " " not in n])
    noun = rf"(?:[\w-]+\s+){{0,2}}(?:{nouns})(?:\s+[\w-]+){{0,2}}?\s+"
    glued = rf"|{noun}(?:(?:{of})\s+)?(?:{elided})" if elided else ""
    return re.compile(rf"^(?i:{noun}(?:{of})(?:\s+(?:{art}))?\s+{glued})(?=\w)")


@cache
def _heads(p: Profile, glued: bool = True) -> re.Pattern[str]:
    """A head noun, with a case ending of the language's ``name_suffixes`` written on ("Belügyminisztériumnak")."""
    heads = sorted(p.org_head_nouns, key=len, reverse=True)
    ends = _alt([e for e in p.name_suffixes if len(e) > 1]) if glued else ""  # one letter: inside too many words
    return re.compile(r"\b(?:" + choice(heads) + rf")(?:s|{ends})?\b", re.I)


@cache
def _head_letters(p: Profile) -> re.Pattern[str]:
    """The letters of any head noun, wherever they stand (no word edges): where none is found, no part of the text
    holds a match of :func:`_heads`."""
    return re.compile(choice(sorted(p.org_head_nouns, key=len, reverse=True)), re.I)


def _word_before(text: str, at: int) -> int:
    """Where the word before ``at`` starts (past the spaces before ``at``; ``at`` itself inside a word: that word's
    start). What :func:`unseen_orgs` may take into a name from before its run (a lower-case head noun) starts there
    or later, so a run with no head noun's letters from there to its end yields no organization (a name with a case
    ending written onto its head, ``name_suffixes``, is not read so)."""
    i = at
    while i and text[i - 1].isspace():
        i -= 1
    while i and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i


def _unglued(p: Profile, name: str) -> str:
    """The name with its last word in the dictionary form of a head noun, when that word is the head with a case
    ending written on ("… Belügyminisztériumának" -> "… Belügyminisztériuma"; accents folded, as endings lengthen)."""
    last = name.rsplit(None, 1)[-1]
    heads = {fold(h): h for h in p.org_head_nouns}
    for suffix in sorted((fold(e) for e in p.name_suffixes if len(e) > 1), key=len, reverse=True):
        stem = fold(last)[:-len(suffix)]
        if fold(last).endswith(suffix) and stem in heads:
            head = heads[stem]
            return name[:-len(last)] + (head[:1].upper() + head[1:] if last[:1].isupper() else head)
    return name


@cache
def _titles(p: Profile) -> re.Pattern[str]:
    titles = sorted(p.person_titles, key=len, reverse=True)
    of, art, elided = _joiners(p)
    glued = rf"|\s+(?:(?:{of})\s+)?(?:{elided})" if elided else ""
    return re.compile(r"(?:^|\b)(?:" + choice(titles, ignorecase=False) + rf")\b(?:\s+(?:to|in|at|{of})"
                      rf"(?:\s+(?:{art}))?\s+{glued}|$|\s+(?={_CAP}\s+(?:{of})\s))")


@cache
def _title_rx(p: Profile) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    titles = sorted(p.person_titles, key=len, reverse=True)
    dotted = [t for t in titles if t.endswith(".")]
    return (re.compile(r"(?:" + choice(titles, ignorecase=False) + r")\s+(?=[^\W\d_])"),
            re.compile(r"(?<![\w.])(?:" + choice(dotted, ignorecase=False) + r")$") if dotted else None)


def _ranked(p: Profile, name: str, after: str) -> bool:
    """A person named with a title before the name and no organization's head noun after it ("Police Colonel Anan
    Chai"), or a title cut at its abbreviation's full stop ("Police Maj" of "Police Maj. General …")."""
    front, dotted = _title_rx(p)
    lead = front.match(name) if p.person_titles else None
    if lead is not None and not _heads(p).search(name, lead.end()):
        return True
    return after == "." and dotted is not None and dotted.search(name + ".") is not None


@cache
def _facilities(p: Profile) -> re.Pattern[str]:
    words = sorted(p.facility_nouns, key=len, reverse=True)
    return re.compile(r"\b(?:" + choice(words) + r")\b", re.I)


@cache
def _verbs(p: Profile) -> frozenset[str]:
    """One-word verbs of the profile's events and roles ("signs", "launches", "hosts", "organized"): never a word
    of an organization's name."""
    words = (*p.event_verbs, *p.organizer_cues.agent_before, *p.participant_cues.agent_before,
             *p.funding_cues.agent_before, "sign", "hold", "holds", "host", "hosts", "launch", "meet")
    return frozenset(w.casefold() for w in words if " " not in w and len(w) > 3)


_ELIDED = re.compile(r"^\w+['’]")  # "l’", "dell’" written onto a word


def unseen_orgs(d: Dictionaries, p: Profile, text: str, matches: list[Match]) -> list[Candidate]:
    """Candidate organization names in text that no dictionary match covers."""
    taken = [(m.start, m.end) for m in matches if m.entry.kind == "org"]
    not_orgs = non_organizations(p)
    out: list[Candidate] = []
    own_leading = _own_leading(p)
    letters = None if p.name_suffixes else _head_letters(p)
    for start, name in _split_joined(d, p, iter(_names(p, text, taken)), taken):
        if letters is not None and letters.search(text, _word_before(text, start), start + len(name)) is None:
            continue  # no head noun in the run or in the word before it: the checks below would drop it
        changed = True
        while changed:  # strip determiners, people's titles and the like from the front
            changed = False
            for rx in (_LEADING, _leading(p), _leading_words(p), _titles(p)):
                lead = rx.match(name)
                if lead and lead.end() < len(name):
                    start, name, changed = start + lead.end(), name[lead.end():], True
            first = re.match(r"(\S+)\s+", name)
            event = _event_lead(p).match(name) if p.event_nouns else None
            if event and _heads(p).search(name[event.end():]):  # "Reunión Ordinaria de la Comisión …": the body
                start, name, changed = start + event.end(), name[event.end():], True
            elif first and first.group(1).casefold() in own_leading:  # "В Министерстве …", "Η Ελληνική Αστυνομία"
                start, name, changed = start + first.end(), name[first.end():], True
        owner = None  # "Tajikistan’s Ministry of Labor …": the country's own body, named without it
        poss = re.match(r"([^\W\d_][\w.-]*(?:[ \t][A-Z][\w.-]*){0,3})['’]s[ \t]+(?=\w)", name)
        if poss and _heads(p).match(name, poss.end()):
            c = [x for x in d.trie.find(poss.group(1), kinds=("country",)) if x.start == 0]
            if c and c[0].end == len(poss.group(1)) and c[0].entry.form_kind not in ("adjective", "demonym"):
                owner, owner_at, start, name = c[0].entry.key, start, start + poss.end(), name[poss.end():]
        verb = next((w for w in re.finditer(r"\S+", name) if w.start() > 0 and w.group().casefold() in _verbs(p)), None)
        if verb is not None:  # a headline in title case: "Ministry of Interior of Moldova Sign Agreement on …"
            name = name[:verb.start()].rstrip(" ,")
        lead = _event_lead(p).match(name) if p.event_nouns else None
        if lead and _heads(p).search(name[lead.end():]):  # "Meeting of the Council of …": the body only
            start, name = start + lead.end(), name[lead.end():]
        if _titles(p).search(name) and not re.match(r"(?:Office|Bureau|Cabinet|Secretariat)\s+of\b", name):
            continue  # "IOM Chief of Mission", "Regional Director of Police": a person, not a body
        if _ranked(p, name, text[start + len(name):start + len(name) + 1]):
            continue  # "Police Maj. General …", "Police Colonel Anan Chai": a person's rank and name
        name = _IN_TOWN.sub("", name)  # "… Centre in Skopje"
        at_town = _at_town(p).search(name)
        if at_town and any(x.start == 0 and x.end == len(at_town.group(1)) for x in d.places.find(at_town.group(1))):
            name = name[:at_town.start()]  # "Inspectoratul General … la Iași": the town is where it acts
        for at in [m.start() for m in re.finditer(r"\s+in\s+", name)]:  # "Office in Bosnia and Herzegovina …"
            rest = name[at:].split(None, 1)[1]
            if any(x.start == 0 for x in (*d.places.find(rest), *d.trie.find(rest, kinds=("country", "region")))):
                name = name[:at]
                break
        of, art, _ = _joiners(p)
        name = re.sub(rf"[\s,]+(?:and|in|{of}|{art})$", "", name).rstrip(".'’")
        if text[start:start + len(name)] == name and _heads(p).search(name) and not name.split()[0].isupper():
            name = name + _from_tail(d, p, text, start + len(name))
            name = name + _portfolio_tail(d, p, text, start + len(name))
        name = _unglued(p, name) if p.name_suffixes else name  # "… Belügyminisztériumának" -> "… Belügyminisztériuma"
        end = start + len(name)
        head = re.search(r"(?<![\w'’-])(\w+)\s+$", text[:start]) if not _heads(p).search(name) else None
        lower_head = bool(head and head.group(1)[:1].islower() and _heads(p).fullmatch(head.group(1)))
        if lower_head and head is not None:  # "το υπουργείο Εξωτερικών": a lower-case head before the name
            start, name = head.start(1), text[head.start(1):end]
            # its lower-case adjectives back to a capitalised first word ("Державній міграційній службі України")
            prev = list(re.finditer(r"[^\W\d_][\w'’-]*", text[max(0, start - 80):start]))[-3:]
            for k in (1, 2):
                if len(prev) <= k or prev[-k - 1].end() + max(0, start - 80) == start:
                    break
                cap, lower = prev[-k - 1].group(), [w.group() for w in prev[-k:]]
                if not all(w[:1].islower() and w.casefold() not in own_leading for w in lower):
                    break
                if cap[:1].isupper() and cap.casefold() not in own_leading:
                    start = prev[-k - 1].start() + max(0, start - 80)
                    name = text[start:end]
                    break
        words = name.split()
        if len(words) < 2 or name.casefold() in not_orgs or not _heads(p).search(name) or _heads(p).fullmatch(name):
            continue
        capitals = sum(1 for w in words if _ELIDED.sub("", w)[:1].isupper())
        if capitals < 2 - (lower_head or not name[:1].isupper()) or _facilities(p).search(name):
            continue
        if any(a < end and b > start for a, b in taken):
            continue  # overlaps a known organization: the dictionary's reading wins
        if any(m.entry.kind == "country" and m.start <= start and end <= m.end for m in matches):
            continue  # "the Russian Federation", "the Republic of Moldova": a country's name, not a body
        if _generic(d, p, name):
            continue
        tail = re.sub(rf"^\S+\s+(?:{_joiners(p)[0]})\s+", "", name)
        town = d.places.find(tail) if not name[:1].isupper() and tail != name else []
        if town and town[0].start == 0 and town[0].end == len(tail) and not _country_here(d, tail):
            continue  # "the city of Skopje": a place, not a body
        if name.rsplit(None, 1)[1].casefold() in not_orgs and not re.search(rf"\s(?:{_joiners(p)[0]})\s", name):
            # "Albanian Government Institutions", "International Organizations and NGOs": a kind of bodies, no
            # body; a country it names takes part (an empty name)
            name = ""
        # (the span keeps the owner's name: the country is named as the body's, not as a party of its own)
        out.append(Candidate(owner_at if owner else start, end, name, owner or _country(d, p, name or text[start:end])))
    for c in _named_by_acronym(p, text):  # "Služba za poslove sa strancima (SPS)": a name in sentence case
        if not any(a < c.end and b > c.start for a, b in taken) and not any(o.start <= c.start < o.end for o in out):
            out.append(Candidate(c.start, c.end, c.name, _country(d, p, c.name)))
    if p.script in _LOWER_NAMED:
        for c in _national_bodies(d, p, text):
            if not any(a < c.end and c.start < b for a, b in [*taken, *((x.start, x.end) for x in out)]):
                out.append(c)
        out.sort(key=lambda c: c.start)
    return out


def _from_tail(d: Dictionaries, p: Profile, text: str, end: int) -> str:
    """The rest of a name whose portfolio says whom it serves, "from" somewhere that is no country, place or body:
    "Ministry of Internally Displaced Persons[ from Occupied Territories]" ("… from Albania" is where people come
    from, not the name)."""
    if not p.source_prepositions:
        return ""
    words = _alt(p.source_prepositions)
    tail = re.match(rf"[ \t]+(?:{words})[ \t]+({_CAP}(?:[ \t]+{_CAP})*)", text[end:])
    if not tail or d.trie.find(tail.group(1), kinds=("country", "region", "org")) or any(
            x.start == 0 for x in d.places.find(tail.group(1))):
        return ""
    return tail.group(0)


def _portfolio_tail(d: Dictionaries, p: Profile, text: str, end: int) -> str:
    """The rest of a name whose portfolio is a comma list: "Ministry of Labor[, Migration, and Population
    Employment]", "Department of Refugees[, Expatriates and Migration Affairs]". Items are capitalized words
    that name no country, place or known body, and the list closes with a conjunction."""
    conj = _alt(["and", "&", *(c for c in p.conjunctions if " " not in c)])
    of, art, elided = _joiners(p)
    people = non_organizations(p)  # read for single words only
    at, closed = end, False
    while True:
        sep = re.match(rf",\s+(?:(?:{conj})\s+)?", text[at:])
        if not sep:
            break
        # an item may open with an of-word, as Romance lists write it ("…, de la Coopération africaine et des …")
        lead = re.match(rf"(?:(?:{of})(?:\s+(?:{art}))?\s+|d['’]|(?:{elided or '(?!)'}))(?=\w)", text[at + sep.end():])
        begin = at + sep.end() + (lead.end() if lead else 0)
        item = _name_rx(p).match(text, begin)
        if not item or item.start() != begin or sum(w[:1].isupper() for w in item.group().split()) > 5:
            break
        words, whose = item.group(), ""
        placed = re.search(rf"\s+(?:({_place_words(p)})|{of})\s+(?:(?:{art})\s+)?", words)
        if placed and any(x.start == 0 and x.end == len(words) - placed.end() for x in (
                *d.places.find(words[placed.end():]), *d.trie.find(words[placed.end():], kinds=("country",)))):
            # "…, Productivity and Workplace Relations in Suva": the list ends before where the body sits;
            # "…, and Population Employment of Tajikistan": whose body it is stays in its name
            words, whose = words[:placed.start()], "" if placed.group(1) else words[placed.start():]
        town = any(x.start == 0 and x.end == len(words) for x in d.places.find(words))  # "Registro …" is no town
        if d.trie.find(words, kinds=("country", "org", "region")) or town or any(
                w.isupper() and len(w) > 1 for w in words.split()) or _heads(p).search(words) \
                or _titles(p).search(words) or (" " not in words and words.casefold() in people):
            break  # a country, a body, an acronym or a person: the list is of bodies, not of one's portfolio
        at, closed = item.start() + len(words) + len(whose), bool(sep.group().strip(", ")) or bool(
            re.search(rf"\s(?:{conj})\s", words))
        if closed:
            break
    return text[end:at] if closed else ""


def _generic(d: Dictionaries, p: Profile, name: str) -> bool:
    """A kind of body, not one body: its head noun is plural and ends the name ("Migration Control Offices",
    "the Diplomatic Missions"); or a place and a centre ("the Kapshtica Centre", a camp)."""
    head = _heads(p).search(name)
    if head and head.end() == len(name) and head.group().lower() not in {h.lower() for h in p.org_head_nouns} \
            and head.group().endswith("s"):
        return True
    words = name.split()
    if len(words) == 2 and words[1].lower() in ("centre", "center"):
        town = d.places.find(words[0])
        return bool(town and town[0].start == 0 and town[0].end == len(words[0]))
    return False


@cache
def _conjunction(p: Profile) -> re.Pattern[str]:
    """A conjunction between spaces: " and ", " & ", " și "."""
    joiners = "|".join(re.escape(w) for w in sorted({"and", "&", *p.conjunctions}, key=len, reverse=True) if w.strip())
    return re.compile(rf"\s+(?:{joiners})\s+")


def _split_joined(d: Dictionaries, p: Profile, found: Iterator[tuple[int, str]],
                  taken: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """Each capitalised run, cut at a conjunction when both sides name a body and a country tells them apart, or
    a known organization opens the second ("Sırbistan İçişleri Bakanlığı ve Karadağ Sınır Polisi", "Dışişleri
    Bakanlığı ve Türk Kızılay"; "Ministry of Labour and Social Policy", "Social Services and Child Protection Unit"
    stay whole)."""
    for at, name in found:
        pos = 0
        for j in _conjunction(p).finditer(name):
            left, right = name[pos:j.start()], name[j.end():]
            known = any(a == at + j.end() for a, _ in taken)
            if len(left.split()) > 1 and len(right.split()) > 1 and (known or (
                    _heads(p).search(left) and _heads(p).search(right)
                    and (d.trie.find(left, kinds=("country",)) or d.trie.find(right, kinds=("country",))))):
                yield at + pos, left
                pos = j.end()
        yield at + pos, name[pos:]


_LOWER_NAMED = ("Cyrl", "Arab")  # scripts whose names keep their inner words lower-case, or have no case


def _national_bodies(d: Dictionaries, p: Profile, text: str) -> list[Candidate]:
    """"Министерство внутренних дел Сербии", "Государственная пограничная служба Украины", "وزارة الداخلية
    التونسية": a head noun, at most three lower-case words and a country, the first word capitalised (or caseless)."""
    grammar = {w.casefold() for w in (*p.function_words, *p.conjunctions, *p.place_prepositions, *p.by_markers,
                                      *p.relative_words, *p.auxiliaries)} - {w.casefold() for w in p.of_words}
    clitics = {c for c in p.conjunctions if len(c) == 1 and c.isalpha()}
    not_orgs = non_organizations(p)
    links = set(p.place_prepositions)
    events = [f" {w} " for w in (*p.event_nouns, *p.programme_nouns)]
    out: list[Candidate] = []
    countries = d.trie.find(text, kinds=("country",))
    for m in countries:
        words = list(re.finditer(r"[\w'’-]+", text[max(0, m.start - 120):m.start]))[-6:]
        if not words or re.search(r"[^\w\s'’-]", text[max(0, m.start - 120) + words[0].start():m.start]):
            words = [w for w in words if not re.search(r"[^\w\s'’-]", text[max(0, m.start - 120) + w.end():m.start])]
        base = max(0, m.start - 120)
        head, clitic = None, 0
        # "وزارة العمل في المملكة الأردنية": in a script without case, "in" may link a body to its country
        link = int(bool(words) and words[-1].group() in links
                   and not any(ch.isupper() or ch.islower() for ch in words[-1].group()))
        for i in range(len(words) - 1 - link, -1, -1):
            w = words[i].group()
            at = base + words[i].start()
            if w.casefold() in grammar or any(ch.isdigit() for ch in w) or any(
                    c.start <= at < c.end for c in countries):
                break
            two = text[base + words[i].start():base + words[i + 1].end()] if i + 1 < len(words) else ""
            if _heads(p).fullmatch(w) or (two and _heads(p).fullmatch(two)):  # "الهلال الأحمر"
                head, clitic = i, 0
            elif w[:1] in clitics and (_heads(p).fullmatch(w[1:]) or (two and _heads(p).fullmatch(two[1:]))):
                head, clitic = i, 1  # "ووزارة …": a conjunction written onto the head noun
            if len(words) - i > 5:
                break
        if head is None or (link and (len(words) - head > 4 or any(
                e in f" {text[base + words[head].end():base + words[-1].start()]} " for e in events))):
            continue  # "نظمت وزارة الداخلية اجتماعا في تونس": an event, then its place
        first = head
        if words[head].group()[clitic].islower():  # "Государственная пограничная служба": back to the capital
            for i in range(head - 1, max(-1, head - 3), -1):
                w = words[i].group()
                if w.casefold() in grammar or not w[:1].isalpha() or w.casefold() in not_orgs:
                    break  # "Сотрудники полиции Молдовы": people, not the body's name
                if w[:1].isupper():
                    first, clitic = i, 0
                    break
        lead = words[first].group()[clitic]
        if lead.islower() or any(words[i].group()[:1].isupper() for i in range(first + 1, len(words))
                                 if not _heads(p).fullmatch(words[i].group())):
            continue  # lower-case start, or a capitalised word inside: the capitalised-run rule's case
        start = base + words[first].start() + clitic
        name = text[start:m.end]
        if name.casefold() in not_orgs or _facilities(p).search(name):
            continue
        out.append(Candidate(start, m.end, name, m.entry.key))
    return out


def _country_here(d: Dictionaries, text: str) -> bool:
    return any(m.start == 0 and m.end == len(text) for m in d.trie.find(text, kinds=("country",)))


_ACR_AFTER = re.compile(rf"\s*\((?P<acr>[A-Z{_UPPER}][A-Z{_UPPER}]{{1,9}})\)")


def _named_by_acronym(p: Profile, text: str) -> list[Candidate]:
    """A name written in sentence case, its words fixed by the acronym in brackets after it: it starts with a
    capitalized head noun, holds no punctuation, and the acronym's letters are the initials of its words, in
    order, from its first word to its last ("Agencija za rad i zapošljavanje (ARZ)", "Министерство за труд и
    социјална политика (МТСП)")."""
    out: list[Candidate] = []
    for m in _ACR_AFTER.finditer(text) if "(" in text else ():  # every match holds its bracket
        letters = m.group("acr")
        words = list(re.finditer(r"[\w'’-]+", text[max(0, m.start() - 160):m.start()]))[-12:]
        base = max(0, m.start() - 160)
        for w in words:
            if not w.group()[:1].isupper() or not _heads(p).match(w.group()):
                continue  # it opens with a capitalized head noun (tested first: the cheap part of the test below)
            name = text[base + w.start():m.start()]
            initials = [(fold(x[0]) or x[0]).upper() for x in name.split()]  # "économique" gives the E of CESE
            if len(initials) > 2 and initials[-1] != letters[-1] and name.split()[-1][:1].isupper():
                initials = initials[:-1]  # "… zapošljavanje BiH (ARZ)": a country's name closes it
            if (re.search(r"[,;:()“”\"]", name) or initials[0] != letters[0] or initials[-1] != letters[-1]
                    or not initials_in_order(letters, initials)):
                continue
            out.append(Candidate(base + w.start(), m.start(), name, None))
            break
    return out


def initials_in_order(letters: str, initials: list[str]) -> bool:
    """Whether the letters are initials of the words, in order (words may be skipped)."""
    i = 0
    for c in letters:
        while i < len(initials) and initials[i] != c:
            i += 1
        if i == len(initials):
            return False
        i += 1
    return True


def _country(d: Dictionaries, p: Profile, name: str) -> str | None:
    for m in d.trie.find(name, kinds=("country",)):
        return m.entry.key
    last = name.split()[-1]
    if last[:1].isupper() and not _heads(p).fullmatch(last):
        found = d.places.find(last)
        if found and found[0].end == len(last):
            return d.place_country.get(found[0].entry.key)
    return None


def heads_in(p: Profile, name: str) -> bool:
    """Whether a name holds an organization head noun ("Sector for Asylum" does, "Western Balkans" not)."""
    return bool(_heads(p).search(name))
