"""Push a built store to a real Virtuoso 7 and compare with Virtuoso's own bulk loader.

    python bench/push_virtuoso.py STORE [--work DIR] [--batch N ...] [--parallel N ...] [--kill-at 0.4]
        [--load update|gsp-graph|bulk ...] [--skip push|resume|bulk ...] [--out FILE.json]

STORE is an embedded store built by `migkg build` (e.g. the 10,000-release synthetic corpus of
bench/gen_corpus.py). Every run starts its own Virtuoso (tests/conftest_remote.py's VirtuosoServer:
free ports on 127.0.0.1, a database folder under --work, the same memory for every run):

1. `push` of the whole store, once per --batch, --parallel and --load, into a fresh database:
   seconds, quads/s, requests (--load bulk: the bulk transport, files in a folder of the server's
   DirsAllowed);
2. a push killed (SIGKILL of virtuoso-t) when --kill-at of the quads are sent, then the server
   restarted on the same database and the push run again: what the second run skipped and sent,
   and that the endpoint then holds exactly the store's quads;
3. the anchor: `migkg export` of the store as N-Quads, then Virtuoso's bulk loader (`ld_dir` +
   `rdf_loader_run` + `checkpoint`, run through isql-vt) into a fresh database.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest_remote import VirtuosoServer  # noqa: E402
from migkg.engines import profile  # noqa: E402
from migkg.errors import StoreError  # noqa: E402
from migkg.store import open_endpoint, open_store  # noqa: E402
from migkg.store.push import push  # noqa: E402
from migkg.store.remote import RemoteStore  # noqa: E402

BUFFERS = 60_000  # 8 KiB pages: ~470 MiB of cache for every run


def _server(work: Path, name: str) -> VirtuosoServer:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    server = VirtuosoServer(folder, buffers=BUFFERS)
    server.start()
    return server


def _cpu(server: VirtuosoServer) -> float:
    """CPU seconds (user + system) virtuoso-t has used so far: a cost that load on the machine does not change."""
    assert server.proc is not None
    fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _progress(label: str) -> Any:
    last = [0.0]

    def show(message: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] > 10 or (total is not None and done >= total):
            last[0] = now
            print(f"  {label}: {message} {done}/{total}", file=sys.stderr, flush=True)

    return show


def run_push(store_dir: Path, work: Path, batch: int | None, parallel: int | None,
             load: str | None = None) -> dict[str, Any]:
    server = _server(work, f"push-{batch}-{parallel}-{load}")
    try:
        with open_store(store_dir, read_only=True) as local, open_endpoint(server.url, timeout=600) as remote:
            bulk_dir = None
            if load == "bulk":  # the bulk transport: gzip N-Quads files in a folder of DirsAllowed
                bulk_dir = server.folder / "bulk"
                bulk_dir.mkdir()
            elif load:  # another transport than the profile's, for comparison (the profile is frozen data)
                remote._named = dataclasses.replace(profile("virtuoso"), load=load)
            t, cpu, client = time.monotonic(), _cpu(server), time.process_time()
            s = push(local, remote, batch=batch, parallel=parallel, bulk_dir=bulk_dir,
                     progress=_progress(f"push {load or ''} batch {batch} parallel {parallel}"))
            seconds = time.monotonic() - t
            cpu, client = _cpu(server) - cpu, time.process_time() - client
            held = len(remote)
        return {"batch": batch or (remote.profile.bulk_batch if bulk_dir else remote.profile.batch),
                "parallel": 1 if bulk_dir else parallel or remote.profile.parallel,
                "load": "bulk" if bulk_dir else remote.profile.load, "quads": s.quads, "graphs": len(s.pushed),
                "requests": s.requests, "seconds": round(seconds, 1), "quads_per_s": round(s.quads / seconds),
                "server_cpu_s": round(cpu, 1), "client_cpu_s": round(client, 1), "endpoint_quads": held}
    finally:
        server.stop()


class _Killer(RemoteStore):
    """Kills the server (SIGKILL) once `at` of the quads have been sent."""

    def __init__(self, server: VirtuosoServer, at: int) -> None:
        super().__init__(server.url, retries=1, backoff=0.05, timeout=600)
        self.server, self.at, self.sent = server, at, 0

    def _count(self, lines: int) -> None:
        if self.sent >= self.at:
            self.server.kill()
        self.sent += lines

    def update(self, sparql_update: str) -> None:
        self._count(sparql_update.count(" .\n"))
        super().update(sparql_update)

    def post_graph(self, name: str, ntriples: bytes) -> None:
        self._count(ntriples.count(b"\n"))
        super().post_graph(name, ntriples)

    def put_graph(self, name: str, ntriples: bytes) -> None:
        self._count(ntriples.count(b"\n"))
        super().put_graph(name, ntriples)


def run_resume(store_dir: Path, work: Path, kill_at: float) -> dict[str, Any]:
    server = _server(work, "resume")
    try:
        with open_store(store_dir, read_only=True) as local:
            total = len(local)
            t = time.monotonic()
            try:
                push(local, _Killer(server, int(total * kill_at)), progress=_progress("killed push"))
                raise AssertionError("the server was not killed")
            except StoreError as e:
                first = time.monotonic() - t
                print(f"  killed: {e}", file=sys.stderr)
            t = time.monotonic()
            server.start()
            restart = time.monotonic() - t
            with open_endpoint(server.url, timeout=600) as remote:
                t = time.monotonic()
                s = push(local, remote, progress=_progress("resumed push"))
                second = time.monotonic() - t
                held = len(remote)
        return {"kill_at": kill_at, "first_run_s": round(first, 1), "restart_s": round(restart, 1),
                "resumed_skipped_graphs": len(s.skipped), "resumed_pushed_graphs": len(s.pushed),
                "resumed_quads": s.quads, "resumed_s": round(second, 1), "endpoint_quads": held,
                "store_quads": total, "equal": held == total}
    finally:
        server.stop()


def run_bulk(store_dir: Path, work: Path) -> dict[str, Any]:
    server = _server(work, "bulk")
    try:
        data = server.folder / "load"
        data.mkdir()
        t = time.monotonic()
        subprocess.run([str(Path(sys.executable).parent / "migkg"), "export", "--store", str(store_dir),
                        "--out", str(data / "store.nq")], check=True)
        export_s = time.monotonic() - t
        t, cpu = time.monotonic(), _cpu(server)
        server.isql(f"ld_dir('{data}', '*.nq', 'https://w3id.org/migkg/id/graph/bulk-default');\n"
                    "rdf_loader_run();\ncheckpoint;")
        seconds, cpu = time.monotonic() - t, _cpu(server) - cpu
        with open_endpoint(server.url, timeout=600) as remote:
            held = len(remote)
        return {"export_s": round(export_s, 1), "seconds": round(seconds, 1), "server_cpu_s": round(cpu, 1),
                "quads": held, "quads_per_s": round(held / seconds)}
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/migkg-bench-virtuoso"))
    ap.add_argument("--batch", type=int, nargs="*", default=[0], help="0: the profile's batch")
    ap.add_argument("--parallel", type=int, nargs="*", default=[0], help="0: the profile's parallel")
    ap.add_argument("--load", nargs="*", default=[""], choices=["", "gsp-graph", "update", "bulk"],
                    help="how push writes (default: the profile's), e.g. update for INSERT DATA, bulk for "
                         "the bulk transport (--bulk-dir: a folder of the server's DirsAllowed)")
    ap.add_argument("--kill-at", type=float, default=0.4)
    ap.add_argument("--skip", nargs="*", default=[], choices=["push", "resume", "bulk"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("MIGKG_ENDPOINT_USER", "dba")
    os.environ.setdefault("MIGKG_ENDPOINT_PASSWORD", "dba")  # the bench's throwaway database on 127.0.0.1
    args.work.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                       "load_before": os.getloadavg()}}
    if "bulk" not in args.skip:
        out["bulk_loader"] = run_bulk(args.store, args.work)
        out["bulk_loader"]["load_after"] = os.getloadavg()
        print(json.dumps(out["bulk_loader"]), flush=True)
    if "push" not in args.skip:
        out["push"] = []
        for b, n, load in itertools.product(args.batch, args.parallel, args.load):
            out["push"].append(run_push(args.store, args.work, b or None, n or None, load or None))
            out["push"][-1]["load_after"] = os.getloadavg()
            print(json.dumps(out["push"][-1]), flush=True)
    if "resume" not in args.skip:
        out["resume"] = run_resume(args.store, args.work, args.kill_at)
        print(json.dumps(out["resume"]), flush=True)
    out["machine"]["load_after"] = os.getloadavg()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
