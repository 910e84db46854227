"""Benchmark: the actor-graph page of a 10,000-release synthetic corpus, opened in headless Chromium.

Not a test. Makes the rows the saved query ``construct/event-actors`` would return for a corpus of
N releases (organizations with skewed popularity, events of 2-25 organizations, a tenth of the
events reported by two releases), projects the co-participation graph with the real code, adds
the metrics, writes the page and times Chromium from navigation to the page's ready flag (set by
the page's script after its first full drawing).

    .venv/bin/python bench/graph_page.py [--releases 10000] [--orgs 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from migkg.draw.metrics import add_metrics  # noqa: E402
from migkg.draw.page import render_page  # noqa: E402
from migkg.draw.project import co_participation  # noqa: E402

ID = "https://w3id.org/migkg/id/"
COUNTRIES = ["AL", "BA", "ME", "MK", "RS", "XK", "HR", "SI", "AT", "DE", "IT", "GR", "TR", "HU", "BG", "RO",
             "FR", "ES", "NL", "BE", "SE", "CH", "US", "CA", "NE", "ML", "SN", "LY", "TN", "MA", "ET", "UG"]


def synthetic_rows(releases: int, orgs: int, seed: int = 7) -> tuple[list[dict], dict[str, dict]]:
    """Event-actor rows and node info for a corpus of ``releases`` releases."""
    rnd = random.Random(seed)
    names = [f"{ID}organization/synthetic-{i:05d}" for i in range(orgs)]
    info = {}
    for i, n in enumerate(names):
        iso2 = rnd.choice(COUNTRIES) if rnd.random() < 0.7 else None
        info[n] = {"kind": "organization", "label": f"Synthetic Organization {i}"}
        if iso2:
            info[n]["iso2"] = iso2
    weights = [1.0 / (i + 1) ** 1.05 for i in range(orgs)]
    organizers = names[:80]
    rows: list[dict] = []
    event_no = 0
    events: list[tuple[str, int, list[tuple[str, str]]]] = []
    for r in range(releases):
        release = f"{ID}release/synthetic-{r:05d}"
        if events and rnd.random() < 0.1:  # a second release reporting an earlier event
            event, year, actors = rnd.choice(events)
        else:
            event = f"{ID}event/synthetic-{event_no:05d}"
            event_no += 1
            year = rnd.randint(2010, 2025)
            size = min(25, 2 + int(rnd.expovariate(1 / 4)))
            actors = [(rnd.choice(organizers), "organizer")]
            actors += [(p, "participant") for p in set(rnd.choices(names, weights=weights, k=size))]
            events.append((event, year, actors))
        rows += [{"event": event, "org": o, "role": role, "year": year, "release": release}
                 for o, role in actors]
    return rows, info


def chromium_ready_ms(page: Path, runs: int) -> list[dict[str, float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    out = []
    for _ in range(runs):
        profile = Path(tempfile.mkdtemp(prefix="migkg-bench-"))
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,900", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                                  options=options)
        try:
            driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
            t0 = time.perf_counter()
            driver.get(page.resolve().as_uri())
            while driver.execute_script("return document.body.dataset.ready") != "true":
                time.sleep(0.01)
            wall = (time.perf_counter() - t0) * 1000
            ready = float(driver.execute_script("return document.body.dataset.readyMs"))
            # one interaction: a search that redraws, timed inside the page
            search = float(driver.execute_script(
                "var b = document.getElementById('search'), t = performance.now();"
                "b.value = 'organization 1';"
                "b.dispatchEvent(new Event('input')); return performance.now() - t;"))
            first_draw = float(driver.execute_script("return document.body.dataset.drawMs"))
            # one more interaction: zoom in, wait for the frame, read how long drawing it took
            driver.execute_script("document.body.dataset.drawMs = '';"
                                  "document.getElementById('zoom-in').click();")
            while not driver.execute_script("return document.body.dataset.drawMs"):
                time.sleep(0.01)
            zoom_draw = float(driver.execute_script("return document.body.dataset.drawMs"))
            out.append({"ready_ms": ready, "wall_ms": round(wall, 1), "first_draw_ms": first_draw,
                        "search_ms": round(search, 1), "zoom_redraw_ms": zoom_draw})
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=10_000)
    ap.add_argument("--orgs", type=int, default=2_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    times: dict[str, float] = {}
    t = time.perf_counter()
    rows, info = synthetic_rows(args.releases, args.orgs)
    times["rows_s"] = time.perf_counter() - t
    t = time.perf_counter()
    g = co_participation(rows, info)
    times["project_s"] = time.perf_counter() - t
    t = time.perf_counter()
    add_metrics(g)
    times["metrics_s"] = time.perf_counter() - t
    t = time.perf_counter()
    html = render_page(g)
    times["layout_and_page_s"] = time.perf_counter() - t
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"graph-page-{args.releases}.html"
    page.write_text(html, encoding="utf-8")
    browser = chromium_ready_ms(page, args.runs)
    result = {"releases": args.releases, "event_actor_rows": len(rows), "nodes": g.number_of_nodes(),
              "edges": g.number_of_edges(), "page_mb": round(page.stat().st_size / 1e6, 2),
              **{k: round(v, 2) for k, v in times.items()}, "browser": browser,
              "ready_ms_median": sorted(b["ready_ms"] for b in browser)[len(browser) // 2]}
    (out_dir / f"graph-page-{args.releases}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
