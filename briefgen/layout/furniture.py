"""Page furniture and the title block, laid out as the DOCX writer lays them out.

Every page: the marking banner (centred, bold, ``colours.marking``) at top and bottom when the brief
has one, and a footer with ``theme.footer_text`` and "Page X of Y". From page 2 a running header
with the short title and ``theme.header_text``. Page 1 opens with the title block.
"""

from __future__ import annotations


from contextlib import nullcontext

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from ..errors import RenderError
from ..model import Meta
from . import platypus
from .markup import clean, esc
from .styles import Styles
from .tagging import Elem, StructTree, Tagged, TaggedImage, TaggedParagraph, tagging_of

__all__ = ["Furniture", "title_block"]


class Furniture:
    """Draws a page's banner, running header and footer (``onPage`` of the page template)."""

    def __init__(self, meta: Meta, st: Styles, page_size: tuple[float, float]):
        theme = st.theme
        self.st, self.meta = st, meta
        self.width, self.height = page_size
        m = theme.page.margins_mm
        self.left, self.right = m.left * mm, self.width - m.right * mm
        self.top_margin, self.bottom_margin = m.top * mm, m.bottom * mm
        self.marking = clean(meta.marking)
        self.marking_colour = meta.marking_colour or theme.colours.marking
        self.running = clean(meta.short_title or meta.title)
        self.header_text = clean(theme.header_text)
        self.footer_text = clean(theme.footer_text)

    def __call__(self, canv, doc) -> None:
        st, f = self.st, self.st.theme.fonts
        small_font = st.body_faces.regular.name
        tags = tagging_of(canv)     # all of it is a pagination artifact in a tagged PDF
        canv.saveState()
        if self.meta.draft:
            with tags.pagination("Watermark") if tags else nullcontext():
                self.watermark(canv)
        if self.marking:
            canv.setFont(st.body_faces.bold.name, f.size)
            canv.setFillColor(HexColor(self.marking_colour))
            with tags.pagination("Header") if tags else nullcontext():
                canv.drawCentredString(self.width / 2, self.height - 0.45 * self.top_margin, self.marking)
            with tags.pagination("Footer") if tags else nullcontext():
                canv.drawCentredString(self.width / 2, 0.3 * self.bottom_margin, self.marking)
        canv.setFillColor(st.colour("text"))
        canv.setFont(small_font, f.note_size)
        if doc.page > 1:
            y = self.height - 0.75 * self.top_margin
            right_w = canv.stringWidth(self.header_text, small_font, f.note_size)
            with tags.pagination("Header") if tags else nullcontext():
                if self.header_text:
                    canv.drawRightString(self.right, y, self.header_text)
                room = self.right - self.left - right_w - (12 if right_w else 0)
                canv.drawString(self.left, y, _fit(canv, self.running, small_font, f.note_size, room))
        y = 0.62 * self.bottom_margin
        with tags.pagination("Footer") if tags else nullcontext():
            # "Page X of Y": a form XObject per page, drawn here and defined once the count is known
            canv.saveState()
            canv.translate(self.right, y)
            canv.doForm(f"briefgen-page-{doc.page}")
            canv.restoreState()
            if self.footer_text:
                canv.drawString(self.left, y, self.footer_text)
        canv.restoreState()

    def watermark(self, canv) -> None:
        """A diagonal DRAFT across the page, drawn first so the text lies over it (light grey, as
        Word's draft watermark), and DRAFT at the top left: text extraction (pdftotext, a screen
        reader) splits the diagonal word into letters, the top line it reads whole."""
        canv.setFont(self.st.body_faces.bold.name, self.st.theme.fonts.size)
        canv.setFillColor(self.st.colour("text"))
        canv.drawString(self.left, self.height - 0.45 * self.top_margin, "DRAFT")
        font = self.st.body_faces.bold.name
        size = min(self.width, self.height) / 4.2
        canv.saveState()
        canv.setFillColor(HexColor("#d0d0d0"))
        canv.setFont(font, size)
        canv.translate(self.width / 2, self.height / 2)
        canv.rotate(45)
        canv.drawCentredString(0, -size / 3, "DRAFT")
        canv.restoreState()

    def define_page_numbers(self, canv, total: int) -> None:
        """Define each page's "Page X of Y" form, right-aligned on its origin (see ``__call__``)."""
        size = self.st.theme.fonts.note_size
        for page in range(1, total + 1):
            canv.beginForm(f"briefgen-page-{page}", lowerx=-self.width, lowery=-size, upperx=0, uppery=2 * size)
            canv.setFillColor(self.st.colour("text"))
            canv.setFont(self.st.body_faces.regular.name, size)
            canv.drawRightString(0, 0, f"Page {page} of {total}")
            canv.endForm()


