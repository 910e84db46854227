"""Programme names in a sentence: quoted titles next to a programme noun, titles after a colon,
capitalized names ending in a programme noun, and acronyms in brackets after a title.

Decoys (action plans, declarations, compacts, appeals, work plans …) are never programmes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from migkg.extract.patterns import glued as glued_edges
from migkg.extract.patterns import glued_before
from migkg.extract.wordtrie import choice
from migkg.languages import Profile

# Swedish and Finnish ”Title”, Danish »Title«; Chinese and Japanese 「Title」, 『Title』, 《Title》
OPEN, CLOSE = "“\"„«‘”»「『《", "”\"“»’«」』》"
# an apostrophe between letters ("plan d’action") is part of the title, not its closing quote
_SHUT = "".join(c for c in CLOSE if c not in "’'")
_Q = rf"[{OPEN}]\s*(?P<title>(?:[^{OPEN}{CLOSE}\n]|(?<=\w)[’'](?=\w)){{4,300}}?)\s*(?:[{_SHUT}]|[’'](?!\w))"
_ACR = r"(?:\s*\((?P<acr>[A-Z][A-Za-z0-9\-–&]{1,23}(?:\s[IVX]+)?)\))?"
_CAPWORD = r"[A-Z][\w'’\-–]*"
# an acronym in brackets of one to three words, the first in capitals: (SEA DEMM), (FMM West Africa)
_ACR_WORDS = r"(?:\s*\((?P<acr>[A-Z][A-Z0-9\-–&]{1,15}(?:\s[A-Z][\w-]*){0,2})\))?"
_SMALL_WORDS = ("of", "for", "and", "in", "on", "the", "to", "at", "&", "with", "from", "against")
_SMALL = "(?:" + "|".join(_SMALL_WORDS) + ")"


def _glued_title(title: str) -> bool:
    """A title in a script without word spaces ("安全移民"): one run of letters is several words."""
    return len(title) >= 4 and glued_before(title, len(title))


@dataclass(frozen=True)
class Found:
    title: str
    acronym: str | None
    start: int
    end: int


@cache
def _nouns(p: Profile) -> list[str]:
    return sorted(set(p.programme_nouns), key=len, reverse=True)


@cache
def _lower_nouns(p: Profile) -> list[str]:
    return [n.lower() for n in _nouns(p)]


@cache
def _noun_forms(p: Profile) -> tuple[str, str, str]:
    """The programme nouns as the patterns below write them: for a pattern compiled with re.I, for one
    compiled without, and capitalized."""
    nouns = _nouns(p)
    return ("(?:" + choice(nouns) + ")", "(?:" + choice(nouns, ignorecase=False) + ")",
            "(?:" + "|".join(re.escape(n.capitalize()) for n in nouns) + ")")


@cache
def _any_noun(p: Profile) -> re.Pattern[str]:
    """Any form of :func:`_noun_forms`, anywhere: where none is found, no pattern of :data:`_NOUNED` (nor
    :func:`_named_by_owners`, :func:`_named_by_acronym`) can match. The case-insensitive form finds the other two
    (a noun as written, capitalized), but for a form it would not match: those are added as they are."""
    noun, _, _ = _noun_forms(p)
    rx = re.compile(noun, re.I)
    others = [w for n in _nouns(p) for w in (n, n.capitalize()) if not rx.fullmatch(w)]
    return re.compile(f"(?i:{noun})" + "".join("|" + re.escape(w) for w in dict.fromkeys(others)))


@cache
def _patterns(p: Profile) -> tuple[re.Pattern[str], ...]:
    noun, noun_cased, cap_noun = _noun_forms(p)  # noun in the patterns compiled with re.I, noun_cased in the others
    titlecase = rf"{_CAPWORD}(?:(?:\s+(?:{_SMALL}\s+)*|\s+[–-]\s+){_CAPWORD})*"  # "… in Ukraine – Resilience"
    titled = "".join("|" + re.escape(c).replace(r"\ ", r"\s+") for c in sorted(p.title_cues, key=len, reverse=True))
    cues_in_order = sorted(p.framework_cues, key=len, reverse=True)
    if cues_in_order and all(c[:1].isalnum() or c[:1] == "_" for c in cues_in_order):
        # every cue opens with a word character: the word edge before it is tested after that character ("no word
        # character before it"), so the pattern opens with the cues' letters and the re engine skips to them
        frame = "(?:" + "|".join(re.escape(c[0]) + r"(?<!\w.)" + re.escape(c[1:]).replace(r"\ ", r"\s+")
                                 for c in cues_in_order) + ")"
    else:
        frame = r"\b(?:" + ("|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues_in_order) or "(?!)") + ")"
    after = "|".join(re.escape(c) for c in sorted(p.framework_after, key=len, reverse=True)) or "(?!)"
    cues = "|".join(re.escape(c) for c in sorted({*p.funding_cues.agent_after, *p.implementer_cues.agent_after},
                                                   key=len, reverse=True))
    # "du projet financé par l’UE et mis en œuvre par l’OIM « Title »": cue clauses between the noun and its title
    clauses = rf"(?:,?\s+(?:{cues})\s+[^“”\"„«»\n.;]{{1,80}}?)*" if cues else ""
    glued = glued_edges if p.letters else str  # boundaries beside glued letters only where the language has them
    return (
        # the project “Title” (ACR); the regional program, called “Title”
        re.compile(glued(rf"\b{noun}\b{clauses}(?:\s+(?:called|entitled|titled|named|known\s+as{titled}))?[,:]?\s*"
                         rf"{_Q}{_ACR}"), re.I),
        # under the “Title”, where the title itself names a programme noun or an adjective-funded noun follows
        # (their first letters tested once before the words are tried: the same matches)
        re.compile(rf"\b(?=[uwtvobfiap])(?:under|within|through|via|of|by|from|in\s+the\s+framework\s+of"
                   rf"|as\s+part\s+of|part\s+of)\s+(?:the\s+)?{_Q}{_ACR}"
                   rf"(?=(?P<tail>,?\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}?{noun}\b)?)", re.I),
        # an EU-funded regional project: Title Case Words.
        re.compile(rf"\b{noun_cased}\s*:\s+(?P<title>{titlecase}){_ACR}"),
        # the Coordinated Border Response Facility for South-East Europe (COBRESEE); a new Western Balkans ... Fund
        re.compile(rf"(?P<title>(?:{_CAPWORD}\s+(?:{_SMALL}\s+)*){{1,12}}{cap_noun}"
                   rf"(?:\s+(?:for|of|in|on|to)\s+(?:the\s+)?{titlecase})?(?:\s+[–-]\s+Phase\s+[IVX\d]+)?){_ACR}"),
        # the project Sea and Desert Migration Management for Libyan Authorities (SEA DEMM): a title without quotes
        re.compile(rf"\b{noun_cased}\s+(?P<title>{_CAPWORD}(?:\s+(?:{_SMALL}\s+)*{_CAPWORD}){{2,}}){_ACR_WORDS}"),
        # the Better Migration Management (BMM) programme
        re.compile(rf"(?P<title>{titlecase})\s*\((?P<acr>[A-Z][A-Za-z0-9\-–&]{{1,23}})\)\s+{noun_cased}\b"),
        # within the framework of the Support to Free Movement and Migration in West Africa (FMM West Africa);
        # under the Migrant Resource and Response Mechanism
        re.compile(rf"{frame}\s+(?:the\s+)?(?P<title>{titlecase}){_ACR_WORDS}"),
        # “Title” projesi: the title before its programme noun (languages that put the noun last)
        re.compile(glued(rf"(?:[“«„\"「『《‘]|(?<!\w)')\s*(?P<title>[^“”«»„\"「」『』《》\n]{{4,300}}?)\s*"
                         rf"(?:[”»“\"」』》’]|'(?!\w)){_ACR}\s*"
                         rf"(?:(?:{titled[1:] or '(?!)'})\s*)?{noun}\b"), re.I),
        # the project ‘Title (ACR/X UA): a quote that is never closed, ended by the acronym in brackets
        re.compile(rf"\b{noun}\b[,:]?\s+[{OPEN}]\s*(?P<title>[^{OPEN}{CLOSE}()\n]{{6,300}}?)\s*"
                   rf"\((?P<acr>[A-Z][A-Z0-9\-–&/]{{1,15}}(?:\s[A-Z][\w-]*){{0,2}})\)", re.I),
        # 「Title」の一環として, ‘Title’의 일환으로: a quoted title before a framework postposition
        re.compile(rf"[{OPEN}]\s*(?P<title>[^{OPEN}{CLOSE}\n]{{4,300}}?)\s*[{CLOSE}]{_ACR}\s*(?:{after})", re.I),
    )


_QUOTED = (0, 1, 8, 9)  # the patterns above that match only from an opening quote of OPEN
_BRACKETED = (5, 8)  # the patterns above whose acronym in brackets is not optional: they match only where "(" stands
_AFTER = 9  # the pattern above that ends with a framework postposition: none matches for a profile without them
_NOUNED = (0, 2, 3, 4, 5, 7, 8)  # the patterns above that match only where a programme noun stands (_any_noun)


@cache
def _lead(p: Profile) -> re.Pattern[str]:
    """Words that open a sentence before a title, never part of it ("For the Africa Trust Fund and …")."""
    words = {"The", "A", "An", "New", "This", "For", "In", "With", "Under", "Through", "By", "From", "To", "Its"}
    words |= {w[:1].upper() + w[1:] for w in (*p.articles, *p.determiners, *p.place_prepositions,
                                               *p.source_prepositions, *p.beneficiary_prepositions) if w}
    return re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\s+", re.I)


def find_programmes(p: Profile, text: str, orgs: list[tuple[int, int]]) -> list[Found]:
    """Programme titles in text, leaving alone any span an organization name already covers."""
    nouns = _lower_nouns(p)
    out: list[Found] = []
    extra: list[Found] = []
    quotes = any(c in text for c in OPEN)
    named: bool | None = None  # whether a programme noun stands in the text, once asked
    for i, rx in enumerate(_patterns(p)):
        if not quotes and (i in _QUOTED or (i == 7 and "'" not in text)):
            continue  # the pattern opens a quote, and the text has none
        if (i in _BRACKETED and "(" not in text) or (i == _AFTER and not p.framework_after):
            continue
        if i in _NOUNED:
            if named is None:
                named = _any_noun(p).search(text) is not None
            if not named:
                continue
        for m in rx.finditer(text):
            title = m.group("title").strip().rstrip(",.;")
            a = m.start("title")
            lead = _lead(p).match(title)
            while lead and lead.end() < len(title):
                title, a = title[lead.end():], a + lead.end()
                lead = _lead(p).match(title)
            attached = tuple(c.lower() for c in p.funding_cues.agent_attached)
            first = title.split(" ", 1)
            if len(first) == 2 and attached and first[0].lower().endswith(attached):
                title, a = first[1].lstrip(), a + len(title) - len(first[1].lstrip())  # "the EU-funded X Programme"
            prefix = re.match(r"^.*?\b(?:Committee|Board|Meeting|Conference|Launch|Council|Secretariat|Team)\s+of\s+"
                              r"(?:the\s+)?(?=[A-Z])", title)
            if i == 3 and prefix:  # "Steering Committee of the X Facility": the facility is the programme
                title, a = title[prefix.end():], a + prefix.end()
            person = _person_of(p).match(title)
            if person and person.end() < len(title):  # "National Coordinator of the Regional Migration Program"
                title, a = title[person.end():], a + person.end()
            paired = False
            pair = re.search(rf"(?<=\s)(?:{'|'.join(re.escape(n.capitalize()) for n in nouns)})(?=\s+(?:and|&)\s+"
                             r"(?:the\s+)?[A-Z])", title) if i == 3 else None
            if pair:  # "the X Trust Fund and the Y Facility": two programmes, the first one here
                rest = re.match(r"\s+(?:and|&)\s+(?:the\s+)?", title[pair.end():])
                second = a + pair.end() + rest.end()  # type: ignore[union-attr]
                if len(text[second:a + len(title)].split()) > 1:
                    extra.append(Found(text[second:a + len(title)], m.group("acr"), second, a + len(title)))
                title, paired = title[:pair.end()], True
            b = a + len(title)
            low = title.lower()
            if is_decoy(p, title) or (len(title.split()) < 2 and not _glued_title(title)):
                continue
            if i == 1 and not (m.group("tail") or any(re.search(rf"\b{re.escape(n)}\b", low) for n in nouns)):
                continue
            if i == 3 and (m.group("acr") is None and not re.search(r"\b(?:Fund|Facility|Programme|Program)\b", title)):
                continue
            if i in (3, 6) and re.match(r"\s+[“„«‘\"]", text[b:]) and text[a - 1:a] not in OPEN:
                continue  # "the IPA II Project “Regional Support to …”": the quoted title names it
            owner = next(((x, y) for x, y in orgs if x == a and y < b), None)
            if i == 3 and owner is not None and re.match(r"['’]s\s+", text[owner[1]:b]):
                cut = re.match(r"['’]s\s+", text[owner[1]:b])  # "the European Union’s Regional … Programme"
                a = owner[1] + cut.end()  # type: ignore[union-attr]
                title = text[a:b]
            elif not (i == 5 and owner is not None and text[owner[0]:owner[1]].isupper()):
                owner = None  # "the EU Support to … (EU4BM) project": a title in brackets may open with its owner
            if i in (3, 4, 5, 6) and any(x < b and a < y for x, y in orgs if (x, y) != owner):
                continue
            if i == 6 and m.group("acr") is None and not re.search(rf"\b(?:{'|'.join(map(re.escape, nouns))})$",
                                                                   low):
                continue  # "under the Title": only with an acronym or ending in a programme noun
            if any(f.start <= a < f.end or a <= f.start < b for f in out):
                continue
            if _modifies(p, text[m.end():]):  # "the MENA Regional Programme team": people, not the programme
                continue
            acr = None if paired else m.group("acr")
            subtitle = _SUBTITLE.match(text, a + len(title)) if text[a + len(title):a + len(title) + 1] == ":" and any(
                low.endswith(n) for n in nouns) else None
            if subtitle:  # "the Regional Migration Program: Mesoamerica - The Caribbean": its name goes on
                title = text[a:subtitle.end()]
            inside = re.fullmatch(r"(.*\S)\s*\(([A-Z][A-Za-z0-9\-–&/]{1,15})\)", title)
            if inside and acr is None:  # "‘Title (ACR)’ concept": the acronym inside the quotes
                title, acr = inside.group(1), inside.group(2)
            out.append(Found(title, acr, a, a + len(title)))
    if named is None:
        named = _any_noun(p).search(text) is not None
    if not named:  # the patterns below need a programme noun too
        return sorted(out, key=lambda f: f.start)
    for m in _named_by_owners(p).finditer(text):  # "the joint EU-IOM initiative": a programme named by its owners
        parts = [(x, y) for x, y in orgs if m.start("acr") <= x < y <= m.end("acr")]
        if len(parts) < 2 or (m.group("adj") or "").lower() in {w.lower() for w in (*p.function_words, *p.articles,
                                                                                       *p.determiners)}:
            continue
        a = m.start("adj") if m.group("adj") else m.start("acr")
        if not any(f.start <= a < f.end or a <= f.start < m.end() for f in out):
            out.append(Found(text[a:m.end()], None, a, m.end()))
    for f in extra:
        if not any(x < f.end and f.start < y for x, y in orgs) and not any(
                g.start <= f.start < g.end or f.start <= g.start < f.end for g in out):
            out.append(f)
    for m in _named_by_acronym(p).finditer(text):  # "проекта СУРКАП": a programme named by its acronym alone
        a, b = m.start("acr"), m.end("acr")
        word = m.group("acr")
        if not word.isupper() and not _one_word_name(p, text, m):
            continue
        if not any(x < b and a < y for x, y in orgs) and not any(
                f.start <= a < f.end or a <= f.start < b for f in out):
            out.append(Found(word, word, a, b))
    return sorted(out, key=lambda f: f.start)


@cache
def _decoys(p: Profile) -> tuple[tuple[re.Pattern[str], ...], frozenset[str]]:
    """:func:`is_decoy`'s decoys (lower case, as patterns) and the small words that may follow one, per profile."""
    small = {*_SMALL_WORDS, *(w.lower() for w in (*p.of_words, *p.conjunctions, *p.place_prepositions,
                                                  *p.beneficiary_prepositions, *p.articles))}
    return tuple(re.compile(re.escape(x.lower())) for x in p.programme_decoys), frozenset(small)


