"""Names in time: the name a country or organization bore on a date (``queries/name-at-date.rq``).

The names and their intervals are reference data (``data/dictionaries/renamings.tsv``, modelled as
SKOS-XL labels with schema.org validity dates: ontology/README.md, *Names in time*); this module only
turns the user's way of naming the thing (an ISO code, ``country/MK``, a full IRI) into the IRI and
asks the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from migkg.errors import QueryError
from migkg.query import Queryable, run_query
from migkg.vocab import ID


@dataclass(frozen=True)
class NameInForce:
    thing: str
    name: str
    acronym: str | None
    valid_from: str | None
    valid_through: str | None


def thing_iri(value: str) -> URIRef:
    """``MK`` -> the country MK; ``organization/…`` or ``id:…`` -> under our id/ namespace; else a full IRI."""
    if re.fullmatch(r"[A-Za-z]{2}", value):
        return ID["country/" + value.upper()]
    if "://" in value:
        return URIRef(value)
    return ID[value.removeprefix("id:").lstrip("/")]


def name_on(store: Queryable, thing: str, day: str | date | None = None) -> list[NameInForce]:
    """The name(s) of ``thing`` in force on ``day`` (every name with its interval when no day is given).
    An empty list: the store does not know the thing, or it had no name of ours on that day."""
    params = {"thing": str(thing_iri(thing))}
    if day is not None:
        try:
            params["date"] = day.isoformat() if isinstance(day, date) else date.fromisoformat(day).isoformat()
        except ValueError as e:
            raise QueryError(f"{day!r} is not a date", "write it as YYYY-MM-DD, e.g. 2018-05-01") from e
    result = run_query(store, "name-at-date", params)
    out = []
    for row in result.rows:
        r = dict(zip(result.variables, row, strict=True))
        optional = (None if r[k] is None else str(r[k]) for k in ("acronym", "validFrom", "validThrough"))
        out.append(NameInForce(str(r["thing"]), str(r["name"]), *optional))
    return out
