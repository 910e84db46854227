"""Query: saved ``.rq`` files by name, parameters bound safely, results in the SPARQL result formats.

A saved query's header declares its parameters, one per line::

    # param: organizer iri -- events organized by this organization (optional)
    # param: year integer = 2019 -- calendar year

Types: ``iri``, ``string``, ``integer``, ``date``, ``year``. A parameter with no default whose
description does not say ``(optional)`` is required: running the query without it is an error.
An ``iri`` value may be written in any form :mod:`migkg.ids` reads (an IRI, ``id:kind/key``, an ISO
code, a name or acronym); :func:`run_query` resolves it against the store first. A value given with ``--param`` is
converted to an RDF term of that type and bound through the engine: a SEP-0007 substitution in
the embedded Oxigraph store, a ``VALUES`` block built and checked by rdflib for a remote endpoint
(:mod:`migkg.bind`); the text is never pasted, so a value cannot change the query's structure.
For both to agree, a parameter must be projected by the SELECT (Oxigraph's rule) and used in the
WHERE group's own patterns and filters (not under OPTIONAL, in sub-queries or in ``BOUND``).

An optional parameter's filter is written ``FILTER (!COALESCE(sameTerm(?p, ?p), false) || test)``:
true for every row when ``p`` is not given (nothing in the query binds it). A saved query runs
without those filters of the parameters not given (:meth:`SavedQuery.text_for`): the same rows, and
the engine does not evaluate their tests (an ``EXISTS`` per row) for nothing. SPARQL text run as
such (:func:`run_text`) is left as written.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migkg.errors import QueryError
from migkg.model import Result
from migkg.resources import resource_dir
from migkg.vocab import XSD

if TYPE_CHECKING:
    from migkg.store.stream import ResultStream

_PARAM = re.compile(r"^#\s*param:\s*(?P<name>\w+)\s+(?P<type>iri|string|integer|date|year)"
                    r"(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$")
TYPES = ("iri", "string", "integer", "date", "year")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        """No default and not marked ``(optional)`` in its description."""
        return self.default is None and "(optional)" not in self.description


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    description: str
    params: tuple[Param, ...]

    def text_for(self, bindings: dict[str, Node]) -> str:
        """The text to run with ``bindings``: the query without the filters of its optional parameters
        left unbound (:func:`without_idle_filters`)."""
        return without_idle_filters(self.text, {p.name for p in self.params} - bindings.keys())


# An optional parameter's guard: true only when the parameter is bound (sameTerm of an unbound variable is
# an error, false under COALESCE), so a filter `!guard || test` keeps every row when it is not
_GUARD = re.compile(r"!\s*COALESCE\s*\(\s*sameTerm\s*\(\s*\?(\w+)\s*,\s*\?\1\s*\)\s*,\s*false\s*\)", re.I)
_FILTER = re.compile(r"FILTER\s*\(", re.I)
# what a SPARQL tokenizer reads whole, so that brackets, bars and '#' inside are not taken for syntax:
# strings (long and short), IRIs (no space inside: '<' before a space is the operator) and comments
_OPAQUE = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                     r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*''')


def _code(text: str) -> str:
    """``text`` with every string, IRI and comment blanked (same length): what is left is syntax."""
    return _OPAQUE.sub(lambda m: " " * len(m.group()), text)


def without_idle_filters(text: str, idle: set[str]) -> str:
    """``text`` without each ``FILTER`` that one of its top-level ``||`` alternatives makes true for every
    row: the guard ``!COALESCE(sameTerm(?p, ?p), false)`` of a parameter ``p`` in ``idle`` (declared, not
    bound). The rows are the same; the engine no longer evaluates the filter's other tests (an
    ``EXISTS`` per row: Oxigraph does not skip them beside a true alternative). Only whole filters go,
    found on the text's syntax (strings, IRIs and comments blanked); nothing is added."""
    if not idle:
        return text
    code = _code(text)
    cut: list[tuple[int, int]] = []
    pos = 0
    for m in _FILTER.finditer(code):
        if m.start() < pos or (m.start() > 0 and (code[m.start() - 1].isalnum() or code[m.start() - 1] == "_")):
            continue
        end = _closing(code, m.end() - 1)
        if end is None:
            return text  # unbalanced: leave the query as written
        if any((g := _GUARD.fullmatch(alt.strip())) and g.group(1) in idle
               for alt in _alternatives(code[m.end():end])):
            cut.append((m.start(), end + 1))
        pos = end + 1
    out, at = [], 0
    for a, b in cut:
        out.append(text[at:a])
        at = b
    out.append(text[at:])
    return "".join(out)


