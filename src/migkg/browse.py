"""The analyst's pages of ``migkg serve``: the entity index and the saved queries as forms.

- ``/entities?kind=organization&q=iom`` — organizations, countries, events and programmes (the saved
  query ``entities``) with how many releases speak of each, a count per kind, and a search that
  compares names case- and accent-insensitively (:func:`migkg.names.fold`).
- ``/queries`` — every saved query with its description; ``/queries/NAME`` — a form for the query's
  parameters (identifiers in any form :mod:`migkg.ids` reads), its SPARQL highlighted (Pygments, on
  the server: the page needs no script), the rows as a table sorted by any column (the headers are
  links, so sorting works without JavaScript), and ``/queries/NAME.csv`` / ``.json`` downloads.

Only what is rendered lives here; ``serve`` resolves and binds parameters through the library
(:func:`migkg.query.bind_params`, :func:`migkg.bind.with_values`) and runs the query in its sandbox.
"""

from __future__ import annotations

import html
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from migkg.docs import page
from migkg.ids import short
from migkg.names import fold
from migkg.pages import NAV, link_target
from migkg.query import SavedQuery

KINDS = (("organization", "Organizations"), ("country", "Countries"), ("event", "Events"),
         ("programme", "Programmes"))
DOWNLOADS = {"csv": "text/csv", "json": "application/sparql-results+json"}


@dataclass(frozen=True)
class Table:
    """SPARQL JSON results (``head.vars``, ``results.bindings``) as columns and cells."""

    variables: list[str]
    rows: list[dict[str, dict[str, str]]]

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Table:
        return cls(list(doc["head"]["vars"]), list(doc["results"]["bindings"]))

    def sorted_by(self, column: str | None, descending: bool) -> Table:
        """The rows ordered by ``column`` (numbers as numbers, dates as dates; unbound cells last)."""
        if column not in self.variables:
            return self
        present = [r for r in self.rows if column in r]
        missing = [r for r in self.rows if column not in r]
        present.sort(key=lambda r: _sort_key(r[column]), reverse=descending)
        return Table(self.variables, present + missing)


_NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger")


def _sort_key(term: dict[str, str]) -> tuple[int, Any]:
    kind = term.get("datatype", "").rsplit("#", 1)[-1]
    value = term["value"]
    if kind in _NUMERIC:
        try:
            return (0, Decimal(value))
        except ArithmeticError:
            pass
    if kind == "date":
        try:
            return (1, date.fromisoformat(value[:10]))
        except ValueError:
            pass
    return (2, fold(value) or value)


def cell(term: dict[str, str] | None) -> str:
    """One result term: our IRIs as short forms (they paste back into every command and form) linked
    to their pages, other http(s) IRIs as links, literals as text with their language."""
    if term is None:
        return "<td></td>"
    value = term["value"]
    if term["type"] == "uri":
        href = link_target(value)
        text = html.escape(short(value))
        if href is None:
            return f'<td><span class="iri">{text}</span></td>'
        return f'<td><a href="{html.escape(href)}" title="{html.escape(value)}">{text}</a></td>'
    lang = term.get("xml:lang")
    suffix = f' <span class="lang">@{html.escape(lang)}</span>' if lang else ""
    return f"<td>{html.escape(value)}{suffix}</td>"


def table_html(table: Table, base: str, params: dict[str, str], sort: str | None, descending: bool) -> str:
    """A results table whose headers link to the same page sorted by that column (again: reversed)."""
    heads = []
    for v in table.variables:
        desc = v == sort and not descending
        href = base + "?" + urllib.parse.urlencode({**params, "sort": v, "order": "desc" if desc else "asc"})
        mark = (" ▼" if descending else " ▲") if v == sort else ""
        heads.append(f'<th><a class="sort" href="{html.escape(href)}">{html.escape(v)}</a>{mark}</th>')
    body = "\n".join("<tr>" + "".join(cell(r.get(v)) for v in table.variables) + "</tr>" for r in table.rows)
    return f'<table class="results"><tr>{"".join(heads)}</tr>\n{body}\n</table>'


