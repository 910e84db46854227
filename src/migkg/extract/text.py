"""Sentences with their offsets, and footnotes (lines starting with an asterisk)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from migkg.languages import unspaced_letters

_ABBREV = {"u.s", "u.k", "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "e.g", "i.e", "etc", "jan", "feb",
           "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "h.e", "prof", "gen", "col",
           "amb", "approx", "inc", "ltd", "co", "op", "art", "para"}
MAX_SENTENCE = 2000  # characters; longer "sentences" are cut at spaces
# then a capital, digit or caseless letter; after a full-width stop (Chinese, Japanese) no space is written
_SHORT = re.compile(r"[a-z]|\d{1,2}")  # a letter or a number of one or two digits
_INITIALS = re.compile(r"\b[A-Z]\.[A-Z]$")
_BOUNDARY = re.compile(r"(?<=[.!?؟])[\"'”’»)]*\s+(?=[\"'“„«(]?[^\W_])|(?<=[。！？])[」』\"'”’»)）]*\s*(?=\S)")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the release text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split text into sentences at paragraph breaks and at end punctuation before a capital,
    except after common abbreviations ("U.S.", "Mr.") and single initials."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        chunk, base = para.group(), offset + para.start()
        pos = 0
        for m in _BOUNDARY.finditer(chunk):
            if chunk[m.end():m.end() + 2].lstrip("\"'“„«(")[:1].islower():
                continue  # a lower-case letter goes on the sentence (scripts without case never are lower)
            before = chunk[pos:m.start()].rstrip("\"'”’»)")
            # the word that ends it (a search for r"(\S+)$" through the whole chunk at every boundary is slow)
            word = before.split()[-1].rstrip(".").lower() if before and not before[-1].isspace() else ""
            # (the initials "U.S" end the text before the dot: three characters and the one before them, searched alone)
            if word in _ABBREV or _SHORT.fullmatch(word) or _INITIALS.search(before[:-1][-4:]) \
                    or _glued_abbreviation(word):
                continue
            piece = chunk[pos:m.start()]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.extend(_bounded(piece.strip(), base + pos + lead))
            pos = m.end()
        piece = chunk[pos:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.extend(_bounded(piece.strip(), base + pos + lead))
    return out


def _glued_abbreviation(word: str) -> bool:
    """A word of glued letters with a dot inside: an abbreviation ("มิ.ย.", "พ.ศ."), no sentence end."""
    dotted = _glued_dotted()
    return dotted is not None and "." in word and dotted.fullmatch(word) is not None


@cache
def _glued_dotted() -> re.Pattern[str] | None:
    letters = "".join(unspaced_letters())
    return re.compile(rf"[{letters}.]+") if letters else None


def _bounded(text: str, start: int) -> list[Sentence]:
    """A sentence, or pieces of at most MAX_SENTENCE characters cut at spaces when it is longer.

    A megabyte without a full stop is not a sentence; cutting it keeps the rules (several of which
    look at every pair of matches in a sentence) linear in the size of the release."""
    if len(text) <= MAX_SENTENCE:
        return [Sentence(text, start)]
    out: list[Sentence] = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + MAX_SENTENCE)
        if end < len(text):
            cut = text.rfind(" ", pos + MAX_SENTENCE // 2, end)
            end = cut if cut > pos else end
        piece = text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(piece.strip(), start + pos + lead))
        pos = end
    return out


def footnotes(text: str) -> dict[str, str]:
    """Footnotes marked with asterisks: {"*": "References to Kosovo shall be understood ..."}."""
    notes: dict[str, str] = {}
    for m in re.finditer(r"^[ \t]*(\*+)[ \t]*(\S[^\n]*)$", text, re.M):
        notes.setdefault(m.group(1), m.group(2).strip())
    return notes


def is_footnote(sentence: Sentence) -> bool:
    return sentence.text.startswith("*")
