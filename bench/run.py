"""Benchmark migkg at several corpus sizes; writes one Markdown table (and the raw figures as JSON).

    python bench/run.py 1000 10000 [--jobs 2] [--work /tmp/migkg-bench] [--out bench/results/run.json]
                                   [--anchor OLD/src]
    python bench/run.py --queries-only STORE [NAME...] [--anchor OLD/src] [--engine-order] [--timeout S]
                        [--out FILE.json]

Each size runs in a fresh child process (so peak memory is per size): generate the corpus (cached
under --work), extraction alone, the time of each stage on a sample (read, extract, build the graph,
validate, serialize, load), end to end (``build_store``: extract + build + validate + load into a
new store), N-Quads export against Oxigraph's own dump, every saved query (median of three, rows)
and the actor graph (``draw`` to GraphML), the store's size on disk and peak memory. Queries and
graphs run in a grandchild with a time limit and an address-space limit, so one that blows up is
reported as such and the others are still measured. ``--anchor`` runs the same measurements with
another checkout's ``src`` folder (the old code path), in the same run, for comparison.

A query is measured as the CLI runs it: its rows streamed (``stream_query``) and written as SPARQL CSV
to a sink that discards them, so the time covers the engine, the terms and the writing, and the memory
is what the rows need on their way out. Code without streaming (an older ``--anchor``) is measured
through ``run_query`` and ``to_csv``, as its CLI did. ``--queries-only STORE`` measures only the saved
queries (or the NAMEs given) against a store already built (opened read-only), each in a process of
its own so that the peak memory is the query's: rows, seconds, rows per second, CPU seconds, peak MB;
``--engine-order`` adds a run of the new code with a closing ``ORDER BY`` left to Oxigraph.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

IOM = "https://w3id.org/migkg/id/organization/international-organization-for-migration"
PARAMS = {  # values for the saved queries that take parameters (the busiest organizer replaces IOM)
    "events-by-organizer": {"organizer": IOM},
    "meetings-by-organizer": {"organizer": IOM},
    "meetings-by-country": {"country": "https://w3id.org/migkg/id/country/AL"},
    "meetings-by-year": {"year": "2019"},
    "series-timeline": {"series": "https://w3id.org/migkg/id/series/regional-working-group-on-return"},
    "fact-releases": {"object": IOM},
    "explain": {"node": IOM},
    "organizations-by-name": {"name": "International Organization for Migration"},
    "organization-profile": {"organization": IOM},
    "node-releases": {"node": IOM},
    "organization-events": {"organization": IOM},
    "name-at-date": {"thing": "https://w3id.org/migkg/id/country/MK", "date": "2018-05-01"},
    "country-profile": {"country": "https://w3id.org/migkg/id/country/AL"},
}
GRAPHS = ("co-participation", "organizer-participant", "country", "flows", "bipartite",  # GraphML each
          "co-participation.html")  # and the HTML page of one
QUERY_TIMEOUT = 90.0  # seconds for one query (three runs) or one graph
ENGINE_ORDER = "MIGKG_BENCH_ENGINE_ORDER"  # set: the grandchild leaves a closing ORDER BY to the engine
QUERY_MEMORY = 6 << 30  # bytes of address space for the process running the queries


def _extract_chunk(files: list[str]) -> int:
    from migkg.extract import extract
    from migkg.ingest import read_release_file
    from migkg.reference import load

    d = load()
    n = 0
    for f in files:
        for r in read_release_file(f):
            extract(r, d)
            n += 1
    return n


def _peak_mb() -> float:
    """The peak resident memory of this process (VmHWM: since its start; ru_maxrss would carry the
    parent's peak over fork and exec) or of its finished children, whichever is larger, in MB."""
    own = next((int(ln.split()[1]) for ln in Path("/proc/self/status").read_text().splitlines()
                if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the build's workers): what the work costs,
    whatever else runs on a shared machine."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def stage_profile(files: list[str], work: Path, batch: int = 32) -> dict[str, float]:
    """Releases per CPU second of each stage, one process, on ``files``: where the time goes."""
    from migkg import build as _build
    from migkg.extract import extract
    from migkg.ingest import read_release_file
    from migkg.reference import load
    from migkg.store import nquads_bytes, open_store
    from migkg.validate import validate_many

    dicts = load()
    spent = Counter[str]()

    def timed(stage: str, fn: Any, *args: Any) -> Any:
        # CPU time of this process (its threads included: RocksDB's too), so that other work on a shared
        # machine does not count; the end-to-end figure is wall-clock time
        t = time.process_time()
        out = fn(*args)
        spent[stage] += time.process_time() - t
        return out

    # what the pipeline builds a release with: a set of triples (build_triples), or, in older code
    # (an --anchor), an rdflib Graph
    build = getattr(_build, "build_triples", _build.build_graph)
    releases = [r for f in files for r in timed("read", read_release_file, f)]
    extractions = [timed("extract", extract, r, dicts) for r in releases]
    graphs = [timed("build graph", build, ex, dicts) for ex in extractions]
    for i in range(0, len(graphs), batch):
        timed("validate", validate_many, graphs[i:i + batch])
    names = [_build.release_graph_iri(r.key) for r in releases]
    data = [timed("serialize", nquads_bytes, g, name) for g, name in zip(graphs, names, strict=True)]
    target = work / "stage-store"
    shutil.rmtree(target, ignore_errors=True)
    with open_store(target) as store:
        for name, nq in zip(names, data, strict=True):
            timed("load", store.replace_graph_nquads, name, nq)
    shutil.rmtree(target, ignore_errors=True)
    # the same writes without the merge (the default graph): what keeping the merge costs
    bare = ox.Store(str(target))
    for i, nq in enumerate(data):
        timed("load without the merge", bare.extend, list(ox.parse(nq, format=ox.RdfFormat.N_QUADS)))
        if i % 256 == 255:
            bare.flush()
    del bare
    shutil.rmtree(target, ignore_errors=True)
    n = len(releases)
    out = {stage: round(n / s, 1) for stage, s in spent.items()}
    out["all stages"] = round(n / (sum(spent.values()) - spent["load without the merge"]), 1)
    return out


def one_size(n: int, jobs: int, work: Path, tag: str) -> dict[str, object]:
    """Run every measurement at one corpus size; returns the figures."""
    from gen_corpus import generate

    from migkg.export import FORMATS, export
    from migkg.pipeline import build_store
    from migkg.store import open_store

    corpus = work / f"corpus-{n}"
    if not (corpus / ".done").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate(n, corpus, seed=1)
        (corpus / ".done").write_text("ok")
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    out: dict[str, object] = {"releases": n, "jobs": jobs, "code": tag, "load_before": os.getloadavg()[0]}

    t, cpu = time.perf_counter(), _cpu()
    chunks = [files[i:i + 64] for i in range(0, len(files), 64)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = sum(pool.map(_extract_chunk, chunks))
    out["extract_per_s"] = round(done / (time.perf_counter() - t), 1)
    out["extract_cpu_ms"] = round((_cpu() - cpu) / done * 1000, 2)
    out["stages_per_s"] = stage_profile(files[:min(n, 500)], work)

    store_dir = work / f"store-{n}-{tag}"
    shutil.rmtree(store_dir, ignore_errors=True)
    t, cpu = time.perf_counter(), _cpu()
    with open_store(store_dir) as store:
        summary = build_store([corpus], store, jobs=jobs)
    el = time.perf_counter() - t
    out["end_to_end_per_s"] = round(len(summary.loaded) / el, 1)
    out["end_to_end_cpu_ms"] = round((_cpu() - cpu) / max(1, len(summary.loaded)) * 1000, 2)
    t = time.perf_counter()
    with open_store(store_dir) as store:
        again = build_store([corpus], store, jobs=jobs)
    out["rebuild_unchanged_ms"] = round((time.perf_counter() - t) / max(1, len(again.unchanged)) * 1000, 3)
    out["failed"] = len(summary.failures)
    out["quads"] = summary.quads
    out["peak_mb_build"] = round(_peak_mb(), 1)
    out["store_mb"] = round(_du(store_dir) / 2**20, 1)

    nq = work / f"export-{n}.nq"
    with open_store(store_dir, read_only=True) as store:
        t = time.perf_counter()
        with nq.open("wb") as fh:
            export(store, fh, FORMATS["nq"])
        out["export_nq_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        store.dump(str(work / f"dump-{n}.nq"), "nq")
        out["oxigraph_dump_s"] = round(time.perf_counter() - t, 2)
    nq.unlink()
    (work / f"dump-{n}.nq").unlink()
    out["queries"] = measure_queries(store_dir, work, each=True)  # a process each: its peak memory is its own
    out.update(incremental(store_dir, files, work))  # last: it adds a release to the store
    out["load_after"] = os.getloadavg()[0]
    out["peak_mb"] = round(_peak_mb(), 1)
    return out


def incremental(store_dir: Path, files: list[str], work: Path) -> dict[str, float]:
    """One release added to the built store, the same release replaced, and one of the corpus's
    releases replaced (its facts shared with many others): ``build_store`` on one file each time
    (read, extract, validate, load with the merge, the series order), wall clock and CPU in ms.
    The corpus release is put back as it was; the added release stays in the store."""
    from migkg.pipeline import build_store
    from migkg.store import open_store

    folder = work / "incremental"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = Path(files[len(files) // 2])
    text = source.read_text(encoding="utf-8")
    added = folder / "bench-added-release.txt"
    replaced = folder / source.name  # same name: the same release key, so a replacement
    out: dict[str, float] = {}
    with open_store(store_dir) as store:
        for label, path, body in (("add", added, text.replace(" the ", " the new ", 1)),
                                  ("replace_added", added, text.replace(" the ", " a ", 1)),
                                  ("replace_shared", replaced, text.replace(" the ", " a ", 1)),
                                  ("restore_shared", replaced, text)):
            path.write_text(body, encoding="utf-8")
            t, cpu = time.perf_counter(), _cpu()
            summary = build_store([path], store, jobs=1)
            if len(summary.loaded) != 1:
                raise RuntimeError(f"incremental {label}: {summary.loaded} {summary.failures}")
            out[f"incremental_{label}_ms"] = round((time.perf_counter() - t) * 1000, 1)
            out[f"incremental_{label}_cpu_ms"] = round((_cpu() - cpu) * 1000, 1)
    shutil.rmtree(folder, ignore_errors=True)
    return out


# ---------------------------------------------------------------- queries, in a limited grandchild
def _query_names() -> list[str]:
    from migkg.query import saved_queries

    names = [q.name for q in saved_queries() if not q.name.startswith(("checks/", "construct/", "publish/"))]
    return names + [f"graph:{k}" for k in GRAPHS]


def _params_from(store: Any) -> dict[str, dict[str, str]]:
    """Parameter values that select something in this store: the busiest organizer, the first series."""
    from migkg.query import run_query
    from migkg.vocab import MKG

    params = {k: dict(v) for k, v in PARAMS.items()}
    organizers = Counter(str(r[1]) for r in run_query(store, "event-organizers").rows)
    if organizers:
        top = organizers.most_common(1)[0][0]
        for name, key in (("events-by-organizer", "organizer"), ("meetings-by-organizer", "organizer"),
                          ("fact-releases", "object"), ("explain", "node"), ("organization-profile", "organization"),
                          ("node-releases", "node")):
            params[name][key] = top
    # series-timeline requires its series: take the first one (rdflib term bound as a parameter)
    series = store.select_result("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 1", {"c": MKG.EventSeries}).rows
    if series:
        params["series-timeline"]["series"] = str(series[0][0])
    return params


class _Discard:
    """A text sink that keeps only the count of what is written (the CLI's standard output, minus the pipe)."""

    chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _rows_out(store: Any, name: str, params: dict[str, str]) -> int:
    """Run one saved query as ``migkg query NAME -f csv`` does, writing to a sink; the rows written."""
    import migkg.query as q

    sink = _Discard()
    if hasattr(q, "stream_query"):  # streamed: rows written as they come
        with q.stream_query(store, name, params) as stream:
            rows = 0

            def counted() -> Any:
                nonlocal rows
                for chunk in stream.chunks():
                    rows += len(chunk)
                    yield chunk

            q.write_csv(stream.variables, counted(), sink)
        return rows
    result = q.run_query(store, name, params)  # older code: every row held, then written
    sink.write(q.to_csv(result))
    return len(result.rows)


def run_queries(store_dir: Path, work: Path, names: list[str]) -> None:
    """(Grandchild) run each query three times (once when the first run takes over 10 s) and each graph
    once; one JSON line per result."""
    from migkg.draw import draw
    from migkg.store import open_store

    with open_store(store_dir, read_only=True) as store:
        if os.environ.get(ENGINE_ORDER):
            store.order_in_python = False  # the engine runs a closing ORDER BY itself
        # parameter values are looked up only for queries that take some (the look-up reads the store)
        params = _params_from(store) if any(n in PARAMS for n in names) else {}
        for name in names:
            print(json.dumps({"start": name}), flush=True)
            if name.startswith("graph:"):
                t = time.perf_counter()
                kind, _, suffix = name[6:].partition(".")
                g = draw(store, kind, work / f"{kind}.{suffix or 'graphml'}")
                res = {"ms": round((time.perf_counter() - t) * 1000, 1), "rows": g.number_of_edges(),
                       "nodes": g.number_of_nodes()}
            else:
                times, cpu = [], []
                while len(times) < 3 and sum(times) < 10:
                    t, c = time.perf_counter(), time.process_time()
                    rows = _rows_out(store, name, params.get(name, {}))
                    times.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                res = {"ms": round(statistics.median(times) * 1000, 1), "rows": rows,
                       "cpu_ms": round(statistics.median(cpu) * 1000, 1), "runs": len(times)}
            res["peak_mb"] = round(_peak_mb(), 1)
            print(json.dumps({"name": name, **res}), flush=True)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (QUERY_MEMORY, QUERY_MEMORY))


def _pump(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    """Hand the grandchild's output lines over, then None at its end (read in a thread: a time limit)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


def measure_queries(store_dir: Path, work: Path, names: list[str] | None = None, each: bool = False,
                    env: dict[str, str] | None = None,
                    timeout: float = QUERY_TIMEOUT) -> dict[str, dict[str, object]]:
    """Every saved query and graph (or ``names``) in a grandchild (restarted past one that times out or
    dies); with ``each``, one grandchild per query, so that its peak memory is the query's own."""
    todo = list(names) if names is not None else _query_names()
    results: dict[str, dict[str, object]] = {}
    while todo:
        batch = todo[:1] if each else todo
        results.update(_grandchild(store_dir, work, batch, env, timeout))
        todo = [n for n in todo if n not in results]
    return results


def _grandchild(store_dir: Path, work: Path, names: list[str], env: dict[str, str] | None,
                timeout: float) -> dict[str, dict[str, object]]:
    """Run ``names`` in one limited grandchild; the results it gave (a failed one named as such)."""
    results: dict[str, dict[str, object]] = {}
    proc = subprocess.Popen([sys.executable, __file__, "--queries", str(store_dir), "--work", str(work), *names],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_limit_memory,
                            env=env)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
    current = None
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            proc.kill()
            results[str(current)] = {"failed": f"over {timeout:.0f} s"}
            break
        if line is None:
            rc = proc.wait()
            if current is not None:
                err = (proc.stderr.read() if proc.stderr else "").strip().splitlines()  # type: ignore[union-attr]
                oom = any("memory allocation" in ln for ln in err)
                why = (f"out of memory ({QUERY_MEMORY >> 30} GB limit)" if oom else
                       f"died (exit {rc})" + (f": {err[-1][:80]}" if err else ""))
                results[current] = {"failed": why}
            break
        msg = json.loads(line)
        if "start" in msg:
            current = msg["start"]
        else:
            results[msg.pop("name")] = msg
            current = None
    proc.wait()
    if current is None and not results:  # died before its first query
        results[names[0]] = {"failed": f"died (exit {proc.returncode})"}
    return results


def queries_only(store_dir: Path, work: Path, names: list[str], anchor: Path | None, timeout: float,
                 engine_order: bool = False) -> dict[str, Any]:
    """The saved queries against a built store, each in its own process, with the new code, (with
    ``anchor``) the old, and (with ``engine_order``) the new with a closing ORDER BY left to the engine;
    the figures and the load average around them."""
    out: dict[str, Any] = {"store": str(store_dir), "load_before": os.getloadavg()[0], "runs": {}}
    paths = [("anchor", anchor)] if anchor else []
    paths += [("new", None)] + ([("new, engine sorts", None)] if engine_order else [])
    for tag, src in paths:
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = str(src.resolve())
        if tag == "new, engine sorts":
            env[ENGINE_ORDER] = "1"
        out["runs"][tag] = measure_queries(store_dir, work, names or None, each=True, env=env, timeout=timeout)
    out["load_after"] = os.getloadavg()[0]
    return out


def queries_table(figures: dict[str, Any]) -> str:
    """Per query and code path: rows, seconds, rows per second, CPU seconds, peak MB."""
    lines = ["| query | code | rows | s | rows/s | CPU s | peak MB |", "|---|---|---|---|---|---|---|"]
    runs = figures["runs"]
    for name in next(iter(runs.values())):
        for tag, results in runs.items():
            r = results.get(name, {"failed": "not run"})
            if "failed" in r:
                lines.append(f"| {name} | {tag} | **{r['failed']}** | | | | |")
                continue
            s = r["ms"] / 1000
            rate = f"{r['rows'] / s:,.0f}" if s else "–"
            lines.append(f"| {name} | {tag} | {r['rows']:,} | {s:,.2f} | {rate} | {r.get('cpu_ms', 0) / 1000:,.2f} | "
                         f"{r['peak_mb']:,.0f} |")
    lines.append(f"\nload average {figures['load_before']:.1f} before, {figures['load_after']:.1f} after")
    return "\n".join(lines)


# ---------------------------------------------------------------- the table
def table(sizes: list[dict[str, Any]]) -> str:
    """One Markdown table: a column per size (and code path), a row per measurement."""
    cols = [f"{s['releases']:,} {s['code']}" for s in sizes]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Any) -> None:
        vals = []
        for s in sizes:
            try:
                v = get(s)
            except (KeyError, TypeError):
                v = "–"
            vals.append(f"{v:,}" if isinstance(v, int | float) else str(v))
        rows.append((label, vals))

    row("load average (before / after)", lambda s: f"{s['load_before']:.1f} / {s['load_after']:.1f}")
    row("extraction alone, releases/s", lambda s: s["extract_per_s"])
    row("extraction alone, CPU ms a release", lambda s: s.get("extract_cpu_ms", "–"))
    for stage in sizes[0]["stages_per_s"]:
        row(f"stage {stage}, releases per CPU second (1 process)", lambda s, st=stage: s["stages_per_s"][st])
    row("**end to end, releases/s**", lambda s: s["end_to_end_per_s"])
    row("end to end, CPU ms a release (all processes)", lambda s: s.get("end_to_end_cpu_ms", "–"))
    row("rebuild of unchanged input, ms a release", lambda s: s.get("rebuild_unchanged_ms", "–"))
    for label, what in (("add", "add one release"), ("replace_added", "replace that release"),
                        ("replace_shared", "replace a corpus release")):
        row(f"{what}, ms (CPU ms)",
            lambda s, k=label: f"{s[f'incremental_{k}_ms']} ({s[f'incremental_{k}_cpu_ms']})")
    row("quads in the named graphs", lambda s: s["quads"])
    row("store on disk, MB", lambda s: s["store_mb"])
    row("peak memory (build), MB", lambda s: s["peak_mb_build"])
    row("N-Quads export / Oxigraph dump, s", lambda s: f"{s['export_nq_s']} / {s['oxigraph_dump_s']}")
    names = list(sizes[0]["queries"])
    for name in names:
        def cell(s: dict[str, Any], n: str = name) -> str:
            r = s["queries"][n]
            if "failed" in r:
                return f"**{r['failed']}**"
            return f"{r['ms']:,} ms, {r['rows']:,} rows, {r.get('peak_mb', 0):,.0f} MB"
        kind, _, suffix = name[6:].partition(".")
        label = (f"graph {kind} ({'HTML page' if suffix else 'GraphML'})" if name.startswith("graph:")
                 else f"query {name}")
        row(label, cell)
    row("peak memory (queries and graphs), MB",
        lambda s: max(r.get("peak_mb", 0) for r in s["queries"].values()))
    head = "| | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols) + "\n"
    return head + "".join(f"| {label} | " + " | ".join(v) + " |\n" for label, v in rows)


def machine() -> dict[str, object]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**20, 1),
            "python": platform.python_version(), "oxigraph": ox.__version__}


def _child(n: int, jobs: int, work: Path, src: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    tag = "new"
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
        tag = "anchor"
    proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--jobs", str(jobs), "--work", str(work),
                           "--tag", tag], capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        why = f"exit {proc.returncode}" if proc.returncode > 0 else f"killed by signal {-proc.returncode}"
        sys.exit(f"bench at {n} releases ({tag}) failed ({why}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", default=["1000", "10000"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/migkg-bench"))
    ap.add_argument("--out", type=Path, default=None, help="also write the figures here (JSON)")
    ap.add_argument("--anchor", type=Path, default=None,
                    help="another checkout's src folder (the old code path), measured too")
    ap.add_argument("--queries-only", type=Path, default=None, metavar="STORE",
                    help="measure only the saved queries (the sizes given are then query NAMEs) on a built store")
    ap.add_argument("--timeout", type=float, default=QUERY_TIMEOUT, help="seconds one query may take")
    ap.add_argument("--engine-order", action="store_true",
                    help="with --queries-only: also measure with a closing ORDER BY left to the engine")
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--tag", default="new", help=argparse.SUPPRESS)
    if sys.argv[1:2] == ["--queries"]:  # the grandchild: --queries STORE --work DIR NAME...
        run_queries(Path(sys.argv[2]), Path(sys.argv[4]), sys.argv[5:])
        return
    if sys.argv[1:2] == ["--incremental"]:  # --incremental STORE CORPUS WORK: only that, on a built store
        corpus_files = sorted(str(p) for p in Path(sys.argv[3]).rglob("*.txt"))
        print(json.dumps(incremental(Path(sys.argv[2]), corpus_files, Path(sys.argv[4]))))
        return
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    if a.queries_only is not None:
        names = [] if a.sizes == ap.get_default("sizes") else list(a.sizes)
        figures = queries_only(a.queries_only, a.work, names, a.anchor, a.timeout, a.engine_order)
        if a.out:
            a.out.parent.mkdir(parents=True, exist_ok=True)
            a.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(queries_table(figures))
        return
    if a.one is not None:
        print(json.dumps(one_size(a.one, a.jobs, a.work, a.tag)))
        return
    results: dict[str, Any] = {"machine": machine(), "sizes": []}
    for n in map(int, a.sizes):
        for src in ([a.anchor] if a.anchor else []) + [None]:
            figures = _child(n, a.jobs, a.work, src)
            results["sizes"].append(figures)
            print(json.dumps(figures), file=sys.stderr, flush=True)
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results["sizes"]))
    print(json.dumps(results["machine"]))


if __name__ == "__main__":
    main()
