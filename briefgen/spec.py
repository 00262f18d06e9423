"""The brief spec: what a policy officer writes to ask for a brief (YAML, validated by pydantic)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator

from .cache import Cache
from .catalog.modules import SENSITIVITIES, TOPICS, VARIANTS
from .catalog.sources import Source
from .errors import SpecError
from .safepaths import is_inside
from .yamlio import key_lines, load_yaml_text, normalise_breaks, pydantic_error, read_text, safe_loader

__all__ = ["BriefSpec", "ModuleRef", "TextSection", "FileSection", "Contact", "LengthBudget", "load_spec",
           "parse_length", "parse_formats", "local_file", "spec_line", "FORMATS", "MARKINGS", "PURPOSES", "STATUSES"]

FORMATS = ("docx", "pdf", "md", "html")
# Common markings, for starter specs and hints; what a spec may write is any level of its theme's
# marking scheme (briefgen/markings/schemes/), checked when the brief is built.
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "UNCLASSIFIED", "CUI", "RESTRICTED", "CONFIDENTIAL",
            "NATO UNCLASSIFIED", "LIMITE", "none")
PURPOSES = ("decision", "information", "handling")
STATUSES = ("draft", "final")
_LENGTH = re.compile(r"^\s*(\d+)\s*(pages?|words?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LengthBudget:
    """A brief's length: ``amount`` pages or words."""
    amount: int
    unit: Literal["pages", "words"]

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def parse_formats(value: object) -> tuple[str, ...]:
    """``"docx,pdf"`` or ``["docx", "pdf"]`` -> ("docx", "pdf"); an unknown or no format is a ValueError."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    for fmt in value or ():
        if fmt not in FORMATS:
            raise ValueError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    if not value:
        raise ValueError("name at least one format")
    return tuple(dict.fromkeys(value))


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


def _inside(value: str) -> str:
    """A path written in a spec must stay in the spec's folder: relative, without '..'."""
    path = Path(value)
    if not value.strip() or path.is_absolute() or value.startswith("~") or ".." in path.parts:
        raise ValueError(f"'{value}' is not inside the spec's folder; write a path relative to it, without '..'")
    return value


class TextSection(_Strict):
    """``- text: |`` with a ``title:``: a section written for this brief alone (Markdown; citations
    ``[@key]`` to the registry or the spec's own sources). Never shortened or dropped by fitting."""
    text: str = Field(min_length=1)
    title: str = Field(min_length=1)
    topic: Literal[TOPICS] | None = None              # type: ignore[valid-type]
    sensitivity: Literal[SENSITIVITIES] | None = None  # type: ignore[valid-type]  (default: the spec's)


class FileSection(_Strict):
    """``- file: meeting-context.md``: a section in the module format, in a file in the spec's folder
    (or below it); one body suffices. Keys here override the file's front matter."""
    file: str
    title: str | None = None
    topic: Literal[TOPICS] | None = None              # type: ignore[valid-type]
    sensitivity: Literal[SENSITIVITIES] | None = None  # type: ignore[valid-type]
    variant: Literal[VARIANTS] | None = None          # type: ignore[valid-type]

    @field_validator("file")
    @classmethod
    def _file(cls, value: str) -> str:
        return _inside(value)


def _entry_kind(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return {ModuleRef: "id", TextSection: "text", FileSection: "file"}.get(type(value))
    if isinstance(value, dict):
        return next((k for k in ("id", "text", "file") if k in value), None)
    return None


# one entry of ``modules:``: a library module, inline text or a local file, told apart by its key
ModuleEntry = Annotated[Union[Annotated[ModuleRef, Tag("id")], Annotated[TextSection, Tag("text")],
                              Annotated[FileSection, Tag("file")]],
                        Discriminator(_entry_kind, custom_error_type="module_entry",
                                      custom_error_message="each entry needs 'id:', 'text:' (with 'title:') or 'file:'")]


class Contact(_Strict):
    """Who to ask about the brief (the minister template's Contact line)."""
    name: str = Field(min_length=1)
    team: str = ""
    phone: str = ""
    email: str = ""

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9+() .-]*", value):
            raise ValueError(f"'{value}' is not a phone number; write digits, spaces and + ( ) - only")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"'{value}' is not an e-mail address")
        return value


def _sources_kind(value: object) -> str:
    return "file" if isinstance(value, str) else "list"


