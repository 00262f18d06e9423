"""Inline content as Word runs: text, emphasis, code, hyperlinks, line breaks and note marks.

Text reaches Word only through ``Sanitizer``: characters XML cannot hold (C0 controls other than
tab and newline, lone surrogates, U+FFFE/U+FFFF), and C1 controls, which XML allows but no prose
means, are dropped and counted, so a stray control character in a source title gives a warning, not
a file Word offers to repair. lxml escapes ``<``, ``&`` and ``]]>`` itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ...model import Code, Emph, Inline, LineBreak, Link, Note, Strong, Text
from .styles import MONO_FONT, StyleMap
from .xml import el, rpr

if TYPE_CHECKING:
    from .footnotes import Footnotes

__all__ = ["Sanitizer", "Fmt", "InlineWriter", "clean_url"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Strong right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ... and presentation forms),
# with the spaces and marks between them, become their own runs marked w:rtl.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL}\\s\u0300-\u036f\u064b-\u065f]*[{_RTL}\u064b-\u065f])?")
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")
# Characters a relationship target may hold as they are (RFC 3986); anything else is %-encoded,
# because Word refuses a file whose hyperlink target is not a valid URI.
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


class Sanitizer:
    """Drops characters XML 1.0 cannot carry and composes text to NFC; counts what it dropped."""

    def __init__(self) -> None:
        self.dropped: Counter[str] = Counter()
        self._seen: dict[str, str] = {}  # a title is cleaned for the page, a header and properties

    def __call__(self, text: str) -> str:
        done = self._seen.get(text)
        if done is not None:
            return done
        clean = text
        if _NOT_XML.search(text):
            for ch in _NOT_XML.findall(text):
                self.dropped[ch] += 1
            clean = _NOT_XML.sub("", text)
        clean = self._seen[text] = unicodedata.normalize("NFC", clean)
        return clean

    def report(self) -> str | None:
        if not self.dropped:
            return None
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(self.dropped))
        total = sum(self.dropped.values())
        return f"DOCX: dropped {total} character{'s' if total != 1 else ''} XML cannot hold ({codes})"


def clean_url(url: str) -> str:
    return quote(url.strip(), safe=_URI_SAFE)


@dataclass(frozen=True)
class Fmt:
    """Direct formatting inherited from enclosing inlines."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False
    in_note: bool = False


class InlineWriter:
    """Renders inlines into a paragraph (or hyperlink) element of one part (body, note, header)."""

    def __init__(self, part, styles: StyleMap, clean: Sanitizer, notes: "Footnotes | None",
                 bookmarks: Callable[[str], str | None] = lambda _id: None) -> None:
        self.part = part  # relationships (hyperlinks) belong to the part the text lives in
        self.styles = styles
        self.clean = clean
        self.notes = notes
        self.bookmarks = bookmarks

    def write(self, parent, inlines: tuple[Inline, ...], fmt: Fmt = Fmt()) -> None:
        for node in inlines:
            if isinstance(node, Text):
                self.text(parent, node.text, fmt)
            elif isinstance(node, Emph):
                self.write(parent, node.children, replace(fmt, italic=not fmt.italic))
            elif isinstance(node, Strong):
                self.write(parent, node.children, replace(fmt, bold=True))
            elif isinstance(node, Code):
                self.text(parent, node.text, replace(fmt, code=True))
            elif isinstance(node, LineBreak):
                parent.append(el("w:r", [self._rpr(fmt), el("w:br")]))
            elif isinstance(node, Link):
                self.link(parent, node, fmt)
            elif isinstance(node, Note):
                self.note(parent, node, fmt)
            # Citation never reaches a writer (the notes engine resolves it); nothing to draw.

    def text(self, parent, text: str, fmt: Fmt) -> None:
        text = self.clean(text)
        if not text:
            return
        pos = 0
        for match in _RTL_RUN.finditer(text):
            self._run(parent, text[pos:match.start()], fmt, rtl=False)
            self._run(parent, match.group(), fmt, rtl=True)
            pos = match.end()
        self._run(parent, text[pos:], fmt, rtl=False)

    def _run(self, parent, text: str, fmt: Fmt, *, rtl: bool) -> None:
        if not text:
            return
        run = el("w:r", [self._rpr(fmt, rtl=rtl)])
        for piece in _BREAKS.split(text):
            if piece == "\t":
                run.append(el("w:tab"))
            elif piece in ("\n", "\r", "\r\n"):
                run.append(el("w:br"))
            elif piece:
                t = el("w:t", xml__space="preserve")
                t.text = piece
                run.append(t)
        parent.append(run)

    def _rpr(self, fmt: Fmt, *, rtl: bool = False, style: str | None = None):
        if style is None:
            style = ("Hyperlink" if fmt.link else "Verbatim Char" if fmt.code else None)
        props = {
            "rStyle": el("w:rStyle", val=self.styles[style]) if style else None,
            "rFonts": (el("w:rFonts", ascii=MONO_FONT, hAnsi=MONO_FONT, cs=MONO_FONT)
                       if fmt.code and fmt.link else None),
            "b": el("w:b") if fmt.bold else None, "bCs": el("w:bCs") if fmt.bold else None,
            "i": el("w:i") if fmt.italic else None, "iCs": el("w:iCs") if fmt.italic else None,
            "rtl": el("w:rtl") if rtl else None,
        }
        return rpr(**props) if any(v is not None for v in props.values()) else None

    def link(self, parent, node: Link, fmt: Fmt) -> None:
        url = self.clean(node.url).strip()
        if fmt.link or not url:  # Word cannot nest hyperlinks; the outer link wins
            self.write(parent, node.children, fmt)
            return
        if url.startswith("#"):
            anchor = self.bookmarks(url[1:])
            if anchor is None:  # a link to nothing in this document: keep its words
                self.write(parent, node.children, fmt)
                return
            link = el("w:hyperlink", anchor=anchor, history=1)
        else:
            rid = self.part.relate_to(clean_url(url), RT.HYPERLINK, is_external=True)
            link = el("w:hyperlink", r__id=rid, history=1)
        self.write(link, node.children, replace(fmt, link=True))
        parent.append(link)

    def note(self, parent, node: Note, fmt: Fmt) -> None:
        if self.notes is None or fmt.in_note:
            # Word has no notes inside notes (or in headers): keep the text in brackets
            self.text(parent, " (", fmt)
            self.write(parent, node.children, fmt)
            self.text(parent, ")", fmt)
            return
        note_id, custom_mark = self.notes.add(node)
        run = el("w:r", [rpr(rStyle=el("w:rStyle", val=self.styles["footnote reference"]))])
        if custom_mark:  # the model's number differs from Word's automatic count: print it
            run.append(el("w:footnoteReference", id=note_id, customMarkFollows=1))
            t = el("w:t")
            t.text = str(node.number)
            run.append(t)
        else:
            run.append(el("w:footnoteReference", id=note_id))
        parent.append(run)
