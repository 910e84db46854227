"""What every store backend offers (:class:`Store`), and where the embedded store lives by default."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node

from migkg.model import Result
from migkg.store.stream import ResultStream
from migkg.store.terms import Quad, Triple

DEFAULT_STORE_ENV = "MIGKG_STORE"


class Store(Protocol):
    """What every backend offers: queries (rows all at once, or streamed), the graphs and their quads,
    replacing a graph."""

    @property
    def location(self) -> str: ...
    def select_result(self, sparql: str, bindings: dict[str, Node] | None = None) -> Result: ...
    def select_stream(self, sparql: str, bindings: dict[str, Node] | None = None) -> ResultStream: ...
    def graph_names(self) -> list[str]: ...
    def quads(self, graph: URIRef | None = None) -> Iterable[Quad]: ...
    def facts(self) -> Iterable[Triple]: ...
    def write(self, out: IO[bytes], fmt: str, graph: URIRef | None = None,
              prefixes: dict[str, str] | None = None) -> int: ...
    def releases(self) -> int: ...
    def replace_graph(self, name: URIRef, graph: Graph) -> int: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...


def default_store_path() -> Path:
    """``$MIGKG_STORE`` when set, else ``./.migkg/store`` (relative to the working folder)."""
    env = os.environ.get(DEFAULT_STORE_ENV)
    return Path(env) if env else Path(".migkg") / "store"

