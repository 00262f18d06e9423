"""The tagged PDF (PDF/UA-1), read back by tools we did not write: the `pdfua` checker finds no error
in any example; poppler's structure tree (`pdfinfo -struct-text`) has the headings as H1-H3 and the
body text in the Markdown writer's order, one element per paragraph even across pages, with no
marking or page number inside it; pikepdf reads the catalog, pages, figures and links."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

from briefgen import build
from briefgen.model import (Div, Emph, Figure, Heading, Link, Note, Para, Strong, Table, iter_blocks, notes_of,
                            plain_text)
from briefgen.theme import load_theme
from briefgen.writers.markdown import render_markdown
from briefgen.writers.pdf import write_pdf

from .clients import needs, run
from .sample_docs import sample_document
from .test_pdf_writer import stress_document

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

pytestmark = pytest.mark.clients


@dataclass
class Node:
    """One structure element as poppler lists it: its type, text and children."""
    type: str
    id: str = ""
    text: list[str] = field(default_factory=list)
    kids: list["Node"] = field(default_factory=list)

    def walk(self, skip=("Note",)):
        yield self
        for kid in self.kids:
            if kid.type not in skip:
                yield from kid.walk(skip)

    def all_text(self) -> str:
        return "".join(self.text) + "".join(k.all_text() for k in self.kids)


def structure(pdf: Path) -> Node:
    """``pdfinfo -struct-text`` parsed into a tree (indentation gives the depth)."""
    needs("pdfinfo")
    root = Node("(root)")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for line in run(["pdfinfo", "-struct-text", str(pdf)]).stdout.splitlines():
        depth = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if not body:
            continue
        while stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith('"'):
            parent.text.append(body[1:-1] if body.endswith('"') else body[1:])
        elif body.startswith("/"):
            continue                                  # an attribute line (e.g. /Scope /Column)
        else:
            m = re.match(r"([A-Za-z0-9]+):?(?: <([^>]*)>)?", body)
            node = Node(m.group(1), m.group(2) or "")
            parent.kids.append(node)
            stack.append((depth, node))
    (document,) = root.kids
    assert document.type == "Document"
    return document


LEAVES = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "LBody", "TH", "TD", "Caption"}


def body_leaves(document: Node) -> list[tuple[str, str]]:
    """(type, text) of each element that holds text directly, in reading order, notes left out."""
    return [(n.type, "".join(n.text).strip()) for n in document.walk() if n.type in LEAVES and n.text]


def squeeze(text: str) -> str:
    """Text without whitespace (the PDF's lines end in a space; Markdown's own line breaks differ)
    and without word joiners (briefgen.nobreak: the PDF, which never breaks there, drops them)."""
    return re.sub(r"[\s\u2060]+", "", text)


def markdown_body(md: str) -> str:
    """The Markdown writer's body as plain text (front matter, note texts, markup and ids left out)."""
    body = md.split("\n---\n", 1)[1]
    body = re.sub(r"(?m)^\[\^\d+\]: .*$", "", body)              # the note texts
    body = re.sub(r"(?m)^:{3,}.*$", "", body)                     # div fences
    body = re.sub(r" \{#[^}]*\}", "", body)                       # heading ids
    body = re.sub(r"\[\^(\d+)\]", r"\1", body)                    # note marks: their numbers, as printed
    body = re.sub(r"\]\(<[^>]*>\)", "", body)                     # link targets
    body = re.sub(r"(?<!\\)[*#\[]", "", body)                     # emphasis, heading and link markup
    body = re.sub(r"\\(.)", r"\1", body)                          # escapes
    return squeeze(body)


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory) -> dict[str, tuple]:
    out = tmp_path_factory.mktemp("tagged")
    built = {}
    for spec in EXAMPLES:
        result = build(spec, formats="pdf,md", out_dir=out, strict=True)
        built[spec.stem] = (result, result.outputs["pdf"], result.outputs["md"].read_text(encoding="utf-8"))
    return built


