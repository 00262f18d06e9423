"""Page layout, a stage of its own: the document and the theme in, the pages out.

    lay_out(doc, theme)  ->  PageLayout(pages, body_pages, last_body_page_fill, pdf)

Fitting asks this stage how many pages a state of the brief takes (``draw=False``: counted, not
drawn, a third less work); the PDF writer writes the drawn file of the state chosen. ReportLab
sets the pages and draws them in one pass, so what the PDF writer writes is drawn here, at the end
of the same pass (WeasyPrint's ``layout`` then ``draw``, in one). The steps, each in its own module:

0. ``platypus``: ReportLab's layout engine, imported once (its URL pattern compiled in a quick,
   equivalent form; Pillow left until an image needs it).
1. ``fonts``/``styles``: the theme's TrueType families, registered once per process, as paragraph
   styles; ``metrics``: the sizes and spacing the DOCX writer uses too.
2. ``glyphs``: pre-flight, every character against the face that will draw it.
3. ``story``: the blocks as flowables (``markup`` writes and escapes the text as ReportLab's
   paragraph markup; ``tables``).
4. ``pages``: one pass through ReportLab's page layout, with ``footnotes`` keeping each note on the
   page of its mark and ``furniture`` drawing banner, header and footer (``metadata``: the PDF's
   information keys and XMP).

Output is reproducible: ReportLab's invariant mode, with the brief's date as creation date.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Document
from ..theme import Theme

if TYPE_CHECKING:
    from ..cache import Cache

__all__ = ["lay_out", "PageLayout"]


@dataclass(frozen=True)
class PageLayout:
    """A document laid out on pages: what fitting counts, and what the PDF writer writes."""
    pages: int                    # total pages
    body_pages: int               # pages before the first annex (``pages`` when there is none)
    last_body_page_fill: float    # 0..1: share of the last body page's frame in use, notes included
    pdf: bytes | None = None      # the drawn file (None: laid out to count pages only)
    stood_in: tuple[str, ...] = ()   # characters the fonts lack, measured with stand-ins (``stand_ins``)


def lay_out(doc: Document, theme: Theme, *, draw: bool = True, cache: Cache | None = None,
            stand_ins: bool = False) -> PageLayout:
    """Lay ``doc`` out in ``theme`` (and draw it, with ``draw``). ``cache`` keeps the font files'
    parsed tables. RenderError for what cannot be set (a missing glyph, an image, a note longer
    than a page); with ``stand_ins`` (counting pages, never drawing) a character the fonts lack
    is measured as one of about its width instead, and named in ``stood_in``."""
    from . import platypus

    platypus.load()
    from .glyphs import check_glyphs, missing_glyphs, with_stand_ins
    from .pages import one_pass
    from .styles import styles_for

    st = styles_for(theme, cache)
    stood_in: tuple[str, ...] = ()
    if stand_ins and not draw:
        missing = missing_glyphs(doc, st)
        if missing:
            stood_in = tuple(sorted({ch for ch, _face in missing}))
            doc = with_stand_ins(doc, set(stood_in))
    check_glyphs(doc, st)
    buffer = io.BytesIO() if draw else None
    record = one_pass(doc, st, buffer)   # the canvas stamps "Page X of Y" at the end
    body = record.pages if record.annex_page is None else max(record.annex_page - 1, 0)
    fill = record.fills[body - 1] if 0 < body <= len(record.fills) else 0.0
    return PageLayout(pages=record.pages, body_pages=body, last_body_page_fill=round(fill, 4),
                      pdf=buffer.getvalue() if buffer is not None else None, stood_in=stood_in)
