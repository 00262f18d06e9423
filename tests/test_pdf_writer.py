"""The PDF writer, checked with real PDF readers (poppler's pdftotext/pdffonts/pdfinfo, qpdf).

Notes start on the page of their mark (a cut note continues, declared, on the next page); fonts are
embedded and render every name; page furniture, outline, links and properties are there; the same
input gives the same bytes; what cannot be printed is a clear RenderError, never a ReportLab trace.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest

from briefgen.errors import RenderError
from briefgen.model import (BulletList, Div, Document, Emph, Figure, Heading, Link, Meta, Note, Para, Strong,
                            Table, Text, notes_of)
from briefgen.theme import load_theme
from briefgen.writers import get_writer
from briefgen.layout import PageLayout, lay_out
from briefgen.writers.pdf import write_pdf

from .clients import (furniture_problems, note_page_problems, pdf_json, pdf_links, pdf_outline, pdf_pages,
                      pdffonts, pdfinfo, pdftotext_pages, qpdf_check, squash)
from .sample_docs import dense_document, sample_document

REPO = Path(__file__).resolve().parent.parent
THEMES = ("default", "embassy")


@pytest.fixture(scope="module")
def themes():
    return {name: load_theme(REPO / "themes" / name) for name in THEMES}


def write(doc: Document, theme, path: Path) -> Path:
    with open(path, "wb") as out:
        write_pdf(doc, theme, out)
    return path


def nfc_pages(pdf: Path) -> list[str]:
    return [unicodedata.normalize("NFC", p) for p in pdftotext_pages(pdf)]


def note(n: int, text: str) -> Note:
    return Note(n, (Text(text),))


def stress_document() -> Document:
    """Notes everywhere a brief can hold them, one note too long for the page, and an annex.

    Each mark follows a word that no note's text contains before a number, so the mark can be
    told from note text in extracted pages."""
    counter = iter(range(1, 1000))
    def nn(text: str) -> Note:
        n = next(counter)
        return note(n, f"{text} [{n}]")
    blocks: list = [Heading(1, (Text("Stress"),), "stress")]
    for p in range(6):
        children = []
        for s in range(3):
            children += [Text(f"Body sentence {s} of para {p} that runs on for a while to fill lines"),
                         nn("Short source note."), Text(". ")]
        blocks.append(Para(tuple(children)))
    blocks.append(Para((Text("A paragraph whose single note is very long"),
                        nn(" ".join(["This note is very long and keeps going to test its continuation."] * 150)),
                        Text(" and then the sentence ends."))))
    blocks.append(BulletList((
        (Para((Text("First list item"), nn("List source."))),),
        (Para((Text("Second list item"),)), BulletList(((Para((Text("Nested list item"), nn("Nested source."))),),))),
    )))
    rows = tuple(((Text(f"Row {i}"),), (Text(f"Cell {i} with a mark"), nn(f"Table source, row {i}.")))
                 for i in range(25))
    blocks.append(Table(header=((Text("Col A"),), (Text("Col B"),)), rows=rows,
                        caption=(Text("A table with a long mark"), nn("Caption source."))))
    blocks.append(Div("box", tuple(Para((Text(f"Box line {i} with a mark"), nn("Box source."))) for i in range(6)),
                      title="Lines to take"))
    for p in range(10):
        blocks.append(Para((Text("Filler paragraph with a note to keep things busy " * 4),
                            nn("Filler source " * (1 + p % 4)))))
    blocks.append(Div("annex", (Heading(1, (Text("Annex A: Sources"),), "annex-a"),
                                Para((Text("Annex text with a mark"), nn("Annex source."))))))
    meta = Meta(title="Stress test brief", short_title="Stress short", marking="OFFICIAL",
                date=dt.date(2026, 11, 23), doc_type="Assessment", reference="BG-STRESS")
    return Document(meta=meta, blocks=tuple(blocks))


DOCS = {"sample": sample_document, "dense": lambda: dense_document(64), "stress": stress_document}


@pytest.fixture(scope="module")
def built(tmp_path_factory, themes):
    """Every test document in every theme, written once: (doc, pdf path, NFC page texts)."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for doc_name, make in DOCS.items():
        for theme_name, theme in themes.items():
            doc = make()
            path = write(doc, theme, folder / f"{doc_name}-{theme_name}.pdf")
            out[doc_name, theme_name] = (doc, path, nfc_pages(path))
    return out


