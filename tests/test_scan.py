"""Names read off the scan of a whole section (Doc.names, Scan.within) are exactly what finding them in the
sentence alone gives; where an edge could make them differ, the sentence is scanned alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from migkg.extract.doc import Doc
from migkg.extract.text import Sentence
from migkg.ingest import iter_release_paths, read_release_file
from migkg.reference import load
from paths import RELEASES


@pytest.mark.parametrize("path", sorted(iter_release_paths([RELEASES])), ids=lambda p: p.name)
def test_sentence_names_read_off_the_section_scan(path: Path) -> None:
    d = load()
    for release in read_release_file(path):
        doc = Doc(release, d)
        for sent in [*doc.sentences, Sentence(release.title, 0)]:
            assert doc.names(sent) == d.trie.find(sent.text, suffixes=doc.p.name_suffixes), sent.text


def test_a_name_across_an_edge_sends_the_part_to_a_scan_of_its_own() -> None:
    d = load()
    text = "Officials of North Macedonia met."
    scan = d.trie.scan(text)
    cut = text.index("Macedonia")
    assert [m.entry.key for m in d.trie.find(text)] == ["MK"]
    assert scan.within(0, cut - 1) is None  # "North Macedonia" crosses the end: "North" alone is read apart
    assert scan.within(cut, len(text)) is None  # … and the start
    assert scan.within(0, 5) is None  # a word cut in two ("Offic|ials")
    inner = scan.within(13, len(text))
    assert inner is not None and [(m.text, m.start) for m in inner] == [("North Macedonia", 0)]
