"""Extract: :class:`~migkg.model.Release` -> :class:`~migkg.model.Extraction`. Rules and dictionaries, no RDF.

The public verb is :func:`extract`. Extraction is ordered passes over a :class:`~migkg.extract.doc.Doc`,
each a module with one entry function, reading the previous passes' output:

1. :mod:`~migkg.extract.mentions`  sentence -> :class:`~migkg.extract.mentions.Mentions` (organizations,
   countries, national agencies, units, programmes; dictionaries and the shape of names)
2. :mod:`~migkg.extract.events`    Mentions -> the sentence's event (type, label, date, place, ordinal),
   calling 3. :mod:`~migkg.extract.roles` for its organizers, participants and countries
4. :mod:`~migkg.extract.funding`   Mentions + event -> funder facts with their sums
5. :mod:`~migkg.extract.finish`    the whole document: parents, places, aligned titles, implementers

Everything language-specific is in the section's profile (``data/languages/<code>.json``, loaded by
:mod:`migkg.languages`); the dictionaries in ``data/dictionaries/`` are read through
:mod:`migkg.reference`.
"""

from __future__ import annotations

from migkg.errors import ExtractionError
from migkg.extract import events, finish, funding, mentions
from migkg.extract.doc import Doc
from migkg.extract.text import Sentence
from migkg.model import Extraction, Release
from migkg.reference import Dictionaries, load

__all__ = ["extract"]


def _read(doc: Doc, sent: Sentence) -> None:
    found = mentions.read(doc, sent)
    event = events.read(doc, found)
    funding.read(doc, found, event)
    events.link_programmes(doc, found, event)


def extract(release: Release, dictionaries: Dictionaries | None = None) -> Extraction:
    """Read the organizations, countries, events, programmes and funding a release states."""
    try:
        doc = Doc(release, dictionaries or load())
        for sent in doc.sentences:
            _read(doc, sent)
        if not doc.s.events and doc.r.title.strip():
            # a body that only comments on its news ("The interlocutors expressed satisfaction …") leaves
            # the event to the headline ("Minister X met with the Chief of Mission of IOM")
            doc.pending_date = None  # the headline's date is its own, not the body's last one
            _read(doc, Sentence(doc.r.title, 0))
            doc.headline_read()
        finish.run(doc)
        return doc.result()
    except (KeyError, ValueError, IndexError) as e:  # a rule met text it was not written for
        raise ExtractionError(f"{release.path}: extraction failed ({type(e).__name__}: {e})") from e
