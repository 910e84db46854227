"""The store's quad count (store/count.py): kept as the store writes, so ``len(store)`` (the build's
summary line, ``stats``) never reads the whole store, and never trusted after a writer that did not
close cleanly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from migkg.pipeline import build_store
from migkg.store import open_store
from migkg.store.count import RECORD
from paths import SEED

OTHER = ("A workshop in Skopje\nDate Publish: 2021-03-04\n\nOn 2 March 2021, UNHCR organized a workshop on "
         "asylum procedures in Skopje, with the Ministry of Interior of Albania.\n")


def _counted(store_dir: Path) -> int:
    """What the engine counts, whatever the record says."""
    with open_store(store_dir, read_only=True) as store:
        return store._counted()


def _record(store_dir: Path) -> int | None:
    path = store_dir / RECORD
    return json.loads(path.read_text(encoding="utf-8"))["quads"] if path.exists() else None


def test_the_count_follows_adds_and_replacements(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    other = folder / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        summary = build_store([folder], store)
        assert summary.quads == len(store) == store._counted()
    assert _record(store_dir) == _counted(store_dir) == summary.quads
    # a replacement that states more (a second sentence), then one that states less
    more = OTHER + "The Ministry of Interior of Serbia took part too.\n"
    for text in (more, OTHER.replace("workshop on", "meeting on")):
        other.write_text(text, encoding="utf-8")
        with open_store(store_dir) as store:
            summary = build_store([other], store)
            assert summary.loaded == [str(other)]
            assert summary.quads == len(store) == store._counted()
        assert _record(store_dir) == _counted(store_dir) == summary.quads
    with open_store(store_dir, read_only=True) as store:
        assert len(store) == summary.quads


def test_a_writer_that_did_not_close_leaves_no_record(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        build_store([SEED], store)
    assert _record(store_dir) is not None
    store = open_store(store_dir)
    assert build_store([SEED], store).unchanged == [str(SEED)]  # nothing written: the record stays
    assert (store_dir / RECORD).exists()
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    build_store([other], store)
    # written and not closed (as a killed build): another reader must not trust the old record
    assert not (store_dir / RECORD).exists()
    store.close()
    assert _record(store_dir) == _counted(store_dir)


def test_a_store_without_a_record_or_with_a_bad_one_is_counted(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        build_store([SEED], store)
    n = _counted(store_dir)
    for content in (None, "not json", '{"quads": -3}', '{"quads": "12"}', "[1]"):
        record = store_dir / RECORD
        if content is None:
            record.unlink(missing_ok=True)
        else:
            record.write_text(content, encoding="utf-8")
        with open_store(store_dir, read_only=True) as store:
            assert len(store) == n
    (store_dir / RECORD).unlink()
    with open_store(store_dir) as store:  # a writer that counted leaves the record for the next one
        assert len(store) == n
    assert _record(store_dir) == n
