"""Fixtures for the drawing tests: built stores (seed, all releases) and a real headless Chromium.

Test modules import what they use explicitly: ``from conftest_draw import seed_store  # noqa: F401``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from migkg.pipeline import build_store
from migkg.store import EmbeddedStore, open_store

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "data" / "releases"
SEED = RELEASES / "iom-bih-2019-05-22-border-police-meeting.txt"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
INSTALL_HINT = ("headless Chromium is required for the page tests: "
                "apt-get install -y chromium chromium-driver (the CI script .ci/run installs them)")


def _build(tmp: Path, *paths: Path) -> Path:
    with open_store(tmp) as store:
        summary = build_store(list(paths), store, jobs=1)
        assert not summary.failures, [f.line() for f in summary.failures]
    return tmp


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed release only."""
    return _build(tmp_path_factory.mktemp("draw-seed") / "store", SEED)


@pytest.fixture(scope="session")
def all_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every release under data/releases."""
    return _build(tmp_path_factory.mktemp("draw-all") / "store", RELEASES)


@pytest.fixture()
def seed_store(seed_store_dir: Path) -> Iterator[EmbeddedStore]:
    with open_store(seed_store_dir, read_only=True) as store:
        yield store


@pytest.fixture()
def all_store(all_store_dir: Path) -> Iterator[EmbeddedStore]:
    with open_store(all_store_dir, read_only=True) as store:
        yield store


def _first(paths: tuple[str, ...], name: str) -> str:
    for p in paths:
        if Path(p).exists():
            return p
    found = shutil.which(name)
    if found:
        return found
    pytest.fail(f"{name} not found; {INSTALL_HINT}", pytrace=False)


def launch_chromium(profile: Path):  # type: ignore[no-untyped-def]
    """A Selenium WebDriver for Debian's headless Chromium, isolated from the network and any profile."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the Python package selenium is required for the page tests: pip install -e '.[dev]'",
                    pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = _first(CHROMIUM, "chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                 "--window-size=1400,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    service = Service(executable_path=_first(CHROMEDRIVER, "chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    # the network is off: every request but file:// fails
    driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    return driver


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """A fresh headless Chromium (own profile folder), closed after the module's tests."""
    profile = Path(tempfile.mkdtemp(prefix="migkg-chromium-"))
    driver = launch_chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
