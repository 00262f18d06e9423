"""Real Word footnotes: a ``word/footnotes.xml`` part added through python-docx's OPC layer.

python-docx has no footnote API, so the part is an ``XmlPart`` related to the document part with the
footnotes relationship; python-docx then writes its content-type override and relationship itself.
A reference document's separator notes (and their ids, which its settings part names) are kept;
otherwise Word's usual separator (-1) and continuation separator (0) are created.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.parser import parse_xml

from ...model import Note
from .inlines import Fmt, InlineWriter, Sanitizer
from .styles import StyleMap
from .xml import el, ppr, qn, rpr

__all__ = ["Footnotes", "clear_notes_part"]

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_SPECIAL = ("separator", "continuationSeparator", "continuationNotice")


def _separators(kind: str) -> str:
    """Word's own separator notes for ``kind`` ("footnote" or "endnote")."""
    para = ('<w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            '<w:r><w:{mark}/></w:r></w:p>')
    return (f'<w:{kind} w:type="separator" w:id="-1">{para.format(mark="separator")}</w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0">'
            f'{para.format(mark="continuationSeparator")}</w:{kind}>')


def clear_notes_part(document_part, reltype: str, content_type: str, kind: str, *,
                     create: bool) -> XmlPart | None:
    """Replace the notes part of ``reltype`` by one holding only its separator notes.

    A reference document's own notes belong to text that is not copied, so they go; a package
    without such a part gets a new one when ``create``.
    """
    old = None
    for rid, rel in list(document_part.rels.items()):
        if rel.reltype == reltype and not rel.is_external:
            old = rel.target_part
            del document_part.rels[rid]
    if old is None and not create:
        return None
    root = parse_xml(f"<w:{kind}s {_NS}/>")
    if old is not None:
        old_root = parse_xml(old.blob)
        for note in old_root.findall(qn(f"w:{kind}")):
            if note.get(qn("w:type")) in _SPECIAL:
                root.append(note)
    if not len(root):
        for note in parse_xml(f"<w:{kind}s {_NS}>{_separators(kind)}</w:{kind}s>"):
            root.append(note)
    partname = old.partname if old is not None else PackURI(f"/word/{kind}s.xml")
    part = XmlPart(partname, content_type, root, document_part.package)
    document_part.relate_to(part, reltype)
    return part


class Footnotes:
    """Collects the brief's notes as ``w:footnote`` elements while the body is written."""

    def __init__(self, document_part, styles: StyleMap, clean: Sanitizer, hang: int = 0,
                 full_size: bool = False) -> None:
        """``hang``: twips the note text is indented past its number (0: Word's superscript
        number run into the text); ``full_size``: the number in the text's size, not raised."""
        self._full_size = full_size
        self.part = clear_notes_part(document_part, RT.FOOTNOTES, CT.WML_FOOTNOTES, "footnote",
                                     create=True)
        ids = [int(n.get(qn("w:id"))) for n in self.part.element.findall(qn("w:footnote"))]
        self._next_id = max([0, *ids]) + 1
        self._count = 0
        self._hang = hang
        self._styles = styles
        # Note text is written in the footnotes part, so its hyperlinks are related from there.
        self._writer = InlineWriter(self.part, styles, clean, notes=None)

    @property
    def count(self) -> int:
        return self._count

    def add(self, note: Note) -> tuple[int, bool]:
        """Add ``note``; return its Word id and whether its mark must be printed explicitly."""
        self._count += 1
        note_id, self._next_id = self._next_id, self._next_id + 1
        custom = note.number != self._count
        # The number keeps the footnote reference style (superscript), unless the theme hangs it
        # full size (note_numbers: hanging), as the PDF then does; LibreOffice draws every note
        # number raised whatever the run says (a difference Word does not share).
        ref_rpr = rpr(rStyle=el("w:rStyle", val=self._styles[
            "footnote number" if self._full_size else "footnote reference"]))
        if custom:
            mark = el("w:t")
            mark.text = str(note.number)
            mark_run = el("w:r", [ref_rpr, mark])
        else:
            mark_run = el("w:r", [ref_rpr, el("w:footnoteRef")])
        if self._hang:
            gap = el("w:r", [el("w:tab")])
            ind = el("w:ind", left=self._hang, hanging=self._hang)
        else:
            space = el("w:t", xml__space="preserve")
            space.text = " "
            gap, ind = el("w:r", [space]), None
        para = el("w:p", [ppr(pStyle=el("w:pStyle", val=self._styles["footnote text"]), ind=ind),
                          mark_run, gap])
        self._writer.write(para, note.children, Fmt(in_note=True))
        self.part.element.append(el("w:footnote", [para], id=note_id))
        return note_id, custom
