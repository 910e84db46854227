"""The command-line interface, in process (click's CliRunner) and once as the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Graph

from migkg.cli import main
from paths import SEED


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_build_query_export_validate_stats(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    code, _, err = run("build", str(SEED), "--store", store)
    assert code == 0, err
    assert "built 1 release(s)" in err
    code, out, _ = run("query", "events", "--store", store, "--format", "json")
    assert code == 0
    doc = json.loads(out)  # standard output holds the JSON document and nothing else
    assert doc["results"]["bindings"][0]["type"]["value"] == "Meeting"
    code, out, _ = run("query", "countries", "--store", store, "--format", "csv")
    assert out.splitlines()[0] == "country,iso2,name"
    code, out, _ = run("query", "--list")
    assert "events-by-organizer" in out and "--param organizer=<iri>" in out
    code, out, _ = run("export", "--store", store, "--format", "nq")
    assert code == 0
    ds = Dataset()
    ds.parse(data=out, format="nquads")
    assert len(list(ds.quads())) > 1000
    out_file = tmp_path / "x" / "seed.ttl"
    code, _, err = run("export", "--store", store, "--out", str(out_file), "--graph",
                       "iom-bih-2019-05-22-border-police-meeting")
    assert code == 0 and "triples" in err
    assert len(Graph().parse(out_file, format="turtle")) > 100
    code, _, err = run("validate", "--store", store)
    assert code == 0 and "conforms" in err
    code, out, _ = run("stats", "--store", store)
    assert "releases   1" in out and "Meeting" in out


def test_exit_codes(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00binary")
    code, _, err = run("build", str(SEED), str(bad), "--store", store)
    assert code == 1
    assert f"error: {bad}: ingest failed: {bad}: binary file" in err
    code, _, err = run("query", "nope", "--store", store)
    assert code == 2 and err.startswith("error: nope: no such saved query")
    code, _, err = run("query", "events", "--store", store, "--param", "x=1")
    assert code == 2 and "unknown parameter" in err
    code, _, err = run("query", "events", "--store", str(tmp_path / "missing"))
    assert code == 2 and "no store here" in err
    code, _, err = run("build", str(tmp_path / "nothing.txt"), "--store", store)
    assert code == 2 and "no such file" in err
    code, _, err = run("export", "--store", store, "--out", str(tmp_path / "x.unknown"))
    assert code == 2 and "cannot tell the export format" in err


def test_validate_paths_reports_problems(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    code, out, _ = run("validate", str(SEED))
    assert code == 0
    code, out, _ = run("validate", str(bad))
    assert code == 1 and "empty file" in out


def test_installed_console_script_end_to_end(tmp_path: Path) -> None:
    exe = shutil.which("migkg", path=str(Path(sys.executable).parent)) or shutil.which("migkg")
    assert exe, "the migkg console script is not installed (pip install -e .)"
    env = dict(os.environ, MIGKG_STORE=str(tmp_path / "store"))
    r = subprocess.run([exe, "build", str(SEED)], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([exe, "query", "funding", "--format", "tsv"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Bureau of Population, Refugees, and Migration" in r.stdout
    r = subprocess.run([sys.executable, "-m", "migkg", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "migkg" in r.stdout


def test_explain_prints_statements_with_their_sentences(seed_store_dir: Path) -> None:
    prm = "https://w3id.org/migkg/id/organization/us-bureau-of-population-refugees-and-migration"
    code, out, err = run("explain", prm, "--store", str(seed_store_dir))
    assert code == 0, err
    assert "mkg:funder id:organization/us-bureau-of-population-refugees-and-migration" in out
    assert "financed by the U.S. State Department, Bureau of Population, Refugees and Migration" in out
    assert "from id:release/iom-bih-2019-05-22-border-police-meeting [" in out
    code, out, _ = run("explain", prm, "--store", str(seed_store_dir), "--format", "json")
    assert json.loads(out)["results"]["bindings"]
    code, _, err = run("explain", "https://w3id.org/migkg/id/organization/nobody", "--store", str(seed_store_dir))
    assert code == 2 and "no extracted statement" in err
