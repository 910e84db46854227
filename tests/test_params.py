"""Parameters: required ones are enforced; year filters keep undated events unless --dated-only, and say so."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import migkg
from migkg.cli import main
from migkg.draw.project import fetch
from migkg.query import load_query


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_a_missing_required_parameter_is_a_usage_error(seed_store_dir: Path) -> None:
    assert [p.name for p in load_query("meetings-by-year").params if p.required] == ["year"]
    assert not any(p.required for p in load_query("events-by-organizer").params if p.name == "year")
    code, out, err = run("query", "meetings-by-year", "--store", str(seed_store_dir))
    assert code == 2 and out == ""
    assert err.startswith("error: meetings-by-year: missing required parameter 'year'") and "--param year=" in err
    code, out, _ = run("query", "--list")
    assert "--param year=<year> (required)" in out
    code, out, err = run("query", "meetings-by-year", "--store", str(seed_store_dir), "-p", "year=2019")
    assert code == 0 and "(1 row)" in out, err


def test_year_filters_keep_undated_events_unless_dated_only(corpus_store_dir: Path) -> None:
    with migkg.open(corpus_store_dir) as kg:
        undated = {r["event"] for r in kg.query("events") if r["start"] is None}
        assert undated, "the corpus has undated events"

        def events(**filters: object) -> set[str]:
            return {r["event"] for r in fetch(kg.store, "events", kg.filters(**filters))}  # type: ignore[arg-type]

        assert undated <= events(from_year=2019) and undated <= events(to_year=2010)
        assert not undated & events(from_year=2019, dated_only=True)
        assert not undated & events(dated_only=True)
        assert events(dated_only=True) == events() - undated
        assert kg.graph("co-participation", from_year=2019).graph["undated_events"] == len(undated)
        assert "undated_events" not in kg.graph("co-participation", from_year=2019, dated_only=True).graph
    code, out, err = run("graph", "stats", "--store", str(corpus_store_dir), "--from", "2019")
    assert code == 0 and f"note: {len(undated)} undated event(s) kept; --dated-only leaves them out" in err
    code, out, err = run("graph", "stats", "--store", str(corpus_store_dir), "--from", "2019", "--dated-only")
    assert code == 0 and "undated" not in err
