"""Footnotes at the foot of the page that carries their mark. ReportLab has no footnote flowable, so:

* A flowable that holds note marks (``NotedParagraph``, ``NotedTable``) reports, while the frame is
  placing it, only its own height when the text *and* its notes fit in the space left; otherwise it
  reports both, so the frame asks it to split. ``split`` keeps as many lines (or rows) as fit
  together with their notes. Measured outside a frame (``KeepTogether``), it reports both.
* When it is drawn, its notes are handed to the page's ``NoteArea``, which raises the frame's
  bottom by their height, so later flowables stop above them.
* At the end of the page, the document template asks the ``NoteArea`` to draw the notes below a
  short rule at the foot of the frame.
* A note too long for the space left is cut at a word: the head stays with its mark and the rest
  opens the next page's notes as "*n* (continued) …". This happens only when the text cannot move
  (top of a page) or the note is long (a third of a page); otherwise the lines move on instead.

A flowable's notes are found from the ``fnref<n>`` anchors the markup puts beside each mark, in the
fragments ReportLab has actually laid out, so a split part always knows exactly which marks it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from reportlab.platypus import Paragraph, Table
from reportlab.platypus.flowables import Flowable

from ..model import Inline, Note
from .markup import NOTE_ANCHOR, inline_markup, split_inlines, word_count
from .tagging import StructTree, Tagged, TaggedParagraph

__all__ = ["NoteArea", "NotedParagraph", "NotedTable", "FlushNotes", "note_numbers"]

_FUZZ = 1e-6
RULE_ABOVE = 6.0          # space between the text and the note rule
RULE_BELOW = 4.0          # space between the rule and the first note
RULE_LENGTH = 144.0       # 2 in, Word's separator length
MIN_HEAD_LINES = 2        # a note cut across pages keeps at least this many lines with its mark
LONG_NOTE = 1 / 3         # a note taller than this share of the frame may be cut rather than moved


# ---- finding the marks a flowable holds ---------------------------------------------------------

def _frag_number(frag, out: list[int]) -> None:
    cb = getattr(frag, "cbDefn", None)
    if cb is not None and getattr(cb, "kind", "") == "anchor":
        name = getattr(cb, "name", "")
        if name.startswith(NOTE_ANCHOR):
            out.append(int(name[len(NOTE_ANCHOR):]))


def _frags_numbers(frags, out: list[int]) -> None:
    for frag in frags:
        if isinstance(frag, list):          # a laid-out word: [width, (frag, text), ...]
            for item in frag[1:]:
                if isinstance(item, tuple) and item:
                    _frag_number(item[0], out)
        else:
            _frag_number(frag, out)


def note_numbers(flowable) -> list[int]:
    """The note numbers whose marks ``flowable`` holds, in reading order."""
    out: list[int] = []
    _collect(flowable, out)
    return list(dict.fromkeys(out))


def _collect(thing, out: list[int]) -> None:
    if isinstance(thing, Paragraph):
        _frags_numbers(thing.frags, out)
    elif isinstance(thing, Table):
        for row in thing._cellvalues:
            for cell in row:
                _collect(cell, out)
    elif isinstance(thing, (list, tuple)):
        for item in thing:
            _collect(item, out)


def _line_numbers(line) -> list[int]:
    out: list[int] = []
    for frag in getattr(line, "words", ()):
        _frag_number(frag, out)
    return out


# ---- the note area of a page --------------------------------------------------------------------

@dataclass
class _Placed:
    para: Paragraph
    height: float            # drawn height plus the space after it


@dataclass
class NoteArea:
    """The notes of the page being laid out, and of the whole document for the tests and fit step.

    ``make_para(number, inlines, continued)`` builds a note paragraph at the note style.
    """
    notes: dict[int, Note]
    make_para: Callable[[int, tuple[Inline, ...], bool], Paragraph]
    width: float
    frame_height: float
    note_leading: float
    rule_colour: object
    # page state
    items: list[_Placed] = field(default_factory=list)
    used: float = 0.0
    base: float = 0.0
    carry: list[tuple[int, tuple[Inline, ...], bool]] = field(default_factory=list)
    # document record
    page_of: dict[int, int] = field(default_factory=dict)   # note -> page of its mark (its head)
    continued: dict[int, int] = field(default_factory=dict)  # note -> last page it continues to
    _heights: dict[int, float] = field(default_factory=dict)
    _paras: dict[int, Paragraph] = field(default_factory=dict)
    _page: int = 0

    # -- measuring
    def _full(self, n: int) -> tuple[Paragraph, float]:
        para = self._paras.get(n)
        if para is None:
            para = self._paras[n] = self.make_para(n, self.notes[n].children, False)
            _, h = para.wrap(self.width, 1e9)
            self._heights[n] = h + para.style.spaceAfter
        return para, self._heights[n]

    def height(self, n: int) -> float:
        return self._full(n)[1]

    @property
    def separator(self) -> float:
        return RULE_ABOVE + RULE_BELOW

    def footprint(self, numbers: list[int], *, placing: bool, split_last: bool = False) -> float:
        """Height ``numbers`` add to this page's notes (``placing``: against the page's real state).

        ``split_last``: the last note may be cut, so only its first lines count.
        """
        todo = [n for n in numbers if not (placing and n in self.page_of)]
        if not todo:
            return 0.0
        total = 0.0 if (placing and self.items) else self.separator
        for i, n in enumerate(todo):
            h = self.height(n)
            if split_last and i == len(todo) - 1:
                h = min(h, MIN_HEAD_LINES * self.note_leading + self._paras[n].style.spaceAfter)
            total += h
        return total

    def is_long(self, n: int) -> bool:
        return self.height(n) > self.frame_height * LONG_NOTE

    # -- page life
    def begin_page(self, frame, page: int) -> None:
        self.items, self.used, self._page = [], 0.0, page
        self.base = frame._y1 + frame._bottomPadding
        carry, self.carry = self.carry, []
        for n, inlines, has_head in carry:
            # A continuation may itself be cut again, but never takes more than half the page.
            self._add_cut(n, inlines, self.frame_height / 2 - (0 if self.items else self.separator),
                          continued=has_head)
        frame._y1p = self.base + self.used

    def place(self, numbers: list[int], frame, floor: float) -> None:
        """Notes of a flowable just drawn with its bottom at ``floor``; reserve their height.

        The flowable measured them before it was placed, so each normally fits whole; the last
        one is cut when the flowable was split for that (``split_last``). Should a note not fit
        for any other reason, it is cut too rather than drawn over the text.
        """
        todo = [n for n in numbers if n not in self.page_of]
        for n in todo:
            para, h = self._full(n)
            space = floor - (self.base + self.used) - (0.0 if self.items else self.separator)
            if h <= space + _FUZZ:
                self._add(para, h)
            else:
                self._add_cut(n, self.notes[n].children, space, continued=False)
            self.page_of[n] = self._page
        frame._y1p = self.base + self.used

    def _add(self, para: Paragraph, h: float) -> None:
        if not self.items:
            self.used += self.separator
        self.items.append(_Placed(para, h))
        self.used += h

    def _measure(self, n: int, inlines: tuple[Inline, ...], continued: bool) -> tuple[Paragraph, float]:
        para = self.make_para(n, inlines, continued)
        _, h = para.wrap(self.width, 1e9)
        return para, h + para.style.spaceAfter

    def _add_cut(self, n: int, inlines: tuple[Inline, ...], space: float, *, continued: bool) -> None:
        """Put as much of note ``n`` as fits in ``space``; carry the rest to the next page.

        ``continued``: an earlier page already holds the start of this note.
        """
        para, h = self._measure(n, inlines, continued)
        if h <= space + _FUZZ:
            self._add(para, h)
            return
        lo, hi, best = 1, word_count(inlines) - 1, None
        while lo <= hi:                          # the most words whose lines fit in ``space``
            mid = (lo + hi) // 2
            head, tail = split_inlines(inlines, mid)
            cand, ch = self._measure(n, head, continued)
            if ch <= space + _FUZZ:
                best, lo = (cand, ch, tail), mid + 1
            else:
                hi = mid - 1
        if best is None:                         # not even one line fits: the whole note moves on
            self.carry.append((n, inlines, continued))
        else:
            cand, ch, tail = best
            self._add(cand, ch)
            self.carry.append((n, tail, True))
        self.continued[n] = self._page + 1

    def draw(self, canv, frame) -> None:
        """Draw this page's notes at the foot of ``frame``, below a short rule."""
        if not self.items:
            return
        x = frame._x1 + frame._leftPadding
        top = self.base + self.used
        canv.saveState()
        canv.setStrokeColor(self.rule_colour)
        canv.setLineWidth(0.5)
        rule_y = top - RULE_ABOVE
        canv.line(x, rule_y, x + min(RULE_LENGTH, self.width / 3), rule_y)
        canv.restoreState()
        y = rule_y - RULE_BELOW
        for item in self.items:   # in the order placed: continuations, then marks in reading order
            h = item.para.height
            item.para.drawOn(canv, x, y - h)
            y -= item.height


