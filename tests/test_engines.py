"""Engine profiles as data, and where credentials come from (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migkg.cli import _ENGINES, main
from migkg.engines import PASSWORD_ENV, USER_ENV, credentials, detect, profile, profiles
from migkg.errors import StoreError
from migkg.store.remote import RemoteStore, _ox_term, _term

SECRET = "s3cretPw0rd7"


def test_every_engine_the_cli_offers_has_a_profile_and_every_profile_is_complete() -> None:
    assert set(_ENGINES) == set(profiles())
    for p in profiles().values():
        assert p.batch > 0 and p.update_path and p.gsp_path and p.docs.startswith("https://")
        assert p.parallel >= 1 and p.load in ("gsp-dataset", "gsp-graph", "update")
        assert "literal" in p.literal_types


@pytest.mark.parametrize(("header", "engine"), [
    ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", "virtuoso"),
    ("Oxigraph/0.5.13", "oxigraph"),
    ("Apache Jena Fuseki (5.1.0)", "fuseki"),
])
def test_the_engine_is_detected_from_the_server_header(header: str, engine: str) -> None:
    found = detect(header)
    assert found is not None and found.name == engine
    assert detect("nginx") is None and detect(None) is None


def test_write_urls_come_from_the_profile() -> None:
    v = RemoteStore("http://127.0.0.1:8890/sparql", engine="virtuoso")
    assert v.update_url == "http://127.0.0.1:8890/sparql-auth"
    assert v.gsp_url == "http://127.0.0.1:8890/sparql-graph-crud-auth"
    o = RemoteStore("http://127.0.0.1:7878/query")  # nothing asked yet: generic, Oxigraph's layout
    assert (o.engine, o.update_url, o.gsp_url) == ("generic", "http://127.0.0.1:7878/update",
                                                   "http://127.0.0.1:7878/store")
    f = RemoteStore("http://127.0.0.1:3030/ds/sparql", engine="fuseki")
    assert (f.update_url, f.gsp_url) == ("http://127.0.0.1:3030/ds/update", "http://127.0.0.1:3030/ds/data")
    assert RemoteStore("http://127.0.0.1:1/elsewhere", engine="virtuoso").update_url is None
    with pytest.raises(StoreError, match="unknown engine"):
        RemoteStore("http://127.0.0.1:1/query", engine="blazegraph")


def test_virtuoso_typed_literal_is_read_only_where_the_profile_allows_it() -> None:
    b = {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"}
    assert _term(b, profile("virtuoso").literal_types).toPython() == 7
    assert _ox_term(b, profile("virtuoso").literal_types).value == "7"
    with pytest.raises(StoreError, match="unknown term type 'typed-literal'"):
        _term(b, profile("oxigraph").literal_types)
    assert _ox_term({"type": "bnode", "value": "nodeID://b10007"}).value.isalnum()


def test_credentials_from_the_environment_then_netrc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    assert credentials("http://127.0.0.1:8890/sparql") is None
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login dba password {SECRET}\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(rc))
    assert credentials("http://127.0.0.1:8890/sparql") == ("dba", SECRET)
    assert credentials("http://example.org/sparql") is None
    monkeypatch.setenv(USER_ENV, "writer")
    monkeypatch.setenv(PASSWORD_ENV, "other")
    assert credentials("http://127.0.0.1:8890/sparql") == ("writer", "other")
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(StoreError, match="only one of"):
        credentials("http://127.0.0.1:8890/sparql")


def test_a_broken_netrc_is_named_without_its_content(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login dba password {SECRET} bogus\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(rc))
    with pytest.raises(StoreError) as e:
        credentials("http://127.0.0.1:8890/sparql")
    assert "netrc" in str(e.value) and SECRET not in str(e.value)


def test_credentials_in_the_url_are_refused_without_being_repeated() -> None:
    url = f"http://dba:{SECRET}@127.0.0.1:8890/sparql"
    with pytest.raises(StoreError, match="credentials in the URL are refused") as e:
        RemoteStore(url)
    assert SECRET not in str(e.value)
    res = CliRunner().invoke(main, ["query", "releases", "--endpoint", url])
    assert res.exit_code == 2 and SECRET not in res.output and len(res.stderr.strip().splitlines()) == 1


def test_the_update_texts_push_writes_parse_and_refuse_a_bad_graph_name() -> None:
    import pyoxigraph as ox
    from rdflib.plugins.sparql import prepareUpdate

    from migkg.store.push import forget_and_drop, insert_data, record

    g = "https://w3id.org/migkg/id/graph/release/x"
    quad = ox.Quad(ox.NamedNode("https://w3id.org/migkg/id/thing/a"), ox.NamedNode("http://purl.org/dc/terms/title"),
                   ox.Literal('"} ; DROP ALL ; #\n', language="sr-latn"), ox.NamedNode(g))
    nt = ox.serialize([quad.triple], format=ox.RdfFormat.N_TRIPLES)
    for text in (forget_and_drop([g], [g]), forget_and_drop([], [g]), record([(g, "ab12")]), insert_data([(g, nt)])):
        prepareUpdate(text)
    assert forget_and_drop([], []) == ""
    for bad in (lambda: forget_and_drop([], ["https://w3id.org/x> } ; DROP ALL ; <y"]),
                lambda: insert_data([("https://w3id.org/x> { } } ; DROP ALL ; INSERT DATA { GRAPH <y", nt)])):
        with pytest.raises(StoreError, match="not an IRI"):
            bad()


def test_the_graph_hash_is_the_one_earlier_pushes_recorded(tmp_path: Path) -> None:
    """The hash is now taken over pyoxigraph's N-Triples lines; it must equal the one over the sorted
    ``S P O`` strings of the quads that earlier pushes recorded, or every graph would be sent again."""
    import hashlib

    from rdflib import Graph, Literal, URIRef

    from migkg.store import open_store
    from migkg.store.push import graph_hash

    name = URIRef("https://w3id.org/migkg/id/graph/release/x")
    g = Graph()
    texts = ['"} ; DROP ALL ; #', "line\nbreak\rand\ttab", "emoji 🛂 \u202eRTL", "back\\slash", "ends .\n<x> .\n"]
    for i, text in enumerate(texts):
        s = URIRef(f"https://w3id.org/migkg/id/thing/h{i}")
        g.add((s, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal(text, lang="sr-Latn")))
        g.add((s, URIRef("http://purl.org/dc/terms/title"), Literal(text)))
        g.add((s, URIRef("https://w3id.org/migkg/ontology#ordinal"), Literal(i)))
    with open_store(tmp_path / "s") as store:
        store.replace_graph(name, g)
        earlier = hashlib.sha256()
        for line in sorted(f"{q.subject} {q.predicate} {q.object}" for q in store.ox_quads(name)):
            earlier.update(line.encode("utf-8") + b"\n")
        assert graph_hash(store, str(name)) == (earlier.hexdigest(), 3 * len(texts))


def test_only_engines_with_a_bulk_transport_take_a_bulk_folder(tmp_path: Path) -> None:
    assert profile("virtuoso").bulk == "virtuoso-ld-dir" and profile("virtuoso").bulk_batch >= 10_000
    assert [p.name for p in profiles().values() if p.bulk] == ["virtuoso"]
    from migkg.store.push import BULK_PREFIX, BulkFolder

    good = tmp_path / "bulk"
    good.mkdir()
    for old in ("old-000001.nq.gz", "old-000002.trig"):  # an interrupted push's files (an earlier version's)
        (good / f"{BULK_PREFIX}{old}").write_bytes(b"")
    (good / "theirs.nq.gz").write_bytes(b"")
    (good / "theirs.trig").write_bytes(b"")
    folder = BulkFolder.check(good)
    assert sorted(p.name for p in good.iterdir()) == ["theirs.nq.gz", "theirs.trig"]
    name, out = folder.start()
    out.close()
    assert name.startswith(BULK_PREFIX) and name.endswith(".trig") and (good / name).exists()
    folder.forget()
    assert not (good / name).exists()
    for bad in ("it's", "a%b", "star*", "new\nline"):
        (tmp_path / bad).mkdir()
        with pytest.raises(StoreError, match="quotes, wildcards"):
            BulkFolder.check(tmp_path / bad)
    with pytest.raises(StoreError, match="not a writable folder"):
        BulkFolder.check(tmp_path / "missing")
    res = CliRunner().invoke(main, ["push", "--help"])
    assert "--bulk-dir" in res.output