def _closing(code: str, opening: int) -> int | None:
    """The index of the bracket closing the one at ``opening``."""
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _alternatives(code: str) -> list[str]:
    """An expression split at its top-level ``||``."""
    parts, depth, at = [], 0, 0
    i = 0
    while i < len(code):
        c = code[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0 and code.startswith("||", i):
            parts.append(code[at:i])
            at = i + 2
            i += 1
        i += 1
    parts.append(code[at:])
    return parts


class Queryable(Protocol):
    def select_result(self, sparql: str, bindings: dict[str, Node]) -> Result: ...


class Streamable(Queryable, Protocol):
    def select_stream(self, sparql: str, bindings: dict[str, Node]) -> ResultStream: ...


def parse_saved(path: Path, name: str | None = None) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read the query ({e})") from e
    return parse_text(text, name or path.stem, path)


def parse_text(text: str, name: str = "query", path: Path | None = None) -> SavedQuery:
    """A query's text with the parameters and description its header comment declares."""
    where = path or name
    params, doc = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _PARAM.match(line)
        if m:
            params.append(Param(m["name"], m["type"], m["default"], (m["doc"] or "").strip()))
        elif not re.match(r"^#\s*param:", line):
            doc.append(line.lstrip("#").strip())
        else:
            raise QueryError(f"{where}: bad parameter declaration {line!r}",
                             "write '# param: NAME TYPE [= DEFAULT] -- description'")
    return SavedQuery(name, path or Path(name), text, " ".join(d for d in doc if d), tuple(params))


def saved_queries() -> list[SavedQuery]:
    """Every saved query under ``queries/`` (contract and report queries first, then checks/…)."""
    root = resource_dir("queries")
    out = [parse_saved(p, str(p.relative_to(root).with_suffix(""))) for p in sorted(root.rglob("*.rq"))]
    return sorted(out, key=lambda q: (q.name.count("/"), q.name))


def load_query(name_or_file: str) -> SavedQuery:
    """A saved query by name (``events``, ``checks/orphan-event-violation``) or a path to a ``.rq`` file."""
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.is_file():
        return parse_saved(p)
    root = resource_dir("queries")
    candidate = (root / name_or_file).with_suffix(".rq")
    if re.fullmatch(r"[\w\-/]+", name_or_file) and candidate.is_file():
        return parse_saved(candidate, name_or_file)
    known = ", ".join(q.name for q in saved_queries() if "/" not in q.name)
    raise QueryError(f"{name_or_file}: no such saved query or .rq file", f"known queries: {known}")


def bind_params(query: SavedQuery, given: dict[str, str]) -> dict[str, Node]:
    """Turn ``--param`` strings into typed RDF terms; unknown names and bad values are errors."""
    declared = {p.name: p for p in query.params}
    for key in given:
        if key not in declared:
            names = ", ".join(declared) or "none"
            raise QueryError(f"{query.name}: unknown parameter {key!r}", f"this query takes: {names}")
    out: dict[str, Node] = {}
    for p in query.params:
        raw = given.get(p.name, p.default)
        if raw is None:
            if p.required:
                raise QueryError(f"{query.name}: missing required parameter {p.name!r} ({p.type})",
                                 f"add --param {p.name}=VALUE ({p.description})" if p.description
                                 else f"add --param {p.name}=VALUE")
            continue
        out[p.name] = to_term(p, raw, query.name)
    return out


def bound(query: SavedQuery, given: dict[str, str]) -> tuple[str, dict[str, Node]]:
    """The text to run and the bindings for ``given`` (:func:`bind_params`, then
    :meth:`SavedQuery.text_for`): what every runner of a saved query hands the store."""
    bindings = bind_params(query, given)
    return query.text_for(bindings), bindings


def to_term(p: Param, raw: str, query_name: str = "") -> Node:
    try:
        if p.type == "iri":
            if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>\"{}|\\^`]*", raw):
                raise ValueError("not an absolute IRI")
            return URIRef(raw)
        if p.type == "integer" or p.type == "year":
            return Literal(int(raw), datatype=XSD.integer)
        if p.type == "date":
            return Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        return Literal(raw)
    except ValueError as e:
        raise QueryError(f"{query_name}: parameter {p.name}={raw!r} is not a valid {p.type} ({e})") from e


# A parameter's name says which kind of node a name or code given for it stands for.
_PARAM_KINDS = {"organizer": "organization", "organization": "organization", "participant": "organization",
                "funder": "organization", "implementer": "organization", "org": "organization",
                "country": "country", "programme": "programme", "series": "series", "event": "event",
                "release": "release", "place": "place"}


