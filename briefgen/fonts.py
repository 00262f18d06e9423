"""Font families for the writers: four TrueType files (regular, bold, italic, bold italic) per family.

A family is found in the theme's own ``fonts/`` folder first, then among installed ``fontpkg``
packages (the project installs Fira Sans and IBM Plex Serif from PyPI), never at a system path
that a fresh machine may lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ThemeError

if TYPE_CHECKING:
    from .cache import Cache

__all__ = ["FontFamily", "find_family", "STYLES"]

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
    """Resolve a family name to its four files, or raise a ThemeError that says how to install it.
    Where an installed family's files are is kept in ``cache`` (fontpkg scans every installed
    package's entry points: 30-50 ms); the cache's code fingerprint covers what is installed."""
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
        raise ThemeError(f"font family '{name}' is not installed ({exc})",
                         hint=f"pip install fontpkg-{name.lower().replace(' ', '-')}, or put "
                              f"{name.replace(' ', '')}-Regular.ttf, -Bold, -Italic, -BoldItalic in the theme's fonts/") from None
    if any(str(p).endswith("].ttf") for p in paths.values()):
        raise ThemeError(f"font family '{name}' is only installed as a variable font",
                         hint="choose a family with static TrueType files (e.g. Fira Sans)")
    return FontFamily(name, **paths)
