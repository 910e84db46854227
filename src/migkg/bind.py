"""Bind query parameters for a remote endpoint: a ``VALUES`` block first in the WHERE group, built by rdflib.

The embedded store substitutes parameters in Oxigraph (SEP-0007); this gives the same rows for a
parameter that is projected and used in the WHERE group's own patterns and filters. The block is built
from rdflib terms serialized by rdflib (``term.n3()``), and the result is parsed by rdflib before
it is run, so a value can only ever be one RDF term (``"} ; DROP ALL ; #"`` stays a literal).
Parameters are visible to the WHERE group's own patterns and filters (not inside sub-queries).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
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
    row = " ".join(_n3(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    previous = ""
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "other" and m.group().strip():
            previous = m.group()
        # a CONSTRUCT's first group is its template: bind in the group after WHERE
        if m.lastgroup == "brace" and (not construct or re.search(r"(?i)\bwhere\s*$", previous)):
            out = sparql[:m.end()] + block + sparql[m.end():]
            _parse(out)
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


def _parse(sparql: str) -> str:
    try:
        return str(prepareQuery(sparql).algebra.name)
    except Exception as e:  # rdflib's parser raises pyparsing errors and others
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise QueryError(f"query does not parse: {first}") from e
