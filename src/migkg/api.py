"""The library's face for notebooks, scripts, the CLI and ``serve``: ``migkg.open(store_or_endpoint)``.

::

    import migkg
    with migkg.open(".migkg/store") as kg:          # or migkg.open("http://host/sparql", engine="virtuoso")
        kg.build(["data/releases"], jobs=2)
        rows = kg.query("event-organizers")        # saved query by name, or SPARQL text
        df = rows.to_pandas()                      # needs pandas: pip install 'migkg[notebook]'
        with kg.stream("funding-details") as big:  # the same dicts as they come (millions: bounded memory)
            funders = {row["funder"] for row in big}
        g = kg.graph("co-participation", country="BA")

An embedded store is opened read-only for reading and read-write only while :meth:`KG.build` runs,
so other processes can read it meanwhile. Identifiers in parameters, :meth:`KG.explain` and graph
filters follow one grammar (:mod:`migkg.ids`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from rdflib import Literal, URIRef
from rdflib.term import Node

from migkg.errors import InputError, MigkgError, StoreError
from migkg.model import Result

if TYPE_CHECKING:
    import networkx as nx

    from migkg.pipeline import BuildSummary, Progress
    from migkg.store import Store
    from migkg.store.stream import ResultStream

NOTEBOOK_EXTRA = "notebook"


def _python(term: Node | None) -> Any:
    """A result term as a plain Python value: IRIs and plain literals as str, typed literals as their value."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (str, int, float, bool, date, Decimal)):
            return value
        return str(term)
    return str(term)


class Rows(Sequence[dict[str, Any]]):
    """A SELECT result: a sequence of dicts (variable → Python value, None where unbound).

    ``variables`` keeps the column order; ``result`` the rdflib terms (:class:`migkg.model.Result`)."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.variables = result.variables

    def __len__(self) -> int:
        return len(self.result.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._row(r) for r in self.result.rows[index]]
        return self._row(self.result.rows[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._row(r) for r in self.result.rows)

    def _row(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return {v: _python(t) for v, t in zip(self.variables, row, strict=True)}

    def __repr__(self) -> str:
        return f"<Rows {len(self)} × ({', '.join(self.variables)})>"

    def to_records(self) -> list[dict[str, Any]]:
        """Every row as a dict, in order (what ``pandas.DataFrame.from_records`` takes)."""
        return list(self)

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one column per variable, in the query's order."""
        try:
            import pandas as pd
        except ImportError as e:
            raise MigkgError("to_pandas needs pandas, which is not installed",
                             f"pip install 'migkg[{NOTEBOOK_EXTRA}]'") from e
        return pd.DataFrame.from_records(self.to_records(), columns=list(self.variables))


class RowStream(Iterator[dict[str, Any]]):
    """A SELECT result read as the engine gives it (:meth:`KG.stream`): an iterator of dicts like
    :class:`Rows`'s, in bounded memory for a query without a closing ``ORDER BY``.

    ``variables`` keeps the column order; ``results`` is the stream of rdflib-term rows underneath
    (:class:`migkg.store.stream.ResultStream`). Close it (or use ``with``) to stop early: the engine's
    work stops and its thread ends; reading to the end closes it too."""

    def __init__(self, results: ResultStream) -> None:
        self.results = results
        self.variables = results.variables
        self._rows = iter(results)

    def __next__(self) -> dict[str, Any]:
        row = next(self._rows)
        return {v: _python(t) for v, t in zip(self.variables, row, strict=True)}

    def close(self) -> None:
        self.results.close()

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RowStream ({', '.join(self.variables)})>"


def _is_endpoint(target: str | Path | None) -> bool:
    return isinstance(target, str) and re.match(r"(?i)https?://", target) is not None


