"""The redline: a new edition's DOCX with Word revision marks against an earlier one.

Works on the two packages' WordprocessingML, the form Word's own Compare works on, so it needs no
writer's help and compares hand-edited files too. Body and notes are runs of blocks (paragraphs
and tables), aligned by ``words.align``; a pair of paragraphs is compared word by word
(``wordml``), a paragraph found on one side only is inserted or deleted whole, where it stands. Tables
of the same shape are compared cell by cell; with the same columns, rows are aligned and added or
removed rows marked as such; a table whose columns changed is replaced whole. Note references
compare equal, so notes are paired where their references stand and their text compared in the
notes part; a deleted note is carried into the new package under a new id, its text deleted.

Everything else in the package (styles, numbering, headers, properties) is the new edition's, so
accepting every change gives the new edition and rejecting every change the earlier one's text.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..errors import BriefgenError
from .wordml import Emitter, Marks, Token, mark_paragraph, text_of, tokenize, w
from .words import align, similarity, word_opcodes

__all__ = ["Redline", "redline_docx", "docx_parts"]

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_PICTURES = (w("drawing"), w("pict"), w("object"))


@dataclass(frozen=True)
class Redline:
    """A finished redline: the package's bytes and how many insertions and deletions it marks."""
    data: bytes
    insertions: int
    deletions: int

    @property
    def changed(self) -> bool:
        return bool(self.insertions or self.deletions)


class DocxPackage:
    """The parts of a .docx a comparison reads: the document, its notes, numbering and styles."""

    def __init__(self, data: bytes, name: str = "") -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
            main = self._target("", "_rels/.rels", _OFFICE_DOC)
            if main is None:
                raise KeyError("no main document part")
            self.main = main
            rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
            self.document = self._parse(main)
            self.notes_name = self._target(posixpath.dirname(main), rels, _FOOTNOTES)
            self.notes = self._parse(self.notes_name)
            self.numbering = self._parse(self._target(posixpath.dirname(main), rels, _NUMBERING))
            self._styles_name = self._target(posixpath.dirname(main), rels, _STYLES)
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, EOFError) as exc:
            raise BriefgenError(f"not a readable Word document ({exc})", file=name or None,
                                hint="compare .docx editions written by briefgen or saved by Word") from None
        body = self.document.find(w("body")) if self.document is not None else None
        if body is None:
            raise BriefgenError("a Word document without a body", file=name or None)
        self.body = body

    def _parse(self, name: str | None):
        return etree.fromstring(self.zip.read(name), _PARSER) if name in self.names else None

    def _target(self, base: str, rels_name: str, reltype: str) -> str | None:
        if rels_name not in self.names:
            return None
        for rel in self._parse(rels_name).iter(f"{_REL}Relationship"):
            if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        return None

    def note_map(self) -> dict[str, etree._Element]:
        if self.notes is None:
            return {}
        return {n.get(w("id")): n for n in self.notes.findall(w("footnote"))}

    def style_names(self) -> dict[str, str]:
        """Paragraph style id -> name ("Heading1" -> "heading 1")."""
        styles = self._parse(self._styles_name)
        if styles is None:
            return {}
        out = {}
        for style in styles.findall(w("style")):
            name = style.find(w("name"))
            out[style.get(w("styleId"), "")] = name.get(w("val"), "") if name is not None else ""
        return out


def docx_parts(data: bytes, name: str = "") -> DocxPackage:
    return DocxPackage(data, name)


def _style(p) -> str:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


