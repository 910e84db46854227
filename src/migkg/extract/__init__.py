"""Extract: :class:`~migkg.model.Release` -> :class:`~migkg.model.Extraction`. Rules and dictionaries, no RDF.

The public verb is :func:`extract`. Dictionaries and phrase lists live in ``data/dictionaries/``;
the rules in :mod:`migkg.extract.rules` read them through :mod:`migkg.extract.gazetteer`.
"""

from __future__ import annotations

from migkg.errors import ExtractionError
from migkg.extract.gazetteer import Dictionaries, load
from migkg.extract.rules import Extractor
from migkg.model import Extraction, Release

__all__ = ["extract"]


def extract(release: Release, dictionaries: Dictionaries | None = None) -> Extraction:
    """Read the organizations, countries, events, programmes and funding a release states."""
    try:
        return Extractor(release, dictionaries or load()).run()
    except (KeyError, ValueError, IndexError) as e:  # a rule met text it was not written for
        raise ExtractionError(f"{release.path}: extraction failed ({type(e).__name__}: {e})") from e