class KG:
    """A knowledge graph in an embedded store folder or behind a remote SPARQL endpoint."""

    def __init__(self, target: str | Path | None = None, engine: str | None = None) -> None:
        self.endpoint = str(target) if _is_endpoint(target) else None
        if engine is not None and self.endpoint is None:
            raise InputError(f"engine={engine!r} is for a remote endpoint, not the store folder {target}",
                             "give the endpoint's URL, or leave engine out")
        self.engine = engine
        if self.endpoint is None:
            from migkg.store import default_store_path

            self.path: Path | None = Path(target) if target is not None else default_store_path()
        else:
            self.path = None
        self._reader: Store | None = None
        self._borrowed = False

    def __repr__(self) -> str:
        return f"<migkg.KG {self.endpoint or self.path}>"

    @classmethod
    def over(cls, store: Store) -> KG:
        """A KG reading a store that is already open (``serve`` follows rebuilds with its own handle);
        closing it leaves the store open."""
        kg = cls.__new__(cls)
        kg.endpoint, kg.engine, kg.path = None, None, None
        kg._reader = store
        kg._borrowed = True
        return kg

    # ------------------------------------------------------------ lifetime
    def __enter__(self) -> KG:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (a later call opens it again)."""
        if self._reader is not None and not self._borrowed:
            self._reader.close()
            self._reader = None

    @property
    def store(self) -> Store:
        """The store for reading: the endpoint, or the embedded store opened read-only."""
        if self._reader is None:
            from migkg.store import open_reader

            self._reader = open_reader(self.path, self.endpoint, self.engine)
        return self._reader

    # ------------------------------------------------------------ verbs
    def build(self, paths: Sequence[str | Path] | str | Path, jobs: int = 1, encoding: str | None = None,
              max_bytes: int | None = None, force: bool = False, progress: Progress | None = None) -> BuildSummary:
        """Ingest, extract, validate and load releases (files or folders) into the embedded store.

        Paths are checked before the store is touched: a missing path raises :class:`InputError` and
        leaves no store folder behind; paths holding no release file return an empty summary
        (``summary.found == 0``) without creating the store."""
        from migkg.ingest import DEFAULT_MAX_BYTES, iter_release_paths
        from migkg.pipeline import BuildSummary, build_store
        from migkg.store import open_store

        if self.path is None and self.endpoint is None:
            raise StoreError("cannot build into a store this KG only borrows (KG.over)",
                             "open the store folder with migkg.open(path) to build")
        if self.path is None:
            raise StoreError(f"{self.endpoint}: cannot build into a remote endpoint",
                             "build into a store folder, then `migkg push` it")
        items = [paths] if isinstance(paths, (str, Path)) else list(paths)
        if not items:
            raise InputError("no PATH to build", "give release files or folders")
        found = sum(1 for _ in iter_release_paths(items))  # raises for a missing path
        if found == 0:
            return BuildSummary()
        self.close()
        with open_store(self.path) as store:
            return build_store(items, store, jobs=jobs, encoding=encoding,
                               max_bytes=max_bytes or DEFAULT_MAX_BYTES, force=force, progress=progress)

    def query(self, name_or_sparql: str, **params: Any) -> Rows:
        """Run a saved query (``"events"``, a ``.rq`` path) or SPARQL text; keyword arguments bind
        its declared parameters (identifiers in any form :mod:`migkg.ids` reads)."""
        from migkg.query import run_query, run_text

        given = {k: _param_text(v) for k, v in params.items() if v is not None}
        if _is_sparql(name_or_sparql):
            return Rows(run_text(self.store, name_or_sparql, given))
        return Rows(run_query(self.store, name_or_sparql, given))

    def stream(self, name_or_sparql: str, **params: Any) -> RowStream:
        """:meth:`query` with the rows streamed: an iterator of the same dicts, read as the engine
        gives them (for listings too large to hold: millions of rows). Without a closing ``ORDER BY``
        only a few thousand rows are in memory at a time; with one, every row is held compactly while
        it is sorted (a few bytes a cell). Close it (``with kg.stream(...) as rows:``) to stop early.
        A remote endpoint's answer is read whole, then streamed."""
        from migkg.query import stream_query, stream_text

        given = {k: _param_text(v) for k, v in params.items() if v is not None}
        if _is_sparql(name_or_sparql):
            return RowStream(stream_text(self.store, name_or_sparql, given))
        return RowStream(stream_query(self.store, name_or_sparql, given))

    def resolve(self, identifier: str, kind: str | None = None) -> URIRef:
        """The IRI an identifier stands for: an IRI, ``id:kind/key``, ISO2/ISO3, a name or an acronym."""
        from migkg.ids import resolve

        return resolve(self.store, identifier, kind)

    def explain(self, identifier: str) -> Rows:
        """Every extracted statement about a node with its release, sentence and character span."""
        from migkg.query import explain_node

        return Rows(explain_node(self.store, str(self.resolve(identifier))))

    def graph(self, kind: str, **filters: Any) -> nx.Graph:
        """An actor graph (``co-participation``, ``organizer-participant``, ``flows``, ``country``,
        ``bipartite``) with its metrics; filters: from_year, to_year, country, organization,
        event_type, programme, dated_only, rollup (units counted as their top-most parent)."""
        from migkg.draw import actor_graph
        from migkg.draw.project import fetch

        f = self.filters(**filters)
        g = actor_graph(self.store, kind, f)
        if (f.from_year is not None or f.to_year is not None) and not f.dated_only:
            # kept by the year filters; counted so a caller can say so
            g.graph["undated_events"] = len({r["event"] for r in fetch(self.store, "events", f) if "year" not in r})
        return g

    def filters(self, from_year: int | None = None, to_year: int | None = None, country: str | None = None,
                organization: str | None = None, event_type: str | None = None, programme: str | None = None,
                dated_only: bool = False, rollup: bool = False) -> Any:
        """Graph filters with their identifiers resolved (see :class:`migkg.draw.Filters`)."""
        from migkg.draw import Filters

        iso2 = None
        if country is not None:
            iso2 = str(self.resolve(country, "country")).rsplit("/", 1)[-1]
        org = str(self.resolve(organization, "organization")) if organization is not None else None
        prog = str(self.resolve(programme, "programme")) if programme is not None else None
        return Filters(from_year, to_year, iso2, org, event_type, prog, dated_only=dated_only, rollup=rollup)

    def records(self) -> list[dict[str, Any]]:
        """Plain JSON records, one per entity across graphs (see :mod:`migkg.records`)."""
        from migkg.records import records

        return records(self.store)

    def frame(self, events: Sequence[str] | None = None) -> dict[str, Any]:
        """Framed JSON-LD of the given events (every event when ``None``)."""
        from migkg.jsonld import frame_events

        iris = None if events is None else [self.resolve(e, "event") for e in events]
        return frame_events(self.store, iris)  # type: ignore[arg-type]


def _is_sparql(text: str) -> bool:
    return re.search(r"(?i)\b(select|construct|ask|describe)\b[\s\S]*\{", text) is not None


def _param_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def open(target: str | Path | None = None, engine: str | None = None) -> KG:  # noqa: A001 - like io.open
    """Open a knowledge graph: a store folder (default ``$MIGKG_STORE`` or ``./.migkg/store``) or the
    URL of a SPARQL 1.1 query endpoint; ``engine`` names the endpoint's engine profile
    (``data/engines/profiles.json``: ``oxigraph``, ``virtuoso``, …) where it is not detected."""
    return KG(target, engine)
