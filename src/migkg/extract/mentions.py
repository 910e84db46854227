"""Pass 1, mentions: the organizations, countries, national agencies, units and programmes a sentence names.

Reads the dictionaries (a trie of names in every language) and the shape of names the dictionaries do not
know; registers each on the :class:`~migkg.extract.doc.Doc` and returns the sentence's :class:`Mentions`
(spans with the refs they denote), which the later passes read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from migkg.extract.doc import Doc
from migkg.extract.money import is_currency
from migkg.extract.orgs import heads_in as _heads_in
from migkg.extract.orgs import non_organizations, unseen_orgs
from migkg.extract.patterns import (
    BODY_PLURAL_WORDS,
    INTERNATIONAL,
    NESTED,
    NESTED_PARENTS,
    PLURAL_BODIES,
    initialism,
    roman,
    singular,
    unit_rx,
    whole,
    words_rx,
)
from migkg.extract.programmes import find_programmes
from migkg.extract.text import Sentence
from migkg.languages import Profile
from migkg.model import Programme, Title
from migkg.names import fold, slug
from migkg.reference import Match


@dataclass(frozen=True)
class Mentions:
    """What pass 1 found in one sentence: spans (sentence offsets) and the refs they denote."""

    sent: Sentence
    matches: tuple[Match, ...]  # dictionary matches outside programme titles
    orgs: tuple[tuple[int, int, str], ...]  # (start, end, org ref), sorted
    countries: tuple[tuple[int, int, str], ...]  # (start, end, ISO alpha-2)
    agencies: tuple[tuple[int, int, str], ...]  # agencies of coordinated lists ("country:XX": their countries)
    programmes: tuple[Programme, ...]


def read(doc: Doc, sent: Sentence) -> Mentions:
    """The mentions of one sentence, registered on the document."""
    matches = _funds_as_funders(doc, sent.text, doc.names(sent))
    progs = _programmes(doc, sent, matches)
    inside = doc.programme_spans
    matches = [m for m in matches if not any(a <= m.start < b for a, b in inside)]
    org_spans: list[tuple[int, int, str]] = []  # (start, end, org ref) in sentence offsets
    country_spans: list[tuple[int, int, str]] = []
    agency_spans = _agencies(doc, sent, matches)
    attributive, clitics = _small_words(doc.p)
    origins = _origins(doc, sent.text, matches)
    named_parents: set[int] = set()  # "กรมการจัดหางาน กระทรวงแรงงาน": a unit, then its parent (no role of its own)
    for m in matches:
        if any(a <= m.start < b for a, b, _ in agency_spans):
            continue
        if m.start in named_parents:
            doc.dict_org(m.entry.key, sent, m)
            continue
        after = _NEXT_WORD.match(sent.text, m.end)
        # the next name after one space (not "… والاتحاد": "and" written on; not "国际移民组织和联合国…": "and" between)
        nxt = next((x for x in matches if x.start == m.end + 1 and x.entry.kind == "org" and sent.text[m.end].isspace()
                    and x.text[:1] not in clitics), None)
        if m.entry.kind == "org" and nxt is not None and doc.d.orgs[m.entry.key].parent == nxt.entry.key:
            named_parents.add(nxt.start)
        elif m.entry.kind == "org" and nxt is not None and doc.p.word_spaces and (  # (Thai spaces list items)
                m.entry.form_kind == "acronym" or len(m.text.split()) <= 2
                or doc.d.orgs[nxt.entry.key].parent == m.entry.key):
            # a long name before another body is a body of its own: "საქართველოს შინაგან საქმეთა სამინისტრომ
            # მიგრაციის საერთაშორისო ორგანიზაციასთან …" (the ministry, with IOM) in a verb-final language
            if doc.d.orgs[nxt.entry.key].parent == m.entry.key:  # "the U.S. State Department Bureau of …"
                doc.dict_org(m.entry.key, sent, m)  # the parent is named (no role of its own)
            continue  # "UN International Organization for Migration": a qualifier of the name that follows
        if m.entry.kind == "org" and m.entry.form_kind == "acronym" and after and after.group(1) in attributive:
            continue  # "EU legislation", "EU Member States": the acronym qualifies a noun
        if m.entry.kind == "org" and m.entry.form_kind == "acronym" and _defined_otherwise(
                doc, sent.text, m, org_spans):
            continue  # "Polícia da República de Moçambique (PRM)": not the dictionary's PRM in this release
        if doc.p.code == "en" and m.entry.kind == "org" and len(m.text) <= 3 and m.text.isupper() \
                and m.entry.lang not in ("", "en"):
            continue  # "UA" (the African Union in French) inside an English "(RRR-MFA/SMS UA)"
        if m.entry.kind == "org":
            known = "d:" + m.entry.key in doc.s.orgs
            ref = doc.dict_org(m.entry.key, sent, m)
            unit = _unit(doc, sent, m, ref, matches) or _unit_before(doc, sent, m, ref, matches)
            if unit and unit[2] != ref and not known and doc.d.orgs[m.entry.key].umbrella:
                # "the UN Country Team", "a United Nations General Assembly resolution": an organ of the UN
                # system, not the UN taking part (the UN is an actor only where the release names it alone)
                del doc.s.orgs[ref]
                doc.s.orgs[unit[2]] = replace(doc.s.orgs[unit[2]], parent=None)
            org_spans.append(unit or (m.start, m.end, ref))
        elif m.entry.kind == "country" and fold(m.text) in doc.event_folds:
            continue  # "la Reunión": the Spanish word for a meeting, not Réunion
        elif m.entry.kind == "country" and _persons_name(doc, sent.text, m):
            continue  # "Regional Director Argentina Szabados": a first name
        elif m.entry.kind == "country" and any(a <= m.start < b for a, b in origins):
            continue  # "migrants from Syria, Iran and Morocco": where people come from, not a party or a place
        elif m.entry.kind == "country" and m.entry.form_kind not in ("adjective", "demonym"):
            doc.add_country(m.entry.key, m.text, sent, m.start, m.end)
            country_spans.append((m.start, m.end, m.entry.key))
    for a, b, iso2 in [(a, b, r) for a, b, r in agency_spans if r.startswith("country:")]:
        doc.add_country(iso2[8:], sent.text[a:b], sent, a, b)
        if (a, b, iso2[8:]) not in country_spans:
            country_spans.append((a, b, iso2[8:]))
    org_spans += [(a, b, r) for a, b, r in agency_spans if not r.startswith("country:")]
    for a, b, ref in _titled_and_nested(doc, sent, matches):
        if not any(x <= a < y for x, y, _ in org_spans + agency_spans):
            org_spans.append((a, b, ref))
    for c in unseen_orgs(doc.d, doc.p, sent.text, matches):
        if any(a <= c.start < b for a, b, _ in org_spans):
            continue
        if any(a < c.end and c.start < b for a, b, _ in agency_spans) or any(
                a < c.end and c.start < b for a, b in inside):
            continue
        if not c.name:
            if c.country is not None:
                doc.add_country(c.country, sent.text[c.start:c.end], sent, c.start, c.end)
                country_spans.append((c.start, c.end, c.country))
                agency_spans.append((c.start, c.end, "country:" + c.country))  # takes part as "the embassies of A"
            continue
        unit = re.match(r"(.+?)\s+of\s+the\s+(.+)$", c.name)
        parent = doc.same_org(unit.group(2), None) if unit and _heads_in(doc.p, unit.group(1)) else None
        if unit and parent:  # "the Sector for Asylum of the Ministry of Security": a unit and its parent
            name = unit.group(1)
            ref = doc.same_org(name, doc.s.orgs[parent].country) or doc.new_org(
                name, doc.s.orgs[parent].country, sent, c.start, c.start + len(name), parent=parent)
            org_spans.append((c.start, c.end, ref))
            continue
        acr = re.match(r"\s*\(([^\W\d_]{2,10})\)", sent.text[c.end:])
        acr = acr if acr and acr.group(1)[0].isupper() else None
        acronym = acr.group(1) if acr and initialism(acr.group(1), c.name) else None
        ref = doc.same_org(c.name, c.country) or doc.new_org(c.name, c.country, sent, c.start, c.end,
                                                                  acronym=acronym)
        org_spans.append((c.start, c.end, ref))
        if acronym:
            doc.acronyms[acronym] = ref
    for a, b, acronym in _listed_acronyms(doc, sent.text, org_spans, matches):
        ref = doc.acronyms.get(acronym) or doc.new_org(acronym, None, sent, a, b, acronym=acronym)
        org_spans.append((a, b, ref))
        doc.acronyms[acronym] = ref
    for acronym, ref in doc.acronyms.items():  # an acronym the release defined, used again
        for m in whole(acronym).finditer(sent.text) if acronym in sent.text else ():  # (the pattern is the word)
            if not any(a <= m.start() < b for a, b, _ in org_spans):
                org_spans.append((m.start(), m.end(), ref))
    org_spans = _inner_acronyms(doc, sent.text, sorted(org_spans))
    return Mentions(sent, tuple(matches), tuple(org_spans), tuple(country_spans), tuple(agency_spans),
                    tuple(progs))


_NEXT_WORD = re.compile(r"\s+([\w-]+)")


@cache
def _small_words(p: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """The profile's attributive nouns ("legislation" after "EU") and its conjunctions of one letter, written onto
    the next word ("و")."""
    return frozenset(p.attributive_nouns), frozenset(c for c in p.conjunctions if len(c) == 1 and c.isalpha())


def _defined_otherwise(doc: Doc, text: str, m: Match, org_spans: list[tuple[int, int, str]]) -> bool:
    """A dictionary acronym the release gives to another body, in brackets after that body's name: "Polícia da
    República de Moçambique (PRM)" is not the US Bureau of Population, Refugees, and Migration, and "PRM" means
    the police in the rest of the release. A name that only translates the dictionary body's ("Alto Comissariado
    das Nações Unidas para Refugiados (ACNUR)") shares its word stems and keeps the dictionary's acronym."""
    ref = "d:" + m.entry.key
    if doc.acronyms.get(m.text, ref) != ref:
        return True
    if text[m.start - 1:m.start] != "(" or text[m.end:m.end + 1] != ")":
        return False
    before = text[:m.start - 1].rstrip()
    prev = next((r for a, b, r in reversed(org_spans) if b == len(before)), None)
    if prev is not None:
        if prev == ref:
            return False
        doc.acronyms[m.text] = prev
        return True
    words = re.findall(r"[\w'’-]+", before)[-8:]
    name = next((" ".join(words[i:]) for i, w in enumerate(words)
                 if w[:1].isupper() and len(words) - i > 1 and initialism(m.text, " ".join(words[i:]))), None)
    if name is None:
        return False
    entry = doc.d.orgs[m.entry.key]
    stems = {fold(w)[:4] for w in name.split()}
    for alias in (entry.name, *(a for forms in entry.aliases.values() for a in forms)):
        other = {fold(w)[:4] for w in re.findall(r"[\w'’-]+", alias)}
        if len(stems & other) >= 0.3 * len(stems | other):
            return False
    return True


