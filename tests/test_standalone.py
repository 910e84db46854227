"""The repository stands alone: every test reading ../shared goes through need_shared (skip, or fail in CI)."""

from __future__ import annotations

import re

from paths import REPO, REQUIRE_SHARED


def test_every_test_reading_shared_uses_need_shared() -> None:
    readers = []
    for path in sorted((REPO / "tests").glob("*.py")):
        if path.name in ("paths.py", "test_standalone.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"""["']shared["']|\bSHARED\b|\bKGSCORE\b|\bDEV\b""", text):
            readers.append(path.name)
            assert "need_shared" in text, f"{path.name} reads ../shared without need_shared"
    assert readers, "the shared-data tests were found"


def test_ci_requires_the_shared_tests() -> None:
    assert f"{REQUIRE_SHARED}=1 make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
