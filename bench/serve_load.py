"""Load and hostile-request figures for ``migkg serve`` (issue 16), on 127.0.0.1 only.

Starts the real server on a free port over a store (build one first), then measures:

- requests/s, p50 and p99 latency for a cheap ``/sparql`` query (``ASK {}``) and a ``/doc`` page,
  with 1 keep-alive client and with 16 concurrent keep-alive clients, counting refused connections;
- the memory (RSS of the server and its query workers) before and after 10,000 requests;
- time-to-refuse for each hostile request of the issue;
- how long ``migkg build --jobs 2`` takes to stop on SIGTERM.

Every loop is bounded in count. Results as JSON on standard output (and ``--out FILE``)::

    .venv/bin/migkg build data/releases --store /tmp/bench-store
    .venv/bin/python bench/serve_load.py --store /tmp/bench-store --out bench/results/serve.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("migkg"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(store: Path, *options: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([EXE, "serve", "--store", str(store), "--port", str(port), "--quiet", *options],
                            stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    get_status(port, "/sparql?query=ASK%7B%7D")  # workers up
    return proc, port


def get_status(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]


def load(port: int, path: str, clients: int, per_client: int) -> dict[str, float]:
    latencies: list[float] = []
    refused = [0]
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine = []
            for _ in range(per_client):
                t0 = time.perf_counter()
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                mine.append(time.perf_counter() - t0)
                if r.status != 200:
                    with lock:
                        errors[0] += 1
            conn.close()
            with lock:
                latencies.extend(mine)
        except ConnectionRefusedError:
            with lock:
                refused[0] += 1
        except OSError:
            with lock:
                errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(latencies), "requests_per_s": round(len(latencies) / wall),
            "p50_ms": round(1000 * pct(latencies, 0.5), 2), "p99_ms": round(1000 * pct(latencies, 0.99), 2),
            "refused": refused[0], "errors": errors[0]}


def rss_kb(pid: int) -> int:
    pids = [pid] + [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def raw(port: int, data: bytes, timeout: float = 60) -> tuple[bytes, float]:
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out and b"Connection: close" not in data:
                break
    return out[:12], time.perf_counter() - t0


def hostile(port: int) -> dict[str, dict[str, object]]:
    def q(query: str, **extra: str) -> bytes:
        return (f"GET /sparql?{urllib.parse.urlencode({'query': query, **extra})} HTTP/1.1\r\nHost: x\r\n"
                "Connection: close\r\n\r\n").encode()

    n = 5000
    cases = {
        "deep query (5,000 parentheses)": q("SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) {}"),
        "SERVICE to 127.0.0.1": q("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
        "4-way cross join (timeout 5 s)": q("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
        "Content-Length: -1": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n"
                              b"Content-Type: application/sparql-query\r\n\r\nASK {}",
        "2 MiB body": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 2097152\r\n\r\n" + b" " * (2 << 20),
        "half-sent body (read timeout 5 s)": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                                             b"Content-Type: application/sparql-query\r\n\r\nASK",
        "default-graph-uri=not an iri": q("ASK {}", **{"default-graph-uri": "not an iri"}),
        "hostile Host on /void": b"GET /void HTTP/1.1\r\nHost: evil host\r\nConnection: close\r\n\r\n",
    }
    out: dict[str, dict[str, object]] = {}
    for name, data in cases.items():
        status, took = raw(port, data)
        out[name] = {"answer": status.decode(errors="replace").strip() or "(closed)", "seconds": round(took, 3)}
    return out


def build_stop(seconds: float = 3.0) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "releases"
        folder.mkdir()
        for i in range(3):
            for src in sorted((ROOT / "data" / "releases").glob("*.txt")):
                shutil.copyfile(src, folder / f"c{i}-{src.name}")
        proc = subprocess.Popen([EXE, "build", str(folder), "--store", str(Path(tmp) / "store"), "--jobs", "2",
                                 "--quiet"], stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(seconds)
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        return round(time.perf_counter() - t0, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--requests", type=int, default=2000, help="requests per run with one client")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    proc, port = start(a.store, "--timeout", "5", "--read-timeout", "5")
    doc = "/doc/organization/international-organization-for-migration.html"
    results: dict[str, object] = {"cores": os.cpu_count(), "loadavg_before": os.getloadavg()}
    try:
        runs = {}
        for name, path in (("sparql ASK {}", "/sparql?query=ASK%7B%7D"), ("doc page", doc)):
            runs[name] = [load(port, path, 1, a.requests), load(port, path, 16, a.requests // 8)]
        results["load"] = runs
        before = rss_kb(proc.pid)
        load(port, "/sparql?query=ASK%7B%7D", 10, 500)
        load(port, doc, 10, 500)
        results["rss_kb"] = {"before": before, "after_10000_requests": rss_kb(proc.pid)}
        results["hostile"] = hostile(port)
        results["alive_after"] = get_status(port, "/sparql?query=ASK%7B%7D") == 200
    finally:
        proc.terminate()
        proc.wait(30)
    results["build_sigterm_stop_s"] = build_stop()
    results["loadavg_after"] = os.getloadavg()
    text = json.dumps(results, indent=1)
    print(text)
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