CASES = [(d, t) for d in DOCS for t in THEMES]


def test_the_registry_entry_is_this_writer():
    assert get_writer("pdf") is write_pdf


def test_reportlab_url_pattern_is_compiled_in_an_equivalent_quick_form():
    """``platypus.load`` compiles ReportLab's case-insensitive URL pattern (20 ms) in an equivalent
    form without IGNORECASE (1 ms): every rewritten part matches exactly the characters the original
    matches, over all code points, and the whole pattern gives the same matches on URL-like words."""
    import json
    import subprocess
    import sys

    from briefgen.layout import platypus

    every = "".join(map(chr, range(0x110000)))
    letters = platypus._LETTERS
    singles = [("[a-z]", f"[{letters}]")] + [(c, f"[{c}{c.upper()}{'ſ' if c == 's' else ''}]") for c in "xnlocahst"]
    for part, same in [p for p in platypus.URL_PATTERN_PARTS if p[0].startswith("[") and p[0].endswith("]")] + singles:
        assert set(re.findall(part, every, re.IGNORECASE)) == set(re.findall(same, every)), part
    original = re.compile(platypus.URL_PATTERN, re.IGNORECASE)
    quick = re.compile(platypus._equivalent(platypus.URL_PATTERN))
    words = ["https://example.org/a/b", "HTTP://192.168.0.1:8080/x?y=1", "ftp://user@host.example/", "https://",
             "HTTPS://ÉXAMPLE.FR/ÇA", "https://xn--e1afmkfd.xn--p1ai/путь", "HTTP://XN--P1AI", "http://LOCALHOST:8000",
             "http://localhoſt", "http://\u212aelvin.org", "ſ://ex.org", "http://[::1]:80/", "http://[DEAD:BEEF::1]",
             "https://-bad.org", "https://ex-.org", "https://a.b-c.d", "example.org", "neighbouring", "Erdoğan", "",
             "https://example.org/" + "a" * 300, "mailto:x@y.org", "https://ex.org.", "https://t.co/Aa9?Q=#Z"]
    groups = lambda m: m and (m.span(), m.groups())
    assert [groups(quick.match(w)) for w in words] == [groups(original.match(w)) for w in words]
    assert sum(1 for w in words if original.match(w)) > 10
    code = """
import re, json
compile_before = re.compile
from briefgen.layout import platypus
platypus.load()
from reportlab.platypus import paragraph
print(json.dumps([paragraph.uri_pat.pattern == platypus._equivalent(platypus.URL_PATTERN),
                  bool(paragraph.uri_pat.flags & re.IGNORECASE), re.compile is compile_before,
                  paragraph._uri_split_pairs("https://example.org/a/b")]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert json.loads(done.stdout) == [True, False, True, [["https://example.org/a/", "b"], ["https://example.org/", "a/b"],
                                                           ["https://", "example.org/a/b"]]]


@pytest.mark.parametrize("doc_name,theme_name", CASES)
def test_each_note_starts_on_the_page_of_its_mark(built, doc_name, theme_name):
    doc, _path, pages = built[doc_name, theme_name]
    assert note_page_problems(doc, pages) == []


@pytest.mark.parametrize("theme_name", THEMES)
def test_a_note_too_long_for_the_page_continues_declared_on_the_next(built, theme_name):
    doc, _path, pages = built["stress", theme_name]
    long_note = next(n for n in notes_of(doc) if len(n.children[0].text) > 2000)
    n = long_note.number
    mark_page = next(i for i, p in enumerate(pages) if re.search(rf"very long\s?{n}(?!\d)", p))
    head = re.compile(rf"(?m)^\s*{n}\s+This note is very long")
    cont = re.compile(rf"(?m)^\s*{n}\s+\(continued\)")
    assert head.search(pages[mark_page])
    assert not cont.search(pages[mark_page])
    assert cont.search(pages[mark_page + 1]), "the rest of the note opens the next page's notes"
    assert f"[{n}]" not in pages[mark_page] and f"[{n}]" in squash(" ".join(pages[mark_page + 1:]))
    # only this note is declared continued, on the pages right after its mark, and no other
    # note leaves the page of its mark
    continued = [(i, int(m)) for i, p in enumerate(pages) for m in re.findall(r"(?m)^\s*(\d+)\s+\(continued\)", p)]
    assert [number for _, number in continued] == [n] * len(continued)
    assert [i for i, _ in continued] == list(range(mark_page + 1, mark_page + 1 + len(continued)))
    assert note_page_problems(doc, pages) == []


@pytest.mark.parametrize("doc_name,theme_name", CASES)
def test_note_marks_link_to_their_notes_on_the_same_page(built, doc_name, theme_name):
    doc, path, _pages = built[doc_name, theme_name]
    internal = [link for link in pdf_links(path) if link["uri"] is None]
    marks = len(notes_of(doc))
    assert len(internal) == marks
    assert all(link["dest_page"] == link["page"] for link in internal), internal
    # the destination is below the mark: at the foot of the page
    assert all(link["dest_y"] < link["rect"][1] for link in internal)


def test_dense_notes_sit_at_the_foot_of_their_pages(built):
    doc, path, pages = built["dense", "default"]
    assert 3 <= len(pages) <= 5          # 64 notes in a few pages, not one page per note
    assert note_page_problems(doc, pages) == []
    for page in pages:
        page = re.sub(r"(?m)^[ \t]*(\d+)[ \t]*\n[ \t]*", r"\1 ", page)   # a raised number: a line of its own
        lines = [line for line in page.splitlines() if line.strip()]
        body = [i for i, line in enumerate(lines) if "Sentence" in line]
        notes = [i for i, line in enumerate(lines) if re.match(r"\s*\d+\s+A long note", line)]
        assert body and notes and max(body) < min(notes)
        assert "Page" in lines[-2] and max(notes) >= len(lines) - 12   # notes end just above the footer


# ---- fonts and text ----------------------------------------------------------------------------------

# the Office fonts' metric twins: the PDF cannot embed Arial or Times New Roman themselves
@pytest.mark.parametrize("theme_name,family", [("default", "LiberationSans"), ("embassy", "LiberationSerif")])
def test_every_font_is_embedded_truetype(built, theme_name, family):
    _doc, path, _pages = built["sample", theme_name]
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] == "yes" and f["type"] == "TrueType" for f in fonts), fonts
    names = " ".join(f["name"] for f in fonts)
    assert family in names
    assert "Helvetica" not in names and "Times" not in names


@pytest.mark.parametrize("theme_name", THEMES)
def test_names_in_latin_extended_and_cyrillic_round_trip(built, theme_name):
    _doc, _path, pages = built["sample", theme_name]
    text = squash(" ".join(pages))
    for name in ("Recep Tayyip Erdoğan", "İlham Əliyev", "Никол Пашинян", "“Russia and Turkey.”"):
        assert name in text


def test_markup_like_text_is_printed_literally(tmp_path, themes):
    nasty = "<b>not bold</b> &amp; <font color='red'>x</font> <br/> a & b ]]>"
    doc = Document(Meta(title=f"Title {nasty}", date=dt.date(2026, 11, 23)), (
        Heading(1, (Text(f"Heading {nasty}"),), "h"),
        Para((Text(f"Para {nasty}"), note(1, f"Note {nasty}"))),
        Table(header=((Text("H"),),), rows=(((Text(f"Cell {nasty}"),),),)),
    ))
    text = squash(" ".join(nfc_pages(write(doc, themes["default"], tmp_path / "m.pdf"))))
    for where in ("Title", "Heading", "Para", "Note", "Cell"):
        assert f"{where} {nasty}" in text, where


@pytest.mark.parametrize("theme_name", THEMES)
def test_a_url_longer_than_a_line_is_printed_whole(tmp_path, themes, theme_name):
    # ReportLab's URL splitting (uriWasteReduce) splits a URL once and then lets the rest run off
    # the page when it is still longer than a line: a bibliography entry lost its address's end
    url = "http://www.understandingwar.org/backgrounder/erdogan-seeks-upend-kremlin-backed-status-quo-nagorno-karabakh"
    doc = Document(Meta(title="Sources"), (Div("bibliography", (Para((
        Text("[3] Clark, M., and E. Yazici. "),
        Emph((Text("Erdogan Seeks to Upend Kremlin-Backed Status Quo in Nagorno-Karabakh"),)),
        Text(". Institute for the Study of War, 2020. "), Link((Text(url),), url), Text(". Cited in a journal."))),)),))
    text = re.sub(r"\s+", "", " ".join(nfc_pages(write(doc, themes[theme_name], tmp_path / "u.pdf"))))
    assert url in text and "Citedinajournal." in text


def test_spaces_and_hyphens_without_a_glyph_are_set_as_their_plain_forms(tmp_path, themes):
    # narrow/thin spaces, non-breaking hyphen and invisible format characters, common in pasted text
    doc = Document(Meta(title="Spaces"), (Para((Text("10\u202f000 troops, thin\u2009space, "
                                                    "Nagorno\u2011Karabakh, zero\u200bwidth, soft\u00adhyphen"),)),))
    text = squash(" ".join(nfc_pages(write(doc, themes["embassy"], tmp_path / "s.pdf"))))
    assert "10 000 troops, thin space, Nagorno-Karabakh, zerowidth, softhyphen" in text


def test_text_is_cleaned_the_same_on_the_quick_path_for_plain_ascii():
    from briefgen.layout import markup

    def slow(text):
        return unicodedata.normalize("NFC", markup._CONTROL.sub("", markup._SPACEY.sub(" ", text))).translate(
            markup._SUBSTITUTES)
    samples = ["plain words, 10 km.", "tab\there", "new\nline", "bell\x07", "del\x7f", "", "Erdog\u0306an",
               "\u0259liyev", "10\u202f000", "soft\u00adhyphen"] + [chr(c) * 2 + "x" for c in range(0x180)]
    assert [markup.clean(t) for t in samples] == [slow(t) for t in samples]
    assert markup.clean("Erdog\u0306an") == "Erdo\u011fan" and markup.clean("a\tb\x7f") == "a b"


@pytest.mark.parametrize("where,doc_change,expect", [
    ("paragraph", lambda d: dataclasses.replace(d, blocks=(Para((Text("Meeting with شكرا today"),)),)),
     "in paragraph 'Meeting with شكرا today'"),
    ("note", lambda d: dataclasses.replace(d, blocks=(Para((Text("x"), note(1, "Source 中文 title"))),)),
     "in note 1 'Source 中文 title'"),
    ("title", lambda d: dataclasses.replace(d, meta=dataclasses.replace(d.meta, title="Title 中")),
     "in the title"),
])
def test_a_character_no_font_covers_is_named_before_writing(themes, where, doc_change, expect):
    doc = doc_change(sample_document())
    out = io.BytesIO()
    with pytest.raises(RenderError) as info:
        write_pdf(doc, themes["default"], out)
    message = str(info.value)
    assert expect in message
    assert re.search(r"U\+(0634|4E2D) (ARABIC LETTER SHEEN|CJK UNIFIED IDEOGRAPH-4E2D)", message)
    assert out.getvalue() == b"", "nothing is written when the check fails"
    with pytest.raises(RenderError):
        lay_out(doc, themes["default"], draw=False)


# ---- page furniture, outline, properties ---------------------------------------------------------------

@pytest.mark.parametrize("doc_name,theme_name", CASES)
def test_marking_on_every_page_and_page_x_of_y(built, doc_name, theme_name):
    doc, path, pages = built[doc_name, theme_name]
    assert len(pages) == pdf_pages(path)
    marking = load_theme(REPO / "themes" / theme_name).marking_text(doc.meta.marking)
    assert marking
    assert furniture_problems(pages, marking) == []
    assert "Page 1 of" in pages[0]


def test_no_marking_means_no_banner(tmp_path, themes):
    pages = nfc_pages(write(sample_document(marking=""), themes["default"], tmp_path / "n.pdf"))
    assert "OFFICIAL" not in " ".join(pages)
    assert furniture_problems(pages, "") == []


@pytest.mark.parametrize("theme_name", THEMES)
def test_running_header_from_page_two_and_title_block_on_page_one(built, theme_name):
    doc, _path, pages = built["stress", theme_name]
    assert len(pages) >= 3

    def head(page: str) -> str:
        return " ".join([line for line in page.splitlines() if line.strip()][:2])
    assert "Stress short" not in pages[0]
    assert all("Stress short" in head(p) for p in pages[1:])
    if theme_name == "embassy":
        assert all("Policy Planning Staff" in head(p) for p in pages[1:])
        assert all("Prepared with briefgen" in p for p in pages)
    first = squash(pages[0])
    assert "Assessment BG-STRESS Stress test brief Date: 23 November 2026" in first


def test_title_block_lines(built):
    _doc, _path, pages = built["sample", "default"]
    text = squash(pages[0])
    # document type at the left margin and reference flush right, on one line, as in the DOCX
    assert re.search(r"(?m)^Submission {20,}BG-2026-001$", pages[0])
    assert ("Submission BG-2026-001 Russia and the 2020 Nagorno-Karabakh war Moscow's position and aims "
            "Date: 23 November 2026 · Information as of 20 November 2026 "
            "Eastern Europe and Central Asia Directorate · Policy Unit") in text


def test_disclaimer_in_the_title_block(tmp_path, themes):
    doc = sample_document()
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, disclaimer="Not government policy."))
    pages = nfc_pages(write(doc, themes["default"], tmp_path / "d.pdf"))
    assert "Policy Unit Not government policy. Issue" in squash(pages[0])


@pytest.mark.parametrize("theme_name,size", [("default", "595.276 x 841.89 pts (A4)"),
                                              ("embassy", "612 x 792 pts (letter)")])
def test_page_size_and_properties(built, theme_name, size):
    doc, path, _pages = built["sample", theme_name]
    info = pdfinfo(path)
    assert info["Page size"] == size
    assert info["Title"] == doc.meta.title
    assert info["Author"] == doc.meta.author
    assert info["Subject"] == doc.meta.subject
    assert info["Keywords"] == "Russia, Nagorno-Karabakh, CSTO"
    assert info["CreationDate"].startswith("2026-11-23")
    catalog = next(v for v in pdf_json(path)["objects"].values()
                   if isinstance(v, dict) and v.get("/Type") == "/Catalog")
    assert catalog["/Lang"] == "u:en-GB"


def test_outline_from_headings(built):
    _doc, path, _pages = built["sample", "default"]
    assert pdf_outline(path) == [(0, "Issue", 1), (1, "Background", 1), (0, "Sources", 1)]
    _doc, path, pages = built["stress", "default"]
    outline = pdf_outline(path)
    assert [title for _, title, _ in outline] == ["Stress", "Annex A: Sources"]
    assert outline[-1][2] == len(pages)


def test_an_annex_starts_on_a_new_page(built):
    _doc, _path, pages = built["stress", "default"]
    annex = next(i for i, p in enumerate(pages) if "Annex A: Sources" in p)
    body_lines = [line.strip() for line in pages[annex].splitlines() if line.strip()]
    assert body_lines[2] == "Annex A: Sources"      # after the banner and the running header
    assert "Filler paragraph" in pages[annex - 1]


# ---- reproducibility and measuring ---------------------------------------------------------------

def test_same_input_same_bytes(themes):
    a, b = io.BytesIO(), io.BytesIO()
    write_pdf(stress_document(), themes["embassy"], a)
    write_pdf(stress_document(), themes["embassy"], b)
    assert a.getvalue() == b.getvalue()
    assert a.getvalue().startswith(b"%PDF-")


def test_creation_date_without_a_brief_date_follows_source_date_epoch(tmp_path, themes, monkeypatch):
    doc = sample_document()
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, date=None))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")          # 2023-11-14T22:13:20Z
    info = pdfinfo(write(doc, themes["default"], tmp_path / "e.pdf"))
    assert info["CreationDate"].startswith("2023-11-14T22:13:20")


@pytest.mark.parametrize("doc_name,theme_name", CASES)
def test_measure_matches_the_written_file(built, themes, doc_name, theme_name):
    doc, path, pages = built[doc_name, theme_name]
    m = lay_out(doc, themes[theme_name], draw=False)
    assert isinstance(m, PageLayout)
    assert m.pages == pdf_pages(path) == len(pages)
    annex = next((i + 1 for i, p in enumerate(pages) if "Annex A: Sources" in p), None)
    assert m.body_pages == (annex - 1 if annex else m.pages)
    assert 0 < m.last_body_page_fill <= 1


def test_fill_grows_with_content(themes):
    def doc(paragraphs: int) -> Document:
        return Document(Meta(title="Fill", date=dt.date(2026, 11, 23)),
                        tuple(Para((Text("Some words to fill a line of text. " * 6),)) for _ in range(paragraphs)))
    fills = [lay_out(doc(n), themes["default"], draw=False) for n in (1, 5, 10)]
    assert [m.pages for m in fills] == [1, 1, 1]
    assert fills[0].last_body_page_fill < 0.3 < fills[1].last_body_page_fill < fills[2].last_body_page_fill
    two = lay_out(doc(40), themes["default"], draw=False)
    assert two.pages >= 2 and two.body_pages == two.pages


# ---- bad input ----------------------------------------------------------------------------------------

def test_oversize_tables_and_images_are_scaled_or_split(tmp_path, themes):
    from PIL import Image as PILImage

    big = tmp_path / "big.png"
    PILImage.new("RGB", (4000, 9000), "navy").save(big)
    word = "Supercalifragilisticexpialidocious" * 3
    doc = Document(Meta(title="Oversize", date=dt.date(2026, 11, 23)), (
        Table(header=tuple((Text(f"H{i}"),) for i in range(12)), rows=(tuple((Text(word),) for _ in range(12)),)),
        Table(header=tuple((Text(f"Column {i}"),) for i in range(7)),
              rows=(tuple((Text(f"Nagorno-Karabakh{i}"),) for i in range(7)),)),
        Table(header=((Text("A"),), (Text("B"),)),
              rows=(((Text("x"),), (Text("tall " * 2500 + "row end"), note(1, "Tall row source."))),)),
        Figure(str(big), "A navy rectangle", (Text("Figure caption"),)),
    ))
    path = write(doc, themes["default"], tmp_path / "o.pdf")
    qpdf_check(path)
    pages = nfc_pages(path)
    text = squash(" ".join(pages))
    assert all(f"H{i}" in text for i in range(12))
    # seven columns of long words: set smaller, but no word broken
    assert all(f"Nagorno-Karabakh{i}" in text for i in range(7))
    assert "row end" in text and "Figure caption" in text
    assert note_page_problems(doc, pages) == []
    assert lay_out(doc, themes["default"], draw=False).pages == len(pages)


def test_a_missing_image_is_a_render_error(themes):
    doc = Document(Meta(title="Img"), (Figure("/no/such/image.png", "alt"),))
    with pytest.raises(RenderError, match="image '/no/such/image.png' not found"):
        write_pdf(doc, themes["default"], io.BytesIO())


def test_a_layout_that_cannot_fit_is_a_render_error_not_a_reportlab_trace(themes):
    # one line carrying more notes than a page can hold
    marks = tuple(x for i in range(1, 60) for x in (Text("w"), note(i, f"Source {i} " * 12)))
    doc = Document(Meta(title="Impossible"), (Para(marks),))
    with pytest.raises(RenderError) as info:
        write_pdf(doc, themes["default"], io.BytesIO())
    assert "layout failed" in str(info.value) and info.value.hint


@pytest.mark.parametrize("doc_name", list(DOCS))
def test_qpdf_finds_no_errors(built, doc_name):
    for theme_name in THEMES:
        _doc, path, _pages = built[doc_name, theme_name]
        assert "No syntax or stream encoding errors" in qpdf_check(path)


def test_emphasis_and_strong_use_the_families_italic_and_bold(tmp_path, themes):
    doc = Document(Meta(title="Faces"), (Para((Emph((Text("italic"),)), Text(" "), Strong((Text("bold"),)),
                                              Text(" "), Strong((Emph((Text("both"),)),)))),))
    names = {f["name"].split("+")[-1] for f in pdffonts(write(doc, themes["embassy"], tmp_path / "f.pdf"))}
    assert {"LiberationSerif-Italic", "LiberationSerif-Bold", "LiberationSerif-BoldItalic"} <= names
