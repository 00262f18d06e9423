"""The DOCX writer: real footnotes, Word structure, page furniture, properties, reproducible bytes,
bad input; then what pandoc and LibreOffice make of the file (tests marked ``clients``)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.errors import BuildWarning, RenderError, ThemeError
from briefgen.model import (BulletList, Div, Document, Emph, Figure, Heading, Link, Meta, Note, Para,
                            Table, Text, notes_of)
from briefgen.theme import Theme, load_theme
from briefgen.writers import get_writer
from briefgen.writers.docx import write_docx
from briefgen.writers.docx.package import BUNDLED_REFERENCE
from tests import clients
from tests.sample_docs import dense_document, sample_document

REPO = Path(__file__).resolve().parent.parent
DEFAULT = load_theme(REPO / "themes" / "default")
EMBASSY = load_theme(REPO / "themes" / "embassy")
BRAND = load_theme(REPO / "themes" / "brand")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}


def render(doc: Document, theme: Theme = DEFAULT) -> bytes:
    out = io.BytesIO()
    write_docx(doc, theme, out)
    return out.getvalue()


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def xp(root, expr: str) -> list:
    """XPath (ElementPath cannot test nested paths such as ``w:r[w:rPr/w:i]``)."""
    return etree.XPath(expr, namespaces=NS)(root)


def texts(root, path: str = ".//w:p") -> list[str]:
    """The text of each matching paragraph."""
    return ["".join(p.itertext()) for p in root.iterfind(path, NS)]


def one_doc(*blocks, **meta) -> Document:
    fields = {"title": "Test brief", "date": dt.date(2026, 11, 23), **meta}
    return Document(meta=Meta(**fields), blocks=tuple(blocks))


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    """A small grey PNG, written by hand (no imaging library needed)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render(sample_document())


@pytest.fixture(scope="module")
def dense() -> bytes:
    return render(dense_document(64))


# ---- package ----------------------------------------------------------------------------------

def test_registry_names_this_writer():
    assert get_writer("docx") is write_docx


@pytest.mark.parametrize("make", [lambda: render(sample_document()), lambda: render(dense_document(64)),
                                  lambda: render(sample_document(), EMBASSY)],
                         ids=["sample", "dense", "embassy"])
def test_every_part_is_well_formed_and_typed(make):
    data = make()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names[0] == "[Content_Types].xml"
        strict = etree.XMLParser(recover=False, resolve_entities=False)
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(name), strict)  # raises on anything malformed
        types = etree.fromstring(zf.read("[Content_Types].xml"))
    overrides = {o.get("PartName") for o in types.iterfind("ct:Override", NS)}
    defaults = {d.get("Extension") for d in types.iterfind("ct:Default", NS)}
    for name in names:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name


def test_reopens_with_python_docx(sample):
    reopened = docx.Document(io.BytesIO(sample))
    styles = [p.style.name for p in reopened.paragraphs]
    assert "Title" in styles and "Heading 1" in styles and "Heading 2" in styles
    assert reopened.core_properties.title == "Russia and the 2020 Nagorno-Karabakh war"
    assert reopened.sections[0].different_first_page_header_footer


def test_lean_template_not_python_docx_default(sample):
    assert BUNDLED_REFERENCE.stat().st_size < 10_000
    with zipfile.ZipFile(io.BytesIO(sample)) as zf:
        unzipped = sum(i.file_size for i in zf.infolist())
        names = zf.namelist()
    assert unzipped < 80_000, unzipped  # python-docx's default template alone is ~850 KB
    assert "word/stylesWithEffects.xml" not in names and "word/glossary/document.xml" not in names
    assert part(sample, "word/styles.xml").find("w:latentStyles", NS) is None


def test_same_input_same_bytes(monkeypatch):
    first = render(sample_document())
    monkeypatch.setattr("time.time", lambda: 2_000_000_000.0)  # another "now" must not matter
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert render(sample_document()) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ---- footnotes --------------------------------------------------------------------------------

