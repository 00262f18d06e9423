"""The PDF writer: a print-ready PDF with footnotes at the foot of their page, built with ReportLab.

Steps, each in its own module:

0. ``engine``: ReportLab itself, imported once, its URL pattern compiled in an equivalent 2 ms form (not 37 ms).
1. ``styles``/``fonts``: the theme's TrueType families, registered once per process, as paragraph styles.
2. ``glyphs``: pre-flight, every character against the face that will draw it.
3. ``story``: the blocks as flowables (``markup`` escapes all content text).
4. ``layout``: a pass through ReportLab's page layout, with ``footnotes`` keeping each note on the
   page of its mark and ``furniture`` drawing banner, header and footer.

``lay_out_pages`` lays a document out once (see ``layout`` for "Page X of Y") and returns its page
facts and, when asked to draw, the finished file; ``write_pdf`` writes a layout it is given, or lays
the document out itself. Output is reproducible: ReportLab's invariant mode, with the brief's date
as creation date.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ...model import Document
from ...theme import Theme
from . import engine

if TYPE_CHECKING:
    from ...cache import Cache

__all__ = ["write_pdf", "lay_out_pages", "PageLayout"]


@dataclass(frozen=True)
class PageLayout:
    """A document laid out on pages: what fitting counts, and what the PDF writer writes."""
    pages: int                    # total pages
    body_pages: int               # pages before the first annex (``pages`` when there is none)
    last_body_page_fill: float    # 0..1: share of the last body page's frame in use, notes included
    pdf: bytes | None = None      # the drawn file (None: laid out to count pages only)


def lay_out_pages(doc: Document, theme: Theme, *, draw: bool = True, cache: Cache | None = None) -> PageLayout:
    """Lay ``doc`` out (drawn when ``draw``: a third more work than counting pages). ``cache``
    keeps the font files' parsed tables."""
    engine.load()
    from .glyphs import check_glyphs
    from .layout import lay_out
    from .styles import styles_for

    st = styles_for(theme, cache)
    check_glyphs(doc, st)
    buffer = io.BytesIO() if draw else None
    record = lay_out(doc, st, buffer)   # one pass; the canvas stamps "Page X of Y" at the end
    body = record.pages if record.annex_page is None else max(record.annex_page - 1, 0)
    fill = record.fills[body - 1] if 0 < body <= len(record.fills) else 0.0
    return PageLayout(pages=record.pages, body_pages=body, last_body_page_fill=round(fill, 4),
                      pdf=buffer.getvalue() if buffer is not None else None)


def write_pdf(doc: Document, theme: Theme, out: BinaryIO, layout: PageLayout | None = None) -> None:
    """Write ``doc`` as PDF to the binary stream ``out``: ``layout`` if it was drawn (of this
    document and theme), else a layout of its own."""
    if layout is None or layout.pdf is None:
        layout = lay_out_pages(doc, theme)
    out.write(layout.pdf)