def is_decoy(p: Profile, title: str) -> bool:
    """A title whose head is a decoy ("… Action Plan", "Action Plan for …", "Response Plan 2023") names no
    programme; one where the decoy only qualifies a later head ("Action Plan Support") does."""
    low = title.lower()
    decoys, small = _decoys(p)
    for x in decoys:
        for m in x.finditer(low):
            rest = re.findall(r"[^\W_]+", low[m.end():])
            if p.adjectives_follow_nouns:  # the head comes first: "Plan d’action régional", not "Soutien au plan …"
                if len(low[:m.start()].split()) <= 1:
                    return True
            elif not rest or rest[0] in small or rest[0].isdigit() or not re.match(r"\W", low[m.end():] or " "):
                return True
    return False


# a programme title's part after a colon: capitalised words, dashes and small joining words, up to a lower-case word
_SUBTITLE = re.compile(r":[ \t]+[A-Z][\w'’-]*(?:[ \t]+(?:[A-Z][\w'’-]*|[-–—]|the|and|of|for|&)(?=[ \t,.;)]|$))*"
                       r"(?<=[\w'’])")


@cache
def _person_of(p: Profile) -> re.Pattern[str]:
    """A person's title and its "of" before a programme's name: the office, not part of the title."""
    titles = choice(p.person_titles, ignorecase=False) if p.person_titles else "(?!)"
    ofs = "|".join(re.escape(w) for w in sorted({*p.of_words, "of"}, key=len, reverse=True))
    arts = "|".join(re.escape(w) for w in sorted({*p.articles, "the"}, key=len, reverse=True))
    return re.compile(rf"(?:[A-Z][\w-]*\s+)?(?:{titles})\s+(?:{ofs})\s+(?:(?:{arts})\s+)?(?=[^\W\d_])")


