"""Content modules (``content/modules/<id>.md``): YAML front matter, then ``## summary`` ...
``## extended`` body variants, split with markdown-it (never with regular expressions)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..cache import Cache
from ..errors import ContentError
from ..model import Citation, iter_blocks, iter_inlines, block_inlines, plain_text
from ..yamlio import key_lines, load_yaml_text, pydantic_error, read_text

__all__ = ["ContentModule", "FrontMatter", "Variant", "QA", "load_module", "VARIANTS", "SENSITIVITIES",
           "count_words"]

VARIANTS = ("summary", "brief", "standard", "extended")
SENSITIVITIES = ("public", "official", "official-sensitive")
# How deep a module may nest lists, quotes and ``:::`` boxes; with what a template wraps around a
# module this stays well inside markdown-it's own limit, past which it silently stops parsing.
MAX_MODULE_NESTING = 6
MAX_WORD = 1000   # characters without a space the layout is asked to fit (a long URL is ~300)
TOO_LONG = re.compile(r"\S{%d,}" % (MAX_WORD + 1))
TOPICS = ("overview", "chronology", "diplomacy", "actors", "security", "economy", "politics", "outlook")


# defer_build: a module loaded from the disk cache is unpickled, not validated, so a process that
# finds every module there never builds these models' validators (a few ms each)
class QA(BaseModel):
    """A reactive question and answer for press lines ("If asked ...")."""
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    q: str
    a: str


class FrontMatter(BaseModel):
    """A module's metadata, validated; unknown keys are errors (they are usually typos)."""
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    topic: Literal[TOPICS]  # type: ignore[valid-type]
    summary: str = Field(min_length=1)
    audiences: tuple[str, ...] = ("minister", "analyst", "press", "public")
    sensitivity: Literal[SENSITIVITIES] = "public"  # type: ignore[valid-type]
    reviewed: dt.date
    key_judgment: str = ""
    confidence: str = ""
    line_to_take: str = ""
    if_asked: tuple[QA, ...] = ()
    avoid: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()
    alternative_view: str = ""
    indicators: tuple[str, ...] = ()

    @field_validator("summary", "key_judgment", "confidence", "line_to_take")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("must be one line")
        return value.strip()


def count_words(text: str) -> int:
    """Words a reader sees in Markdown text (citations and markup not counted)."""
    from ..parse import parse_markdown   # here: a module from the disk cache needs no markdown-it

    words = 0
    for block in iter_blocks(parse_markdown(text)):
        words += len(plain_text(block_inlines(block)).split())
    return words


@dataclass(frozen=True)
class Variant:
    """One body variant: its Markdown text and where it starts in the module file."""
    name: str
    text: str
    first_line: int  # 0-based line of the first text line in the file

    @cached_property
    def _read(self) -> tuple[int, tuple[Citation, ...], tuple[tuple[str, int, str], ...]]:
        """Words, citations and suspects from one parse of the text (each parsing it anew
        tripled the ~30 ms a brief's modules take on an empty cache)."""
        from ..assemble.lint import suspects
        from ..parse import blocks_of, markdown_parser

        tokens = markdown_parser().parse(self.text)
        inlines = [block_inlines(b) for b in iter_blocks(blocks_of(tokens, first_line=self.first_line))]
        words = sum(len(plain_text(i).split()) for i in inlines)
        citations = tuple(n for i in inlines for n in iter_inlines(i) if isinstance(n, Citation))
        found = tuple((kind, self.first_line + offset + 1, text) for kind, offset, text in suspects(self.text, tokens))
        return words, citations, found

    @property
    def words(self) -> int:
        return self._read[0]

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self._read[1]

    @property
    def suspects(self) -> tuple[tuple[str, int, str], ...]:
        """(kind, line in the file, text) of what the build warns of: links that are not web links,
        malformed citations (``assemble/lint.py``)."""
        return self._read[2]


@dataclass(frozen=True)
class ContentModule:
    """A module as loaded: metadata, variants by name, and the file it came from."""
    meta: FrontMatter
    variants: dict[str, Variant]
    path: Path
    front_lines: dict[str, int]
    bespoke: ClassVar[bool] = False   # True for a spec's own section (assemble/bespoke.py)

    @property
    def id(self) -> str:
        return self.meta.id

    def variant(self, name: str) -> Variant:
        return self.variants[name]

    @cached_property
    def front_citations(self) -> tuple[tuple[Citation, int | None], ...]:
        """Citations in front-matter texts a template prints (key facts, ...), with the field's line."""
        from ..assemble.lint import front_texts
        from ..parse import parse_markdown

        return tuple((node, line) for _name, text, line in front_texts(self) if "@" in text
                     for block in iter_blocks(parse_markdown(text))
                     for node in iter_inlines(block_inlines(block)) if isinstance(node, Citation))

    @cached_property
    def front_suspects(self) -> tuple[tuple[str, int | None, str], ...]:
        """As ``Variant.suspects``, for the front-matter texts (at the field's line)."""
        from ..assemble.lint import front_texts, suspects

        return tuple((kind, line, f"{name}: {found}") for name, text, line in front_texts(self)
                     for kind, _offset, found in suspects(text))