def test_real_word_footnotes(sample):
    notes = part(sample, "word/footnotes.xml")
    kinds = [n.get(f"{{{W}}}type") for n in notes.iterfind("w:footnote", NS)]
    assert kinds[:2] == ["separator", "continuationSeparator"]
    real = [n for n in notes.iterfind("w:footnote", NS) if n.get(f"{{{W}}}type") is None]
    assert len(real) == len(notes_of(sample_document())) == 3
    body = part(sample, "word/document.xml")
    refs = [r.get(f"{{{W}}}id") for r in body.iterfind(".//w:footnoteReference", NS)]
    assert refs == [n.get(f"{{{W}}}id") for n in real]
    for run in body.iterfind(".//w:r[w:footnoteReference]", NS):
        assert run.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference"
    for note in real:
        assert note.find("w:p/w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "FootnoteText"
        assert note.find(".//w:footnoteRef", NS) is not None
    first = real[0]
    assert "".join(first.itertext()).strip() == ("Putin, Statement on Nagorno-Karabakh, 10 November 2020, "
                                                 "cited in kremlin.ru.")
    assert xp(first, ".//w:r[w:rPr/w:i]")  # the italic title
    link = first.find(".//w:hyperlink", NS)
    rels = part(sample, "word/_rels/footnotes.xml.rels")
    rel = rels.find(f"rel:Relationship[@Id='{link.get(f'{{{R}}}id')}']", NS)
    assert rel.get("Target") == "http://en.kremlin.ru/events/president/news/64384"
    assert rel.get("TargetMode") == "External"
    doc_rels = part(sample, "word/_rels/document.xml.rels")
    assert doc_rels.find(f"rel:Relationship[@Type='{R}/footnotes']", NS).get("Target") == "footnotes.xml"
    types = part(sample, "[Content_Types].xml")
    override = types.find("ct:Override[@PartName='/word/footnotes.xml']", NS)
    assert override.get("ContentType").endswith("wordprocessingml.footnotes+xml")


def test_note_numbers_that_skip_are_printed_as_custom_marks():
    doc = one_doc(Para((Text("A"), Note(1, (Text("one"),)), Text(" b"), Note(5, (Text("five"),)))))
    body = part(render(doc), "word/document.xml")
    refs = body.findall(".//w:footnoteReference", NS)
    assert refs[0].get(f"{{{W}}}customMarkFollows") is None
    assert refs[1].get(f"{{{W}}}customMarkFollows") == "1"
    assert refs[1].getparent().findtext("w:t", namespaces=NS) == "5"


# ---- structure --------------------------------------------------------------------------------

def _style_of(p) -> str | None:
    node = p.find("w:pPr/w:pStyle", NS)
    return node.get(f"{{{W}}}val") if node is not None else None


def test_title_block_in_order(sample):
    body = part(sample, "word/document.xml")
    paras = body.findall("w:body/w:p", NS)[:6]
    assert [_style_of(p) for p in paras] == ["DocumentLabel", "Title", "Subtitle", "TitleMeta", "TitleMeta",
                                             "Heading1"]
    assert texts(paras[0], ".")[0] == "SubmissionBG-2026-001"  # label, tab, reference
    assert paras[0].find(".//w:tab", NS) is not None
    # no word alone on the title's last line: the last two are joined by a no-break space
    assert texts(paras[1], ".")[0] == "Russia and the 2020 Nagorno-Karabakh\u00a0war"
    assert texts(paras[3], ".")[0] == "Date: 23 November 2026 · Information as of 20 November 2026"
    assert texts(paras[4], ".")[0] == "Eastern Europe and Central Asia Directorate · Policy Unit"
    after = paras[4].find("w:pPr/w:spacing", NS).get(f"{{{W}}}after")  # room before the text, as in the PDF
    assert after == str(round(DEFAULT.fonts.size * 20))


def test_headings_are_outline_styles_with_bookmarks(sample):
    styles = part(sample, "word/styles.xml")
    for level in (1, 2, 3, 4):
        style = styles.find(f"w:style[@w:styleId='Heading{level}']", NS)
        assert style.find("w:name", NS).get(f"{{{W}}}val") == f"heading {level}"
        assert style.find("w:pPr/w:outlineLvl", NS).get(f"{{{W}}}val") == str(level - 1)
    body = part(sample, "word/document.xml")
    marks = [b.get(f"{{{W}}}name") for b in xp(body, ".//w:p[w:pPr/w:pStyle]/w:bookmarkStart")]
    assert marks == ["issue", "background", "sources"]


def test_lists_are_word_numbering():
    doc = one_doc(BulletList(((Para((Text("a"),)),), (Para((Text("b"),)), BulletList(((Para((Text("b1"),)),),))))),
                  BulletList(((Para((Text("one"),)),), (Para((Text("two"),)),)), ordered=True),
                  Para((Text("between"),)),
                  BulletList(((Para((Text("again one"),)),),), ordered=True))
    data = render(doc)
    body = part(data, "word/document.xml")
    numbering = part(data, "word/numbering.xml")
    items = {texts(p, ".")[0]: p.find("w:pPr/w:numPr", NS) for p in xp(body, ".//w:p[w:pPr/w:numPr]")}
    level = {k: v.find("w:ilvl", NS).get(f"{{{W}}}val") for k, v in items.items()}
    num = {k: v.find("w:numId", NS).get(f"{{{W}}}val") for k, v in items.items()}
    assert level == {"a": "0", "b": "0", "b1": "1", "one": "0", "two": "0", "again one": "0"}
    assert num["a"] == num["b"] == num["b1"] != num["one"]
    assert num["one"] == num["two"] != num["again one"]  # each ordered list counts from 1 again
    for key in ("one", "again one"):
        definition = numbering.find(f"w:num[@w:numId='{num[key]}']", NS)
        assert definition.find("w:lvlOverride/w:startOverride", NS).get(f"{{{W}}}val") == "1"
        abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='"
                                  f"{definition.find('w:abstractNumId', NS).get(f'{{{W}}}val')}']", NS)
        assert abstract.find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(f"{{{W}}}val") == "decimal"
    # every abstractNum precedes every num, as the schema requires
    tags = [etree.QName(c).localname for c in numbering]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")


