"""Notes look the same in the DOCX and the PDF: the theme chooses how a note's number is set at the
foot of the page (``note_numbers``: raised and small, or full size hanging), and both writers set it so."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from briefgen.model import Document, Meta, Note, Para, Text
from briefgen.theme import load_theme
from briefgen.writers import get_writer

from . import clients

REPO = Path(__file__).resolve().parent.parent
DOC = Document(Meta(title="Notes"), (Para((Text("A sentence with a note."), Note(1, (Text("The note's own text."),)))),))


def _theme(style: str):
    return load_theme(REPO / "themes" / "default").model_copy(update={"note_numbers": style})


@pytest.mark.parametrize("style,docx_style", [("superscript", "FootnoteReference"), ("hanging", "FootnoteNumber")])
def test_the_docx_sets_the_number_as_the_theme_says(style: str, docx_style: str) -> None:
    out = io.BytesIO()
    get_writer("docx")(DOC, _theme(style), out)
    notes = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/footnotes.xml").decode()
    note = notes[notes.index('w:id="1"'):]
    assert re.search(rf'<w:rStyle w:val="{docx_style}"/></w:rPr><w:footnoteRef/>', note)
    styles = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/styles.xml").decode()
    raised = re.search(rf'w:styleId="{docx_style}".*?</w:style>', styles, re.S).group(0)
    assert ('w:val="superscript"' in raised) == (style == "superscript")


@pytest.mark.clients
@pytest.mark.parametrize("style", ["superscript", "hanging"])
def test_the_pdf_sets_the_number_as_the_theme_says(style: str, tmp_path: Path) -> None:
    pdf = tmp_path / "n.pdf"
    with pdf.open("wb") as out:
        get_writer("pdf")(DOC, _theme(style), out)
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                       clients.run(["pdftotext", "-bbox", str(pdf), "-"]).stdout)
    at = next(i for i, w in enumerate(words) if w[2] == "The")       # the note's first word
    number, text = words[at - 1], words[at]
    assert number[2] == "1"
    height = lambda w: float(w[1]) - float(w[0])  # noqa: E731
    if style == "superscript":
        assert height(number) < 0.8 * height(text) and float(number[1]) < float(text[1])    # small, raised
    else:
        assert abs(height(number) - height(text)) < 0.5                                     # full size
