"""The redline and the sentence summary: two editions in, what a reviewer sees out.

The editions differ in a sentence, a note, a list item, a table cell, an added module (Energy)
and a removed one (CSTO). pandoc and LibreOffice, accepting every change, must give the new
edition's text, and rejecting every change the old one's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests import clients
from briefgen.compare import (document_from_json, document_to_json, outline_of_docx, outline_of_document,
                              redline_docx, summarize, TextChanges)
from briefgen.compare.redline import DocxPackage
from briefgen.model import BulletList, Div, Document, Heading, Meta, Note, Para, Table, Text
from briefgen.theme import load_theme
from briefgen.writers.docx import write_docx
from tests.lo_changes import soffice_resolve

REPO = Path(__file__).resolve().parents[1]
THEME = load_theme(REPO / "themes" / "default")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DAY = dt.date(2026, 11, 30)


def t(text: str) -> tuple:
    return (Text(text),)


def para(*parts) -> Para:
    return Para(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def table(second_date: str) -> Table:
    return Table((t("Date"), t("Event")), ((t("27 Sep"), t("Fighting begins")),
                                           (t(second_date), t("Trilateral statement"))))


def edition(day: dt.date, *, new: bool, marking: str = "OFFICIAL") -> Document:
    meta = Meta(title="Russia and the 2020 war", short_title="Russia", doc_type="Submission",
                reference="BG-1", date=day, marking=marking)
    csto = (Heading(1, t("CSTO"), "csto"),
            para("The CSTO did not act, since the fighting was outside Armenia", Note(3, t("CSTO Charter, art. 4.")), "."))
    energy = (Heading(1, t("Energy"), "energy"),
              para("Gas flows through Georgia were not affected", Note(3, t("BP, Statistical Review, 2021.")), "."))
    outlook = (Heading(1, t("Outlook"), "outlook"), para("Russia will keep its role."))
    blocks = (
        Heading(1, t("Issue"), "issue"),
        para(f"Russia deployed {'2,000' if new else '1,960'} peacekeepers to the corridor",
             Note(1, t(f"Statement of 10 November 2020, para. {4 if new else 3}.")),
             ". Turkey was kept out of the mission. Moscow gained a base."),
        Heading(1, t("Background"), "background"),
        para("The ceasefire was brokered in Moscow", Note(2, t("Kremlin, 10 October 2020.")), "."),
        BulletList(((para("First point"),), (para(f"Second point about {'Azerbaijan' if new else 'Armenia'}"),),
                    (para("Third point"),))),
        table("9 Nov" if new else "10 Nov"),
        *((*outlook, *energy) if new else (*csto, *outlook)),
    )
    return Document(meta, blocks)


def docx_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    write_docx(doc, THEME, out)
    return out.getvalue()


OLD, NEW = edition(dt.date(2026, 11, 23), new=False), edition(DAY, new=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """old.docx, new.docx and their redline, written once."""
    folder = tmp_path_factory.mktemp("redline")
    old, new = docx_bytes(OLD), docx_bytes(NEW)
    red = redline_docx(old, new, date=DAY)
    for name, data in (("old", old), ("new", new), ("changes", red.data)):
        (folder / f"{name}.docx").write_bytes(data)
    return folder


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def marked(root, kind: str) -> list[str]:
    """The text inside each w:ins or w:del, in order."""
    text = "t" if kind == "ins" else "delText"
    return ["".join(x.text or "" for x in m.iter(f"{W}{text}")) for m in root.iter(f"{W}{kind}")
            if m.getparent().tag != f"{W}rPr" and m.getparent().tag != f"{W}trPr"]


# ---- the marks themselves -----------------------------------------------------------------------

def test_word_level_marks_by_briefgen_on_the_edition_date(files):
    body = part(files / "changes.docx", "word/document.xml")
    marks = list(body.iter(f"{W}ins", f"{W}del"))
    assert {m.get(f"{W}author") for m in marks} == {"briefgen"}
    assert {m.get(f"{W}date") for m in marks} == {"2026-11-30T00:00:00Z"}
    ids = [m.get(f"{W}id") for m in part(files / "changes.docx", "word/footnotes.xml").iter(f"{W}ins", f"{W}del")]
    assert len(set(ids + [m.get(f"{W}id") for m in marks])) == len(ids) + len(marks)  # every id its own
    deleted, inserted = marked(body, "del"), marked(body, "ins")
    # word level within paragraphs: the number, the country, the table cell; the date line too
    for old, new in (("1,960 ", "2,000 "), ("Armenia", "Azerbaijan"), ("10 ", "9 "), ("23 ", "30 ")):
        assert old in deleted and new in inserted
    # whole paragraphs where they stood: the CSTO module out, the Energy module in
    assert "CSTO" in deleted and "The CSTO did not act, since the fighting was outside Armenia." in deleted
    assert "Energy" in inserted and "Gas flows through Georgia were not affected." in inserted
    paragraph_marks = [m.tag for m in body.iter(f"{W}ins", f"{W}del") if m.getparent().tag == f"{W}rPr"]
    assert paragraph_marks.count(f"{W}del") == 2 and paragraph_marks.count(f"{W}ins") == 2


def test_notes_compared_by_text_not_number(files):
    notes = part(files / "changes.docx", "word/footnotes.xml")
    assert marked(notes, "del") == ["3", "CSTO Charter, art. 4."]
    assert marked(notes, "ins") == ["4", "BP, Statistical Review, 2021."]
    # the part is in reference order (LibreOffice gives notes their text in that order)
    body = part(files / "changes.docx", "word/document.xml")
    refs = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    ids = [n.get(f"{W}id") for n in notes if n.get(f"{W}type") is None]
    assert refs == ids and len(refs) == 4


def test_renumbered_notes_are_no_change():
    """A note added before the others renumbers them: only the new note is marked."""
    first = Document(OLD.meta, (para("One", Note(1, t("Source A.")), ". Two", Note(2, t("Source B.")), "."),))
    second = Document(OLD.meta, (para("Zero", Note(1, t("Source Z.")), ". One", Note(2, t("Source A.")),
                                      ". Two", Note(3, t("Source B.")), "."),))
    red = redline_docx(docx_bytes(first), docx_bytes(second), date=DAY)
    notes = etree.fromstring(zipfile.ZipFile(io.BytesIO(red.data)).read("word/footnotes.xml"))
    assert marked(notes, "ins") == ["Source Z."] and marked(notes, "del") == []


def test_same_text_no_marks():
    red = redline_docx(docx_bytes(OLD), docx_bytes(OLD), date=DAY)
    assert not red.changed


# ---- reference clients: pandoc, LibreOffice, the OOXML validator ---------------------------------

def plain(path: Path, *extra: str) -> str:
    return clients.squash(clients.run(["pandoc", *extra, "-t", "plain", str(path)]).stdout)


@pytest.mark.clients
def test_pandoc_accept_gives_new_reject_gives_old(files):
    clients.needs("pandoc")
    red = files / "changes.docx"
    assert plain(red, "--track-changes=accept") == plain(files / "new.docx")
    assert plain(red, "--track-changes=reject") == plain(files / "old.docx")
    shown = clients.run(["pandoc", "--track-changes=all", "-t", "markdown", "--wrap=none", str(red)]).stdout
    for text in ("[1,960]{.deletion", "[2,000]{.insertion", "[Armenia]{.deletion", "[Azerbaijan]{.insertion",
                 "[10]{.deletion", "[9]{.insertion", "[CSTO]{.deletion", "[Energy]{.insertion",
                 "[CSTO Charter, art. 4.]{.deletion", "[BP, Statistical Review, 2021.]{.insertion",
                 "[3]{.deletion", "[4]{.insertion"):
        assert text in shown


@pytest.mark.clients
def test_libreoffice_accept_gives_new_reject_gives_old(files):
    clients.needs("pandoc")
    red = files / "changes.docx"
    soffice_resolve([("Accept", red, files / "accepted.docx"), ("Reject", red, files / "rejected.docx")])
    assert plain(files / "accepted.docx") == plain(files / "new.docx")
    assert plain(files / "rejected.docx") == plain(files / "old.docx")


def test_schema_valid_for_word(files):
    import openxml_audit as audit  # the test extra
    result = audit.OpenXmlValidator(max_errors=50).validate(str(files / "changes.docx"))
    assert result.is_valid, "\n".join(str(e) for e in result.errors)


# ---- tables, lists and large changes -------------------------------------------------------------

def _variants():
    """(name, old blocks, new blocks): a row added, a column added, most paragraphs rewritten."""
    rows = ((t("27 Sep"), t("Fighting begins")), (t("10 Nov"), t("Trilateral statement")))
    wide = Table((t("Date"), t("Event"), t("Where")), tuple((*r, t("Moscow")) for r in rows))
    body = tuple(para(f"Paragraph {n} says the old thing about point {n} at some length.") for n in range(30))
    rewritten = tuple(para(f"Entirely new wording number {n}, unlike anything before it.") if n % 5 else b
                      for n, b in enumerate(body))
    return [
        ("row-added", (Table((t("Date"), t("Event")), rows),),
         (Table((t("Date"), t("Event")), (rows[0], (t("1 Nov"), t("Shusha falls")), rows[1])),)),
        ("column-added", (Table((t("Date"), t("Event")), rows),), (wide,)),
        # (a paragraph after the list: LibreOffice, rejecting items inserted at the very end of a
        # document, keeps an empty bullet, as it does for Word's own redlines)
        ("list-items", (BulletList(((para("Keep"),), (para("Drop this item"),))), para("After.")),
         (BulletList(((para("Keep"),), (para("Add a new item"),), (para("And another"),))), para("After."))),
        ("rewrite", body, rewritten),
        # a box is a one-cell table whose row has no properties of its own: its mark needs one
        ("box-added", (para("Before."),), (Div("box", (para("Lines to take changed."),), "Handling"), para("Before."))),
        # the last paragraphs of the document removed: their marks cannot be the document's last
        ("end-removed", (para("Keep."), para("Gone at the end."), para("And this.")), (para("Keep."),)),
    ]


@pytest.fixture(scope="module")
def variant_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    out = {}
    for name, old, new in _variants():
        paths = {}
        for side, blocks in (("old", old), ("new", new)):
            paths[side] = folder / f"{name}-{side}.docx"
            paths[side].write_bytes(docx_bytes(Document(OLD.meta, blocks)))
        paths["red"] = folder / f"{name}-changes.docx"
        paths["red"].write_bytes(redline_docx(paths["old"].read_bytes(), paths["new"].read_bytes(), date=DAY).data)
        out[name] = paths
    return out


def test_table_rows_and_shapes(variant_files):
    body = part(variant_files["row-added"]["red"], "word/document.xml")
    rows = body.findall(f".//{W}tr")
    assert [r.find(f"{W}trPr/{W}ins") is not None for r in rows] == [False, False, True, False]
    assert marked(body, "ins") == ["1 Nov", "Shusha falls"] and marked(body, "del") == []
    body = part(variant_files["column-added"]["red"], "word/document.xml")
    tables = body.findall(f"{W}body/{W}tbl")
    assert len(tables) == 2  # the old table deleted whole, the new one inserted whole
    assert all(r.find(f"{W}trPr/{W}del") is not None for r in tables[0].findall(f"{W}tr"))
    assert all(r.find(f"{W}trPr/{W}ins") is not None for r in tables[1].findall(f"{W}tr"))


@pytest.mark.clients
@pytest.mark.parametrize("name", ["row-added", "column-added", "list-items", "rewrite", "box-added",
                                  "end-removed"])
def test_variants_accept_and_reject_in_pandoc(variant_files, name):
    clients.needs("pandoc")
    paths = variant_files[name]
    # pandoc 2.17 does not read a row's own mark (w:trPr/w:del), so a table deleted whole leaves
    # its rows, empty, and keeps a deleted list item as an empty item (LibreOffice, below, does
    # neither): there the words must agree, and for every other case the whole text
    loose = name in ("column-added", "list-items", "box-added")
    same = (lambda a, b: words(a) == words(b)) if loose else (lambda a, b: a == b)
    assert same(plain(paths["red"], "--track-changes=accept"), plain(paths["new"]))
    assert same(plain(paths["red"], "--track-changes=reject"), plain(paths["old"]))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.clients
def test_variants_accept_and_reject_in_libreoffice(variant_files, tmp_path):
    clients.needs("pandoc")
    jobs = []
    for name, paths in variant_files.items():
        jobs += [("Accept", paths["red"], tmp_path / f"{name}-a.docx"), ("Reject", paths["red"], tmp_path / f"{name}-r.docx")]
    soffice_resolve(jobs)
    for name, paths in variant_files.items():
        assert plain(tmp_path / f"{name}-a.docx") == plain(paths["new"]), name
        assert plain(tmp_path / f"{name}-r.docx") == plain(paths["old"]), name


def test_variants_schema_valid(variant_files):
    import openxml_audit as audit
    for name, paths in variant_files.items():
        result = audit.OpenXmlValidator(max_errors=20).validate(str(paths["red"]))
        assert result.is_valid, name + ": " + "\n".join(str(e) for e in result.errors)


# ---- the summary ---------------------------------------------------------------------------------

EXPECTED = """\
### Issue

