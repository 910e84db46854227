"""The hostile corpus: odd, broken and malicious release files, written by code into a temp folder.

Nothing here is committed as data: every file is generated on the fly (a 50 MB file has no place
in the repository). :func:`write_corpus` writes the corpus next to copies of the good releases in
``data/releases`` and returns one :class:`Case` per hostile input, saying what must happen to it:
``ok`` (read correctly and loaded) or ``error`` (one error line naming the file and, in
``expect``, words the line must hold).

Tests may run as root (CI containers often do), and root reads a ``chmod 000`` file anyway, so
"unreadable" is made in ways that hold for every user: a dangling symbolic link, a symbolic-link
loop between two files and a FIFO (which would block a naive ``read()`` forever).
"""

from __future__ import annotations

import codecs
import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "releases"
SEED = GOOD / "iom-bih-2019-05-22-border-police-meeting.txt"
SCRIPT_MARKER = "zqxscriptmarker"  # appears only inside <script>/<style>: must never reach the store

# Names built to break naive IRI minting, Turtle writing and SPARQL pasting.
HOSTILE_NAMES = [
    'Agency "Quoted" for Migration',
    "Office <script>alert(1)</script> of Borders",
    "Ministry {of} Interior | x ^ y ` z",
    "Back\\slash \\u0022 Directorate",
    "Zero\u200bwidth\u200d Joiner Council",
    "Right-to-left \u202eevil\u202c \u05e9\u05dc\u05d5\u05dd Committee",
    "Homoglyph \u0406\u041eM Office",  # Cyrillic І and О, looks like IOM
    '"} ; DROP ALL ; # Agency',
    "<x> } UNION { ?s ?p ?o Agency",
]


@dataclass(frozen=True)
class Case:
    name: str  # path relative to the corpus folder
    outcome: str  # "ok" or "error"
    expect: tuple[str, ...] = ()  # words the error line must hold
    what: str = ""


def _body(path: Path = SEED) -> tuple[str, str]:
    """A good release's title line and the rest."""
    text = path.read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    return title, rest


def _one_line_release(rng: random.Random) -> str:
    """A good release whose body is a single line of about 1 MB (the seed's text plus filler words)."""
    src = GOOD / "ill-01-unhcr-skopje-workshop.txt"
    text = src.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n\nOn ")
    line = "On " + " ".join(x.strip() for x in rest.split("\n") if x.strip())
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(400)]
    parts, n = [line], len(line)
    while n < 1_000_000:
        w = rng.choice(words)
        parts.append(w)
        n += len(w) + 1
    return head + "\n\n" + " ".join(parts) + "\n"


def _names_release() -> str:
    lines = ["Meeting of oddly named agencies in Sarajevo", "", "Date Publish: 3 March 2021", ""]
    for i, name in enumerate(HOSTILE_NAMES):
        lines.append(f"On {i + 1} March 2021, the {name} organized a meeting in Sarajevo with the "
                     f"International Organization for Migration (IOM).")
    lines.append("Control characters \x01\x02\x07\x1b[31m and a form feed \x0c end here.")
    return "\n".join(lines) + "\n"


def _html() -> str:
    return (
        "<!DOCTYPE html><html><head><title>IOM and UNHCR hold a workshop in Tirana</title>"
        f"<style>body {{ content: '{SCRIPT_MARKER} style' }}</style>"
        f"<script>var s = \"The {SCRIPT_MARKER} Frontex Agency organized a conference in Budva.\";"
        " if (a < b && c > d) { document.write('</p>'); }</script></head><body>"
        "<h1>IOM and UNHCR hold a workshop in Tirana</h1>"
        "<p>On 12 April 2021, the International Organization for Migration (IOM) organized a workshop in "
        "Tirana with the United Nations High Commissioner for Refugees (UNHCR).</p>"
        f"<SCRIPT type='text/javascript'>alert('{SCRIPT_MARKER} ministry')</SCRIPT>"
        f"<noscript>{SCRIPT_MARKER} noscript</noscript>"
        "<p>Entities &amp; escapes: &lt;script&gt; is text here.</p></body></html>"
    )


def _markdown() -> str:
    return (
        "# UNHCR and IOM train border officers in Skopje\n\n"
        "Published: 2021-09-14\n\n"
        "**On 14 September 2021**, the [International Organization for Migration](https://www.iom.int) "
        "(IOM) organized a _training_ in Skopje for border officers of North Macedonia.\n\n"
        "- item one\n- item two\n\n> a quote `with code`\n\n```\ncode block { } < >\n```\n"
    )


