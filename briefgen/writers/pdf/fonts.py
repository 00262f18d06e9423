"""TrueType families registered with ReportLab, once per process, and the glyphs each face covers.

ReportLab's built-in Helvetica/Times are neither embedded nor able to draw ə or Cyrillic, so every
piece of text in the PDF (body, headings, bullets, page furniture) is set in an embedded TrueType face
found through ``briefgen.fonts.find_family``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ...errors import RenderError
from ...fonts import FontFamily, find_family
from ...theme import Theme

__all__ = ["Face", "Faces", "faces_for"]

_LOCK = threading.Lock()
_FAMILIES: dict[tuple[Path, ...], "Faces"] = {}   # keyed by the four files: loading a face costs ~10 ms
_USED_NAMES: set[str] = set()


@dataclass(frozen=True)
class Face:
    """One registered face: the name ReportLab knows it by, and the code points it has glyphs for."""
    name: str
    label: str                 # "Fira Sans Bold", for messages
    cmap: frozenset[int]

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap


@dataclass(frozen=True)
class Faces:
    """A family's four registered faces; ``regular.name`` is the family name for ``<b>``/``<i>``."""
    family: str
    regular: Face
    bold: Face
    italic: Face
    bolditalic: Face

    def pick(self, bold: bool = False, italic: bool = False) -> Face:
        if bold and italic:
            return self.bolditalic
        return self.bold if bold else self.italic if italic else self.regular


def _register(family: FontFamily) -> Faces:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    stem = "".join(family.name.split())
    faces = {}
    for style, path in family.files().items():
        suffix = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}[style]
        name = f"{stem}-{suffix}"
        n = 2
        while name in _USED_NAMES:   # a theme may ship its own files under a name already taken
            name, n = f"{stem}{n}-{suffix}", n + 1
        try:
            font = TTFont(name, str(path))
        except (TTFError, OSError) as exc:
            raise RenderError(f"cannot load font file {path.name} ({exc})", file=path,
                              hint="the file must be a TrueType (.ttf) font that allows embedding") from None
        pdfmetrics.registerFont(font)
        _USED_NAMES.add(name)
        faces[style] = Face(name, f"{family.name} {suffix}", frozenset(font.face.charToGlyph))
    # <b> and <i> in paragraph markup switch faces through these mappings
    for style, (bold, italic) in {"regular": (0, 0), "bold": (1, 0), "italic": (0, 1), "bolditalic": (1, 1)}.items():
        addMapping(faces["regular"].name, bold, italic, faces[style].name)
    return Faces(family.name, **faces)


def faces_for(name: str, theme: Theme) -> Faces:
    """The registered faces of family ``name`` (theme folder first, then installed font packages)."""
    family = find_family(name, theme.folder)
    key = tuple(family.files().values())
    with _LOCK:
        faces = _FAMILIES.get(key)
        if faces is None:
            faces = _FAMILIES[key] = _register(family)
    return faces
