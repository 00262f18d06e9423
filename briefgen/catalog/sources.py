"""The source registry (``content/sources.yaml``): CSL-JSON-compatible bibliographic entries."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..cache import Cache
from ..errors import ContentError
from ..model import MONTHS
from ..yamlio import load_yaml_text, pydantic_error, read_text, safe_loader
from .modules import MAX_WORD, TOO_LONG

__all__ = ["Source", "Name", "PartialDate", "load_sources", "SOURCE_TYPES"]

SOURCE_TYPES = ("article", "article-journal", "article-newspaper", "article-magazine", "report", "webpage",
                "speech", "legal", "legislation", "treaty", "book", "chapter", "interview", "broadcast",
                "post", "dataset", "document")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


# defer_build: the registry loaded from the disk cache is unpickled, not validated (see modules.py)
class PartialDate(BaseModel):
    """A date as precise as the source shows it: year, year-month or a full date."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        if isinstance(value, dt.date):
            return cls(year=value.year, month=value.month, day=value.day)
        match = _DATE.match(str(value).strip())
        if not match:
            raise ValueError(f"'{value}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"'{value}' is not a real date") from None
        return cls(year=year, month=month, day=day)

    def long(self) -> str:
        """'10 November 2020', 'November 2020' or '2020'."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"


class Name(BaseModel):
    """A person (family, given) or an organisation (literal)."""
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    family: str = ""
    given: str = ""
    literal: str = ""

    @model_validator(mode="after")
    def _some(self) -> "Name":
        if not (self.family or self.literal):
            raise ValueError("an author needs 'family' (a person) or 'literal' (an organisation)")
        return self

    def sort_key(self) -> str:
        return (self.family or self.literal).casefold()

    def short(self) -> str:
        return self.family or self.literal

    def natural(self) -> str:
        return self.literal or " ".join(p for p in (self.given, self.family) if p)

    def inverted(self) -> str:
        return self.literal or (f"{self.family}, {self.given}" if self.given else self.family)


class Source(BaseModel):
    """One registered source; field names follow CSL-JSON (hyphenated keys accepted as in YAML)."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    id: str = Field(pattern=r"^[\w][\w:.#$%&+?<>~/-]*$")
    type: Literal[SOURCE_TYPES] = "article"  # type: ignore[valid-type]
    author: tuple[Name, ...] = ()
    title: str = Field(min_length=1)
    # the title is a description of an untitled work, printed roman in sentence case (not CSL)
    descriptive_title: bool = Field(False, alias="descriptive-title")
    short_title: str = Field("", alias="short-title")
    container_title: str = Field("", alias="container-title")
    collection_title: str = Field("", alias="collection-title")   # a series, such as "SIPRI Fact Sheet"
    publisher: str = ""
    publisher_place: str = Field("", alias="publisher-place")
    volume: str = ""
    issue: str = ""
    number: str = ""
    edition: str = ""
    language: str = ""
    issued: PartialDate | None = None
    page: str = ""
    URL: str = ""
    DOI: str = ""
    accessed: PartialDate | None = None
    note: str = ""          # printed at the end of the bibliography entry ("In Spanish.")
    annote: str = ""        # the curators' record of how the entry was established; never printed
    cited_in: str = ""
    line: int | None = Field(None, exclude=True)

    @field_validator("issued", "accessed", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        return None if value in (None, "") else PartialDate.parse(value)

    @field_validator("volume", "issue", "number", "edition", "page", mode="before")
    @classmethod
    def _str(cls, value: object) -> object:
        return "" if value is None else str(value)

    @property
    def is_primary(self) -> bool:
        return bool(self.cited_in)


def _item_lines(text: str) -> list[int]:
    import yaml

    try:
        node = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return []
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


def load_sources(path: Path, cache: Cache | None = None) -> dict[str, Source]:
    """Load the registry; malformed entries and duplicate ids are ContentErrors with their line.
    The same text at the same path is validated once (``cache``)."""
    if not path.is_file():
        raise ContentError("source registry not found", file=path,
                           hint="create content/sources.yaml (see content/README.md)")
    text = read_text(path, ContentError)
    if cache is None:
        return _validated_sources(path, text)
    return dict(cache.value("sources", (str(path), text), lambda: _validated_sources(path, text)))  # a copy: shared


def _validated_sources(path: Path, text: str) -> dict[str, Source]:
    data = load_yaml_text(text, path, ContentError)
    if data is None:
        return {}
    if not isinstance(data, list):
        raise ContentError("the source registry is a list of entries", file=path, hint="start each entry with '- id:'")
    lines = _item_lines(text)
    out: dict[str, Source] = {}
    for index, entry in enumerate(data):
        line = lines[index] if index < len(lines) else None
        if not isinstance(entry, dict):
            raise ContentError("each source is a mapping of fields", file=path, line=line)
        try:
            source = Source.model_validate({**entry, "line": line})
        except ValidationError as exc:
            err = pydantic_error(exc, path, ContentError)
            err.line = line
            label = entry.get("id", f"entry {index + 1}")
            err.message = f"source '{label}': {err.message}"
            raise err from None
        long_word = next((f for f, v in entry.items() if isinstance(v, str) and TOO_LONG.search(v)), None)
        if long_word:
            raise ContentError(f"source '{source.id}': {long_word}: a word of more than {MAX_WORD:,} characters "
                               f"without a space", file=path, line=line, hint="break it up")
        if source.id in out:
            raise ContentError(f"duplicate source id '{source.id}'", file=path, line=line,
                               hint=f"first defined on line {out[source.id].line}")
        out[source.id] = source
    for source in out.values():
        if source.cited_in and source.cited_in not in out:
            raise ContentError(f"source '{source.id}': cited_in '{source.cited_in}' is not a registered source",
                               file=path, line=source.line)
        chain = [source.id]
        while out[chain[-1]].cited_in:   # "cited in" leads to the secondary source, never back
            chain.append(out[chain[-1]].cited_in)
            if chain[-1] in chain[:-1]:
                loop = " -> ".join(chain[chain.index(chain[-1]):])
                raise ContentError(f"source '{source.id}': cited_in goes round in a circle ({loop})",
                                   file=path, line=source.line,
                                   hint="cited_in names the secondary source you read, which is not itself cited in another")
    return out
