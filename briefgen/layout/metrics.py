"""The page metrics the DOCX writer and the PDF layout share, in points from the theme, so that a
brief breaks into pages alike in Word, LibreOffice and the PDF (fitting measures on the PDF)."""

from __future__ import annotations

from dataclasses import dataclass

from ..theme import Theme

__all__ = ["Metrics", "PAGE_MM", "BULLET_INDENT", "BIB_HANG", "BOX_PAD", "CELL_PAD_X", "CELL_PAD_Y", "note_hang"]

PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}   # paper, width x height
BULLET_INDENT = 18.0      # list item text indent per level, and the bullet's hanging width
BIB_HANG = 36.0           # hanging indent of bibliography entries (0.5 in)
BOX_PAD = 8.0             # inner padding of shaded boxes
CELL_PAD_X = 5.4          # table cell padding, left and right (Word's default 108 twips)
CELL_PAD_Y = 2.0          # table cell padding, top and bottom


@dataclass(frozen=True)
class Metrics:
    """Vertical rhythm in points, derived from the theme."""

    size: float
    leading: float          # body line height: size x line_spacing, as exact line spacing
    para_after: float       # space after a body paragraph
    item_after: float       # space after a list item
    note_size: float
    note_leading: float
    heading_sizes: tuple[float, float, float, float]
    title_size: float

    @classmethod
    def of(cls, theme: Theme) -> "Metrics":
        f = theme.fonts
        return cls(size=f.size, leading=f.size * f.line_spacing, para_after=f.size * 0.5,
                   item_after=f.size * 0.25, note_size=f.note_size,
                   note_leading=f.note_size * f.line_spacing, heading_sizes=f.heading_sizes,
                   title_size=f.title_size)

    def heading_before(self, level: int) -> float:
        return self.heading_sizes[level - 1] * 0.8

    def heading_leading(self, level: int) -> float:
        return self.heading_sizes[level - 1] * 1.15


def note_hang(note_size: float, largest_number: int) -> float:
    """How far a footnote's text hangs, in points: past the widest note number."""
    return note_size * (0.6 * len(str(largest_number)) + 0.9)


# A superscript note number: this share of the text's size, raised by this share of it (the marks
# in the text and, with ``note_numbers: superscript``, the numbers at the page's foot)
SUPERSCRIPT = 0.66
RISE = 0.33
