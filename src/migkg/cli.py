"""Command-line interface. Each command parses options, calls one library function, formats the result.

Exit codes: 0 success / conforms; 1 something did not conform, a release failed, or a check
query returned rows; 2 usage or input error. Expected failures print one line, no traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from migkg import __version__
from migkg.errors import MigkgError, one_line

_STORE_HELP = "Embedded store folder (default: $MIGKG_STORE or ./.migkg/store)."


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages and their exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:  # the reader went away (`migkg query … | head`): stop quietly
            _quiet_exit()
        except MigkgError as e:
            _fail(str(e), e.exit_code)
        except (OSError, RuntimeError) as e:  # the disk or the store failed under a command: one line
            from migkg.files import is_disk_full

            text = str(e).splitlines()[0] if str(e) else type(e).__name__
            if is_disk_full(e):
                _fail(f"disk full ({text})", 2)
            if "Corruption" in text:
                _fail(f"the store is damaged ({text}); move the folder aside and build again", 2)
            raise

    return wrapper


def _quiet_exit() -> None:
    """Exit 0 after a broken pipe, with nothing more written: standard output (whose buffer Python would
    flush at exit, failing again) points at /dev/null from here on."""
    try:
        out = sys.stdout.fileno()
    except (OSError, ValueError):  # not a file (an in-process runner): nothing to flush at exit
        sys.exit(0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, out)
    os.close(devnull)
    sys.exit(0)


def store_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help=_STORE_HELP)(fn)


_ENGINES = ("oxigraph", "virtuoso", "fuseki", "generic")


def engine_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--engine", type=click.Choice(_ENGINES), default=None, envvar="MIGKG_ENGINE",
                        help="The endpoint's server (its profile: paths, auth, quirks; default: detected "
                             "from the first answer, else generic; $MIGKG_ENGINE).")(fn)


def endpoint_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = engine_option(fn)
    return click.option("--endpoint", "endpoint", metavar="URL", default=None, envvar="MIGKG_ENDPOINT",
                        help="Read from this SPARQL 1.1 query endpoint instead of the embedded store "
                             "(default: $MIGKG_ENDPOINT; credentials from $MIGKG_ENDPOINT_USER and "
                             "$MIGKG_ENDPOINT_PASSWORD or a netrc file).")(fn)


def _progress(enabled: bool) -> Callable[[str, int, int | None], None] | None:
    if not enabled:
        return None

    def show(message: str, done: int, total: int | None) -> None:
        end = "\n" if total is not None and done >= total else ""
        click.echo(f"\r{message}: {done}/{total if total is not None else '?'}", nl=False, err=True)
        if end:
            click.echo("", err=True)

    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migkg")
def main() -> None:
    """migkg: turn press releases on migration coordination into a knowledge graph."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes for reading and extraction.")
@click.option("--encoding", default=None, help="Read releases in this encoding instead of UTF-8.")
@click.option("--max-bytes", type=click.IntRange(1), default=5 * 1024 * 1024, show_default=True,
              help="Largest release file accepted.")