def resolve_params(store: Queryable, query: SavedQuery, given: dict[str, str]) -> dict[str, str]:
    """``iri`` parameters written as short forms, codes or names, as full IRIs (:func:`migkg.ids.resolve`)."""
    from migkg.ids import resolve

    types = {p.name: p.type for p in query.params}
    return {k: str(resolve(store, v, _PARAM_KINDS.get(k))) if types.get(k) == "iri" else v
            for k, v in given.items()}


def run_query(store: Queryable, name_or_file: str, params: dict[str, str] | None = None) -> Result:
    """Load a saved query, bind its parameters (identifiers resolved) and run it against a store."""
    return store.select_result(*_saved(store, name_or_file, params))


def stream_query(store: Streamable, name_or_file: str, params: dict[str, str] | None = None) -> ResultStream:
    """:func:`run_query` with the rows streamed (:class:`migkg.store.stream.ResultStream`; close it)."""
    return store.select_stream(*_saved(store, name_or_file, params))


def _saved(store: Queryable, name_or_file: str, params: dict[str, str] | None) -> tuple[str, dict[str, Node]]:
    q = load_query(name_or_file)
    return bound(q, resolve_params(store, q, params or {}))


def run_text(store: Queryable, sparql: str, params: dict[str, str] | None = None) -> Result:
    """Run SPARQL text. Parameters it declares in its header are typed as in a saved query; others are
    bound as IRIs when written as one (IRI, ``id:kind/key``, ``mkg:term``), else as plain literals."""
    return store.select_result(*_text(store, sparql, params))


def stream_text(store: Streamable, sparql: str, params: dict[str, str] | None = None) -> ResultStream:
    """:func:`run_text` with the rows streamed (close the stream)."""
    return store.select_stream(*_text(store, sparql, params))


def _text(store: Queryable, sparql: str, params: dict[str, str] | None) -> tuple[str, dict[str, Node]]:
    from migkg.ids import as_literal_or_iri

    q = parse_text(sparql)
    given = dict(params or {})
    declared = {p.name for p in q.params}
    free = {k: as_literal_or_iri(v) for k, v in given.items() if k not in declared}
    typed = bind_params(q, resolve_params(store, q, {k: v for k, v in given.items() if k in declared}))
    return q.text, {**typed, **free}


# ---------------------------------------------------------------- result formats
def _json_term(t: Node) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
    out = {"type": "literal", "value": str(t)}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and str(t.datatype) != str(XSD.string):
        out["datatype"] = str(t.datatype)
    return out


Rows = Sequence[tuple[Node | None, ...]]
Writer = Callable[[Sequence[str], Iterable[Rows], IO[str]], None]
TEXT_CACHE = 1 << 18  # distinct term objects whose text a writer keeps before it empties its cache


class _Texts:
    """Each row's cells as ``text`` gives them, ``text`` called once per distinct term object.

    Rows repeat their terms (a country in every row), and the store hands out one object per
    distinct term, so the text of a term is cached by the object's ``id``; the per-cell work is then
    dictionary look-ups in C. The cache keeps each object it has seen alive (an ``id`` is unique only
    while its object lives) and is emptied past :data:`TEXT_CACHE` terms, so a stream of rows is
    written in bounded memory. Rows that do not share objects are written the same, with more calls."""

    def __init__(self, text: Callable[[Node | None], str | None], width: int) -> None:
        self.text, self.width = text, width
        self.known: dict[int, str | None] = {}
        self.alive: list[Node | None] = []

    def cells(self, rows: Rows) -> list[tuple[str | None, ...]]:
        if not self.width:
            return [() for _ in rows]
        cells = list(itertools.chain.from_iterable(rows))
        ids = list(map(id, cells))
        known = self.known
        seen = dict(zip(ids, cells, strict=True))
        for i, t in seen.items():  # (``seen.keys() - known.keys()`` would walk the whole cache)
            if i not in known:
                known[i] = self.text(t)
                self.alive.append(t)
        out = list(zip(*[map(known.__getitem__, ids)] * self.width, strict=True))
        if len(known) > TEXT_CACHE:
            known.clear()
            self.alive.clear()
        return out


def _chunks(rows: Rows, size: int = 4096) -> Iterator[Rows]:
    return (rows[at : at + size] for at in range(0, len(rows), size))


def _written(write: Writer, result: Result) -> str:
    buf = io.StringIO()
    write(result.variables, _chunks(result.rows), buf)
    return buf.getvalue()


