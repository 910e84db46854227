"""A remote SPARQL 1.1 endpoint behind the same interface as the embedded store.

Queries go through SPARQLWrapper (SPARQL 1.1 Protocol, JSON results, converted to rdflib terms);
writes through the Graph Store Protocol (N-Triples per named graph, N-Quads for a batch of graphs)
and the SPARQL 1.1 Update endpoint. Queries must see the union of the named graphs as their
default graph, as in the embedded store (Oxigraph server: ``--union-default-graph``).

Parameters are bound by a ``VALUES`` block that rdflib builds and checks (:func:`migkg.bind.with_values`);
connection errors, HTTP 5xx and timeouts are retried
with exponential backoff, then reported on one line naming the endpoint.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from migkg.bind import with_values
from migkg.errors import StoreError
from migkg.model import Result
from migkg.store import graph_quads
from migkg.vocab import ID, MKG, XSD

PUSH_MANIFEST = ID["graph/push-manifest"]
_T = TypeVar("_T")
def _term(b: dict[str, str]) -> Node:
    kind = b["type"]
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    if dt and dt != str(XSD.string):
        return Literal(b["value"], datatype=URIRef(dt))
    return Literal(b["value"])


def _ox_term(b: dict[str, str]) -> Any:
    """A JSON result term straight to pyoxigraph, keeping its lexical form (rdflib would normalize it)."""
    kind = b["type"]
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    dt = b.get("datatype")
    return ox.Literal(b["value"], datatype=ox.NamedNode(dt)) if dt else ox.Literal(b["value"])


class RemoteStore:
    """A SPARQL 1.1 endpoint (query URL, optional update and Graph Store Protocol URLs)."""

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = 30.0, retries: int = 4, backoff: float = 0.25) -> None:
        if not re.match(r"https?://", query_url):
            raise StoreError(f"{query_url}: not an http(s) URL", "pass the endpoint's query URL")
        self.query_url = query_url
        base = query_url.rsplit("/", 1)[0] if query_url.endswith("/query") else None
        self.update_url = update_url or (base + "/update" if base else None)
        self.gsp_url = gsp_url or (base + "/store" if base else None)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

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
                if e.code < 500 or attempt == self.retries:
                    detail = e.read()[:200].decode("utf-8", "replace").strip().splitlines()
                    more = f" ({detail[0]})" if detail else ""
                    raise StoreError(f"{url}: HTTP {e.code} {e.reason}{more}",
                                     "check the endpoint URL and the request") from e
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
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
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
            return w.query().convert()  # type: ignore[return-value]

        return self._retry(self.query_url, call)

    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT (parameters bound by a VALUES block) and return rows of rdflib terms."""
        doc = self._json(with_values(sparql, bindings or {}))
        if "results" not in doc:
            raise StoreError("only SELECT queries return rows", "use a SELECT query")
        names = tuple(doc["head"]["vars"])
        bindings_ = doc["results"]["bindings"]
        rows = tuple(tuple(_term(b[n]) if n in b else None for n in names) for b in bindings_)
        return Result(names, rows)

    def _not_manifest(self, sparql: str, extra: dict[str, Node] | None = None) -> Result:
        return self.select_result(sparql, {"manifest": PUSH_MANIFEST, **(extra or {})})

    def graph_names(self) -> list[str]:
        rows = self._not_manifest("SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER (?g != ?manifest) }").rows
        return sorted(str(r[0]) for r in rows if isinstance(r[0], URIRef))

    def __len__(self) -> int:
        rows = self._not_manifest(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != ?manifest) }").rows
        return int(rows[0][0])

    def releases(self) -> int:
        rows = self.select_result("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?c }",
                                  {"c": MKG.Release}).rows
        return int(rows[0][0])

    def quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """Every quad of the named graphs (or of one), as pyoxigraph quads (for export)."""
        bindings: dict[str, Node] = {"manifest": PUSH_MANIFEST}
        if graph is not None:
            bindings["g"] = graph
        doc = self._json(with_values(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != ?manifest) }", bindings))
        for b in doc["results"]["bindings"]:
            yield ox.Quad(_ox_term(b["s"]), _ox_term(b["p"]), _ox_term(b["o"]), _ox_term(b["g"]))

    def facts(self) -> Iterator[ox.Triple]:
        """Every distinct triple of the named graphs, each once (for the triple export formats)."""
        doc = self._json(with_values(
            "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != ?manifest) }",
            {"manifest": PUSH_MANIFEST}))
        for b in doc["results"]["bindings"]:
            yield ox.Triple(_ox_term(b["s"]), _ox_term(b["p"]), _ox_term(b["o"]))

    # ------------------------------------------------------------ writes
    def _need(self, url: str | None, what: str) -> str:
        if not url:
            raise StoreError(f"{self.query_url}: no {what} URL known", f"pass the endpoint's {what} URL")
        return url

    def _graph_url(self, name: URIRef) -> str:
        query = urllib.parse.urlencode({"graph": str(name)})
        return self._need(self.gsp_url, "Graph Store Protocol") + "?" + query

    def replace_graph(self, name: URIRef, graph: Graph) -> int:
        """PUT ``graph`` as the named graph ``name`` (Graph Store Protocol); returns the triples sent."""
        body = ox.serialize([q.triple for q in graph_quads(graph, name)], format=ox.RdfFormat.N_TRIPLES)
        self._http("PUT", self._graph_url(name), body, "application/n-triples")
        return len(graph)

    def post_quads(self, nquads: bytes) -> None:
        """Add N-Quads to the dataset (Graph Store Protocol POST of a dataset)."""
        self._http("POST", self._need(self.gsp_url, "Graph Store Protocol"), nquads, "application/n-quads")

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL 1.1 Update request."""
        self._http("POST", self._need(self.update_url, "update"), sparql_update.encode("utf-8"),
                   "application/sparql-update")


def open_endpoint(query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                  timeout: float = 30.0, retries: int = 4) -> RemoteStore:
    """A remote SPARQL endpoint. For Oxigraph server ``http://HOST:PORT/query``, the update and
    Graph Store Protocol URLs default to ``/update`` and ``/store`` next to it."""
    return RemoteStore(query_url, update_url, gsp_url, timeout=timeout, retries=retries)
