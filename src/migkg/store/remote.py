"""A remote SPARQL 1.1 endpoint behind the same interface as the embedded store.

Queries go through SPARQLWrapper (SPARQL 1.1 Protocol, JSON results, converted to rdflib terms);
writes through the Graph Store Protocol (N-Triples per named graph, N-Quads for a batch of graphs)
and the SPARQL 1.1 Update endpoint. Queries must see the union of the named graphs as their
default graph, as in the embedded store (Oxigraph server: ``--union-default-graph``; Virtuoso does
so by default).

What differs between servers (update and Graph Store paths, authentication, how ``push`` writes,
JSON result quirks, the server's own graphs, row limits) comes from an engine profile
(:mod:`migkg.engines`), named or detected from the ``Server`` header of the first answer.
Credentials come from the environment or a netrc file and are only handed to urllib's
authentication handlers, which answer the server's challenge; they never reach a message.

Parameters are bound by a ``VALUES`` block that rdflib builds and checks (:func:`migkg.bind.with_values`);
connection errors, HTTP 5xx and timeouts are retried
with exponential backoff, then reported on one line naming the endpoint.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from migkg.bind import with_values
from migkg.engines import PASSWORD_ENV, USER_ENV, Profile, check_url, credentials, detect, profile
from migkg.errors import StoreError
from migkg.model import Result
from migkg.store.embedded import write_ox_data
from migkg.store.stream import ListStream, ResultStream
from migkg.store.terms import Converter, Quad, Triple, distinct_triples, graph_quads
from migkg.vocab import ID, MKG, XSD

PUSH_MANIFEST = ID["graph/push-manifest"]
_T = TypeVar("_T")
_BNODE_ID = re.compile(r"[A-Za-z0-9_]+")


def _bnode_id(value: str) -> str:
    """A blank node label every RDF syntax accepts (Virtuoso answers ``nodeID://b10007``)."""
    return value if _BNODE_ID.fullmatch(value) else "b" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:20]


def _check_kind(kind: str, literal_types: tuple[str, ...]) -> None:
    if kind not in ("uri", "bnode") and kind not in literal_types:
        raise StoreError(f"unknown term type {kind!r} in a SPARQL JSON answer",
                         "choose the endpoint's --engine (its profile lists the term types it answers)")


def _term(b: dict[str, str], literal_types: tuple[str, ...] = ("literal", "typed-literal")) -> Node:
    kind = b["type"]
    _check_kind(kind, literal_types)
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        return BNode(_bnode_id(b["value"]))
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    if dt and dt != str(XSD.string):
        return Literal(b["value"], datatype=URIRef(dt))
    return Literal(b["value"])