def _json_fragment(t: Node | None) -> str | None:
    """A term's JSON object as it appears inside a binding (four levels deep, one space a level)."""
    if t is None:
        return None
    return json.dumps(_json_term(t), ensure_ascii=False, indent=1).replace("\n", "\n    ")


def write_json(variables: Sequence[str], chunks: Iterable[Rows], out: IO[str]) -> None:
    """SPARQL 1.1 Query Results JSON Format, chunk by chunk, exactly as ``json.dumps(doc,
    ensure_ascii=False, indent=1)`` writes the whole document (each distinct term encoded once, the
    rows joined around them)."""
    skeleton = json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": []}},
                          ensure_ascii=False, indent=1)
    tail = '"bindings": []\n }\n}'
    keys = ["    " + json.dumps(v, ensure_ascii=False) + ": " for v in variables]
    texts = _Texts(_json_fragment, len(variables))
    started = False
    for chunk in chunks:
        rows = []
        for row in texts.cells(chunk):
            bound = [k + t for k, t in zip(keys, row, strict=True) if t is not None]
            rows.append("   {\n" + ",\n".join(bound) + "\n   }" if bound else "   {}")
        if rows:
            out.write(",\n" if started else skeleton[: -len(tail)] + '"bindings": [\n')
            out.write(",\n".join(rows))
            started = True
    out.write("\n  ]\n }\n}" if started else skeleton)


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON Format (:func:`write_json` of every row)."""
    return _written(write_json, result)


def _csv_term(t: Node | None) -> str:
    return "" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t))


def write_csv(variables: Sequence[str], chunks: Iterable[Rows], out: IO[str]) -> None:
    """SPARQL 1.1 Query Results CSV, chunk by chunk: plain values, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    texts = _Texts(_csv_term, len(variables))
    for chunk in chunks:
        w.writerows(texts.cells(chunk))
        out.write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    out.write(buf.getvalue())


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV (:func:`write_csv` of every row)."""
    return _written(write_csv, result)


def _tsv_term(t: Node | None) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    assert isinstance(t, Literal)
    body = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace(
        "\t", "\\t")
    if t.language:
        return f'"{body}"@{t.language}'
    if t.datatype and str(t.datatype) != str(XSD.string):
        if str(t.datatype) == str(XSD.integer) and re.fullmatch(r"[+-]?\d+", str(t)):
            return str(t)
        return f'"{body}"^^<{t.datatype}>'
    return f'"{body}"'


def write_tsv(variables: Sequence[str], chunks: Iterable[Rows], out: IO[str]) -> None:
    """SPARQL 1.1 Query Results TSV, chunk by chunk: terms in Turtle/N-Triples syntax."""
    out.write("\t".join("?" + v for v in variables) + "\n")
    texts = _Texts(_tsv_term, len(variables))
    for chunk in chunks:
        out.write("".join("\t".join(row) + "\n" for row in texts.cells(chunk)))  # type: ignore[arg-type]


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV (:func:`write_tsv` of every row)."""
    return _written(write_tsv, result)


def to_table(result: Result) -> str:
    """A readable text table; IRIs of ours as short forms (``id:kind/key``, ``mkg:term``) that paste back
    into every command taking an identifier; nothing is cut."""
    from migkg.ids import short

    def show(t: Node | None) -> str:
        if t is None:
            return ""
        return short(str(t)) if isinstance(t, URIRef) else str(t).replace("\n", " ")

    cells: list[tuple[str, ...]] = _Texts(show, len(result.variables)).cells(result.rows)  # type: ignore[assignment]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


FORMATS = {"table": to_table, "json": to_json, "csv": to_csv, "tsv": to_tsv}
WRITERS: dict[str, Writer] = {"json": write_json, "csv": write_csv, "tsv": write_tsv}  # written as rows come


def render(result: Result, fmt: str) -> str:
    return FORMATS[fmt](result)


def write_stream(stream: ResultStream, fmt: str, out: IO[str]) -> None:
    """Write a stream of rows to ``out`` in ``fmt``, the same text as :func:`render`: json, csv and tsv
    as the rows come; ``table`` needs every row for its column widths, so it reads them all first."""
    if fmt in WRITERS:
        WRITERS[fmt](stream.variables, stream.chunks(), out)
    else:
        out.write(render(Result(stream.variables, tuple(stream)), fmt))


def explain_node(store: Queryable, iri: str) -> Result:
    """Every evidence record whose statement has ``iri`` as subject or object (``queries/explain.rq``)."""
    return run_query(store, "explain", {"node": iri})
