"""The SHACL shapes (ontology/shapes.ttl) against hand-written examples in tests/shapes/.

Every node shape SNN-Name has ``SNN-Name.valid[-k].ttl`` examples that conform to *all* shapes and
``SNN-Name.invalid[-k].ttl`` examples that fail with that shape and no other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, SH

from migkg.validate import validate, validate_many

ROOT = Path(__file__).resolve().parent.parent
SHAPES_TTL = ROOT / "ontology" / "shapes.ttl"
EXAMPLES = Path(__file__).resolve().parent / "shapes"
EXAMPLE_NAME = re.compile(r"^(S\d\d-[A-Za-z]+)\.(valid|invalid)(?:-(\d+))?\.ttl$")
SHAPE_IRI = re.compile(r"#S\d\d-[A-Za-z]+$")


def _shapes() -> Graph:
    g = Graph()
    g.parse(SHAPES_TTL, format="turtle")
    return g


SHAPES = _shapes()
NODE_SHAPES = sorted(SHAPES.subjects(RDF.type, SH.NodeShape), key=str)
SHAPE_IDS = sorted(str(s).rsplit("#", 1)[-1] for s in NODE_SHAPES)


def _examples(kind: str) -> list[Path]:
    return sorted(
        p for p in EXAMPLES.glob("*.ttl") if (m := EXAMPLE_NAME.match(p.name)) and m.group(2) == kind
    )


def _shape_of(path: Path) -> str:
    m = EXAMPLE_NAME.match(path.name)
    assert m, path.name
    return m.group(1)


def _load(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def _describe(report) -> str:
    return (
        "\n".join(f"  {v.shape_id} focus={v.focus} path={v.path}: {v.message}" for v in report.violations)
        or "  (no violations)"
    )


VALID = _examples("valid")
INVALID = _examples("invalid")


def test_example_files_are_named_by_the_scheme():
    stray = [p.name for p in EXAMPLES.glob("*.ttl") if not EXAMPLE_NAME.match(p.name)]
    assert not stray, f"example files not named SNN-Name.(valid|invalid)[-k].ttl: {stray}"
    unknown = sorted({_shape_of(p) for p in VALID + INVALID} - set(SHAPE_IDS))
    assert not unknown, f"examples for shapes that shapes.ttl does not define: {unknown}"


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_every_shape_has_valid_and_invalid_examples(shape_id):
    assert any(_shape_of(p) == shape_id for p in VALID), f"{shape_id} has no valid example"
    assert any(_shape_of(p) == shape_id for p in INVALID), f"{shape_id} has no invalid example"


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_conforms(path):
    report = validate(_load(path))
    assert report.conforms, f"{path.name} should conform to all shapes:\n{_describe(report)}"
    assert validate_many([_load(path)]) == [report]  # the build's way: the Python check first


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_fails_only_its_shape(path):
    report = validate(_load(path))
    expected = _shape_of(path)
    assert not report.conforms, f"{path.name} should fail {expected} but conforms"
    assert set(report.shape_ids) == {expected}, (
        f"{path.name} should fail exactly {{{expected}}}, failed {set(report.shape_ids)}:\n"
        f"{_describe(report)}"
    )
    assert validate_many([_load(path)]) == [report]  # the build's way: refused by the check, pySHACL's report


def test_example_files_start_with_a_comment():
    for p in VALID + INVALID:
        first = p.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[0]
        assert first.startswith("#"), f"{p.name} does not start with a comment"


def test_shapes_pass_meta_shacl():
    tiny = Graph()
    conforms, _, text = pyshacl_validate(
        data_graph=tiny, shacl_graph=_shapes(), meta_shacl=True, advanced=True, inference="none"
    )
    assert conforms, text


def test_node_shapes_have_an_id_iri_and_one_message():
    assert NODE_SHAPES
    for shape in NODE_SHAPES:
        assert SHAPE_IRI.search(str(shape)), f"node shape IRI without an ID: {shape}"
        messages = list(SHAPES.objects(shape, SH.message))
        assert len(messages) == 1, f"{shape} has {len(messages)} sh:message, want 1"


def test_shapes_graph_declares_versioned_ontology():
    onts = list(SHAPES.subjects(RDF.type, OWL.Ontology))
    assert len(onts) == 1, onts
    versions = list(SHAPES.objects(onts[0], OWL.versionInfo))
    assert len(versions) == 1 and isinstance(versions[0], Literal) and str(versions[0]), versions
