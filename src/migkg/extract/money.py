"""Sums of money in running text: "EUR 1.7 million", "€83 million", "USD 10 million", "1,7 millions d'euros",
"100 million euros", "CAD 9 million", "US$ 5 million".

Currency codes and symbols come from ``data/dictionaries/currencies.tsv`` (ISO 4217); currency words and
scale words ("million", "millones", "Millionen") from the language profile. A number is read with the
separators it shows: "10,000,000" and "10.000.000" are ten million, "1.7" and "1,7" before a scale word
are decimals. Nothing is guessed: a sum without a currency is no sum.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from migkg.languages import Profile
from migkg.resources import resource


@dataclass(frozen=True)
class Money:
    value: Decimal
    currency: str  # ISO 4217
    start: int
    end: int


@cache
def _currencies() -> tuple[dict[str, str], dict[str, str]]:
    codes: dict[str, str] = {}
    symbols: dict[str, str] = {}
    with resource("dictionaries", "currencies.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            codes[row["code"]] = row["code"]
            if row["symbol"]:
                symbols[row["symbol"]] = row["code"]
    return codes, symbols


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code ("EUR", "USD")."""
    return code in _currencies()[0]


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


_NUMBER = r"\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


@cache
def _pattern(p: Profile) -> re.Pattern[str]:
    codes, symbols = _currencies()
    code = rf"(?:US\$|{_alt(list(symbols))}|\b(?:{_alt(list(codes))})\b)"
    word = _alt(list(p.currency_words))
    scale = _alt(list(p.number_scales))
    return re.compile(
        rf"(?P<cur1>{code})\s?(?P<n1>{_NUMBER})(?:\s?(?P<s1>(?i:{scale}))\b\.?)?"
        rf"|\b(?P<n2>{_NUMBER})(?:\s?(?P<s2>(?i:{scale}))\b\.?)?(?:\s+(?:{_alt(p.of_words)}))?\s?"
        rf"(?P<cur2>{code}|\b(?i:{word})\b)")


def _number(text: str, scaled: bool) -> Decimal | None:
    digits = text.replace("\u00a0", " ")
    if re.fullmatch(r"\d{1,3}(?:([,. ])\d{3})(?:\1\d{3})*", digits) and not scaled:
        digits = re.sub(r"[,. ]", "", digits)  # thousands separators
    else:
        m = re.fullmatch(r"(.*?)[.,](\d{1,2})", digits)
        digits = (re.sub(r"[,. ]", "", m.group(1)) + "." + m.group(2)) if m else re.sub(r"[,. ]", "", digits)
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def find_money(text: str, p: Profile) -> list[Money]:
    """Every sum with its currency in text, left to right."""
    if not any(c.isdigit() for c in text):
        return []
    codes, symbols = _currencies()
    words = {k.lower(): v for k, v in p.currency_words.items()}
    scales = {k.lower(): v for k, v in p.number_scales.items()}
    out: list[Money] = []
    for m in _pattern(p).finditer(text):
        n, s, cur = (m.group("n1"), m.group("s1"), m.group("cur1")) if m.group("n1") else (
            m.group("n2"), m.group("s2"), m.group("cur2"))
        value = _number(n, bool(s))
        if value is None:
            continue
        if s:
            value *= Decimal(str(scales[s.lower()]))
        code = "USD" if cur == "US$" else symbols.get(cur) or codes.get(cur.upper() if len(cur) == 3 else "") \
            or words.get(cur.lower())
        if code:
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            out.append(Money(value, code, m.start(), m.end()))
    return out
