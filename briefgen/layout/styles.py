"""Paragraph styles from the theme. Sizes, leading and spacing are the ``Metrics`` the DOCX writer's
styles use too (``metrics.py``), so that a brief breaks into pages alike in the PDF and in Word."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..cache import Cache
from ..theme import Theme
from .fonts import Faces, faces_for
from .metrics import BIB_HANG, BULLET_INDENT, Metrics

__all__ = ["Styles", "styles_for"]



@dataclass(frozen=True)
class Styles:
    theme: Theme
    body_faces: Faces
    heading_faces: Faces
    body: ParagraphStyle
    item: ParagraphStyle
    bibliography: ParagraphStyle
    headings: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]
    title: ParagraphStyle
    subtitle: ParagraphStyle
    label: ParagraphStyle
    title_meta: ParagraphStyle
    disclaimer: ParagraphStyle
    box_title: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    note: ParagraphStyle
    furniture: ParagraphStyle
    marking: ParagraphStyle

    @property
    def leading(self) -> float:
        return self.body.leading

    @property
    def note_leading(self) -> float:
        return self.note.leading

    def colour(self, name: str):
        return HexColor(getattr(self.theme.colours, name))


def styles_for(theme: Theme, cache: Cache | None = None) -> Styles:
    """The theme's styles, its fonts registered first (their parsed tables from ``cache``)."""
    for name in (theme.fonts.body, theme.fonts.heading):
        faces_for(name, theme, cache)
    return _styles(theme)


@lru_cache(maxsize=16)
def _styles(theme: Theme) -> Styles:
    """Made once per theme: every layout of a brief, and every brief of a batch, uses the same
    (making them, font look-ups included, was ~7 % of a layout's time)."""
    return _make_styles(theme)


def _make_styles(theme: Theme) -> Styles:
    f, c, m = theme.fonts, theme.colours, Metrics.of(theme)
    body_faces = faces_for(f.body, theme)
    heading_faces = faces_for(f.heading, theme)
    text = HexColor(c.text)
    heading_colour = HexColor(c.heading)
    leading = m.leading
    small = f.note_size
    body = ParagraphStyle(
        "Body", fontName=body_faces.regular.name, fontSize=f.size, leading=leading, textColor=text,
        alignment=TA_LEFT, spaceBefore=0, spaceAfter=m.para_after, allowWidows=0, allowOrphans=0,
        bulletFontName=body_faces.regular.name, bulletFontSize=f.size, splitLongWords=1,
        # uriWasteReduce stays 0: ReportLab's URL splitting cuts a URL once and lets a rest longer
        # than a line run off the page (test_a_url_longer_than_a_line_is_printed_whole);
        # splitLongWords breaks such a word at the line's end instead
        embeddedHyphenation=0, uriWasteReduce=0,
        # ReportLab squeezes spaces up to 5 % to fit one more word; Word and LibreOffice never do
        # for ragged-right text, and the line would then break at another word there
        spaceShrinkage=0)
    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)
    headings = tuple(
        derive(f"Heading{level}", fontName=heading_faces.bold.name, fontSize=size, leading=m.heading_leading(level),
               textColor=heading_colour, spaceBefore=m.heading_before(level), spaceAfter=f.size * 0.3,
               bulletFontName=heading_faces.bold.name)
        for level, size in enumerate(f.heading_sizes, 1))
    return Styles(
        theme=theme, body_faces=body_faces, heading_faces=heading_faces, body=body,
        item=derive("Item", spaceAfter=m.item_after, leftIndent=BULLET_INDENT,
                    bulletIndent=BULLET_INDENT - 12),
        bibliography=derive("Bibliography", spaceAfter=m.item_after, leftIndent=BIB_HANG,
                            firstLineIndent=-BIB_HANG),
        headings=headings,  # type: ignore[arg-type]
        title=derive("Title", fontName=heading_faces.bold.name, fontSize=f.title_size,
                     leading=f.title_size * 1.15, textColor=heading_colour, spaceBefore=2,
                     spaceAfter=f.size * 0.35),
        subtitle=derive("Subtitle", fontName=heading_faces.regular.name, fontSize=f.heading_sizes[1],
                        leading=f.heading_sizes[1] * 1.2, textColor=heading_colour,
                        spaceAfter=f.size * 0.5),
        label=derive("DocumentLabel", fontName=heading_faces.bold.name, textColor=HexColor(c.accent),
                     leading=f.size * 1.2, spaceAfter=f.size * 0.4),
        title_meta=derive("TitleMeta", spaceAfter=0),
        disclaimer=derive("Disclaimer", fontName=body_faces.italic.name, fontSize=small,
                          leading=small * f.line_spacing, spaceBefore=small * 0.5, spaceAfter=0),
        # the DOCX sets a box's title as the first line of its first paragraph: no space between
        box_title=derive("BoxTitle", fontName=heading_faces.bold.name, textColor=heading_colour,
                         spaceAfter=0),
        cell=derive("TableText", spaceAfter=0),
        cell_head=derive("TableHeading", fontName=body_faces.bold.name, spaceAfter=0),
        caption=derive("Caption", fontName=body_faces.italic.name, fontSize=small,
                       leading=small * f.line_spacing, spaceBefore=small * 0.3, spaceAfter=f.size * 0.6),
        note=derive("FootnoteText", fontSize=small, leading=m.note_leading,
                    spaceAfter=small * 0.2, bulletFontSize=small),
        furniture=derive("Furniture", fontSize=small, leading=small * 1.25, spaceAfter=0),
        marking=derive("Marking", fontName=body_faces.bold.name, alignment=TA_CENTER,
                       textColor=HexColor(c.marking), leading=f.size * 1.2, spaceAfter=0),
    )