@click.option("--force", is_flag=True, help="Rebuild releases even when unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--quarantine", "quarantine", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the quarantine report here: one JSON line per failed release.")
@handle_errors
def build(paths: tuple[Path, ...], store_dir: Path | None, jobs: int, encoding: str | None, max_bytes: int,
          force: bool, quiet: bool, quarantine: Path | None) -> None:
    """Ingest, extract, validate and load releases (files or folders) into the store."""
    import signal

    from migkg.api import open as open_kg
    from migkg.errors import Interrupted
    from migkg.pipeline import write_quarantine

    def interrupt(signum: int, frame: object) -> None:
        for s in (signal.SIGINT, signal.SIGTERM):  # one is enough: let the clean-up finish
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    old = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with open_kg(store_dir) as kg:
            summary = kg.build(list(paths), jobs=jobs, encoding=encoding, max_bytes=max_bytes, force=force,
                               progress=_progress(not quiet and sys.stderr.isatty()))
    except Interrupted as e:
        name = signal.Signals(e.signum).name
        _fail(f"build stopped by {name}: every release loaded so far is in the store whole; "
              "run the build again to finish it", 128 + e.signum)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    for f in summary.failures:
        click.echo(f"error: {f.line()}", err=True)
    if quarantine is not None:
        write_quarantine(summary.failures, quarantine)
    if not (summary.loaded or summary.unchanged or summary.failures):
        shown = " ".join(str(p) for p in paths)
        click.echo(f"warning: built 0 releases: no release file (.txt .md .html .jsonl) in {shown}", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(f"built {len(summary.loaded)} release(s), {len(summary.unchanged)} unchanged, "
                   f"{len(summary.failures)} failed; store holds {summary.quads} quads", err=True)
    if summary.failures:
        sys.exit(1)


@main.command()
@click.argument("name_or_file", required=False)
@store_option
@endpoint_option
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table",
              show_default=True,
              help="json, csv and tsv (the SPARQL 1.1 results formats) are written as the rows come, in "
                   "bounded memory; table reads every row first, for its column widths.")
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries and their parameters.")
@handle_errors
def query(name_or_file: str | None, store_dir: Path | None, endpoint: str | None, engine: str | None,
          params: tuple[str, ...], fmt: str, list_queries: bool) -> None:
    """Run a saved query (NAME under queries/) or a .rq file against the store."""
    from migkg.api import open as open_kg
    from migkg.query import saved_queries, write_stream

    if list_queries or not name_or_file:
        for q in saved_queries():
            click.echo(f"{q.name}: {q.description}")
            for p in q.params:
                default = f" (default {p.default})" if p.default else ""
                need = " (required)" if p.required else ""
                click.echo(f"    --param {p.name}=<{p.type}>{default}{need}  {p.description}")
        return
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise MigkgError(f"--param {item!r}: expected KEY=VALUE")
        given[key] = value
    with open_kg(endpoint or store_dir, engine) as kg, kg.stream(name_or_file, **given) as rows:
        write_stream(rows.results, fmt, sys.stdout)
    if fmt == "table":
        sys.stdout.write("\n")


@main.command()
@store_option
@endpoint_option
@click.option("--format", "-f", "fmt", default=None, help="ttl, trig, nt, nq, jsonld or rdfxml "
              "(default: from the --out suffix, else ttl).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@click.option("--graph", default="all", show_default=True,
              help="all, reference, or a release key / graph IRI.")
@click.option("--compact", is_flag=True,
              help="JSON-LD compacted with migkg's context (ontology/context.jsonld).")
@click.option("--records", is_flag=True,
              help="Plain JSON for notebooks: one record per entity across graphs, lists always lists.")
@handle_errors
def export(store_dir: Path | None, endpoint: str | None, engine: str | None, fmt: str | None, out: Path | None,
           graph: str, compact: bool, records: bool) -> None:
    """Write the store in a standard RDF syntax (or, with --records, as plain JSON records)."""
    if records:
        import json

        from migkg.api import open as open_kg

        with open_kg(endpoint or store_dir, engine) as kg:
            found = kg.records()
        _write_out(json.dumps(found, ensure_ascii=False, indent=1) + "\n", out, f"{len(found)} records")
        return
    from migkg import build as b
    from migkg.export import export as do_export
    from migkg.export import format_for
    from migkg.files import atomic_path, write_bytes
    from migkg.store import open_reader

    f = format_for(fmt, out) if (fmt or out) else format_for("jsonld" if compact else "ttl")
    if compact and f.name != "jsonld":
        raise MigkgError(f"--compact applies to JSON-LD, not {f.name}",
                         "use --format jsonld or a .jsonld file")
    target = None
    if graph == "reference":
        target = b.REFERENCE_GRAPH
    elif graph != "all":
        from rdflib import URIRef

        target = URIRef(graph) if "://" in graph else b.release_graph_iri(graph)
    with open_reader(store_dir, endpoint, engine) as store:
        if target is not None and str(target) not in store.graph_names():
            raise MigkgError(f"--graph {graph}: no such graph in the store", "see `migkg stats` for the graphs")
        if compact:
            from migkg.jsonld import compact_store, dumps

            text = dumps(compact_store(store, target)).encode("utf-8")
            if out:
                write_bytes(out, text)
                click.echo(f"wrote compacted JSON-LD to {out}", err=True)
            else:
                sys.stdout.buffer.write(text)
        elif out:
            with atomic_path(out) as tmp, tmp.open("wb") as fh:
                n = do_export(store, fh, f, target)
            click.echo(f"wrote {n} {'quads' if f.dataset else 'triples'} to {out}", err=True)
        else:
            do_export(store, sys.stdout.buffer, f, target)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@endpoint_option
@click.option("--encoding", default=None, help="Read releases in this encoding instead of UTF-8.")
@handle_errors
def validate(paths: tuple[Path, ...], store_dir: Path | None, endpoint: str | None, engine: str | None,
             encoding: str | None) -> None:
    """Validate releases (PATHS, without loading them) or, with no PATHS, every graph in the store."""
    from migkg.pipeline import check_paths, check_store

    problems = check_paths(list(paths), encoding=encoding) if paths else check_store(store_dir, endpoint, engine)
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("conforms", err=True)


@main.command()
@store_option
@endpoint_option
@handle_errors
def stats(store_dir: Path | None, endpoint: str | None, engine: str | None) -> None:
    """Summarize the store: releases, graphs, quads and entities per class."""
    from migkg.pipeline import store_stats
    from migkg.store import open_reader

    with open_reader(store_dir, endpoint, engine) as store:
        s = store_stats(store)
    click.echo(f"store      {s['path']}")
    click.echo(f"releases   {s['releases']}")
    click.echo(f"graphs     {s['graphs']}")
    click.echo(f"quads      {s['quads']}")
    click.echo("entities mentioned by releases:")
    for cls, n in s["classes"].items():
        click.echo(f"  {cls:<14} {n}")


@main.command()
@click.argument("identifier", metavar="ID")
@store_option
@endpoint_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "csv", "tsv"]), default="text",
              show_default=True)
