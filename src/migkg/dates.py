"""Calendar helpers shared by ingest (publication dates) and extract (event dates).

Month names come from the language profiles (``data/languages/``); nothing here guesses a
year or a day that the text does not give.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from migkg.languages import all_months, any_language


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
    fillers = "|".join(re.escape(w) for w in sorted(any_language().date_fillers, key=len, reverse=True))
    fill = rf"(?:\s+(?:{fillers}))?" if fillers else ""
    return (
        re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
        re.compile(rf"\b(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I),
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?{fill}\s+(?P<mon>{months})\b\.?,?{fill}\s+(?P<y>\d{{4}})",
                   re.I),
        re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})"),
        # 09/23/2021: slashes are read only when one number cannot be a month
        re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\b"),
    )


def parse_date(text: str) -> date | None:
    """Parse one full date written in a common form ("Wednesday, May 22, 2019", "22 May 2019",
    "22. maja 2019.", "12 de diciembre de 2017", "2019-05-22", "22.05.2019", "09/23/2021"); None when
    no complete date is found."""
    found = _find_date(text)
    return found[0] if found else None


def _find_date(text: str, day_first: bool = False) -> tuple[date, int] | None:
    """The first full date in text and where it starts; a numeric date whose day and month cannot be told
    apart ("06/02/2018") is read day first when ``day_first``, else skipped."""
    for rx in _published_regexes():
        for m in rx.finditer(text):
            groups = m.groupdict()
            if groups.get("a"):
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12 >= b:
                    groups["d"], groups["m"] = str(a), str(b)
                elif b > 12 >= a:
                    groups["d"], groups["m"] = str(b), str(a)
                elif day_first:
                    groups["d"], groups["m"] = str(a), str(b)
                else:
                    continue  # 06/02/2018: day and month cannot be told apart
            month = int(groups["m"]) if groups.get("m") else month_names().get(groups["mon"].lower())
            try:
                return date(int(groups["y"]), int(month or 0), int(groups["d"])), m.start()
            except ValueError:
                continue
    return None


_DATELINE_END = re.compile(r"\s[–—-]\s|:\s|\s\(|/[A-Z]{2,}\b|\.\s|\n")


def dateline_date(body: str) -> date | None:
    """The date of a dateline opening the body ("Tirana 5 November 2018: …", "NASSAU, Bahamas,
    12 de diciembre de 2017 (ACNUR) – …", "Skopje - 16 November 2022 - …"), for releases without a
    date header. Only the first line's head is read, up to where the dateline ends."""
    first = body.lstrip().split("\n", 1)[0][:160]
    head = first
    for m in _DATELINE_END.finditer(first):
        if re.search(r"\d{4}", first[:m.start()]):
            head = first[:m.start()]
            break
    # a dateline written as numbers is day first, as outside the United States ("06/02/2018 - IOM …");
    # a header ("Date Publish: 09/23/2021") is read as it comes
    found = _find_date(head, day_first=True)
    if found is None:
        return None
    before = head[:found[1]]
    # only a dateline: nothing before the date, a place ("Tirana 5 November"), or a place and a comma or dash
    if before.strip() and not re.fullmatch(r"(?:[^\W\d_][\w'’.()]*[ ,–—-]*)+", before.strip() + " ") or \
            re.search(r"\b[a-z]{4,}", before):
        return None
    return found[0]
