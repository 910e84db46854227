"""``migkg serve``: the embedded store, read-only, over HTTP (a WSGI app under waitress).

- ``/sparql`` — SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``);
  the default graph is the union of all graphs unless ``default-graph-uri`` is given. Results by
  ``Accept``: SPARQL JSON / XML / CSV / TSV; CONSTRUCT and DESCRIBE as Turtle / N-Triples /
  JSON-LD / RDF/XML. Updates are refused (403).
- ``/`` — a small query page. ``/void`` — the VoID + DCAT description naming this endpoint.
- ``/entities`` — organizations, countries, events and programmes with search and counts;
  ``/queries`` and ``/queries/NAME`` — every saved query as a form, its rows sortable and downloadable
  (``/queries/NAME.csv``, ``.json``); pages in :mod:`migkg.browse`. Parameters are resolved and bound
  through the library (:mod:`migkg.query`, :mod:`migkg.bind`), and the query runs in the sandbox.
- ``/id/{path}`` — the IRI ``https://w3id.org/migkg/id/{path}``: ``303 See Other`` to the document
  ``/doc/{path}.{html|ttl|jsonld|nt|rdf|trig|nq}`` chosen by ``Accept`` (W3C "Cool URIs for the
  Semantic Web", 303 URIs forwarding to different documents); 404 when the store knows no such node.
- ``/ontology`` — hash namespace: ``200`` by ``Accept`` (HTML documentation or RDF) with ``Vary``
  and ``Content-Location``; ``/ontology.{html,ttl,jsonld,nt,rdf}``, ``/ontology/context.jsonld``,
  ``/ontology/frames/event.jsonld`` and ``/ontology/shapes.ttl`` as fixed documents.

Hardening (README, Robustness): waitress reads requests asynchronously (a slow or half-sent request
holds no thread and is dropped after ``read_timeout`` seconds of silence), refuses a bad or
oversized ``Content-Length`` itself, listens with a backlog of 1,024 and sets TCP_NODELAY. Queries
pass :func:`migkg.policy.check_query` (size, depth, SERVICE only to ``allow_service`` hosts) and
run in :class:`migkg.store.sandbox.QueryPool` worker processes (timeout, row cap). HTML responses carry a
Content-Security-Policy allowing only their own inline script and style (by hash); CORS headers
are sent only for the ``cors`` origins. Pages and workers follow new builds (:mod:`migkg.store.live`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rdflib import URIRef

from migkg import browse, pages
from migkg.api import KG
from migkg.bind import with_values
from migkg.docs import TEMPLATES, load_ontology, page, render_docs, template
from migkg.errors import MigkgError, StoreError
from migkg.export import PREFIXES
from migkg.policy import QueryRefused, check_query
from migkg.query import SavedQuery, bound, resolve_params, saved_queries
from migkg.resources import resource
from migkg.store import EmbeddedStore
from migkg.store.formats import convert_file, is_dataset, serialize
from migkg.store.live import LiveStore
from migkg.store.sandbox import GRAPH_FORMATS, RESULT_MEDIA, Answer, QueryPool, Request
from migkg.store.terms import is_iri
from migkg.vocab import ID

MAX_BODY = 1 << 20
DOC_CACHE = 128  # rendered /doc/ documents kept until the store changes
RESULTS = RESULT_MEDIA
GRAPHS = tuple(GRAPH_FORMATS)
# document suffix -> (media type, RDF format name; None for HTML and for compacted JSON-LD)
DOCS: dict[str, tuple[str, str | None]] = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", None),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "rdfxml"),
    "trig": ("application/trig", "trig"),
    "nq": ("application/n-quads", "nq"),
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




Response = tuple[int, bytes, str, dict[str, str]]  # status, body, media type, extra headers
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}"
                   r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)
_REASONS = {200: "OK", 204: "No Content", 303: "See Other", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
            415: "Unsupported Media Type", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class Options:
    """How ``migkg serve`` treats requests (the command-line options)."""

    timeout: float = 30.0  # seconds a query may run before its worker is killed
    max_rows: int = 10_000  # rows (or triples) in one answer; more are cut and the answer says so
    workers: int = 2  # query worker processes
    threads: int = 8  # request threads
    read_timeout: float = 30.0  # seconds of silence before a connection is dropped
    allow_service: tuple[str, ...] = ()  # hosts a SERVICE clause may name
    cors: tuple[str, ...] = ()  # origins sent Access-Control-Allow-Origin ("*": any)
    log: Callable[[str], None] | None = field(default=None, repr=False)


def csp(body: str) -> str:
    """A Content-Security-Policy for an HTML page: nothing but its own inline script and style (by hash),
    fetches to this origin, and forms and links that cannot be framed or rebased."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, content in _INLINE.findall(body):
        digest = base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    script = " ".join(hashes["script"]) or "'none'"
    style = " ".join(hashes["style"]) or "'none'"
    return (f"default-src 'none'; script-src {script}; style-src {style}; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class App:
    """The WSGI application: routes a request to a response; never raises to the server."""

    def __init__(self, store_path: Path, options: Options, pool: QueryPool | None = None) -> None:
        self.live = LiveStore(store_path).follow()
        self.options = options
        self.pool = pool or QueryPool(store_path, options.workers, options.timeout, options.max_rows)
        self._doc_cache: OrderedDict[tuple[int, str], Response] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._void_cache: tuple[int, Any] | None = None  # (store generation, the store's description)
        self._entities_cache: tuple[int, list[dict[str, Any]]] | None = None
        self._saved = {q.name: q for q in saved_queries()}

    def close(self) -> None:
        self.pool.close()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        req = _Incoming(environ)
        started = time.monotonic()
        try:
            status, body, media, headers = self._route(req)
        except Exception as e:  # noqa: BLE001 - answer the client instead of dropping the connection
            status, body, media, headers = _text(500, f"internal error: {type(e).__name__}: {e}")
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        out = [("Content-Type", media + charset), ("Content-Length", str(len(body))),
               ("X-Content-Type-Options", "nosniff")]
        if media == "text/html":
            out.append(("Content-Security-Policy", _csp_cached(body)))
        origin = environ.get("HTTP_ORIGIN")
        if self.options.cors and origin:
            if "*" in self.options.cors:
                out.append(("Access-Control-Allow-Origin", "*"))
            elif origin in self.options.cors:
                out += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        out += list(headers.items())
        start_response(f"{status} {_REASONS.get(status, 'Status')}", out)
        if self.options.log:
            self.options.log(f"{environ.get('REMOTE_ADDR', '-')} {req.method} {req.raw_path} {status} "
                             f"{len(body)} {1000 * (time.monotonic() - started):.1f} ms")
        return [] if req.method == "HEAD" else [body]

    # ------------------------------------------------------------ routing
    def _route(self, req: _Incoming) -> Response:
        path = req.path
        if req.method == "OPTIONS":
            headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
            if self.options.cors:
                headers |= {"Access-Control-Allow-Methods": "GET, POST",
                            "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "600"}
            return 204, b"", "text/plain", headers
        if req.method == "POST":
            if path != "/sparql":
                return _text(405, "POST is accepted only at /sparql")
            return self._post(req)
        if req.method not in ("GET", "HEAD"):
            return _text(405, f"{req.method} is not accepted here")
        if path == "/":
            return _html(_query_page())
        if path == "/sparql":
            return self._sparql(req, req.params, page_if_empty=True)
        if path in ("/void", "/.well-known/void"):
            return self._void(req)
        if path.startswith("/id/"):
            return self._id(req, path[len("/id/") :])
        if path.startswith("/doc/"):
            return self._doc(path[len("/doc/") :])
        if path == "/entities":
            return self._entities(req)
        if path in ("/queries", "/queries/"):
            return _html(browse.query_list(list(self._saved.values())))
        if path.startswith("/queries/"):
            return self._saved_query(req, path[len("/queries/") :])
        if path == "/ontology" or path.startswith(("/ontology.", "/ontology/")):
            return self._ontology(req, path)
        return _text(404, f"nothing at {path}; try / (query page), /entities, /queries, /sparql, /id/…, /ontology")

    def _post(self, req: _Incoming) -> Response:
        length = int(req.environ.get("CONTENT_LENGTH") or 0)  # digits only: waitress refuses anything else
        if length > MAX_BODY:
            return _text(413, f"request body larger than {MAX_BODY} bytes")
        body = req.environ["wsgi.input"].read(length).decode("utf-8", errors="replace")
        media = (req.environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        params = dict(req.params)
        if media == "application/x-www-form-urlencoded":
            params = {**params, **urllib.parse.parse_qs(body)}
        elif media == "application/sparql-query":
            params["query"] = [body]
        elif media == "application/sparql-update":
            params["update"] = [body]
        else:
            return _text(415, "send application/x-www-form-urlencoded or application/sparql-query")
        return self._sparql(req, params)

    # ------------------------------------------------------------ SPARQL 1.1 Protocol
    def _sparql(self, req: _Incoming, params: dict[str, list[str]], page_if_empty: bool = False) -> Response:
        if "update" in params:
            return _text(403, "this endpoint is read-only: SPARQL updates are refused")
        queries = params.get("query", [])
        if not queries:
            if page_if_empty and negotiate(req.accept, ["text/html", "text/plain"]) == "text/html":
                return _html(_query_page())
            return _text(400, "missing the query parameter (SPARQL 1.1 Protocol §2.1)")
        if len(queries) > 1:
            return _text(400, "give exactly one query")
        graphs: dict[str, tuple[str, ...]] = {}
        for key in ("default-graph-uri", "named-graph-uri"):
            for g in params.get(key, []):
                if not is_iri(g):
                    return _text(400, f"{key} {g!r} is not an IRI")
            graphs[key] = tuple(params.get(key, []))
        try:
            check_query(queries[0], allow_service=self.options.allow_service)
        except QueryRefused as e:
            return _text(400, str(e))
        results_media = negotiate(req.accept, list(RESULTS))
        graph_media = negotiate(req.accept, list(GRAPHS))
        prefixes = tuple((k, v) for k, v in PREFIXES.items() if k != "id")
        ans = self.pool.run(Request(queries[0], graphs["default-graph-uri"], graphs["named-graph-uri"],
                                    results_media, graph_media, prefixes))
        return _from_answer(ans, self.options.max_rows)

    # ------------------------------------------------------------ the analyst's pages
    def _kg(self) -> KG:
        """The library's face over the store as it is now (the pages follow new builds)."""
        return KG.over(self.live.current())

    def _entities(self, req: _Incoming) -> Response:
        generation = self.live.generation
        with self._cache_lock:
            cached = self._entities_cache if self._entities_cache and self._entities_cache[0] == generation else None
        if cached is None:
            cached = (generation, list(self._kg().query("entities")))
            with self._cache_lock:
                self._entities_cache = cached
        kind = req.params.get("kind", ["organization"])[0]
        search = req.params.get("q", [""])[0][:200]
        return _html(browse.entity_index(cached[1], kind, search))

    def _saved_query(self, req: _Incoming, rest: str) -> Response:
        """A saved query's page, or its rows as CSV or SPARQL JSON (``NAME.csv``, ``NAME.json``)."""
        stem, dot, ext = rest.rpartition(".")
        name, ext = (stem, ext) if dot and ext in browse.DOWNLOADS else (rest, "html")
        q = self._saved.get(name)
        if q is None:
            return _text(404, f"/queries/{rest}: no such saved query; see /queries")
        given = {p.name: v[0].strip() for p in q.params if (v := req.params.get(p.name)) and v[0].strip()}
        sort = req.params.get("sort", [None])[0]
        descending = req.params.get("order", ["asc"])[0] == "desc"
        if ext == "html" and "run" not in req.params and any(p.required for p in q.params):
            return _html(browse.query_page(q, given, None, None, None, sort, descending))
        try:
            text = self._bound(q, given)
        except MigkgError as e:
            if ext != "html":
                return _text(400, str(e))
            body = browse.query_page(q, given, None, str(e), None, sort, descending)
            return 400, body.encode("utf-8"), "text/html", {}
        media = browse.DOWNLOADS.get(ext, "application/sparql-results+json")
        ans = self.pool.run(Request(text, results_media=media))
        if ext != "html" or ans.status != 200:
            status, body, media, headers = _from_answer(ans, self.options.max_rows)
            if status == 200:
                filename = q.name.replace("/", "-") + "." + ext
                headers["Content-Disposition"] = f'attachment; filename="{filename}"'
            return status, body, media, headers
        import json

        table = browse.Table.from_json(json.loads(ans.body))
        cut = self.options.max_rows if ans.truncated else None
        return _html(browse.query_page(q, given, table, None, cut, sort, descending))

    def _bound(self, q: SavedQuery, given: dict[str, str]) -> str:
        """The saved query with its parameters resolved (:mod:`migkg.ids`), typed and bound as a
        ``VALUES`` row by rdflib (never pasted), checked by the serving policy."""
        kg = self._kg()
        text = with_values(*bound(q, resolve_params(kg.store, q, given)))
        check_query(text, allow_service=self.options.allow_service)
        return text

    # ------------------------------------------------------------ linked data
    def _node(self, path: str) -> URIRef | None:
        if not path or ".." in path.split("/"):
            return None
        if not is_iri(str(ID) + path):  # not a valid IRI: spaces, angle brackets…
            return None
        node = URIRef(str(ID) + path)
        return node if pages.exists(self.live.current(), node) else None

    def _id(self, req: _Incoming, path: str) -> Response:
        if self._node(path) is None:
            return _text(404, f"{ID}{path}: no such node in this store")
        offers = [DOCS[k][0] for k in DOCS]
        media = negotiate(req.accept, offers)
        if media is None:
            return _text(406, "documents are offered as " + ", ".join(offers))
        ext = next(k for k, (m, _) in DOCS.items() if m == media)
        location = "/doc/" + urllib.parse.quote(path) + "." + ext
        return 303, f"See {location}\n".encode(), "text/plain", {"Location": location, "Vary": "Accept"}

    def _doc(self, path: str) -> Response:
        """A node's document; kept in a small cache until the store changes (pages are read far more
        often than built, and the busiest nodes' pages are the costliest to render)."""
        store = self.live.current()
        key = (self.live.generation, path)
        with self._cache_lock:
            hit = self._doc_cache.get(key)
            if hit is not None:
                self._doc_cache.move_to_end(key)
                return hit
        response = self._render_doc(store, path)
        if response[0] == 200:
            with self._cache_lock:
                self._doc_cache[key] = response
                while len(self._doc_cache) > DOC_CACHE:
                    self._doc_cache.popitem(last=False)
        return response

    def _render_doc(self, store: EmbeddedStore, path: str) -> Response:
        stem, _, ext = path.rpartition(".")
        node = self._node(stem) if ext in DOCS else None
        if node is None:
            return _text(404, f"/doc/{path}: no such document")
        media, fmt = DOCS[ext]
        if ext == "html":
            return _html(pages.render(store, node, "/doc/" + stem))
        quads = pages.description(store, node)
        if ext == "jsonld":
            from migkg.jsonld import compact, dumps, expanded

            doc = compact(expanded((q.subject, q.predicate, q.object, None) for q in quads))
            return 200, dumps(doc).encode("utf-8"), media, {}
        assert fmt is not None
        body = serialize(quads, fmt, _prefixes(fmt), sorted_triples=not is_dataset(fmt))
        return 200, body, media, {}

    def _ontology(self, req: _Incoming, path: str) -> Response:
        fixed = {
            "/ontology/context.jsonld": ("context.jsonld", "application/ld+json"),
            "/ontology/frames/event.jsonld": ("frames/event.jsonld", "application/ld+json"),
            "/ontology/shapes.ttl": ("shapes.ttl", "text/turtle"),
            "/ontology.ttl": ("migkg.ttl", "text/turtle"),
        }
        if path in fixed:
            name, media = fixed[path]
            return 200, resource("ontology", name).read_bytes(), media, {}
        offers = {
            "html": "text/html",
            "ttl": "text/turtle",
            "jsonld": "application/ld+json",
            "nt": "application/n-triples",
            "rdf": "application/rdf+xml",
        }
        headers: dict[str, str] = {}
        if path == "/ontology":
            media = negotiate(req.accept, list(offers.values()))
            if media is None:
                return _text(406, "the ontology is offered as " + ", ".join(offers.values()))
            ext = next(k for k, v in offers.items() if v == media)
            headers = {"Vary": "Accept", "Content-Location": f"/ontology.{ext}"}
        else:
            ext = path[len("/ontology.") :]
            if ext not in offers:
                return _text(404, f"nothing at {path}")
        if ext == "html":
            return 200, _ontology_html().encode("utf-8"), "text/html", headers
        return 200, _ontology_rdf(DOCS[ext][1] or "jsonld"), offers[ext], headers

    def _void(self, req: _Incoming) -> Response:
        """The VoID description; the store's part is computed once per build (it counts the whole store),
        the endpoint named from the request's Host."""
        from rdflib import Graph

        from migkg.publish import add_sparql_endpoint, describe

        media = negotiate(req.accept, ["text/turtle", "application/ld+json", "application/n-triples"])
        if media is None:
            return _text(406, "the description is offered as Turtle, JSON-LD or N-Triples")
        host = req.environ.get("HTTP_HOST") or "{}:{}".format(req.environ["SERVER_NAME"], req.environ["SERVER_PORT"])
        if not _HOST.fullmatch(host):
            return _text(400, f"Host header {host[:100]!r} is not a host name or address")
        store, generation = self.live.current(), self.live.generation
        with self._cache_lock:
            cached = self._void_cache if self._void_cache and self._void_cache[0] == generation else None
        if cached is None:
            cached = (generation, describe(store))
            with self._cache_lock:
                self._void_cache = cached
        g = Graph()
        for prefix, ns in cached[1].namespaces():
            g.bind(prefix, ns)
        for t in cached[1]:
            g.add(t)
        add_sparql_endpoint(g, f"http://{host}/sparql")
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[media]
        return 200, g.serialize(format=fmt).encode("utf-8"), media, {"Vary": "Accept"}


class _Incoming:
    """The parts of a WSGI request the routes use."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        # PATH_INFO arrives percent-decoded and latin-1-wrapped (PEP 3333); take it back to text
        raw = environ.get("PATH_INFO", "/")
        try:
            self.path = raw.encode("latin-1").decode("utf-8")
        except UnicodeError:
            self.path = raw
        self.raw_path = urllib.parse.quote(self.path)
        self.params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        self.accept: str | None = environ.get("HTTP_ACCEPT")


def _text(status: int, message: str) -> Response:
    return status, (message + "\n").encode("utf-8"), "text/plain", {}


def _html(body: str) -> Response:
    return 200, body.encode("utf-8"), "text/html", {}


def _from_answer(ans: Answer, max_rows: int) -> Response:
    headers = {"Vary": "Accept"} if ans.status == 200 else {}
    if ans.truncated:
        headers["Migkg-Truncated"] = str(max_rows)
    return ans.status, ans.body, ans.media, headers


@lru_cache(maxsize=64)
def _csp_for(body: bytes) -> str:
    return csp(body.decode("utf-8"))


def _csp_cached(body: bytes) -> str:
    return _csp_for(body)  # the query page and the ontology are asked for again and again


def _prefixes(fmt: str) -> dict[str, str] | None:
    """Prefixes for the readable formats; not ``id:``, whose local names would need ``\\/`` escapes."""
    readable = {k: v for k, v in PREFIXES.items() if k != "id"}
    return readable if fmt in ("ttl", "trig", "rdfxml") else None


@cache
def _query_page() -> str:
    example = (TEMPLATES / "example.rq").read_text(encoding="utf-8")
    body = template("query.html").substitute(endpoint="/sparql", example=html.escape(example), base=str(ID))
    return page("migkg SPARQL endpoint", body, nav=pages.NAV + '<a href="/void">dataset description</a>')


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
def _ontology_rdf(fmt: str) -> bytes:
    return convert_file(resource("ontology", "migkg.ttl"), "ttl", fmt, _prefixes(fmt))


class Server:
    """``migkg serve``'s HTTP server: :class:`App` under waitress; :meth:`run` until :meth:`close`."""

    def __init__(self, app: App, host: str, port: int, options: Options) -> None:
        import waitress

        self.app = app
        try:
            self._server = waitress.create_server(
                app, host=host, port=port, threads=options.threads, backlog=1024,
                channel_timeout=max(1, int(options.read_timeout)), cleanup_interval=1,
                connection_limit=1000, asyncore_use_poll=True, max_request_body_size=MAX_BODY,
                max_request_header_size=256 * 1024, ident="migkg", expose_tracebacks=False,
            )
        except OSError as e:
            raise StoreError(f"cannot listen on {host}:{port} ({e.strerror or e})",
                             "choose another --port, or stop the program using it") from e
        self.host = host
        self.port = int(self._server.effective_port)  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def run(self) -> None:
        self._server.run()

    def close(self) -> None:
        self._server.close()
        self.app.close()


def make_server(store_path: Path, host: str = "127.0.0.1", port: int = 7878,
                options: Options | None = None) -> Server:
    """A server for the store at ``store_path`` (opened read-only) bound to ``host:port`` (0: any free port)."""
    options = options or Options()
    app = App(store_path, options)
    try:
        return Server(app, host, port, options)
    except BaseException:
        app.close()
        raise


__all__ = ["App", "Options", "Server", "csp", "make_server", "negotiate"]