@cache
def _list_gap(p: Profile) -> re.Pattern[str]:
    """What may stand between the countries of one list: spaces, commas, brackets and a word opening one,
    conjunctions, articles and of-words."""
    glue = "|".join(re.escape(w) for w in sorted({*p.conjunctions, *p.articles, *p.of_words, "and", "or"},
                                                  key=len,
                                                  reverse=True) if w[-1:] not in "'’")
    return re.compile(rf"(?:\s|,|\(|\)|(?<=\()[^\W\d_]+\s|(?:{glue})(?=\s))*", re.I)


def _origins(doc: Doc, text: str, matches: list[Match]) -> list[tuple[int, int]]:
    """The lists of countries people come from: "22 migrants from Syria, Iran and Morocco", "their countries of
    origin (mainly the Syrian Arab Republic, Iraq and Afghanistan)" (profile: origin_cues)."""
    if doc.origin_rx is None:
        return []
    gap = _list_gap(doc.p)
    countries = sorted((m.start, m.end) for m in matches if m.entry.kind == "country")
    out = []
    for cue in doc.origin_rx.finditer(text):
        end = cue.end()
        for a, b in countries:
            if a < end:
                continue
            g = gap.match(text, end)
            if g is None or g.end() < a:
                break
            out.append((a, b))
            end = b
    return out


