"""Exceptions raised by the library; only ``cli.py`` turns them into messages and exit codes."""

from __future__ import annotations


class MigkgError(Exception):
    """Base class: a message saying what went wrong and where, and a hint saying how to fix it."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}; {self.hint}"


class InputError(MigkgError):
    """A release file cannot be read: missing, empty, binary, badly encoded, too large."""


class ExtractionError(MigkgError):
    """The extractor could not turn a release into facts."""


class ValidationError(MigkgError):
    """A release's graph does not conform to the shapes."""

    exit_code = 1

    def __init__(self, message: str, shape_ids: tuple[str, ...] = (), hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.shape_ids = shape_ids


class StoreError(MigkgError):
    """The store cannot be opened, read or written (locked, missing, unreachable endpoint)."""


class QueryError(MigkgError):
    """A saved query is unknown, does not parse, or got a bad parameter."""


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, which it stands beside
    """SIGINT or SIGTERM arrived: stop now (not an Exception, so no per-release handler swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and other control or invisible format characters escaped.

    File names and exception texts may hold newlines, NUL, zero-width or right-to-left marks; an
    error message must stay one readable line whatever they hold."""
    out = []
    for c in text:
        if c in "\n\r\t\x0b\x0c\x85\u2028\u2029" or ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in _INVISIBLE:
            out.append(c.encode("unicode_escape").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\ufeff")