def test_pdfua_finds_no_error_in_any_example(example_pdfs) -> None:
    pdfs = [str(pdf) for _, pdf, _ in example_pdfs.values()]
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", *pdfs],
                          capture_output=True, text=True, timeout=300)
    reports, decoder, at = [], json.JSONDecoder(), 0
    while done.stdout[at:].strip():          # one JSON report per file, one after another
        report, end = decoder.raw_decode(done.stdout[at:].lstrip())
        at = len(done.stdout) - len(done.stdout[at:].lstrip()) + end
        reports.append(report)
    assert [r["file"] for r in reports] == pdfs, done.stderr
    for report in reports:
        assert report["summary"]["errors"] == 0, (report["file"], report["findings"])
        assert report["findings"] == [], (report["file"], report["findings"])    # warnings neither


@pytest.mark.parametrize("name", [s.stem for s in EXAMPLES])
def test_headings_and_body_text_follow_the_markdown_writer(name: str, example_pdfs) -> None:
    result, pdf, md = example_pdfs[name]
    doc = result.assembly.document
    document = structure(pdf)
    leaves = body_leaves(document)
    # the title block: the title is the only H1; every section heading is an H2 or H3
    assert [t for t, text in leaves if t == "H1"] == ["H1"]
    assert ("H1", doc.meta.title) in [(t, text) for t, text in leaves]
    heads = [t for t, _ in leaves if re.fullmatch(r"H\d", t)]
    assert set(heads) <= {"H1", "H2", "H3"} and "H2" in heads
    expected_heads = [f"H{b.level + 1}" for b in iter_blocks(doc.blocks) if isinstance(b, Heading)]
    assert heads[1:] == expected_heads
    # from the first section on, each element's text is the next stretch of the Markdown writer's text
    text = markdown_body(md)
    first = next(i for i, (t, _) in enumerate(leaves) if t == "H2")
    at = 0
    before = body_leaves_before_first_heading(doc)
    for kind, element_text in leaves[first - before:]:
        found = text.find(squeeze(element_text), at)
        assert found >= 0, f"{kind} {element_text[:80]!r} not next in the Markdown text after {text[at:at + 80]!r}"
        at = found + len(squeeze(element_text))
    assert len(text) - at < 40, f"Markdown text not in the PDF's tree: {text[at:at + 200]!r}"


def body_leaves_before_first_heading(doc) -> int:
    """Body paragraphs before the brief's first heading (the analyst brief opens with one)."""
    n = 0
    for block in doc.blocks:
        if isinstance(block, Heading) or (isinstance(block, Div) and block.kind == "annex"):
            break
        n += sum(1 for b in iter_blocks((block,)) if isinstance(b, Para))
    return n


@pytest.mark.parametrize("name", [s.stem for s in EXAMPLES])
def test_no_marking_or_page_number_inside_the_text(name: str, example_pdfs) -> None:
    result, pdf, _ = example_pdfs[name]
    document = structure(pdf)
    marking = result.assembly.document.meta.marking
    for node in document.walk(skip=()):
        text = "".join(node.text)
        assert not re.search(r"Page \d+ of \d+", text), (node.type, text)
        if marking:
            assert marking not in text, (node.type, text)
    notes = {n.number: n for n in notes_of(result.assembly.document)}
    found = {int(n.id[2:]): n for n in document.walk(skip=()) if n.type == "Note"}
    assert sorted(found) == sorted(notes)
    for number, node in found.items():
        assert squeeze(node.all_text()).startswith(str(number)), node.all_text()[:60]


def printed(inlines) -> str:
    """A paragraph's text as the PDF prints it: each note mark as its number."""
    return "".join(str(node.number) if isinstance(node, Note) else plain_text((node,)) if not
                   isinstance(node, (Emph, Strong, Link)) else printed(node.children) for node in inlines)


@pytest.fixture(scope="module")
def stress_pdf(tmp_path_factory):
    doc = stress_document()
    path = tmp_path_factory.mktemp("stress") / "stress.pdf"
    with open(path, "wb") as out:
        write_pdf(doc, load_theme(REPO / "themes" / "default"), out)
    return doc, path


