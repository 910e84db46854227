"""migkg: a migration-coordination knowledge graph built from press releases.

``migkg.open(store_or_endpoint)`` is the library's face (:mod:`migkg.api`)."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["KG", "Rows", "__version__", "open"]


def __getattr__(name: str) -> Any:
    # loaded on first use, so `import migkg` (and the CLI) stays cheap
    if name in ("open", "KG", "Rows"):
        from migkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'migkg' has no attribute {name!r}")
