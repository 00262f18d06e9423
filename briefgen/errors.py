"""One error hierarchy for the whole library; only the CLI turns these into messages and exit codes.

Every error carries the file, the line (and column) where known, and a hint, so the CLI can print
one clear line such as ``spec.yaml:7: unknown module 'csto-legal'; hint: did you mean 'csto-legal-basis'?``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BriefgenError",
    "SpecError",
    "ContentError",
    "TemplateError",
    "ThemeError",
    "RenderError",
    "BuildWarning",
    "location",
]


def location(file: str | Path | None, line: int | None = None, column: int | None = None) -> str:
    """``file:line:col`` as compilers print it, leaving out what is unknown."""
    if file is None:
        return ""
    out = str(file)
    if line is not None:
        out += f":{line}"
        if column is not None:
            out += f":{column}"
    return out


class BriefgenError(Exception):
    """Bad input or a failed build. ``exit_code`` is what the CLI returns (2: bad input, 1: build failed)."""

    exit_code = 2
    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = location(self.file, self.line, self.column)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class SpecError(BriefgenError):
    """The brief spec is malformed or refers to something that does not exist."""

    kind = "spec error"


class ContentError(BriefgenError):
    """A content module or the source registry is malformed."""

    kind = "content error"


class TemplateError(BriefgenError):
    """An audience template or its settings failed to load or render."""

    kind = "template error"


class ThemeError(BriefgenError):
    """A theme file is malformed (unknown key, missing logo, bad colour, missing font)."""

    kind = "theme error"


class RenderError(BriefgenError):
    """A writer could not produce its file (layout impossible, unrenderable character, ...)."""

    kind = "render error"
    exit_code = 1


@dataclass(frozen=True)
class BuildWarning:
    """A problem that does not stop a build; ``--strict`` turns any of them into a failure."""

    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = location(self.file, self.line)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text
