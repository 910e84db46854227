"""``migkg serve``: the embedded store, read-only, over HTTP (stdlib ``http.server``, one thread a request).

- ``/sparql`` — SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``);
  the default graph is the union of all graphs unless ``default-graph-uri`` is given. Results by
  ``Accept``: SPARQL JSON / XML / CSV / TSV; CONSTRUCT and DESCRIBE as Turtle / N-Triples /
  JSON-LD / RDF/XML. Updates are refused (403).
- ``/`` — a small query page. ``/void`` — the VoID + DCAT description naming this endpoint.
- ``/id/{path}`` — the IRI ``https://w3id.org/migkg/id/{path}``: ``303 See Other`` to the document
  ``/doc/{path}.{html|ttl|jsonld|nt|rdf|trig|nq}`` chosen by ``Accept`` (W3C "Cool URIs for the
  Semantic Web", 303 URIs forwarding to different documents); 404 when the store knows no such node.
- ``/ontology`` — hash namespace: ``200`` by ``Accept`` (HTML documentation or RDF) with ``Vary``
  and ``Content-Location``; ``/ontology.{html,ttl,jsonld,nt,rdf}``, ``/ontology/context.jsonld``,
  ``/ontology/frames/event.jsonld`` and ``/ontology/shapes.ttl`` as fixed documents.
"""

from __future__ import annotations

import html
import io
import urllib.parse
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from migkg import pages
from migkg.docs import TEMPLATES, load_ontology, page, render_docs, template
from migkg.errors import StoreError
from migkg.export import PREFIXES
from migkg.resources import resource
from migkg.store import EmbeddedStore
from migkg.vocab import ID

MAX_BODY = 1 << 20
RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# document suffix -> (media type, Oxigraph format; None for HTML and for compacted JSON-LD)
DOCS: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", None),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "trig": ("application/trig", ox.RdfFormat.TRIG),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS),
}
_ALIASES = {
    "application/xhtml+xml": "text/html",
    "application/json": "application/ld+json",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "application/xml": "application/rdf+xml",
}


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the ``Accept`` header prefers (RFC 9110 §12.5.1: q-values, then specificity), the first
    offer when there is no header, or None when nothing offered is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = _ALIASES.get(fields[0].lower(), fields[0].lower())
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    best, best_q = None, 0.0
    for offer in offers:
        kind = offer.split("/")[0]
        matches = [
            (3 if m == offer else 2 if m == f"{kind}/*" else 1, q)
            for m, q in ranges
            if m in (offer, f"{kind}/*", "*/*")
        ]
        if not matches:
            continue
        q = max(matches)[1]
        if q > best_q:
            best, best_q = offer, q
    return best


