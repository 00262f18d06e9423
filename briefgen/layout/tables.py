"""Tables: columns shared by their text's width, header row repeated, oversize tables set smaller.

A table wider than the frame at body size is set in a smaller size (down to ``MIN_SIZE``); beyond
that ReportLab breaks long words inside their cells. Rows taller than a page split inside the row,
so no table can stop the layout.
"""

from __future__ import annotations

from typing import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus.flowables import Flowable

from ..model import Inline, Table, plain_text
from .footnotes import NoteArea, NotedTable
from .markup import clean
from .metrics import CELL_PAD_X, CELL_PAD_Y
from .styles import Styles
from .tagging import Elem, StructTree, TaggedParagraph

__all__ = ["table_flowables", "column_widths"]

MIN_SIZE = 6.5            # smallest type an oversize table is set in


def column_widths(rows: list[list[str]], heads: int, st: Styles, avail: float) -> tuple[list[float], float]:
    """Column widths filling ``avail``, by each column's natural width, never below its longest
    word; and the scale (<= 1) the table's type must be set at for its words to fit at all."""
    ncols = len(rows[0])
    natural = [0.0] * ncols
    minimum = [0.0] * ncols
    pad = 2 * CELL_PAD_X + 1
    for r, row in enumerate(rows):
        style = st.cell_head if r < heads else st.cell
        for c, text in enumerate(row):
            natural[c] = max(natural[c], stringWidth(text, style.fontName, style.fontSize) + pad)
            longest = max((stringWidth(w, style.fontName, style.fontSize) for w in text.split()), default=0)
            minimum[c] = max(minimum[c], longest + pad)
    natural = [max(n, m, 2 * pad) for n, m in zip(natural, minimum)]
    scale = 1.0
    if sum(minimum) > avail:      # too many columns or too long words: smaller type, smaller padding
        scale = max(MIN_SIZE / st.cell.fontSize, avail / sum(minimum))
        natural = [n * scale for n in natural]
        minimum = [m * scale for m in minimum]
    if sum(natural) <= avail:
        return [n * avail / sum(natural) for n in natural], scale
    if sum(minimum) >= avail:     # still too wide: ReportLab breaks the long words
        return [m * avail / sum(minimum) for m in minimum], scale
    extra, slack = avail - sum(minimum), [n - m for n, m in zip(natural, minimum)]
    return [m + extra * s / sum(slack) for m, s in zip(minimum, slack)], scale


def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    if scale >= 1:
        return style
    return ParagraphStyle(f"{style.name}Small", parent=style, fontSize=style.fontSize * scale,
                          leading=style.leading * scale)


def table_flowables(block: Table, st: Styles, area: NoteArea, avail: float,
                    markup: Callable[[tuple[Inline, ...]], str],
                    caption: Callable[[tuple[Inline, ...]], Flowable],
                    tree: StructTree | None = None, parent: Elem | None = None) -> list[Flowable]:
    """The table (and its caption) as flowables; with ``tree``, tagged as ``Table`` > ``TR`` > ``TH``
    (scope Column; drawn again atop a later page, an artifact) / ``TD``, under ``parent``."""
    ncols = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    if ncols == 0:
        return []
    empty: tuple[Inline, ...] = ()
    rows = ([list(block.header)] if block.header else []) + [list(r) for r in block.rows]
    rows = [row + [empty] * (ncols - len(row)) for row in rows]
    heads = 1 if block.header else 0
    widths, scale = column_widths([[clean(plain_text(c)) for c in row] for row in rows], heads, st, avail)
    cell, head = _scaled(st.cell, scale), _scaled(st.cell_head, scale)
    data = [[TaggedParagraph(markup(c), head if r < heads else cell) for c in row] for r, row in enumerate(rows)]
    elem = tree.add("Table", parent) if tree is not None else None
    if elem is not None:
        for r, row in enumerate(data):
            tr = Elem("TR", elem)
            for para in row:
                para.struct = Elem("TH", tr, Scope="Column") if r < heads else Elem("TD", tr)
                para.struct.once = r < heads
    px, py = CELL_PAD_X * scale, CELL_PAD_Y * scale
    commands = [("GRID", (0, 0), (-1, -1), 0.5, st.colour("rule")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # cells are paragraphs, but the table still selects its default (Helvetica) font
                ("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
                ("LEFTPADDING", (0, 0), (-1, -1), px), ("RIGHTPADDING", (0, 0), (-1, -1), px),
                ("TOPPADDING", (0, 0), (-1, -1), py), ("BOTTOMPADDING", (0, 0), (-1, -1), py)]
    if heads:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), st.colour("box")))
    table = NotedTable(data, colWidths=widths, repeatRows=heads, style=TableStyle(commands),
                       splitInRow=1, hAlign="LEFT", spaceAfter=st.body.spaceAfter)
    table.area, table.struct = area, elem
    if not block.caption:
        return [table]
    # Below the table, where the model's reading order (and so note numbering) puts it.
    table.spaceAfter = 0
    below = caption(block.caption)
    if elem is not None:
        below.struct = Elem("Caption", elem)
    return [table, below]
