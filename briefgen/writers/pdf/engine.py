"""ReportLab's page layout engine, imported without compiling a pattern most briefs never need.

``reportlab.platypus.paragraph`` compiles, as it is imported, a case-insensitive URL pattern with
ranges up to U+FFFF (``uri_pat``). Python works out the case folds of that whole range: about
37 ms, a tenth of ReportLab's import. ReportLab tries the pattern on each word that ends a line
(to break long URLs at a slash, ``uriWasteReduce``), but it can only match a word holding ``://``:
its first group, which is not optional, ends with that. So while that module is imported the pattern
is made a stand-in that answers "no match" for any other word at once and compiles the real pattern
the first time a word holds ``://``. A brief without URLs (most ministerial ones) never compiles
it; one with URLs compiles it once, as before. Any other pattern, or that one once ReportLab changes
it, compiles as usual.
"""

from __future__ import annotations

import re
import sys
import threading

__all__ = ["load"]

_URL_PATTERN_HEAD = "(^(?:[a-z0-9\\.\\-\\+]*)://)"   # how ReportLab's uri_pat begins
_LOCK = threading.Lock()


class LazyPattern:
    """A compiled pattern, compiled when first needed. ``required``: text every match contains, so
    a string without it needs no pattern to know there is no match."""

    def __init__(self, pattern: str, flags: int, required: str) -> None:
        self._source = (pattern, flags)
        self._required = required
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)

    def match(self, string, *args, **kwargs):
        if not args and not kwargs and isinstance(string, str) and self._required not in string:
            return None
        return self.__getattr__("match")(string, *args, **kwargs)

    def search(self, string, *args, **kwargs):
        if not args and not kwargs and isinstance(string, str) and self._required not in string:
            return None
        return self.__getattr__("search")(string, *args, **kwargs)


def load() -> None:
    """Import ``reportlab.platypus`` (once; later calls return at once)."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _LOCK:
        if "reportlab.platypus.paragraph" in sys.modules:
            return
        compile_now = re.compile

        def compile_url_pattern_later(pattern, flags=0):
            if isinstance(pattern, str) and pattern.startswith(_URL_PATTERN_HEAD) and flags & re.IGNORECASE:
                return LazyPattern(pattern, flags, required="://")
            return compile_now(pattern, flags)

        re.compile = compile_url_pattern_later
        try:
            import reportlab.platypus  # noqa: F401  (the import is the point)
        finally:
            re.compile = compile_now
