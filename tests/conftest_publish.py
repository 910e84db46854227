"""Fixtures for the publishing tests: one store built from data/releases, shared by the session.

Import explicitly: ``from conftest_publish import publish_store  # noqa: F401``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.pipeline import build_store
from migkg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"


@pytest.fixture(scope="session")
def publish_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of an on-disk store holding every release under data/releases (built once, then read-only)."""
    path = tmp_path_factory.mktemp("publish") / "store"
    with open_store(path) as store:
        summary = build_store([RELEASES], store, jobs=1)
    assert summary.ok, [f.line() for f in summary.failures]
    return path
