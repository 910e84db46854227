"""Extraction on the seed, and the date rules on the phrasings releases use."""

from __future__ import annotations

from datetime import date

import pytest

from migkg.extract import extract
from migkg.extract.when import find_dates
from migkg.ingest import read_release_file
from paths import SEED


@pytest.fixture(scope="module")
def seed_extraction():  # type: ignore[no-untyped-def]
    (r,) = read_release_file(SEED)
    return extract(r)


def test_seed_organizations(seed_extraction) -> None:  # type: ignore[no-untyped-def]
    orgs = {name: o for o in seed_extraction.organizations for name in (o.name, *o.aliases)}
    for iso2, country in [("AL", "Albania"), ("BA", "Bosnia and Herzegovina"), ("ME", "Montenegro"),
                          ("MK", "North Macedonia"), ("RS", "Serbia"), ("XK", "Kosovo")]:
        assert orgs[f"Border Police of {country}"].country == iso2
    assert orgs["International Organization for Migration"].acronym == "IOM"
    prm = next(o for o in seed_extraction.organizations if o.acronym == "PRM")
    parent = next(o for o in seed_extraction.organizations if o.ref == prm.parent)
    assert parent.name == "U.S. Department of State"
    assert len(seed_extraction.organizations) == 9


def test_seed_kosovo_keeps_its_qualification(seed_extraction) -> None:  # type: ignore[no-untyped-def]
    kosovo = next(c for c in seed_extraction.countries if c.iso2 == "XK")
    assert kosovo.qualification is not None
    assert "1244" in kosovo.qualification
    assert {c.iso2 for c in seed_extraction.countries} == {"AL", "BA", "ME", "MK", "RS", "XK", "US"}


def test_seed_event(seed_extraction) -> None:  # type: ignore[no-untyped-def]
    (event,) = seed_extraction.events
    assert event.type == "Meeting"
    assert event.start == "2019-05-17"
    assert event.end is None
    assert event.ordinal == 9
    assert event.label.startswith("ninth regular coordination meeting of the directors of Border Police")
    assert event.series == "regular coordination meeting of the directors of Border Police agencies"
    facts = {(f.relation, f.object) for f in seed_extraction.facts if f.subject == event.ref}
    assert ("organizer", "d:international-organization-for-migration") in facts
    assert sum(1 for rel, _ in facts if rel == "participant") == 6
    assert {o for rel, o in facts if rel == "participantCountry"} == {"AL", "BA", "ME", "MK", "RS", "XK"}


def test_seed_programme_is_one_with_two_titles(seed_extraction) -> None:  # type: ignore[no-untyped-def]
    (prog,) = seed_extraction.programmes
    titles = {(t.lang, t.text) for t in prog.titles}
    assert ("en", "Enhancing Capacities and Mechanisms to Identify and Protect Vulnerable Migrants in the "
                  "Western Balkans") in titles
    assert ("bs", "Jačanje kapaciteta i mehanizama za identifikaciju i zaštitu ranjivih migranata na Zapadnom "
                  "Balkanu") in titles
    assert prog.region == "western-balkans"
    funders = {f.object for f in seed_extraction.facts if f.subject == prog.ref and f.relation == "funder"}
    assert funders == {"d:us-bureau-of-population-refugees-and-migration"}


def test_seed_facts_have_evidence(seed_extraction) -> None:  # type: ignore[no-untyped-def]
    text = seed_extraction.release.text
    for f in seed_extraction.facts:
        assert f.evidence is not None
        assert f.evidence.sentence in text
        assert 0 <= f.evidence.start <= f.evidence.end <= len(text)


PUB = date(2022, 6, 20)  # a Monday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("On 17 May 2019, IOM organized", "2019-05-17", None),
        ("17. maja 2019. godine, IOM je organizovao", "2019-05-17", None),
        ("held on April 9-10, 2019 in Skopje", "2019-04-09", "2019-04-10"),
        ("from 14-16 June 2021", "2021-06-14", "2021-06-16"),
        ("from 27 October – 2 November 2019", "2019-10-27", "2019-11-02"),
        ("On June 14 and 15, 2022, the workshop", "2022-06-14", "2022-06-15"),
        ("on 18th and 19th May 2016", "2016-05-18", "2016-05-19"),
        ("on 11- 12 September, 2022", "2022-09-11", "2022-09-12"),
        ("in December 2024", "2024-12", None),
        ("on 3 June the ministry", "2022-06-03", None),
        ("on 06/02/2018 in Vienna", None, None),  # day/month ambiguous: decide nothing
        ("on 23/09/2021", "2021-09-23", None),
        ("on 09/23/2021", "2021-09-23", None),
        ("yesterday (15/06)", "2022-06-15", None),
        ("yesterday the delegation", "2022-06-19", None),
        ("on Wednesday the training", "2022-06-15", None),
        ("Monday (13 June)", "2022-06-13", None),
        ("today", "2022-06-20", None),
    ],
)
def test_dates(text: str, start: str | None, end: str | None) -> None:
    found = find_dates(text, PUB)
    if start is None:
        assert found == []
    else:
        assert found, text
        assert (found[0].start, found[0].end) == (start, end)


