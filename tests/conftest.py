"""Shared fixtures: repository paths and stores built once per session from the committed releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.pipeline import build_store
from migkg.store import open_store
from paths import RELEASES, SEED


def build_into_store(tmp_path_factory: pytest.TempPathFactory, name: str, paths: list[Path]) -> Path:
    """Build ``paths`` into a fresh on-disk store and return its folder; every release must load."""
    path = tmp_path_factory.mktemp(name) / "store"
    with open_store(path) as store:
        summary = build_store(list(paths), store, jobs=1)
    assert summary.ok, [f.line() for f in summary.failures]
    return path


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the seed release."""
    return build_into_store(tmp_path_factory, "seed", [SEED])


@pytest.fixture(scope="session")
def corpus_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every committed release."""
    return build_into_store(tmp_path_factory, "corpus", [RELEASES])
