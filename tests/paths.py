"""Paths of the repository's test data, anchored to this file."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELEASES = REPO / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"
GOLD = REPO / "tests" / "gold"
SHARED = REPO.parent / "shared"
KGSCORE = SHARED / "tools" / "kgscore.py"
DEV = SHARED / "dev"
REQUIRE_SHARED = "MIGKG_REQUIRE_SHARED"


def need_shared(path: Path, why: str) -> Path:
    """``path`` under ../shared beside the checkout, or skip saying why (fail when CI requires it).

    A clone without ../shared runs the suite green with these tests skipped; CI sets
    MIGKG_REQUIRE_SHARED=1, so there a missing file fails the test instead of hiding it."""
    import os

    import pytest

    if path.exists():
        return path
    message = f"{path} is missing: {why} (it lives in ../shared beside the checkout)"
    if os.environ.get(REQUIRE_SHARED):
        pytest.fail(f"{message}; {REQUIRE_SHARED} is set, so it is required")
    pytest.skip(message)
    raise AssertionError("unreachable")
