"""Font families for the writers: four TrueType files (regular, bold, italic, bold italic) per family.

A theme names fonts as the DOCX names them. An Office font (Arial, Times New Roman...) is one every
Word install has; the PDF cannot embed it (its licence and its files are Microsoft's), so the PDF
embeds, and fitting measures with, its *metric twin*: an open font drawn to the same advance widths,
so a line breaks at the same word in Word, in LibreOffice (which substitutes the same twin) and in
the PDF. Any other name is a brand font, used as it is by every writer.

A family's files are found in the theme's own ``fonts/`` folder first, then among installed
``fontpkg`` packages (the project installs Fira Sans and IBM Plex Serif from PyPI), never at a
system path that a fresh machine may lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ThemeError

if TYPE_CHECKING:
    from .cache import Cache

__all__ = ["FontFamily", "find_family", "STYLES", "METRIC_TWINS", "twin_of", "is_office_font"]

# Office font -> the open font with the same advance widths (what LibreOffice's fontconfig substitutes).
# Carlito lacks the no-break space and Caladea lacks Ə and Cyrillic (templates/README.md): the bundled
# themes use the Liberation pair, which has every character the content uses.
METRIC_TWINS = {
    "Arial": "Liberation Sans",
    "Times New Roman": "Liberation Serif",
    "Courier New": "Liberation Mono",
    "Calibri": "Carlito",
    "Cambria": "Caladea",
}


def twin_of(name: str) -> str:
    """The family whose files the PDF embeds for ``name`` (itself unless ``name`` is an Office font)."""
    return METRIC_TWINS.get(name, name)


def is_office_font(name: str) -> bool:
    """True for a font every Office install has (the DOCX need not carry it)."""
    return name in METRIC_TWINS

STYLES = ("regular", "bold", "italic", "bolditalic")
_WEIGHT_STYLE = {"regular": (400, "normal"), "bold": (700, "normal"),
                 "italic": (400, "italic"), "bolditalic": (700, "italic")}


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    bold: Path
    italic: Path
    bolditalic: Path

    def files(self) -> dict[str, Path]:
        return {style: getattr(self, style) for style in STYLES}


def _from_folder(name: str, folder: Path) -> FontFamily | None:
    stem = name.replace(" ", "")
    paths = {s: folder / f"{stem}-{suffix}.ttf" for s, suffix in
             (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic"), ("bolditalic", "BoldItalic"))}
    if all(p.is_file() for p in paths.values()):
        return FontFamily(name, **paths)
    return None


def find_family(name: str, theme_folder: Path | None = None, cache: "Cache | None" = None) -> FontFamily:
    """Resolve a family name to its four files (an Office font's: its metric twin's), or raise a
    ThemeError that says how to install it. Where an installed family's files are is kept in
    ``cache`` (fontpkg scans every installed package's entry points: 30-50 ms); the cache's code
    fingerprint covers what is installed."""
    name = twin_of(name)
    if theme_folder is not None:
        local = _from_folder(name, theme_folder / "fonts")
        if local:
            return local
    if cache is None:
        return _installed_family(name)
    family = cache.value("font family", name, lambda: _installed_family(name))
    if not all(p.is_file() for p in family.files().values()):   # removed since: look again
        family = _installed_family(name)
    return family


def _installed_family(name: str) -> FontFamily:
    import fontpkg  # imported lazily: its entry-point scan costs a few milliseconds

    try:
        fam = fontpkg.family(name)
        paths = {s: fontpkg.select_file(fam, w, st, True).path for s, (w, st) in _WEIGHT_STYLE.items()}
    except fontpkg.FontpkgError as exc:
        files = f"{name.replace(' ', '')}-Regular.ttf, -Bold, -Italic, -BoldItalic in the theme's fonts/"
        if name in METRIC_TWINS.values():   # an Office font's twin: no fontpkg package has it
            office = next(k for k, v in METRIC_TWINS.items() if v == name)
            raise ThemeError(f"font family '{name}' (the PDF's stand-in for {office}) is not in the theme",
                             hint=f"put {files} (themes/default and themes/embassy ship the Liberation "
                                  "fonts)") from None
        raise ThemeError(f"font family '{name}' is not installed ({exc})",
                         hint=f"pip install fontpkg-{name.lower().replace(' ', '-')}, or put {files}") from None
    if any(str(p).endswith("].ttf") for p in paths.values()):
        raise ThemeError(f"font family '{name}' is only installed as a variable font",
                         hint="choose a family with static TrueType files (e.g. Fira Sans)")
    return FontFamily(name, **paths)