def measuring(canv) -> bool:
    """True on the canvas of a layout that is only measured: text need not be drawn (a fifth of
    a layout's time), only placed, and notes still claim their page."""
    return getattr(canv, "briefgen_measuring", False)


# ---- flowables that carry note marks --------------------------------------------------------------

class _Reserving:
    """Mixin for a Flowable with note marks: reserve the notes' height where it is placed."""

    area: NoteArea | None = None
    split_last = False       # this part may cut its last note (see ``NoteArea.place``)
    struct = None            # its structure element (tagging), which its notes follow
    label = None

    def _numbers(self) -> list[int]:
        nums = self.__dict__.get("_nums")
        if nums is None:
            nums = self.__dict__["_nums"] = note_numbers(self)
        return nums

    def _need(self, numbers: list[int]) -> float:
        placing = getattr(self, "_frame", None) is not None
        return self.area.footprint(numbers, placing=placing, split_last=self.split_last and placing)

    def wrap(self, aW, aH):
        w, h = super().wrap(aW, aH)
        if self.area is None:
            return w, h
        numbers = self._numbers()
        if not numbers:
            return w, h
        need = self._need(numbers)
        if getattr(self, "_frame", None) is not None and h + need <= aH + _FUZZ:
            return w, h
        return w, h + need

    def drawOn(self, canv, x, y, _sW=0):
        if not measuring(canv):
            super().drawOn(canv, x, y, _sW)
        frame = getattr(self, "_frame", None)
        if self.area is not None and frame is not None and self._numbers():
            self.area.place(self._numbers(), frame, y)
            if self.struct is not None:
                self.struct.marks += self._numbers()

    def _adopt(self, parts: list) -> list:
        for part in parts:
            if isinstance(part, _Reserving):
                part.area, part.struct, part.label = self.area, self.struct, self.label
        return parts