def test_day_and_month_without_year_or_publication_stays_unknown() -> None:
    assert find_dates("on 3 June the ministry", None) == []


def test_short_titles_and_series_variants_still_validate() -> None:
    """A programme named again by a short title and a series written in two cases build a graph the shapes
    accept (one title and one series label per language; the others are alternative labels)."""
    import hashlib

    from migkg.build import build_graph
    from migkg.model import Release, Section
    from migkg.reference import load
    from migkg.validate import validate

    text = ("The Regional Resilience Trust Fund for the Sahel and Lake Chad was launched in Niamey on 4 May 2021. "
            "The Resilience Trust Fund will finance border projects. The 3rd Regional Ministerial Conference took "
            "place in Dakar on 5 May 2021. The 4th regional Ministerial Conference took place in Accra on "
            "6 May 2022.")
    release = Release(key="variants", path="variants.txt", title="Variants", published=None, text=text,
                      sections=(Section("en", text, 0),), source="variants.txt",
                      content_hash=hashlib.sha256(text.encode()).hexdigest())
    ex = extract(release)
    assert any(p.aliases for p in ex.programmes), [p.titles for p in ex.programmes]
    report = validate(build_graph(ex, load()))
    assert report.conforms, report.violations


def _release(text: str, title: str = "Fixture"):  # type: ignore[no-untyped-def]
    import hashlib

    from migkg.model import Release, Section

    return Release(key="t", path="t.txt", title=title, published=date(2015, 9, 20), text=text,
                   sections=(Section("en", text, 0),), source="t.txt",
                   content_hash=hashlib.sha256(text.encode()).hexdigest())


def test_events_of_the_same_kind_share_the_first_ones_organizers_unless_named_for_a_body() -> None:
    """"IOM conducted a training … an earlier training held in June …": the same hands; "the 4th RMCC meeting"
    is the committee's, not the first event's organizer's. Two events of one release on the same key (type, month,
    organizer) still build a graph the shapes accept: the label parts their IRIs."""
    from migkg.build import build_graph
    from migkg.reference import load
    from migkg.validate import validate

    text = ("On 13-16 September 2015, IOM conducted a training in Erbil on crisis management for 29 officials. "
            "It followed an earlier training on emergencies held in June 2015 for the southern governorates. "
            "A similar training on shelters held in June 2015 covered the central governorates. "
            "The Regional Migration Coordination Committee (RMCC) also met; the 4th RMCC meeting took place in "
            "Djibouti.")
    ex = extract(_release(text))
    names = {o.ref: o.name for o in ex.organizations}
    by_label = {e.label: {names[f.object] for f in ex.facts if f.subject == e.ref and f.relation == "organizer"}
                for e in ex.events}
    trainings = [label for label in by_label if "training" in label]
    assert len(trainings) == 3, by_label
    assert all(by_label[t] == {"International Organization for Migration"} for t in trainings), by_label
    rmcc = [label for label in by_label if "RMCC" in label]
    assert rmcc and "International Organization for Migration" not in by_label[rmcc[0]], by_label
    graph = build_graph(ex, load())
    report = validate(graph)
    assert report.conforms, report.violations


def test_a_body_that_only_comments_leaves_the_event_to_the_headline() -> None:
    ex = extract(_release("The interlocutors expressed satisfaction with the ongoing cooperation on asylum.",
                          title="Minister of Security Ivan Horvat met with the IOM Chief of Mission in Sarajevo"))
    (event,) = ex.events
    assert event.type == "Meeting"
    assert event.evidence is not None and (event.evidence.start, event.evidence.end) == (0, 0)
    assert event.evidence.sentence.startswith("Minister of Security Ivan Horvat met with")
    assert any(f.subject == event.ref and f.relation == "participant" for f in ex.facts)


def test_an_acronym_in_brackets_after_a_name_that_ends_with_its_body_is_no_other_actor() -> None:
    ex = extract(_release("On 3 May 2023 the conference in Sarajevo was jointly organized by the Ministry of Security "
                          "of Bosnia and Herzegovina and the Swedish Presidency of the Council of the European Union "
                          "(EU)."))
    names = {o.ref: o.name for o in ex.organizations}
    organizers = {names[f.object] for f in ex.facts if f.relation == "organizer"}
    assert "Ministry of Security of Bosnia and Herzegovina" in organizers, organizers
    assert "European Union" not in organizers, organizers


def test_an_indefinite_article_tells_another_event_on_the_same_day() -> None:
    text = ("On 21 January 2016, IOM held a coordination meeting in Skopje with the border police. The ministers "
            "also attended a working breakfast meeting on 21 January 2016 with the Ambassador of Sweden. The "
            "meeting on 21 January 2016 ended with a joint statement.")
    ex = extract(_release(text))
    assert sorted(e.label for e in ex.events) == ["coordination meeting", "working breakfast meeting"], ex.events