@handle_errors
def explain(identifier: str, store_dir: Path | None, endpoint: str | None, engine: str | None,
            fmt: str) -> None:
    """Show every statement about ID (an IRI, id:kind/key, an ISO code, a name or an acronym) with the
    release and the sentence it was read from."""
    from migkg.api import open as open_kg
    from migkg.ids import short
    from migkg.query import render

    with open_kg(endpoint or store_dir, engine) as kg:
        rows = kg.explain(identifier)
    if fmt != "text":
        click.echo(render(rows.result, fmt), nl=False)
        return
    if not rows:
        raise MigkgError(f"{identifier}: no extracted statement mentions this node",
                         "check the identifier with `migkg query`")
    for r in rows:
        click.echo(f"{short(str(r['subject']))} {short(str(r['predicate']))} {short(str(r['object']))}")
        click.echo(f"    from {short(str(r['release']))} [{r['start']}:{r['end']}]")
        click.echo(f"    \"{r['quote']}\"")


def _filters_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--from", "from_year", type=int, default=None, help="Only events from this year on."),
        click.option("--to", "to_year", type=int, default=None, help="Only events up to this year."),
        click.option("--dated-only", is_flag=True,
                     help="Leave out events without a date (kept by --from/--to otherwise)."),
        click.option("--country", default=None, metavar="ID",
                     help="Only events this country takes part in (BA, BIH, a name, id:country/BA)."),
        click.option("--organization", default=None, metavar="ID",
                     help="Only events this organization organized or took part in (IRI, id:…, name, acronym)."),
        click.option("--event-type", default=None,
                     help="Only events of this type (Meeting, Conference, Workshop, Training, ...)."),
        click.option("--programme", default=None, metavar="ID",
                     help="Only events within this programme (IRI, id:…, title, acronym)."),
        click.option("--rollup", is_flag=True, default=False,
                     help="Count units (offices, missions, directorates) as their parent organization."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@main.command()
@click.argument("kind")
@click.argument("stats_kind", required=False)
@store_option
@endpoint_option
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file; the suffix picks the format: .graphml .gexf .json .html .png .svg.")
@_filters_options
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Rows for `graph stats`.")
@click.option("--by", type=click.Choice(["weighted_degree", "degree", "betweenness"]),
              default="weighted_degree", show_default=True, help="Ranking for `graph stats`.")
@handle_errors
def graph(kind: str, stats_kind: str | None, store_dir: Path | None, endpoint: str | None, engine: str | None,
          out: Path | None, from_year: int | None, to_year: int | None, dated_only: bool, country: str | None,
          organization: str | None, event_type: str | None, programme: str | None, rollup: bool, top: int,
          by: str) -> None:
    """Draw an actor graph: KIND is co-participation, organizer-participant, flows, country or bipartite;
    `graph stats [KIND]` prints the top actors; `graph timeline` prints each series in order with its
    gaps, and `graph timeline --out FILE.png` plots events per series."""
    from migkg.api import open as open_kg
    from migkg.draw import WRITERS, draw_timeline
    from migkg.draw.metrics import top_actors
    from migkg.draw.render import write_graph
    from migkg.store import open_reader

    filters = {"from_year": from_year, "to_year": to_year, "dated_only": dated_only, "country": country,
               "organization": organization, "event_type": event_type, "programme": programme, "rollup": rollup}
    if kind != "stats" and stats_kind is not None:
        raise MigkgError(f"unexpected argument {stats_kind!r}",
                         "only `migkg graph stats KIND` takes a second one")
    if kind == "timeline" and out is None:
        from migkg.series import format_timeline, timeline

        with open_reader(store_dir, endpoint, engine) as store:
            click.echo(format_timeline(timeline(store)), nl=False)
        return
    if kind != "stats" and out is None:
        raise MigkgError(f"graph {kind}: --out FILE is required",
                         "the suffix picks the format: .graphml .gexf .json .html .png .svg")
    with open_kg(endpoint or store_dir, engine) as kg:
        if kind == "timeline":
            assert out is not None
            n = draw_timeline(kg.store, out, kg.filters(**filters))
            click.echo(f"wrote a timeline of {n} events to {out}", err=True)
            return
        if out is not None and kind != "stats" and out.suffix.lower() not in WRITERS:
            import networkx as nx

            write_graph(nx.Graph(), out)  # raises the unknown-format error before any work
        g = kg.graph((stats_kind or "co-participation") if kind == "stats" else kind, **filters)
    if g.graph.get("undated_events"):
        click.echo(f"note: {g.graph['undated_events']} undated event(s) kept; --dated-only leaves them out",
                   err=True)
    if kind == "stats":
        click.echo(f"{g.graph['kind']}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
                   f"{g.graph['communities']} communities; betweenness {g.graph['betweenness_method']}")
        _print_top(top_actors(g, top, by))
        return
    assert out is not None
    write_graph(g, out)
    click.echo(f"wrote the {kind} graph ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges) to {out}",
               err=True)
    if g.graph.get("approximations"):
        click.echo(f"note: approximated at this size: {g.graph['approximations']}", err=True)


@main.command("name")
@click.argument("thing")
@click.option("--on", "day", default=None, metavar="YYYY-MM-DD", help="The date (default: every name with its dates).")
@store_option
@endpoint_option
@handle_errors
def name_cmd(thing: str, day: str | None, store_dir: Path | None, endpoint: str | None, engine: str | None) -> None:
    """The name of a country or organization on a date: THING is an ISO code (MK), country/MK,
    organization/ID or a full IRI."""
    from migkg.store import open_reader
    from migkg.timenames import name_on

    with open_reader(store_dir, endpoint, engine) as store:
        names = name_on(store, thing, day)
    if not names:
        raise MigkgError(f"{thing}: no name in force{' on ' + day if day else ''} in this store",
                         "check the code or IRI with `migkg query countries` or `migkg query organizations`")
    for n in names:
        span = f"{n.valid_from or '…'} – {n.valid_through or '…'}" if n.valid_from or n.valid_through else "no dates"
        click.echo(f"{n.name}{' (' + n.acronym + ')' if n.acronym else ''}\t{span}")


def _print_top(rows: list[dict[str, Any]]) -> None:
    heads = ["#", "actor", "kind", "iso2", "degree", "w.degree", "betweenness", "community", "activity"]
    cells = [[str(i), str(r["label"])[:50], str(r["kind"]), str(r["iso2"]), str(r["degree"]),
              str(r["weighted_degree"]), f"{float(r['betweenness'] or 0):.4f}", str(r["community"]),
              str(r["activity"])] for i, r in enumerate(rows, 1)]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(heads)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for c in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())