def _modifies(p: Profile, after: str) -> bool:
    heads = {w.lower() for w in p.programme_modifier_heads}
    word = re.match(r"\s*(?:\([^()]{1,30}\)\s*)?([^\W\d_]+)", after)
    return bool(heads and word and word.group(1).lower() in heads)


def _one_word_name(p: Profile, text: str, m: re.Match[str]) -> bool:
    """"il progetto Ristart, finanziato …", "le projet Tremplin": a one-word name after a lower-case programme noun;
    no other capitalised word follows, and it is no month, weekday or person's title."""
    word = m.group("acr")
    if not (word[:1].isupper() and word[1:].islower() and len(word) >= 4) or not m.group()[:1].islower():
        return False
    people = {t.lower() for t in p.person_titles}  # "the project Coordinator" is a person
    return not (re.match(r"\s+[^\W\d_]*[A-Z]|[-–]", text[m.end():]) or word.lower() in (*p.months, *p.weekdays)
                or word.lower() in people)


@cache
def _named_by_owners(p: Profile) -> re.Pattern[str]:
    noun = "|".join(re.escape(n) for n in _nouns(p))
    return re.compile(rf"(?:(?<![\w-])(?P<adj>[^\W\d_A-Z][^\W\d_]+)\s+)?(?P<acr>[A-Z]{{2,8}}[-‑–][A-Z]{{2,8}})\s+"
                      rf"(?:{noun})\b")


@cache
def _named_by_acronym(p: Profile) -> re.Pattern[str]:
    noun = "|".join(re.escape(n) for n in _nouns(p))
    return re.compile(rf"\b(?:{noun})\s+(?P<acr>[^\W\d_]{{3,12}}(?:[-–]?\d+)?)(?![\w-])", re.I)
