"""The PDF writer: a print-ready PDF with footnotes at the foot of their page, built with ReportLab.

Steps, each in its own module:

1. ``styles``/``fonts``: the theme's TrueType families, registered once per process, as paragraph styles.
2. ``glyphs``: pre-flight, every character against the face that will draw it.
3. ``story``: the blocks as flowables (``markup`` escapes all content text).
4. ``layout``: a pass through ReportLab's page layout, with ``footnotes`` keeping each note on the
   page of its mark and ``furniture`` drawing banner, header and footer.

``write_pdf`` and ``measure_pdf`` each lay out once (see ``layout`` for "Page X of Y").
Output is reproducible: ReportLab's invariant mode, with the brief's date as creation date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ...model import Document
from ...theme import Theme

__all__ = ["write_pdf", "measure_pdf", "PdfMeasure"]


@dataclass(frozen=True)
class PdfMeasure:
    """Facts of the PDF layout, for fitting a brief to a page budget."""
    pages: int                    # total pages
    body_pages: int               # pages before the first annex (``pages`` when there is none)
    last_body_page_fill: float    # 0..1: share of the last body page's frame in use, notes included


def _prepare(doc: Document, theme: Theme):
    from .glyphs import check_glyphs
    from .styles import styles_for

    st = styles_for(theme)
    check_glyphs(doc, st)
    return st


def write_pdf(doc: Document, theme: Theme, out: BinaryIO) -> None:
    """Write ``doc`` as PDF to the binary stream ``out``."""
    from .layout import lay_out

    lay_out(doc, _prepare(doc, theme), out)  # one pass; the canvas stamps "Page X of Y" at the end


def measure_pdf(doc: Document, theme: Theme) -> PdfMeasure:
    """Lay ``doc`` out exactly as ``write_pdf`` would, without writing, and report its page facts."""
    from .layout import lay_out

    record = lay_out(doc, _prepare(doc, theme), None)
    body = record.pages if record.annex_page is None else max(record.annex_page - 1, 0)
    fill = record.fills[body - 1] if 0 < body <= len(record.fills) else 0.0
    return PdfMeasure(pages=record.pages, body_pages=body, last_body_page_fill=round(fill, 4))
