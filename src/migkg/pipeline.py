"""Pipeline: ingest -> extract -> build -> validate -> store, one release at a time, nothing lost.

A release that fails at any stage is set aside with its reason (a quarantine entry); the others
go on. Unchanged releases (same content hash) are skipped, so a second build changes nothing.
Reading, extraction, graph building and (batched) validation run in worker processes when
``jobs > 1``, a bounded window of file chunks at a time; loading stays in this process (the store
has one writer).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migkg import build as _build
from migkg.errors import InputError, MigkgError, StoreError, one_line
from migkg.extract import extract
from migkg.files import is_disk_full, write_text
from migkg.ingest import DEFAULT_MAX_BYTES, iter_release_paths, read_release_file, release_identity
from migkg.model import Release, Report
from migkg.reference import load as load_dictionaries
from migkg.resources import resource_dir
from migkg.series import Links, chain_links, update_series_order
from migkg.store import EmbeddedStore, Store, nquads_bytes, open_reader
from migkg.validate import validate_many
from migkg.vocab import MKG

Progress = Callable[[str, int, int | None], None]  # (message, done, total)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Failure:
    """A quarantined release: which file, at which stage, why, which shapes it broke, and when."""

    path: str
    stage: str  # ingest, extract, build, validate, store
    reason: str
    shape_ids: tuple[str, ...] = ()
    time: str = field(default_factory=_now)

    def line(self) -> str:
        """One line, whatever the file name or the reason holds (newlines, NUL, bidi marks are escaped)."""
        ids = f" [{', '.join(self.shape_ids)}]" if self.shape_ids else ""
        return one_line(f"{self.path}: {self.stage} failed: {self.reason}{ids}")

    def to_json(self) -> str:
        """One JSON Lines record of the quarantine report."""
        return json.dumps({"file": self.path, "stage": self.stage, "reason": self.reason,
                           "shape_ids": list(self.shape_ids), "time": self.time}, ensure_ascii=True)


def write_quarantine(failures: list[Failure], path: str | Path) -> None:
    """Write the quarantine report: one JSON object per line (file, stage, reason, shape_ids, time).

    The file is replaced on every build, and written even when empty, so it always describes the
    last build."""
    write_text(Path(path), "".join(f.to_json() + "\n" for f in failures), "the quarantine report")


@dataclass
class BuildSummary:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    quads: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class _Built:
    path: str
    key: str
    hash: str
    graph: _build.Triples | None  # the release graph's statements (no rdflib Graph: only validated and serialized)
    failure: Failure | None


def _prepare(path: str, encoding: str | None, max_bytes: int, known: dict[str, str]) -> list[_Built]:
    """Read, extract and build one file (worker side). Never raises for a bad release."""
    if known and (identity := release_identity(path, max_bytes)) is not None:
        # unchanged: known by its key and bytes, without decoding and splitting it (a full read of a
        # release, its sections' languages detected, is ~1 ms; a rebuild of unchanged input needs none)
        key, h = identity[0], _build.stored_hash(*identity)
        if known.get(key) == h:
            return [_Built(path, key, h, None, None)]
    bad_lines: list[InputError] = []
    try:
        releases = read_release_file(path, encoding=encoding, max_bytes=max_bytes, bad_lines=bad_lines)
    except MigkgError as e:
        reason = e.message + (f"; {e.hint}" if e.hint else "")
        return [_Built(path, "", "", None, Failure(path, "ingest", reason))]
    except Exception as e:  # one odd file must not take the build down
        return [_Built(path, "", "", None, Failure(path, "ingest", _unexpected(e)))]
    out = [_Built(path, "", "", None, Failure(path, "ingest", e.message)) for e in bad_lines]
    for r in releases:
        h = _build.content_hash(r)
        if known.get(r.key) == h:
            out.append(_Built(path, r.key, h, None, None))
            continue
        # loaded only for a release to build (once per process): a rebuild of unchanged input never
        # needs the dictionaries (0.7 s of CPU per process)
        out.append(_build_one(r, h, _dictionaries()))
    return out


_frozen = False


def _dictionaries() -> object:
    """The dictionaries; in a worker process, once they are loaded, everything then alive is moved out
    of the garbage collector's sight (``gc.freeze``): they live as long as the worker, and each full
    collection walked them again (about a fifth of a worker's CPU, measured in bench/README.md).
    The youngest generation is then collected every 50,000 objects rather than 700: a release makes
    thousands of short-lived terms, tuples and sets, and the frequent collections walked them (0.4 ms
    of CPU a release against 0.15, for at most a few MB more held between collections)."""
    global _frozen
    dicts = load_dictionaries()
    if _in_worker and not _frozen:
        gc.freeze()
        gc.set_threshold(50_000, 10, 10)
        _frozen = True
    return dicts


def _unexpected(e: BaseException) -> str:
    """The reason recorded for an exception nobody expected: its type and message, on one line."""
    return one_line(f"unexpected {type(e).__name__}: {e}")[:500]


def _build_one(r: Release, h: str, dicts: object) -> _Built:
    # Any exception is caught here, at the per-release boundary: a rule meeting text it was not
    # written for quarantines this release and the build goes on.
    try:
        ex = extract(r, dicts)  # type: ignore[arg-type]
    except MigkgError as e:
        return _Built(r.path, r.key, h, None, Failure(r.path, "extract", e.message))
    except Exception as e:
        return _Built(r.path, r.key, h, None, Failure(r.path, "extract", _unexpected(e)))
    try:
        g = _build.build_triples(ex, dicts)  # type: ignore[arg-type]
    except Exception as e:
        return _Built(r.path, r.key, h, None, Failure(r.path, "build", _unexpected(e)))
    return _Built(r.path, r.key, h, g, None)


# chunks in flight per worker: enough to keep the workers busy while this process hands a batch to the bulk
# loader (seconds; with 4, the two workers waited 38 s in all over a 10,000-release build, with 8, 4 s)
IN_FLIGHT = 8
FEW = 64  # a build of at most this many files is incremental: it looks up only what it touches
BULK_FROM = 1000  # a first build of at least this many files is written by the bulk loader (0: never)


def _hashes_of(store: EmbeddedStore, files: list[str], encoding: str | None, max_bytes: int) -> dict[str, str]:
    """The stored content hashes of the releases in ``files`` only, each looked up by its key (an
    index look-up, where :func:`_stored_hashes` reads every release of the store). A file that cannot
    be read here is left to the workers, which report it."""
    out: dict[str, str] = {}
    for path in files:
        try:
            releases = read_release_file(path, encoding=encoding, max_bytes=max_bytes, bad_lines=[])
        except Exception:  # noqa: BLE001 - the worker reads it again and says why it fails
            continue
        for r in releases:
            h = store.value(_build.release_iri(r.key), MKG.contentHash)
            if h is not None:
                out[r.key] = str(h)
    return out


def _stored_hashes(store: EmbeddedStore) -> dict[str, str]:
    rows = store.select_result(
        "PREFIX mkg: <https://w3id.org/migkg/ontology#> "
        "SELECT ?r ?h WHERE { ?r a mkg:Release ; mkg:contentHash ?h }").rows
    prefix = str(_build.release_iri("x"))[:-1]
    return {str(r)[len(prefix):]: str(h) for r, h in rows if str(r).startswith(prefix)}


def _resources_hash() -> str:
    """A digest of what the reference and ontology graphs are made from: the ontology file and the
    dictionaries, not their documentation (a changed README once made the next build of a 100,000-release
    store replace both graphs and recompute every series chain: 34 s)."""
    h = hashlib.sha256()
    files = [resource_dir("ontology") / "migkg.ttl",
             *(p for p in sorted(resource_dir("dictionaries").rglob("*")) if p.suffix != ".md")]
    for p in files:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def ensure_reference(store: EmbeddedStore) -> bool:
    """Load the reference and ontology graphs when missing or out of date; True when (re)loaded."""
    want = _resources_hash()
    have = store.value(_build.REFERENCE_GRAPH, MKG.contentHash)
    if have is not None and str(have) == want:
        return False
    dicts = load_dictionaries()
    ref = _build.reference_graph(dicts)
    ref.add((_build.REFERENCE_GRAPH, MKG.contentHash, Literal(want)))
    store.replace_graph(_build.REFERENCE_GRAPH, ref)
    store.replace_graph(_build.ONTOLOGY_GRAPH, _build.ontology_graph())
    return True


def build_store(
    paths: list[str | Path],
    store: EmbeddedStore,
    jobs: int = 1,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch: int = 32,
    progress: Progress | None = None,
    force: bool = False,
    bulk_from: int = BULK_FROM,
) -> BuildSummary:
    """Build releases from files and folders into the store; see the module docstring.

    Files go to the workers in chunks of ``batch``; at most ``IN_FLIGHT * jobs`` chunks are in flight, so a
    folder of any size is streamed. Each chunk comes back validated, as N-Quads bytes per release.

    A first build of at least ``bulk_from`` files (the store empty) is written by the bulk loader into
    a new store beside this one, which takes this one's place when complete
    (:meth:`~migkg.store.EmbeddedStore.beside`): the same graphs, merge and count, for less than half
    the CPU; killed, it leaves the store empty and the next build starts again."""
    files = [str(p) for p in iter_release_paths(list(paths))]
    total = len(files)
    few = total <= FEW
    target = store
    if 0 < bulk_from <= total and store.is_empty():
        with contextlib.suppress(OSError, StoreError):  # the folder beside cannot be made: one transaction a release
            target = store.beside()
    try:
        summary = _build_into(target, store, files, jobs, encoding, max_bytes, batch, progress, force, few)
        if target is not store:
            try:
                store.take_over(target)
            except OSError as e:
                raise _stopped(store, "putting the new store in place", e, BuildSummary()) from e
    finally:
        if target is not store:
            target.discard()  # (nothing left to remove once it took the store's place)
    summary.quads = len(store)
    return summary


def _build_into(store: EmbeddedStore, named: EmbeddedStore, files: list[str], jobs: int, encoding: str | None,
                max_bytes: int, batch: int, progress: Progress | None, force: bool, few: bool) -> BuildSummary:
    """:func:`build_store`'s work, writing to ``store`` (``named`` in messages: the store a user named)."""
    summary = BuildSummary()
    total = len(files)

    def stop(doing: str, e: BaseException) -> StoreError:  # a bulk build that stops keeps nothing
        return _stopped(named, doing, e, summary if store is named else BuildSummary())

    try:
        reference_changed = ensure_reference(store)
    except OSError as e:
        raise stop("loading the reference graph", e) from e
    known: dict[str, str] = {}
    if not force:
        known = _hashes_of(store, files, encoding, max_bytes) if few else _stored_hashes(store)
    series_touched = reference_changed or not few  # a large build recomputes the chains whatever it loaded
    # a small one, only the series its releases speak of (before or after): their links before it
    series_before: dict[Node, Links] = {}
    seen: dict[str, str] = {}
    done = 0
    chunks = [files[i:i + batch] for i in range(0, total, batch)]
    with contextlib.closing(_chunks_done(chunks, encoding, max_bytes, known, jobs)) as results:
        for chunk_result in results:  # leaving the loop (an error, a signal) stops the workers
            for b in chunk_result:
                if b.failure is not None:
                    summary.failures.append(b.failure)
                    continue
                if b.key in seen and seen[b.key] != b.path:
                    summary.failures.append(Failure(
                        b.path, "ingest", f"same release key {b.key!r} as {seen[b.key]}; rename one of them"))
                    continue
                seen[b.key] = b.path
                if b.nquads is None:
                    summary.unchanged.append(b.path)
                    continue
                name = _build.release_graph_iri(b.key)
                try:
                    if not series_touched:
                        # the chains change only when a release states something about an event of a
                        # series, before or after its replacement (a few look-ups, for a small build)
                        spoken = (store.values_of_subjects(MKG.inSeries, graph=name)
                                  | store.values_of_subjects(MKG.inSeries, nquads=b.nquads))
                        series_before.update(chain_links(store, spoken - series_before.keys()))
                    store.replace_graph_nquads(name, b.nquads)
                except Exception as e:  # the store rolled this release back; go on, unless the disk is full
                    if is_disk_full(e) or store is not named:  # a bulk write failed: nothing of it counts
                        raise stop(f"loading {b.path}", e) from e
                    summary.failures.append(Failure(b.path, "store", _unexpected(e)))
                    continue
                summary.loaded.append(b.path)
            done += len({b.path for b in chunk_result})
            if progress:
                progress("building", min(done, total), total)
    try:  # after the releases: the chains span them (a large build stopped before this redoes it next time)
        store.flush_bulk()
        if series_touched:
            update_series_order(store)
        elif series_before:
            update_series_order(store, series_before)
    except OSError as e:
        raise stop("ordering the event series", e) from e
    return summary


def _stopped(store: EmbeddedStore, doing: str, e: BaseException, summary: BuildSummary) -> StoreError:
    """The one-line error that stops a build: what failed, on which disk, and what was kept."""
    reason = one_line(str(e).splitlines()[0] if str(e) else type(e).__name__)
    what = "disk full" if is_disk_full(e) else "store error"
    return StoreError(f"{store.location}: {what} while {doing} ({reason}); the build stopped there, "
                      f"{len(summary.loaded)} release(s) loaded before it are kept",
                      "free space on that disk and run the build again: it carries on where it stopped"
                      if is_disk_full(e) else "run the build again; if it fails the same way, rebuild the store")


@dataclass(frozen=True)
class _Done:
    path: str
    key: str
    nquads: bytes | None  # None: unchanged
    failure: Failure | None


_KNOWN: dict[str, str] = {}
_in_worker = False  # set by _init_worker


def _init_worker(known: dict[str, str]) -> None:
    """Worker set-up: Ctrl-C is the parent's to handle (it stops the workers), and a worker dies with
    its parent even when the parent is killed outright (Linux ``PR_SET_PDEATHSIG``)."""
    global _KNOWN, _in_worker
    _KNOWN = known
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def _build_chunk(files: list[str], encoding: str | None, max_bytes: int,
                 known: dict[str, str] | None = None) -> list[_Done]:
    """Read, extract, build and validate a chunk of files (worker side); graphs leave as N-Quads bytes,
    which cross the process boundary far cheaper than pickled rdflib graphs."""
    known = _KNOWN if known is None else known
    built = [b for f in files for b in _prepare(f, encoding, max_bytes, known)]
    graphs = [b for b in built if b.graph is not None]
    reports = {id(b): r for b, r in zip(graphs, _validate_each(graphs), strict=True)}
    out = []
    for b in built:
        if b.failure is not None:
            out.append(_Done(b.path, b.key, None, b.failure))
        elif b.graph is None:
            out.append(_Done(b.path, b.key, None, None))
        elif isinstance(rep := reports[id(b)], Failure):
            out.append(_Done(b.path, b.key, None, rep))
        elif not rep.conforms:
            first = rep.violations[0]
            reason = f"does not conform ({len(rep.violations)} violation(s); first: {first.message})"
            out.append(_Done(b.path, b.key, None, Failure(b.path, "validate", reason, rep.shape_ids)))
        else:
            out.append(_Done(b.path, b.key, nquads_bytes(b.graph, _build.release_graph_iri(b.key)), None))
    return out


def _validate_each(ready: list[_Built]) -> list[Report | Failure]:
    """Validate a batch; if the batch call itself breaks, validate one by one so only the culprit fails."""
    graphs = [b.graph for b in ready if b.graph is not None]
    try:
        return list(validate_many(graphs))
    except Exception:
        out: list[Report | Failure] = []
        for b, g in zip(ready, graphs, strict=True):
            try:
                out.append(validate_many([g])[0])
            except Exception as e:
                out.append(Failure(b.path, "validate", _unexpected(e)))
        return out


def _chunks_done(chunks: list[list[str]], encoding: str | None, max_bytes: int, known: dict[str, str],
                 jobs: int) -> Iterator[list[_Done]]:
    """Results chunk by chunk, in order; a bounded window of chunks is in flight at a time."""
    if jobs <= 1 or len(chunks) < 2:
        for c in chunks:
            yield _build_chunk(c, encoding, max_bytes, known)
        return
    window: deque[Future[list[_Done]]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(known,))
    done = False
    try:
        it = iter(chunks)
        for c in itertools.islice(it, IN_FLIGHT * jobs):
            window.append(pool.submit(_build_chunk, c, encoding, max_bytes))
        while window:
            result = window.popleft().result()
            for c in itertools.islice(it, 1):
                window.append(pool.submit(_build_chunk, c, encoding, max_bytes))
            yield result
        done = True
    finally:
        if not done:  # interrupted, or the loader stopped: the chunks in flight are not waited for
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes now (the executor itself would wait for their chunks)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        with contextlib.suppress(Exception):
            p.kill()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(5)


def check_paths(paths: list[str | Path], encoding: str | None = None) -> list[str]:
    """Validate releases without loading them; one line per problem (empty when all conform)."""
    problems: list[str] = []
    for f in iter_release_paths(list(paths)):
        for b in _prepare(str(f), encoding, DEFAULT_MAX_BYTES, {}):
            if b.failure is not None:
                problems.append(b.failure.line())
                continue
            assert b.graph is not None
            rep = validate_many([b.graph])[0]
            problems += [f"{b.path}: {v.shape_id}: {v.message} (focus {v.focus})" for v in rep.violations]
    return problems


def check_store(store_dir: str | Path | None, endpoint: str | None = None,
                engine: str | None = None) -> list[str]:
    """Validate every release graph in the store (or at the endpoint) and run the saved check queries."""
    from migkg.query import saved_queries

    problems: list[str] = []
    with open_reader(store_dir, endpoint, engine) as store:
        prefix = str(_build.release_graph_iri("x"))[:-1]
        for name in store.graph_names():
            if not name.startswith(prefix):
                continue
            g = Graph()
            for q in store.quads(URIRef(name)):
                g.add(q.triple)
            rep = validate_many([g])[0]
            problems += [f"{name}: {v.shape_id}: {v.message} (focus {v.focus})" for v in rep.violations]
        for q in saved_queries():
            if q.name.startswith("checks/"):
                rows = store.select_result(q.text).rows
                problems += [f"{q.name}: " + ", ".join(str(t) for t in row if t is not None) for row in rows]
    return problems


def store_stats(store: Store) -> dict[str, object]:
    """Releases, graphs, quads, and how many things of each class the releases mention."""
    rows = store.select_result(
        "PREFIX mkg: <https://w3id.org/migkg/ontology#> "
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?r a mkg:Release ; mkg:mentions ?x . ?x a ?c . "
        "FILTER (STRSTARTS(STR(?c), STR(mkg:))) } GROUP BY ?c ORDER BY ?c").rows
    classes = {str(c).rsplit("#", 1)[-1]: int(n) for c, n in rows}
    return {"path": store.location, "releases": store.releases(), "graphs": len(store.graph_names()),
            "quads": len(store), "classes": classes}
