"""The brief spec: what a policy officer writes to ask for a brief (YAML, validated by pydantic)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import diskcache
from .errors import SpecError
from .yamlio import key_lines, load_yaml_text, pydantic_error, read_text, safe_loader

__all__ = ["BriefSpec", "ModuleRef", "LengthBudget", "load_spec", "parse_length", "FORMATS", "MARKINGS"]

FORMATS = ("docx", "pdf", "md", "html")
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "UNCLASSIFIED", "CUI", "RESTRICTED", "CONFIDENTIAL",
            "NATO UNCLASSIFIED", "LIMITE", "none")
_LENGTH = re.compile(r"^\s*(\d+)\s*(pages?|words?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LengthBudget:
    """A brief's length: ``amount`` pages or words."""
    amount: int
    unit: Literal["pages", "words"]

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def parse_length(text: str | int) -> LengthBudget:
    """``"2 pages"`` / ``"1 page"`` / ``"800 words"`` -> LengthBudget; anything else is a ValueError."""
    match = _LENGTH.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a length; write e.g. '1 page', '2 pages' or '800 words'")
    amount, unit = int(match.group(1)), match.group(2).lower()
    unit = "pages" if unit.startswith("page") else "words"
    if amount <= 0:
        raise ValueError(f"'{text}': a length must be more than zero")
    if unit == "pages" and amount > 50:
        raise ValueError(f"'{text}': at most 50 pages")
    return LengthBudget(amount, unit)  # type: ignore[arg-type]


class _Strict(BaseModel):
    # defer_build: a spec loaded from the disk cache (unchanged since last read) is unpickled, not
    # validated, and then these validators are never built
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ModuleRef(_Strict):
    """One entry of ``modules:``, either a bare id or ``{id, emphasis, variant}``."""
    id: str
    emphasis: Literal["high", "normal", "low"] = "normal"
    variant: Literal["summary", "brief", "standard", "extended"] | None = None


class BriefSpec(_Strict):
    """A validated brief spec. ``path`` is where it was read from (for messages and the output stem)."""
    title: str = Field(min_length=1)
    subtitle: str = ""
    short_title: str = ""
    reference: str = ""
    date: dt.date | None = None
    as_of: dt.date | None = None
    author: str = ""
    office: str = ""
    audience: str = "minister"
    length: LengthBudget | None = None
    formats: tuple[Literal["docx", "pdf", "md"], ...] = ("docx", "pdf")
    modules: tuple[ModuleRef, ...] = Field(min_length=1)
    marking: str | None = None
    template: str | None = None
    theme: str = "default"
    output: str | None = None
    issue: str = ""
    recommendation: str = ""
    recommendations: tuple[str, ...] = Field((), max_length=5)
    keywords: tuple[str, ...] = ()
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("length", mode="before")
    @classmethod
    def _length(cls, value: object) -> object:
        return None if value is None else parse_length(value)  # type: ignore[arg-type]

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: object) -> object:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        for fmt in value or ():
            if fmt not in FORMATS:
                raise ValueError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
        if not value:
            raise ValueError("name at least one format")
        return value

    @field_validator("modules", mode="before")
    @classmethod
    def _modules(cls, value: object) -> object:
        if not isinstance(value, list):
            raise ValueError("modules must be a list of module ids")
        return [{"id": v} if isinstance(v, str) else v for v in value]

    @field_validator("marking", mode="before")
    @classmethod
    def _marking(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value).strip()
        if text.lower() == "none":
            return "none"
        if text.upper() not in MARKINGS:
            raise ValueError(f"unknown marking '{text}'; choose from {', '.join(MARKINGS)}")
        return text.upper()

    @field_validator("output")
    @classmethod
    def _output(cls, value: str | None) -> str | None:
        if value is not None and (not value or "/" in value or "\\" in value or value.startswith(".")):
            raise ValueError(f"'{value}' is not a file stem; write a plain name such as 'minister-brief'")
        return value

    @property
    def stem(self) -> str:
        """The output file stem: ``output``, else the spec file's stem."""
        if self.output:
            return self.output
        return self.path.stem if self.path else "brief"


@diskcache.per_file("spec", files=("spec.py", "yamlio.py"), libraries=("pydantic", "yaml"))
def load_spec(path: Path) -> BriefSpec:
    """Read and validate a spec; every problem is a SpecError naming the file and line. A spec
    unchanged since a process last read it comes from the disk cache."""
    text = read_text(path, SpecError)
    data = load_yaml_text(text, path, SpecError)
    if not isinstance(data, dict):
        found = "nothing (the file is empty)" if data is None else f"a {type(data).__name__}"
        raise SpecError(f"a brief spec is a mapping of keys (title, audience, modules, ...), found {found}",
                        file=path, hint="run 'briefgen new' for a commented starter spec")
    try:
        spec = BriefSpec.model_validate({**data, "path": path})
    except ValidationError as exc:   # the keys' lines are looked up only for the message
        raise pydantic_error(exc, path, SpecError, key_lines(text)) from None
    return spec


def module_line(path: Path, index: int) -> int | None:
    """The line of the ``index``-th entry under ``modules:``, for messages about unknown modules."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=safe_loader())
    except Exception:  # the spec already validated; this is only for a nicer message
        return None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "modules" and isinstance(value, yaml.SequenceNode) and index < len(value.value):
                return value.value[index].start_mark.line + 1
    return None
