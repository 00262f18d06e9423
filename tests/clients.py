"""Helpers for tests that check output with real programs: pandoc, LibreOffice, poppler, qpdf.

Each helper runs one client with a timeout and returns its result; a test that needs a client that
is not installed is skipped (``needs("soffice")``), never failed. LibreOffice runs with a throwaway
profile and sees the fonts a recipient has: the system's (``scripts/test`` installs the metric twins
of the Office fonts, as Office users have the fonts themselves), not the brand fonts briefgen installs
from PyPI, which reach it only when the DOCX embeds them (``families`` adds them, for a test that
wants a reader who installed them).
"""

from __future__ import annotations

import json
import os
from collections import Counter
import re
import shutil
import unicodedata
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = [
    "needs", "run", "fonts_conf", "soffice_convert", "soffice_convert_all", "pdf_pages", "pdftotext_pages",
    "pandoc_markdown", "pandoc_ast", "pandoc_notes", "pandoc_headings", "stringify", "squash",
    "model_notes", "model_headings", "note_page_problems", "furniture_problems",
    "pdffonts", "qpdf_check", "pdfinfo", "pdf_json", "pdf_links", "pdf_outline",
]

# Brand families briefgen installs from PyPI: hidden from LibreOffice unless a test asks for them.
BRAND_FAMILIES = ("Fira Sans", "IBM Plex Serif")


def needs(*programs: str) -> None:
    """Skip the calling test unless every program is on PATH (under CI=true: fail instead)."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing and os.environ.get("CI"):
        # CI installs every client (scripts/test); a missing one there is a failure, not a skip
        pytest.fail(f"not installed: {', '.join(missing)}", pytrace=False)
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


def run(args: list[str], *, timeout: float = 180, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a client; a non-zero exit fails the test with its stderr (not a bare CalledProcessError)."""
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    if proc.returncode != 0:
        pytest.fail(f"{args[0]} exited {proc.returncode}\nstdout: {proc.stdout[-2000:]}\n"
                    f"stderr: {proc.stderr[-2000:]}", pytrace=False)
    return proc


def fonts_conf(folder: Path, families: tuple[str, ...] = ()) -> Path:
    """Write ``folder/fonts.conf``: the system configuration plus the folders of ``families``."""
    from briefgen.fonts import find_family

    dirs = sorted({str(find_family(name).regular.parent) for name in families})
    cache = folder / "fc-cache"
    cache.mkdir(parents=True, exist_ok=True)
    body = "\n".join(f"  <dir>{d}</dir>" for d in dirs)
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{body}\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return path


def soffice_convert(src: Path, fmt: str = "pdf", outdir: Path | None = None,
                    *, timeout: float = 240, families: tuple[str, ...] = ()) -> Path:
    """Convert ``src`` with headless LibreOffice (``fmt`` e.g. "pdf", "odt"); return the new file.

    A fresh profile per call keeps runs independent (two soffice processes may not share one), and
    fails the test if LibreOffice reports an error or writes nothing. ``families`` adds installed
    brand fonts, as on a reader's machine that has them.
    """
    return soffice_convert_all([src], fmt, outdir or src.parent, timeout=timeout, families=families)[0]


def soffice_convert_all(srcs: list[Path], fmt: str, outdir: Path, *, timeout: float = 600,
                        families: tuple[str, ...] = ()) -> list[Path]:
    """Convert many files in one LibreOffice process (much faster than one each); the new files,
    in order. Sources must have distinct stems."""
    needs("soffice")
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path, families)), "HOME": tmp}
        proc = run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                    "--norestore", "--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs)],
                   timeout=timeout, env=env)
    outs = [outdir / f"{src.stem}.{fmt.split(':')[0]}" for src in srcs]
    missing = [o.name for o in outs if not o.is_file()]
    if missing or "Error" in proc.stderr:
        pytest.fail(f"soffice did not convert {missing or srcs}: {proc.stdout} {proc.stderr}", pytrace=False)
    return outs