def test_one_element_per_paragraph_across_pages_and_a_note_continued_is_one_note(stress_pdf) -> None:
    doc, pdf = stress_pdf
    document = structure(pdf)
    paras = [b for b in iter_blocks(doc.blocks) if isinstance(b, Para)]
    ps = [n for n in document.walk() if n.type in ("P", "LBody") and n.text]
    # every paragraph of the body is exactly one element holding all its text, its marks included
    texts = [squeeze("".join(n.text)) for n in ps]
    for para in paras:
        assert texts.count(squeeze(printed(para.children))) == 1, printed(para.children)[:60]
    long_note = next(n for n in notes_of(doc) if len(plain_text(n.children)) > 2000)
    (note,) = [n for n in document.walk(skip=()) if n.type == "Note" and n.id == f"fn{long_note.number}"]
    assert len(note.text) >= 2 and all("(continued)" in part for part in note.text[1:])
    assert squeeze(plain_text(long_note.children)) in re.sub(r"\d*\(continued\)", "", squeeze(note.all_text()))


def test_a_table_split_across_pages_keeps_one_header_row_and_every_row(stress_pdf) -> None:
    doc, pdf = stress_pdf
    (table_block,) = [b for b in iter_blocks(doc.blocks) if isinstance(b, Table)]
    (table,) = [n for n in structure(pdf).walk() if n.type == "Table"]
    rows = [n for n in table.kids if n.type == "TR"]
    assert len(rows) == len(table_block.rows) + 1
    assert [k.type for k in rows[0].kids] == ["TH", "TH"] and all(
        [k.type for k in r.kids] == ["TD", "TD"] for r in rows[1:])
    assert [k.type for k in table.kids] == ["TR"] * len(rows) + ["Caption"]
    with pikepdf.open(pdf) as p:
        scopes = [str(e.A.Scope) for e in _elements(p) if e.S == "/TH"]
    assert scopes == ["/Column", "/Column"]


def _elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first in reading order."""
    def walk(node):
        if isinstance(node, pikepdf.Array):
            for item in node:
                yield from walk(item)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            yield node
            yield from walk(node.get("/K", pikepdf.Array()))
    yield from walk(pdf.Root.StructTreeRoot.K)


def test_catalog_pages_figures_and_links_as_pdf_ua_asks(tmp_path) -> None:
    theme = load_theme(REPO / "themes" / "embassy")
    doc = sample_document()
    logo_copy = tmp_path / "map.png"
    logo_copy.write_bytes((REPO / "themes" / "embassy" / "logo.png").read_bytes())
    from briefgen.model import Document, Text

    doc = Document(doc.meta, doc.blocks + (Figure(str(logo_copy), "Map of the ceasefire line", (Text("The line"),)),))
    path = tmp_path / "tagged.pdf"
    with open(path, "wb") as out:
        write_pdf(doc, theme, out)
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert all(page.obj.Tabs == "/S" for page in pdf.pages)
        figures = [e for e in _elements(pdf) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Embassy Policy Planning Staff", "Map of the ceasefire line"]
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert links and all(str(a.Contents) and "/StructParent" in a for a in links)
        assert {str(a.Contents) for a in links} >= {"Note 1", "Note 2", "Note 3",
                                                    "Link to http://en.kremlin.ru/events/president/news/64384"}
        # each link annotation is reached from a Link element, whose parent holds the mark
        objrs = [k for e in _elements(pdf) if e.S == "/Link"
                 for k in ([e.K] if isinstance(e.K, pikepdf.Dictionary) else list(e.K)) if k.get("/Type") == "/OBJR"]
        assert sorted(o.Obj.objgen for o in objrs) == sorted(a.objgen for a in links)
        notes = [e for e in _elements(pdf) if e.S == "/Note"]
        assert [str(n.ID) for n in notes] == ["fn1", "fn2", "fn3"]
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == doc.meta.title
        assert xmp["pdfuaid:part"] == "1"
        assert "en-GB" in str(xmp["dc:language"])


def test_the_tagged_pdf_is_the_same_bytes_each_time(tmp_path) -> None:
    theme = load_theme(REPO / "themes" / "default")
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    for path in (one, two):
        with open(path, "wb") as out:
            write_pdf(sample_document(), theme, out)
    assert one.read_bytes() == two.read_bytes()
