"""One layout pass: the document template that runs the story, the note area and the furniture.

``one_pass`` counts pages (nothing drawn) or draws them too. "Page X of Y" needs the
page count before the first page is finished: each page draws a form XObject that is defined only
at the end, when the count is known (PDF allows the reference first), so one pass is enough.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from ..errors import RenderError
from ..model import Document, Heading, Note, iter_blocks, notes_of
from .metrics import PAGE_MM, RISE, SUPERSCRIPT, note_hang
from .footnotes import NoteArea, measuring, note_paragraph_factory
from .furniture import Furniture
from .metadata import attach_metadata
from .story import StoryBuilder
from .styles import Styles
from .tagging import StructTree, TaggingCanvas, tagging_of

__all__ = ["one_pass", "PassRecord"]



@dataclass
class PassRecord:
    """What a pass learned: page count, where the annexes start, how full each page is, notes."""
    pages: int = 0
    annex_page: int | None = None
    fills: list[float] = field(default_factory=list)
    note_pages: dict[int, int] = field(default_factory=dict)
    continued: dict[int, int] = field(default_factory=dict)


class _BriefTemplate(BaseDocTemplate):
    """Adds the note area's page life to ReportLab's template, and remembers page fills."""

    def __init__(self, out, *, area: NoteArea, record: PassRecord, created: str | None, outline: bool,
                 furniture: Furniture, tree: StructTree | None = None, **kw):
        self.area = area
        self.tree = tree
        self.furniture = furniture
        self.record = record
        self.created = created
        self.outline = outline
        self.annex_page = None
        self.current = None
        super().__init__(out, **kw)

    def _startBuild(self, *args, **kw):
        super()._startBuild(*args, **kw)
        if self.created:
            created = self.created
            self.canv.setDateFormatter(lambda *_: created)
        if self.outline:
            self.canv.showOutline()
        if not getattr(self, "_doSave", 1):
            self.canv.briefgen_measuring = True   # see footnotes.measuring
        else:   # the labels records systems read (document information, XMP)
            attach_metadata(self.canv, self.furniture.meta, self.furniture.st.theme)
        if tagging_of(self.canv) is not None:
            self.canv.tree = self.tree

    def _endBuild(self):
        if getattr(self, "_doSave", 1):  # the page count is known now: define the "Page X of Y" forms
            self.furniture.define_page_numbers(self.canv, self.page)
        super()._endBuild()

    def handle_pageBegin(self):
        super().handle_pageBegin()     # draws the furniture (pagination artifacts)
        self.area.begin_page(self.frame, self.page)
        tags = tagging_of(self.canv)
        if tags is not None:
            tags.open_page()

    def handle_pageEnd(self):
        frame = self.frame
        top = frame._y2 - frame._topPadding
        used = max(0.0, top - max(frame._y, frame._y1p)) + self.area.used
        self.record.fills.append(min(1.0, used / (top - self.area.base)))
        if not measuring(self.canv):
            self.area.draw(self.canv, frame)
        tags = tagging_of(self.canv)
        if tags is not None:
            tags.close_page()
        super().handle_pageEnd()

    def handle_flowable(self, flowables):
        self.current = flowables[0] if flowables else None
        super().handle_flowable(flowables)


def _source_date(doc: Document) -> str | None:
    """The PDF creation date: the brief's own date, so a rebuild gives the same bytes."""
    if doc.meta.date is None:
        return None  # ReportLab's invariant mode: SOURCE_DATE_EPOCH if set, else 2000-01-01
    d = doc.meta.date
    return f"D:{d.year:04d}{d.month:02d}{d.day:02d}000000+00'00'"


def _describe(flowable) -> str:
    """A flowable in the user's words: the start of its text, without markup."""
    if hasattr(flowable, "_cellvalues"):
        return "a table"
    text = getattr(flowable, "text", None) or ""
    text = " ".join(html.unescape(re.sub(r"<[^>]*>", "", str(text))).split())
    return f"'{text[:50]}…'" if len(text) > 50 else f"'{text}'" if text else ""


def one_pass(doc: Document, st: Styles, out: BinaryIO | None) -> PassRecord:
    """Lay ``doc`` out; write the PDF to ``out`` (None: measure only, nothing is saved)."""
    theme, meta = st.theme, doc.meta
    page_size = tuple(side * mm for side in PAGE_MM[theme.page.size])
    m = theme.page.margins_mm
    frame = Frame(m.left * mm, m.bottom * mm, page_size[0] - (m.left + m.right) * mm,
                  page_size[1] - (m.top + m.bottom) * mm, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    notes: dict[int, Note] = {n.number: n for n in notes_of(doc)}
    note_style = st.note
    if notes:   # hang the text after the widest number
        from reportlab.lib.styles import ParagraphStyle
        raised = theme.note_numbers == "superscript"     # as the DOCX's footnote reference style
        note_style = ParagraphStyle("FootnoteHung", parent=st.note, bulletIndent=0,
                                    leftIndent=note_hang(st.note.fontSize, max(notes)),
                                    bulletFontSize=st.note.fontSize * (SUPERSCRIPT if raised else 1),
                                    bulletOffsetY=st.note.fontSize * RISE if raised else 0)
    tree = StructTree() if out is not None else None    # a written PDF is tagged (PDF/UA)
    area = NoteArea(notes=notes, make_para=note_paragraph_factory(note_style, theme.colours.accent, tree),
                    width=frame._aW, frame_height=frame._aH, note_leading=note_style.leading,
                    rule_colour=st.colour("text"))     # Word draws its separator in the text's colour
    record = PassRecord()
    furniture = Furniture(meta, st, page_size)
    template = _BriefTemplate(
        out if out is not None else io.BytesIO(), area=area, record=record, created=_source_date(doc),
        furniture=furniture, tree=tree,
        outline=any(isinstance(b, Heading) for b in iter_blocks(doc.blocks)), pagesize=page_size,
        leftMargin=m.left * mm, rightMargin=m.right * mm, topMargin=m.top * mm, bottomMargin=m.bottom * mm,
        title=meta.title, author=meta.author or meta.office, subject=meta.subject or meta.subtitle,
        keywords=list(meta.keywords), creator="briefgen", producer="briefgen (ReportLab)",
        lang=meta.language or None, invariant=1, displayDocTitle=1,
        # otherwise every page starts in ReportLab's Helvetica, a font that is never embedded
        initialFontName=st.body_faces.regular.name, initialFontSize=theme.fonts.size,
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=furniture)])
    if out is None:
        template._doSave = 0
    story = StoryBuilder(st, area, frame._aW, frame._aH, tree).build(doc)
    try:
        template.build(story, canvasmaker=TaggingCanvas if tree is not None else Canvas)
    except LayoutError as exc:
        what = _describe(template.current)
        raise RenderError(
            f"the PDF layout failed at {what}" if what else "the PDF layout failed",
            hint="something does not fit on any page (e.g. the notes of one line are longer than a "
                 "page); shorten or split it") from exc
    record.pages = template.page
    record.annex_page = template.annex_page
    record.note_pages = dict(area.page_of)
    record.continued = dict(area.continued)
    return record