def pdftotext_pages(pdf: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (``pdftotext -layout``), in order."""
    needs("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = run(args).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


def pdf_pages(pdf: Path) -> int:
    """Number of pages, from qpdf (independent of the text extraction)."""
    needs("qpdf")
    return int(run(["qpdf", "--show-npages", str(pdf)]).stdout.strip())


def pandoc_markdown(src: Path, fmt: str = "docx") -> str:
    """What pandoc reads from ``src``, written as pandoc Markdown (footnotes as ``[^n]`` blocks)."""
    needs("pandoc")
    return run(["pandoc", "-f", fmt, "-t", "markdown", "--wrap=none", str(src)]).stdout


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, so wrapped and unwrapped text compare equal."""
    return re.sub(r"\s+", " ", text).strip()


# ---- what pandoc reads back -------------------------------------------------------------------

def pandoc_ast(src: Path, fmt: str = "docx") -> dict:
    """pandoc's JSON AST of ``src``: notes and headings compared node by node, not as Markdown."""
    needs("pandoc")
    return json.loads(run(["pandoc", "-f", fmt, "-t", "json", str(src)]).stdout)


def stringify(node) -> str:
    """The text of an AST fragment (pandoc's ``stringify``), notes left out."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math", "RawInline"):
        return content[1]
    if kind == "Note":
        return ""
    if kind == "Quoted":
        left, right = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
        return left + stringify(content[1]) + right
    if kind in ("Link", "Image", "Span", "Cite"):
        return stringify(content[1])
    if kind == "Header":
        return stringify(content[2])
    if isinstance(content, list):
        return stringify(content)
    return ""


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def pandoc_notes(ast: dict) -> list[str]:
    """Each footnote's text, in order."""
    return [squash(stringify(n["c"])) for n in _walk(ast["blocks"]) if n.get("t") == "Note"]


def pandoc_headings(ast: dict) -> list[tuple[int, str]]:
    """(level, text) of each heading, in order."""
    return [(n["c"][0], squash(stringify(n["c"][2]))) for n in _walk(ast["blocks"])
            if n.get("t") == "Header"]


# ---- the same facts from the document model -----------------------------------------------------

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def model_notes(doc) -> list[str]:
    from briefgen.model import notes_of, plain_text

    return [squash(_nfc(plain_text(n.children))) for n in notes_of(doc)]


def model_headings(doc) -> list[tuple[int, str]]:
    from briefgen.model import Heading, iter_blocks, plain_text

    return [(min(max(b.level, 1), 4), squash(_nfc(plain_text(b.children))))
            for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]


# ---- layout facts in extracted PDF text -----------------------------------------------------------

def _note_marks(doc):
    """(number, word the mark follows, first words of the note) for each note."""
    from briefgen.model import Code, LineBreak, Note, Text, block_inlines, iter_blocks, iter_inlines, plain_text

    for block in iter_blocks(doc.blocks):
        before = ""
        for node in iter_inlines(block_inlines(block)):
            if isinstance(node, Note):
                # the end of the last word, from its last part ("offensive" of a
                # "counter-offensive" that may break at the hyphen) to the mark
                word = re.search(r"\w+\W*$", before.rstrip(" ")) if before.strip() else None
                if word and before.endswith(" "):
                    word = None  # a mark after a space is not tied to a word
                start = " ".join(_nfc(plain_text(node.children)).split()[:4])
                yield node.number, (word.group(0) if word else None), start
            elif isinstance(node, (Text, Code, LineBreak)):
                before += _nfc(plain_text((node,)))


def note_page_problems(doc, pages: list[str]) -> list[str]:
    """Notes whose text does not start on the page of their mark (pdftotext ``-layout`` pages).

    The mark is found as the note number right after the word it follows ("October1"); the note's
    own text as its number at the start of a line followed by its first words (the number may sit
    on a line of its own, being superscript)."""
    problems = []
    notes_area = [re.sub(r"(?m)^[ \t]*(\d+)[ \t]*\n[ \t]*", r"\1 ", p) for p in pages]
    for number, word, start in _note_marks(doc):
        if not word:
            continue
        mark = re.compile(re.escape(word) + r"\s?" + str(number) + r"(?!\d)")
        found = [i for i, page in enumerate(pages) if mark.search(page)]
        if not found:
            problems.append(f"note {number}: mark after '{word}' not found on any page")
            continue
        text = re.compile(r"(?m)^\s*" + str(number) + r"\.?\s+" + r"\s+".join(map(re.escape, start.split())))
        if not text.search(notes_area[found[0]]):
            elsewhere = [i + 1 for i, page in enumerate(notes_area) if text.search(page)]
            problems.append(f"note {number}: mark on page {found[0] + 1}, text on page(s) {elsewhere or 'none'}")
    return problems


def furniture_problems(pages: list[str], marking: str) -> list[str]:
    """Pages without the marking as first and last line, or without "Page i of N"."""
    problems = []
    total = len(pages)
    for i, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if marking and (not lines or lines[0] != marking or lines[-1] != marking):
            problems.append(f"page {i}: marking '{marking}' not first and last line "
                            f"(first {lines[:1]}, last {lines[-1:]})")
        if not re.search(rf"Page {i} of {total}\b", page):
            problems.append(f"page {i}: no 'Page {i} of {total}'")
    return problems


# ---- PDF structure: fonts, syntax, links, outline, properties ------------------------------------

def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """One dict per font ``pdffonts`` lists: name, type, encoding, emb, sub, uni."""
    needs("pdffonts")
    lines = run(["pdffonts", str(pdf)]).stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    keys = ("name", "type", "encoding", "emb", "sub", "uni", "object", "id")
    return [{k: line[a:b + 1 if j < len(spans) - 1 else None].strip() for j, (k, (a, b)) in
             enumerate(zip(keys, spans))} for line in lines[rule + 1:] if line.strip()]


def qpdf_check(pdf: Path) -> str:
    """``qpdf --check`` output; a damaged file (non-zero exit, also for warnings) fails the test."""
    needs("qpdf")
    return run(["qpdf", "--check", str(pdf)]).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    """The document properties ``pdfinfo`` prints (Title, Author, Page size, CreationDate, ...)."""
    needs("pdfinfo")
    out = run(["pdfinfo", "-isodates", str(pdf)]).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


def pdf_json(pdf: Path) -> dict:
    """qpdf's JSON of the file: ``pages`` (page object refs, outlines) and ``objects`` by ref."""
    needs("qpdf")
    data = json.loads(run(["qpdf", "--json", "--json-key=pages", "--json-key=qpdf", str(pdf)]).stdout)
    objects = {k[4:]: v.get("value") for k, v in data["qpdf"][1].items() if k.startswith("obj:")}
    return {"pages": data["pages"], "objects": objects}


def pdf_links(pdf: Path) -> list[dict]:
    """Every link annotation: its page (1-based), and the page its destination is on or its URI."""
    data = pdf_json(pdf)
    objects = data["objects"]
    page_no = {p["object"]: i for i, p in enumerate(data["pages"], 1)}
    links = []
    for i, page in enumerate(data["pages"], 1):
        annots = objects[page["object"]].get("/Annots", [])
        if isinstance(annots, str):          # an indirect array
            annots = objects[annots]
        for ref in annots:
            annot = objects[ref] if isinstance(ref, str) else ref
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            uri = (annot.get("/A") or {}).get("/URI")
            links.append({"page": i, "dest_page": page_no.get(dest[0]) if dest else None,
                          "dest_y": dest[3] if dest and len(dest) > 3 else None,
                          "uri": uri[2:] if isinstance(uri, str) and uri.startswith("u:") else uri,
                          "rect": annot.get("/Rect")})
    return links


def pdf_outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page) of each outline (bookmark) entry, depth first, as a reader lists them."""
    needs("qpdf")
    data = json.loads(run(["qpdf", "--json", "--json-key=outlines", str(pdf)]).stdout)

    def walk(items, depth):
        for item in items:
            yield depth, item["title"], item.get("destpageposfrom1")
            yield from walk(item.get("kids", []), depth + 1)
    return list(walk(data["outlines"], 0))


# ---- page breaks --------------------------------------------------------------------------------

_LINE = re.compile(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word[^>]*>([^<]*)</word>")


def page_lines(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's text lines as (top, height, text), from ``pdftotext -bbox-layout``."""
    import html

    needs("pdftotext")
    out = run(["pdftotext", "-bbox-layout", str(pdf), "-"]).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        lines = []
        for top, bottom, body in _LINE.findall(page):
            text = html.unescape(" ".join(_WORD.findall(body)))
            lines.append((float(top), float(bottom) - float(top), squash(text)))
        pages.append(lines)
    return pages