def _inner_acronyms(doc: Doc, text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """"the Swedish Presidency of the Council of the European Union (EU)": the acronym in brackets names the body
    that closes the name before it, already named there; it is no other actor of the sentence."""
    out = []
    for a, b, ref in spans:
        before = next((r for x, y, r in spans if r != ref and re.fullmatch(r"\s*\(", text[y:a])), None)
        if before is not None and text[b:b + 1] == ")" and ref in doc.s.orgs and before in doc.s.orgs:
            inner, outer = fold(doc.s.orgs[ref].name), fold(doc.s.orgs[before].name)
            if outer.endswith(" " + inner):
                continue
        out.append((a, b, ref))
    return out


def _persons_name(doc: Doc, text: str, m: Match) -> bool:
    """A country's name written as a person's first name: after a person's title, before a capitalized word."""
    titles = doc.p.person_titles
    nxt = re.match(r" ([^\W\d_][\w'’-]+)", text[m.end:])
    if not titles or not nxt or not nxt.group(1)[:1].isupper() or nxt.group(1).isupper():
        return False
    if words_rx(r"(?<![\w-])(?:", titles, r")\s+$").search(text[max(0, m.start - 40):m.start]):
        return True
    word = nxt.group(1).lower()  # "Argentina Szabados, Regional Director": a name no dictionary knows
    common = {w.lower() for w in (*titles, *doc.p.org_head_nouns, *doc.p.function_words, *doc.p.months)}
    return not text[:m.start].strip() and word not in common and not doc.d.trie.find(nxt.group(1)) \
        and re.match(r"[,\s]", text[m.end + nxt.end():m.end + nxt.end() + 1] or ",") is not None


# a whole word of two to eight letters, none of a-z (a word with one is no acronym: str.isupper says no). Each match
# is a whole run of word characters, so leaving out the words with a-z leaves the others' matches as they were; the
# first letter is matched first and the edge before it tested after it, so the re engine skips to candidate letters
_UNKNOWN_ACRONYM = re.compile(r"[^\W\d_a-z](?<![\w.&'’-].)[^\W\d_a-z]{1,7}(?![\w&'’-])")


def _listed_acronyms(doc: Doc, text: str, orgs: list[tuple[int, int, str]],
                     matches: list[Match]) -> list[tuple[int, int, str]]:
    """Bodies known only by an acronym, listed with organizations: "ministries (MIA, MFAIE, MJ, Prosecutor
    Office and HM)", "IDC and UNICEF co-organised". An unknown acronym counts when a conjunction or a comma
    links it to an organization or to another such acronym that is linked so; one standing alone does not."""
    not_orgs = non_organizations(doc.p)
    taken = [(a, b) for a, b, _ in orgs] + [(m.start, m.end) for m in matches] + list(doc.programme_spans)
    cands = [(m.start(), m.end(), m.group()) for m in _UNKNOWN_ACRONYM.finditer(text)
             if m.group().isupper() and m.group().casefold() not in not_orgs and roman(m.group()) is None
             and not is_currency(m.group()) and not any(a < m.end() and m.start() < b for a, b in taken)]
    if not cands:
        return []
    conj = "|".join(re.escape(c) for c in (*doc.p.conjunctions, "and", "&")) or "and"
    art = "|".join(re.escape(w) for w in (*doc.p.articles, "the")) or "the"
    link = re.compile(rf"\s*(?:,\s*|;\s*|,?\s+(?:{conj})\s+)(?:(?:{art})\s+)?", re.I)
    known = sorted((a, b) for a, b in [(a, b) for a, b, _ in orgs])
    accepted: set[int] = set()
    changed = True
    while changed:
        changed = False
        items = sorted(known + [(cands[i][0], cands[i][1]) for i in accepted])
        for i, (a, b, _) in enumerate(cands):
            if i in accepted:
                continue
            if any(link.fullmatch(text[y:a]) for _, y in items if y <= a) or any(
                    link.fullmatch(text[b:x]) for x, _ in items if x >= b):
                accepted.add(i)
                changed = True
    return [cands[i] for i in sorted(accepted)]


@cache
def _unit_head_rx(p: Profile) -> re.Pattern[str]:
    """A unit named by its head noun after its organization ("the OSCE Transnational Threats Department")."""
    heads = "|".join(re.escape(h) for h in p.unit_heads)
    preps = "|".join(re.escape(w) for w in (*p.place_prepositions, "to")) or "in"
    return re.compile(rf"(?:[ \t]+[A-Z][\w'’-]*){{0,4}}?[ \t]+(?:{heads})\b(?![ \t]+(?:[A-Z]|(?:{preps})\b))")


def _unit(doc: Doc, sent: Sentence, m: Match, parent: str, matches: list[Match]) -> tuple[int, int, str] | None:
    """An office of an international organization named after it: "IOM Libya", "IOM Regional Office
    in Vienna", "EU Delegation to Ukraine", "UN Country Team". The unit is an organization of its own,
    part of its parent, and takes the roles the sentence gives."""
    if doc.d.orgs[m.entry.key].kind not in INTERNATIONAL or not doc.p.unit_nouns:
        return None
    text = sent.text
    rx = unit_rx(doc.p.unit_nouns, doc.p.place_prepositions)
    u = rx.match(text, m.end)
    owner = text[m.end:m.end + 2] in ("’s", "'s") and not u
    if owner:  # "IOM’s Regional Office in Cairo": the same unit, written with a possessive
        u = rx.match(text, m.end + 2)
    end = None
    if u:
        at = u.end("prep") if u.group("prep") else -1
        country = [c for c in matches if c.start == at and c.entry.kind == "country"]
        place = doc.d.places.find(text[at:at + 60]) if at >= 0 else []
        if country:
            end = country[0].end
        elif place and place[0].start == 0:
            end = at + place[0].end
        elif u.group(1) in doc.p.unit_nouns_alone:  # "UN Country Team", "IOM HQ"
            end = u.end(1)
    else:  # "IOM Libya", "The International Organization for Migration (IOM) Niger": the organization as it
        # presents itself in a country, not a unit
        gap = re.match(r"(?:[ \t]+\([A-Z]{2,8}\))?[ \t]+", text[m.end:])
        at = m.end + gap.end() if gap else -1
        country = [c for c in matches if c.start == at and c.entry.kind == "country"
                   and c.entry.form_kind in ("name", "alias", "official")]
        end = country[0].end if country else None
        if end is None and at >= 0:  # "IOM Tripoli": its office in a city, the same way
            place = [p for p in doc.d.places.find(text[at:at + 40]) if p.start == 0 and text[at:at + 1].isupper()]
            end = at + place[0].end if place else None
        if end is not None and not re.match(r"[\w-]", text[end:end + 1]):
            acr = re.match(r"[ \t]+\(([A-Z]{2,8})\)", text[m.end:])  # "… (IOM) Niger": "IOM Niger"
            written = " ".join((f"{acr.group(1)} {text[at:end]}" if acr else text[m.start:end]).split())
            org = doc.s.orgs[parent]
            if written not in org.aliases:
                doc.s.orgs[parent] = replace(org, aliases=(*org.aliases, written))
            return (m.start, end, parent)
        if end is not None or not doc.p.unit_heads or doc.d.orgs[m.entry.key].kind not in (
                "un", "intergovernmental", "eu"):
            return None
        named = _unit_head_rx(doc.p).match(text[m.end:])
        if not named:
            return None  # "the OSCE Transnational Threats Department": a unit named after its organization
        end = m.end + named.end()
    if end is None:
        return None
    name = " ".join((text[m.start:m.end] + text[m.end + 2:end] if owner else text[m.start:end]).split())
    ref = doc.same_org(name, None) or doc.new_org(name, None, sent, m.start, end, parent=parent)
    return (m.start, end, ref)


def _unit_before(doc: Doc, sent: Sentence, m: Match, parent: str, matches: list[Match]) -> tuple[int, int, str] | None:
    """The unit noun before the organization, as languages that put the head first write it: "представительство
    МОМ в Украине", "Γραφείο της Ύπατης Αρμοστείας στην Ελλάδα", "مكتب المنظمة الدولية للهجرة في تونس"."""
    if doc.d.orgs[m.entry.key].kind not in INTERNATIONAL or not (doc.p.unit_nouns and doc.p.place_prepositions):
        return None
    text = sent.text
    link = "|".join(re.escape(w) for w in sorted({*doc.p.of_words, *doc.p.articles}, key=len, reverse=True))
    # the last link may be elided onto the name ("la mission de l’OIM à Haïti", "l’ufficio dell’OIM in Italia")
    u = words_rx(r"(?<![\w-])(", doc.p.unit_nouns,
                 rf")(?:\s+(?:{link or '(?!)'})){{0,2}}(?:\s+|(?<=['’]))$").search(text[:m.start])
    prep = words_rx(r"\s+(?:", doc.p.place_prepositions, r")\s+").match(text, m.end)
    alone = u.group(1) if u and not prep and u.group(1) in doc.p.unit_nouns_alone and u.group(1)[:1].isupper() \
        and not re.search(r"(?:^|\s)as\s+(?:the\s+)?$", text[:u.start(1)], re.I) else None  # "in its role as"
    of = "|".join(re.escape(w) for w in (*doc.p.of_words, "of"))
    if alone and re.search(rf"(?:^|\s)(?:{of})\s+(?:\S+\s+)?$", text[u.end(1):m.start] + " "):
        # "the Management Board of Frontex": a body of the organization, named head first, with no place
        name = " ".join(text[u.start(1):m.end].split())
        ref = doc.same_org(name, None) or doc.new_org(name, None, sent, u.start(1), m.end, parent=parent)
        return (u.start(1), m.end, ref)
    placed = words_rx(r"\s*(?:\([^()]{1,12}\)\s*)?\s(?:", doc.p.place_prepositions, r")\s").match(text, m.end)
    if u and not prep and not placed and u.group(1)[:1].isupper() and not text[u.end(1):m.start].strip():
        # "Misiunea Organizației Internaționale pentru Migrație": the unit noun, then its organization in the
        # genitive with no word between (a language that declines the name): a unit of it, named so
        name = " ".join(text[u.start(1):m.end].split())
        ref = doc.same_org(name, None) or doc.new_org(name, None, sent, u.start(1), m.end, parent=parent)
        return (u.start(1), m.end, ref)
    if u and not prep:  # "the Swedish Presidency of the Council of the EU": a country's office in a body
        adj = re.search(r"([^\W\d_][\w-]*)\s+$", text[:u.start(1)])
        iso2 = doc.d.adjective_country(adj.group(1)) if adj and adj.group(1)[:1].isupper() else None
        if iso2 is None:
            return None
        name = " ".join(text[adj.start(1):m.end].split())  # type: ignore[union-attr]
        ref = doc.same_org(name, iso2) or doc.new_org(name, iso2, sent, adj.start(1), m.end,  # type: ignore[union-attr]
                                                       parent=parent)
        return (adj.start(1), m.end, ref)  # type: ignore[union-attr]
    if not u or not prep:
        return None
    country = [c for c in matches if c.start == prep.end() and c.entry.kind == "country"
               and c.entry.form_kind not in ("adjective", "demonym")]
    place = doc.d.places.find(text[prep.end():prep.end() + 60])
    end = country[0].end if country else prep.end() + place[0].end if place and place[0].start == 0 else None
    if end is None:
        return None
    name = " ".join(text[u.start(1):end].split())
    ref = doc.same_org(name, None) or doc.new_org(name, None, sent, u.start(1), end, parent=parent)
    return (u.start(1), end, ref)


@cache
def _agency_rx(p: Profile) -> re.Pattern[str]:
    """An agency type, then where its bodies come from: "Border Police agencies from", "police of the"."""
    joiners = tuple({*p.source_prepositions, *p.of_words, *p.place_prepositions})
    return words_rx(r"\b(?P<type>", tuple(p.agency_types),
                    r")(?:\s+(?:agencies|authorities|services|institutions|bodies))?\s+(?:"
                    + "|".join(re.escape(j) for j in sorted(joiners, key=len, reverse=True)) + r")\s+(?:the\s+)?")


def _agencies(doc: Doc, sent: Sentence, matches: list[Match]) -> list[tuple[int, int, str]]:
    """'<agency type> agencies from A, B and C' -> one national agency per country."""
    out: list[tuple[int, int, str]] = []
    types = doc.p.agency_types
    if not types:
        return out
    found = [(m, types[next(k for k in types if k.lower() == m.group("type").lower())], 1)
             for m in _agency_rx(doc.p).finditer(sent.text)]
    if BODY_PLURAL_WORDS.search(sent.text):
        found += [(m, singular(m.group("plural")), 2) for m in PLURAL_BODIES.finditer(sent.text)]
    template = doc.p.name_templates.get("body_of_country", "{body} of {country}")
    lang = doc.p.code if "body_of_country" in doc.p.name_templates else "en"  # its country in its language
    for m, body, least in found:
        countries = [(c.entry.key, c.start, c.end) for c in _country_list(doc, sent, matches, m.end())]
        region = next((x for x in matches if x.start == m.end() and x.entry.kind == "region"), None)
        if not countries and region is not None:
            # "Heads of Border Police in the Western Balkans": one body per member the release names
            countries = [(iso2, region.start, region.end) for iso2 in doc.d.regions[region.entry.key].members
                         if iso2 in doc.named_countries]
            least = 2
        if len(countries) < least or any(a <= m.start() < b for a, b, _ in out):
            continue
        for iso2, c_start, c_end in countries:
            if not body:  # "representatives of the embassies of A and B": the countries take part
                out.append((c_start, c_end, "country:" + iso2))
                continue
            name = template.format(body=body, country=doc.d.country_label(iso2, lang))
            known = [x for x in doc.d.trie.find(name, kinds=("org",)) if x.start == 0 and x.end == len(name)]
            if known and doc.d.orgs[known[0].entry.key].country == iso2:
                ref = doc.dict_org(known[0].entry.key, sent, surface=name)
            else:
                ref = doc.new_org(name, iso2, sent, m.start(), c_end)
            out.append((m.start(), c_end, ref))
            out.append((c_start, c_end, "country:" + iso2))
    return out


_MINISTER = re.compile(r"\b(?:Deputy\s+|Assistant\s+)?Minister(?=\s+of\s)")


def _titled_and_nested(doc: Doc, sent: Sentence, matches: list[Match]) -> list[tuple[int, int, str]]:
    """Bodies named through a person's title (
    "the Deputy Minister of Interior of Albania" -> Ministry of Interior of Albania) and nested units
    ("the Ports Security Directorate, Ministry of Interior, Libya")."""
    text, out = sent.text, []
    # both patterns are case-sensitive: a match holds its noun as written, so a text without it has none (not searched)
    for m in _MINISTER.finditer(text) if "Minister" in text else ():
        virtual = "Ministry" + text[m.end():m.end() + 120]
        known = doc.d.trie.find(virtual, kinds=("org",))
        if known and known[0].start == 0:
            out.append((m.start(), m.end() + known[0].end - 8, doc.dict_org(known[0].entry.key, sent)))
    # "the Ambassador of Germany" names no body: the country takes part (its name is a country mention),
    # and analysts record no "Embassy of Germany" the release does not name
    for m in NESTED.finditer(text) if any(w in text for w in NESTED_PARENTS) else ():
        c = [x for x in matches if x.start == m.start("country") and x.entry.kind == "country"
             and x.end == m.end("country")]
        if not c:
            continue
        iso2 = c[0].entry.key
        parent_name = f"{m.group('parent')} of {doc.d.country_label(iso2)}"
        known = [x for x in doc.d.trie.find(parent_name, kinds=("org",)) if x.start == 0]
        parent = (doc.dict_org(known[0].entry.key, sent, surface=parent_name) if known
                  else doc.new_org(parent_name, iso2, sent, m.start("parent"), m.end("country")))
        unit = doc.new_org(m.group("unit"), iso2, sent, m.start("unit"), m.end("unit"), parent=parent)
        out += [(m.start("unit"), m.end("unit"), unit), (m.start("parent"), m.end("country"), parent)]
    return out


def _country_list(doc: Doc, sent: Sentence, matches: list[Match], pos: int) -> list[Match]:
    """Countries listed from pos on: 'A, B, C and D' (a leading 'the' allowed)."""
    got: list[Match] = []
    for m in matches:
        if m.start < pos or m.entry.kind != "country":
            continue
        gap = sent.text[pos:m.start]
        conj = "".join("|" + re.escape(w) for w in doc.p.conjunctions)  # "und", "en", "dan" …
        arts = "".join("|" + re.escape(w) for w in doc.p.articles)  # "Österreich, der Schweiz und den …"
        joined = rf"(?:,|and|&|i|et|y|dhe|и|,\s*(?:and{conj})|as\s+well\s+as{conj})?"  # "…, Nicaragua, y Panamá"
        if not re.fullmatch(rf"[\s*]*{joined}\s*(?:(?:the{arts})\s+)?", gap, re.I):
            break
        if m.entry.form_kind in ("adjective", "demonym"):
            break
        got.append(m)
        pos = m.end
    return got


def _funds_as_funders(doc: Doc, text: str, matches: list[Match]) -> list[Match]:
    """A fund known both as a programme and as a body is the body where it pays ("funded by the EU Emergency
    Trust Fund for Africa"), the programme elsewhere ("launched the Trust Fund")."""
    cues = (*doc.p.funding_cues.agent_after, *doc.p.support_cues)
    if not cues or not any(m.entry.kind == "programme" for m in matches):
        return matches
    art = "|".join(re.escape(w) for w in (*doc.p.articles, "the")) or "the"
    after_cue = words_rx(r"\b(?:", tuple(cues), rf")\s+(?:(?:{art})\s+)?$")
    out = []
    for m in matches:
        if m.entry.kind == "programme" and after_cue.search(text[:m.start]):
            body = [x for x in doc.d.trie.find(m.text, kinds=("org",)) if x.start == 0 and x.end == len(m.text)]
            if body:
                m = replace(body[0], start=m.start, end=m.end, text=m.text)
        out.append(m)
    return out


def _programmes(doc: Doc, sent: Sentence, matches: list[Match]) -> list[Programme]:
    orgs = [(m.start, m.end) for m in matches if m.entry.kind == "org"]
    known = [m for m in matches if m.entry.kind == "programme"]
    spans = [f for f in find_programmes(doc.p, sent.text, orgs)
             if not any(m.start < f.end and f.start < m.end and (f.end - f.start) <= (m.end - m.start)
                        for m in known)]
    lang = doc.main.lang if doc.main.lang != "und" else "en"
    found = [_add_programme(doc, f.title, lang, f.acronym, sent, f.start, f.end) for f in spans]
    for m in known:  # programmes the dictionary knows, by title or acronym
        if not any(f.start <= m.start < f.end for f in spans):
            known = doc.d.programmes[m.entry.key]
            found.append(_add_programme(doc, known["title"], "en", known.get("acronym"), sent, m.start, m.end))
    for p in doc.s.programmes:  # a programme named again by its acronym
        if p.acronym and p not in found and p.acronym in sent.text and whole(p.acronym).search(sent.text):
            found.append(p)
    doc.programme_spans = [(sent.text.find(t.text), sent.text.find(t.text) + len(t.text))
                             for p in found for t in p.titles if t.text in sent.text]
    return found



def _add_programme(doc: Doc, title: str, lang: str, acronym: str | None, sent: Sentence, a: int, b: int
                   ) -> Programme:
    for i, p in enumerate(doc.s.programmes):
        if fold(p.title) == fold(title) or (acronym and p.acronym == acronym):
            if acronym and not p.acronym:
                p = replace(p, acronym=acronym)
                doc.s.programmes[i] = p
            return p
    region = None
    for m in doc.d.trie.find(title, kinds=("region",)):
        region = m.entry.key
    known = [m.entry.key for form in (title, acronym or "") for m in doc.d.trie.find(form, kinds=("programme",))
             if m.start == 0 and m.end == len(form)]
    if known:  # one IRI for a known programme, whichever name the release uses
        entry = doc.d.programmes[known[0]]
        title, acronym = entry["title"], acronym or entry.get("acronym")
    p = Programme("p:" + slug(acronym or title), (Title(title, lang),), acronym, region,
                  doc.span(sent, a, b), known[0] if known else None)
    doc.s.programmes.append(p)
    return p
