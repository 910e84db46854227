"""The compiled dictionaries kept between runs (migkg.dictcache): read back as built, rebuilt when a dictionary
file changes, ignored with a warning when corrupt, and off when $MIGKG_CACHE_DIR is empty."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest

from migkg import dictcache, resources
from migkg.reference import Dictionaries, load
from migkg.resources import resource_dir

SENTENCES = [
    "IOM and the Ministry of Interior of North Macedonia met UNHCR in Skopje on 5 May.",
    "La OIM y el ACNUR se reunieron con la Policía de Fronteras de Bosnia y Herzegovina.",
    "The Western Balkans Border Police met in Tirana, Albania, with the EU Delegation to Serbia.",
]


@pytest.fixture
def dict_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the dictionaries, which the loader and the cache key read instead of the shipped ones,
    and an empty cache folder."""
    folder = tmp_path / "dictionaries"
    shutil.copytree(resource_dir("dictionaries"), folder)
    real = resource_dir

    def patched(kind: str) -> Path:
        return folder if kind == "dictionaries" else real(kind)

    monkeypatch.setattr(resources, "resource_dir", patched)
    monkeypatch.setattr(dictcache, "resource_dir", patched)
    monkeypatch.setenv(dictcache.CACHE_ENV, str(tmp_path / "cache"))
    return folder


def _load() -> tuple[Dictionaries, list[str]]:
    """Load through the cache as :func:`migkg.reference.load` does (without its per-process memo), noting builds."""
    built: list[str] = []

    def build() -> Dictionaries:
        built.append("built")
        return Dictionaries()

    key = dictcache.digest(("dictionaries", "languages"), ("migkg.reference", "migkg.names", "migkg.languages"))
    return dictcache.cached("dictionaries", key, build), built


def _finds(d: Dictionaries) -> list[str]:
    return [repr(d.trie.find(s)) + repr(d.places.find(s)) for s in SENTENCES]


def test_cache_is_read_back_as_built(dict_copy: Path) -> None:
    first, built = _load()
    assert built == ["built"]
    again, built = _load()
    assert built == []  # read from the cache
    assert again is not first
    assert _finds(again) == _finds(first)
    assert again.orgs == first.orgs and again.countries == first.countries and again.regions == first.regions
    assert again.place_country == first.place_country and again.renamings == first.renamings


def test_cache_is_rebuilt_when_a_dictionary_changes(dict_copy: Path) -> None:
    _load()
    orgs_file = dict_copy / "organizations.json"
    orgs = json.loads(orgs_file.read_text(encoding="utf-8"))
    orgs.append({"id": "test-zorblax-agency", "name": "Zorblax Migration Agency", "kind": "agency"})
    orgs_file.write_text(json.dumps(orgs, ensure_ascii=False), encoding="utf-8")
    d, built = _load()
    assert built == ["built"]
    assert [m.entry.key for m in d.trie.find("the Zorblax Migration Agency met")] == ["test-zorblax-agency"]
    assert len(list((dict_copy.parent / "cache").glob("dictionaries-*.pickle"))) == 2  # the newest few are kept


def test_corrupt_cache_is_ignored_with_a_warning(dict_copy: Path) -> None:
    first, _ = _load()
    (cached,) = (dict_copy.parent / "cache").glob("dictionaries-*.pickle")
    cached.write_bytes(cached.read_bytes()[:1000])  # truncated
    with pytest.warns(UserWarning, match="unreadable cache") as caught:
        d, built = _load()
    assert built == ["built"] and len(caught) == 1
    assert _finds(d) == _finds(first)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rewritten whole: no warning the next time
        _, built = _load()
    assert built == []


def test_empty_cache_dir_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dictcache.CACHE_ENV, "")
    assert dictcache.cache_dir() is None
    calls: list[int] = []
    assert dictcache.cached("x", "k", lambda: calls.append(1) or 5) == 5
    assert dictcache.cached("x", "k", lambda: calls.append(1) or 5) == 5
    assert calls == [1, 1]


def test_load_gives_the_same_names_as_a_fresh_build() -> None:
    assert _finds(load()) == _finds(Dictionaries())
