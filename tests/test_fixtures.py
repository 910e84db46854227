"""Sentence -> facts fixtures, one file per language (tests/fixtures/extract/<code>.json), as Duckling keeps
a corpus beside each language's rules: positive cases say what a sentence must yield, negative cases what it
must not. One parametrized test; a failure names the language, the pass and the sentence.

Case keys (all optional but ``text``; lists are "at least these"):
  pass          which pass the case exercises: mentions, events, roles, programmes, funding, places, dates
  text          one or a few sentences (written for this file, never copied from a real release)
  title         the release's headline (default "Fixture")
  published     ISO date of the imagined release (default: the file's)
  orgs          [name or [name, iso2]]    organizations found (name, alias or acronym, case/accent-folded)
  countries     [iso2]                    countries mentioned
  events        [{type, start, end, ordinal, location}]  each listed field must match one event
  event_count   int                       exactly so many events (a counted plural told per place)
  organizers / participants  [name]       organizations in that role of some event
  event_countries            [iso2]       countries taking part in some event
  programmes    [title]                   programme titles (or acronyms)
  funding       [[funder, funded]]        funded is a programme title/acronym, an organization, or "event"
  none          [kind...]                 kinds that must yield nothing: events, organizers, participants,
                                          funding, programmes, orgs, event_countries, countries
  not_orgs      [name]                    names that must not be found as organizations
  not_countries [iso2]                    countries that must not be found
  not_programmes [title]                  titles that must not be found as programmes
  not_funding   [[funder, funded]]        funding pairs that must not be found (as in ``funding``)
  same_programme [[title, title]]         two titles (or short titles) of one programme
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from migkg.extract import extract
from migkg.model import Extraction, Release, Section
from migkg.names import fold
from paths import REPO

FIXTURES = REPO / "tests" / "fixtures" / "extract"


def _cases() -> list[tuple[str, int, dict]]:  # type: ignore[type-arg]
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            case = {"language": data["language"], "published": data.get("published"), **case}
            out.append((path.stem, i, case))
    return out


CASES = _cases()


def _release(case: dict) -> Release:  # type: ignore[type-arg]
    text = case["text"]
    pub = date.fromisoformat(case["published"]) if case.get("published") else None
    return Release(key="fixture", path="fixture.txt", title=case.get("title", "Fixture"), published=pub, text=text,
                   sections=(Section(case["language"], text, 0),), source="fixture.txt",
                   content_hash=hashlib.sha256(text.encode()).hexdigest())


def _names(ex: Extraction, ref: str) -> set[str]:
    o = next(o for o in ex.organizations if o.ref == ref)
    return {fold(n) for n in (o.name, *(o.aliases), o.acronym or "") if n}


def _has_org(ex: Extraction, want: str | list, refs: set[str] | None = None) -> bool:  # type: ignore[type-arg]
    name, iso2 = (want, None) if isinstance(want, str) else (want[0], want[1])
    for o in ex.organizations:
        if refs is not None and o.ref not in refs:
            continue
        if fold(name) in _names(ex, o.ref) and (iso2 is None or o.country == iso2):
            return True
    return False


def _role(ex: Extraction, relation: str) -> set[str]:
    events = {e.ref for e in ex.events}
    return {f.object for f in ex.facts if f.relation == relation and f.subject in events}


def _event_ok(ex: Extraction, want: dict) -> bool:  # type: ignore[type-arg]
    return any(all(getattr(e, k) == v for k, v in want.items()) for e in ex.events)


def _describe(ex: Extraction) -> str:
    orgs = {o.ref: o.name for o in ex.organizations}
    lines = [f"  org {o.name!r} acr={o.acronym} country={o.country} aliases={list(o.aliases)}"
             for o in ex.organizations]
    lines += [f"  event {e.type} {e.start}..{e.end} ord={e.ordinal} at={e.location} {e.label!r}" for e in ex.events]
    lines += [f"  programme {[t.text for t in p.titles]} {p.acronym}" for p in ex.programmes]
    lines += [f"  fact {f.subject} {f.relation} {orgs.get(f.object, f.object)}" for f in ex.facts]
    lines += [f"  country {c.iso2}" for c in ex.countries]
    return "\n".join(lines)


def _funds(ex: Extraction, funder: str, funded: str) -> bool:
    """Whether funder funds funded (a programme title or acronym, or "event" for any event)."""
    prog_by_ref = {p.ref: p for p in ex.programmes}
    for f in ex.facts:
        if f.relation != "funder" or not _has_org(ex, funder, {f.object}):
            continue
        if funded == "event" and f.subject in {e.ref for e in ex.events}:
            return True
        p = prog_by_ref.get(f.subject)
        if p is not None and fold(funded) in {fold(t.text) for t in p.titles} | {fold(p.acronym or "")}:
            return True
        if p is None and _has_org(ex, funded, {f.subject}):  # a body funded ("X was set up with the support of")
            return True
    return False


@pytest.mark.parametrize(("lang", "i", "case"), CASES, ids=[f"{c[0]}-{c[2].get('pass', 'any')}-{c[1]}" for c in CASES])
def test_fixture(lang: str, i: int, case: dict) -> None:  # type: ignore[type-arg]
    ex = extract(_release(case))
    why = f"[{lang} #{i} {case.get('pass')}] {case['text']}\ngot:\n{_describe(ex)}"
    for want in case.get("orgs", []):
        assert _has_org(ex, want), f"organization {want} missing; {why}"
    for name in case.get("not_orgs", []):
        assert not _has_org(ex, name), f"{name!r} must not be an organization; {why}"
    got_countries = {c.iso2 for c in ex.countries}
    assert set(case.get("countries", [])) <= got_countries, f"countries; {why}"
    assert not set(case.get("not_countries", [])) & got_countries, f"countries that must not be found; {why}"
    for want in case.get("events", []):
        assert _event_ok(ex, want), f"event {want} missing; {why}"
    if "event_count" in case:  # "two trainings … In Korça, … In Gjirokastra, …": exactly so many events
        assert len(ex.events) == case["event_count"], f"{case['event_count']} events expected; {why}"
    for role, relation in (("organizers", "organizer"), ("participants", "participant")):
        refs = _role(ex, relation)
        for want in case.get(role, []):
            assert _has_org(ex, want, refs), f"{role[:-1]} {want} missing; {why}"
    ec = {f.object for f in ex.facts if f.relation == "participantCountry"}
    assert set(case.get("event_countries", [])) <= ec, f"event countries; {why}"
    titles = {fold(t.text) for p in ex.programmes for t in p.titles} | {fold(p.acronym) for p in ex.programmes
                                                                         if p.acronym}
    for want in case.get("programmes", []):
        assert fold(want) in titles, f"programme {want!r} missing; {why}"
    for name in case.get("not_programmes", []):
        assert fold(name) not in titles, f"{name!r} must not be a programme; {why}"
    for funder, funded in case.get("funding", []):
        assert _funds(ex, funder, funded), f"funding {funder} -> {funded} missing; {why}"
    for funder, funded in case.get("not_funding", []):
        assert not _funds(ex, funder, funded), f"funding {funder} -> {funded} must not be found; {why}"
    for one, other in case.get("same_programme", []):
        assert any({fold(one), fold(other)} <= {fold(t.text) for t in (*p.titles, *p.aliases)}
                   for p in ex.programmes), f"{one!r} and {other!r} must name one programme; {why}"
    for kind in case.get("none", []):
        got = {"events": ex.events, "organizers": _role(ex, "organizer"), "participants": _role(ex, "participant"),
               "funding": [f for f in ex.facts if f.relation == "funder"], "programmes": ex.programmes,
               "orgs": ex.organizations, "event_countries": ec, "countries": ex.countries}[kind]
        assert not got, f"expected no {kind}; {why}"


def test_every_profile_has_fixtures() -> None:
    langs = {p.stem for p in (REPO / "data" / "languages").glob("*.json") if not p.name.startswith("_")}
    have = {c[0] for c in CASES}
    assert langs <= have, f"profiles without fixtures: {sorted(langs - have)}"
    for lang in langs:
        mine = [c for c in CASES if c[0] == lang]
        assert len(mine) >= 5, f"{lang}: only {len(mine)} fixtures"
        negative = ("none", "not_orgs", "not_countries", "not_programmes", "not_funding")
        assert any(any(c[2].get(k) for k in negative) for c in mine), f"{lang}: no negative fixture"
