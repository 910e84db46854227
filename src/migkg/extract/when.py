"""Event dates in running text: single days, ranges, month-only dates, numeric and relative dates.

Every result keeps its precision: a month without a day stays ``YYYY-MM``; a day and month
without a year take the publication year; with no publication date either, the date stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from migkg.extract.patterns import glued
from migkg.extract.wordtrie import choice
from migkg.languages import Profile, any_language, for_language


@dataclass(frozen=True)
class When:
    start: str  # ISO date or YYYY-MM
    end: str | None
    begin: int  # character offsets in the searched text
    stop: int


_ORD = r"(?:st|nd|rd|th|er|e|º|°|ª|-?го|-?я)?"


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """The words, longest first, as a trie of letters (every pattern here is compiled with re.IGNORECASE)."""
    return choice(words)


_DIGITS_LED = re.compile(r"\\b\(\?P<(\w+)>\\d\{(\d)(?:,(\d))?\}\)")
_MONTH_LED = re.compile(r"(?:\\b|\(\?:\\b\|\(\?<=\[[^]]*\]\)\|\(\?=\[[^]]*\]\)\))\(\?P<m1>")


def _fast(kind: str, rx: re.Pattern[str]) -> tuple[str, re.Pattern[str], bool]:
    """A date pattern as :func:`find_dates` runs it: one that opens with a word edge and digits
    (``\\b(?P<d1>\\d{1,2})``) opens with the digit instead, its edge tested after it (``(?<!\\w\\d)``: the digit is a
    word character, so "no word character before the digit" is the same test), case-sensitively: the re engine then
    skips to the next digit instead of trying every position (the same matches); and whether it opens with its month
    (its match starts where a month name does, so the search may start at the first month name of the text)."""
    led = _DIGITS_LED.match(rx.pattern)
    if led:
        name, least, most = led.group(1), int(led.group(2)), int(led.group(3) or led.group(2))
        rest = rf"\d{{{least - 1},{most - 1}}}" if most > 1 else ""
        rx = re.compile(rf"(?P<{name}>(?-i:\d)(?<!\w\d){rest})" + rx.pattern[led.end():], rx.flags)
    elif rx.pattern.startswith(r"(?<![\d/.-])(?P<d1>\d{1,2})"):  # num-dd
        rx = re.compile(r"(?P<d1>\d(?<![\d/.-]\d)\d?)" + rx.pattern[len(r"(?<![\d/.-])(?P<d1>\d{1,2})"):], rx.flags)
    return kind, rx, _MONTH_LED.match(rx.pattern) is not None


@cache
def _patterns(p: Profile) -> list[tuple[str, re.Pattern[str], bool]]:
    """The date patterns of a profile, in the order they are tried: (kind, pattern, whether it opens with its
    month)."""
    return [_fast(kind, rx) for kind, rx in _date_patterns(p)]


def _date_patterns(p: Profile) -> list[tuple[str, re.Pattern[str]]]:
    mon = _alt(list(p.months))
    dash = r"\s*(?:-|–|—|" + _alt(p.range_connectors or ("to",)) + r")\s*"
    fill = r"(?:\s+(?:" + _alt(p.date_fillers) + r"))?" if p.date_fillers else ""
    suffix = r"(?:\s*(?:" + _alt(p.year_suffixes) + r"))?" if p.year_suffixes else ""
    year = rf"(?:,?{fill}\s*(?P<y>\d{{4}})\.?{suffix})?"
    _DASH = dash
    # "2019年5月17日", "2019년 5월 17일": a day suffix, and no space needed between the parts
    day = r"(?:" + _alt(p.day_suffixes) + r")?" if p.day_suffixes else ""
    gap = r"\s*" if p.day_suffixes else r"\s+"
    edge = glued if p.letters else str  # "于2019年": a year written onto a glued letter
    ymd = edge(rf"\b(?P<y>\d{{4}})\.?{suffix}{gap}(?P<m1>{mon})\.?{gap}(?P<d1>\d{{1,2}})\.?(?:-\w+)?{day}")
    said = "(?:" + _alt(p.year_suffixes) + ")" if p.year_suffixes and p.word_spaces else ""
    return [
        # year first: 2023. május 15–16-án; 2023 m. gegužės 15 d.; 2019年5月17日至18日
        ("y-m-dd", re.compile(rf"{ymd}{_DASH}(?P<d2>\d{{1,2}})(?!\d){day}", re.I)),
        ("y-m-d", re.compile(rf"{ymd}(?!\d)", re.I)),
        # year first, then day and month, the year's word written: 2023 წლის 10-11 ოქტომბერს; 2022 წლის ივნისში
        *([("y-dd-m", re.compile(rf"\b(?P<y>\d{{4}})\s*{said}\s+(?P<d1>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})"
                                 rf"\s+(?P<m1>{mon})(?![\w-])", re.I)),
           ("y-d-m", re.compile(rf"\b(?P<y>\d{{4}})\s*{said}\s+(?P<d1>\d{{1,2}})\s+(?P<m1>{mon})(?![\w-])", re.I)),
           ("m-y", re.compile(rf"\b(?P<y>\d{{4}})\s*{said}\s+(?P<m1>{mon})(?![\w-])", re.I))] if said else []),
        # 27 October – 2 November 2019
        ("dm-dm", re.compile(rf"\b(?P<d1>\d{{1,2}}){_ORD}\.?{fill}\s+(?P<m1>{mon})\.?{_DASH}(?P<d2>\d{{1,2}}){_ORD}\.?"
                             rf"{fill}\s+(?P<m2>{mon})\.?{year}", re.I)),
        # October 27 – November 2, 2019
        ("md-md", re.compile(rf"\b(?P<m1>{mon})\.?\s+(?P<d1>\d{{1,2}}){_ORD}{_DASH}(?P<m2>{mon})\.?\s+"
                             rf"(?P<d2>\d{{1,2}}){_ORD}{year}", re.I)),
        # 14-16 June 2021, 18th and 19th May 2016, 11- 12 September, 2022
        ("dd-m", re.compile(rf"\b(?P<d1>\d{{1,2}}){_ORD}\.?{_DASH}(?P<d2>\d{{1,2}}){_ORD}\.?{fill}\s+"
                            rf"(?P<m1>{mon})\.?{year}", re.I)),
        # April 9-10, 2019; June 14 and 15, 2022
        ("m-dd", re.compile(rf"\b(?P<m1>{mon})\.?\s+(?P<d1>\d{{1,2}}){_ORD}{_DASH}(?P<d2>\d{{1,2}}){_ORD}\b{year}",
                            re.I)),
        # 17 May 2019; 17. maja 2019. godine; 3rd of June
        ("d-m", re.compile(rf"\b(?P<d1>\d{{1,2}}){_ORD}\.?{fill}\s+(?P<m1>{mon})\b\.?{year}", re.I)),
        # May 17, 2019
        ("m-d", re.compile(rf"\b(?P<m1>{mon})\.?\s+(?P<d1>\d{{1,2}}){_ORD}\b{year}", re.I)),
        # 5月17日, 5월 17일: month then day and its suffix, no year
        *([("m-d-suffix", re.compile(edge(rf"\b(?P<m1>{mon}){gap}(?P<d1>\d{{1,2}}){day}(?:{_DASH}"
                                           rf"(?P<d2>\d{{1,2}}){day})?(?!\d)"), re.I))] if day else []),
        # (25-26/09), 25-26.09.2019: a range of days in a numeric month, day first
        ("num-dd", re.compile(r"(?<![\d/.-])(?P<d1>\d{1,2})\s*[-–]\s*(?P<d2>\d{1,2})[/.](?P<m>\d{1,2})"
                              r"(?:[/.](?P<y>\d{4}))?(?![\d/-])")),
        # 06/02/2018 or 06.02.2018
        ("num", re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})\b")),
        # December 2024
        ("m-y", re.compile(rf"\b(?P<m1>{mon})\.?,?{fill}\s+(?P<y>\d{{4}})\b", re.I)),
        # planned in October: a month alone after "in", in the year the release speaks of
        ("m", re.compile(rf"\b(?:{_alt(p.place_prepositions or ('in',))})\s+(?P<m1>{mon})\b(?![\s,.]*\d)", re.I)),
        # took place in 2006: a year alone after "in" (an event of another year, told in the background)
        ("y", re.compile(rf"\b(?:{_alt(p.place_prepositions or ('in',))})\s+(?P<y>(?:19|20)\d\d)\b"
                         r"(?![\d/.–-]|\s*[–-]\s*\d)", re.I)),
    ]


@cache
def _month_rx(p: Profile) -> re.Pattern[str]:
    """Any month name of the profile, anywhere (as the date patterns read them: case-insensitive); a profile
    without months matches everywhere (its patterns are all tried, as before). Every pattern of _patterns with a
    month group (?P<m1>…) needs one: keep that group required, or find_dates skips the pattern wrongly."""
    return re.compile(_alt(list(p.months)), re.I)


_DIGIT = re.compile(r"\d")
# no word of them is the start of another, so at a position at most one can match: as a trie, the same matches
_RELATIVE = re.compile(
    r"\b(?P<word>" + _alt(("yesterday", "today", "tomorrow", "this week", "last week", "last month", "this month"))
    + r")\b(?:\s*\((?P<a>\d{1,2})[/.](?P<b>\d{1,2})\))?", re.I)
_WEEKDAY = re.compile(
    r"\b(?:on\s+|last\s+|this\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"(?:\s*\((?P<d>\d{1,2})(?:[/.](?P<m>\d{1,2})|\s+(?P<mon>[A-Za-z]+))\))?", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@cache
def _weekday_rx(p: Profile) -> re.Pattern[str]:
    """_WEEKDAY with the profile's weekday names as well ("mercredi", "miércoles")."""
    words = [*(w for w in p.weekdays if len(w) > 3), *_WEEKDAYS]
    days = _alt(words)
    # a match starts with "on", "last", "this" or a day's name: its first letters tested once (the same matches)
    firsts = "".join(re.escape(c) for c in dict.fromkeys(["o", "l", "t", *(w[0] for w in words)]))
    return re.compile(rf"\b(?=[{firsts}])(?:on\s+|last\s+|this\s+)?(?P<wd>{days})\b"
                      r"(?:\s*\((?P<d>\d{1,2})(?:[/.](?P<m>\d{1,2})|\s+(?P<mon>[A-Za-z]+))\))?", re.I)


