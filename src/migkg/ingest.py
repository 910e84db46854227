"""Ingest: paths -> :class:`~migkg.model.Release`. Encodings, headers, language sections; no NLP, no RDF.

Release files:

* ``.txt`` / ``.md``: first non-empty line the title, then optional header lines (``Date Publish:``,
  ``Published:``, ``Source:``, ``URL:``; a header's value may stand on the next line), then the body.
  Sections in different languages are separated by a line holding only ``***``.
* ``.html`` / ``.htm``: the ``<title>`` (or first ``<h1>``) is the title, visible text the body;
  scripts and styles are dropped.
* ``.jsonl``: one release per line, an object with ``text`` and optional ``title``, ``published``,
  ``url``/``source`` and ``id``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from migkg.dates import dateline_date, parse_date
from migkg.errors import InputError
from migkg.languages import profiles
from migkg.model import Release, Section
from migkg.names import slug as _slug

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_HEADER = re.compile(r"^\s*(date publish|date published|published|date|source|url)\s*:\s*(.*)$", re.I)
_SEPARATOR = re.compile(r"^[ \t]*\*{3,}[ \t]*$", re.M)
_SKIP_NAMES = {"readme.md", "readme.txt", "license.txt"}


def iter_release_paths(paths: list[str | Path]) -> Iterator[Path]:
    """Yield every release file under the given files and folders, sorted, without following
    symbolic links to folders (a link loop cannot trap the walk)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith((".", "_")) or name.lower() in _SKIP_NAMES:
                        continue
                    if name.lower().endswith(SUFFIXES):
                        found.append(Path(root) / name)
            yield from sorted(found)
        elif p.exists() or p.is_symlink():
            yield p
        else:
            raise InputError(f"{raw}: no such file or folder", "check the path")


def read_release_file(
    path: str | Path, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
    bad_lines: list[InputError] | None = None,
) -> list[Release]:
    """Read one file into releases (one, or several for ``.jsonl``); raise InputError when it can't be read.

    With ``bad_lines`` given, a ``.jsonl`` line that is not a release is recorded there and the
    other lines are still read (one bad line does not lose the file's good releases)."""
    p = Path(path)
    raw = _read_bytes(p, max_bytes)
    text = decode(raw, p, encoding)
    if p.suffix.lower() == ".jsonl":
        return _read_jsonl(text, p, bad_lines)
    if p.suffix.lower() in (".html", ".htm"):
        title, body = _html_to_text(text)
        if not title or not body:
            raise InputError(f"{p}: no visible {'title' if not title else 'text'} in this HTML page",
                             "a release needs a title and a body")
        return [_make_release(p, _slug(p.stem), title, body, {}, raw)]
    title, headers, body = _split_headers(text, p)
    return [_make_release(p, _slug(p.stem), title, body, headers, raw)]


def release_identity(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str] | None:
    """The key and the digest of the bytes (:attr:`Release.content_hash`) that :func:`read_release_file`
    would give the one release of this file, without decoding or splitting it: what a rebuild needs to
    know that the release is unchanged. None for a file of several releases (JSON Lines), or one that is
    not a readable regular file within ``max_bytes`` (a full read says why)."""
    p = Path(path)
    if p.suffix.lower() == ".jsonl":
        return None
    try:
        raw = _read_bytes(p, max_bytes)
    except InputError:
        return None
    return _slug(p.stem), hashlib.sha256(raw).hexdigest()


def _read_bytes(p: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; InputError saying why not."""
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{p}: is a folder, not a release file")
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise InputError(f"{p}: not a regular file (a pipe, socket or device)")
        size = st.st_size
        if size > max_bytes:
            raise InputError(
                f"{p}: too large ({size:,} bytes; the limit is {max_bytes:,})", "raise it with --max-bytes"
            )
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may have grown since stat
        if len(raw) > max_bytes:
            raise InputError(f"{p}: too large (over {max_bytes:,} bytes)", "raise it with --max-bytes")
    except InputError:
        raise
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})") from e
    return raw


def decode(raw: bytes, path: Path, encoding: str | None = None) -> str:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark, or the encoding given)."""
    if not raw.strip():
        raise InputError(f"{path}: empty file", "a release needs a title line and a body")
    if encoding:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot decode as {encoding} ({e})") from e
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(f"{path}: broken {codec} text ({e.reason} at byte {e.start})") from e
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), not a text release")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = raw[e.start]
        # Bytes 0x80-0x9f are letters (š, ž, Š, Ž ...) in cp1250 but controls in Latin-1.
        if any(0x80 <= b <= 0x9F for b in raw):
            hint = "pass --encoding cp1250"
        else:
            hint = "pass --encoding cp1250 (Central European) or --encoding latin-1 (Western European)"
        raise InputError(f"{path}: not UTF-8 (byte 0x{bad:02x} at offset {e.start})", hint) from e


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Unicode's Cc (C0, DEL, C1) but tab and line feed


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


