"""Extraction quality through the contract queries, scored by ../shared/tools/kgscore.py.

The seed must score F1 1.000 on every fact type; the illustrative corpus must stay above its
floors, so a regression in the rules fails CI.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paths import GOLD, KGSCORE, RELEASES, SEED, need_shared

# Floors for the illustrative corpus (tests/gold). Raise them as the rules improve; never lower silently.
MICRO_F1_FLOOR = 0.95
TYPE_F1_FLOOR = 0.90
# ill-53 onwards are written in languages the dev set lacks (pt, de, ar, uk, sq, sr, pl, nl, az, ka), to see
# how the profiles hold up on full releases; they have floors of their own, at the level reached minus 0.02
# (micro 0.883; organizers 0.805, participants 0.770, funding 0.655 are the weakest), so the floors above
# keep guarding the releases they were set on.
LANGUAGES_FROM = 53
LANGUAGES_MICRO_F1_FLOOR = 0.86
LANGUAGES_TYPE_F1_FLOOR = 0.63


def _number(gold: Path) -> int:
    m = re.match(r"ill-(\d+)-", gold.name)
    return int(m.group(1)) if m else 0


def _migkg() -> str:
    exe = shutil.which("migkg", path=str(Path(sys.executable).parent)) or shutil.which("migkg")
    assert exe, "the migkg console script is not installed (pip install -e .)"
    return exe


def _score(tmp_path: Path, text_dir: Path, gold: list[Path]) -> dict:  # type: ignore[type-arg]
    need_shared(KGSCORE, "the extraction scorer is shared with the checks outside the repo")
    out = tmp_path / "score.json"
    r = subprocess.run([sys.executable, str(KGSCORE), "--migkg", _migkg(), "--text-dir", str(text_dir),
                        "--json", str(out), "--explain", *map(str, gold)], capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stderr
    result = json.loads(out.read_text())
    result["explain"] = r.stdout
    return result


def test_seed_scores_perfectly(tmp_path: Path) -> None:
    result = _score(tmp_path, SEED.parent, [GOLD / "iom-bih-2019-05-22-border-police-meeting.json"])
    assert result["failed"] == 0
    imperfect = {k: v for k, v in result["scores"].items() if v["f1"] < 1.0}
    assert not imperfect, result["explain"]


def _above_floors(tmp_path: Path, golds: list[Path], micro: float, per_type: float) -> None:
    result = _score(tmp_path, RELEASES, golds)
    assert result["failed"] == 0, result["explain"]
    low = {k: v["f1"] for k, v in result["scores"].items() if v["f1"] < per_type}
    assert result["micro"]["f1"] >= micro and not low, (
        f"micro F1 {result['micro']['f1']}, below {per_type}: {low}\n{result['explain']}")


@pytest.mark.slow
def test_corpus_stays_above_floors(tmp_path: Path) -> None:
    golds = [g for g in sorted(GOLD.glob("*.json")) if _number(g) < LANGUAGES_FROM]
    assert len(golds) >= 33
    _above_floors(tmp_path, golds, MICRO_F1_FLOOR, TYPE_F1_FLOOR)


@pytest.mark.slow
def test_releases_in_more_languages_stay_above_their_floors(tmp_path: Path) -> None:
    golds = [g for g in sorted(GOLD.glob("*.json")) if _number(g) >= LANGUAGES_FROM]
    assert len(golds) >= 16
    _above_floors(tmp_path, golds, LANGUAGES_MICRO_F1_FLOOR, LANGUAGES_TYPE_F1_FLOOR)
