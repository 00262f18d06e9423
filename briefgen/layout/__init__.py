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

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Document, Figure, iter_blocks
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
    """Lay ``doc`` out in ``theme`` (and draw it, with ``draw``). ``cache`` keeps layouts, by the
    document and the bytes of every file the layout reads (fonts, logo, figures), and the font
    files' parsed tables. RenderError for what cannot be set (a missing glyph, an image, a note
    longer than a page); with ``stand_ins`` (counting pages, never drawing) a character the fonts
    lack is measured as one of about its width instead, and named in ``stood_in``."""
    key = _key(doc, theme, draw) if cache is not None else None
    if key is None:
        return _lay_out(doc, theme, draw, cache, stand_ins)
    found = cache.value("layout", key, lambda: _lay_out(doc, theme, draw, cache, stand_ins))
    if found.stood_in and not stand_ins:    # measured with stand-ins before; now they are an error
        return _lay_out(doc, theme, draw, cache, stand_ins)
    return found


def _key(doc: Document, theme: Theme, draw: bool) -> tuple | None:
    """What a layout depends on: the document, its figures' bytes, the theme and its files' bytes
    (None when a file is missing: the layout reports it)."""
    try:
        if theme._layout_files is None:      # once per theme as loaded: hashing fonts is ~2 ms
            fonts = sorted({str(p) for name in (theme.fonts.body, theme.fonts.heading)
                            for p in theme.family(name).files().values()})
            logo = theme.logo_path()
            theme._layout_files = (tuple((p, _digest(p)) for p in fonts), _digest(logo) if logo else None)
        figures = tuple(_digest(b.path) for b in iter_blocks(doc.blocks) if isinstance(b, Figure))
    except Exception:   # a missing font, logo or figure
        return None
    return (doc.meta, doc.blocks, figures, repr(theme), theme._layout_files, draw)


def _digest(path) -> str:
    with open(path, "rb") as f:
        return hashlib.blake2b(f.read(), digest_size=20).hexdigest()


def _lay_out(doc: Document, theme: Theme, draw: bool, cache: Cache | None, stand_ins: bool) -> PageLayout:
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