def test_table_header_row_repeats(sample):
    table = xp(part(sample, "word/document.xml"), ".//w:tbl[w:tr/w:trPr/w:tblHeader]")[0]
    rows = table.findall("w:tr", NS)
    assert len(rows) == 3
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert texts(rows[0], ".//w:p") == ["Date", "Event"]
    widths = [int(c.get(f"{{{W}}}w")) for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
    assert widths[0] < widths[1]  # the date column gets less room than the event column


def test_links_external_and_to_headings():
    doc = one_doc(Heading(1, (Text("Background"),), "background"),
                  Para((Link((Text("see below"),), "#background"), Text(" and "),
                        Link((Text("the source"),), "https://example.org/a b?q=ü"),
                        Link((Text("nowhere"),), "#missing"))))
    data = render(doc)
    body = part(data, "word/document.xml")
    links = body.findall(".//w:hyperlink", NS)
    assert len(links) == 2  # a link to an anchor that does not exist keeps only its words
    assert links[0].get(f"{{{W}}}anchor") == "background"
    assert body.find(".//w:bookmarkStart", NS).get(f"{{{W}}}name") == "background"
    rel = part(data, "word/_rels/document.xml.rels").find(
        f"rel:Relationship[@Id='{links[1].get(f'{{{R}}}id')}']", NS)
    assert rel.get("Target") == "https://example.org/a%20b?q=%C3%BC"  # a valid URI, or Word repairs
    assert "nowhere" in "".join(body.itertext())


def test_figure_with_alt_text(tmp_path):
    image = png(tmp_path / "map.png", 4000, 1000)  # wider than the page at 72 dpi
    doc = one_doc(Figure(str(image), "Map of the region", (Text("Figure 1. The region"),)))
    data = render(doc)
    body = part(data, "word/document.xml")
    doc_pr = body.find(".//wp:docPr", NS)
    assert doc_pr.get("descr") == "Map of the region"
    extent = body.find(".//wp:extent", NS)
    assert int(extent.get("cx")) <= (210 - 44) * 36000 + 635  # scaled to the text width
    cap = xp(body, ".//w:p[w:pPr/w:pStyle/@w:val='Caption']")[0]
    assert texts(cap, ".")[0] == "Figure 1. The region"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())


def test_tall_figure_keeps_to_the_pdf_share_of_the_page(tmp_path):
    image = png(tmp_path / "tall.png", 100, 4000)
    extent = part(render(one_doc(Figure(str(image), "A tall chart"))), "word/document.xml").find(".//wp:extent", NS)
    m = DEFAULT.page.margins_mm
    assert int(extent.get("cy")) <= (297 - m.top - m.bottom) * 36000 * 0.6 + 635
    assert int(extent.get("cx")) * 40 == pytest.approx(int(extent.get("cy")), rel=0.01)  # aspect kept


@pytest.mark.parametrize("content", [None, b"\x89PNG\r\n\x1a\n\x00\x00", b"GIF89a", b"<svg/>"],
                         ids=["missing", "truncated-png", "truncated-gif", "svg"])
