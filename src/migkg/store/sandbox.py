"""Network queries run in worker processes: a wall-clock timeout that stops the work, a row cap.

A query from the network may be slow on purpose (a cross join keeps a core busy for hours) or may
crash the engine. So :class:`QueryPool` keeps a few worker processes, each with its own read-only
:class:`~migkg.store.live.LiveStore`; a request waits at most ``timeout`` seconds for its worker's
answer, and a worker that has not answered by then is killed (SIGKILL: the engine's loop cannot be
interrupted otherwise) and replaced. A worker that dies (a crash in the engine) is replaced the
same way. A worker stops reading results after ``max_rows`` rows (``max_triples`` triples) and says
the answer was truncated, so no answer is held whole beyond the cap.

Results are written by this module (SPARQL 1.1 Query Results JSON, XML, CSV and TSV; Oxigraph's
serializers for graphs), since Oxigraph's own result serializers take the whole result.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json")
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Request:
    """One query from the network, with what the client accepts for each kind of result."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    results_media: str | None = None  # for SELECT and ASK; None: nothing acceptable
    graph_media: str | None = None  # for CONSTRUCT and DESCRIBE
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    """A worker's answer: an HTTP status, a media type and the body, and whether rows were cut."""

    status: int
    media: str
    body: bytes
    truncated: bool = False


# ---------------------------------------------------------------- serialization (worker side)
def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    raise TypeError(f"unexpected term {t!r}")


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
                f"</predicate><object>{_xml_term(t.object)}</object></triple>")
    raise TypeError(f"unexpected term {t!r}")


def _csv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.NamedNode | ox.Literal):
        return str(t.value)
    return str(t)


def serialize_rows(names: list[str], rows: list[list[Any]], media: str) -> bytes:
    """SELECT rows in a SPARQL 1.1 results format (JSON, XML, CSV or TSV)."""
    if media.endswith("json"):
        bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if media.endswith("xml"):
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                    for n, t in zip(names, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if media == "text/csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        for row in rows:
            w.writerow([_csv_term(t) for t in row])
        return buf.getvalue().encode("utf-8")
    # TSV: terms in their SPARQL/Turtle form (SPARQL 1.1 TSV §3)
    lines = ["\t".join("?" + n for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, media: str) -> bytes:
    if media.endswith("json"):
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media.endswith("xml"):
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return f"_askResult\n{'true' if value else 'false'}\n".encode() if media == "text/csv" else \
        f"?_askResult\n{'true' if value else 'false'}\n".encode()


def answer(store: ox.Store, req: Request, max_rows: int, merged: bool = False) -> Answer:
    """Run one request against ``store`` (worker side): the body, capped at ``max_rows`` rows or triples."""
    # the default graph is the merge of all graphs (each triple once) in a store that keeps one
    kwargs: dict[str, Any] = {"use_default_graph_as_union": not merged}
    if req.default_graphs:
        kwargs = {"default_graph": [ox.NamedNode(g) for g in req.default_graphs]}
    if req.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
    try:
        result = store.query(req.query, **kwargs)
        if isinstance(result, ox.QueryTriples):
            if req.graph_media is None:
                return Answer(406, "text/plain", ("graph results are offered as " + ", ".join(GRAPH_FORMATS)).encode())
            triples = []
            for t in result:
                if len(triples) == max_rows:
                    break
                triples.append(t)
            else:
                fmt = GRAPH_FORMATS[req.graph_media]
                return Answer(200, req.graph_media, _graph_bytes(triples, fmt, req.prefixes))
            fmt = GRAPH_FORMATS[req.graph_media]
            return Answer(200, req.graph_media, _graph_bytes(triples, fmt, req.prefixes), truncated=True)
        if req.results_media is None:
            return Answer(406, "text/plain", ("results are offered as " + ", ".join(RESULT_MEDIA)).encode())
        if isinstance(result, ox.QueryBoolean):
            return Answer(200, req.results_media, serialize_boolean(bool(result), req.results_media))
        names = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        truncated = False
        for sol in result:
            if len(rows) == max_rows:
                truncated = True
                break
            rows.append([sol[n] for n in names])
        return Answer(200, req.results_media, serialize_rows(names, rows, req.results_media), truncated)
    except SyntaxError as e:
        return Answer(400, "text/plain", f"query does not parse: {e}\n".encode())
    except (ValueError, OSError, RuntimeError) as e:
        return Answer(400, "text/plain", f"query failed: {e}\n".encode())


def _graph_bytes(triples: list[Any], fmt: ox.RdfFormat, prefixes: tuple[tuple[str, str], ...]) -> bytes:
    buf = io.BytesIO()
    readable = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
    ox.serialize(triples, buf, fmt, prefixes=dict(prefixes) if readable and prefixes else None)
    return buf.getvalue()


def _worker(conn: Connection, path: str, max_rows: int) -> None:
    """A worker process: answer requests from ``conn`` until it closes (run on a deep stack)."""
    import signal

    from migkg.policy import run_deep
    from migkg.store.live import LiveStore

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    def loop() -> None:
        live = LiveStore(Path(path)).follow()
        while True:
            try:
                req = conn.recv()
            except (EOFError, OSError):
                return
            try:
                current = live.current()
                ans = answer(current.oxigraph, req, max_rows, getattr(current, "merged", False))
            except Exception as e:  # noqa: BLE001 - answer, never die on one request
                ans = Answer(500, "text/plain", f"internal error: {type(e).__name__}: {e}\n".encode())
            conn.send(ans)
            current = None  # an idle worker must not keep a replaced store (and its deleted files) open

    run_deep(loop)


# ---------------------------------------------------------------- the pool (server side)
class _Worker:
    def __init__(self, ctx: Any, path: str, max_rows: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, path, max_rows), daemon=True, name="migkg-query")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """``workers`` query processes over the store at ``path``; see the module docstring."""

    def __init__(self, path: Path, workers: int = 2, timeout: float = 30.0, max_rows: int = 10_000) -> None:
        self.path = str(path)
        self.timeout = timeout
        self.max_rows = max_rows
        self._ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._add()

    def _add(self) -> None:
        w = _Worker(self._ctx, self.path, self.max_rows)
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, req: Request) -> Answer:
        """The answer to ``req``; 503 when it takes longer than the timeout (the worker is killed)."""
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer(503, "text/plain", b"every query worker is busy; try again later\n")
        try:
            w.conn.send(req)
            if not w.conn.poll(self.timeout):
                self._replace(w)
                return Answer(503, "text/plain",
                              f"query stopped after the {self.timeout:g} s time limit\n".encode())
            ans: Answer = w.conn.recv()
        except (EOFError, OSError):
            self._replace(w)
            return Answer(500, "text/plain", b"the query engine failed on this query; it was restarted\n")
        except BaseException:
            self._replace(w)
            raise
        self._idle.put(w)
        return ans

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
