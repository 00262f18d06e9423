"""The DOCX writer: a Word briefing with real footnotes, styles and lists, built with python-docx.

Steps, in the order ``write_docx`` runs them:

1. ``package.open_base``: the bundled lean template, or the theme's ``reference.docx``, body emptied;
2. ``furniture.setup_page`` and ``styles.install_styles``: the theme's page, fonts, sizes, colours;
3. ``furniture.title_block`` and ``body.write_blocks``: the text, with notes going to
   ``footnotes.Footnotes`` and lists to ``numbering.Numbering``;
4. ``furniture.furnish``: markings, running header, "Page X of Y";
5. ``package.set_properties`` and ``package.reproducible_zip``: metadata and stable bytes.

Nothing is written to ``out`` until the whole file exists, so a failure leaves ``out`` untouched.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

from ...errors import BuildWarning
from ...model import Document, notes_of
from ...theme import Theme
from .body import write_blocks
from .context import Context
from .fontembed import write_font_table
from .footnotes import Footnotes
from .furniture import furnish, setup_page, title_block
from .inlines import Sanitizer
from .package import open_base, reproducible_zip, set_properties
from ...layout import metrics
from ...layout.metrics import Metrics
from .styles import install_styles
from .xml import pt_twips, qn

__all__ = ["write_docx"]


def write_docx(doc: Document, theme: Theme, out: BinaryIO, *,
               embed_fonts: bool | None = None) -> list[BuildWarning]:
    """Write ``doc`` as a .docx package to ``out``; ``embed_fonts`` (default: the theme's
    ``embeds_fonts()``: yes for brand fonts, no for Office fonts) puts the theme's fonts inside,
    whole, for readers whose Word lacks them (larger).

    Returns the warnings met on the way (characters XML cannot hold, which are dropped); the
    registry's callers may ignore the return value. Raises ``ThemeError`` for a missing or
    unreadable reference document and ``RenderError`` for an unusable figure image.
    """
    embed_fonts = theme.embeds_fonts() if embed_fonts is None else embed_fonts
    clean = Sanitizer()
    document, own = open_base(theme)
    section = document.sections[-1]
    if own or None in (section.page_width, section.page_height, section.left_margin,
                       section.right_margin, section.top_margin, section.bottom_margin):
        setup_page(section, theme)  # a reference document without page setup gets the theme's
    language = clean(doc.meta.language or "en-GB")
    styles = install_styles(document.styles.element, theme, language, own=own)
    text_width = int(section.page_width - section.left_margin - section.right_margin) // 635
    text_height = int(section.page_height - section.top_margin - section.bottom_margin) // 635
    ctx = Context(document_part=document.part, theme=theme, styles=styles, clean=clean,
                  notes=Footnotes(document.part, styles, clean, note_hang(doc, theme),
                                  full_size=theme.note_numbers == "hanging"),
                  text_width=text_width, text_height=text_height,
                  metrics=Metrics.of(theme), drawing_id=_max_drawing_id(document))
    ctx.plan_bookmarks(doc.blocks)
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for node in title_block(ctx, doc.meta) + write_blocks(ctx, doc.blocks, text_width):
        sect_pr.addprevious(node)
    furnish(ctx, document, doc.meta)
    write_font_table(document, theme, own=own, embed=embed_fonts)
    set_properties(document, doc.meta, theme, clean)
    buf = BytesIO()
    document.save(buf)
    data = reproducible_zip(buf.getvalue())
    out.write(data)
    report = clean.report()
    return [BuildWarning(report, hint="remove control characters from the content")] if report else []


def note_hang(doc: Document, theme: Theme) -> int:
    """Twips from a note's number to its text: room for the widest number, as in the PDF."""
    return pt_twips(metrics.note_hang(theme.fonts.note_size, max((n.number for n in notes_of(doc)), default=1)))


def _max_drawing_id(document) -> int:
    """Highest drawing id in any part (a reference document's header art has some already)."""
    best = 0
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None:
            continue
        for doc_pr in element.iter(qn("wp:docPr")):
            value = doc_pr.get("id", "")
            if value.isdigit():
                best = max(best, int(value))
    return best
