"""Time in the graph (issue 15): names in force at a date, series in order, units rolled up to parents.

The store is built from the seed (the ninth meeting of the border-police directors' series) and the
illustrative releases of ``tests/fixtures/releases-time/`` (the eighth and tenth meetings, the first,
second and fourth meetings of a series no release names, a unit's workshop).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from conftest import build_into_store
from migkg.build import REFERENCE_GRAPH, SERIES_ORDER_GRAPH, reference_graph, unnamed_series_iri
from migkg.cli import main
from migkg.draw import Filters, actor_graph
from migkg.pipeline import build_store
from migkg.query import run_query
from migkg.reference import load
from migkg.series import gap_text, timeline
from migkg.store import open_store
from migkg.timenames import name_on
from migkg.validate import validate
from migkg.vocab import ID, MKG, SKOS
from paths import REPO, SEED

FIXTURES = REPO / "tests" / "fixtures" / "releases-time"
EIGHTH = FIXTURES / "ill-t1-iom-eighth-border-police-directors-meeting.txt"
TENTH = FIXTURES / "ill-t2-iom-tenth-border-police-directors-meeting.txt"
SERIES = ID["series/regular-coordination-meeting-of-the-directors-of-border-police-agencies"]
IOM = ID["organization/international-organization-for-migration"]
TRIPOLI = ID["organization/iom-office-in-tripoli"]
MK = ID["country/MK"]
SHAPES = REPO / "tests" / "shapes"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_into_store(tmp_path_factory, "time", [SEED, FIXTURES])


def _rows(store: object, name: str, params: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = run_query(store, name, params)  # type: ignore[arg-type]
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def _chain(store: object) -> dict[str, tuple[int | None, str | None, tuple[int, ...]]]:
    """Event -> (ordinal, previous event, ordinals missing before it) of the border-police series."""
    (chain,) = timeline(store, str(SERIES))  # type: ignore[arg-type]
    return {link.member.event: (link.member.ordinal, link.previous, link.missing_before) for link in chain.links}


# ---------------------------------------------------------------- names in time
def test_north_macedonia_takes_part_before_and_after_the_renaming_on_one_iri(store_dir: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        rows = _rows(store, "meetings-by-country", {"country": str(MK)})
        starts = sorted(str(r["start"]) for r in rows)
        assert {r["country"] for r in rows} == {MK}
        assert starts == ["2018-11-14", "2019-05-17", "2019-11-26"]
        # the 2018 release wrote the old name; its evidence keeps that wording
        quotes = [str(r["quote"]) for r in _rows(store, "explain", {"node": str(MK)})]
        assert any("the former Yugoslav Republic of Macedonia" in q for q in quotes), quotes
        english = [str(q.object) for q in store.named_quads(MK, SKOS.prefLabel) if q.object.language == "en"]
        assert set(english) == {"North Macedonia"}, english


def test_the_name_in_force_on_a_date(store_dir: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        assert [n.name for n in name_on(store, "MK", "2018-05-01")] == ["the former Yugoslav Republic of Macedonia"]
        assert [n.name for n in name_on(store, "MK", "2019-02-11")] == ["the former Yugoslav Republic of Macedonia"]
        assert [n.name for n in name_on(store, "MK", "2019-02-12")] == ["North Macedonia"]
        assert [n.name for n in name_on(store, "country/TR", "2020-01-01")] == ["Turkey"]
        assert [n.name for n in name_on(store, "TR", "2023-01-01")] == ["Türkiye"]
        assert [n.name for n in name_on(store, "AL", "2018-05-01")] == ["Albania"]  # never renamed
        intpa = "organization/directorate-general-for-international-partnerships"
        (devco,) = name_on(store, intpa, "2020-06-30")
        assert (devco.name, devco.acronym, devco.valid_through) == (
            "Directorate-General for International Cooperation and Development", "DG DEVCO", "2021-01-15")
        assert [n.acronym for n in name_on(store, intpa, "2021-01-16")] == ["DG INTPA"]
        assert len(name_on(store, "MK")) == 2  # no date: every name with its interval


def test_todays_name_is_the_preferred_label_and_old_names_find_the_same_thing() -> None:
    d = load()
    assert d.country_label("TR") == "Türkiye" and d.country_label("SZ") == "Eswatini"
    found = {m.text: m.entry.key for m in d.trie.find("FYROM, Swaziland, Burma, DEVCO and EASO met")}
    assert found == {"FYROM": "MK", "Swaziland": "SZ", "Burma": "MM",
                     "DEVCO": "directorate-general-for-international-partnerships",
                     "EASO": "european-union-agency-for-asylum"}


def test_the_reference_names_meet_the_timed_name_shape() -> None:
    g = reference_graph(load())
    report = validate(g)
    assert report.conforms, report.violations[:3]
    assert len(list(g.subjects(None, MKG.TimedName))) >= 26


def test_cli_name_on_a_date(store_dir: Path) -> None:
    run = CliRunner().invoke
    ok = run(main, ["name", "MK", "--on", "2018-05-01", "--store", str(store_dir)])
    assert ok.exit_code == 0 and ok.output.startswith("the former Yugoslav Republic of Macedonia\t"), ok.output
    bad = run(main, ["name", "MK", "--on", "1 May 2018", "--store", str(store_dir)])
    assert bad.exit_code == 2 and "is not a date" in bad.output and len(bad.output.splitlines()) == 1


# ---------------------------------------------------------------- series in order
def test_the_seeds_meeting_sits_between_the_eighth_and_the_tenth(store_dir: Path) -> None:
    ninth = str(ID["event/2019-05-17-meeting-7e9197e6"])
    with open_store(store_dir, read_only=True) as store:
        rows = {str(r["event"]): r for r in _rows(store, "series-chain", {"series": str(SERIES)})}
        chain = _chain(store)
    assert [o for o, _, _ in chain.values()] == [8, 9, 10]
    eighth, tenth = (e for e, (o, _, _) in chain.items() if o in (8, 10))
    assert rows[ninth]["previous"] == URIRef(eighth) and rows[ninth]["next"] == URIRef(tenth)
    assert rows[eighth]["previous"] is None and rows[tenth]["next"] is None
    assert all(missing == () for _, _, missing in chain.values())


def test_timeline_prints_the_chain_with_its_gaps(store_dir: Path) -> None:
    out = CliRunner().invoke(main, ["graph", "timeline", "--store", str(store_dir)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    at = [i for i, line in enumerate(lines) if "regular coordination meeting of the directors" in line]
    assert [lines[i].split()[0] for i in at[1:]] == ["8th", "9th", "10th"]
    # the unnamed KIRS/IOM series: first, second, then the fourth with the third missing
    block = lines[lines.index(next(x for x in lines if x.startswith("meeting (IOM, KIRS)"))):]
    assert [x.split()[0] for x in block[1:5]] == ["1st", "2nd", "...", "4th"]
    assert "the 3rd is not in the store" in block[3]


def test_the_chain_follows_releases_added_and_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    shutil.copy(SEED, folder)
    shutil.copy(TENTH, folder)
    with open_store(tmp_path / "store") as store:
        assert build_store([folder], store).ok
        assert [o for o, _, _ in _chain(store).values()] == [9, 10]
        shutil.copy(EIGHTH, folder)  # a release added later goes in front
        assert build_store([folder], store).ok
        assert [o for o, _, _ in _chain(store).values()] == [8, 9, 10]
        # a replaced release: the tenth becomes the eleventh, the tenth is now a gap
        changed = folder / TENTH.name
        changed.write_text(TENTH.read_text(encoding="utf-8").replace("tenth", "eleventh"), encoding="utf-8")
        assert build_store([folder], store).ok
        chain = _chain(store)
        assert [(o, m) for o, _, m in chain.values()] == [(8, ()), (9, ()), (11, (10,))]
        assert gap_text((10,)) == "the 10th is not in the store"
        before = store.value(SERIES_ORDER_GRAPH, MKG.contentHash)
        assert build_store([folder], store).ok  # nothing changed: the order graph is not rewritten
        assert store.value(SERIES_ORDER_GRAPH, MKG.contentHash) == before
        assert len([q for q in store.quads(SERIES_ORDER_GRAPH) if q.predicate == MKG.nextInSeries]) == 2


def test_a_small_build_reorders_only_its_series_as_a_full_recomputation_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of a few files recomputes only the series its releases speak of (before or after), and
    leaves the series-order graph exactly as recomputing every series would."""
    import migkg.series as series

    folder = tmp_path / "releases"
    shutil.copytree(FIXTURES, folder)
    shutil.copy(SEED, folder)
    tenth = folder / TENTH.name
    with open_store(tmp_path / "store") as store:
        assert build_store([folder], store).ok
        full = series.order_graph
        calls: list[str] = []
        monkeypatch.setattr(series, "order_graph", lambda s: calls.append("full") or full(s))
        for text in (TENTH.read_text(encoding="utf-8").replace("tenth", "eleventh"),  # the chain changes
                     TENTH.read_text(encoding="utf-8").replace("tenth", "seventh"),  # it moves to the front
                     TENTH.read_text(encoding="utf-8").replace("border police", "border-police"),
                     TENTH.read_text(encoding="utf-8")):
            tenth.write_text(text, encoding="utf-8")
            assert build_store([tenth], store).loaded == [str(tenth)]
            stored = {(q.subject, q.predicate, q.object) for q in store.quads(SERIES_ORDER_GRAPH)}
            assert stored == set(full(store))
        assert calls == []  # every one of them took the partial path
        assert [o for o, _, _ in _chain(store).values()] == [8, 9, 10]


