"""Calendar helpers shared by ingest (publication dates) and extract (event dates).

Month names come from the language profiles (``data/languages/``); nothing here guesses a
year or a day that the text does not give.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from migkg.languages import all_months


@cache
def month_names() -> dict[str, int]:
    """Every month name and abbreviation known in any language, lower-cased, mapped to 1..12."""
    return all_months()


def month_pattern() -> str:
    """A regex alternation of all month names, longest first."""
    return "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))


@cache
def _published_regexes() -> tuple[re.Pattern[str], ...]:
    months = month_pattern()
    return (
        re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
        re.compile(rf"(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I),
        re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<mon>{months})\.?,?\s+(?P<y>\d{{4}})", re.I),
        re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})"),
    )


def parse_date(text: str) -> date | None:
    """Parse one full date written in a common form ("Wednesday, May 22, 2019", "22 May 2019",
    "22. maja 2019.", "2019-05-22", "22.05.2019"); None when no complete date is found."""
    for rx in _published_regexes():
        m = rx.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["m"]) if groups.get("m") else month_names().get(groups["mon"].lower())
        try:
            return date(int(groups["y"]), int(month or 0), int(groups["d"]))
        except ValueError:
            continue
    return None
