"""Locate the data files shipped with migkg: ontology, shapes, queries and dictionaries.

In a source checkout they are the top-level folders ``ontology/``, ``queries/`` and
``data/dictionaries/``; in an installed wheel they are copied under ``migkg/resources/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent
_LAYOUT = {
    "ontology": ("ontology",),
    "queries": ("queries",),
    "dictionaries": ("data", "dictionaries"),
    "languages": ("data", "languages"),
    "engines": ("data", "engines"),
}


@cache
def resource_dir(kind: str) -> Path:
    """Return the folder holding one kind of resource (``ontology``, ``queries``, ``dictionaries``)."""
    installed = _PACKAGE / "resources" / kind
    if installed.is_dir():
        return installed
    checkout = _CHECKOUT.joinpath(*_LAYOUT[kind])
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"migkg resource folder {kind!r} is missing; reinstall migkg")


def resource(kind: str, name: str) -> Path:
    """Return the path of one resource file, e.g. ``resource("ontology", "shapes.ttl")``."""
    return resource_dir(kind) / name