def _split_headers(text: str, path: Path) -> tuple[str, dict[str, str], str]:
    lines = _clean(text).split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise InputError(f"{path}: empty file", "a release needs a title line and a body")
    title = lines[i].strip().lstrip("#").strip()
    i += 1
    headers: dict[str, str] = {}
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _HEADER.match(line)
        if not m:
            break
        key, value = m.group(1).lower(), m.group(2).strip()
        i += 1
        if not value:
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i < len(lines) and not _HEADER.match(lines[i]):
                value = lines[i].strip()
                i += 1
        headers[key] = value
    body = "\n".join(lines[i:]).strip()
    if not body:
        raise InputError(f"{path}: no body after the title", "a release needs a title line and a body")
    return title, headers, body


class _TextOfHtml(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self.h1 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if self._in_h1:
            self.h1 += data
        self.parts.append(data)


def _html_to_text(text: str) -> tuple[str, str]:
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    body = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    body = re.sub(r"\n\s*\n\s*(\n\s*)*", "\n\n", body).strip()
    title = " ".join((parser.title or parser.h1).split())
    if not title:
        first, _, rest = body.partition("\n")
        title, body = first.strip(), rest.strip()
    return title, _clean(body)


def _read_jsonl(text: str, path: Path, bad_lines: list[InputError] | None = None) -> list[Release]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):  # JSON escapes every other line break
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                raise InputError(f"{path}:{n}: each line needs an object with a non-empty \"text\"")
        except (json.JSONDecodeError, RecursionError, InputError) as e:
            err = e if isinstance(e, InputError) else InputError(
                f"{path}:{n}: not a JSON object ({getattr(e, 'msg', type(e).__name__)})")
            if bad_lines is None:
                raise err from e
            bad_lines.append(err)
            continue
        key = _slug(str(obj.get("id") or f"{path.stem}-{n}"))
        headers = {k: str(obj[k]) for k in ("published", "url", "source") if obj.get(k)}
        title = str(obj.get("title") or obj["text"].strip().split("\n", 1)[0])
        out.append(_make_release(path, key, title, _clean(obj["text"]).strip(), headers, line.encode()))
    if not out and not bad_lines:
        raise InputError(f"{path}: no releases in this JSON Lines file")
    return out


def _make_release(path: Path, key: str, title: str, body: str, headers: dict[str, str], raw: bytes) -> Release:
    published_text = headers.get("date publish") or headers.get("date published") or headers.get(
        "published") or headers.get("date")
    published = parse_date(published_text) if published_text else None
    month = None
    if published is None and published_text:
        m = re.fullmatch(r"\s*((?:19|20)\d\d)-(0[1-9]|1[0-2])\s*", published_text)  # "Date Publish: 2022-11"
        month = f"{m.group(1)}-{m.group(2)}" if m else None
    if published is None and month is None:
        published = dateline_date(body)
    source = headers.get("url") or headers.get("source") or path.name
    sections = split_sections(body)
    return Release(
        key=key,
        path=str(path),
        title=_clean(title).strip() or _fallback_title(body, path),
        published=published,
        text=body,
        sections=sections,
        source=source,
        content_hash=hashlib.sha256(raw).hexdigest(),
        published_month=month,
    )