# ---------------------------------------------------------------- entity index
def entity_index(rows: list[dict[str, Any]], kind: str, search: str) -> str:
    """The index page: a tab per kind with its count, a search box, the matching entities."""
    kind = kind if kind in dict(KINDS) else "organization"
    counts = Counter(r["kind"] for r in rows)
    tabs = " ".join(
        f'<a class="tab{" current" if k == kind else ""}" href="/entities?kind={k}">{label} '
        f'<span class="count">{counts.get(k, 0)}</span></a>' for k, label in KINDS)
    want = fold(search)
    shown = [r for r in rows if r["kind"] == kind and (not want or any(
        want in fold(text) for text in (r["name"] or "", r["acronym"] or "", short(r["entity"]))))]
    items = "\n".join(
        f'<tr><td><a href="{html.escape(link_target(r["entity"]) or "")}">'
        f'{html.escape(r["name"] or short(r["entity"]))}</a></td><td>{html.escape(r["acronym"] or "")}</td>'
        f'<td><code>{html.escape(short(r["entity"]))}</code></td><td>{r["releases"]}</td></tr>'
        for r in shown)
    what = f' matching “{html.escape(search)}”' if search else ""
    body = (f'<p class="tabs">{tabs}</p>'
            f'<form method="get" action="/entities"><input type="hidden" name="kind" value="{kind}">'
            f'<label for="q">Search names</label> <input id="q" name="q" value="{html.escape(search)}"> '
            f'<button type="submit">Search</button></form>'
            f'<p id="found">{len(shown)} of {counts.get(kind, 0)} {dict(KINDS)[kind].lower()}{what}</p>'
            '<table class="entities"><tr><th>name</th><th>acronym</th><th>identifier</th><th>releases</th></tr>\n'
            f"{items}\n</table>")
    return page("Entities", body, nav=NAV)


# ---------------------------------------------------------------- saved queries
def query_list(queries: list[SavedQuery]) -> str:
    """Every saved query with its parameters and description."""
    items = []
    for q in queries:
        params = ", ".join(f"<code>{html.escape(p.name)}</code>" + ("" if p.required else " (optional)")
                           for p in q.params)
        items.append(f'<tr><td><a href="/queries/{html.escape(q.name)}">{html.escape(q.name)}</a></td>'
                     f"<td>{params}</td><td>{html.escape(q.description)}</td></tr>")
    body = ("<p>Every saved query under <code>queries/</code>: open one for a form with its parameters, "
            "sortable results and CSV or JSON downloads. Identifiers may be written as IRIs, "
            "<code>id:kind/key</code>, ISO codes, names or acronyms.</p>"
            '<table><tr><th>query</th><th>parameters</th><th>what it answers</th></tr>\n'
            + "\n".join(items) + "\n</table>")
    return page("Saved queries", body, nav=NAV)


@cache
def _highlight_css() -> str:
    from pygments.formatters import HtmlFormatter

    return str(HtmlFormatter().get_style_defs(".highlight"))


def highlight(sparql: str) -> str:
    """The query as HTML with its syntax highlighted (classes only: the page's CSP allows no style
    attribute)."""
    from pygments import highlight as _hl
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import SparqlLexer

    return str(_hl(sparql, SparqlLexer(), HtmlFormatter()))


def query_page(q: SavedQuery, given: dict[str, str], table: Table | None, error: str | None,
               truncated: int | None, sort: str | None, descending: bool) -> str:
    """A saved query's page: its form, highlighted text, and the rows when it was run."""
    base = f"/queries/{q.name}"
    fields = []
    for p in q.params:
        need = " required" if p.required else ""
        hint = "an IRI, id:kind/key, an ISO code or a name" if p.type == "iri" else p.type
        fields.append(
            f'<p><label for="p-{p.name}"><code>{html.escape(p.name)}</code>'
            f'{"" if p.required else " (optional)"}</label> '
            f'<input id="p-{p.name}" name="{html.escape(p.name)}" value="{html.escape(given.get(p.name, ""))}" '
            f'placeholder="{html.escape(p.default or hint)}"{need}> '
            f'<span class="hint">{html.escape(p.description)}</span></p>')
    form = (f'<form id="params" method="get" action="{html.escape(base)}">' + "".join(fields)
            + '<input type="hidden" name="run" value="1"><button type="submit" id="run">Run</button></form>')
    out = [f"<p>{html.escape(q.description)}</p>", form]
    if error is not None:
        out.append(f'<p class="message" id="error">{html.escape(error)}</p>')
    if table is not None:
        query = urllib.parse.urlencode(given)
        links = " ".join(f'<a class="download" href="{html.escape(base)}.{ext}?{html.escape(query)}" '
                         f'download="{html.escape(q.name.replace("/", "-"))}.{ext}">{ext.upper()}</a>'
                         for ext in DOWNLOADS)
        cut = (f" (cut: the server sends at most {truncated})" if truncated else "")
        out.append(f'<p><span id="count">{len(table.rows)} row(s){cut}</span> · download {links}</p>')
        out.append(table_html(table.sorted_by(sort, descending), base, {**given, "run": "1"}, sort, descending))
    editor = "/?" + urllib.parse.urlencode({"query": q.text})
    out.append(f'<h2>The query</h2><p><a href="{html.escape(editor)}">Open in the SPARQL editor</a></p>'
               + highlight(q.text))
    head = f"<style>{_highlight_css()}</style>"
    return page(f"Saved query: {q.name}", "\n".join(out), nav=NAV, head=head)