def write_corpus(folder: Path, seed: int = 7) -> list[Case]:
    """Write the good releases and the hostile corpus into ``folder``; return the hostile cases."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for p in sorted(GOOD.glob("*.txt")):
        shutil.copyfile(p, folder / p.name)
    title, rest = _body()
    cases: list[Case] = []

    def put(name: str, data: bytes | str, outcome: str, *expect: str, what: str = "") -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, outcome, expect, what or name))

    put("hostile-empty.txt", b"", "error", "empty file", what="empty file")
    put("hostile-blank.md", "  \n\n\t\n", "error", "empty file", what="whitespace only")
    put("hostile-title-only.txt", "Just a title\n", "error", "no body", what="title without a body")
    put("hostile-binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000), "error", "binary",
        what="binary file (PNG)")
    put("hostile-nul-inside.txt", (title + "\n\nSome text\x00with a NUL byte.\n").encode(), "error", "binary",
        what="NUL byte inside text")
    put("hostile-high-bytes.html", bytes(rng.randrange(0x80, 0x100) for _ in range(3000)), "error",
        "not UTF-8", "--encoding", what="random high bytes")
    put("hostile-cp1250.txt", ("Sastanak u Sarajevu: šef graničnih službi\n\n" + rest).encode("cp1250",
        errors="replace"), "error", "not UTF-8", "--encoding cp1250", what="cp1250 text")
    put("hostile-latin1.txt", ("Réunion à Genève sur la migration\n\n" + rest).encode("latin-1", errors="replace"),
        "error", "not UTF-8", "--encoding", "latin-1", what="Latin-1 text")
    put("hostile-utf16-bom.txt", codecs.BOM_UTF16_LE + ("Sastanak: šef službi, Čačak\n\n" + rest).encode("utf-16-le"),
        "ok", what="UTF-16 with BOM")
    put("hostile-utf32-bom.txt", ("Sastanak u Tuzli, Ćuprija\n\n" + rest).encode("utf-32"), "ok",
        what="UTF-32 with BOM")
    put("hostile-utf8-bom.txt", codecs.BOM_UTF8 + (title + "\n" + rest).encode(), "ok", what="UTF-8 with BOM")
    put("hostile-crlf.txt", (title + "\n" + rest).replace("\n", "\r\n"), "ok", what="CRLF line ends")
    put("hostile-cr-only.txt", (title + "\n" + rest).replace("\n", "\r"), "ok", what="CR line ends")
    put("hostile-surrogate.txt", (title + "\n\n").encode() + b"\xed\xa0\x80 lone surrogate\n", "error",
        "not UTF-8", what="UTF-8-encoded surrogate")
    with (folder / "hostile-50mb.txt").open("wb") as fh:
        fh.write((title + "\n\n").encode())
        chunk = (rest.replace("\n", " ") + "\n").encode() * 64
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    cases.append(Case("hostile-50mb.txt", "error", ("too large", "--max-bytes"), "50 MB file"))
    put("hostile-one-line-1mb.txt", _one_line_release(rng), "ok", what="1 MB single line")
    put("hostile-script.html", _html(), "ok", what="HTML with script, style, noscript")
    put("hostile-unclosed-script.html", "<html><title>Unclosed</title><body><script>var x = 1;"
        f"{SCRIPT_MARKER} IOM organized a meeting", "error", "no visible text", what="HTML, unclosed script")
    put("hostile-markdown.md", _markdown(), "ok", what="Markdown")
    put("hostile-names.txt", _names_release(), "ok", what="names with quotes, <>, {}, \\, controls, bidi")
    # File names: quotes, angle brackets, braces, backslash, newline, zero-width, right-to-left, homoglyphs.
    for i, fname in enumerate([
        'hostile-q"uo<te>{br}ace\\back.txt',
        "hostile-new\nline.txt",
        "hostile-zero\u200bwidth-\u202eltr\u202c.txt",
        "hostile-\u0456\u043em-homoglyph.txt",  # Cyrillic і, о
        "hostile-ctrl\x01\x1f\x7f.txt",
    ]):
        put(fname, f"{title} ({i})\n{rest}", "ok", what=f"file name {fname!r}")
    # JSON Lines: good lines around bad ones; the good ones must load.
    good = {"id": "jsonl-good-1", "title": "IOM meets UNHCR in Belgrade", "published": "2020-02-02",
            "text": "On 2 February 2020, the International Organization for Migration (IOM) organized a meeting "
                    "in Belgrade with the United Nations High Commissioner for Refugees (UNHCR)."}
    lines = [json.dumps(good), "{not json at all", json.dumps([1, 2, 3]), json.dumps({"text": ""}),
             "[" * 100000, json.dumps({**good, "id": "jsonl-good-2", "title": "IOM\u0000 meets \u202eUNHCR",
                                      "text": good["text"] + "\u2028next\u2029\u0000"})]
    put("hostile-bad-line.jsonl", "\n".join(lines) + "\n", "error", "hostile-bad-line.jsonl:2", what="jsonl bad line")
    for n in (3, 4, 5):
        cases.append(Case("hostile-bad-line.jsonl", "error", (f"hostile-bad-line.jsonl:{n}",), f"jsonl line {n}"))
    # Folders: a symlink loop, deep nesting, a folder named like a release file.
    loop = folder / "hostile-loop"
    loop.mkdir()
    os.symlink(".", loop / "self")
    os.symlink("..", loop / "parent")
    os.symlink("b.txt", loop / "a.txt")
    os.symlink("a.txt", loop / "b.txt")
    cases.append(Case("hostile-loop/a.txt", "error", ("cannot read",), "symlink loop between files"))
    cases.append(Case("hostile-loop/b.txt", "error", ("cannot read",), "symlink loop between files"))
    deep = folder.joinpath(*[f"d{i}" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "hostile-deep.txt").write_text(f"{title} (deep)\n{rest}", encoding="utf-8")
    cases.append(Case(str((deep / "hostile-deep.txt").relative_to(folder)), "ok", (), "40 folders deep"))
    (folder / "hostile-folder.txt").mkdir()
    # Unreadable, for root too.
    os.symlink("does-not-exist.txt", folder / "hostile-dangling.txt")
    cases.append(Case("hostile-dangling.txt", "error", ("cannot read",), "dangling symlink"))
    os.mkfifo(folder / "hostile-fifo.txt")
    cases.append(Case("hostile-fifo.txt", "error", ("not a regular file",), "FIFO"))
    return cases


def ok_files(folder: Path, cases: list[Case]) -> list[Path]:
    """The files a correct build loads: the good releases and the hostile cases marked ok."""
    return sorted(GOOD.glob("*.txt")) + [folder / c.name for c in cases if c.outcome == "ok"]
