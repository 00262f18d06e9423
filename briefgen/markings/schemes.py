"""Marking schemes as data: ``markings/schemes/<name>.yaml`` (uk, us, nato, none) or a theme's own file.

A scheme is an ordered list of levels, lowest first. Each level names the module sensitivities it
covers, the banner printed at the top and bottom of every page, the portion mark that starts each
paragraph when the scheme asks for them, and a colour. Validated by pydantic; a malformed scheme is
a ThemeError naming the file and the key.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..cache import Cache
from ..errors import ThemeError
from ..yamlio import key_lines, load_yaml_text, pydantic_error, read_text

__all__ = ["Level", "Scheme", "BUILTIN_SCHEMES", "SCHEMES_DIR", "load_scheme", "scheme_path"]

SCHEMES_DIR = Path(__file__).with_name("schemes")
BUILTIN_SCHEMES = ("uk", "us", "nato", "none")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Level(_Strict):
    """One level of a scheme. ``banner`` None: the level's name; "": nothing is printed."""
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()         # other ways a spec may write it (NATO's bare UNCLASSIFIED)
    covers: tuple[str, ...] = ()          # module sensitivities this is the level for
    banner: str | None = None
    portion: str = ""                     # "U" prints "(U)"; "" prints no portion mark
    colour: str | None = None             # the banner's colour (else the theme's colours.marking)

    @field_validator("colour")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is not None and not _HEX.match(value):
            raise ValueError(f"'{value}' is not a colour; write it as #rrggbb, e.g. #1d3557")
        return value.lower() if value else value

    @property
    def banner_text(self) -> str:
        return self.name if self.banner is None else self.banner

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Scheme(_Strict):
    """A validated scheme: ``levels`` lowest first."""
    name: str = Field(min_length=1)
    description: str = ""
    portion_marks: bool = False
    levels: tuple[Level, ...] = Field(min_length=1)
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("levels")
    @classmethod
    def _unique(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        seen: dict[str, str] = {}
        covered: dict[str, str] = {}
        for level in levels:
            for name in level.names:
                key = name.strip().upper()
                if key in seen:
                    raise ValueError(f"'{name}' names two levels ('{seen[key]}' and '{level.name}')")
                seen[key] = level.name
            for sensitivity in level.covers:
                if sensitivity in covered:
                    raise ValueError(f"sensitivity '{sensitivity}' is covered by both "
                                     f"'{covered[sensitivity]}' and '{level.name}'")
                covered[sensitivity] = level.name
        return levels

    def rank_of_sensitivity(self, sensitivity: str) -> int | None:
        """The index of the level covering ``sensitivity`` (None: no level covers it)."""
        return next((i for i, level in enumerate(self.levels) if sensitivity in level.covers), None)

    def find(self, marking: str) -> tuple[int, str] | None:
        """(level index, what follows the level as written) for a marking such as
        'OFFICIAL-SENSITIVE – UK EYES ONLY' or 'CUI//NOFORN'; the longest level name that the
        marking starts with wins (OFFICIAL-SENSITIVE, not OFFICIAL). None: no level matches."""
        text = marking.strip()
        best: tuple[int, int] | None = None
        for index, level in enumerate(self.levels):
            for name in level.names:
                n = len(name)
                if text[:n].upper() == name.upper() and (len(text) == n or not text[n].isalnum()):
                    if best is None or n > best[1]:
                        best = (index, n)
        if best is None:
            return None
        return best[0], text[best[1]:]

    @property
    def covered(self) -> set[str]:
        return {s for level in self.levels for s in level.covers}


def scheme_path(name: str, theme_folder: Path | None = None) -> Path:
    """Where a theme's ``marking_scheme`` is: a built-in name, or a ``.yaml`` file beside theme.yaml."""
    if name.endswith((".yaml", ".yml")):
        return (theme_folder or Path(".")) / name
    return SCHEMES_DIR / f"{name}.yaml"


def _validated(path: Path, text: str) -> Scheme:
    data = load_yaml_text(text, path, ThemeError, expect=dict)
    try:
        return Scheme.model_validate({**data, "path": path})
    except ValidationError as exc:
        raise pydantic_error(exc, path, ThemeError, key_lines(text)) from None


def load_scheme(name: str, theme_folder: Path | None = None, *, theme_file: Path | None = None,
                cache: Cache | None = None) -> Scheme:
    """A scheme by its built-in name or file name; ThemeError (naming ``theme_file`` and the key) for
    an unknown name, a missing file, or a malformed scheme (naming that file and its key). The same
    text at the same path is validated once (``cache``)."""
    from ..safepaths import inside

    # a scheme file beside theme.yaml (or a shared one in themes/), a built-in one in its folder: nothing else
    if name.endswith((".yaml", ".yml")):
        folder = theme_folder or Path(".")
        path = inside(folder, name, error=ThemeError, key="marking_scheme", file=theme_file, what="themes folder",
                      root=folder.parent if theme_folder else folder)
    else:
        path = inside(SCHEMES_DIR, f"{name}.yaml", error=ThemeError, key="marking_scheme", file=theme_file,
                      what="built-in schemes")
    if not path.is_file():
        # the theme's line is looked up only for the message
        line = key_lines(read_text(theme_file, ThemeError)).get("marking_scheme") if theme_file else None
        if name.endswith((".yaml", ".yml")):
            raise ThemeError(f"marking_scheme: file '{name}' not found", file=theme_file, line=line,
                             hint="put the scheme file beside theme.yaml (see templates/README.md)")
        raise ThemeError(f"marking_scheme: unknown scheme '{name}'", file=theme_file, line=line,
                         hint=f"choose from {', '.join(BUILTIN_SCHEMES)}, or name a .yaml file beside theme.yaml")
    path = path.resolve()
    text = read_text(path, ThemeError)
    if cache is None:
        return _validated(path, text)
    return cache.value("scheme", (str(path), text), lambda: _validated(path, text))
