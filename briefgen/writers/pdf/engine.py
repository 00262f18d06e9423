"""ReportLab's page layout engine, imported with its URL pattern in a form that compiles in 2 ms.

``reportlab.platypus.paragraph`` compiles, as it is imported, a case-insensitive URL pattern whose
character classes span U+00A1 to U+FFFF (``uri_pat``; ReportLab tries it on each word that ends a
line, to break long URLs at a slash). Python works out the case folds of those ranges, character by
character: about 37 ms, a tenth of ReportLab's import, in every process that lays out a brief.

While that module is imported, that one pattern is compiled in an equivalent form instead: no
IGNORECASE; each letter class with the upper case letters (and the four non-ASCII characters that
IGNORECASE also matches to ASCII letters: İ ı ſ K); each class spanning U+00A1-U+FFFF written as the
complement of what it leaves out, which Python compiles without visiting every character.
``tests/test_pdf_writer.py`` checks each rewritten part against the original over every code point.
If ReportLab's pattern changes, it is compiled as written.

ReportLab also imports Pillow's ``PIL.Image`` as it starts (13 ms and 2.3 MiB, in every process that
lays out a brief, regen workers included), for the logos and figures that most briefs lack. ``load``
makes that module lazy (the standard library's ``importlib.util.LazyLoader``): it runs on first use,
which ``image_size`` brings about, under a lock, before a logo or figure is read.

Line breaking asks, word by word, whether a fragment has the style of the one before
(``sameFrag``). ReportLab's C version looks up each absent attribute (``cbDefn``, ``lineBreak``
and most of the eight style keys) by raising and clearing an AttributeError: 6-11 us a call, about
a tenth of laying out a paragraph. ``same_frag`` gives the same answers (absent equals only absent;
present values are equal when they are the same object or compare equal) from Python's lookups
that make no exception: 1.5-2.3 us.

Breaking and setting lines also measures each word and space (``stringWidth``: about 70 calls a
paragraph, five Python calls deep before the C measure) and looks up its font's ascent
(``getAscentDescent``). A long brief has some 4,000 distinct (text, font, size), most words
measured many times over: ``string_width`` and ``ascent_descent`` keep the answers, keyed by the
font object ReportLab has registered under the name (so a font registered anew is measured anew),
at most ``MAX_WIDTHS`` of them (all forgotten when full).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading

__all__ = ["load", "image_size", "same_frag", "string_width", "ascent_descent", "clear_widths", "URL_PATTERN",
           "URL_PATTERN_PARTS"]

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


_ABSENT = object()
_FRAG_STYLE = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def same_frag(f, g) -> bool:
    """Whether two fragments have the same style: ReportLab's ``sameFrag``, without exceptions."""
    if hasattr(f, "cbDefn") or hasattr(g, "cbDefn") or hasattr(f, "lineBreak") or hasattr(g, "lineBreak"):
        return False
    for name in _FRAG_STYLE:
        a, b = getattr(f, name, _ABSENT), getattr(g, name, _ABSENT)
        if a is _ABSENT or b is _ABSENT:
            if a is not b:
                return False
        elif a is not b and a != b:   # as C's PyObject_RichCompareBool: the same object is equal
            return False
    return True


MAX_WIDTHS = 8192       # (text, font, size) kept: a 9,000-word brief has ~4,000; ~2 MB when full
_WIDTHS: dict[tuple, float] = {}
_ASCENTS: dict[tuple, tuple[float, float]] = {}
_font = _get_ascent_descent = None   # ReportLab's getFont and getAscentDescent, once load() has run


def string_width(text, fontName, fontSize, encoding="utf8") -> float:
    """ReportLab's ``pdfmetrics.stringWidth``, each answer kept."""
    font = _font(fontName)
    key = (text, font, fontSize, encoding)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) >= MAX_WIDTHS:
            _WIDTHS.clear()
        width = _WIDTHS[key] = font.stringWidth(text, fontSize, encoding=encoding)
    return width


def ascent_descent(fontName, fontSize=None) -> tuple[float, float]:
    """ReportLab's ``pdfmetrics.getAscentDescent``, each answer kept."""
    key = (_font(fontName), fontSize)
    found = _ASCENTS.get(key)
    if found is None:
        if len(_ASCENTS) >= MAX_WIDTHS:
            _ASCENTS.clear()
        found = _ASCENTS[key] = _get_ascent_descent(fontName, fontSize)
    return found


def clear_widths() -> None:
    """Forget every kept width and ascent (for tests and benchmarks: text not measured before)."""
    _WIDTHS.clear()
    _ASCENTS.clear()


_LOCK = threading.Lock()
_LOADED = False


def load() -> None:
    """Import ``reportlab.platypus`` and make it ready (once; later calls return at once)."""
    global _LOADED, _font, _get_ascent_descent
    if _LOADED:
        return
    with _LOCK:
        if _LOADED:
            return
        if "reportlab.platypus.paragraph" not in sys.modules:
            _import_platypus()
        from reportlab.pdfbase import pdfmetrics
        from reportlab.platypus import paragraph

        _font, _get_ascent_descent = pdfmetrics.getFont, pdfmetrics.getAscentDescent
        paragraph.sameFrag = same_frag
        paragraph.stringWidth = string_width
        paragraph.getAscentDescent = ascent_descent
        _LOADED = True


def _import_platypus() -> None:
    """Import ReportLab's platypus, its URL pattern compiled quickly and Pillow left lazy."""
    compile_as_written = re.compile

    def compile_url_pattern_quickly(pattern, flags=0):
        if pattern == URL_PATTERN and flags == re.IGNORECASE:
            return compile_as_written(_equivalent(pattern))
        return compile_as_written(pattern, flags)

    _defer_pillow()
    re.compile = compile_url_pattern_quickly
    try:
        import reportlab.platypus  # noqa: F401  (the import is the point)
    finally:
        re.compile = compile_as_written


def _defer_pillow() -> None:
    """Put a lazy ``PIL.Image`` in ``sys.modules`` (unless it is there already): ReportLab's
    ``from PIL import Image`` then binds a module that loads itself on first attribute access."""
    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    # and as the package's attribute, as an import would set it: else ``from PIL import Image``
    # goes through the import system, whose look at the module's __spec__ would load it there
    setattr(sys.modules["PIL"], "Image", module)


_IMAGES_LOCK = threading.Lock()


def image_size(path) -> tuple[int, int]:
    """An image file's size in pixels, read by ReportLab (Pillow's errors pass through). Pillow's
    image module, if ``load`` left it lazy, is loaded first: once, under a lock, so that no two
    threads meet it half loaded (Python 3.11's LazyLoader does not lock)."""
    with _IMAGES_LOCK:
        module = sys.modules.get("PIL.Image")
        if module is not None:
            getattr(module, "open", None)   # the first attribute access runs the module
    from reportlab.lib.utils import ImageReader

    return ImageReader(str(path)).getSize()
