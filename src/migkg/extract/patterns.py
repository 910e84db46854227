"""Patterns the extraction passes share: compiled alternations of profile words, and the few shapes
that hold for every language (roman numerals, initialisms, brackets). Built once per profile (cached)."""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

from migkg.extract.orgs import initials_in_order
from migkg.extract.wordtrie import choice
from migkg.languages import unspaced_letters

QUOTED = r"[“\"„«‘']\s*(?P<title>[^“”\"„«»]{6,300}?)\s*[”\"“»’']"
ACRONYM = r"(?:\s*\((?P<acr>[A-Z][A-Za-z0-9\-–&]{1,15}(?:\s[IVX]+)?)\))?"
ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
CLAUSE_END = re.compile(r"[;:]|,\s+(?:which|who|where|while|and\s+(?:the|a|an)\b|in\s+order|to\s+\w+)|"
                         r"\s(?:in\s+the\s+framework|within|under|as\s+part)\b")


def roman(text: str) -> int | None:
    if not text or not ROMAN.match(text):
        return None
    values = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


NESTED_PARENTS = ("Ministry", "Department", "Secretariat", "Office")  # a NESTED match holds one of them as written
NESTED = re.compile(r"(?P<unit>(?:[A-Z][\w-]*\s+){1,4}(?:Directorate|Department|Unit|Service|Office|Sector|Division))"
                     r",\s+(?P<parent>(?:" + "|".join(NESTED_PARENTS) + r")\s+of\s+(?:the\s+)?[A-Z][\w-]*"
                     r"(?:\s+(?:and\s+)?[A-Z][\w-]*)*),\s+(?P<country>[A-Z][\w' -]+?)(?=,|\.|;|\s+and\b)")
PARTICIPLE_TAIL = re.compile(r"\s+(?:in|on|at|during|from|between|with)\b(?![^,.;]*\b(?:the|a|an|its|their)\s)")
ASIDE = re.compile(r"(?:in\s+(?:its|their|his|her)\s+(?:role|capacity)\s+as|as\s+(?:the\s+)?[a-z]\w*|which|who|"
                    r"acting\s+as|represented\s+by)\b", re.I)
BODY_PLURALS = {"Forces": "Force", "Ministries": "Ministry", "Services": "Service", "Agencies": "Agency",
                 "Offices": "Office", "Authorities": "Authority", "Directorates": "Directorate",
                 "Commissions": "Commission", "Committees": "Committee", "Councils": "Council", "Societies": "Society",
                 "Units": "Unit", "Centres": "Centre", "Centers": "Center"}
BODY_PLURAL_WORDS = re.compile("|".join(map(re.escape, BODY_PLURALS)))  # one of them anywhere: PLURAL_BODIES may match
PLURAL_BODIES = re.compile(
    r"(?P<plural>(?:[A-Z][\w-]*\s+){0,3}(?:" + "|".join(BODY_PLURALS) + r")"
    r"(?:\s+(?:for|of|on)\s+(?:[A-Z][\w-]*)(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w-]*)*)?)"
    r"(?:\s*\([^)]*\))?\s+(?:of|from|in)\s+(?:the\s+)?")


INTERNATIONAL = {"un", "intergovernmental", "eu", "agency", "regional-process", "red-cross", "development-bank", "ngo"}


@cache
def unit_rx(nouns: tuple[str, ...], preps: tuple[str, ...]) -> re.Pattern[str]:
    """' Regional Office in ', ' Delegation to ', ' Country Team', ' HQ' right after an organization's name."""
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    prep = "|".join(re.escape(p) for p in sorted({*preps, "to", "for"}, key=len, reverse=True))
    return re.compile(rf"[ \t]+({noun})\b(?:[ \t]+(?P<prep>(?:{prep})[ \t]+(?:the[ \t]+)?))?")


@cache
def by_rx(markers: tuple[str, ...], preps: tuple[str, ...]) -> re.Pattern[str] | None:
    """A passive agent after a verb, maybe after a place or a date: "held in Skopje by", "hosted on 5 May by"."""
    if not markers:
        return None
    by = "|".join(re.escape(w) for w in sorted(markers, key=len, reverse=True))
    prep = "|".join(re.escape(w) for w in sorted(preps, key=len, reverse=True)) or "in"
    return re.compile(rf"(?:\s+(?:{prep})\s+[A-Z][\w'’-]*(?:,\s*[A-Z][\w'’-]*)?|\s+(?:\w+\s+)?\d[^,]*?)?\s+(?:{by})\b")


