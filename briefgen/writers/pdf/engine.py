"""ReportLab's page layout engine, imported without compiling a pattern that briefs never use.

``reportlab.platypus.paragraph`` compiles, as it is imported, a case-insensitive URL pattern with
ranges up to U+FFFF (``uri_pat``, used only to break over-long URLs when hyphenating). Python works
out the case folds of that whole range: about 37 ms, a tenth of ReportLab's import and paid by every
process that lays out a brief. While that module is imported, that one pattern is made a stand-in
that compiles it on first use. Any other pattern, or that one once ReportLab changes it, compiles as
usual.
"""

from __future__ import annotations

import re
import sys
import threading

__all__ = ["load"]

_URL_PATTERN_HEAD = "(^(?:[a-z0-9\\.\\-\\+]*)://)"   # how ReportLab's uri_pat begins
_LOCK = threading.Lock()


class LazyPattern:
    """A compiled pattern, compiled when first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


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
                return LazyPattern(pattern, flags)
            return compile_now(pattern, flags)

        re.compile = compile_url_pattern_later
        try:
            import reportlab.platypus  # noqa: F401  (the import is the point)
        finally:
            re.compile = compile_now