def test_an_unnamed_series_is_told_apart_by_organizer_and_participants() -> None:
    a = unnamed_series_iri("meeting", ["international-organization-for-migration", "rs-kirs"], "national")
    assert a == unnamed_series_iri("meeting", ["rs-kirs", "international-organization-for-migration"], "national")
    assert a != unnamed_series_iri("meeting", ["unhcr"], "national")
    assert a != unnamed_series_iri("meeting", ["international-organization-for-migration", "rs-kirs"], "un")
    assert a != unnamed_series_iri("workshop", ["international-organization-for-migration", "rs-kirs"], "national")


# ---------------------------------------------------------------- units and parents
def test_a_units_events_roll_up_to_its_parent_on_request_only(store_dir: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        assert store.value(TRIPOLI, MKG.subOrganizationOf) == IOM
        (workshop,) = {r["event"] for r in _rows(store, "event-organizers") if r["organizer"] == TRIPOLI}
        plain = _rows(store, "organization-events", {"organization": str(IOM)})
        rolled = _rows(store, "organization-events", {"organization": str(IOM), "rollup": "yes"})
        assert workshop not in {r["event"] for r in plain}
        assert {(r["event"], r["actor"]) for r in rolled} >= {(workshop, TRIPOLI)}
        assert {r["event"] for r in plain} < {r["event"] for r in rolled}
        unit = actor_graph(store, "bipartite")
        up = actor_graph(store, "bipartite", Filters(rollup=True))
        only_iom = actor_graph(store, "bipartite", Filters(organization=str(IOM)))
        only_iom_up = actor_graph(store, "bipartite", Filters(organization=str(IOM), rollup=True))
    assert unit.has_edge(str(TRIPOLI), str(workshop)) and not unit.has_edge(str(IOM), str(workshop))
    assert up.has_edge(str(IOM), str(workshop)) and str(TRIPOLI) not in up
    assert str(workshop) not in only_iom and str(workshop) in only_iom_up


# ---------------------------------------------------------------- checks over the store
@pytest.mark.parametrize(("example", "check"), [
    ("S14-TimedName.invalid.ttl", "timed-name"),
    ("S14-TimedName.invalid-2.ttl", "timed-name"),
    ("S15-SeriesOrder.invalid.ttl", "series-order"),
    ("S15-SeriesOrder.invalid-2.ttl", "series-order"),
    ("S16-OrganizationAncestry.invalid.ttl", "organization-cycle"),
])
def test_store_checks_find_what_the_shapes_find(tmp_path: Path, example: str, check: str) -> None:
    with open_store(tmp_path / "store") as store:
        g = Graph().parse(SHAPES / example, format="turtle")
        store.replace_graph(ID["graph/example"], g)
        assert run_query(store, f"checks/{check}-violation").rows, example
        valid = Graph().parse(SHAPES / example.split(".")[0].__add__(".valid.ttl"), format="turtle")
        store.replace_graph(ID["graph/example"], valid)
        assert not run_query(store, f"checks/{check}-violation").rows, example


def test_store_checks_pass_on_the_built_store(store_dir: Path) -> None:
    with open_store(store_dir, read_only=True) as store:
        for check in ("timed-name", "series-order", "organization-cycle"):
            assert not run_query(store, f"checks/{check}-violation").rows, check
        assert store.value(MK, MKG.iso2) == Literal("MK")
        assert REFERENCE_GRAPH and SERIES_ORDER_GRAPH  # both named graphs of the store
        assert str(SERIES_ORDER_GRAPH) in store.graph_names()