class _Comparison:
    def __init__(self, old: DocxPackage, new: DocxPackage, marks: Marks) -> None:
        self.old, self.new, self.marks = old, new, marks
        self.old_notes, self.new_notes = old.note_map(), new.note_map()
        self.note_pairs: list[tuple[str, str]] = []
        self.inserted_notes: list[str] = []
        self.deleted_notes: dict[str, str] = {}
        ids = [int(i) for i in self.new_notes if i.lstrip("-").isdigit()]
        self.next_note = max([0, *ids]) + 1
        self.num_ids = ({n.get(w("numId")) for n in new.numbering.findall(w("num"))}
                        if new.numbering is not None else set())
        self._tokens: dict[etree._Element, tuple[list[Token], list]] = {}
        self.emitter = Emitter(marks, note_id=self._note_id, drop_run=self._drop_run)

    # ---- what each block is -------------------------------------------------------------------
    def tokens(self, p) -> tuple[list[Token], list]:
        found = self._tokens.get(p)
        if found is None:
            parent = p.getparent()
            first = (parent is not None and parent.tag in (w("footnote"), w("endnote"))
                     and parent.find(w("p")) == p)
            found = self._tokens[p] = tokenize(p, note_paragraph=first)
        return found

    def words(self, block) -> list[str]:
        if block.tag == w("p"):
            return [t.key for t in self.tokens(block)[0]]
        return [t.key for p in block.iter(w("p")) for t in self.tokens(p)[0]]

    def key(self, block) -> str:
        if block.tag == w("p"):
            return "p\x03" + _style(block) + "\x03" + "\x04".join(self.words(block))
        if block.tag == w("tbl"):
            return "tbl\x03" + "\x04".join(self.words(block))
        return "other\x03" + etree.tostring(block, encoding="unicode")

    def alike(self, a, b) -> float:
        if a.tag != b.tag or a.tag not in (w("p"), w("tbl")):
            return 0.0
        return similarity(self.words(a), self.words(b))

    # ---- runs of blocks --------------------------------------------------------------------------
    def blocks(self, olds: list, news: list) -> list:
        out: list = []
        for i, j in align(olds, news, self.key, self.alike):
            if i is not None and j is not None:
                out += self.pair(olds[i], news[j])
            elif j is not None:
                out += self.whole(news[j], "+")
            else:
                out += self.whole(olds[i], "-")
        return out

    def pair(self, old, new) -> list:
        if new.tag == w("p"):
            return [self.paragraph(old, new)]
        if new.tag == w("tbl"):
            return self.table(old, new)
        return [copy.deepcopy(new)]

    def whole(self, block, op: str) -> list:
        if block.tag == w("p"):
            return [self.paragraph(block, None) if op == "-" else self.paragraph(None, block)]
        if block.tag == w("tbl"):
            return [self.whole_table(block, op)]
        return [] if op == "-" else [copy.deepcopy(block)]   # e.g. a bookmark between blocks

    # ---- paragraphs ----------------------------------------------------------------------------
    def paragraph(self, old, new):
        if new is None:
            tokens, _ = self.tokens(old)
            p = copy.deepcopy(old)
            self._fix_numbering(p)
            self._note_ops("-", tokens)
            self.emitter.fill(p, [("-", tokens)], [])
            mark_paragraph(p, "del", self.marks)
            return p
        new_tokens, others = self.tokens(new)
        p = copy.deepcopy(new)
        if old is None:
            self._note_ops("+", new_tokens)
            self.emitter.fill(p, [("+", new_tokens)], others)
            mark_paragraph(p, "ins", self.marks)
            return p
        old_tokens, _ = self.tokens(old)
        pieces: list[tuple[str, list[Token]]] = []
        for tag, i1, i2, j1, j2 in word_opcodes([t.key for t in old_tokens], [t.key for t in new_tokens]):
            if tag == "equal":
                for a, b in zip(old_tokens[i1:i2], new_tokens[j1:j2]):
                    if a.note is not None and b.note is not None:
                        self.note_pairs.append((a.note, b.note))
                pieces.append(("=", new_tokens[j1:j2]))
                continue
            if i1 < i2:
                self._note_ops("-", old_tokens[i1:i2])
                pieces.append(("-", old_tokens[i1:i2]))
            if j1 < j2:
                self._note_ops("+", new_tokens[j1:j2])
                pieces.append(("+", new_tokens[j1:j2]))
        self.emitter.fill(p, pieces, others)
        return p

    def _fix_numbering(self, p) -> None:
        """A deleted list item whose list the new edition lacks loses its numbering, not its text."""
        num = p.find(f"{w('pPr')}/{w('numPr')}")
        if num is not None:
            num_id = num.find(w("numId"))
            if num_id is None or num_id.get(w("val")) not in self.num_ids:
                num.getparent().remove(num)

    def _note_ops(self, op: str, tokens: list[Token]) -> None:
        for token in tokens:
            if token.note is None:
                continue
            if op == "+":
                self.inserted_notes.append(token.note)
            elif token.note not in self.deleted_notes:
                self.deleted_notes[token.note] = str(self.next_note)
                self.next_note += 1

    def _note_id(self, token: Token, op: str) -> str:
        return self.deleted_notes.get(token.note, token.note) if op == "-" else token.note

    @staticmethod
    def _drop_run(token: Token) -> bool:
        # a picture's image belongs to the earlier package; its deletion is not carried over
        return token.run is not None and any(token.run.iter(*_PICTURES))

    # ---- tables --------------------------------------------------------------------------------
    def table(self, old, new) -> list:
        old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
        shape = lambda rows: [len(r.findall(w("tc"))) for r in rows]  # noqa: E731
        columns = lambda t: len(t.findall(f"{w('tblGrid')}/{w('gridCol')}"))  # noqa: E731
        if shape(old_rows) == shape(new_rows):
            rows = [self.row(a, b) for a, b in zip(old_rows, new_rows)]
        elif columns(old) == columns(new) and len(set(shape(old_rows) + shape(new_rows))) == 1:
            rows = []
            for i, j in align(old_rows, new_rows, self.key_row, self.alike_rows):
                if i is not None and j is not None:
                    rows.append(self.row(old_rows[i], new_rows[j]))
                else:
                    rows.append(self.whole_row(old_rows[i] if j is None else new_rows[j], "-" if j is None else "+"))
        else:  # the columns changed: the old table out, the new one in
            gap = etree.Element(w("p"))
            mark_paragraph(gap, "ins", self.marks)  # keeps the two tables from joining into one
            return [self.whole_table(old, "-"), gap, self.whole_table(new, "+")]
        table = copy.deepcopy(new)
        for tr in table.findall(w("tr")):
            table.remove(tr)
        table.extend(rows)
        return [table]

    def key_row(self, tr) -> str:
        return "\x04".join(self.words(tr))

    def alike_rows(self, a, b) -> float:
        return similarity(self.words(a), self.words(b))

    def row(self, old, new):
        tr = copy.deepcopy(new)
        for cell_old, cell_new, cell in zip(old.findall(w("tc")), new.findall(w("tc")), tr.findall(w("tc"))):
            self._fill_cell(cell, self.blocks(_content(cell_old), _content(cell_new)))
        return tr

    def whole_row(self, tr, op: str):
        out = copy.deepcopy(tr)
        _mark_row(out, "ins" if op == "+" else "del", self.marks)
        for source, cell in zip(tr.findall(w("tc")), out.findall(w("tc"))):
            blocks = _content(source)
            self._fill_cell(cell, self.blocks(blocks, []) if op == "-" else self.blocks([], blocks))
        return out

    def whole_table(self, tbl, op: str):
        out = copy.deepcopy(tbl)
        for tr in out.findall(w("tr")):
            out.remove(tr)
        out.extend(self.whole_row(tr, op) for tr in tbl.findall(w("tr")))
        return out

    @staticmethod
    def _fill_cell(cell, blocks: list) -> None:
        for child in _content(cell):
            cell.remove(child)
        cell.extend(_closed(blocks))

    # ---- notes ---------------------------------------------------------------------------------
    def notes(self) -> None:
        """Compare paired notes, mark inserted ones, carry deleted ones over (after the body, which
        found them)."""
        root = self.new.notes
        done: set[str] = set()
        for old_id, new_id in self.note_pairs:
            old, new = self.old_notes.get(old_id), self.new_notes.get(new_id)
            if old is None or new is None or new_id in done:
                continue
            done.add(new_id)
            _replace_content(new, _story_end(self.blocks(_content(old), _content(new))))
        for new_id in self.inserted_notes:
            new = self.new_notes.get(new_id)
            if new is not None and new_id not in done:
                done.add(new_id)
                _replace_content(new, _story_end(self.blocks([], _content(new))))
        for old_id, copy_id in self.deleted_notes.items():
            old = self.old_notes.get(old_id)
            if old is None or root is None:
                continue
            note = etree.SubElement(root, w("footnote"), {w("id"): copy_id})
            note.extend(_story_end(self.blocks(_content(old), [])))

    def order_notes(self, body) -> None:
        """Put the notes part in the order of the references, numbered 1, 2, 3...: LibreOffice
        gives notes their text in the order of the part, whatever their ids say."""
        root = self.new.notes
        if root is None:
            return
        refs = list(body.iter(w("footnoteReference")))
        notes = {n.get(w("id")): n for n in root.findall(w("footnote")) if n.get(w("type")) is None}
        special = [n for n in root.findall(w("footnote")) if n.get(w("type")) is not None]
        start = max([0, *(int(n.get(w("id"))) for n in special if n.get(w("id"), "").lstrip("-").isdigit())]) + 1
        order: dict[str, str] = {}
        for ref in refs:
            old_id = ref.get(w("id"))
            if old_id in notes and old_id not in order:
                order[old_id] = str(start + len(order))
            ref.set(w("id"), order.get(old_id, old_id))
        for note in notes.values():
            root.remove(note)
        for old_id, new_id in order.items():
            notes[old_id].set(w("id"), new_id)
            root.append(notes[old_id])