def _write_out(text: str, out: Path | None, what: str) -> None:
    """Write a document to ``out`` (creating its folder) or to standard output."""
    if out is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        return
    from migkg.files import write_text

    write_text(out, text)
    click.echo(f"wrote {what} to {out}", err=True)


@main.command()
@click.argument("events", nargs=-1)
@store_option
@click.option("--all", "all_events", is_flag=True, help="Frame every event in the store.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@handle_errors
def frame(events: tuple[str, ...], store_dir: Path | None, all_events: bool, out: Path | None) -> None:
    """Framed JSON-LD per event: organizer, participants, programme → funder (see ontology/frames/)."""
    from migkg.api import open as open_kg
    from migkg.jsonld import dumps

    if bool(events) == all_events:
        raise MigkgError("give EVENT IRIs or --all (not both)", "list events with: migkg query events")
    with open_kg(store_dir) as kg:
        doc = kg.frame(None if all_events else list(events))
    _write_out(dumps(doc), out, f"{len(doc.get('graph', []))} framed event(s)")


@main.command()
@store_option
@endpoint_option
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@click.option("--format", "-f", "fmt", default=None,
              help="ttl, nt, jsonld or rdfxml (default: from --out, else ttl).")
@click.option("--sparql-url", default=None, help="Name this URL as the dataset's SPARQL endpoint.")
@handle_errors
def describe(store_dir: Path | None, endpoint: str | None, engine: str | None, out: Path | None,
             fmt: str | None, sparql_url: str | None) -> None:
    """VoID + DCAT description of the store: size, entities per class, linksets, licence, version."""
    from migkg.publish import describe as do_describe
    from migkg.publish import describe_format
    from migkg.store import open_reader

    rdf_format = describe_format(fmt, out)
    with open_reader(store_dir, endpoint, engine) as store:
        g = do_describe(store, sparql_url)
    _write_out(g.serialize(format=rdf_format), out, "the dataset description")


@main.command()
@store_option
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the CSV here instead of standard output.")
@handle_errors
def hxl(store_dir: Path | None, out: Path | None) -> None:
    """HXL-tagged 3W table: funder, implementer, programme, country, dates (CSV with a hashtag row)."""
    from migkg.publish import hxl_3w
    from migkg.store import open_store

    with open_store(store_dir, read_only=True) as store:
        text = hxl_3w(store)
    _write_out(text, out, f"{max(text.count(chr(10)) - 2, 0)} 3W row(s)")


@main.command()
@store_option
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (.xml or .csv) instead of standard output.")
@click.option("--format", "-f", "fmt", type=click.Choice(["xml", "csv"]), default=None,
              help="xml or csv (default: from --out, else xml).")
@handle_errors
def iati(store_dir: Path | None, out: Path | None, fmt: str | None) -> None:
    """IATI-style listing of programmes with participating organizations by role and countries."""
    from migkg.publish import iati_csv, iati_xml
    from migkg.store import open_store

    kind = fmt or ("csv" if out is not None and out.suffix.lower() == ".csv" else "xml")
    with open_store(store_dir, read_only=True) as store:
        text = iati_csv(store) if kind == "csv" else iati_xml(store)
    _write_out(text, out, f"the IATI-style listing ({kind})")


@main.command()
@store_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write index.html and the ontology files into.")
@handle_errors
def docs(store_dir: Path | None, out: Path) -> None:
    """HTML documentation of the ontology and the SHACL shapes (classes, properties, alignments, shapes).

    It documents the shipped ontology files; --store is accepted, like every command, and not read."""
    from migkg.docs import write_docs

    written = write_docs(out)
    click.echo(f"wrote {len(written)} file(s) to {out}; open {written[0]}", err=True)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
              help="Seconds a query may run; its worker process is then killed and the client gets 503.")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) in one answer; a longer answer is cut and says so (Migkg-Truncated).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Query worker processes (queries answered at the same time).")
