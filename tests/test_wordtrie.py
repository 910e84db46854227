"""The word lists of the profiles as regular expressions (migkg.extract.wordtrie.choice): a trie of letters must
find exactly what the flat alternation sorted longest first finds, case-insensitively or not."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from migkg.extract.wordtrie import _case_key, choice
from migkg.languages import profiles

# letters the re engine equates in unusual ways (long s, Kelvin sign, the sigmas, dotted and dotless i, sharp s)
TRICKY = "aAsSſσςΣiIİıßẞkKKeéÉ -'"
EDGES = [(r"(?<![\w-])(", r")\b"), (r"\b(", r")s?\b"), (r"(?:", r")"), (r"(?P<cue>", r")\s+(?:the\s+)?")]


def _flat(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _same(words: list[str], text: str, flags: int) -> None:
    for prefix, suffix in EDGES:
        flat = re.compile(prefix + _flat(words) + suffix, flags)
        trie = re.compile(prefix + choice(words, ignorecase=bool(flags & re.I)) + suffix, flags)
        for start in range(len(text) + 1):
            assert [(m.span(), m.groups()) for m in flat.finditer(text, start)] == \
                   [(m.span(), m.groups()) for m in trie.finditer(text, start)], (words, text, prefix)
            a, b = flat.match(text, start), trie.match(text, start)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(TRICKY, min_size=0, max_size=6), max_size=8), st.text(TRICKY, max_size=24))
def test_choice_finds_what_the_flat_alternation_finds(words: list[str], text: str) -> None:
    _same(words, text, re.I)
    _same(words, text, 0)


def test_choice_on_profile_lists() -> None:
    text = ("The Ministers met at the meeting; meetings, MEETINGS and Meetings took place. Οι υπουργοί συναντήθηκαν "
            "στη ΣΥΝΑΝΤΗΣΗ. İçişleri Bakanlığı toplantıya katıldı. Die Straße, STRASSE. co-organised, co-organized by")
    for p in profiles().values():
        for words in (list(p.event_nouns), list(p.organizer_cues.all()), list(p.participant_cues.all())):
            _same(words, text, re.I)


def test_case_keys_join_what_the_engine_joins() -> None:
    for a, b in ["mM", "σς", "σΣ", "iI", "iİ", "iı", "ſs", "Kk", "ßẞ", "\u0390\u1fd3"]:
        assert _case_key(a) == _case_key(b)
    for a, b in ["ae", "ée", "sß"]:
        assert _case_key(a) != _case_key(b)