class MigkgServer(ThreadingHTTPServer):
    """A threaded HTTP server holding the read-only store it serves."""

    daemon_threads = True

    def __init__(self, store: EmbeddedStore, host: str, port: int, log: Callable[[str], None] | None) -> None:
        super().__init__((host, port), Handler)
        self.store = store
        self.log = log

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class Handler(BaseHTTPRequestHandler):
    """Routes requests; every response has a Content-Length so connections can be kept alive."""

    server: MigkgServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        if self.server.log:
            self.server.log(f"{self.address_string()} {format % args}")

    # ------------------------------------------------------------ plumbing
    def _send(
        self, status: int, body: bytes | str, media: str, headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        self.send_header("Content-Type", media + charset)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, message + "\n", "text/plain")

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path != "/sparql":
            self._error(405, "POST is accepted only at /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(413, f"request body larger than {MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if media == "application/x-www-form-urlencoded":
            params = {**params, **urllib.parse.parse_qs(body)}
        elif media == "application/sparql-query":
            params["query"] = [body]
        elif media == "application/sparql-update":
            params["update"] = [body]
        else:
            self._error(415, "send application/x-www-form-urlencoded or application/sparql-query")
            return
        self._sparql(params)

    def _route(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        try:
            if path == "/":
                self._send(200, _query_page(), "text/html")
            elif path == "/sparql":
                self._sparql(urllib.parse.parse_qs(url.query), page_if_empty=True)
            elif path in ("/void", "/.well-known/void"):
                self._void()
            elif path.startswith("/id/"):
                self._id(path[len("/id/") :])
            elif path.startswith("/doc/"):
                self._doc(path[len("/doc/") :])
            elif path == "/ontology" or path.startswith(("/ontology.", "/ontology/")):
                self._ontology(path)
            else:
                self._error(404, f"nothing at {path}; try / (query page), /sparql, /id/…, /ontology")
        except BrokenPipeError:
            pass
        except Exception as e:  # noqa: BLE001 - answer the client instead of dropping the connection
            self._error(500, f"internal error: {type(e).__name__}: {e}")

    # ------------------------------------------------------------ SPARQL 1.1 Protocol
    def _sparql(self, params: dict[str, list[str]], page_if_empty: bool = False) -> None:
        if "update" in params:
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        queries = params.get("query", [])
        if not queries:
            if (
                page_if_empty
                and negotiate(self.headers.get("Accept"), ["text/html", "text/plain"]) == "text/html"
            ):
                self._send(200, _query_page(), "text/html")
            else:
                self._error(400, "missing the query parameter (SPARQL 1.1 Protocol §2.1)")
            return
        if len(queries) > 1:
            self._error(400, "give exactly one query")
            return
        # The default graph is the merge of all graphs (each triple once), see migkg.store.
        kwargs: dict[str, Any] = {"use_default_graph_as_union": not self.server.store.merged}
        if params.get("default-graph-uri"):
            kwargs = {"default_graph": [ox.NamedNode(g) for g in params["default-graph-uri"]]}
        if params.get("named-graph-uri"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in params["named-graph-uri"]]
        try:
            result = self.server.store.oxigraph.query(queries[0], **kwargs)
        except SyntaxError as e:
            self._error(400, f"query does not parse: {e}")
            return
        except (ValueError, OSError) as e:
            self._error(400, f"query failed: {e}")
            return
        accept = self.headers.get("Accept")
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, list(GRAPHS))
            if media is None:
                self._error(406, "graph results are offered as " + ", ".join(GRAPHS))
                return
            buf = io.BytesIO()
            ox.serialize(result, buf, GRAPHS[media], prefixes=_prefixes(GRAPHS[media]))
            self._send(200, buf.getvalue(), media, {"Vary": "Accept"})
            return
        media = negotiate(accept, list(RESULTS))
        if media is None:
            self._error(406, "results are offered as " + ", ".join(RESULTS))
            return
        self._send(200, result.serialize(format=RESULTS[media]), media, {"Vary": "Accept"})

    # ------------------------------------------------------------ linked data
    def _node(self, path: str) -> ox.NamedNode | None:
        if not path or ".." in path.split("/"):
            return None
        try:
            node = ox.NamedNode(str(ID) + path)
        except ValueError:  # not a valid IRI: spaces, angle brackets…
            return None
        return node if pages.exists(self.server.store, node) else None

    def _id(self, path: str) -> None:
        if self._node(path) is None:
            self._error(404, f"{ID}{path}: no such node in this store")
            return
        offers = [DOCS[k][0] for k in DOCS]
        media = negotiate(self.headers.get("Accept"), offers)
        if media is None:
            self._error(406, "documents are offered as " + ", ".join(offers))
            return
        ext = next(k for k, (m, _) in DOCS.items() if m == media)
        location = "/doc/" + urllib.parse.quote(path) + "." + ext
        self._send(303, f"See {location}\n", "text/plain", {"Location": location, "Vary": "Accept"})

    def _doc(self, path: str) -> None:
        stem, _, ext = path.rpartition(".")
        node = self._node(stem) if ext in DOCS else None
        if node is None:
            self._error(404, f"/doc/{path}: no such document")
            return
        media, fmt = DOCS[ext]
        store = self.server.store
        headers: dict[str, str] = {}
        if ext == "html":
            self._send(200, pages.render(store, node, "/doc/" + stem), media, headers)
            return
        quads = pages.description(store, node)
        if ext == "jsonld":
            from migkg.jsonld import compact, dumps, expanded

            doc = compact(expanded(ox.Quad(q.subject, q.predicate, q.object) for q in quads))
            self._send(200, dumps(doc), media, headers)
            return
        assert fmt is not None
        buf = io.BytesIO()
        items: list[Any] = quads if fmt.supports_datasets else sorted({q.triple for q in quads}, key=str)
        ox.serialize(items, buf, fmt, prefixes=_prefixes(fmt))
        self._send(200, buf.getvalue(), media, headers)

    def _ontology(self, path: str) -> None:
        fixed = {
            "/ontology/context.jsonld": ("context.jsonld", "application/ld+json"),
            "/ontology/frames/event.jsonld": ("frames/event.jsonld", "application/ld+json"),
            "/ontology/shapes.ttl": ("shapes.ttl", "text/turtle"),
            "/ontology.ttl": ("migkg.ttl", "text/turtle"),
        }
        if path in fixed:
            name, media = fixed[path]
            self._send(200, resource("ontology", name).read_bytes(), media)
            return
        offers = {
            "html": "text/html",
            "ttl": "text/turtle",
            "jsonld": "application/ld+json",
            "nt": "application/n-triples",
            "rdf": "application/rdf+xml",
        }
        headers: dict[str, str] = {}
        if path == "/ontology":
            media = negotiate(self.headers.get("Accept"), list(offers.values()))
            if media is None:
                self._error(406, "the ontology is offered as " + ", ".join(offers.values()))
                return
            ext = next(k for k, v in offers.items() if v == media)
            headers = {"Vary": "Accept", "Content-Location": f"/ontology.{ext}"}
        else:
            ext = path[len("/ontology.") :]
            if ext not in offers:
                self._error(404, f"nothing at {path}")
                return
        if ext == "html":
            self._send(200, _ontology_html(), "text/html", headers)
        else:
            self._send(200, _ontology_rdf(DOCS[ext][1] or ox.RdfFormat.JSON_LD), offers[ext], headers)

    def _void(self) -> None:
        from migkg.publish import describe

        media = negotiate(
            self.headers.get("Accept"), ["text/turtle", "application/ld+json", "application/n-triples"]
        )
        if media is None:
            self._error(406, "the description is offered as Turtle, JSON-LD or N-Triples")
            return
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        g = describe(self.server.store, f"http://{host}/sparql")
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[
            media
        ]
        self._send(200, g.serialize(format=fmt), media, {"Vary": "Accept"})


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    """Prefixes for the readable formats; not ``id:``, whose local names would need ``\\/`` escapes."""
    readable = {k: v for k, v in PREFIXES.items() if k != "id"}
    return readable if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None


@cache
def _query_page() -> str:
    example = (TEMPLATES / "example.rq").read_text(encoding="utf-8")
    body = template("query.html").substitute(endpoint="/sparql", example=html.escape(example), base=str(ID))
    nav = '<a href="/ontology">ontology</a><a href="/void">dataset description</a>'
    return page("migkg SPARQL endpoint", body, nav=nav)


@cache
def _ontology_html() -> str:
    onto, shapes = load_ontology()
    links = " · ".join(
        f'<a href="{href}">{name}</a>'
        for href, name in (
            ("/ontology.ttl", "Turtle"),
            ("/ontology.jsonld", "JSON-LD"),
            ("/ontology/shapes.ttl", "shapes"),
            ("/ontology/context.jsonld", "JSON-LD context"),
            ("/ontology/frames/event.jsonld", "event frame"),
        )
    )
    return render_docs(onto, shapes, home="/", downloads=links)


@cache
def _ontology_rdf(fmt: ox.RdfFormat) -> bytes:
    triples = list(ox.parse(path=str(resource("ontology", "migkg.ttl")), format=ox.RdfFormat.TURTLE))
    buf = io.BytesIO()
    ox.serialize(triples, buf, fmt, prefixes=_prefixes(fmt))
    return buf.getvalue()


def make_server(
    store: EmbeddedStore, host: str = "127.0.0.1", port: int = 7878, log: Callable[[str], None] | None = None
) -> MigkgServer:
    """A server for ``store`` (open it read-only) bound to ``host:port`` (port 0: any free port)."""
    try:
        return MigkgServer(store, host, port, log)
    except OSError as e:
        raise StoreError(
            f"cannot listen on {host}:{port} ({e.strerror or e})",
            "choose another --port, or stop the program using it",
        ) from e


__all__ = ["MigkgServer", "make_server", "negotiate"]