def _split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError("no YAML front matter", file=path, line=1,
                           hint="start the file with '---', the module's fields, then '---' (see content/README.md)")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 1
    raise ContentError("front matter is not closed", file=path, line=1, hint="add a line '---' after the fields")


def worked_out(module: ContentModule) -> None:
    """Parse what a module's properties need now, so it is kept with the module in the cache."""
    for variant in module.variants.values():   # parsed once, then kept with the module on disk
        variant._read
    module.front_citations, module.front_suspects


def load_module(path: Path, cache: Cache | None = None) -> ContentModule:
    """Parse a module file (the same text at the same path once, with ``cache``: kept with its
    variants' words and citations)."""
    text = read_text(path, ContentError)
    if cache is None:
        return _parse_module(path, text)
    return cache.value("module", (str(path), text), lambda: _parse_module(path, text), prepare=worked_out)


def _parse_module(path: Path, text: str) -> ContentModule:
    front, body, body_start = _split_front_matter(text, path)
    data = load_yaml_text(front, path, ContentError, line_offset=1)
    if not isinstance(data, dict):
        raise ContentError("front matter must be a mapping of fields", file=path, line=2)
    lines = {k: v + 1 for k, v in key_lines(front).items()}
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        raise pydantic_error(exc, path, ContentError, lines) from None
    if meta.id != path.stem:
        raise ContentError(f"id '{meta.id}' does not match the file name '{path.name}'", file=path,
                           line=lines.get("id"), hint=f"rename the file to {meta.id}.md or change the id")
    _check_word_lengths(front, 1, path)
    _check_word_lengths(body, body_start, path)
    variants = _split_variants(body, body_start, path)
    missing = [v for v in VARIANTS if v not in variants]
    if missing:
        raise ContentError(f"module '{meta.id}' has no variant '{missing[0]}'", file=path,
                           hint=f"add a '## {missing[0]}' section; every module has {', '.join(VARIANTS)}")
    return ContentModule(meta, variants, path, lines)


def _check_word_lengths(text: str, first_line: int, path: Path) -> None:
    """A "word" longer than MAX_WORD (a pasted blob, a runaway URL) cannot be fitted to a line;
    the layout would try, character by character, for as long as it takes."""
    found = TOO_LONG.search(text)
    if found:
        raise ContentError(f"a word of {len(found.group()):,} characters without a space (at most {MAX_WORD:,})",
                           file=path, line=first_line + text.count("\n", 0, found.start()) + 1,
                           hint=f"'{found.group()[:30]}...': break it up, or link it with shorter text")


def _split_variants(body: str, body_start: int, path: Path) -> dict[str, Variant]:
    """Cut the body at its level-2 headings, using markdown-it's token line map."""
    from ..parse import block_parser, nested_too_deep, text_lines

    tokens = block_parser().parse(body)
    too_deep = nested_too_deep(tokens, MAX_MODULE_NESTING)
    if too_deep is not None:
        raise ContentError(f"lists, quotes or boxes nested more than {MAX_MODULE_NESTING} deep", file=path,
                           line=body_start + too_deep + 1,
                           hint="flatten the list: a brief's reader follows two or three levels at most")
    lines = text_lines(body)
    heads: list[tuple[str, int, int]] = []  # (name, heading line, first text line)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2" and tok.map:
            name = tokens[i + 1].content.strip().lower()  # the inline token's raw text
            heads.append((name, tok.map[0], tok.map[1]))
    variants: dict[str, Variant] = {}
    for n, (name, head_line, start) in enumerate(heads):
        end = heads[n + 1][1] if n + 1 < len(heads) else len(lines)
        file_line = body_start + head_line + 1
        if name not in VARIANTS:
            raise ContentError(f"unknown variant '## {name}'", file=path, line=file_line,
                               hint=f"variants are {', '.join(VARIANTS)}; use '###' for sub-headings")
        if name in variants:
            raise ContentError(f"variant '{name}' appears twice", file=path, line=file_line)
        raw = "".join(lines[start:end])
        text = raw.strip("\n")
        if not text.strip():
            raise ContentError(f"variant '{name}' is empty", file=path, line=file_line)
        leading = raw[: len(raw) - len(raw.lstrip("\n"))].count("\n")  # blank lines after the heading
        variants[name] = Variant(name, text + "\n", body_start + start + leading)
    return variants
