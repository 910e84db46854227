"""Ingest: the seed's format, other formats, language detection, and clear errors for bad files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migkg.errors import InputError
from migkg.ingest import _language_halves, _verdict, detect_language, iter_release_paths, read_release_file
from paths import RELEASES, SEED


def test_seed_title_date_and_sections() -> None:
    (r,) = read_release_file(SEED)
    assert r.title.startswith("IOM organized the ninth regular coordination meeting")
    assert r.published == date(2019, 5, 22)
    assert r.languages == ("bs", "en")
    assert r.sections[0].text.startswith("17. maja 2019. godine")
    assert r.sections[1].text.startswith("On 17 May 2019, IOM organized")
    for s in r.sections:  # section offsets point into the release text
        assert r.text[s.start:s.start + len(s.text)] == s.text
    assert r.source == SEED.name
    assert r.key == "iom-bih-2019-05-22-border-police-meeting"


def test_header_value_on_same_line_and_url(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("A title\nDate Publish: 3 June 2021\nURL: https://example.org/x\n\nBody text of the release.\n",
                 encoding="utf-8")
    (r,) = read_release_file(p)
    assert r.published == date(2021, 6, 3)
    assert r.source == "https://example.org/x"
    assert r.text == "Body text of the release."


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The meeting was organized by the ministry and the agency in the capital.", "en"),
        ("Sastanak je organizovan u okviru projekta koji je finansiran od strane ministarstva.", "bs"),
        ("La réunion a été organisée par le ministère et les partenaires de la région.", "fr"),
        ("La reunión fue organizada por el ministerio y los socios de la región.", "es"),
        ("Takimi u organizua nga ministria dhe partnerët për migracionin në rajon.", "sq"),
        ("Das Treffen wurde von dem Ministerium und den Partnern in der Region organisiert.", "de"),
        ("De bijeenkomst werd georganiseerd door het ministerie en de partners in de regio.", "nl"),
        ("Spotkanie zostało zorganizowane przez ministerstwo oraz partnerów w regionie.", "pl"),
        ("Pertemuan ini diselenggarakan oleh kementerian dan para mitra di kawasan tersebut.", "id"),
        ("Средбата беше организирана од министерството и партнерите во регионот.", "mk"),
        ("Састанак је организован од стране министарства и партнера у региону.", "sr-Cyrl"),
        ("Встреча была организована министерством и партнерами, которые работают в регионе.", "ru"),
        ("Зустріч була організована міністерством та партнерами, які працюють у регіоні.", "uk"),
        ("Η συνάντηση διοργανώθηκε από το υπουργείο και τους εταίρους της περιοχής.", "el"),
        ("Toplantı, bakanlık ve bölgedeki ortaklar tarafından bu hafta düzenlendi.", "tr"),
        ("تم تنظيم الاجتماع من قبل الوزارة والشركاء في المنطقة.", "ar"),
        ("Срещата, която беше организирана от министерството, ще събере партньорите, които работят в региона.", "bg"),
        ("Schůzku, která byla uspořádána ministerstvem, organizují také partneři, kteří působí v regionu.", "cs"),
        ("Stretnutie, ktoré bolo zorganizované ministerstvom, sa konalo v regióne a zúčastnili sa ho partneri.", "sk"),
        ("A találkozót a minisztérium és a térség partnerei szervezték, amelyen a hatóságok is részt vettek.", "hu"),
        ("Mötet organiserades av ministeriet och partnerna i regionen, som också deltog i arbetet.", "sv"),
        ("Mødet blev afholdt af ministeriet og partnerne i regionen, som også deltog efter aftale.", "da"),
        ("Møtet ble arrangert av departementet og partnerne i regionen, som også deltok etter avtale.", "nb"),
        ("Srečanje je organiziralo ministrstvo, ki je s partnerji iz regije tudi sodelovalo pri pripravi.", "sl"),
        ("Kokouksen järjesti ministeriö yhteistyössä alueen kumppanien kanssa, jotka osallistuivat työhön.", "fi"),
        ("Görüş nazirlik və regiondakı tərəfdaşlar tərəfindən təşkil edilib, bu il keçirilən tədbirlərlə bağlı oldu.",
         "az"),
        ("Mkutano huo uliandaliwa na wizara kwa kushirikiana na washirika wa kikanda katika mwaka huu.", "sw"),
        ("این نشست توسط وزارت و شرکای منطقه برگزار شد که در آن کارشناسان نیز حضور داشتند.", "fa"),
        ("Cuộc họp được tổ chức bởi bộ và các đối tác trong khu vực, với sự tham dự của các chuyên gia.", "vi"),
        ("Kohtumise korraldas ministeerium koostöös piirkonna partneritega, kes osalesid ettevalmistamisel.", "et"),
        ("Sanāksmi organizēja ministrija sadarbībā ar reģiona partneriem, kas arī piedalījās tās sagatavošanā.", "lv"),
        ("Susitikimą surengė ministerija kartu su regiono partneriais, kurie taip pat dalyvavo jį rengiant.", "lt"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


_WORDS = ["the", "and", "of", "i", "je", "za", "und", "der", "le", "et", "de", "la", "y", "el", "в", "и", "على",
          "في", "和", "的", "举行", "および", "から", "및", "에서", "การ", "ของ", "Σ", "ΤΗΣ", "της", "meeting", "IOM"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "", "\n", ", ", "\n\n"])), max_size=40))
def test_a_section_language_is_its_lines_scores_summed(parts: list[tuple[str, str]]) -> None:
    """split_sections scores a one-language section by summing its lines' scores rather than reading it
    again: the same verdict as detect_language over the whole text, glued scripts and casing included."""
    text = "".join(w + sep for w, sep in parts).strip()
    if not text:
        return
    halves, whole = _language_halves(text)
    if whole is not None:
        assert _verdict(whole) == detect_language(text)
        assert not halves
    else:
        assert halves


def test_two_languages_without_a_separator_are_two_sections(tmp_path: Path) -> None:
    en = "The workshop for border officials was held in the capital and brought together the ministry, " * 3
    sq = "Punëtoria për zyrtarët e kufirit u mbajt në kryeqytet dhe mblodhi së bashku ministrinë dhe " * 3
    path = tmp_path / "r.txt"
    path.write_text(f"Title\n\n{en}\n\n{sq}\n", encoding="utf-8")
    release = read_release_file(path)[0]
    assert [s.lang for s in release.sections] == ["en", "sq"]
    assert release.text[release.sections[1].start:].startswith("Punëtoria")


def test_every_committed_release_reads() -> None:
    paths = list(iter_release_paths([RELEASES]))
    assert len(paths) >= 33
    for p in paths:
        (r,) = read_release_file(p)
        assert r.title and r.text and r.sections


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Naslov\n\nSastanak u Beogradu, Crna Gora i Srbija; čćžšđ\n".encode("cp1250"), "not UTF-8"),
        (b"Only a title\n", "no body"),
    ],
)
def test_bad_files_get_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_release_file(p)
    text = str(err.value)
    assert message in text
    assert str(p) in text
    assert "\n" not in text


def test_cp1250_hint_and_explicit_encoding(tmp_path: Path) -> None:
    p = tmp_path / "cp.txt"
    p.write_bytes("Naslov\n\nSastanak u Sarajevu, održan u četvrtak.\n".encode("cp1250"))
    with pytest.raises(InputError, match="--encoding cp1250"):
        read_release_file(p)
    (r,) = read_release_file(p, encoding="cp1250")
    assert "održan u četvrtak" in r.text


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes("Title\n\nThe workshop in Niš was held on 3 May 2021.\n".encode("utf-16"))
    (r,) = read_release_file(p)
    assert "Niš" in r.text


def test_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("Title\n\n" + "word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_release_file(p, max_bytes=100)


def test_html_drops_scripts(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>A workshop</title><script>var x = 'IOM organized';</script></head>"
                 "<body><h1>A workshop</h1><p>The workshop took place in Skopje.</p></body></html>",
                 encoding="utf-8")
    (r,) = read_release_file(p)
    assert r.title == "A workshop"
    assert "Skopje" in r.text
    assert "var x" not in r.text


def test_jsonl_releases_and_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    p.write_text(json.dumps({"id": "one", "title": "T1", "published": "2020-01-02", "text": "Body one."}) + "\n"
                 + json.dumps({"title": "T2", "text": "Body two."}) + "\n", encoding="utf-8")
    rs = read_release_file(p)
    assert [r.key for r in rs] == ["one", "batch-2"]
    assert rs[0].published == date(2020, 1, 2)
    p.write_text("{not json}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"batch.jsonl:1: not a JSON object"):
        read_release_file(p)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_release_paths([tmp_path / "nope"]))


def test_walk_skips_readme_and_hidden(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# about\n\ntext\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("T\n\nB\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("T\n\nB\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [p.name for p in iter_release_paths([tmp_path])] == ["r.txt"]


# Romance paragraphs written for this test: each is read as its own language, none as a neighbour's
_ROMANCE = {
    "fr": "L’atelier a été organisé par le ministère de l’Intérieur avec le soutien de l’Union européenne. Les "
          "participants ont discuté des défis liés à la migration et ont partagé leurs expériences dans la région.",
    "es": "El taller fue organizado por el Ministerio del Interior con el apoyo de la Unión Europea. Los participantes "
          "discutieron los desafíos de la migración y compartieron sus experiencias en la región.",
    "pt": "A oficina foi organizada pelo Ministério da Administração Interna com o apoio da União Europeia. Os "
          "participantes discutiram os desafios da migração e partilharam as suas experiências na região.",
    "it": "Il seminario è stato organizzato dal Ministero dell’Interno con il sostegno dell’Unione europea. I "
          "partecipanti hanno discusso le sfide della migrazione e hanno condiviso le loro esperienze nella regione.",
    "ro": "Atelierul a fost organizat de Ministerul Afacerilor Interne cu sprijinul Uniunii Europene. Participanții au "
          "discutat provocările migrației și și-au împărtășit experiențele din regiune.",
}


@pytest.mark.parametrize("lang", sorted(_ROMANCE))
def test_detect_romance_languages(lang: str) -> None:
    assert detect_language(_ROMANCE[lang]) == lang


@pytest.mark.parametrize(("body", "want"), [
    ("Tirana 5 November 2018: The ministry opened a new centre.", "2018-11-05"),
    ("Ciudad de México, 15 de noviembre de 2019 – La OIM inauguró un centro.", "2019-11-15"),
    ("06/02/2018 - IOM and the police organized a training.", "2018-02-06"),  # numbers: day first
    ("23/09/2021 - IOM trained social workers.", "2021-09-23"),
    ("The ministry said on 5 November 2018 that the centre opened.", None),  # a sentence, not a dateline
    ("IOM trains judges\nNo date here at all.", None),
])
def test_dateline_gives_the_publication_date(body: str, want: str | None) -> None:
    from migkg.dates import dateline_date

    got = dateline_date(body)
    assert (got.isoformat() if got else None) == want


def test_numeric_header_dates_are_read_as_they_come() -> None:
    from migkg.dates import parse_date

    assert parse_date("Thu, 09/23/2021 - 23:00").isoformat() == "2021-09-23"
    assert parse_date("06/02/2018") is None  # ambiguous in a header: not guessed


def test_a_month_only_header_is_the_publication_month(tmp_path: Path) -> None:
    f = tmp_path / "monthly.txt"
    f.write_text("Regional round table\nDate Publish: 2022-11\n\nThe round table took place on 9 November.\n",
                 encoding="utf-8")
    release = read_release_file(f)[0]
    assert release.published is None and release.published_month == "2022-11"


def test_release_identity_is_what_a_full_read_gives(tmp_path: Path) -> None:
    """A rebuild knows an unchanged release by its key and bytes without reading it whole: for every file of
    one release (text, Markdown, HTML) they must be the full read's; other files are left to the full read."""
    from migkg.build import content_hash, stored_hash
    from migkg.ingest import release_identity

    html = tmp_path / "A Page.HTML"
    html.write_text("<html><head><title>T</title></head><body><p>Body of it.</p></body></html>", encoding="utf-8")
    md = tmp_path / "note.md"
    md.write_text("# A title\n\nSome body.\n", encoding="utf-8")
    for path in [*sorted(RELEASES.glob("*"))[:10], SEED, html, md]:
        (r,) = read_release_file(path)
        assert release_identity(path) == (r.key, r.content_hash), path
        assert stored_hash(*release_identity(path)) == content_hash(r)  # type: ignore[misc]
    lines = tmp_path / "two.jsonl"
    lines.write_text(json.dumps({"title": "a", "text": "b"}) + "\n", encoding="utf-8")
    assert release_identity(lines) is None  # several releases: their keys come from the lines
    assert release_identity(SEED, max_bytes=100) is None  # too large: the full read says so
    assert release_identity(tmp_path / "missing.txt") is None and release_identity(tmp_path) is None
