"""Blocks as WordprocessingML: headings, paragraphs, real lists, tables, figures and boxes.

Each function returns the elements for one block; the caller puts them in the body or a table
cell. Layout choices that the PDF writer must share (spacing after tables, box padding, column
widths) are made here, in one place.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Block, BulletList, Div, Figure, Heading, Para, Table, plain_text
from .context import Context
from .inlines import Fmt
from ...layout import metrics
from .xml import el, merge_ppr, ppr, pt_twips, qn, rpr

__all__ = ["write_blocks"]

BOX_PAD = pt_twips(metrics.BOX_PAD)     # between a box's edge and its text
CELL_PAD = (pt_twips(metrics.CELL_PAD_Y), pt_twips(metrics.CELL_PAD_X))   # inside cells: top/bottom, left/right
BOX_KINDS = ("box", "not-for-use")


def write_blocks(ctx: Context, blocks: tuple[Block, ...], width: int, *, level: int = -1,
                 style: str | None = None) -> list:
    """Elements for ``blocks`` in a column ``width`` twips wide; ``level`` >= 0 inside a list."""
    out: list = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(_heading(ctx, block))
        elif isinstance(block, Para):
            out.append(_para(ctx, block, style or ("List Paragraph" if level >= 0 else None), level))
        elif isinstance(block, BulletList):
            out += _list(ctx, block, width, level + 1)
        elif isinstance(block, Table):
            out += _table(ctx, block, width)
        elif isinstance(block, Figure):
            out += _figure(ctx, block, width)
        elif isinstance(block, Div):
            out += _div(ctx, block, width, level)
    return out


def _p(ctx: Context, style: str | None, **props):
    pstyle = el("w:pStyle", val=ctx.styles[style]) if style else None
    return el("w:p", [ppr(pStyle=pstyle, **props)] if (pstyle is not None or props) else [])


def _para(ctx: Context, block: Para, style: str | None, level: int = -1):
    ind = None
    if level >= 0:  # a list item's second paragraph lines up with its first one's text
        left, _ = ctx.numbering.indent(level)
        ind = el("w:ind", left=left)
    p = _p(ctx, style, ind=ind)
    ctx.inline_writer().write(p, block.children)
    return p


def _heading(ctx: Context, block: Heading):
    level = min(max(block.level, 1), 4)
    p = _p(ctx, f"heading {level}")
    mark = ctx.heading_bookmark(block)
    if mark:
        p.append(el("w:bookmarkStart", id=mark[0], name=mark[1]))
    ctx.inline_writer().write(p, block.children)
    if mark:
        p.append(el("w:bookmarkEnd", id=mark[0]))
    return p


def _list(ctx: Context, block: BulletList, width: int, level: int) -> list:
    level = min(level, 3)  # Word's list definitions here have four levels; deeper ones stay at 4
    num_id = ctx.numbering.list_id(block.ordered, level)
    out: list = []
    for item in block.items:
        first, rest = (item[0], item[1:]) if item and isinstance(item[0], Para) else (Para(()), item)
        numpr = el("w:numPr", [el("w:ilvl", val=level), el("w:numId", val=num_id)])
        p = _p(ctx, "List Paragraph", numPr=numpr)
        ctx.inline_writer().write(p, first.children)
        out.append(p)
        out += write_blocks(ctx, rest, width, level=level)
    if level == 0 and out and out[-1].tag == qn("w:p"):  # a list ends with a paragraph's space
        merge_ppr(out[-1], spacing=el("w:spacing", after=pt_twips(ctx.metrics.para_after)))
    return out


def spacer(ctx: Context, height_pt: float | None = None):
    """An empty paragraph of fixed height: the gap after a table, and what keeps two adjacent
    tables from merging into one in Word."""
    height = ctx.metrics.para_after if height_pt is None else height_pt
    return _p(ctx, None, spacing=el("w:spacing", before=0, after=0, line=pt_twips(max(height, 1)),
                                    lineRule="exact"))


def _column_widths(block: Table, width: int) -> list[int]:
    """Columns share the width in proportion to their longest cell (clamped), as a person would
    drag them: a date column stays narrow, a description column gets the room."""
    ncols = max([len(block.header), *(len(r) for r in block.rows)])
    if not ncols:
        return []
    weights = []
    for c in range(ncols):
        cells = [row[c] for row in (block.header, *block.rows) if c < len(row)]
        longest = max((len(plain_text(cell)) for cell in cells), default=0)
        weights.append(min(max(longest, 8), 48))
    total = sum(weights) or 1
    widths = [width * w // total for w in weights]
    widths[-1] += width - sum(widths)
    return widths


def _cell(ctx: Context, inlines, width: int, style: str, fill: str | None = None):
    tcpr = el("w:tcPr", [el("w:tcW", w=width, type="dxa"),
                         el("w:shd", val="clear", color="auto", fill=fill) if fill else None])
    p = _p(ctx, style)
    ctx.inline_writer().write(p, inlines)
    return el("w:tc", [tcpr, p])


def _table(ctx: Context, block: Table, width: int) -> list:
    out: list = []
    widths = _column_widths(block, width)
    ncols = len(widths)
    if not ncols:  # a table without cells: only its caption remains
        return _caption(ctx, block.caption)
    rule = ctx.theme.colours.rule.lstrip("#")
    line = lambda: dict(val="single", sz=4, space=0, color=rule)  # noqa: E731
    borders = el("w:tblBorders", [el(f"w:{side}", **line())
                                  for side in ("top", "left", "bottom", "right", "insideH", "insideV")])
    margins = el("w:tblCellMar", [el("w:top", w=CELL_PAD[0], type="dxa"),
                                  el("w:left", w=CELL_PAD[1], type="dxa"),
                                  el("w:bottom", w=CELL_PAD[0], type="dxa"),
                                  el("w:right", w=CELL_PAD[1], type="dxa")])
    tbl = el("w:tbl", [
        el("w:tblPr", [el("w:tblW", w=width, type="dxa"), borders,
                       el("w:tblLayout", type="fixed"), margins,
                       el("w:tblLook", val="04A0", firstRow=1, lastRow=0, firstColumn=0,
                          lastColumn=0, noHBand=1, noVBand=1)]),
        el("w:tblGrid", [el("w:gridCol", w=w) for w in widths]),
    ])
    if block.header:
        # cantSplit, then tblHeader: the header row repeats on every page the table reaches
        row = el("w:tr", [el("w:trPr", [el("w:cantSplit"), el("w:tblHeader")])])
        fill = ctx.theme.colours.box.lstrip("#")
        for c in range(ncols):
            cell = block.header[c] if c < len(block.header) else ()
            row.append(_cell(ctx, cell, widths[c], "Table Heading", fill))
        tbl.append(row)
    for cells in block.rows:
        row = el("w:tr", [el("w:trPr", [el("w:cantSplit")])])
        for c in range(ncols):
            row.append(_cell(ctx, cells[c] if c < len(cells) else (), widths[c], "Table Text"))
        tbl.append(row)
    out.append(tbl)
    # The caption goes below, where the model's reading order (and so note numbering) puts it.
    return out + (_caption(ctx, block.caption) if block.caption else [spacer(ctx)])


def _caption(ctx: Context, inlines) -> list:
    if not inlines:
        return []
    cap = _p(ctx, "caption")
    ctx.inline_writer().write(cap, inlines)
    return [cap]


def _figure(ctx: Context, block: Figure, width: int) -> list:
    run = ctx.picture(ctx.document_part, Path(block.path), width * 635, block.alt)  # twips -> EMU
    p = _p(ctx, "Figure", keepNext=el("w:keepNext") if block.caption else None)
    p.append(run)
    return [p, *_caption(ctx, block.caption)]


def _div(ctx: Context, block: Div, width: int, level: int) -> list:
    if block.kind in BOX_KINDS:
        return [_box(ctx, block, width), spacer(ctx)]
    style = "Bibliography" if block.kind == "bibliography" else None
    out = write_blocks(ctx, block.children, width, level=level, style=style)
    if block.kind == "annex":  # an annex starts on a new page
        if out and out[0].tag.endswith("}p"):
            merge_ppr(out[0], pageBreakBefore=el("w:pageBreakBefore"))
        else:
            brk = spacer(ctx, 1)
            merge_ppr(brk, pageBreakBefore=el("w:pageBreakBefore"))
            out.insert(0, brk)
    return out


def _title_into(ctx: Context, para, title: str) -> None:
    """Start the box's first paragraph with its title and a line break: widow and orphan control then
    keeps the title with the first lines, where a title of its own with keepNext would make
    LibreOffice move the whole box (a one-cell table) to the next page."""
    first = 1 if para.find(qn("w:pPr")) is not None else 0
    runs = []
    tmp = el("w:p")
    ctx.inline_writer().text(tmp, title, Fmt())
    for run in tmp.findall(qn("w:r")):
        old = run.find(qn("w:rPr"))
        if old is not None:
            run.remove(old)
        run.insert(0, rpr(rStyle=el("w:rStyle", val=ctx.styles["Box Title Char"])))
        runs.append(run)
    runs.append(el("w:r", [el("w:br")]))
    for offset, run in enumerate(runs):
        para.insert(first + offset, run)


def _box(ctx: Context, block: Div, width: int):
    """A shaded box: a one-cell table, which Word and LibreOffice both keep as one box across
    paragraphs, lists and page breaks (paragraph shading does not survive indented lists)."""
    fill = ctx.theme.colours.box.lstrip("#")
    inner = width - 2 * BOX_PAD
    content: list = write_blocks(ctx, block.children, inner)
    if block.title and content and content[0].tag == qn("w:p") and isinstance(block.children[0], Para):
        _title_into(ctx, content[0], block.title)
    elif block.title:
        title = _p(ctx, "Box Title")
        ctx.inline_writer().text(title, block.title, Fmt())
        content.insert(0, title)
    if not content or not content[-1].tag.endswith("}p"):
        content.append(spacer(ctx, 1))  # a cell must end with a paragraph
    margins = el("w:tcMar", [el("w:top", w=BOX_PAD, type="dxa"), el("w:left", w=BOX_PAD, type="dxa"),
                             el("w:bottom", w=max(0, BOX_PAD - pt_twips(ctx.metrics.para_after)),
                                type="dxa"),
                             el("w:right", w=BOX_PAD, type="dxa")])
    cell = el("w:tc", [el("w:tcPr", [el("w:tcW", w=width, type="dxa"),
                                     el("w:shd", val="clear", color="auto", fill=fill), margins]),
                       *content])
    return el("w:tbl", [
        el("w:tblPr", [el("w:tblW", w=width, type="dxa"), el("w:tblLayout", type="fixed"),
                       el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0,
                          lastColumn=0, noHBand=1, noVBand=1)]),
        el("w:tblGrid", [el("w:gridCol", w=width)]),
        el("w:tr", [cell]),
    ])
