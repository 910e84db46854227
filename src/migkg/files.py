"""Output files written whole or not at all, and disk-full errors told in one line.

Every writer (export, describe, hxl, iati, frame, docs, graph drawings, the quarantine report)
writes to a temporary file beside the target and renames it over the target when complete
(``os.replace`` is atomic on one file system), so a full disk or a kill never leaves a truncated
file: the target is either the old file or the whole new one.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from migkg.errors import StoreError

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# RocksDB reports I/O errors as text ("IO error: While appending to file: …: No space left on device")
FULL_TEXTS = ("no space left on device", "disk quota exceeded", "file too large")


def is_disk_full(e: BaseException) -> bool:
    """Whether ``e`` says the disk (or the file size limit or quota) is full."""
    if isinstance(e, OSError) and e.errno in FULL_ERRNOS:
        return True
    return any(t in str(e).lower() for t in FULL_TEXTS)


def write_error(path: Path, e: OSError, what: str = "the file") -> StoreError:
    """The one-line error for a file that could not be written (the target was left as it was)."""
    reason = e.strerror or str(e)
    if is_disk_full(e):
        return StoreError(f"{path}: disk full while writing {what} ({reason}); {path.name} is as it was",
                          "free space on that disk and run the command again")
    return StoreError(f"{path}: cannot write {what} ({reason}); {path.name} is as it was")


@contextmanager
def atomic_path(path: Path, what: str = "the file") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block ends cleanly,
    removed otherwise. An OSError becomes a one-line :class:`StoreError`. A target that exists and is
    not a regular file (``/dev/null``, a FIFO) is written in place."""
    if path.exists() and not path.is_file():
        yield path
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_error(path, e, what) from e
    # the suffix is kept: some writers read the format from it
    tmp = path.with_name(f".{path.stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as e:
        with suppress(OSError):
            tmp.unlink()
        raise write_error(path, e, what) from e
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def write_bytes(path: Path, data: bytes, what: str = "the file") -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path, what) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def write_text(path: Path, text: str, what: str = "the file") -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_path`)."""
    write_bytes(path, text.encode("utf-8"), what)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell spreadsheets will not read as a formula: text starting with ``= + - @``, a tab or a
    carriage return gets a leading apostrophe (OWASP, "CSV Injection")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
