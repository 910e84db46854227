"""Frozen dataclasses passed between the stages; no behaviour beyond small conveniences.

``ingest`` makes :class:`Release`; ``extract`` makes :class:`Extraction` (mentions and facts with
evidence spans, no RDF); ``validate`` makes :class:`Report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Section:
    """One language section of a release; ``start`` is its offset in :attr:`Release.text`."""

    lang: str
    text: str
    start: int


@dataclass(frozen=True)
class Release:
    """A release as read from disk: its text, metadata and language sections."""

    key: str  # stable identifier: the file stem, slugged
    path: str  # where it was read from (as given)
    title: str
    published: date | None
    text: str  # the whole body (title line and headers excluded)
    sections: tuple[Section, ...]
    source: str  # URL when the file names one, else the file name
    content_hash: str
    published_month: str | None = None  # "2022-11" when a header gives only the month (then published is None)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(s.lang for s in self.sections)


@dataclass(frozen=True)
class Span:
    """Evidence: where in :attr:`Release.text` a fact was read, and the sentence around it."""

    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class Org:
    """An organization mention. ``ref`` is unique within one extraction."""

    ref: str
    name: str
    acronym: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 of a national body
    parent: str | None = None  # ref of the parent organization
    dict_id: str | None = None  # id in data/dictionaries/organizations.json when known
    aliases: tuple[str, ...] = ()
    evidence: Span | None = None
    lang: str = "en"  # language of the section the release names it in (its own labels are tagged so)


@dataclass(frozen=True)
class CountryMention:
    """A country named (or implied) by the release, with any qualification attached to the name."""

    iso2: str
    surface: str
    qualification: str | None = None
    evidence: Span | None = None


@dataclass(frozen=True)
class Title:
    text: str
    lang: str


@dataclass(frozen=True)
class Programme:
    ref: str
    titles: tuple[Title, ...]
    acronym: str | None = None
    region: str | None = None  # region id from data/dictionaries/regions.tsv
    evidence: Span | None = None
    dict_id: str | None = None  # id in data/dictionaries/programmes.json when known
    aliases: tuple[Title, ...] = ()  # short titles the release also uses ("the Emergency Trust Fund")

    @property
    def title(self) -> str:
        return self.titles[0].text if self.titles else (self.acronym or "")


@dataclass(frozen=True)
class Event:
    ref: str
    label: str
    type: str  # Meeting, Conference, Workshop, Training, SteeringBoard, Visit, Launch, Other
    start: str | None = None  # ISO date, or YYYY-MM when only the month is known
    end: str | None = None
    location: str | None = None
    location_country: str | None = None
    ordinal: int | None = None
    series: str | None = None
    topics: tuple[str, ...] = ()
    evidence: Span | None = None


class EventType(StrEnum):
    """The event classes of the ontology (local names), as the contract queries return them."""

    MEETING = "Meeting"
    CONFERENCE = "Conference"
    WORKSHOP = "Workshop"
    TRAINING = "Training"
    STEERING_BOARD = "SteeringBoard"
    VISIT = "Visit"
    LAUNCH = "Launch"
    OTHER = "Other"


class Relation(StrEnum):
    """The relations a :class:`Fact` states (ontology property local names)."""

    ORGANIZER = "organizer"  # event -> org
    PARTICIPANT = "participant"  # event -> org
    PARTICIPANT_COUNTRY = "participantCountry"  # event -> country iso2
    PART_OF_PROGRAMME = "partOfProgramme"  # event -> programme
    FUNDER = "funder"  # programme or event -> org
    IMPLEMENTER = "implementer"  # programme -> org
    SUB_ORGANIZATION_OF = "subOrganizationOf"  # org -> org


EVENT_TYPES = tuple(t.value for t in EventType)
RELATIONS = tuple(r.value for r in Relation)


@dataclass(frozen=True)
class Fact:
    """A relation between two refs (or a ref and an ISO code), with its evidence."""

    subject: str
    relation: str
    object: str
    evidence: Span | None = None
    amount: Decimal | None = None  # a funder relation's sum, when the release states it
    currency: str | None = None  # ISO 4217


@dataclass(frozen=True)
class Extraction:
    release: Release
    organizations: tuple[Org, ...] = ()
    countries: tuple[CountryMention, ...] = ()
    programmes: tuple[Programme, ...] = ()
    events: tuple[Event, ...] = ()
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Violation:
    shape_id: str  # e.g. "S04-Event"
    focus: str
    path: str | None
    message: str


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def shape_ids(self) -> tuple[str, ...]:
        return tuple(sorted({v.shape_id for v in self.violations}))


@dataclass(frozen=True)
class Result:
    """A SELECT result: variable names in order, rows of rdflib terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