# ``sources:``: the brief's own sources, a list in the spec or a YAML file beside it
LocalSources = Annotated[Union[Annotated[str, Tag("file")], Annotated[tuple[Source, ...], Tag("list")]],
                         Discriminator(_sources_kind)]


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
    modules: tuple[ModuleEntry, ...] = Field(min_length=1)
    marking: str | None = None
    status: Literal["draft", "final"] = "final"
    template: str | None = None
    theme: str = "default"
    output: str | None = None
    issue: str = ""
    recommendation: str = ""
    recommendations: tuple[str, ...] = Field((), max_length=5)
    keywords: tuple[str, ...] = ()
    timing: str = ""                          # "Urgent: decision needed by 12 December"
    contact: Contact | None = None
    copy_to: tuple[str, ...] = ()
    purpose: Literal[PURPOSES] | None = None  # type: ignore[valid-type]
    sources: LocalSources | None = None
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("length", mode="before")
    @classmethod
    def _length(cls, value: object) -> object:
        return None if value is None else parse_length(value)  # type: ignore[arg-type]

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: object) -> object:
        return list(parse_formats(value))

    @field_validator("modules", mode="before")
    @classmethod
    def _modules(cls, value: object) -> object:
        if not isinstance(value, list):
            raise ValueError("modules must be a list of module ids")
        return [{"id": v} if isinstance(v, str) else v for v in value]

    @field_validator("copy_to", mode="before")
    @classmethod
    def _copy_to(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: object) -> object:
        if isinstance(value, str):
            return _inside(value)
        if value is not None and not isinstance(value, list):
            raise ValueError("sources is a list of entries (as in content/sources.yaml) or a file beside the spec")
        return value

    @field_validator("marking", mode="before")
    @classmethod
    def _marking(cls, value: object) -> object:
        if value is None:
            return None
        text = " ".join(str(value).split())
        if text.lower() == "none":
            return "none"
        if not text:
            raise ValueError("a marking cannot be empty; write e.g. OFFICIAL, or none")
        return text   # checked against the theme's scheme when built; caveats are kept as written

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("output")
    @classmethod
    def _output(cls, value: str | None) -> str | None:
        if value is not None and (not value or "/" in value or "\\" in value or value.startswith(".")
                                  or any(ord(ch) < 32 or ch in '<>:"|?*\x7f' for ch in value)):
            shown = value.encode("unicode_escape").decode("ascii")
            raise ValueError(f"'{shown}' is not a file stem; write a plain name such as 'minister-brief'")
        return value

    @property
    def stem(self) -> str:
        """The output file stem: ``output``, else the spec file's stem."""
        if self.output:
            return self.output
        return self.path.stem if self.path else "brief"


def load_spec(path: Path, cache: Cache | None = None) -> BriefSpec:
    """Read and validate a spec; every problem is a SpecError naming the file and line. The
    same text at the same path validates once (``cache``)."""
    text = read_text(path, SpecError)
    if cache is None:
        return _validated_spec(path, text)
    return cache.value("spec", (str(path), text), lambda: _validated_spec(path, text))


def _validated_spec(path: Path, text: str) -> BriefSpec:
    data = load_yaml_text(text, path, SpecError)
    if not isinstance(data, dict):
        found = "nothing (the file is empty)" if data is None else f"a {type(data).__name__}"
        raise SpecError(f"a brief spec is a mapping of keys (title, audience, modules, ...), found {found}",
                        file=path, hint="run 'briefgen new' for a commented starter spec")
    try:
        spec = BriefSpec.model_validate({**data, "path": path})
    except ValidationError as exc:   # the keys' lines are looked up only for the message
        error = pydantic_error(exc, path, SpecError, key_lines(text))
        loc = exc.errors()[0]["loc"]
        error.line = _node_line(text, loc) or error.line
        error.message = error.message.replace(".".join(map(str, loc)), _shown_loc(loc), 1)
        raise error from None
    return spec


def _shown_loc(loc: tuple) -> str:
    """``modules.2.text.title`` as ``modules.2.title``: without the tags pydantic gives union members."""
    shown = [str(p) for i, p in enumerate(loc)
             if not (i and (isinstance(loc[i - 1], int) or loc[i - 1] == "sources") and p in ("id", "text", "file", "list"))]
    return ".".join(shown)


def _node(text: str, loc: tuple) -> object | None:
    """The YAML node at ``loc`` (keys and list indexes; other parts, such as pydantic's union tags,
    are passed over), or the deepest node on the way."""
    import yaml

    try:
        node = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(part)), None)
            if found is None:
                continue
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node


def _node_line(text: str, loc: tuple) -> int | None:
    node = _node(text, loc)
    return node.start_mark.line + 1 if node is not None else None


def spec_line(path: Path, *loc: str | int) -> int | None:
    """The line of a value in a spec, e.g. ``spec_line(path, "modules", 2)``; for a block scalar
    (``text: |``) the line its text starts on. For messages and the lines of bespoke text."""
    try:
        text = normalise_breaks(path.read_text(encoding="utf-8-sig"))   # lines as every reader counts them
    except (OSError, UnicodeDecodeError):
        return None
    node = _node(text, loc)
    if node is None:
        return None
    block = getattr(node, "style", None) in ("|", ">")
    return node.start_mark.line + 1 + (1 if block else 0)


def local_file(spec: BriefSpec, relative: str, *loc: str | int) -> Path:
    """A file a spec names (a bespoke section, its sources), which must be inside the spec's folder
    once symbolic links are followed, and exist. ``loc``: where the spec names it, for messages."""
    base = (spec.path.parent if spec.path else Path.cwd()).resolve()
    if "\0" in relative:
        raise SpecError("a file name with a NUL character in it", file=spec.path, line=_line(spec, loc))
    target = (base / relative).resolve()
    if Path(relative).is_absolute() or not is_inside(base / relative, base):
        raise SpecError(f"'{relative}' is outside the spec's folder (it leads to {target})", file=spec.path,
                        line=_line(spec, loc), hint="keep the brief's own files in the spec's folder or below it")
    if not target.is_file():
        raise SpecError(f"'{relative}' not found", file=spec.path, line=_line(spec, loc),
                        hint=f"paths are relative to the spec's folder, {base}")
    return target


def _line(spec: BriefSpec, loc: tuple) -> int | None:
    return spec_line(spec.path, *loc) if spec.path and loc else None


def module_line(path: Path, index: int) -> int | None:
    """The line of the ``index``-th entry under ``modules:``, for messages about unknown modules."""
    return spec_line(path, "modules", index)
