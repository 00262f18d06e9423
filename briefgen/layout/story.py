"""The document's blocks as ReportLab flowables (the "story"), one function per block type."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Indenter, KeepTogether, Paragraph, Spacer
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import Flowable, FrameBG, PageBreakIfNotEmpty

from ..errors import RenderError
from ..model import (Block, BulletList, Div, Document, Figure, Heading, Inline, Para, Table, plain_text)
from . import platypus
from .footnotes import FlushNotes, NoteArea, NotedParagraph, _line_numbers, measuring, note_numbers
from .furniture import title_block
from .markup import clean, esc, inline_markup
from .metrics import BOX_PAD, BULLET_INDENT
from .styles import Styles
from .tables import table_flowables
from .tagging import Elem, StructTree, TaggedImage, TaggedParagraph

__all__ = ["StoryBuilder", "HeadingParagraph", "AnnexStart"]

MAX_FIGURE_SHARE = 0.6    # a figure takes at most this share of the frame height


class KeepRoom(CondPageBreak):
    """A new page unless ``height`` is left, and room for ``notes`` (the notes whose marks are in the
    lines kept, as this page's note area would hold them); between two paragraphs it passes the
    first one's space after on (ReportLab overlaps a space after with the next space before, the
    larger counting, as Word and LibreOffice do; a plain CondPageBreak would end the overlap)."""

    _SPACETRANSFER = True

    def __init__(self, height: float, area: NoteArea | None = None, notes: list[int] | None = None,
                 lines_of=None):
        super().__init__(height)
        self.area, self.notes = area, notes or []
        # (paragraph, width): its first lines are measured only near the page foot, as breaking
        # it here as well as in the layout made a third of a layout's time
        self.lines_of = lines_of

    def wrap(self, availWidth, availHeight):
        if self.lines_of is not None:
            first, width = self.lines_of
            # at most three lines kept, calling at most all its notes: room for that is enough
            bound = self.height + 3 * first.style.leading
            if self.area is not None:
                bound += self.area.footprint(note_numbers(first), placing=True)
            if availHeight >= bound:
                return 0, 0
            self.lines_of = None
            first.wrap(width, 1e6)
            lines = first.blPara.lines
            kept = lines if len(lines) <= 3 else lines[:2]
            self.notes = [n for line in kept for n in _line_numbers(line)]
            self.height += len(kept) * first.style.leading
        need = self.height
        if self.area is not None and self.notes:
            need += self.area.footprint(self.notes, placing=True)
        if availHeight < need:
            frame = self._doctemplateAttr("frame")
            if not frame:
                return availWidth, availHeight
            from reportlab.platypus.doctemplate import FrameBreak
            frame.add_generated_content(FrameBreak)
        return 0, 0


class HeadingParagraph(NotedParagraph):
    """A heading: also a named destination and an entry in the PDF outline (bookmarks)."""

    outline: tuple[str, str, int] | None = None   # (key, title, level)

    def drawOn(self, canv, x, y, _sW=0):
        super().drawOn(canv, x, y, _sW)
        if self.outline and not measuring(canv):
            key, title, level = self.outline
            canv.bookmarkHorizontal(key, x, y + self.height)
            canv.addOutlineEntry(title, key, level=level, closed=False)


class AnnexStart(ActionFlowable):
    """Zero-size marker: records the page the first annex starts on (for ``PageLayout.body_pages``)."""

    def apply(self, doc) -> None:
        if getattr(doc, "annex_page", None) is None:
            doc.annex_page = doc.page


_DIV_TAGS = {"box": "Div", "not-for-use": "Div", "annex": "Sect", "bibliography": "Div", "quote": "BlockQuote"}


class StoryBuilder:
    """The flowables of a document; with ``tree`` (a written layout), each carries its structure
    element, made in reading order under the container being built (``self.parent``)."""

    def __init__(self, st: Styles, area: NoteArea, frame_width: float, frame_height: float,
                 tree: StructTree | None = None):
        self.st = st
        self.tree = tree
        self.parent: Elem | None = tree.root if tree is not None else None
        self.area = area
        self.frame_width = frame_width
        self.frame_height = frame_height
        self.link = st.theme.colours.accent
        self.indent = 0.0                  # current left indent (lists, boxes), for table widths
        self._outline_level = -1
        self._outline_n = 0
        self._styles: dict[tuple[str, int], ParagraphStyle] = {}

    # -- helpers
    def markup(self, inlines: tuple[Inline, ...]) -> str:
        return inline_markup(inlines, link_colour=self.link)

    def para(self, inlines: tuple[Inline, ...], style: ParagraphStyle, *, bullet: str | None = None,
             cls=NotedParagraph, tag: str | None = "P") -> Paragraph:
        p = cls(self.markup(inlines), style, bulletText=bullet)
        p.area = self.area
        p.struct = self.elem(tag) if tag else None
        return p

    def elem(self, tag: str, parent: Elem | None = None, **attrs) -> Elem | None:
        """A new structure element under ``parent`` (default: the current container), if tagging."""
        return Elem(tag, parent or self.parent, **attrs) if self.tree is not None else None

    def within(self, elem: Elem | None, build):
        """``build()`` with ``elem`` as the current container."""
        outer = self.parent
        self.parent = elem if elem is not None else outer
        try:
            return build()
        finally:
            self.parent = outer

    def _level_style(self, base: ParagraphStyle, level: int) -> ParagraphStyle:
        key = (base.name, level)
        style = self._styles.get(key)
        if style is None:
            left = BULLET_INDENT * level
            style = self._styles[key] = ParagraphStyle(f"{base.name}{level}", parent=base, leftIndent=left,
                                                       bulletIndent=left - BULLET_INDENT + 2)
        return style

    # -- the document
    def build(self, doc: Document) -> list[Flowable]:
        story = title_block(doc.meta, self.st, self.frame_width, self.tree)
        story += self.blocks(doc.blocks)
        story.append(FlushNotes(self.area))
        return story

    def blocks(self, blocks: tuple[Block, ...], *, bibliography: bool = False) -> list[Flowable]:
        parts = [(block, self._block(block, bibliography)) for block in blocks]
        out: list[Flowable] = []
        for i, (block, flowables) in enumerate(parts):
            if isinstance(block, Heading):
                out.append(self._keep_with_next(parts, i))
            out += flowables
        return out

    def _keep_with_next(self, parts, i: int) -> KeepRoom:
        """No heading alone at the foot of a page: it keeps with the headings straight after it and
        the first lines of the block after those (two, or a short paragraph whole: no widow nor
        orphan), and with room for the notes those lines call, as Word's keep with next and widow
        control keep them."""
        width = self.frame_width - self.indent
        height, j = 0.0, i
        while j < len(parts) and isinstance(parts[j][0], Heading):
            p = parts[j][1][-1]
            _, h = p.wrap(width, 1e6)
            height += p.style.spaceBefore + h + p.style.spaceAfter
            j += 1
        after = parts[j][1] if j < len(parts) else []
        if after and isinstance(after[0], KeepRoom):      # a box: kept whole for its first lines
            return KeepRoom(height + after[0].height, self.area)
        first = next((f for f in after if isinstance(f, Paragraph)), None)
        if first is None:
            return KeepRoom(height + self.st.leading * 2, self.area)
        return KeepRoom(height, self.area, lines_of=(first, width))

    def _block(self, block: Block, bibliography: bool) -> list[Flowable]:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Para):
            return [self.para(block.children, self.st.bibliography if bibliography else self.st.body)]
        if isinstance(block, BulletList):
            items = self.within(self.elem("L"), lambda: self.bullet_list(block, 1))
            # a paragraph's room after the list, on its last item (as the DOCX sets it), so it
            # overlaps the next block's room before as Word overlaps them: the larger counts
            last = next((f for f in reversed(items) if isinstance(f, Paragraph)), None)
            if last is not None:
                last.spaceAfter = self.st.body.spaceAfter
            return items
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            return self.figure(block)
        if isinstance(block, Div):
            return self.div(block)
        return []

    def heading(self, block: Heading) -> list[Flowable]:
        level = min(max(block.level, 1), 4)
        style = self.st.headings[level - 1]
        # the title is the brief's H1 (the title block), so its sections start at H2
        p = self.para(block.children, style, cls=HeadingParagraph, tag=f"H{min(level + 1, 6)}")
        # Outline levels may not skip (a level 3 straight under a level 1 hangs under it).
        outline_level = min(level - 1, self._outline_level + 1)
        self._outline_level = outline_level
        self._outline_n += 1
        title = " ".join(clean(plain_text(block.children)).split()) or "Untitled section"
        p.outline = (f"h{self._outline_n}-{block.id}", title, outline_level)
        return [p]     # kept with what follows by ``blocks`` (_keep_with_next)

    def bullet_list(self, block: BulletList, level: int) -> list[Flowable]:
        out: list[Flowable] = []
        style = self._level_style(self.st.item, level)
        for n, item in enumerate(block.items, 1):
            bullet = f"{n}." if block.ordered else ("•" if level % 2 else "–")
            li = self.elem("LI")
            label = self.elem("Lbl", li) if item and isinstance(item[0], Para) else None
            body = self.elem("LBody", li)
            first = True
            for sub in item:
                if isinstance(sub, Para) and first:   # the item's own text: the LBody, after its bullet
                    p = self.para(sub.children, style, bullet=bullet, tag=None)
                    p.struct, p.label = body, label
                    out.append(p)
                elif isinstance(sub, Para):
                    out.append(self.within(body, lambda sub=sub: self.para(sub.children, style)))
                elif isinstance(sub, BulletList):
                    out += self.within(body, lambda sub=sub: self.within(
                        self.elem("L"), lambda: self.bullet_list(sub, level + 1)))
                else:
                    left = BULLET_INDENT * level
                    self.indent += left
                    out += [Indenter(left=left), *self.within(body, lambda sub=sub: self.blocks((sub,))),
                            Indenter(left=-left)]
                    self.indent -= left
                first = False
        return out

    def table(self, block: Table) -> list[Flowable]:
        return table_flowables(block, self.st, self.area, self.frame_width - self.indent, self.markup,
                               lambda inlines: self.para(inlines, self.st.caption), self.tree, self.parent)

    def figure(self, block: Figure) -> list[Flowable]:
        path = Path(block.path)
        if not path.is_file():
            raise RenderError(f"image '{block.path}' not found", file=block.path,
                              hint="the figure's path must name an existing PNG or JPEG file")
        try:
            iw, ih = platypus.image_size(path)
        except Exception as exc:  # PIL raises many types for an unreadable file
            raise RenderError(f"cannot read image '{block.path}' ({exc})", file=block.path,
                              hint="use a PNG or JPEG file") from None
        if iw <= 0 or ih <= 0:
            raise RenderError(f"image '{block.path}' has no size", file=block.path)
        # Scaled down to the frame (never up): an oversize image never stops the layout.
        scale = min(1.0, (self.frame_width - self.indent) / iw, self.frame_height * MAX_FIGURE_SHARE / ih)
        image = TaggedImage(str(path), width=iw * scale, height=ih * scale)
        image.hAlign = "LEFT"
        image.struct = self.elem("Figure", Alt=block.alt)
        parts: list[Flowable] = [image, Spacer(1, self.st.body.spaceAfter * 0.5)]
        if block.caption:
            parts.append(self.within(image.struct, lambda: self.para(block.caption, self.st.caption,
                                                                     tag="Caption")))
        return [KeepTogether(parts)]

    def div(self, block: Div) -> list[Flowable]:
        return self.within(self.elem(_DIV_TAGS.get(block.kind, "Div")), lambda: self._div(block))

    def _div(self, block: Div) -> list[Flowable]:
        st = self.st
        if block.kind in ("box", "not-for-use"):
            out: list[Flowable] = [KeepRoom(st.leading * 4 + 2 * BOX_PAD),
                                   FrameBG(color=st.colour("box"), left=0, right=0, start=True),
                                   Spacer(1, BOX_PAD), Indenter(left=BOX_PAD, right=BOX_PAD)]
            self.indent += 2 * BOX_PAD
            if block.title:
                title = TaggedParagraph(esc(block.title), st.box_title)
                title.struct = self.elem("P")
                out.append(title)
            out += self.blocks(block.children)
            self.indent -= 2 * BOX_PAD
            out += [Indenter(left=-BOX_PAD, right=-BOX_PAD), Spacer(1, max(0.0, BOX_PAD - st.body.spaceAfter)),
                    FrameBG(start=False), Spacer(1, st.body.spaceAfter)]
            return out
        if block.kind == "annex":
            return [PageBreakIfNotEmpty(), AnnexStart(), *self.blocks(block.children)]
        if block.kind == "bibliography":
            return self.blocks(block.children, bibliography=True)
        return self.blocks(block.children)
