"""A read-only view of the embedded store that follows new builds.

A read-only Oxigraph (RocksDB) handle is a snapshot: it never sees what a later build commits, and
it keeps the files the build's compactions delete open (disk space never comes back). ``LiveStore``
looks at the store folder at most every ``interval`` seconds (names, sizes and modification times
of its files) and, when anything changed, opens a fresh read-only handle and lets the old one go;
a request still using the old handle finishes with it, and Python closes it when the last one is
done. If the fresh open fails (a build is half-way through replacing files), the current handle
stays and the next look tries again.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref
from pathlib import Path

from migkg.store.embedded import EmbeddedStore


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        with os.scandir(path) as it:
            return tuple(sorted((e.name, (st := e.stat()).st_size, st.st_mtime_ns) for e in it if e.is_file()))
    except OSError:
        return ()


class LiveStore:
    """The newest committed state of the store at ``path``, read-only."""

    def __init__(self, path: Path, interval: float = 0.5) -> None:
        self.path = path
        self.interval = interval
        self._lock = threading.Lock()
        self._sig = _signature(path)
        self._store = EmbeddedStore(path, read_only=True)
        self._checked = time.monotonic()
        self._retired: list[weakref.ref[EmbeddedStore]] = []  # replaced handles not yet freed
        self.generation = 0  # goes up by one each time a new build is picked up

    def current(self) -> EmbeddedStore:
        """The handle to use for one request (reopened first when a build has changed the store)."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return self._store
        with self._lock:
            if now - self._checked >= self.interval:
                self._checked = now
                sig = _signature(self.path)
                if sig != self._sig:
                    try:
                        fresh = EmbeddedStore(self.path, read_only=True)
                    except Exception:  # noqa: BLE001 - mid-build; keep the current handle, look again later
                        return self._store
                    self._retired.append(weakref.ref(self._store))
                    self._store, self._sig = fresh, sig
                    self.generation += 1
                self._let_go()
        return self._store

    def _let_go(self) -> None:
        """Free replaced handles (and the files a build deleted) that only a reference cycle still holds: an
        idle process allocates too little for Python's collector to run on its own."""
        self._retired = [r for r in self._retired if r() is not None]
        if self._retired:
            gc.collect()
            self._retired = [r for r in self._retired if r() is not None]

    def follow(self) -> LiveStore:
        """Also look on a background thread, so an idle process lets go of a replaced store too."""

        def loop() -> None:
            while True:
                time.sleep(2 * self.interval)
                self.current()

        threading.Thread(target=loop, name="migkg-follow", daemon=True).start()
        return self

    def close(self) -> None:
        self._store.close()