def test_unusable_figure_is_a_render_error_and_nothing_is_written(tmp_path, content):
    path = tmp_path / "figure.png"
    if content is not None:
        path.write_bytes(content)
    out = io.BytesIO()
    with pytest.raises(RenderError) as info:
        write_docx(one_doc(Figure(str(path), "alt")), DEFAULT, out)
    assert info.value.file.endswith("figure.png") and info.value.hint and out.getvalue() == b""


def test_boxes_annexes_and_bibliography():
    doc = one_doc(Para((Text("Body"),)),
                  Div("box", (Para((Text("Say this."),)),), title="Lines to take"),
                  Div("not-for-use", (Para((Text("Context."),)),), title="Background - not for use"),
                  Div("annex", (Heading(1, (Text("Annex A"),), "annex-a"), Para((Text("Annexed."),)))),
                  Div("bibliography", (Para((Text("Author. "), Emph((Text("Title"),)), Text(". 2020."))),)))
    body = part(render(doc), "word/document.xml")
    boxes = body.findall("w:body/w:tbl", NS)
    assert len(boxes) == 2
    for box, title in zip(boxes, ("Lines to take", "Background - not for use")):
        cell = box.find("w:tr/w:tc", NS)
        assert cell.find("w:tcPr/w:shd", NS).get(f"{{{W}}}fill").lower() == DEFAULT.colours.box[1:]
        # the title opens the first paragraph, then a line break: kept with the first lines by
        # orphan control, with no keepNext (which would make LibreOffice move the whole box)
        first = cell.find("w:p", NS)
        runs = first.findall("w:r", NS)
        assert runs[0].find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "BoxTitleChar"
        brk = next(i for i, r in enumerate(runs) if r.find("w:br", NS) is not None)
        assert "".join(t.text for r in runs[:brk] for t in r.findall("w:t", NS)) == title
        assert texts(first, ".")[0] in (title + "Say this.", title + "Context.")
        assert not xp(body, ".//w:tbl//w:keepNext")
    # adjacent tables would merge into one in Word: a paragraph always separates them
    assert etree.QName(boxes[0].getnext()).localname == "p"
    annex = xp(body, ".//w:p[w:pPr/w:pStyle/@w:val='Heading1']")[0]
    assert annex.find("w:pPr/w:pageBreakBefore", NS) is not None
    entry = xp(body, ".//w:p[w:pPr/w:pStyle/@w:val='Bibliography']")[0]
    assert texts(entry, ".")[0] == "Author. Title. 2020."


def test_page_furniture(sample):
    data = sample
    body = part(data, "word/document.xml")
    sect = body.find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")  # A4
    m = DEFAULT.page.margins_mm
    assert margins.get(f"{{{W}}}left") == str(round(m.left * 1440 / 25.4))
    assert margins.get(f"{{{W}}}top") == str(round(m.top * 1440 / 25.4))
    rels = part(data, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}

    def story(kind: str, which: str):
        ref = sect.find(f"w:{kind}Reference[@w:type='{which}']", NS)
        return part(data, "word/" + target[ref.get(f"{{{R}}}id")])

    first, running = texts(story("header", "first")), texts(story("header", "default"))
    assert first == ["OFFICIAL-SENSITIVE"]
    assert running == ["OFFICIAL-SENSITIVE", "Russia and Nagorno-Karabakh"]
    for which in ("first", "default"):
        footer = story("footer", which)
        fields = [t.text.strip() for t in footer.iterfind(".//w:instrText", NS)]
        assert fields == ["PAGE", "NUMPAGES"]
        assert texts(footer)[-1] == "OFFICIAL-SENSITIVE"
        assert texts(footer)[0].startswith("Page ")


def nested(depth: int) -> BulletList:
    """A list ``depth`` levels deep, one item per level."""
    inner = BulletList(((Para((Text(str(depth)),)),),))
    for level in range(depth - 1, 0, -1):
        inner = BulletList(((Para((Text(str(level)),)), inner),))
    return inner


def test_degenerate_blocks_still_give_a_valid_file():
    doc = one_doc(Table(header=(), rows=()), Table(header=((Text("only header"),),), rows=()),
                  Table(header=((Text("a"),), (Text("b"),)), rows=(((Text("short row"),),),)),
                  BulletList(((),)), Para(()), Heading(7, (Text("deep"),)), Div("unknown", (Para((Text("x"),)),)),
                  nested(5))
    data = render(doc)
    reopened = docx.Document(io.BytesIO(data))
    assert [p.style.name for p in reopened.paragraphs if p.text == "deep"] == ["Heading 4"]
    assert len(reopened.tables) == 2 and len(reopened.tables[1].rows[1].cells) == 2
    levels = xp(part(data, "word/document.xml"), "//w:p[w:pPr/w:numPr]/w:pPr/w:numPr/w:ilvl/@w:val")
    assert max(int(v) for v in levels) == 3  # deeper lists stay at Word's fourth level