def _fit(canv, text: str, font: str, size: float, room: float) -> str:
    """``text`` shortened at a word, with an ellipsis, to fit ``room`` points."""
    if canv.stringWidth(text, font, size) <= room:
        return text
    words = text.split()
    while words and canv.stringWidth(" ".join(words) + " …", font, size) > room:
        words.pop()
    return " ".join(words) + " …" if words else ""


class _TwoSided(Tagged, Flowable):
    """One line: ``left`` at the left margin, ``right`` flush right (the DOCX uses a right tab)."""

    def __init__(self, left: str, right: str, style):
        super().__init__()
        self.left, self.right, self.style = left, right, style
        self.spaceAfter = style.spaceAfter

    def wrap(self, aW, aH):
        self.width = aW
        return aW, self.style.leading

    def draw(self) -> None:
        s, canv = self.style, self.canv
        canv.setFont(s.fontName, s.fontSize)
        canv.setFillColor(s.textColor)
        baseline = s.leading - s.fontSize    # as a paragraph line: descent room below the baseline
        canv.drawString(0, baseline, self.left + " ")   # read as two words, not run together
        canv.drawRightString(self.width, baseline, self.right)


def _label_line(doc_type: str, reference: str, st: Styles, width: float) -> Flowable:
    style = st.label
    if not (doc_type and reference) or stringWidth(f"{doc_type}    {reference}", style.fontName,
                                                    style.fontSize) > width:
        return TaggedParagraph(esc(" · ".join(x for x in (doc_type, reference) if x)), style)
    return _TwoSided(doc_type, reference, style)


def title_block(meta: Meta, st: Styles, frame_width: float, tree: StructTree | None = None) -> list[Flowable]:
    """Logo, document type and reference, title, subtitle, dates, author and office, disclaimer;
    with ``tree``, tagged: the logo a ``Figure`` with the theme's ``logo_alt`` (an artifact without
    one), the title ``H1``, the rest ``P``."""
    theme = st.theme
    out: list[Flowable] = []

    def tagged(flowable, tag: str, **attrs):
        if tree is not None:
            flowable.struct = Elem(tag, tree.root, **attrs)
        return flowable

    def para(text: str, style, tag: str = "P"):
        return tagged(TaggedParagraph(text, style), tag)

    logo = theme.logo_path()
    if logo is not None:
        try:
            iw, ih = platypus.image_size(logo)
        except Exception as exc:  # PIL raises many types for a damaged file
            raise RenderError(f"cannot read the theme's logo ({exc})", file=logo,
                              hint="use a PNG or JPEG file") from None
        w = min(theme.logo_width_mm * mm, frame_width)
        image = TaggedImage(str(logo), width=w, height=w * ih / iw)
        image.hAlign = "LEFT"
        if theme.logo_alt.strip():
            tagged(image, "Figure", Alt=theme.logo_alt.strip())
        out += [image, Spacer(1, st.body.fontSize * 0.5)]
    if meta.label_line or meta.reference.strip():
        out.append(tagged(_label_line(clean(meta.label_line), clean(meta.reference), st, frame_width), "P"))
    out.append(para(esc(meta.title_line), st.title, "H1"))
    if meta.subtitle:
        out.append(para(esc(meta.subtitle_line), st.subtitle))
    if meta.date_line:
        out.append(para(esc(meta.date_line), st.title_meta))
    if meta.people_line:
        out.append(para(esc(clean(meta.people_line)), st.title_meta))
    if meta.disclaimer:
        out.append(para(esc(meta.disclaimer), st.disclaimer))
    # room before the text, as the DOCX's last title paragraph has it: overlapping the first
    # heading's space before (the larger counts), as in Word
    out[-1].spaceAfter = st.body.spaceAfter * 2
    return out
