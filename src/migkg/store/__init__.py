"""The store boundary: the embedded on-disk Oxigraph store and remote SPARQL 1.1 endpoints behind one
small interface that speaks rdflib terms (:class:`Store`).

Only the modules of this package import pyoxigraph; they convert through one converter
(:mod:`migkg.store.terms`). The modules:

- :mod:`~migkg.store.base`: the interface and the default location;
- :mod:`~migkg.store.terms`: rdflib <-> pyoxigraph terms, the quads the interface returns;
- :mod:`~migkg.store.stream`: SELECT rows streamed from the engine's thread (``select_stream``);
- :mod:`~migkg.store.embedded`: the on-disk store, its merge of all graphs, one transaction a release;
- :mod:`~migkg.store.remote`: a SPARQL 1.1 endpoint (Protocol, Graph Store Protocol, engine profiles);
- :mod:`~migkg.store.push`: the embedded store's graphs copied to an endpoint, resumably;
- :mod:`~migkg.store.formats`: RDF syntaxes by name (export, serve, JSON-LD);
- :mod:`~migkg.store.live`, :mod:`~migkg.store.sandbox`: the server's read-only store that follows
  new builds, and the worker processes that answer network queries.
"""

from __future__ import annotations

from pathlib import Path

from migkg.store.base import DEFAULT_STORE_ENV, Store, default_store_path
from migkg.store.embedded import FLUSH_EVERY, EmbeddedStore, open_error, open_store
from migkg.store.remote import PUSH_MANIFEST, RemoteStore
from migkg.store.stream import ResultStream
from migkg.store.terms import Quad, Triple, from_ox, graph_quads, nquads_bytes, to_ox

__all__ = [
    "DEFAULT_STORE_ENV", "FLUSH_EVERY", "PUSH_MANIFEST", "EmbeddedStore", "Quad", "RemoteStore", "ResultStream",
    "Store", "Triple",
    "default_store_path", "from_ox", "graph_quads", "nquads_bytes", "open_endpoint", "open_error",
    "open_reader", "open_store", "to_ox",
]


def open_endpoint(query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                  timeout: float = 30.0, retries: int = 4, engine: str | None = None) -> RemoteStore:
    """A remote SPARQL 1.1 endpoint (see :func:`migkg.store.remote.open_endpoint`)."""
    from migkg.store.remote import open_endpoint as _open

    return _open(query_url, update_url, gsp_url, timeout=timeout, retries=retries, engine=engine)


def open_reader(path: str | Path | None = None, endpoint: str | None = None, engine: str | None = None) -> Store:
    """The store a reading command uses: the endpoint when given, else the embedded store read-only."""
    if endpoint:
        return open_endpoint(endpoint, engine=engine)
    return open_store(path, read_only=True)