def test_no_marking_no_banner():
    data = render(sample_document(marking=""))
    assert "OFFICIAL" not in "".join(part(data, "word/header1.xml").itertext())
    assert "OFFICIAL" not in "".join(part(data, "word/footer1.xml").itertext())


def test_theme_typography_reaches_the_styles(sample):
    embassy = render(sample_document(), EMBASSY)
    for data, theme, page in ((sample, DEFAULT, ("11906", "16838")), (embassy, EMBASSY, ("12240", "15840"))):
        f = theme.fonts
        font, size, colour = f.body, str(round(f.size * 2)), theme.colours.heading[1:].upper()
        leading = str(round(f.size * f.line_spacing * 20))  # exact leading, as the PDF writer sets it
        styles = part(data, "word/styles.xml")
        normal = styles.find("w:style[@w:styleId='Normal']", NS)
        assert normal.find("w:rPr/w:rFonts", NS).get(f"{{{W}}}ascii") == font
        assert normal.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == size
        spacing = normal.find("w:pPr/w:spacing", NS)
        assert (spacing.get(f"{{{W}}}line"), spacing.get(f"{{{W}}}lineRule")) == (leading, "exact")
        h1 = styles.find("w:style[@w:styleId='Heading1']", NS)
        assert h1.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == colour
        assert h1.find("w:rPr/w:b", NS) is not None
        size_el = part(data, "word/document.xml").find("w:body/w:sectPr/w:pgSz", NS)
        assert (size_el.get(f"{{{W}}}w"), size_el.get(f"{{{W}}}h")) == page
        note_size = styles.find("w:style[@w:styleId='FootnoteText']/w:rPr/w:sz", NS).get(f"{{{W}}}val")
        assert note_size == str(round(f.note_size * 2))


def test_logo_on_the_title_page_only_for_a_theme_with_one():
    embassy = part(render(sample_document(), EMBASSY), "word/document.xml")
    first = embassy.find("w:body/w:p", NS)
    assert first.find(".//wp:docPr", NS) is not None
    assert part(render(sample_document()), "word/document.xml").find(".//wp:docPr", NS) is None


# ---- properties -------------------------------------------------------------------------------

def test_core_properties(sample):
    props = docx.Document(io.BytesIO(sample)).core_properties
    assert props.title == "Russia and the 2020 Nagorno-Karabakh war"
    assert props.subject == "Russia's position in the 2020 Nagorno-Karabakh war"
    assert props.author == "Eastern Europe and Central Asia Directorate"
    assert props.keywords == "Russia, Nagorno-Karabakh, CSTO"
    assert props.language == "en-GB"
    assert props.content_status == "OFFICIAL-SENSITIVE"
    assert props.created == props.modified == dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)
    lang = part(sample, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}val") == "en-GB"


def test_language_reaches_properties_and_spelling():
    data = render(one_doc(Para((Text("Guten Tag"),)), language="de-DE"))
    assert docx.Document(io.BytesIO(data)).core_properties.language == "de-DE"
    lang = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}val") == "de-DE"


def test_app_properties_name_briefgen_and_the_office_escaped():
    ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    app = part(render(one_doc(Para((Text("x"),)), office="Europe & <Central> Asia\x02")), "docProps/app.xml")
    assert app.tag == f"{ep}Properties"
    assert [(child.tag, child.text) for child in app] == [(f"{ep}Application", "briefgen"),
                                                          (f"{ep}Company", "Europe & <Central> Asia")]
    assert [child.tag for child in part(render(one_doc(Para((Text("x"),)))), "docProps/app.xml")] == \
        [f"{ep}Application"]


def test_times_come_from_source_date_epoch_without_a_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790121600")  # 2026-09-23 00:00 UTC
    props = docx.Document(io.BytesIO(render(one_doc(Para((Text("x"),)), date=None)))).core_properties
    assert props.created == dt.datetime(2026, 9, 23, tzinfo=dt.timezone.utc)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    core = part(render(one_doc(Para((Text("x"),)), date=None)), "docProps/core.xml")
    assert core.find("dcterms:created", NS) is None  # never the clock: equal inputs, equal bytes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(RenderError):
        render(one_doc(Para((Text("x"),)), date=None))


