"""Model inlines as ReportLab paragraph markup, with every piece of content text escaped.

ReportLab's paragraph parser reads a small XML dialect (``<b>``, ``<font>``, ``&amp;``), so content
reaches it only through ``esc``: a brief that quotes ``<b>`` or ``&amp;`` prints exactly that.
Note marks carry an anchor named ``fnref<n>``; the layout step finds a paragraph's notes by those
anchors (see ``footnotes.note_numbers``), and the mark links to the note's anchor ``fn<n>``.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape as _html_escape

from ..errors import RenderError
from ..model import Citation, Code, Emph, Inline, LineBreak, Link, Note, Strong, Text

__all__ = ["clean", "esc", "inline_markup", "split_inlines", "word_count", "NOTE_ANCHOR"]

NOTE_ANCHOR = "fnref"
# C0/C1 controls have no glyph and would upset the paragraph parser; tabs and newlines are spaces.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACEY = re.compile("[\t\n\r]")


# Characters the bundled faces have no glyph for, with the same meaning on paper: narrow and thin
# spaces as (no-break) spaces, the non-breaking hyphen as a hyphen; invisible format characters
# (zero-width spaces and joiners, direction marks, soft hyphens, BOM) are dropped.
_SUBSTITUTES = str.maketrans({
    "\u2007": "\u00a0", "\u202f": "\u00a0", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u2011": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u200e": None,
    "\u200f": None, "\u2060": None, "\ufeff": None,
})


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (the standard library's ``xml.sax.saxutils`` would do, but
    importing it pulls in urllib and http: 35 ms of every run's start-up)."""
    return _html_escape(text, quote=False)


def _attr(text: str) -> str:
    """A double-quoted attribute value."""
    return escape(text).replace('"', "&quot;")


def clean(text: str) -> str:
    """Text as the PDF sets it: NFC, controls dropped, tabs and newlines as spaces, and the
    substitutes above."""
    if text.isascii() and text.isprintable():   # most text: nothing to drop, replace or compose
        return text
    return unicodedata.normalize("NFC", _CONTROL.sub("", _SPACEY.sub(" ", text))).translate(_SUBSTITUTES)


def esc(text: str) -> str:
    return escape(clean(text))


def inline_markup(nodes: tuple[Inline, ...], *, link_colour: str, notes: bool = True) -> str:
    """Markup for ``nodes``; notes become linked superscript marks (or vanish when ``notes`` is off)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(esc(node.text))
        elif isinstance(node, Emph):
            out.append(f"<i>{inline_markup(node.children, link_colour=link_colour, notes=notes)}</i>")
        elif isinstance(node, Strong):
            out.append(f"<b>{inline_markup(node.children, link_colour=link_colour, notes=notes)}</b>")
        elif isinstance(node, Code):
            # No monospace family is installed; the body face keeps every character embedded.
            out.append(esc(node.text))
        elif isinstance(node, Link):
            inner = inline_markup(node.children, link_colour=link_colour, notes=notes)
            url = clean(node.url).strip()
            out.append(f'<a href="{_attr(url)}" color="{link_colour}">{inner}</a>' if url else inner)
        elif isinstance(node, LineBreak):
            out.append("<br/>")
        elif isinstance(node, Note):
            if notes:
                n = node.number
                # The anchor sits against the number (no space) so both land on the same line.
                out.append(f'<a name="{NOTE_ANCHOR}{n}"/><super rise="33%" size="66%"><a href="#fn{n}" color="{link_colour}">'
                           f"{n}</a></super>")
        elif isinstance(node, Citation):
            raise RenderError(f"an unresolved citation reached the PDF writer ({node.origin or 'unknown origin'})",
                              hint="citations are resolved into notes before writing; this is a bug")
    return "".join(out)


def word_count(nodes: tuple[Inline, ...]) -> int:
    """Whitespace-separated words in ``nodes`` (the unit ``split_inlines`` cuts at)."""
    return len(_flat(nodes).split())


def _flat(nodes: tuple[Inline, ...]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, (Emph, Strong, Link)):
            parts.append(_flat(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def split_inlines(nodes: tuple[Inline, ...], words: int) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """``nodes`` cut after ``words`` words: (head, tail), each keeping its emphasis and links."""
    head, tail, _ = _split(nodes, words, seen=0, started=False)
    return head, tail


def _split(nodes, words, seen, started):
    """Walk ``nodes`` counting word starts; ``seen`` words so far, ``started`` if inside a word."""
    head: list[Inline] = []
    tail: list[Inline] = []
    for node in nodes:
        if tail:                                # already past the cut: everything goes to the tail
            tail.append(node)
            continue
        if isinstance(node, (Text, Code)):
            cut = None
            for i, ch in enumerate(node.text):
                if ch.isspace():
                    started = False
                elif not started:
                    started = True
                    seen += 1
                    if seen > words:
                        cut = i
                        break
            if cut is None:
                head.append(node)
            else:
                before, after = node.text[:cut].rstrip(), node.text[cut:]
                if before:
                    head.append(type(node)(before))
                tail.append(type(node)(after))
        elif isinstance(node, (Emph, Strong, Link)):
            h, t, seen2 = _split(node.children, words, seen, started)
            extra = (node.url,) if isinstance(node, Link) else ()
            if h:
                head.append(type(node)(h, *extra))
            if t:
                tail.append(type(node)(t, *extra))
            if not t:
                started = _ends_in_word(node.children, started)
            seen = seen2
        elif isinstance(node, LineBreak):
            started = False
            head.append(node)
        else:
            head.append(node)
    return tuple(head), tuple(tail), seen


def _ends_in_word(nodes: tuple[Inline, ...], started: bool) -> bool:
    text = _flat(nodes)
    return started if not text else not text[-1].isspace()
