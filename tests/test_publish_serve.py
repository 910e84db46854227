"""`migkg serve` tested with a real HTTP client against the server running in a subprocess."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from conftest_publish import dump_dom, serving
from migkg.cli import main
from migkg.query import load_query, saved_queries
from migkg.serve import negotiate

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ID = "https://w3id.org/migkg/id/"
IOM = "organization/international-organization-for-migration"
EVENT = "event/2019-05-17-meeting-7e9197e6"
MKG = "https://w3id.org/migkg/ontology#"


@pytest.fixture(scope="module")
def server(seed_store_dir: Path) -> Iterator[str]:
    """Base URL of `migkg serve` over the seed store on a free port, started as a subprocess and stopped
    afterwards. (The seed store keeps the contract queries fast; the linked-data checks need only it.)"""
    with serving(seed_store_dir, wait=30) as base:
        yield base


def get(url: str, accept: str | None = None, data: bytes | None = None,
        content_type: str | None = None) -> tuple[int, dict[str, str], bytes, str]:
    """(status, headers, body, final URL) following redirects; errors are returned, not raised."""
    req = urllib.request.Request(url, data=data)
    if accept:
        req.add_header("Accept", accept)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read(), r.url
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get_raw(url: str, accept: str) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


def _graph(body: bytes, fmt: str, base: str) -> Graph:
    return Graph().parse(data=body, format=fmt, publicID=base)


@pytest.mark.parametrize("path,label", [(IOM, "International Organization for Migration"),
                                        (EVENT, "ninth regular coordination meeting of the directors of "
                                                "Border Police agencies")])
def test_browser_gets_html(server: str, path: str, label: str) -> None:
    status, headers, body, final = get(f"{server}/id/{path}", BROWSER)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert final.endswith(f"/doc/{path}.html")
    page = body.decode("utf-8")
    assert f"<title>{label}</title>" in page
    assert ID + path in page


@pytest.mark.parametrize("path,label", [(IOM, "International Organization for Migration"),
                                        (EVENT, "ninth regular coordination meeting of the directors of "
                                                "Border Police agencies")])
@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_rdf_accept_gets_rdf(server: str, path: str, label: str, accept: str, fmt: str) -> None:
    status, headers, body, final = get(f"{server}/id/{path}", accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == accept
    g = _graph(body, fmt, final)
    node = URIRef(ID + path)
    assert (node, SKOS.prefLabel, Literal(label, lang="en")) in g
    assert (node, RDF.type, None) in g


def test_jsonld_document_reads_as_plain_json_without_repeats(server: str) -> None:
    status, _, body, _ = get(f"{server}/id/{IOM}", "application/ld+json")
    assert status == 200
    doc = json.loads(body)
    assert doc["id"] == IOM and doc["type"] == "Organization"  # one type, though several graphs state it
    assert doc["label"]["en"] == "International Organization for Migration"
    assert doc["acronym"] == "IOM" and doc["iatiIdentifier"] == "XM-DAC-47066"


def test_event_data_holds_its_facts(server: str) -> None:
    _, _, body, final = get(f"{server}/id/{EVENT}", "text/turtle")
    g = _graph(body, "turtle", final)
    node = URIRef(ID + EVENT)
    assert (node, URIRef(MKG + "organizer"), URIRef(ID + IOM)) in g
    assert len(set(g.objects(node, URIRef(MKG + "participantCountry")))) == 6


def test_id_answers_303_see_other_by_accept(server: str) -> None:
    status, headers = get_raw(f"{server}/id/{IOM}", "text/turtle")
    assert status == 303
    assert headers["Location"] == f"/doc/{IOM}.ttl"
    assert "Accept" in headers["Vary"]
    assert get_raw(f"{server}/id/{IOM}", BROWSER)[1]["Location"] == f"/doc/{IOM}.html"


def test_quad_documents_name_the_graphs(server: str) -> None:
    status, _, body, _ = get(f"{server}/doc/{EVENT}.nq")
    assert status == 200
    assert f"<{ID}graph/release/iom-bih-2019-05-22-border-police-meeting>" in body.decode()


@pytest.mark.parametrize("path", ["organization/no-such-organization", "event/1999-01-01-meeting-00000000",
                                  "nothing", "organization/with%20space", "%3Cscript%3E", "../ontology"])
def test_unknown_ids_are_404(server: str, path: str) -> None:
    assert get(f"{server}/id/{path}", BROWSER)[0] == 404
    assert get(f"{server}/id/{path}", "text/turtle")[0] == 404
    assert get(f"{server}/doc/{path}.ttl")[0] == 404


def test_unacceptable_media_type_is_406(server: str) -> None:
    assert get(f"{server}/id/{IOM}", "image/png")[0] == 406


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt")])
def test_ontology_as_rdf(server: str, accept: str, fmt: str) -> None:
    status, headers, body, final = get(f"{server}/ontology", accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == accept
    assert "Accept" in headers["Vary"] and headers["Content-Location"].startswith("/ontology.")
    g = _graph(body, fmt, final)
    assert (URIRef(MKG + "Event"), RDF.type, OWL.Class) in g
    assert (URIRef("https://w3id.org/migkg/ontology"), RDF.type, OWL.Ontology) in g


def test_ontology_for_browsers(server: str) -> None:
    status, headers, body, _ = get(f"{server}/ontology", BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert 'id="Event"' in page and 'id="S04-Event"' in page
    status, _, body, _ = get(f"{server}/ontology/context.jsonld")
    assert status == 200 and "organizer" in json.loads(body)["@context"]


def _rows(doc: dict) -> Counter:
    return Counter(frozenset((v, json.dumps(t, sort_keys=True)) for v, t in b.items())
                   for b in doc["results"]["bindings"])


@pytest.mark.parametrize("name", [q.name for q in saved_queries()
                                  if "/" not in q.name and not any(p.required for p in q.params)])
def test_sparql_protocol_returns_the_rows_of_migkg_query(server: str, seed_store_dir: Path, name: str) -> None:
    text = load_query(name).text  # parameters stay unbound, as `migkg query` runs them without --param
    res = CliRunner().invoke(main, ["query", name, "--store", str(seed_store_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    expected = json.loads(res.stdout)
    status, headers, body, _ = get(f"{server}/sparql?" + urllib.parse.urlencode({"query": text}),
                                   "application/sparql-results+json")
    assert status == 200, body
    got = json.loads(body)
    assert got["head"]["vars"] == expected["head"]["vars"]
    assert _rows(got) == _rows(expected)
    if not load_query(name).params:  # a parameter left unbound may select nothing; the rest must not
        assert expected["results"]["bindings"], f"{name} returns no row on the seed: nothing compared"


def test_sparql_post_forms_and_result_formats(server: str) -> None:
    q = "PREFIX mkg: <https://w3id.org/migkg/ontology#> SELECT ?c ?iso2 WHERE { ?c mkg:iso2 ?iso2 } ORDER BY ?iso2"
    s1, h1, b1, _ = get(f"{server}/sparql", "application/sparql-results+json",
                        data=urllib.parse.urlencode({"query": q}).encode(),
                        content_type="application/x-www-form-urlencoded")
    s2, _, b2, _ = get(f"{server}/sparql", "application/sparql-results+json", data=q.encode(),
                       content_type="application/sparql-query")
    assert s1 == s2 == 200 and json.loads(b1) == json.loads(b2)
    assert len(json.loads(b1)["results"]["bindings"]) >= 250  # the reference graph's countries
    for accept, first in [("text/csv", "c,iso2"), ("text/tab-separated-values", "?c\t?iso2"),
                          ("application/sparql-results+xml", "<?xml")]:
        status, headers, body, _ = get(f"{server}/sparql?" + urllib.parse.urlencode({"query": q}), accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        assert body.decode().startswith(first), body[:80]


def test_sparql_construct_ask_and_errors(server: str) -> None:
    c = ("PREFIX mkg: <https://w3id.org/migkg/ontology#> CONSTRUCT { ?e mkg:organizer ?o } "
         "WHERE { ?e mkg:organizer ?o }")
    status, headers, body, _ = get(f"{server}/sparql?" + urllib.parse.urlencode({"query": c}), "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(ID + EVENT), URIRef(MKG + "organizer"), URIRef(ID + IOM)) in g
    status, _, body, _ = get(f"{server}/sparql?" + urllib.parse.urlencode({"query": c}), "application/ld+json")
    assert status == 200 and len(Graph().parse(data=body, format="json-ld")) == len(g)
    ask = "ASK { ?s ?p ?o }"
    status, _, body, _ = get(f"{server}/sparql?" + urllib.parse.urlencode({"query": ask}))
    assert status == 200 and json.loads(body)["boolean"] is True
    assert get(f"{server}/sparql?" + urllib.parse.urlencode({"query": "SELEC nothing"}))[0] == 400
    assert get(f"{server}/sparql", data=b"update=DROP ALL", content_type="application/x-www-form-urlencoded")[0] \
        == 403
    assert get(f"{server}/sparql", "application/sparql-results+json")[0] == 400


def test_void_names_this_endpoint(server: str) -> None:
    status, _, body, _ = get(f"{server}/void", "text/turtle")
    assert status == 200
    g = Graph().parse(data=body, format="turtle")
    endpoints = set(g.objects(None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint")))
    assert endpoints == {URIRef(f"{server}/sparql")}


@pytest.mark.parametrize("accept,offers,want", [
    (None, ["text/html", "text/turtle"], "text/html"),
    ("text/turtle", ["text/html", "text/turtle"], "text/turtle"),
    ("text/turtle;q=0.5, application/ld+json", ["text/turtle", "application/ld+json"], "application/ld+json"),
    ("*/*", ["text/turtle", "text/html"], "text/turtle"),
    (BROWSER, ["application/sparql-results+json", "text/html"], "text/html"),
    ("image/png", ["text/html"], None),
    ("text/*;q=0.3, text/turtle;q=0", ["text/turtle", "text/csv"], "text/csv"),
])
def test_negotiate(accept: str | None, offers: list[str], want: str | None) -> None:
    assert negotiate(accept, offers) == want


def test_query_page_runs_a_query_in_a_real_browser(server: str) -> None:
    q = ("PREFIX mkg: <https://w3id.org/migkg/ontology#> SELECT DISTINCT ?c ?iso2 WHERE { "
         "?e mkg:participantCountry ?c . ?c mkg:iso2 ?iso2 } ORDER BY ?iso2")
    url = f"{server}/?" + urllib.parse.urlencode({"query": q})
    dom, err = dump_dom(url)
    assert 'id="results"' in dom, err[-2000:]
    assert re.search(r'id="status">\s*6 row\(s\)', dom), dom[-3000:]
    codes = re.findall(r"<td>([A-Z]{2})</td>", dom)
    assert sorted(codes) == ["AL", "BA", "ME", "MK", "RS", "XK"]
    assert 'href="/id/country/XK"' in dom


def test_serve_on_a_busy_port_is_a_one_line_error(seed_store_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--store", str(seed_store_dir), "--port", str(port)])
    assert res.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in res.output
