"""Engine profiles and credentials: what differs between SPARQL servers is data, not code.

The profiles live in ``data/engines/profiles.json`` (Graph Store and update paths, authentication
scheme, how ``push`` writes, batch size, JSON result quirks, the engine's own graphs, row limits).
A profile is chosen by name (``--engine``) or detected from the ``Server`` header of a query's
answer. Credentials come from ``$MIGKG_ENDPOINT_USER`` and ``$MIGKG_ENDPOINT_PASSWORD`` or from a
netrc file (``$NETRC``, else ``~/.netrc``), never from the command line, and are never put in a
message.
"""

from __future__ import annotations

import json
import netrc
import os
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from migkg.errors import StoreError
from migkg.resources import resource

USER_ENV = "MIGKG_ENDPOINT_USER"
PASSWORD_ENV = "MIGKG_ENDPOINT_PASSWORD"
ENGINE_ENV = "MIGKG_ENGINE"
BULK_DIR_ENV = "MIGKG_BULK_DIR"
LOADS = ("gsp-dataset", "gsp-graph", "update")
BULK_LOADS = ("virtuoso-ld-dir",)


@dataclass(frozen=True)
class Profile:
    """One engine's layout and quirks (see the comment at the top of the profiles file)."""

    name: str
    server_header: tuple[str, ...]
    query_paths: tuple[str, ...]
    update_path: str
    gsp_path: str
    auth: str
    load: str
    batch: int
    parallel: int
    union_default_graph: bool | str
    literal_types: tuple[str, ...]
    hidden_graph_prefixes: tuple[str, ...]
    truncation_header: str | None
    docs: str
    bulk: str | None = None
    bulk_batch: int = 500_000

    def sibling(self, query_url: str, path: str) -> str | None:
        """The URL of ``path`` beside the query URL, when the query URL follows this engine's layout."""
        base, _, last = query_url.split("?", 1)[0].rstrip("/").rpartition("/")
        return f"{base}/{path}" if base and last in self.query_paths else None

    def hidden(self, graph: str) -> bool:
        return any(graph.startswith(p) for p in self.hidden_graph_prefixes)


@cache
def profiles() -> dict[str, Profile]:
    """Every engine profile by name, read once from the profiles file."""
    raw: dict[str, Any] = json.loads(resource("engines", "profiles.json").read_text(encoding="utf-8"))
    out = {}
    for name, p in raw.items():
        if name.startswith("_"):
            continue
        if p["load"] not in LOADS or p["auth"] not in ("basic", "digest") or int(p.get("parallel", 1)) < 1 \
                or p.get("bulk") not in (None, *BULK_LOADS):
            raise StoreError(f"engine profile {name}: unknown load {p['load']!r}, auth {p['auth']!r} or bulk "
                             f"{p.get('bulk')!r}, or parallel below 1")
        out[name] = Profile(
            name, tuple(p["server_header"]), tuple(p["query_paths"]), p["update_path"], p["gsp_path"],
            p["auth"], p["load"], int(p["batch"]), int(p.get("parallel", 1)), p["union_default_graph"],
            tuple(p["literal_types"]), tuple(p["hidden_graph_prefixes"]), p["truncation_header"], p["docs"],
            p.get("bulk"), int(p.get("bulk_batch", 500_000)))
    return out


def profile(name: str) -> Profile:
    """The profile called ``name``; a clear error for an unknown one."""
    known = profiles()
    if name not in known:
        raise StoreError(f"--engine {name}: unknown engine", f"choose one of {', '.join(sorted(known))}")
    return known[name]


def detect(server_header: str | None) -> Profile | None:
    """The profile whose ``server_header`` words occur in an HTTP ``Server`` header, if any."""
    text = (server_header or "").lower()
    for p in profiles().values():
        if any(word in text for word in p.server_header):
            return p
    return None


def check_url(url: str) -> str:
    """Refuse URLs that are not http(s) or that carry credentials (they would show in process lists)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url}: not an http(s) URL", "pass the endpoint's query URL")
    if parts.username is not None or parts.password is not None:
        shown = urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname + (
            f":{parts.port}" if parts.port else "")))
        raise StoreError(f"{shown}: credentials in the URL are refused",
                         f"set ${USER_ENV} and ${PASSWORD_ENV}, or use a netrc file")
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for ``url``: from the environment, else from the netrc file, else None."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password):
            raise StoreError(f"only one of ${USER_ENV} and ${PASSWORD_ENV} is set", "set both, or neither")
        return user, password
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as e:
        # the parser's message may quote the file; name the file and the line only
        line = getattr(e, "lineno", None)
        raise StoreError(f"{path}: cannot read the netrc file" + (f" (line {line})" if line else ""),
                         "check its syntax: machine HOST login USER password PASSWORD") from None
    if entry is None or not entry[2]:
        return None
    return entry[0] or "", entry[2]
