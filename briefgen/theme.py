"""Themes: the house style as data (``themes/<name>/theme.yaml``), applied alike by every writer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .cache import Cache
from .errors import ThemeError
from .fonts import find_family
from .safepaths import inside
from .yamlio import load_yaml_text, pydantic_error, read_text

__all__ = ["Theme", "PageSetup", "Fonts", "Colours", "LabelNames", "load_theme", "MARKING_SCHEMES"]

# Page sizes in millimetres, and the least room for text the margins must leave on them.
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MIN_TEXT_MM = 80
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

# The built-in marking schemes (data files in briefgen/markings/schemes/); a theme may name its own file.
MARKING_SCHEMES = ("uk", "us", "nato", "none")


class _Strict(BaseModel):
    # defer_build: a theme loaded from the disk cache is unpickled, not validated, and then these
    # validators are never built (defaults are made by factories, so defining them builds nothing)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Margins(_Strict):
    """Page margins in millimetres (0 to 100 each; ``Theme`` checks that room for text is left)."""
    top: float = Field(22, ge=0, le=100)
    bottom: float = Field(22, ge=0, le=100)
    left: float = Field(22, ge=0, le=100)
    right: float = Field(22, ge=0, le=100)


class PageSetup(_Strict):
    size: Literal["A4", "Letter"] = "A4"
    margins_mm: Margins = Field(default_factory=Margins)

    @model_validator(mode="after")
    def _room_for_text(self) -> "PageSetup":
        width, height = PAGE_SIZES_MM[self.size]
        m = self.margins_mm
        if width - m.left - m.right < MIN_TEXT_MM or height - m.top - m.bottom < MIN_TEXT_MM:
            raise ValueError(f"margins_mm leave less than {MIN_TEXT_MM} mm for text on a {self.size} page "
                             f"({width - m.left - m.right:g} x {height - m.top - m.bottom:g} mm)")
        return self


class Fonts(_Strict):
    """Font families by name and sizes in pt. An Office font (Arial, Times New Roman...) is printed
    with its metric twin (``briefgen.fonts.METRIC_TWINS``); the files come from the theme's ``fonts/``
    or an installed fontpkg family."""
    body: str = "Fira Sans"        # installed with briefgen, so a theme without fonts/ still prints
    heading: str = "Fira Sans"
    size: float = Field(12, ge=6, le=24)
    note_size: float = Field(9, ge=5, le=16)
    heading_sizes: tuple[Annotated[float, Field(ge=6, le=72)], Annotated[float, Field(ge=6, le=72)],
                         Annotated[float, Field(ge=6, le=72)], Annotated[float, Field(ge=6, le=72)]] = (20, 15, 13, 12)
    title_size: float = Field(22, ge=6, le=72)
    line_spacing: float = Field(1.2, ge=1.0, le=3.0)

    @field_validator("body", "heading")
    @classmethod
    def _family(cls, value: str) -> str:
        # a family name becomes a file name in the theme's fonts/ folder: no path in it
        if not value.strip() or any(ch in value for ch in "/\\\0") or value.strip(". ") == "":
            raise ValueError(f"'{value}' is not a font family name")
        return value


class Colours(_Strict):
    """Hex colours ``#rrggbb``."""
    text: str = "#1a1a1a"
    heading: str = "#1d3557"
    accent: str = "#1d3557"
    marking: str = "#000000"
    rule: str = "#8a8a8a"
    box: str = "#eef2f7"

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError(f"'{value}' is not a colour; write it as #rrggbb, e.g. #1d3557")
        return value.lower()


