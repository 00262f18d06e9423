"""Page measurements of laid-out briefs, kept on disk between processes (in ``diskcache``'s folder).

Fitting a brief to "2 pages" lays it out with ReportLab to count pages, even when only a DOCX is
asked for: importing ReportLab and two or three trial layouts are about 0.15 s of a 0.5 s cold
build. A spec built before, whose composed text, theme and fonts have not changed since, gets the
same measurements again: so a later ``-f docx`` of a brief built as a PDF, or a ``docx,pdf`` rebuild
after a change to the DOCX template alone, takes its measurements from here, and a DOCX-only build
then never imports ReportLab (a ``docx,pdf`` build lays out just the chosen state, for its PDF).

A measurement is keyed by everything the layout reads: the document itself (its full ``repr``:
every block, note and date), the theme's settings and folder, the identity of its font files, logo
and figures, and of the layout code and ReportLab (file path, size, times and inode: ``file_key``).
A change to any of them is a miss, never a stale page count; a missing or broken entry is laid out
as without it. One file per spec and theme holds that spec's last ``_KEEP`` measurements, so the
folder grows with the number of specs, not of builds.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import diskcache
from .model import Document, Figure, iter_blocks
from .theme import Theme

__all__ = ["Measurements"]

_KEEP = 48      # measurements kept per spec and theme: a fit makes 2-7, and a few versions are worth keeping
_LAYOUT_CODE = ("model.py", "theme.py", "fonts.py", "writers/pdf")
_LIBRARIES = ("reportlab", "PIL")


def _theme_key(theme: Theme) -> tuple:
    from .fonts import find_family

    fonts = {p for name in (theme.fonts.body, theme.fonts.heading)
             for p in find_family(name, theme.folder).files().values()}
    logo = theme.logo_path()
    return (repr(theme), str(theme.folder), tuple(diskcache.file_key(p) for p in sorted(fonts)),
            diskcache.file_key(logo) if logo is not None else None)


def _digest(doc: Document) -> str:
    """The document as the layout sees it, including the files its figures name."""
    figures = tuple(diskcache.file_key(os.path.abspath(b.path)) for b in iter_blocks(doc.blocks)
                    if isinstance(b, Figure))
    text = repr((doc.meta, doc.blocks, figures))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


class Measurements(diskcache.Kept):
    """The measurements kept for one spec under one theme: ``get`` and ``put`` by document (its
    ``digest``), then ``save`` once. Inert when the cache is off or a key cannot be worked out (e.g.
    a font file is missing: the layout will say so)."""

    def __init__(self, spec_path: Path | None, theme: Theme) -> None:
        key = None
        if spec_path is not None and diskcache.directory() is not None:
            try:
                key = (str(Path(spec_path).resolve()), _theme_key(theme),
                       diskcache.code_key(_LAYOUT_CODE, _LIBRARIES))
            except Exception:   # a missing font or library: measure without the cache, and let that fail
                key = None
        super().__init__("pages", key, _KEEP)

    def digest(self, doc: Document) -> str | None:
        """What ``get`` and ``put`` know ``doc`` by; None when nothing is kept (the cache is off, or
        a figure's file is missing: the layout reports it)."""
        if self.key is None:
            return None
        try:
            return _digest(doc)
        except OSError:
            return None

    def get(self, digest: str | None) -> tuple[int, float] | None:
        """(pages that count, the last one's fill) of the document measured before, or None."""
        found = super().get(digest)
        return found if isinstance(found, tuple) and len(found) == 2 else None