def _content(parent) -> list:
    """The blocks of a body, cell or note (its paragraphs and tables; not its own properties)."""
    return [c for c in parent if isinstance(c.tag, str) and c.tag not in (w("tcPr"), w("sectPr"))]


def _closed(blocks: list) -> list:
    """Blocks that end with a paragraph whose mark is no change: the last mark of a body or cell
    cannot be removed, so rejecting an inserted last paragraph (or accepting a deleted one) would
    leave it behind (an empty list item, say). A hairline paragraph after it takes that place."""
    last = blocks[-1] if blocks else None
    marks = last.find(f"{w('pPr')}/{w('rPr')}") if last is not None and last.tag == w("p") else None
    if last is None or last.tag != w("p") or (marks is not None and (
            marks.find(w("ins")) is not None or marks.find(w("del")) is not None)):
        hairline = etree.Element(w("p"))
        etree.SubElement(etree.SubElement(hairline, w("pPr")), w("spacing"),
                         {w("before"): "0", w("after"): "0", w("line"): "20", w("lineRule"): "exact"})
        blocks = [*blocks, hairline]
    return blocks


def _story_end(blocks: list) -> list:
    """A note's last paragraph mark ends the note and cannot itself be inserted or deleted (Word
    marks only the words of a note added or removed with its reference): unmark it."""
    if blocks and blocks[-1].tag == w("p"):
        rpr = blocks[-1].find(f"{w('pPr')}/{w('rPr')}")
        if rpr is not None:
            for mark in rpr.findall(w("ins")) + rpr.findall(w("del")):
                rpr.remove(mark)
            if not len(rpr):
                rpr.getparent().remove(rpr)
    return blocks


