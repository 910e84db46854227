"""Query policy: what a SPARQL text must satisfy before the engine sees it.

Oxigraph's parser and evaluator recurse on the query's structure and have no depth guard: about
2,500 nested braces, 5,000 nested parentheses or 10,000 chained operators overflow an 8 MiB stack
and kill the process (a segmentation fault, not an exception). So every query is checked here
first (:func:`check_query`): its size, its bracket nesting and, for queries from the network, its
SERVICE clauses (a SERVICE makes the engine fetch any address it is given). The engine then runs
on a thread with a large stack (:func:`run_deep`), so operator chains that fit within the size
limit cannot overflow it either.

The scan is a small tokenizer, not a parser: it skips strings, comments and escaped characters the
way SPARQL's grammar does (SPARQL 1.1 §19.8) and errs on the side of refusing — brackets inside IRIs
count toward the depth, because ``?a<((…))>3`` is an IRI to a tokenizer and an expression to the
parser.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from typing import TypeVar

from migkg.errors import QueryError

MAX_QUERY_CHARS = 128 * 1024
MAX_DEPTH = 64
DEEP_STACK = 512 << 20  # bytes of stack for the engine's thread: chains far beyond MAX_QUERY_CHARS fit

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<long>'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\")
      | (?P<string>'(?:\\.|[^'\\\n\r])*'|"(?:\\.|[^"\\\n\r])*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<escape>\\.)
      | (?P<word>[?$]?[A-Za-z_][A-Za-z0-9_\-]*:?)
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<space>\s+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


class QueryRefused(QueryError):
    """A query the policy does not let the engine see (too large, too deep, SERVICE not allowed)."""

    exit_code = 2


def check_query(text: str, allow_service: Iterable[str] | None = None, max_chars: int = MAX_QUERY_CHARS,
                max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`QueryRefused` unless ``text`` is small and shallow enough for the engine.

    ``allow_service`` None lets SERVICE through (a local user's own query); otherwise every SERVICE
    must name an absolute http(s) IRI whose host (or host:port) is in it."""
    if len(text) > max_chars:
        raise QueryRefused(f"query of {len(text):,} characters refused (the limit is {max_chars:,})",
                           "split it into smaller queries")
    allowed = None if allow_service is None else {h.lower() for h in allow_service}
    depth = deepest = 0
    expect_service_target = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if expect_service_target:
            if kind == "word" and m.group().upper() == "SILENT":
                continue
            _check_service(m.group() if kind == "iri" else None, allowed)  # type: ignore[arg-type]
            expect_service_target = False
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "iri":
            # brackets inside what looks like an IRI may be an expression to the parser: count them
            inner = m.group()
            for c in inner:
                if c in "([":
                    depth += 1
                    deepest = max(deepest, depth)
                elif c in ")]":
                    depth = max(0, depth - 1)
        elif kind == "word" and allowed is not None and m.group().upper() == "SERVICE":
            expect_service_target = True
        if deepest > max_depth:
            raise QueryRefused(f"query nested deeper than {max_depth} brackets refused",
                               "flatten the query (fewer nested groups or parentheses)")
    if expect_service_target:
        _check_service(None, allowed)  # type: ignore[arg-type]


def _check_service(iri: str | None, allowed: set[str]) -> None:
    if iri is None:
        raise QueryRefused("SERVICE is refused here unless it names an allowed endpoint by its full IRI",
                           "ask the operator to start the server with --allow-service HOST")
    url = urllib.parse.urlsplit(iri[1:-1])
    host = (url.hostname or "").lower()
    netloc = f"{host}:{url.port}" if url.port else host
    if url.scheme.lower() not in ("http", "https") or not host or not ({host, netloc} & allowed):
        raise QueryRefused(f"SERVICE {iri} refused: this server does not query that endpoint",
                           "ask the operator to start the server with --allow-service HOST")


T = TypeVar("T")


def run_deep(fn: Callable[[], T]) -> T:
    """``fn()`` on a fresh thread with a :data:`DEEP_STACK` stack; its result, or its exception re-raised."""
    out: list[T] = []
    err: list[BaseException] = []

    def target() -> None:
        try:
            out.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed back to the caller's thread
            err.append(e)

    deep_thread(target).join()
    if err:
        raise err[0]
    return out[0]


def deep_thread(target: Callable[..., object], *args: object) -> threading.Thread:
    """A started daemon thread running ``target(*args)`` with a :data:`DEEP_STACK` stack."""
    with _STACK_LOCK:
        old = threading.stack_size(DEEP_STACK)
        try:
            t = threading.Thread(target=target, args=args, name="migkg-query", daemon=True)
            t.start()
        finally:
            threading.stack_size(old)
    return t


_STACK_LOCK = threading.Lock()
