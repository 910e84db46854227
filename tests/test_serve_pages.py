"""The analyst's pages of `migkg serve` over every committed release: entity pages with evidence and
releases, the entity index, and every saved query as a form (served by a real `migkg serve`
subprocess; the browser tests drive Debian's headless Chromium through Selenium)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import migkg
from conftest_draw import ARTIFACTS, launch_chromium
from conftest_publish import serving
from migkg.ids import short
from migkg.query import saved_queries

EXPECTED = Path(__file__).parent / "expected"
PARAMS = json.loads((EXPECTED / "params.json").read_text(encoding="utf-8"))
IOM = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
IOM_PAGE = "/doc/organization/international-organization-for-migration.html"
QUERIES = [q for q in saved_queries()]


@pytest.fixture(scope="module")
def server(corpus_store_dir: Path) -> Iterator[str]:
    """`migkg serve` over the store of every committed release, on a free port."""
    with serving(corpus_store_dir) as base:
        yield base


@pytest.fixture(scope="module")
def kg(corpus_store_dir: Path) -> Iterator[migkg.KG]:
    with migkg.open(corpus_store_dir) as opened:
        yield opened


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=60) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def _section(page: str, ident: str) -> str:
    start = page.index(f'id="{ident}"')
    end = page.find("<h2", start)
    return page[start:end if end > 0 else len(page)]


def test_an_entity_page_merges_graphs_and_shows_evidence_and_releases(server: str, kg: migkg.KG) -> None:
    status, _, page = get(server + IOM_PAGE)
    assert status == 200
    types = re.search(r"<p><strong>(.*?)</strong></p>", page, re.S)
    assert types is not None and types.group(1).count("mkg:Organization") == 1  # once, not once per graph
    # every statement once, with the graphs stating it
    acronym_rows = re.findall(r"<tr><td><a [^>]*>mkg:acronym</a></td><td>IOM</td>", page)
    assert len(acronym_rows) == 1
    # the sentence and release of every fact about IOM (the library's explain)
    explained = kg.explain(IOM)
    evidence = _section(page, "evidence")
    assert evidence.count("<tr>") - 1 == min(len(explained), 200) > 10
    for row in explained[:20]:
        assert html.escape(row["quote"]) in evidence
        assert f'href="/id/{row["release"][len("https://w3id.org/migkg/id/"):]}"' in evidence
    assert "id:evidence/" not in page  # evidence records are shown as sentences, not as links
    # the releases that speak of it, linked
    releases = kg.query("node-releases", node="IOM")
    listed = re.findall(r'<li><a href="(/id/release/[^"]+)"', _section(page, "releases"))
    assert len(listed) == len(releases) > 10
    assert sorted(listed) == sorted("/id/" + r["release"][len("https://w3id.org/migkg/id/"):] for r in releases)
    status, _, release_page = get(server + listed[0])
    assert status == 200 and "<h2>Statements</h2>" in release_page


def test_a_place_page_lists_the_releases_stating_it(server: str, kg: migkg.KG) -> None:
    """No release names a place (mkg:mentions), so node-releases has no row for it; its page lists the
    releases whose graphs state it instead, each once."""
    place = kg.query("SELECT ?place WHERE { ?e <https://w3id.org/migkg/ontology#location> ?place } "
                     "ORDER BY ?place LIMIT 1")[0]["place"]
    assert not kg.query("node-releases", node=place)
    stating = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e <https://w3id.org/migkg/ontology#location> ?p } }",
                       p=place)
    status, _, page = get(server + "/doc/" + place[len("https://w3id.org/migkg/id/"):] + ".html")
    assert status == 200
    listed = re.findall(r'<li><a href="(/id/release/[^"]+)"', _section(page, "releases"))
    assert sorted(listed) == sorted("/id/release/" + r["g"].rsplit("/", 1)[-1] for r in stating)
    assert len(listed) == len(set(listed)) >= 1


def test_an_event_page_names_its_actors_with_the_sentences(server: str, kg: migkg.KG) -> None:
    event = "https://w3id.org/migkg/id/event/2019-05-17-meeting-7e9197e6"
    status, _, page = get(f"{server}/doc/event/2019-05-17-meeting-7e9197e6.html")
    assert status == 200
    evidence = _section(page, "evidence")
    organizer = [r for r in kg.explain(event) if r["predicate"].endswith("#organizer")]
    assert organizer and html.escape(organizer[0]["quote"]) in evidence
    assert ">International Organization for Migration</a>" in evidence


def test_the_entity_index_counts_and_searches(server: str, kg: migkg.KG) -> None:
    counts = Counter(r["kind"] for r in kg.query("entities"))
    status, _, page = get(server + "/entities")
    assert status == 200
    for kind, label in (("organization", "Organizations"), ("country", "Countries"), ("event", "Events"),
                        ("programme", "Programmes")):
        assert re.search(rf'kind={kind}">{label} <span class="count">{counts[kind]}</span>', page), kind
        assert counts[kind] > 0
    assert f"{counts['organization']} of {counts['organization']} organizations" in page
    # case- and accent-insensitive, on names, acronyms and identifiers
    for kind, text, want in (("organization", "iom", IOM), ("country", "BOSNIA", "https://w3id.org/migkg/id/country/BA"),
                             ("country", "id:country/xk", "https://w3id.org/migkg/id/country/XK")):
        _, _, found = get(f"{server}/entities?" + urllib.parse.urlencode({"kind": kind, "q": text}))
        rows = re.findall(r'<td><a href="(/id/[^"]+)">', found)
        assert rows == ["/id/" + want[len("https://w3id.org/migkg/id/"):]], (text, rows)
    _, _, none = get(f"{server}/entities?kind=event&q=" + urllib.parse.quote("<script>nothing"))
    assert "0 of" in none and "<script>nothing" not in none


def _example(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in PARAMS.get(name, {}).items()}


def test_the_query_list_offers_every_saved_query(server: str) -> None:
    _, _, page = get(server + "/queries")
    for q in QUERIES:
        assert f'href="/queries/{q.name}"' in page, q.name


@pytest.mark.parametrize("name", [q.name for q in QUERIES if "/" not in q.name])
def test_every_saved_query_page_is_a_form_giving_the_librarys_rows(server: str, kg: migkg.KG, name: str) -> None:
    q = next(x for x in QUERIES if x.name == name)
    params = _example(name)
    status, _, page = get(f"{server}/queries/{name}?" + urllib.parse.urlencode({**params, "run": "1"}))
    assert status == 200, page[:500]
    for p in q.params:
        assert re.search(rf'<input id="p-{p.name}" name="{p.name}"', page), p.name
        assert (" required>" in page) or not p.required
    assert '<div class="highlight">' in page and '<span class="k' in page  # highlighted SPARQL
    want = kg.query(name, **params)
    count = re.search(r'id="count">(\d+) row\(s\)', page)
    assert count is not None and int(count.group(1)) == len(want) > 0
    # identifiers print as short forms that paste back
    first_iri = next((v for v in want[0].values() if isinstance(v, str) and v.startswith("https://w3id.org/migkg/id/")),
                     None)
    if first_iri is not None:
        assert f">{html.escape(short(first_iri))}</a>" in page


def test_downloads_hold_the_same_rows(server: str, kg: migkg.KG) -> None:
    params = {"organization": "IOM"}
    want = kg.query("organization-profile", **params)
    with urllib.request.urlopen(f"{server}/queries/organization-profile.json?" + urllib.parse.urlencode(params)) as r:
        assert r.headers["Content-Type"].startswith("application/sparql-results+json")
        assert r.headers["Content-Disposition"] == 'attachment; filename="organization-profile.json"'
        doc = json.loads(r.read())
    assert doc["head"]["vars"] == list(want.variables)
    got = sorted(json.dumps({k: v["value"] for k, v in b.items()}, sort_keys=True) for b in doc["results"]["bindings"])
    assert got == sorted(json.dumps({k: str(v) for k, v in row.items() if v is not None}, sort_keys=True)
                         for row in want)
    with urllib.request.urlopen(f"{server}/queries/organization-profile.csv?" + urllib.parse.urlencode(params)) as r:
        assert r.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.read().decode("utf-8"))))
    assert rows[0] == list(want.variables) and len(rows) == len(want) + 1


def test_sorting_by_a_column(server: str) -> None:
    base = f"{server}/queries/events-per-organization?run=1"
    _, _, asc = get(base + "&sort=events&order=asc")
    _, _, desc = get(base + "&sort=events&order=desc")

    def column(page: str) -> list[int]:
        return [int(n) for n in re.findall(r"<td>(\d+)</td></tr>", page)]

    assert column(asc) == sorted(column(asc)) and column(desc) == sorted(column(desc), reverse=True)
    assert column(asc) != column(desc) and len(column(asc)) > 10


@pytest.mark.parametrize("name,params,message", [
    ("organization-profile", {}, "missing required parameter 'organization'"),
    ("explain", {"node": "DRC"}, "'DRC' names 2 nodes: id:country/CD (DRC); id:organization/danish-refugee-council"),
    ("organization-profile", {"organization": "no such body"}, "no organization node has this name"),
    ("event-details", {"year": "last year"}, "parameter year='last year' is not a valid year"),
])
def test_bad_parameters_are_one_line_errors(server: str, name: str, params: dict[str, str], message: str) -> None:
    code, _, page = get(f"{server}/queries/{name}?" + urllib.parse.urlencode({**params, "run": "1"}))
    assert code == 400
    error = re.search(r'id="error">([^<]*)</p>', page)
    assert error is not None and message in html.unescape(error.group(1)), page[:300]
    code, _, text = get(f"{server}/queries/{name}.csv?" + urllib.parse.urlencode(params))
    assert code == 400 and message in text and len(text.strip().splitlines()) == 1


def test_a_hostile_value_stays_a_value(server: str, kg: migkg.KG) -> None:
    before = len(kg.query("releases"))
    code, _, page = get(f"{server}/queries/organizations-by-name?" +
                        urllib.parse.urlencode({"name": '"} ; DROP ALL ; # <script>', "run": "1"}))
    assert code == 200 and 'id="count">0 row(s)' in page and "<script>" not in page.split("<h2>The query")[0]
    assert len(kg.query("releases")) == before
    assert get(f"{server}/queries/no-such-query")[0] == 404


def _follow(driver: object, action: object, url_part: str) -> None:
    """Do ``action`` (a click) and wait until the browser has loaded a page whose URL holds ``url_part``."""
    from selenium.webdriver.support.ui import WebDriverWait

    before = driver.current_url  # type: ignore[attr-defined]
    action.click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 30).until(lambda d: d.current_url != before and url_part in d.current_url
                                    and d.execute_script("return document.readyState") == "complete")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    profile = Path(tempfile.mkdtemp(prefix="migkg-chromium-"))
    driver = launch_chromium(profile)
    driver.delete_network_conditions()  # these pages come from the local server
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_a_saved_query_in_a_real_browser(server: str, browser: object, kg: migkg.KG) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    d.get(f"{server}/queries")  # type: ignore[attr-defined]
    _follow(d, d.find_element(By.LINK_TEXT, "organization-profile"), "/queries/organization-profile")  # type: ignore[attr-defined]
    field = d.find_element(By.ID, "p-organization")  # type: ignore[attr-defined]
    assert field.get_attribute("required") is not None
    field.send_keys("iom")
    _follow(d, d.find_element(By.ID, "run"), "run=1")  # type: ignore[attr-defined]
    count = d.find_element(By.ID, "count").text  # type: ignore[attr-defined]
    assert count.startswith(f"{len(kg.query('organization-profile', organization='IOM'))} row(s)")
    # sort by role, then reversed: the browser follows the header links
    _follow(d, d.find_element(By.LINK_TEXT, "role"), "order=asc")  # type: ignore[attr-defined]

    def roles() -> list[str]:
        cells = d.find_elements(By.CSS_SELECTOR, "table.results tr td:nth-child(6)")  # type: ignore[attr-defined]
        return [c.text for c in cells]

    up = roles()
    assert up == sorted(up) and len(set(up)) > 2
    _follow(d, d.find_element(By.LINK_TEXT, "role"), "order=desc")  # type: ignore[attr-defined]
    assert roles() == sorted(up, reverse=True)
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a.download")]  # type: ignore[attr-defined]
    assert any(h.endswith(".csv?organization=iom") for h in links) and any(".json?" in h for h in links)
    keyword = d.find_element(By.CSS_SELECTOR, ".highlight .k")  # type: ignore[attr-defined]
    assert keyword.value_of_css_property("color") != d.find_element(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, ".highlight").value_of_css_property("color")  # the highlighting's CSS applies
    ARTIFACTS.mkdir(exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / "serve-saved-query.png"))  # type: ignore[attr-defined]
    # a short form printed in the table pastes back into a form
    first = d.find_element(By.CSS_SELECTOR, "table.results td a[href^='/id/event/']")  # type: ignore[attr-defined]
    assert first.text.startswith("id:event/")
    d.get(f"{server}/queries/explain?" + urllib.parse.urlencode({"node": first.text, "run": "1"}))  # type: ignore[attr-defined]
    assert int(d.find_element(By.ID, "count").text.split()[0]) > 0  # type: ignore[attr-defined]


def test_the_entity_index_and_pages_in_a_real_browser(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    d: object = browser
    d.get(f"{server}/entities")  # type: ignore[attr-defined]
    d.find_element(By.ID, "q").send_keys("migration")  # type: ignore[attr-defined]
    _follow(d, d.find_element(By.CSS_SELECTOR, "form button"), "q=migration")  # type: ignore[attr-defined]
    found = d.find_element(By.ID, "found").text  # type: ignore[attr-defined]
    assert re.match(r"\d+ of \d+ organizations matching", found) and not found.startswith("0 ")
    iom = d.find_element(By.LINK_TEXT, "International Organization for Migration")  # type: ignore[attr-defined]
    _follow(d, iom, "/doc/organization/")
    assert d.title == "International Organization for Migration"  # type: ignore[attr-defined]
    sentences = d.find_elements(By.CSS_SELECTOR, "table.evidence td.quote")  # type: ignore[attr-defined]
    assert len(sentences) > 10 and all(s.text for s in sentences)
    _follow(d, d.find_element(By.CSS_SELECTOR, "ul.releases a"), "/doc/release/")  # type: ignore[attr-defined]
    d.save_screenshot(str(ARTIFACTS / "serve-release.png"))  # type: ignore[attr-defined]
