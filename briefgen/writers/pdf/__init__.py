"""The PDF writer: a print-ready PDF with footnotes at the foot of their page, built with ReportLab.

Steps, each in its own module:

0. ``engine``: ReportLab itself, imported once, its URL pattern compiled in an equivalent 2 ms form (not 37 ms).
1. ``styles``/``fonts``: the theme's TrueType families, registered once per process, as paragraph styles.
2. ``glyphs``: pre-flight, every character against the face that will draw it.
3. ``story``: the blocks as flowables (``markup`` escapes all content text).
4. ``layout``: a pass through ReportLab's page layout, with ``footnotes`` keeping each note on the
   page of its mark and ``furniture`` drawing banner, header and footer.

``write_pdf`` and ``measure_pdf`` each lay out once (see ``layout`` for "Page X of Y"). Fitting may ask
``measure_pdf`` to keep the finished file of the layout it expects to choose: ``write_pdf`` for that
same document and theme then writes those bytes instead of laying it out again.
Output is reproducible: ReportLab's invariant mode, with the brief's date as creation date.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import BinaryIO

from ...model import Document
from ...theme import Theme
from . import engine

__all__ = ["write_pdf", "measure_pdf", "PdfMeasure"]

_KEPT: list[tuple[Document, Theme, bytes]] = []   # the few last kept layouts, newest last
_KEEP_AT_MOST = 2
_LOCK = threading.Lock()


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
    engine.load()
    from .layout import lay_out

    with _LOCK:   # by identity: a document is immutable, and the output depends on nothing else
        kept = next((data for d, t, data in _KEPT if d is doc and t is theme), None)
    if kept is not None:
        out.write(kept)
        return
    lay_out(doc, _prepare(doc, theme), out)  # one pass; the canvas stamps "Page X of Y" at the end


def measure_pdf(doc: Document, theme: Theme, *, keep: bool = False) -> PdfMeasure:
    """Lay ``doc`` out exactly as ``write_pdf`` would and report its page facts. With ``keep``, the
    finished file is kept for a ``write_pdf`` of the same document and theme (it costs the saving,
    about a third of a layout; it saves a whole layout when that document is the one written)."""
    engine.load()
    from .layout import lay_out

    buffer = io.BytesIO() if keep else None
    record = lay_out(doc, _prepare(doc, theme), buffer)
    if buffer is not None:
        with _LOCK:
            _KEPT.append((doc, theme, buffer.getvalue()))
            del _KEPT[:-_KEEP_AT_MOST]
    body = record.pages if record.annex_page is None else max(record.annex_page - 1, 0)
    fill = record.fills[body - 1] if 0 < body <= len(record.fills) else 0.0
    return PdfMeasure(pages=record.pages, body_pages=body, last_body_page_fill=round(fill, 4))