@click.option("--read-timeout", type=click.FloatRange(1), default=30.0, show_default=True,
              help="Seconds of silence after which a connection (a half-sent request) is dropped.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST",
              help="Let SERVICE clauses query this host (repeatable); SERVICE is refused otherwise.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Send Access-Control-Allow-Origin to this origin (repeatable; * for any).")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
@handle_errors
def serve(store_dir: Path | None, host: str, port: int, timeout: float, max_rows: int, workers: int,
          read_timeout: float, allow_service: tuple[str, ...], cors: tuple[str, ...], quiet: bool) -> None:
    """Serve the store read-only: SPARQL endpoint, query page, dereferenceable /id/ IRIs, /ontology."""
    import signal

    from migkg.serve import Options, make_server
    from migkg.store import default_store_path

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    options = Options(timeout=timeout, max_rows=max_rows, workers=workers, read_timeout=read_timeout,
                      allow_service=allow_service, cors=cors,
                      log=None if quiet else lambda m: click.echo(m, err=True))
    path = store_dir or default_store_path()
    server = make_server(path, host, port, options)
    signal.signal(signal.SIGTERM, stop)
    click.echo(f"serving {path} at {server.url} (SPARQL endpoint {server.url}sparql); Ctrl-C to stop", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@main.command()
@click.option("--endpoint", "endpoint", metavar="URL", required=True,
              help="The remote SPARQL 1.1 query URL (Oxigraph server: http://HOST:PORT/query; Virtuoso: "
                   "http://HOST:8890/sparql). Credentials: $MIGKG_ENDPOINT_USER and $MIGKG_ENDPOINT_PASSWORD, "
                   "or a netrc file ($NETRC, else ~/.netrc); never on the command line.")
@engine_option
@store_option
@click.option("--update-url", default=None, metavar="URL",
              help="SPARQL Update URL (default: from the engine's profile, e.g. /update beside /query).")
@click.option("--gsp-url", default=None, metavar="URL",
              help="Graph Store Protocol URL (default: from the engine's profile, e.g. /store beside /query).")
@click.option("--batch", type=click.IntRange(1), default=None,
              help="Most quads per request (default: the engine profile's; Oxigraph 20000, Virtuoso 2000).")
@click.option("--parallel", type=click.IntRange(1), default=None,
              help="Most write requests in flight at once (default: the engine profile's, 1).")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="MIGKG_BULK_DIR",
              help="A folder the server reads too (Virtuoso: listed in DirsAllowed, same path): push writes "
                   "each batch there as a TriG file and has the server bulk-load it (engine profile's bulk "
                   "transport; Virtuoso: ld_dir + rdf_loader_run + checkpoint, which need the dba user).")
@click.option("--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@handle_errors
def push(endpoint: str, engine: str | None, store_dir: Path | None, update_url: str | None,
         gsp_url: str | None, batch: int | None, parallel: int | None, bulk_dir: Path | None, timeout: float,
         quiet: bool) -> None:
    """Copy the embedded store (every named graph) to a remote endpoint; resumable; the store is only read."""
    from migkg.store import open_endpoint, open_store
    from migkg.store.push import push as do_push

    with open_store(store_dir, read_only=True) as store, \
            open_endpoint(endpoint, update_url, gsp_url, timeout=timeout, engine=engine) as remote:
        s = do_push(store, remote, batch=batch, progress=_progress(not quiet and sys.stderr.isatty()),
                    parallel=parallel, bulk_dir=bulk_dir)
    if not quiet:
        click.echo(f"pushed {len(s.pushed)} graph(s) ({s.quads} quads in {s.requests} requests), "
                   f"{len(s.skipped)} already up to date, to {endpoint} ({s.engine})", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
