"""The compiled dictionaries kept between runs: :class:`~migkg.reference.Dictionaries` pickled into the user's
cache folder, keyed by a digest of everything it is built from, so a command pays ~0.1 s for them instead of
building the name tries again (~0.8 s).

The key covers the dictionary and language files and the source of the modules that build the object (a
changed file or rule gives another key: the cache is rebuilt, never read stale). The folder is
``$MIGKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/migkg``, else ``~/.cache/migkg``; an empty ``$MIGKG_CACHE_DIR``
turns the cache off. A cache that cannot be read is ignored with a one-line warning and written again; one
that cannot be written costs only the time to build. Nothing here is part of the repository.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from migkg.resources import resource_dir

CACHE_ENV = "MIGKG_CACHE_DIR"
_KEEP = 4  # compiled versions kept per name
_FORMAT = 1  # bump when the pickled layout changes in a way the digest of the sources would not see

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder of migkg's caches, or None when ``$MIGKG_CACHE_DIR`` is set empty (cache off)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "migkg"


def digest(kinds: tuple[str, ...], modules: tuple[str, ...]) -> str:
    """A digest of every file under the resource folders ``kinds`` (names and contents) and of the source files
    of ``modules``, with the Python version (pickles of one version are read by the same)."""
    h = hashlib.sha256(f"{_FORMAT}\0{sys.version}\0".encode())
    for kind in kinds:
        folder = resource_dir(kind)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f"{kind}/{path.relative_to(folder).as_posix()}\0".encode())
            h.update(path.read_bytes())
    for name in modules:
        source = sys.modules[name].__file__
        h.update(f"{name}\0".encode())
        h.update(Path(source).read_bytes() if source else b"")
    return h.hexdigest()


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or what an earlier call with the same ``name`` and ``key`` saved. Older files of ``name``
    (other keys) beyond the newest few are removed when a new one is written."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key[:24]}.pickle"
    if path.is_file():
        collecting = gc.isenabled()
        gc.disable()  # unpickling makes ~300,000 containers, none of them garbage: collecting meanwhile costs double
        try:
            with path.open("rb") as f:
                return pickle.load(f)  # type: ignore[no-any-return]
        except Exception as e:  # noqa: BLE001 - any unreadable cache (truncated, corrupt, other layout) is rebuilt
            warnings.warn(f"migkg: ignoring the unreadable cache {path} ({type(e).__name__}); rebuilding it",
                          stacklevel=2)
        finally:
            if collecting:
                gc.enable()
    value = build()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{name}-", delete=False) as f:
            tmp = f.name
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        # keep the few newest keys (checkouts with other data share the folder), drop the rest
        others = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)  # a read-only or full disk: the next run builds again
    return value