# ---- bad input --------------------------------------------------------------------------------

def test_bad_characters_give_a_valid_file_and_a_warning():
    nasty = "a\x00b\x01c\x0bd\ufffee\ud800f <w:t>&amp; ]]> \"q\" 'q' שלום עולם e\u0301"
    doc = one_doc(Heading(1, (Text("Bad\x07 heading"),), "bad"), Para((Text(nasty), Note(1, (Text("note\x1f"),)))),
                  title="Title\x02", keywords=("k\x03",))
    out = io.BytesIO()
    warnings = write_docx(doc, DEFAULT, out)
    assert len(warnings) == 1 and isinstance(warnings[0], BuildWarning)
    assert "dropped 9 characters" in warnings[0].message and "U+0000" in warnings[0].message
    data = out.getvalue()
    reopened = docx.Document(io.BytesIO(data))
    body_text = [p.text for p in reopened.paragraphs]
    assert "abcdef <w:t>&amp; ]]> \"q\" 'q' שלום עולם é" in body_text
    assert "Bad heading" in body_text
    assert reopened.core_properties.title == "Title"
    body = part(data, "word/document.xml")
    rtl = xp(body, ".//w:r[w:rPr/w:rtl]")
    assert ["".join(r.itertext()) for r in rtl] == ["שלום עולם"]
    assert texts(part(data, "word/footnotes.xml"))[-1].strip() == "note"


def test_clean_input_gives_no_warnings():
    assert write_docx(sample_document(), DEFAULT, io.BytesIO()) == []


def _theme_with_reference(folder: Path, reference: bytes | None) -> Theme:
    folder.mkdir(parents=True, exist_ok=True)
    if reference is not None:
        (folder / "reference.docx").write_bytes(reference)
    return Theme(folder=folder, reference_docx="reference.docx")


@pytest.mark.parametrize("content", [None, b"not a zip at all", b"PK\x03\x04broken",
                                     "zip-without-word", "truncated"])
def test_missing_or_corrupt_reference_docx_is_a_theme_error(tmp_path, content):
    if content == "zip-without-word":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("hello.txt", "hi")
        content = buf.getvalue()
    elif content == "truncated":
        content = BUNDLED_REFERENCE.read_bytes()[:2000]
    theme = _theme_with_reference(tmp_path / "theme", content)
    out = io.BytesIO()
    with pytest.raises(ThemeError) as info:
        write_docx(sample_document(), theme, out)
    assert info.value.exit_code == 2
    assert info.value.file.endswith("reference.docx") and info.value.hint
    assert out.getvalue() == b""


def _reference_docx(even_pages: bool = False) -> bytes:
    """A house template made in "Word": Letter paper, Georgia body, a crest in the header, its own
    text and a German-named heading style (and, if asked, different even-page headers)."""
    ref = docx.Document()
    ref.settings.odd_and_even_pages_header_footer = even_pages
    ref.styles["Normal"].font.name = "Georgia"
    ref.styles["Heading 1"].element.set(f"{{{W}}}styleId", "berschrift1")
    for ref_el in xp(ref.styles.element, "//w:basedOn|//w:link|//w:next"):
        if ref_el.get(f"{{{W}}}val") == "Heading1":
            ref_el.set(f"{{{W}}}val", "berschrift1")
    section = ref.sections[0]
    section.page_width, section.page_height = docx.shared.Inches(8.5), docx.shared.Inches(11)
    section.left_margin = section.right_margin = docx.shared.Inches(1)
    section.header.paragraphs[0].text = "CREST"
    ref.add_paragraph("Template text that must not reach the brief.")
    buf = io.BytesIO()
    ref.save(buf)
    return buf.getvalue()


