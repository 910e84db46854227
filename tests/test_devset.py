"""A floor under extraction quality on the real releases of ../shared/dev (75 releases with gold facts).

The texts stay in ../shared (third-party; nothing is copied into the repo). The releases are scored
in-process by tools/devscore.py with the shared scorer's comparison. The floors are the figures
reached when they were last raised, minus 0.02: a change that loses recall or precision on real
writing fails here. Raise them as the rules improve; never lower them silently.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paths import DEV, KGSCORE, REPO, need_shared

MICRO_F1_FLOOR = 0.884  # reached 0.904 (minus 0.02) (all 75); see README "Quality"
NON_ENGLISH_F1_FLOOR = 0.876  # reached 0.896 (minus 0.02) for the 15 releases whose first language is not English


def _score(tmp_path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    need_shared(DEV / "corpus", "the development set of real releases is shared, not committed")
    need_shared(KGSCORE, "the scorer's comparison is shared with the checks outside the repo")
    out = tmp_path / "score.json"
    r = subprocess.run([sys.executable, str(REPO / "tools" / "devscore.py"), "--scorer", str(KGSCORE), "--json",
                        str(out), "--explain", *extra, str(DEV / "corpus"), str(DEV / "gold")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    result = json.loads(out.read_text())
    result["explain"] = r.stdout[-6000:]
    return result


@pytest.mark.slow
def test_dev_set_stays_above_its_floor(tmp_path: Path) -> None:
    result = _score(tmp_path)
    assert result["failed"] == 0, result["explain"]
    assert result["micro"]["f1"] >= MICRO_F1_FLOOR, f"micro F1 {result['micro']}\n{result['explain']}"


@pytest.mark.slow
def test_non_english_releases_stay_above_their_floor(tmp_path: Path) -> None:
    result = _score(tmp_path, "--not-first-language", "en")
    assert result["releases"] >= 10
    assert result["micro"]["f1"] >= NON_ENGLISH_F1_FLOOR, f"micro F1 {result['micro']}\n{result['explain']}"