@cache
def aux_rx(auxiliaries: tuple[str, ...]) -> re.Pattern[str] | None:
    """A passive auxiliary right before a verb ("was organized"): the verb's subject is no agent."""
    if not auxiliaries:
        return None
    aux = "|".join(re.escape(w) for w in sorted(auxiliaries, key=len, reverse=True))
    return re.compile(rf"\b(?:{aux})\s+(?:\w+ly\s+)?$", re.I)


def singular(plural: str) -> str:
    return " ".join(BODY_PLURALS.get(w, w) for w in plural.split())


@cache
def glued(pattern: str) -> str:
    """A pattern's word boundaries (``\\b``, ``(?<![\\w-])``, ``(?!\\w)``…) made to hold beside a letter of a
    script whose words are glued together (``letters`` of a profile): "主办" is found in "由国际移民组织主办的",
    "개최" in "개최했다". Text in other scripts is read as before."""
    glued_letters, spaced = unspaced_letters()
    letters = glued_letters + spaced
    if not letters:
        return pattern
    near = rf"(?<=[{letters}])|(?=[{letters}])"
    for edge in (r"(?<![\w-])", r"(?![\w-])", r"(?<!\w)", r"(?!\w)"):
        pattern = pattern.replace(edge, rf"(?:{edge}|{near})")
    return pattern.replace(r"\b", rf"(?:\b|{near})")


def _gap() -> str:
    """Spaces between words, or none between two letters of a script that writes no spaces ("该项目")."""
    letters = "".join(unspaced_letters())
    return rf"(?:\s+|(?<=[{letters}])(?=[{letters}]))" if letters else r"\s+"


GAP = _gap()


@cache
def _glued_letter() -> re.Pattern[str] | None:
    letters = "".join(unspaced_letters())
    return re.compile(rf"[{letters}]") if letters else None


def glued_before(text: str, at: int) -> bool:
    """Whether the character before ``at`` is a letter of a script whose words are glued together."""
    letter = _glued_letter()
    return letter is not None and at > 0 and letter.match(text[at - 1]) is not None


def _any_glued(words: tuple[str, ...]) -> bool:
    """Whether a word list holds a word in glued letters (a Chinese cue, a Thai noun): only then do its
    boundaries need to hold beside them (other lists keep the plain, faster boundaries)."""
    letters = "".join(unspaced_letters())
    return bool(letters) and any(re.search(rf"[{letters}]", w) for w in words)


@lru_cache(maxsize=4096)
def whole(word: str) -> re.Pattern[str]:
    """``word`` where it stands alone: not inside a longer word or a hyphenated compound. Kept compiled (names
    and acronyms of every release: re's own cache of 512 patterns overflowed, and each was compiled again)."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


@cache
def alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    body = choice(words)
    edge = glued if _any_glued(words) else str
    return re.compile(edge(r"(?<![\w-])(") + body + edge(r")\b"), re.I)


def inflected(a: str, b: str) -> bool:
    """Two names of the same words with other endings: each pair shares all but its last three letters."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or a == b:
        return False
    for x, y in zip(wa, wb, strict=True):
        common = len(os.path.commonprefix([x, y]))
        if x != y and (common < 4 or common < max(len(x), len(y)) - 3):
            return False
    return True


def initialism(acronym: str, name: str) -> bool:
    """Whether an acronym abbreviates the name it follows: its letters are initials of the name's words,
    in order, starting with the first ("SOM" after "Task Forces for ... Smuggling of Migrants" is not)."""
    initials = [w[0].upper() for w in re.findall(r"[\w'’]+", name)]
    letters = [c for c in acronym.upper() if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    return initials_in_order("".join(letters), initials)


@cache
def anchors(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The longest word of each phrase: a cheap test before running a long alternation."""
    return tuple({max(p.lower().replace("-", " ").split(), key=len) for p in phrases})


_GROUPS = re.compile(r"(?:\((?:\?:|\?P<\w+>)?)+")  # group openers only: what a prefix may hold after its word edge


@cache
def words_rx(prefix: str, words: tuple[str, ...], suffix: str) -> re.Pattern[str]:
    body = choice(words)
    if prefix.startswith(r"\b") and _GROUPS.fullmatch(prefix[2:]) and words and all(
            w[:1].isalnum() or w[:1] == "_" for w in words):
        # every match starts with a word character: the edge before it is "no word character before", which the re
        # engine tests faster than \b (the same matches)
        prefix = r"(?<!\w)" + prefix[2:]
    edge = glued if _any_glued(words) else str
    return re.compile(edge(prefix) + body + edge(suffix), re.I)
