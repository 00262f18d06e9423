"""TrueType families registered with ReportLab, once per process, and the glyphs each face covers.

ReportLab's built-in Helvetica/Times are neither embedded nor able to draw ə or Cyrillic, so every
piece of text in the PDF (body, headings, bullets, page furniture) is set in an embedded TrueType face
found through ``Theme.family``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..cache import Cache
from ..errors import RenderError
from ..fonts import FontFamily
from ..theme import Theme

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


def _face_state(face) -> dict:
    """What ReportLab parsed out of a font file, to keep on disk: all but the file's bytes (read
    again, so a subset is always cut from the file itself) and the unit-scaling function."""
    return {k: v for k, v in face.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}


def _font_from_state(name: str, data: bytes, state: dict):
    """A ``TTFont`` as ``TTFont(name, path)`` makes it, from a parsed face kept on disk: the same
    attributes with the same values (``tests/test_cache.py`` compares them), without parsing."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase import ttfonts

    face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    upm = face.unitsPerEm
    face._pdfScale = (lambda x: x) if upm == 1000 else (lambda x, _m=1000 / upm: x * _m)
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = ttfonts.rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


def open_font(name: str, path: Path, cache: Cache | None = None):
    """ReportLab's ``TTFont(name, path)``, its parsed tables taken from ``cache`` when a file of
    the same bytes was parsed before (parsing a family's four faces: ~30 ms)."""
    import hashlib

    from reportlab.pdfbase.ttfonts import TTFont

    if cache is None:
        return TTFont(name, str(path))
    data = path.read_bytes()
    key = hashlib.blake2b(data, digest_size=20).hexdigest()
    state = cache.get("ttf", key)
    if isinstance(state, dict):
        try:
            return _font_from_state(name, data, state)
        except (KeyError, AttributeError, TypeError):
            pass    # not what this ReportLab keeps: parse the file as usual
    font = TTFont(name, str(path))
    cache.put("ttf", key, _face_state(font.face))
    return font


def _register(family: FontFamily, cache: Cache | None) -> Faces:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    stem = "".join(family.name.split())
    faces = {}
    for style, path in family.files().items():
        suffix = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}[style]
        name = f"{stem}-{suffix}"
        n = 2
        while name in _USED_NAMES:   # a theme may ship its own files under a name already taken
            name, n = f"{stem}{n}-{suffix}", n + 1
        try:
            font = open_font(name, path, cache)
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


def faces_for(name: str, theme: Theme, cache: Cache | None = None) -> Faces:
    """The registered faces of family ``name`` (theme folder first, then installed font packages)."""
    family = theme.family(name)
    key = tuple(family.files().values())
    with _LOCK:
        faces = _FAMILIES.get(key)
        if faces is None:
            faces = _FAMILIES[key] = _register(family, cache)
    return faces