def _ox_term(b: dict[str, str], literal_types: tuple[str, ...] = ("literal", "typed-literal")) -> Any:
    """A JSON result term straight to pyoxigraph, keeping its lexical form (rdflib would normalize it)."""
    kind = b["type"]
    _check_kind(kind, literal_types)
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(_bnode_id(b["value"]))
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    dt = b.get("datatype")
    return ox.Literal(b["value"], datatype=ox.NamedNode(dt)) if dt else ox.Literal(b["value"])


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that, once challenged, answers later requests with the same nonce (its
    count incremented, RFC 7616) instead of sending every request body twice; a stale nonce is
    challenged again and answered as usual."""

    def __init__(self, manager: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(manager)
        self._challenge: dict[str, str] | None = None

    def http_error_auth_reqed(self, auth_header: str, host: str, req: urllib.request.Request,
                              headers: Any) -> Any:
        for value in headers.get_all(auth_header) or []:
            scheme, _, rest = value.partition(" ")
            if scheme.lower() == "digest":
                self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge is not None and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self._challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


class RemoteStore:
    """A SPARQL 1.1 endpoint (query URL, optional update and Graph Store Protocol URLs, engine profile)."""

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = 30.0, retries: int = 4, backoff: float = 0.25,
                 engine: str | None = None) -> None:
        self.query_url = check_url(query_url)
        self._update_url = check_url(update_url) if update_url else None
        self._gsp_url = check_url(gsp_url) if gsp_url else None
        self._named = profile(engine) if engine else None
        self._detected: Profile | None = None
        self._probed = False
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._credentials = credentials(self.query_url)
        self._local = threading.local()  # an opener per sender thread: a Digest handler keeps its nonce and count

    @property
    def _opener(self) -> urllib.request.OpenerDirector:
        opener: urllib.request.OpenerDirector | None = getattr(self._local, "opener", None)
        if opener is None:
            opener = self._local.opener = self._make_opener()
        return opener

    def _make_opener(self) -> urllib.request.OpenerDirector:
        """An opener whose auth handlers answer the server's Basic or Digest challenge; nothing else
        ever sees the password (it is not logged, not put in a URL and not in an error)."""
        urls = [u for u in (self.query_url, self._update_url, self._gsp_url) if u]
        found = self._credentials
        if found is None:
            return urllib.request.build_opener()
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in urls:
            parts = urllib.parse.urlsplit(url)
            manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", found[0], found[1])
        return urllib.request.build_opener(_Digest(manager), urllib.request.HTTPBasicAuthHandler(manager))

    @property
    def profile(self) -> Profile:
        """The named engine's profile, else the detected one, else ``generic``."""
        return self._named or self._detected or profile("generic")

    @property
    def engine(self) -> str:
        return self.profile.name

    @property
    def update_url(self) -> str | None:
        return self._update_url or self.profile.sibling(self.query_url, self.profile.update_path)

    @property
    def gsp_url(self) -> str | None:
        return self._gsp_url or self.profile.sibling(self.query_url, self.profile.gsp_path)

    def detect_engine(self) -> Profile:
        """Ask one trivial query (when no engine is named and none was seen yet) and return the profile."""
        if self._named is None and not self._probed:
            self._json("ASK {}")
        return self.profile

    @property
    def location(self) -> str:
        return self.query_url

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    # ------------------------------------------------------------ requests with retries
    def _retry(self, url: str, call: Callable[[], _T]) -> _T:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return call()
            except urllib.error.HTTPError as e:
                if e.code in (401, 403):
                    raise StoreError(f"{url}: HTTP {e.code} {e.reason}",
                                     f"the endpoint refused the credentials (${USER_ENV} and "
                                     f"${PASSWORD_ENV}, or a netrc entry for the host)") from None
                if e.code < 500 or attempt == self.retries:
                    detail = e.read()[:300].decode("utf-8", "replace").strip().splitlines()
                    detail = [d for d in detail if d.strip() and not d.lstrip().startswith("<")]
                    more = f" ({detail[0].strip()[:160]})" if detail else ""
                    raise StoreError(f"{url}: HTTP {e.code} {e.reason}{more}",
                                     "check the endpoint URL and the request") from None
            except EndPointInternalError as e:
                if attempt == self.retries:
                    raise StoreError(f"{url}: HTTP 500 after {attempt + 1} attempt(s)",
                                     "the endpoint failed; try again later") from e
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                if attempt == self.retries:
                    reason = str(getattr(e, "reason", e)) or type(e).__name__
                    raise StoreError(f"{url}: unreachable after {attempt + 1} attempt(s) ({reason})",
                                     "is the endpoint running? check --endpoint") from e
            except SPARQLWrapperException as e:
                raise StoreError(f"{url}: {str(e).splitlines()[0]}") from e
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _http(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None) -> bytes:
        def call() -> bytes:
            req = urllib.request.Request(url, data=body, method=method)
            if content_type:
                req.add_header("Content-Type", content_type)
            if accept:
                req.add_header("Accept", accept)
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.read()  # type: ignore[no-any-return]

        return self._retry(url, call)

    # ------------------------------------------------------------ reads
    def _json(self, sparql: str) -> dict[str, Any]:
        def call() -> dict[str, Any]:
            w = SPARQLWrapper(self.query_url)
            w.setMethod(POST)
            w.setReturnFormat(JSON)
            w.setTimeout(int(max(1, self.timeout)))
            w.setQuery(sparql)
            # SPARQLWrapper guesses the query type from the text and can take a word in a comment
            # ("Virtuoso drops rows …") for an update keyword; everything sent here is a query.
            w.queryType = SELECT
            answer = w.query()
            headers = answer.response.headers
            if not self._probed:
                self._probed = True
                self._detected = detect(headers.get("Server"))
            cut = self.profile.truncation_header
            if cut and headers.get(cut):
                raise StoreError(f"{self.query_url}: the server cut the answer at {headers.get(cut)} rows",
                                 "raise its limit (Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini)")
            return answer.convert()  # type: ignore[return-value]

        return self._retry(self.query_url, call)

    def _bindings(self, sparql: str, bindings: dict[str, Node] | None = None) -> dict[str, Any]:
        return self._json(with_values(sparql, bindings or {}))

    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT (parameters bound by a VALUES block) and return rows of rdflib terms."""
        doc = self._bindings(sparql, bindings)
        if "results" not in doc:
            raise StoreError("only SELECT queries return rows", "use a SELECT query")
        names = tuple(doc["head"]["vars"])
        types = self.profile.literal_types
        rows = tuple(tuple(_term(b[n], types) if n in b else None for n in names)
                     for b in doc["results"]["bindings"])
        return Result(names, rows)

    def select_stream(self, sparql: str, bindings: dict[str, Node] | None = None) -> ResultStream:
        """:meth:`select_result` through the stream interface: the answer is read and parsed whole (the
        SPARQL JSON document), then its rows are streamed."""
        result = self.select_result(sparql, bindings)
        return ListStream(result.variables, result.rows)

    def _ours(self, graph: str) -> bool:
        return graph != str(PUSH_MANIFEST) and not self.profile.hidden(graph)

    def _graph_sizes(self) -> dict[str, int]:
        rows = self.select_result("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        return {str(g): int(n) for g, n in rows if isinstance(g, URIRef) and self._ours(str(g))}

    def graph_names(self) -> list[str]:
        """Our named graphs: not the push manifest, not the engine's own graphs."""
        return sorted(self._graph_sizes())

    def __len__(self) -> int:
        return sum(self._graph_sizes().values())

    def releases(self) -> int:
        rows = self.select_result("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?c }",
                                  {"c": MKG.Release}).rows
        return int(rows[0][0])

    def ox_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """Every quad of our named graphs (or of one), as pyoxigraph quads (for export), graph by graph."""
        types = self.profile.literal_types
        for name in [str(graph)] if graph is not None else self.graph_names():
            doc = self._bindings("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
            for b in doc["results"]["bindings"]:
                yield ox.Quad(_ox_term(b["s"], types), _ox_term(b["p"], types), _ox_term(b["o"], types),
                              ox.NamedNode(name))

    def ox_facts(self) -> Iterator[ox.Triple]:
        """Every distinct triple of our named graphs, each once (for the triple export formats); read
        graph by graph like :meth:`quads`, so the engine's own graphs and row limits are respected."""
        return distinct_triples(self.ox_quads())

    def ox_evidence(self) -> Iterator[ox.Triple]:
        """Nothing more: :meth:`ox_facts` reads the union of the named graphs, evidence records included."""
        return iter(())

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Every quad of our named graphs (or of one), graph by graph, in rdflib terms."""
        convert = Converter()
        return (convert.quad(q) for q in self.ox_quads(graph))

    def facts(self) -> Iterator[Triple]:
        """Every distinct triple of our named graphs, each once, in rdflib terms."""
        convert = Converter()
        return (convert.triple(t) for t in self.ox_facts())

    def write(self, out: IO[bytes], fmt: str, graph: URIRef | None = None,
              prefixes: dict[str, str] | None = None) -> int:
        """Write the endpoint's graphs in the format named ``fmt`` (as :meth:`EmbeddedStore.write`)."""
        return write_ox_data(self, out, fmt, graph, prefixes)

    # ------------------------------------------------------------ writes
    def _need(self, url: str | None, what: str) -> str:
        if not url:
            raise StoreError(f"{self.query_url}: no {what} URL known",
                             f"pass the endpoint's {what} URL or its --engine")
        return url

    def _graph_url(self, name: URIRef) -> str:
        query = urllib.parse.urlencode({"graph": str(name)})
        return self._need(self.gsp_url, "Graph Store Protocol") + "?" + query

    def replace_graph(self, name: URIRef, graph: Graph) -> int:
        """PUT ``graph`` as the named graph ``name`` (Graph Store Protocol); returns the triples sent."""
        body = ox.serialize([q.triple for q in graph_quads(graph, name)], format=ox.RdfFormat.N_TRIPLES)
        self.put_graph(str(name), body)
        return len(graph)

    def put_graph(self, name: str, ntriples: bytes) -> None:
        """Replace one named graph by N-Triples (Graph Store Protocol PUT with ``?graph=``)."""
        self._http("PUT", self._graph_url(URIRef(name)), ntriples, "application/n-triples")

    def post_quads(self, nquads: bytes) -> None:
        """Add N-Quads to the dataset (Graph Store Protocol POST of a dataset)."""
        self._http("POST", self._need(self.gsp_url, "Graph Store Protocol"), nquads, "application/n-quads")

    def post_graph(self, name: str, ntriples: bytes) -> None:
        """Add N-Triples to one named graph (Graph Store Protocol POST with ``?graph=``)."""
        self._http("POST", self._graph_url(URIRef(name)), ntriples, "application/n-triples")

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL 1.1 Update request."""
        self._http("POST", self._need(self.update_url, "update"), sparql_update.encode("utf-8"),
                   "application/sparql-update")

    def call(self, sparql: str) -> Result:
        """Run a SELECT on the update (authenticated) endpoint and return its rows: for queries that
        act, such as Virtuoso's ``<sql:ld_dir>(…)``, which the anonymous query endpoint may not run."""
        url = self._need(self.update_url, "update")
        body = urllib.parse.urlencode({"query": sparql}).encode("ascii")
        raw = self._http("POST", url, body, "application/x-www-form-urlencoded", "application/sparql-results+json")
        try:
            doc = json.loads(raw)
            names = tuple(doc["head"]["vars"])
            types = self.profile.literal_types
            rows = tuple(tuple(_term(b[n], types) if n in b else None for n in names)
                         for b in doc["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            first = raw[:160].decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url}: not a SPARQL JSON answer ({first[0] if first else 'empty'})",
                             "check that the user may call the server's procedures") from None
        return Result(names, rows)


def open_endpoint(query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                  timeout: float = 30.0, retries: int = 4, engine: str | None = None) -> RemoteStore:
    """A remote SPARQL endpoint. The engine's profile (named, else detected from the first answer)
    gives the update and Graph Store Protocol URLs beside the query URL (Oxigraph ``/query`` →
    ``/update``, ``/store``; Virtuoso ``/sparql`` → ``/sparql-auth``, ``/sparql-graph-crud-auth``)."""
    return RemoteStore(query_url, update_url, gsp_url, timeout=timeout, retries=retries, engine=engine)
