"""The embedded store's quad count, kept beside the store so that ``len(store)`` costs nothing.

Oxigraph has no constant-time count: counting the named graphs' quads reads the whole store
(0.85 s at 10,000 releases, ten times that at 100,000), and every build's summary line says how many
quads the store holds. So the store keeps the count itself: a small record in the store folder
(:data:`RECORD`, JSON ``{"quads": N}``), trusted only when the last process that wrote to the store
closed it cleanly.

The record is removed (and the removal made durable) before a handle's first write, the count is
moved by each committed write (a new graph adds its quads, a replaced one its new quads less its
old), and the record is written again when the handle closes. A process killed while writing
leaves no record, so the next reader counts the store once, as before, and the next writer writes
the record again. Readers (read-only handles are snapshots) read it when they open.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from migkg.errors import StoreError
from migkg.files import write_text

RECORD = "migkg-quads.json"


class QuadCount:
    """The count of the named graphs' quads of one store handle: known (an int) or not (None)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / RECORD
        self.value: int | None = self._read()
        self._removed = False  # the record is gone for this handle's writes

    def _read(self) -> int | None:
        try:
            n = json.loads(self.path.read_text(encoding="utf-8")).get("quads")
        except (OSError, ValueError, AttributeError):
            return None
        return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None

    def before_write(self) -> None:
        """Remove the record before the first write: from now until :meth:`save` it could be stale."""
        if self._removed:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            _sync_folder(self.path.parent)
        self._removed = True

    def wrote(self, delta: int | None) -> None:
        """A write committed and moved the count by ``delta`` (None: by an unknown amount)."""
        if self.value is not None:
            self.value = None if delta is None else self.value + delta

    def save(self) -> None:
        """Write the record (the handle is closing cleanly and the count is known)."""
        if self.value is None or (not self._removed and self.path.exists()):
            return
        with contextlib.suppress(OSError, StoreError):  # no record costs one count later, nothing else
            write_text(self.path, json.dumps({"quads": self.value}) + "\n", "the store's quad count")


def _sync_folder(folder: Path) -> None:
    """Make a removal in ``folder`` durable before the store's next commit."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
