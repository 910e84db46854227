"""SELECT results as a stream: the variables, then rows of rdflib terms as the engine gives them.

:class:`ResultStream` is what every backend's ``select_stream`` returns: iterate it for rows
(tuples of rdflib terms, None where unbound), or :meth:`ResultStream.chunks` for lists of rows (what
the writers of :mod:`migkg.query` take). Close it (or use ``with``) when done; closing early stops
the work behind it.

The embedded store produces rows on a thread of its own (:class:`ThreadStream`, fed by
:meth:`migkg.store.embedded.EmbeddedStore.select_stream`): pyoxigraph's solutions must
be iterated and dropped on the thread that made them, and the engine needs a deep stack
(:mod:`migkg.policy`). That thread converts rows in chunks (one :class:`~migkg.store.terms.Converter`)
and hands them over through a bounded queue, so a listing of millions of rows holds only a few
chunks at a time. Closing the stream — after the last row, on an exception or a broken pipe in the
consumer, or when the stream is dropped — tells the producer to stop, and waits for it: afterwards
no thread and no reference to the store is left.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib.term import Node

from migkg.policy import deep_thread

Row = tuple[Node | None, ...]
CHUNK = 1024  # rows per hand-over between the producer thread and the reader
AHEAD = 8  # chunks the producer may be ahead of the reader

_END = object()


class ResultStream(Iterator[Row]):
    """A SELECT result read as it comes: ``variables``, then rows. The stream is its own iterator of
    rows (read once); :meth:`chunks` gives the same rows in lists (read one way or the other)."""

    variables: tuple[str, ...]
    _rows: Iterator[Row] | None = None

    def chunks(self) -> Iterator[list[Row]]:
        """The rows in lists of up to :data:`CHUNK` (never empty), in order."""
        raise NotImplementedError

    def __iter__(self) -> ResultStream:
        return self

    def __next__(self) -> Row:
        if self._rows is None:
            self._rows = itertools.chain.from_iterable(self.chunks())
        return next(self._rows)

    def close(self) -> None:
        """Stop producing rows and release what the stream holds (idempotent); no row comes after."""
        self._rows = iter(())
        self._release()

    def _release(self) -> None:
        """What a backend frees on :meth:`close`."""

    def __enter__(self) -> ResultStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ListStream(ResultStream):
    """Rows already in memory (a remote endpoint's parsed answer) read through the stream interface."""

    def __init__(self, variables: tuple[str, ...], rows: Iterable[Row]) -> None:
        self.variables = variables
        self._all: list[list[Row]] = _chunked(list(rows))

    def chunks(self) -> Iterator[list[Row]]:
        return _drain(self._all)

    def _release(self) -> None:
        self._all.clear()


def _chunked(rows: list[Row]) -> list[list[Row]]:
    return [rows[at : at + CHUNK] for at in range(0, len(rows), CHUNK)]


def _drain(chunks: list[list[Row]]) -> Iterator[list[Row]]:
    """The chunks, each dropped as it is handed out (closing the stream empties the list)."""
    chunks.reverse()
    while chunks:
        yield chunks.pop()


class Sink:
    """What a producer writes to (on its own thread): :meth:`start` once with the variables, then
    :meth:`put` per chunk of rows; :attr:`stopped` says the reader has stopped (return at once)."""

    def __init__(self, out: queue.Queue[Any], stop: threading.Event) -> None:
        self._out, self._stop = out, stop

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def send(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._out.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def start(self, variables: tuple[str, ...]) -> None:
        self.send(("vars", variables))

    def put(self, rows: list[Row]) -> bool:
        """Hand over a non-empty chunk; False when the reader has stopped."""
        return self.send(("rows", rows)) and not self._stop.is_set()


Producer = Callable[[Sink], None]


class ThreadStream(ResultStream):
    """Rows made on a producer thread with a deep stack and read here through a bounded queue.

    ``producer(sink)`` runs on that thread and writes to a :class:`Sink`. An exception it raises is
    re-raised to the reader. The constructor waits for the variables (or the producer's error), so a
    query that does not run fails here. Dropping the stream unclosed closes it (the thread and the
    row iterator hold only the :class:`_Reader`, never the stream, so nothing keeps it alive)."""

    def __init__(self, producer: Producer) -> None:
        self._reader = _Reader(producer)
        self.variables = self._reader.variables

    def chunks(self) -> Iterator[list[Row]]:
        return self._reader.chunks()

    def _release(self) -> None:
        self._reader.close()

    def __del__(self) -> None:
        if hasattr(self, "_reader"):
            self._reader.close()


class _Reader:
    """The reading end of a producer thread: its queue, its stop signal, the thread."""

    def __init__(self, producer: Producer) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._done = False
        self._thread = deep_thread(_run, producer, self._queue, self._stop)
        self.variables: tuple[str, ...] = ()
        first = self._get()
        if first is _END:  # a producer that never started: nothing to read
            self._finish()
        else:
            self.variables = first[1]

    def _get(self) -> Any:
        item = self._queue.get()
        if isinstance(item, tuple) and item[0] == "error":
            self.close()
            raise item[1]
        return item

    def chunks(self) -> Iterator[list[Row]]:
        while not self._done:
            item = self._get()
            if item is _END:
                self._finish()
                return
            yield item[1]

    def _finish(self) -> None:
        self._done = True
        self._thread.join()

    def close(self) -> None:
        if self._done:
            return
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting for room on the queue
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._finish()


def _run(producer: Producer, out: queue.Queue[Any], stop: threading.Event) -> None:
    """The producer thread: the producer's rows onto ``out``, then its end or its error."""
    sink = Sink(out, stop)
    try:
        producer(sink)
    except BaseException as e:  # noqa: BLE001 - handed to the reader's thread
        # the frames' locals (the engine's solutions among them) are dropped here, not on the reader's thread
        traceback.clear_frames(e.__traceback__)
        sink.send(("error", e))
    else:
        sink.send(_END)
