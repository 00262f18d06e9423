"""ReportLab's page layout engine (Platypus), imported once, its URL pattern compiled in 1 ms, not 20.

``reportlab.platypus.paragraph`` compiles, as it is imported, a case-insensitive URL pattern whose
character classes span U+00A1 to U+FFFF (``uri_pat``; ReportLab tries it on each word that ends a
line, to break long URLs at a slash). Python works out the case folds of those ranges, character by
character: about 20 ms of CPU, in every process that lays out a brief.

While that module is imported (and only then: ``re.compile`` is put back after), that one pattern
is compiled in an equivalent form instead (``paragraph.uri_pat`` is that pattern): no
IGNORECASE; each letter class with the upper case letters (and the four non-ASCII characters that
IGNORECASE also matches to ASCII letters: İ ı ſ K); each class spanning U+00A1-U+FFFF written as the
complement of what it leaves out, which Python compiles without visiting every character.
``tests/test_pdf_writer.py`` checks each rewritten part against the original over every code point.
If ReportLab's pattern changes, it is compiled as written.

Apart from that pattern nothing of briefgen's goes into ReportLab: it lays out with its own
functions (``tests/test_layout.py`` checks its module globals after a build).
"""

from __future__ import annotations

import re
import sys
import threading

__all__ = ["load", "image_size", "URL_PATTERN", "URL_PATTERN_PARTS"]

# ReportLab 5's uri_pat (compiled with re.IGNORECASE)
URL_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]"
    "\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9](?:[a-z\xa1-\uffff0-9-]{0,61}"
    "[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|"
    "xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z")

_LETTERS = "a-zA-Z\u0130\u0131\u017f\u212a"   # what [a-z] matches under IGNORECASE
_OUTSIDE = "\\[-`{-\\xa0\\U00010000-\\U0010ffff"  # neither letter, digit nor U+00A1-U+FFFF (in part)
# (part under IGNORECASE, the same without it)
URL_PATTERN_PARTS = (
    ("[a-z0-9\\.\\-\\+]", f"[{_LETTERS}0-9\\.\\-\\+]"),
    ("[0-9a-f:\\.]", "[0-9a-fA-F:\\.]"),
    ("[a-z\xa1-\uffff0-9]", f"[^\\x00-/:-@{_OUTSIDE}]"),
    ("[a-z\xa1-\uffff0-9-]", f"[^\\x00-,./:-@{_OUTSIDE}]"),
    ("[a-z\xa1-\uffff-]", f"[^\\x00-,./0-@{_OUTSIDE}]"),
    ("xn--[a-z0-9]", f"[xX][nN]--[{_LETTERS}0-9]"),
    ("localhost", "[lL][oO][cC][aA][lL][hH][oO][sS\u017f][tT]"),
)


def _equivalent(pattern: str) -> str:
    for part, same in URL_PATTERN_PARTS:
        pattern = pattern.replace(part, same)
    return pattern


_LOCK = threading.Lock()
_LOADED = False


def load() -> None:
    """Import ``reportlab.platypus`` and make it ready (once; later calls return at once)."""
    global _LOADED
    if _LOADED:
        return
    with _LOCK:
        if _LOADED:
            return
        if "reportlab.platypus.paragraph" not in sys.modules:
            _import_platypus()
        _LOADED = True


def _import_platypus() -> None:
    """Import ReportLab's platypus, its URL pattern compiled quickly."""
    compile_as_written = re.compile

    def compile_url_pattern_quickly(pattern, flags=0):
        if pattern == URL_PATTERN and flags == re.IGNORECASE:
            return compile_as_written(_equivalent(pattern))
        return compile_as_written(pattern, flags)

    re.compile = compile_url_pattern_quickly
    try:
        import reportlab.platypus  # noqa: F401  (the import is the point)
    finally:
        re.compile = compile_as_written


def image_size(path) -> tuple[int, int]:
    """An image file's size in pixels, read by ReportLab (Pillow's errors pass through)."""
    from reportlab.lib.utils import ImageReader

    return ImageReader(str(path)).getSize()
