"""Shared fixtures: repository paths and stores built once per session from the committed releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.pipeline import build_store
from migkg.store import open_store
from paths import RELEASES, SEED


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the seed release."""
    path = tmp_path_factory.mktemp("seed") / "store"
    with open_store(path) as store:
        summary = build_store([SEED], store, jobs=1)
    assert summary.ok, [f.line() for f in summary.failures]
    return path


@pytest.fixture(scope="session")
def corpus_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every committed release."""
    path = tmp_path_factory.mktemp("corpus") / "store"
    with open_store(path) as store:
        summary = build_store([RELEASES], store, jobs=1)
    assert summary.ok, [f.line() for f in summary.failures]
    return path