- Changed: “Russia deployed ~~1,960~~ peacekeepers to the corridor.” → “Russia deployed **2,000** peacekeepers to the corridor.”

### Background

- Changed: “Second point about ~~Armenia~~” → “Second point about **Azerbaijan**”
- Changed: “~~10~~ Nov \\| Trilateral statement” → “**9** Nov \\| Trilateral statement”

### Energy

- Added: “Gas flows through Georgia were not affected.”

### CSTO

- Removed: “The CSTO did not act, since the fighting was outside Armenia.”

### Notes

- Changed: “Statement of 10 November 2020, para. ~~3~~.” → “Statement of 10 November 2020, para. **4**.”
- Removed: “CSTO Charter, art. 4.”
- Added: “BP, Statistical Review, 2021.”

### Also changed

- Marking: OFFICIAL → OFFICIAL-SENSITIVE.
- Length: 58 → 54 words (-4).
"""


def test_summary_lists_sentences_under_headings():
    new = Document(Meta(**{**vars(NEW.meta), "marking": "OFFICIAL-SENSITIVE"}), NEW.blocks)
    changes = summarize(outline_of_document(OLD), outline_of_document(new))
    assert "\n".join(changes.markdown()) == EXPECTED
    assert TextChanges.from_json(changes.to_json()) == changes
    data = changes.to_json()
    assert data["text_unchanged"] is False and data["marking"] == {"before": "OFFICIAL", "after": "OFFICIAL-SENSITIVE"}
    assert data["sections"][0]["changes"][0]["after_marked"] == "Russia deployed **2,000** peacekeepers to the corridor."


def test_summary_from_docx_agrees_with_the_model():
    from_docx = summarize(outline_of_docx(DocxPackage(docx_bytes(OLD))), outline_of_docx(DocxPackage(docx_bytes(NEW))))
    from_model = summarize(outline_of_document(OLD), outline_of_document(NEW))
    assert from_docx.sections == from_model.sections and from_docx.words == from_model.words


def test_text_unchanged_says_so():
    changes = summarize(outline_of_document(OLD), outline_of_document(OLD))
    assert changes.text_unchanged and changes.markdown() == ["- Text unchanged.", ""]
    assert changes.markdown(extra=["Also rebuilt because: theme changed."]) == [
        "- Text unchanged.", "- Also rebuilt because: theme changed.", ""]


def test_model_json_round_trip():
    assert document_from_json(document_to_json(NEW)) == NEW


def test_sources_title_and_marking_are_listed_as_what_else_changed():
    def brief(title: str, marking: str, sources: list[str]) -> Document:
        meta = Meta(title=title, marking=marking, date=DAY)
        return Document(meta, (para("Same text."), Div("bibliography", tuple(para(s) for s in sources))))

    changes = summarize(outline_of_document(brief("Russia", "OFFICIAL", ["Allison, Roy. 2021.", "Kremlin. 2020."])),
                        outline_of_document(brief("Russia and Turkey", "OFFICIAL-SENSITIVE",
                                                  ["Kremlin. 2020.", "TASS. 2020."])))
    assert not changes.sections and not changes.text_unchanged   # the sentences are the same
    assert changes.markdown() == [
        "### Also changed", "",
        "- Title: “Russia” → “Russia and Turkey”.",
        "- Marking: OFFICIAL → OFFICIAL-SENSITIVE.",
        "- Source added: TASS. 2020.",
        "- Source removed: Allison, Roy. 2021.", ""]