def test_reference_docx_gives_styles_page_and_header_art(tmp_path):
    theme = _theme_with_reference(tmp_path / "house", _reference_docx())
    data = render(sample_document(), theme)
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.styles["Normal"].font.name == "Georgia"  # the reference's style wins
    assert reopened.sections[0].page_width == docx.shared.Inches(8.5)
    assert reopened.sections[0].left_margin == docx.shared.Inches(1)
    body = part(data, "word/document.xml")
    assert "Template text" not in "".join(body.itertext())
    heading = body.find(".//w:p[w:bookmarkStart]", NS)
    assert _style_of(heading) == "berschrift1"  # found by name, whatever its id
    section = reopened.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL-SENSITIVE", "CREST",
                                                           "Russia and Nagorno-Karabakh"]
    assert [p.text for p in section.first_page_header.paragraphs] == ["OFFICIAL-SENSITIVE", "CREST"]
    styles = part(data, "word/styles.xml")
    for added in ("Marking", "BoxTitle", "FootnoteText", "FootnoteReference"):  # missing ones added
        assert styles.find(f"w:style[@w:styleId='{added}']", NS) is not None, added
    assert len(part(data, "word/footnotes.xml").findall("w:footnote", NS)) == 5


def test_reference_docx_with_even_page_headers_gets_furniture_there_too(tmp_path):
    theme = _theme_with_reference(tmp_path / "house", _reference_docx(even_pages=True))
    section = docx.Document(io.BytesIO(render(sample_document(), theme))).sections[0]
    assert [p.text for p in section.even_page_header.paragraphs] == ["OFFICIAL-SENSITIVE", "CREST",
                                                                     "Russia and Nagorno-Karabakh"]
    assert section.even_page_footer.paragraphs[-1].text == "OFFICIAL-SENSITIVE"


# ---- an independent validator (optional: `pip install openxml-audit`) -----------------------------

def _render_embedded(doc: Document) -> bytes:
    import fontTools  # noqa: F401  (a dependency: never skipped)
    out = io.BytesIO()
    write_docx(doc, BRAND, out)   # brand fonts: embedded by default
    return out.getvalue()


@pytest.mark.parametrize("make", [
    lambda tmp: render(sample_document()), lambda tmp: render(dense_document(64), EMBASSY),
    lambda tmp: render(one_doc(Para((Text("x\x01 שלום"),)), BulletList(((Para((Text("i"),)),),), ordered=True),
                               Figure(str(png(tmp / "f.png")), "alt"), Div("box", (Para((Text("b"),)),), "T"))),
    lambda tmp: render(sample_document(), _theme_with_reference(tmp / "house", _reference_docx())),
    lambda tmp: _render_embedded(sample_document()),
], ids=["sample", "dense-embassy", "odd-content", "reference-docx", "embedded-fonts"])
def test_schema_valid_for_word(tmp_path, make):
    import openxml_audit as audit  # the test extra
    path = tmp_path / "brief.docx"
    path.write_bytes(make(tmp_path))
    result = audit.OpenXmlValidator(max_errors=50).validate(str(path))
    assert result.is_valid, "\n".join(str(e) for e in result.errors)


# ---- real clients -----------------------------------------------------------------------------

CASES = {"sample": (sample_document, DEFAULT), "dense": (lambda: dense_document(64), DEFAULT),
         "embassy": (sample_document, EMBASSY), "brand": (sample_document, BRAND)}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """name -> (document, docx path, pdf pages or None), converting each file once."""
    cache: dict = {}

    def get(name: str, pdf: bool = False):
        if name not in cache:
            make, theme = CASES[name]
            doc = make()
            path = tmp_path_factory.mktemp(name) / f"{name}.docx"
            path.write_bytes(render(doc, theme))
            cache[name] = [doc, path, None]
        if pdf and cache[name][2] is None:
            cache[name][2] = clients.soffice_convert(cache[name][1])
        return cache[name]
    return get


@pytest.mark.clients
@pytest.mark.parametrize("name", sorted(CASES))
def test_pandoc_reads_every_note_and_heading(converted, name):
    doc, path, _ = converted(name)
    ast = clients.pandoc_ast(path)
    assert clients.pandoc_notes(ast) == clients.model_notes(doc)
    assert clients.pandoc_headings(ast) == clients.model_headings(doc)


@pytest.mark.clients
@pytest.mark.parametrize("name", ["dense", "embassy", "brand"])
def test_libreoffice_pages_notes_and_furniture(converted, name):
    doc, _path, pdf = converted(name, pdf=True)
    pages = clients.pdftotext_pages(pdf)
    assert len(pages) == clients.pdf_pages(pdf)
    assert clients.note_page_problems(doc, pages) == []
    assert clients.furniture_problems(pages, doc.meta.marking) == []
    assert f"Page 1 of {len(pages)}" in pages[0]
    if name == "dense":
        assert len(pages) >= 3  # the checks above ran across page breaks
        lines = [[line.strip() for line in p.splitlines() if line.strip()] for p in pages]
        assert lines[0][1] != "Dense" and all(ls[1] == "Dense" for ls in lines[1:])  # running header from p. 2
    fonts = clients.run(["pdffonts", str(pdf)]).stdout
    # LibreOffice set the Office font's metric twin (as Word would set the Office font), or the
    # brand font the DOCX carries, not a substitute
    family = {"embassy": "LiberationSerif", "brand": "IBMPlexSerif"}.get(name, "LiberationSans")
    assert family in fonts