def _year_of_weekday(text: str, at: int, p: Profile, guess: int, month: int, day: int) -> int | None:
    """The year of "ce mercredi 2 mai" when only a guess is known (the latest year the text names): the first
    year from the guess on whose day falls on that weekday; none within six years, no year at all."""
    before = re.search(r"([^\W\d_]+)[\s,]*$", text[max(0, at - 20):at])
    wd = before.group(1).lower() if before else ""
    target = _WEEKDAYS.index(wd) if wd in _WEEKDAYS else p.weekdays.get(wd)
    if target is None:
        return guess
    for y in range(guess, guess + 7):
        try:
            if date(y, month, day).weekday() == target:
                return y
        except ValueError:
            continue
    return None


def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if y is None or m is None:
        return None
    try:
        return date(y, m, d).isoformat() if d else f"{y:04d}-{m:02d}"
    except ValueError:
        return None


def find_dates(text: str, published: date | None, profile: Profile | None = None,
               year: int | None = None) -> list[When]:
    """All date expressions in text, left to right, without overlaps, read with a language's
    profile (months, fillers such as "de", range connectors, year suffixes such as "godine"). A date
    without a year takes the publication year, else ``year`` (the year the release speaks of)."""
    profile = profile or any_language()
    months = profile.months
    found: list[When] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    digits = _DIGIT.search(text) is not None  # every pattern but "m" needs one
    # the patterns with a month group need a month name (looked for only where the digits make it worth it)
    month = _month_rx(profile).search(text) if digits else None
    months_here = not digits or month is not None
    for kind, rx, month_led in _patterns(profile):
        if (not digits and kind != "m") or (not months_here and "(?P<m1>" in rx.pattern):
            continue
        # a pattern that opens with its month matches nowhere before the first month name (the same search, skipped)
        for m in rx.finditer(text, month.start() if month_led and month is not None else 0):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            y = int(g["y"]) if g.get("y") else (published.year if published else year)
            if g.get("y") and profile.year_offset and y - profile.year_offset > 1900:
                y -= profile.year_offset  # "17 พฤษภาคม 2562": a Buddhist-era year
            if not g.get("y") and not published and y is not None and g.get("d1") and g.get("m1"):
                y = _year_of_weekday(text, m.start(), profile, y, months[g["m1"].lower()], int(g["d1"]))
            start = end = None
            if kind == "num":
                a, b = int(g["a"]), int(g["b"])
                if "." in m.group() or a > 12 >= b:  # 12.10.2021: dots are written day first
                    start = _iso(y, b, a)
                elif b > 12 >= a:
                    start = _iso(y, a, b)
                elif a == b:
                    start = _iso(y, a, a)
                else:
                    continue  # ambiguous day/month: decide nothing
            elif kind == "num-dd":
                d1, d2, mm = int(g["d1"]), int(g["d2"]), int(g["m"])
                if not (d1 < d2 <= 31 and 1 <= mm <= 12):
                    continue
                start, end = _iso(y, mm, d1), _iso(y, mm, d2)
            elif kind == "y":
                start = g["y"]
            elif kind == "m-y":
                start = _iso(y, months[g["m1"].lower()], None)
            elif kind == "m":
                if g["m1"][:1].islower() and profile.code == "en":
                    continue  # "in may": a verb, not May (English writes months with a capital)
                start = _iso(y, months[g["m1"].lower()], None)
                if start:
                    found.append(When(start, None, m.start("m1"), m.end()))
                    taken.append((m.start("m1"), m.end()))
                continue
            else:
                m1 = months[g["m1"].lower()]
                m2 = months[g["m2"].lower()] if g.get("m2") else m1
                d1 = int(g["d1"])
                d2 = int(g["d2"]) if g.get("d2") else None
                start = _iso(y, m1, d1)
                if d2 is not None:
                    y2 = y + 1 if (y is not None and m2 < m1) else y
                    end = _iso(y2, m2, d2)
                    if start and end and end < start:
                        end = None
                    joined_by_and = re.search(r"\d\s*(?:and|&)\s*\d", m.group())
                    gap = (date.fromisoformat(end) - date.fromisoformat(start)).days if start and end else 0
                    if joined_by_and and gap > 1:
                        # "May 22 and 27": two days, not a range
                        second = re.search(r"(?:and|&)\s*(\d)", m.group())
                        at = m.start() + (second.start(1) if second else 0)
                        found.append(When(end, None, at, m.end()))
                        end = None
            if start:
                found.append(When(start, end if end != start else None, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    if published:
        dated = list(found)  # a weekday written just before its date ("mercredi 2 mai") is left to the date
        found.extend(w for w in _relative(text, published, profile) if free(w.begin, w.stop)
                     and not any(0 <= x.begin - w.stop <= 3 for x in dated))
    return sorted(found, key=lambda w: w.begin)


@cache
def _own_relative(words: tuple[tuple[str, int], ...]) -> re.Pattern[str] | None:
    """The section language's own day words ("jučer", "gestern", "kemarin")."""
    own = [w for w, _ in words if w.lower() not in ("yesterday", "today", "tomorrow")]
    return re.compile(rf"(?<!\w)(?:{_alt(own)})(?!\w)", re.I) if own else None


@cache
def _own_days(profile: Profile | None) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    """The section language's day words as :func:`_own_relative` finds them, and each one's days from the
    publication date (lower case), once per profile."""
    days = dict(profile.relative_dates) if profile else {}
    deltas = {k.lower(): v for k, v in days.items()}
    return _own_relative(tuple(sorted((k.lower(), v) for k, v in days.items()))), deltas


def _relative(text: str, published: date, profile: Profile | None = None) -> list[When]:
    out = []
    rx, deltas = _own_days(profile)
    for m in rx.finditer(text) if rx else ():
        delta = deltas[m.group().lower()]
        out.append(When((published + timedelta(days=delta)).isoformat(), None, m.start(), m.end()))
    for m in _RELATIVE.finditer(text):
        word = m.group("word").lower()
        if m.group("a"):
            a, b = int(m.group("a")), int(m.group("b"))
            iso = _iso(published.year, b, a) if a <= 31 and b <= 12 else None
            if iso and iso > published.isoformat():
                iso = _iso(published.year - 1, b, a)
        elif word in ("yesterday", "today", "tomorrow"):
            delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
            iso = (published + timedelta(days=delta)).isoformat()
        elif word in ("this week", "this month"):
            iso = published.isoformat()[:7]
        elif word == "last month":
            iso = (published.replace(day=1) - timedelta(days=1)).isoformat()[:7]
        else:  # last week: its month only, and only when the whole week lies in one month
            monday = published - timedelta(days=published.weekday() + 7)
            sunday = monday + timedelta(days=6)
            iso = monday.isoformat()[:7] if monday.month == sunday.month else None
        if iso:
            out.append(When(iso, None, m.start(), m.end()))
    weekdays = (profile or for_language("en")).weekdays
    for m in _weekday_rx(profile or for_language("en")).finditer(text):
        if m.group("d") and (m.group("m") or m.group("mon")):
            month = int(m.group("m")) if m.group("m") else for_language("en").months.get(m.group("mon").lower())
            iso = _iso(published.year, month, int(m.group("d")))
        else:
            wd = m.group("wd").lower()
            target = _WEEKDAYS.index(wd) if wd in _WEEKDAYS else weekdays[wd]
            back = (published.weekday() - target) % 7
            iso = (published - timedelta(days=back)).isoformat()
        if iso:
            out.append(When(iso, None, m.start(), m.end()))
    return out