def _replace_content(parent, blocks: list) -> None:
    for child in _content(parent):
        parent.remove(child)
    parent.extend(blocks)


def _mark_row(tr, kind: str, marks: Marks) -> None:
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        ex = tr.find(w("tblPrEx"))
        (ex.addnext if ex is not None else lambda e: tr.insert(0, e))(trpr)
    for old in trpr.findall(w("ins")) + trpr.findall(w("del")):
        trpr.remove(old)
    if not any(c.tag not in (w("ins"), w("del"), w("trPrChange")) for c in trpr):
        # the schema wants at least one row property before the mark: the default one, stated
        trpr.insert(0, etree.Element(w("tblCellSpacing"), {w("w"): "0", w("type"): "dxa"}))
    change = trpr.find(w("trPrChange"))
    mark = marks.make(kind)
    if change is not None:
        change.addprevious(mark)
    else:
        trpr.append(mark)


def _first_free_id(package: DocxPackage) -> int:
    """Revision marks share their ids with bookmarks and comments: start above the highest."""
    best = 0
    for root in (package.document, package.notes):
        if root is None:
            continue
        for node in root.iter(w("bookmarkStart"), w("ins"), w("del"), w("commentRangeStart")):
            value = node.get(w("id"), "")
            if value.isdigit():
                best = max(best, int(value))
    return best + 1


def redline_docx(old: bytes, new: bytes, *, date: dt.date | dt.datetime, author: str = "briefgen",
                 old_name: str = "", new_name: str = "") -> Redline:
    """The ``new`` package with revision marks against ``old``, by ``author`` on ``date``."""
    before, after = DocxPackage(old, old_name), DocxPackage(new, new_name)
    marks = Marks(author, date, _first_free_id(after))
    comparison = _Comparison(before, after, marks)
    body = after.body
    section = body.find(w("sectPr"))
    blocks = comparison.blocks(_content(before.body), _content(body))
    _replace_content(body, _closed(blocks))
    if section is not None:
        body.append(section)  # the section's properties stay last
    comparison.notes()
    comparison.order_notes(body)
    parts = {after.main: after.document}
    if after.notes is not None and after.notes_name:
        parts[after.notes_name] = after.notes
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in after.zip.infolist():
            if info.filename in parts:
                data = etree.tostring(parts[info.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
            else:
                data = after.zip.read(info)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return Redline(out.getvalue(), marks.count["ins"], marks.count["del"])