def _fallback_title(body: str, path: Path) -> str:
    """A title for a release whose title line is empty once cleaned: its first words, else its file name."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first[:120] or path.stem


def split_sections(body: str) -> tuple[Section, ...]:
    """Split a body at ``***`` lines into sections, each with its detected language."""
    sections = []
    pos = 0
    for m in [*_SEPARATOR.finditer(body), None]:
        end = m.start() if m else len(body)
        chunk = body[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + chunk.index(stripped[0])
            halves, whole = _language_halves(stripped)
            if whole is not None:  # one language: the section's scores are its lines' (counted once)
                sections.append(Section(lang=_verdict(whole), text=stripped, start=start))
            for a, b in halves:
                part = stripped[a:b].strip()
                sections.append(Section(lang=detect_language(part), text=part, start=start + a))
        if m:
            pos = m.end()
    return tuple(sections)


def _language_halves(text: str) -> tuple[list[tuple[int, int]], dict[str, int] | None]:
    """A section told in one language, then again in another with no separator line: its two halves
    (paragraphs in language A, then paragraphs in B, each at least 40 words), and None; else no halves
    and the whole section's language scores (the sum of its lines': words, and function words written
    in glued letters, never run across a line break)."""
    paras = []
    total: dict[str, int] = {}
    for m in re.finditer(r"[^\n]+", text):
        scores = _language_scores(m.group())
        for lang, n in scores.items():
            total[lang] = total.get(lang, 0) + n
        paras.append((m.start(), m.end(), _verdict(scores)))
    known = [(a, lang) for a, _, lang in paras if lang != "und"]
    switches = [i for i in range(1, len(known)) if known[i][1] != known[i - 1][1]]
    if len(switches) != 1:
        return [], total
    cut = known[switches[0]][0]
    last_a = max(b for a, b, _ in paras if a < cut and any(x == a for x, _ in known))
    cut = next(a for a, _, _ in paras if a >= last_a)
    halves = [(0, cut), (cut, len(text))]
    if any(len(re.findall(r"\w+", text[a:b])) < 40 for a, b in halves):
        return [], total
    return halves, None


@cache
def _function_words() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The languages that have function words, in profile order, and each function word's languages."""
    languages = tuple(code for code, p in profiles().items() if code == p.code and p.function_words)
    of: dict[str, list[str]] = {}
    for code in languages:
        for w in frozenset(profiles()[code].function_words):
            of.setdefault(w, []).append(code)
    return languages, {w: tuple(codes) for w, codes in of.items()}


@cache
def _glued_words() -> tuple[re.Pattern[str] | None, dict[str, re.Pattern[str]]]:
    """The function words of each language written in glued letters (a profile's ``letters``), as one
    pattern, and a pattern finding any of those letters: a text without one has none of these words
    (when a language has a function word without its letters, the first pattern is None: always count)."""
    glued = {code: p for code, p in profiles().items() if code == p.code and p.letters and p.function_words}
    words = {code: re.compile("|".join(re.escape(w) for w in sorted(p.function_words, key=len, reverse=True)))
             for code, p in glued.items()}
    letters = {code: re.compile(f"[{p.letters}]") for code, p in glued.items()}
    every_word_lettered = all(letters[code].search(w) for code, p in glued.items() for w in p.function_words)
    any_letter = re.compile("[" + "".join(p.letters for p in glued.values()) + "]") if glued else None
    return (any_letter if every_word_lettered else None), words


def _language_scores(text: str) -> dict[str, int]:
    """How many function words of each language ``text`` has, for the languages it has any of (see
    :func:`detect_language`)."""
    scores: dict[str, int] = {}
    words = re.findall(r"\w+", text.lower())
    if not words:
        return scores
    of = _function_words()[1]
    for w, n in Counter(words).items():  # each distinct word looked up once
        for lang in of.get(w, ()):
            scores[lang] = scores.get(lang, 0) + n
    any_letter, glued = _glued_words()
    lettered = any_letter is None or any_letter.search(text) is not None
    for lang, rx in glued.items():  # no spaces between words: count the function words in the runs
        if lettered and (n := len(rx.findall(text))):
            scores[lang] = n
        else:
            scores.pop(lang, None)
    return scores


@cache
def _rank() -> dict[str, int]:
    """Each language's place in profile order, which breaks a tie between two languages' scores."""
    return {lang: i for i, lang in enumerate(_function_words()[0])}


def _verdict(scores: dict[str, int]) -> str:
    """The language with the most function words (the first in profile order on a tie), if it has at
    least two; else 'und'."""
    if not scores:
        return "und"
    rank = _rank()
    best = min(scores, key=lambda k: (-scores[k], rank[k]))
    return best if scores[best] >= 2 else "und"


def detect_language(text: str) -> str:
    """Guess a section's language (ISO 639-1) by counting the function words of each language profile
    (``data/languages/``); 'und' when unsure."""
    return _verdict(_language_scores(text))
