"""Paths of the repository's test data, anchored to this file."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELEASES = REPO / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"
GOLD = REPO / "tests" / "gold"
SHARED = REPO.parent / "shared"
KGSCORE = SHARED / "tools" / "kgscore.py"
