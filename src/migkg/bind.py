"""Bind query parameters: a ``VALUES`` block first in the WHERE group, built by rdflib.

Both stores bind this way (the embedded one too: unlike a SEP-0007 substitution, Oxigraph's planner sees
the value and starts from its index entries); this gives the same rows as a substitution for a parameter
that is projected and used in the WHERE group's own patterns and filters (not inside sub-queries). The
block is built from rdflib terms serialized by rdflib (``term.n3()``) and is parsed and evaluated by
rdflib on its own: it must read back as one row with one term for each parameter, so a value can only
ever be one RDF term (``"} ; DROP ALL ; #"`` stays a literal). It goes right after a ``{`` of a query
rdflib parsed (once per text: the parse is cached), where a VALUES clause is always allowed. Parsing the
whole bound query again, as before, cost 0.1-0.3 s a call for the larger saved queries: more than most of
them take to answer at 100,000 releases.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from migkg.errors import QueryError

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"|'''(?:[^\\]|\\.)*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<brace>\{)
  | (?P<other>[^\#"'<{]+|.)
""", re.X | re.S)


def with_values(sparql: str, bindings: dict[str, Node]) -> str:
    """The query with one ``VALUES`` row binding ``bindings``, first in its WHERE group."""
    if not bindings:
        return sparql
    construct = _parse(sparql) == "ConstructQuery"
    names = sorted(bindings)
    block, checked = _block(tuple(names), tuple(bindings[n] for n in names))
    previous = ""
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "other" and m.group().strip():
            previous = m.group()
        # a CONSTRUCT's first group is its template: bind in the group after WHERE
        if m.lastgroup == "brace" and (not construct or re.search(r"(?i)\bwhere\s*$", previous)):
            out = sparql[:m.end()] + block + sparql[m.end():]
            if not checked:  # rdflib read the block alone differently (its \\u pre-pass): parse it in place
                _parse.__wrapped__(out)
            return out
    raise QueryError("query has no WHERE group to bind parameters in")


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return term.n3()
    if isinstance(term, Literal):
        # rdflib leaves tabs, backspaces and form feeds raw; parsers may expand or drop them. Only a
        # literal's quoted lexical form can hold them, so escaping them there keeps the value exact.
        return term.n3().replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f")
    raise QueryError(f"cannot bind {term!r} as a parameter", "bind an IRI or a literal")


_U_AFTER_BACKSLASH = re.compile(r"\\([uU])")


@lru_cache(maxsize=512)
def _block(names: tuple[str, ...], terms: tuple[Node, ...]) -> tuple[str, bool]:
    """`` VALUES (?a ?b) { (<x> "y") } `` and whether rdflib read it alone as one row of one term a name
    (False: it did not parse alone, and the caller parses the whole bound query instead)."""
    row = " ".join(_n3(t) for t in terms)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    # rdflib expands \\u and \\U escapes over the whole text before it reads strings, so a literal holding a
    # backslash then "u" (serialized as an escaped backslash then "u") would not read back in rdflib, though
    # the stores read it as that text. The probe writes "v" for such a "u": the same tokens, one letter apart.
    probe = _U_AFTER_BACKSLASH.sub(lambda m: "\\" + ("v" if m.group(1) == "u" else "V"), block)
    try:
        rows = list(Graph().query("SELECT * WHERE {" + probe + "}"))
    except Exception:  # rdflib's parser raises pyparsing errors and others: the caller checks the whole query
        return block, False
    # one row, a term for each name (rdflib's parser expands \\u escapes before reading strings, as the
    # grammar's first pass says; Oxigraph reads them inside strings only, so values are not compared here)
    if len(rows) != 1 or any(rows[0][n] is None for n in names):  # type: ignore[index]
        raise QueryError(f"cannot bind {row[:80]!r}: it does not read back as {len(terms)} term(s)")
    return block, True


@lru_cache(maxsize=256)
def _parse(sparql: str) -> str:
    try:
        return str(prepareQuery(sparql).algebra.name)
    except Exception as e:  # rdflib's parser raises pyparsing errors and others
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise QueryError(f"query does not parse: {first}") from e