class LabelNames(_Strict):
    """Names of the labels records and data-loss-prevention systems read: DOCX custom properties,
    PDF document information keys and XMP properties. A property whose name is "" is not written."""
    marking: str = "Classification"          # the banner as printed, caveats included
    level: str = "ClassificationLevel"       # the level alone ("OFFICIAL", "CUI", ...)
    scheme: str = "ClassificationScheme"     # "uk", "us", "nato" or the theme's own
    status: str = "DocumentStatus"           # "Draft" or "Final"

    @field_validator("*")
    @classmethod
    def _name(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", value):
            raise ValueError(f"'{value}' is not a property name; use letters, digits, '_', '-' and '.', "
                             "starting with a letter")
        return value


class Theme(_Strict):
    """A validated theme; ``folder`` is where its files (logo, reference.docx, fonts) live."""
    name: str = "default"
    page: PageSetup = Field(default_factory=PageSetup)
    fonts: Fonts = Field(default_factory=Fonts)
    colours: Colours = Field(default_factory=Colours)
    logo: str | None = None
    logo_width_mm: float = Field(30, gt=0, le=150)
    logo_alt: str = ""             # the logo's text for screen readers (HTML alt, PDF Alt): whose logo it is
    header_text: str = ""
    footer_text: str = ""
    disclaimer: str = ""
    marking_scheme: str = "uk"     # uk | us | nato | none, or a scheme file beside theme.yaml
    portion_marks: bool | None = None   # None: as the scheme says (the US scheme's are on)
    labels: LabelNames = Field(default_factory=LabelNames)
    reference_docx: str | None = None
    # whole faces inside the DOCX, for a Word without the theme's fonts; unset: yes for a brand font,
    # no when every font is an Office font (Word has those already)
    embed_fonts: bool | None = None
    # a footnote's number at the foot of the page, the same in the DOCX and the PDF: raised and
    # small as Word sets it (LibreOffice always raises it), or full size, hanging before the text
    note_numbers: Literal["superscript", "hanging"] = "superscript"
    folder: Path | None = Field(default=None, exclude=True)
    _families: dict = PrivateAttr(default_factory=dict)   # name -> FontFamily, found by load_theme
    _scheme: object = PrivateAttr(default=None)            # the marking Scheme, loaded by load_theme
    _layout_files: object = PrivateAttr(default=None)      # its fonts' and logo's bytes, hashed (layout)

    def family(self, name: str):
        """The ``FontFamily`` called ``name`` (theme folder first, then installed packages)."""
        found = self._families.get(name)
        return found if found is not None else find_family(name, self.folder)

    def logo_path(self) -> Path | None:
        return (self.folder / self.logo) if (self.logo and self.folder) else None

    def reference_docx_path(self) -> Path | None:
        return (self.folder / self.reference_docx) if (self.reference_docx and self.folder) else None

    def families(self) -> list[str]:
        """The font families the theme names, as the DOCX names them (body first)."""
        return list(dict.fromkeys([self.fonts.body, self.fonts.heading]))

    def embeds_fonts(self) -> bool:
        """Whether the DOCX carries the theme's fonts: as set, else when one is not an Office font."""
        if self.embed_fonts is not None:
            return self.embed_fonts
        from .fonts import is_office_font
        return not all(is_office_font(name) for name in self.families())

    def font_pairs(self) -> list[tuple[str, str]]:
        """(what the DOCX names, what the PDF embeds and fitting measures) for each family."""
        from .fonts import twin_of
        return [(name, twin_of(name)) for name in self.families()]

    def marking_text(self, marking: str) -> str:
        """The banner for a document's ``Meta.marking``: already as printed (the build rolls it up
        under this theme's scheme, see ``briefgen.markings``), kept for writers that call this."""
        return "" if not marking or marking.lower() == "none" else marking


def _validated_theme(path: Path, text: str) -> Theme:
    data = load_yaml_text(text, path, ThemeError, expect=dict)
    try:
        return Theme.model_validate({**data, "folder": path.parent})
    except ValidationError as exc:
        raise pydantic_error(exc, path, ThemeError) from None


def _load_theme_file(path: Path, cache: Cache | None) -> Theme:
    text = read_text(path, ThemeError)
    if cache is None:
        theme = _validated_theme(path, text)
    else:
        theme = cache.value("theme", (str(path), text), lambda: _validated_theme(path, text))
    theme = theme.model_copy()      # a copy: the cached theme is shared
    for name in dict.fromkeys((theme.fonts.body, theme.fonts.heading)):
        try:
            theme._families[name] = find_family(name, theme.folder, cache)
        except ThemeError:
            pass    # reported by the writer or layout that needs the family
    for key, rel in (("logo", theme.logo), ("reference_docx", theme.reference_docx)):  # each time: may go
        # inside the themes folder: themes may share a logo, nothing else on the machine is read
        if rel and not inside(path.parent, rel, error=ThemeError, key=key, file=path, what="themes folder",
                              root=path.parent.parent).is_file():
            raise ThemeError(f"{key}: file '{rel}' not found", file=path,
                             hint=f"put the file beside theme.yaml or remove '{key}'")
    from .markings.schemes import load_scheme

    theme._scheme = load_scheme(theme.marking_scheme, path.parent, theme_file=path, cache=cache)
    if theme.logo:
        from .images import check_image

        check_image(path.parent / theme.logo, ThemeError, what="logo", file=path, shown=theme.logo, cache=cache)
    return theme


def load_theme(folder: Path, cache: Cache | None = None) -> Theme:
    """Load ``folder/theme.yaml`` (validated; unknown keys, bad colours and missing files are errors)."""
    path = folder / "theme.yaml"
    if not path.is_file():
        raise ThemeError("theme.yaml not found", file=path, hint="every theme folder needs a theme.yaml")
    return _load_theme_file(path.resolve(), cache)
