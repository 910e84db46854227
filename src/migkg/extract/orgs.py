"""Organizations the dictionaries do not know, found by their shape.

A run of capitalized words (joined by "of", "for", "and", "on", "de" …) that holds a head noun
from ``triggers.json`` ("Ministry", "Court", "Network", "Municipality", "Red Cross" …) names an
organization: "Administrative Court of North Macedonia", "Legal Aid Network Skopje",
"Kukës Municipality". Its country comes from a country named inside it, a leading adjective
("Swedish Police Authority") or a town inside it ("Centre for Social Work Podgorica").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from migkg.extract.gazetteer import Dictionaries, Match

_CAP = r"(?:[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’.-]*\w|[A-Z])"
_CONN = r"(?:of(?:\s+the)?|for|and|on|de|du|des|la|del|di|d'|&|in)"
_NAME = re.compile(rf"{_CAP}(?:[ \t]+(?:{_CONN}[ \t]+)*{_CAP})*")
_LEADING = re.compile(r"^(?:The|A|An|This|These|Its|Their|Both|Each|All|On|In|At|For|From|With|By|During|After|"
                      r"Under|Over|Since|Between|Among|Through|Within|Following|Participants?|Representatives?|"
                      r"Officers?|Officials?|Members?|Staff|Experts?|Judges?|Lawyers?|Delegations?|Director|"
                      r"Head|Minister|Deputy|Mayor|Ambassador|Chief|Representative|Coordinator)\s+(?:of\s+(?:the\s+)?)?")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    name: str
    country: str | None


@cache
def _heads(d: Dictionaries) -> re.Pattern[str]:
    heads = sorted(d.triggers.get("org_head_nouns", []), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads) + r")s?\b", re.I)


def unseen_orgs(d: Dictionaries, text: str, matches: list[Match]) -> list[Candidate]:
    """Candidate organization names in text that no dictionary match covers."""
    taken = [(m.start, m.end) for m in matches if m.entry.kind == "org"]
    not_orgs = {x.casefold() for x in d.triggers.get("not_organizations", [])}
    out: list[Candidate] = []
    for m in _NAME.finditer(text):
        start, name = m.start(), m.group()
        lead = _LEADING.match(name)
        while lead:
            start += lead.end()
            name = name[lead.end():]
            lead = _LEADING.match(name)
        name = re.sub(r"[\s,]+(?:and|of|for|the|in|on)$", "", name).rstrip(".'’")
        end = start + len(name)
        words = name.split()
        if len(words) < 2 or name.casefold() in not_orgs or not _heads(d).search(name):
            continue
        if sum(1 for w in words if w[:1].isupper()) < 2:
            continue
        covered = [(a, b) for a, b in taken if a < end and b > start]
        if covered:
            a, b = covered[0]
            rest = (text[start:a] + text[b:end]).strip(" ,")
            if a <= start and b >= end or not rest or re.fullmatch(r"of(?: the)? [\w\s'’-]+", rest):
                continue
        out.append(Candidate(start, end, name, _country(d, name)))
    return out


def _country(d: Dictionaries, name: str) -> str | None:
    for m in d.trie.find(name, kinds=("country",)):
        return m.entry.key
    for i, word in enumerate(name.split()):
        if i and word[:1].isupper():
            found = d.places.find(word)
            if found and found[0].end == len(word):
                return d.place_country.get(found[0].entry.key)
    return None