def stranded_headings(pdf: Path, doc, theme) -> list[str]:
    """Pages whose last line of body text is (the end of) a heading: body-sized lines inside the
    text frame, below which only notes (smaller) and page furniture (in the margins) follow."""
    from briefgen.model import Heading, iter_blocks, plain_text

    headings = [squash(_nfc(plain_text(b.children))) for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]
    f, m = theme.fonts, theme.page.margins_mm
    height = {"A4": 841.89, "Letter": 792.0}[theme.page.size]
    top, bottom = m.top * 72 / 25.4, height - m.bottom * 72 / 25.4
    found = []
    for number, lines in enumerate(page_lines(pdf), 1):
        framed = [(y, h, text) for y, h, text in lines if top - 1 <= y and y + h <= bottom + 1]
        if not framed:
            continue
        # a body line's box: the commonest height in the frame; a note's is note_size / size of it
        common = Counter(round(h, 1) for _y, h, _t in framed).most_common(1)[0][0]
        body = [(y, text) for y, h, text in framed if h >= common * (f.note_size + f.size) / (2 * f.size)]
        if not body:
            continue
        last = max(body)[1]
        if len(body) == 1:      # a page that holds a heading and nothing else (an empty annex): no break to fix
            continue
        if len(last) >= 4 and any(h == last or h.endswith(" " + last) for h in headings):
            found.append(f"page {number} ends with the heading '{last}'")
    return found