class NotedParagraph(_Reserving, Tagged, Paragraph):
    """A paragraph whose note marks take their notes' height from the page they land on."""

    def split(self, aW, aH):
        area = self.area
        if area is None or not self._numbers():
            return self._adopt(Paragraph.split(self, aW, aH))
        if getattr(self, "blPara", None) is None or getattr(self, "width", None) != aW:
            Paragraph.wrap(self, aW, aH)
        lines = self.blPara.lines
        leading = self.style.leading
        frame = getattr(self, "_frame", None)
        placing = frame is not None
        per_line = [_line_numbers(line) for line in lines]
        best, acc = 0, []
        for i, nums in enumerate(per_line):
            acc = acc + nums
            if (i + 1) * leading + area.footprint(acc, placing=placing) <= aH + _FUZZ:
                best = i + 1
            else:
                break
        if best >= len(lines):
            return [self]
        if best:
            parts = Paragraph.split(self, aW, best * leading + _FUZZ)
            if parts:
                return self._adopt(parts)
        k = self._cut_point(per_line, aH, leading, frame)
        if not k:
            return []
        parts = [self] if k >= len(lines) else Paragraph.split(self, aW, k * leading + _FUZZ)
        if parts:
            parts = self._adopt(parts) if parts[0] is not self else parts
            parts[0].split_last = True
        return parts

    def _cut_point(self, per_line, aH, leading, frame) -> int:
        """Lines to keep here if the last of their notes is cut across the page (0: move on)."""
        if frame is None:
            return 0
        best, acc, kept = 0, [], []
        for i, nums in enumerate(per_line):
            acc = acc + nums
            if acc and (i + 1) * leading + self.area.footprint(acc, placing=True, split_last=True) <= aH + _FUZZ:
                best, kept = i + 1, list(acc)
            elif acc:
                break
        if best < min(2, len(per_line)) or not kept:
            return 0
        if frame._atTop or self.area.is_long(kept[-1]):
            return best
        return 0


