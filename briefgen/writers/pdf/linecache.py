"""Paragraphs whose parsing and line breaking are done once per process, not once per layout.

Fitting a brief lays it out two or three times, and a regen worker lays out brief after brief from
the same modules: most paragraphs come back with the same text, style and width. Parsing their
markup and breaking their lines is about half of a layout. ``SharedParagraph`` keeps what
ReportLab's ``wrap`` works out (the parsed fragments, the broken lines, the height) for each
(text, bullet, style settings, width), and a later paragraph with the same four takes it over.

ReportLab only reads that state when it measures and draws a paragraph; splitting one across pages
alters it (``split`` re-uses the fragments of the lines it hands on, and may re-class the last).
So a paragraph about to be split first gets a private state again (parsed and broken afresh), and a
paragraph broken at a new width always starts from freshly parsed fragments: nothing that is shared
is ever altered. The output is the same bytes as without the cache (``tests/test_pdf_writer.py``).

The cache is bounded (``MAX_ENTRIES``, least recently used first out). What it keeps holds no
reference cycles, so a paragraph leaving it is freed at once; a long-running process (regen
workers, ``watch``) moves the kept paragraphs out of the cycle collector's sight after each brief
(``gcpolicy``), or each full collection would walk their ~100 objects apiece.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from reportlab.platypus.paragraph import Paragraph, cleanBlockQuotedText, textTransformFrags

from . import paraparse

__all__ = ["SharedParagraph", "clear"]

MAX_ENTRIES = 800       # paragraphs kept, the least recently used going first (~12 KB each): the
                        # ~700 of a 9,000-word analyst brief, or several short ones (~90 each)
ENABLED = True          # False: every paragraph parses and breaks its own lines (tests compare)
_WRAPS: OrderedDict[tuple, dict] = OrderedDict()
_LOCK = threading.Lock()
_STYLE_KEY = "_briefgen_wrap_key"


def clear() -> None:
    """Forget every shared state (for tests and benchmarks)."""
    with _LOCK:
        _WRAPS.clear()


def _style_key(style) -> tuple:
    """A style's settings, by value: styles derived afresh for each layout share their lines."""
    key = style.__dict__.get(_STYLE_KEY)
    if key is None:
        key = tuple(sorted((k, v) for k, v in style.__dict__.items() if k not in ("name", "parent")))
        style.__dict__[_STYLE_KEY] = key
    return key


class SharedParagraph(Paragraph):
    """A ReportLab ``Paragraph`` that takes its wrapped state over from an earlier equal paragraph."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8"):
        if frags is not None or style is None or caseSensitive != 1:
            # ReportLab's own split parts (made from fragments): an ordinary paragraph
            Paragraph.__init__(self, text, style, bulletText, frags, caseSensitive, encoding)
            self._key = None
            return
        self.caseSensitive, self.encoding, self.debug = caseSensitive, encoding, 0
        self.style = style
        self.bulletText = bulletText or getattr(style, "bulletText", None)
        self._source = text
        self._key = (text, self.bulletText, _style_key(style))

    def __getattr__(self, name):
        # ``frags`` and ``text`` are parsed on first use: a paragraph taken from the cache never is
        if name in ("frags", "text") and "_source" in self.__dict__:
            self._parse()
            return self.__dict__[name]
        raise AttributeError(name)

    def _parse(self) -> None:
        # ReportLab's ``Paragraph._setup``, its parser reading briefgen's markup directly (paraparse)
        text = cleanBlockQuotedText(self._source)
        style, frags, bullet_frags = paraparse.parse(text, self.style, self.caseSensitive)
        textTransformFrags(frags, style)
        self.text, self.frags, self.style, self.debug = text, frags, style, 0
        if bullet_frags:
            self.bulletText = bullet_frags

    def wrap(self, availWidth, availHeight):
        key = self._key
        if key is None or not ENABLED or availWidth < 1e-6:
            return Paragraph.wrap(self, availWidth, availHeight)
        full = (key, availWidth)
        with _LOCK:
            entry = _WRAPS.get(full)
            if entry is not None:
                _WRAPS.move_to_end(full)
        if entry is None:
            self._parse()                      # fresh fragments: shared ones are never broken again
            before = dict(self.__dict__)
            Paragraph.wrap(self, availWidth, availHeight)
            entry = {k: v for k, v in self.__dict__.items() if k not in before or before[k] is not v}
            entry["frags"], entry["text"] = self.frags, self.text
            with _LOCK:
                _WRAPS[full] = entry
                while len(_WRAPS) > MAX_ENTRIES:
                    _WRAPS.popitem(last=False)
        else:
            self.__dict__.update(entry)
        return self.width, self.height

    def unshare(self) -> None:
        """Give this paragraph a state of its own before something alters it (``split``)."""
        if self._key is None:
            return
        width = self.__dict__.get("width")
        self._key = None                       # from now on an ordinary paragraph
        self._parse()
        if width is not None:
            Paragraph.wrap(self, width, 1e9)

    def split(self, availWidth, availHeight):
        self.unshare()
        return Paragraph.split(self, availWidth, availHeight)