def test_embedded_fonts_are_obfuscated_parts_and_reproducible():
    import fontTools  # noqa: F401  (a dependency: never skipped)
    first = io.BytesIO()
    write_docx(sample_document(), BRAND, first)
    second = io.BytesIO()
    write_docx(sample_document(), BRAND, second)
    assert first.getvalue() == second.getvalue()
    data = first.getvalue()
    table = part(data, "word/fontTable.xml")
    for family in ("IBM Plex Serif", "Fira Sans"):
        font = table.find(f"w:font[@w:name='{family}']", NS)
        embeds = [etree.QName(c).localname for c in font if etree.QName(c).localname.startswith("embed")]
        assert embeds == ["embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]
    settings = part(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    assert settings.find("w:saveSubsetFonts", NS) is None   # whole faces, kept whole when saved
    types = part(data, "[Content_Types].xml")
    assert len(xp(types, "//ct:Override[@ContentType='application/vnd.openxmlformats-officedocument."
                         "obfuscatedFont']")) == 8
    from briefgen.writers.docx.fontembed import obfuscate
    key = table.find("w:font/w:embedRegular", NS).get(f"{{{W}}}fontKey")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        stored = zf.read("word/fonts/font1.odttf")
    assert stored[:4] != b"\x00\x01\x00\x00" and obfuscate(stored, key)[:4] == b"\x00\x01\x00\x00"
    from briefgen.fonts import find_family
    assert obfuscate(stored, key) == find_family("IBM Plex Serif").regular.read_bytes()   # the whole face


def test_office_fonts_are_named_not_embedded_and_brand_fonts_can_opt_out():
    for theme in (DEFAULT, EMBASSY, BRAND.model_copy(update={"embed_fonts": False})):
        data = render(sample_document(), theme)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert not [n for n in zf.namelist() if n.endswith(".odttf")], theme.name
    names = {f.get(f"{{{W}}}name") for f in part(render(sample_document(), EMBASSY), "word/fontTable.xml")}
    assert "Times New Roman" in names and "Liberation Serif" not in names   # the DOCX asks for Office's font
    assert render(sample_document(), EMBASSY.model_copy(update={"embed_fonts": True})) == render(sample_document(), EMBASSY)


@pytest.mark.clients
def test_libreoffice_uses_embedded_fonts_it_does_not_have(tmp_path):
    import fontTools  # noqa: F401  (a dependency: never skipped)
    path = tmp_path / "embedded.docx"
    with path.open("wb") as out:
        write_docx(sample_document(), BRAND, out)
    pdf = clients.soffice_convert(path)  # Fira Sans and IBM Plex Serif are not installed for LibreOffice
    fonts = clients.run(["pdffonts", str(pdf)]).stdout
    assert "FiraSans" in fonts and "IBMPlexSerif" in fonts


def test_bundled_reference_is_what_the_tool_builds():
    """reference.docx is generated from styles.py; rerun tools/make_reference_docx.py after a change."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_reference_docx", REPO / "tools" / "make_reference_docx.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.build() == BUNDLED_REFERENCE.read_bytes()


# ---- the example briefs -----------------------------------------------------------------------

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.mark.clients
@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_briefs_read_back_and_lay_out(spec, tmp_path):
    from briefgen.pipeline import prepare_brief

    brief = prepare_brief(spec)
    doc = brief.assembly.document
    path = tmp_path / f"{spec.stem}.docx"
    with path.open("wb") as out:
        assert write_docx(doc, brief.theme, out) == []
    ast = clients.pandoc_ast(path)
    assert clients.pandoc_notes(ast) == clients.model_notes(doc)
    assert clients.pandoc_headings(ast) == clients.model_headings(doc)
    pages = clients.pdftotext_pages(clients.soffice_convert(path))
    assert clients.note_page_problems(doc, pages) == []
    assert clients.furniture_problems(pages, brief.theme.marking_text(doc.meta.marking)) == []