class NotedTable(_Reserving, Table):
    """A table whose cells hold note marks; splits between rows so each part fits with its notes."""

    def split(self, aW, aH):
        if self.area is None or not self._numbers():
            return self._adopt(Table.split(self, aW, aH))
        frame = getattr(self, "_frame", None)
        placing = frame is not None
        Table.wrap(self, aW, aH)
        heights = self._rowHeights
        best, acc, used = 0, [], 0.0
        for row, height in zip(self._cellvalues, heights):
            acc += note_numbers(row)
            used += height
            if used + self.area.footprint(acc, placing=placing) > aH + _FUZZ:
                break
            best += 1
        if self.repeatRows < best < len(heights):   # the most whole rows that fit with their notes
            parts = Table.split(self, aW, sum(heights[:best]) + _FUZZ)
            if parts:
                return self._adopt(parts)
        # A row taller than a page is cut inside; at the top of a page, or at once if it could
        # never fit whole on any page.
        if best <= self.repeatRows and frame is not None and best < len(heights) and (
                frame._atTop or sum(heights[:best + 1]) > self.area.frame_height):
            return self._adopt(self._split_in_row(aW, aH, placing))
        return []

    def _split_in_row(self, aW, aH, placing):
        """A first row too tall for a whole page: cut inside it, leaving room for its notes."""
        avail = aH
        for _ in range(32):
            parts = Table.split(self, aW, avail)
            if not parts:
                return []
            _, h1 = Table.wrap(parts[0], aW, avail)
            need = self.area.footprint(note_numbers(parts[0]), placing=placing)
            if h1 + need <= aH + _FUZZ:
                return parts
            avail = min(aH - need, avail - 6)
            if avail <= 0:
                return []
        return []


class FlushNotes(Flowable):
    """Last in the story: if a note is still to be continued, end the page so it gets one."""

    def __init__(self, area: NoteArea):
        super().__init__()
        self.area = area

    def frameAction(self, frame) -> None:
        if self.area.carry:
            from reportlab.platypus import PageBreak
            frame.add_generated_content(PageBreak(), FlushNotes(self.area))

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self) -> None:
        pass


def note_paragraph_factory(style, link_colour: str,
                           tree: StructTree | None = None) -> Callable[[int, tuple[Inline, ...], bool], Paragraph]:
    """``make_para`` for ``NoteArea``: number hanging at the left, anchor ``fn<n>`` for the mark's link;
    each part of a note drawn as its ``Note`` element when ``tree`` (a tagged layout)."""
    def make(n: int, inlines: tuple[Inline, ...], continued: bool) -> Paragraph:
        text = inline_markup(inlines, link_colour=link_colour, notes=False)
        if continued:
            para = TaggedParagraph(f"<i>(continued)</i> {text}", style, bulletText=str(n))
        else:
            para = TaggedParagraph(f'<a name="fn{n}"/>{text}', style, bulletText=str(n))
        if tree is not None:
            para.struct = tree.note(n)
        return para
    return make
