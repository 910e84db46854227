"""Language profiles (data/languages/*.json): their shape, their CLDR calendar, and that every key has a reader.

The sentence -> facts fixtures of each language run in tests/test_fixtures.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from migkg.errors import MigkgError
from migkg.languages import EVENT_TYPES, Profile, _profile, for_language, profiles
from paths import REPO

LANGS = REPO / "data" / "languages"
PROFILE_FILES = sorted(p for p in LANGS.glob("*.json") if not p.name.startswith("_"))
REQUIRED = ("en", "fr", "es", "pt", "it", "de", "nl", "pl", "ru", "uk", "tr", "el", "ro", "ar", "id", "sq", "mk",
            "bs", "hr", "sr", "cnr", "sr-Cyrl")


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_profile_loads_and_is_well_formed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["code"] == path.stem
    p = profiles()[data["code"]]
    assert isinstance(p, Profile)
    assert set(p.event_nouns.values()) <= set(EVENT_TYPES)
    assert all(isinstance(v, int) and 1 <= v <= 100 for v in p.ordinals.values())
    assert all(isinstance(v, int) and 2 <= v <= 10 for v in p.cardinals.values()), f"{path.name}: cardinals 2-10"
    both = set(map(str.lower, p.cardinals)) & set(map(str.lower, p.ordinals))
    assert not both, f"{path.name}: both ordinal and cardinal: {both}"
    assert set(p.months.values()) == set(range(1, 13)), f"{path.name}: months incomplete"
    assert set(p.weekdays.values()) == set(range(7)), f"{path.name}: weekdays incomplete"
    assert len(p.function_words) >= 8, f"{path.name}: too few function words to detect the language"
    assert p.event_nouns and p.organizer_cues.all(), f"{path.name}: no event nouns or organizer cues"


def test_every_profile_key_has_a_reader():
    # the loader refuses a key it does not read; a typo in a profile is an error, not silence
    with pytest.raises(MigkgError, match="unknown key"):
        _profile({"code": "xx", "name": "X", "organiser_cues": {}}, {}, "xx.json")
    with pytest.raises(MigkgError, match="unknown direction"):
        _profile({"code": "xx", "name": "X", "organizer_cues": {"agent_later": []}}, {}, "xx.json")


def test_required_languages_have_profiles():
    missing = [c for c in REQUIRED if c not in profiles()]
    assert not missing, f"no profile for {missing}"


def test_cldr_calendar_is_current():
    pytest.importorskip("babel", reason="babel (a dev dependency) generates the CLDR tables")
    r = subprocess.run([sys.executable, str(REPO / "tools" / "gen_languages.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def test_serbian_cyrillic_is_current():
    # sr-Cyrl's words and organization aliases are the Latin ones transliterated (tools/gen_sr_cyrl.py)
    r = subprocess.run([sys.executable, str(REPO / "tools" / "gen_sr_cyrl.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def test_genitive_months_come_from_cldr():
    assert for_language("bs").months["maja"] == 5
    assert for_language("en").months["may"] == 5


def test_sections_read_with_their_own_profile_plus_english_names():
    fr = for_language("fr")
    assert "réunion" in fr.event_nouns and "meeting" in fr.event_nouns
    assert fr.articles and "the" not in fr.articles
    assert for_language("und") is for_language("en")
