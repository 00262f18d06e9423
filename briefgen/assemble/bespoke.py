"""Bespoke sections: text a spec's author wrote for this brief alone, inline (``- text: |``) or in a
file beside the spec (``- file: x.md``, in the module format; one body suffices).

They become ``BespokeModule``s, so a template places them like any module, in the position the spec
gives. Their variant is fixed here, before fitting, and fitting never shortens or drops them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import ValidationError

from ..catalog.modules import (SENSITIVITIES, TOPICS, VARIANTS, ContentModule, FrontMatter, Variant,
                               _split_front_matter, _split_variants)
from ..errors import SpecError
from ..spec import BriefSpec, FileSection, TextSection, local_file, spec_line
from ..yamlio import key_lines, load_yaml_text, pydantic_error, read_text

if TYPE_CHECKING:
    from ..cache import Cache

__all__ = ["BespokeModule", "load_section", "marking_sensitivity"]

# the sensitivity a section inherits from the brief's marking when that marking is no level of the
# brief's marking scheme (markings.section_sensitivity is asked first)
_MARKING_SENSITIVITY = {"OFFICIAL": "official", "CUI": "official", "LIMITE": "official",
                        "OFFICIAL-SENSITIVE": "official-sensitive", "RESTRICTED": "official-sensitive",
                        "CONFIDENTIAL": "official-sensitive"}


def marking_sensitivity(marking: str) -> str:
    """The module sensitivity a marking stands for: OFFICIAL -> official; none, UNCLASSIFIED -> public."""
    return _MARKING_SENSITIVITY.get(marking.split()[0].upper() if marking.strip() else "", "public")


@cache
def _section_front() -> type[FrontMatter]:
    """The model of a bespoke file's front matter, made when first needed (most briefs have none)."""
    class SectionFront(FrontMatter):
        """A module's fields, all optional (the spec entry may give the title)."""
        id: str = ""
        title: str = ""
        topic: Literal[TOPICS] | None = None              # type: ignore[valid-type]
        summary: str = ""
        sensitivity: Literal[SENSITIVITIES] | None = None  # type: ignore[valid-type]
        reviewed: dt.date | None = None

    return SectionFront


@dataclass(frozen=True)
class BespokeModule(ContentModule):
    """A section of the spec's own, shaped as a module. ``variant_name`` is the one the brief shows
    (fixed: fitting never changes it); ``label`` says where it was written, for ``--explain``."""
    variant_name: str = "standard"
    label: str = ""
    declared_sensitivity: bool = False
    own_summary: str = ""     # a summary the author wrote (templates' summary_text), else nothing
    bespoke: ClassVar[bool] = True


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "section"


def _longest(have: list[str], allowed: tuple[str, ...]) -> str:
    """The longest variant the section has among those the profile allows (else its longest)."""
    fitting = [v for v in have if v in allowed]
    return (fitting or have)[-1]


def _module(meta: FrontMatter, bodies: dict[str, Variant], chosen: str, path: Path, label: str,
            declared: bool, lines: dict[str, int] | None = None) -> BespokeModule:
    # every variant name leads to the chosen text (templates and change summaries ask for any of
    # them), except a summary the author wrote, which stays the summary
    variants = {name: bodies[chosen] for name in VARIANTS}
    if "summary" in bodies:
        variants["summary"] = bodies["summary"]
    summary = bodies["summary"].text if "summary" in bodies and chosen != "summary" else meta.summary
    return BespokeModule(meta, variants, path, lines or {}, chosen, label, declared, summary)


def _inline(spec: BriefSpec, index: int, ref: TextSection, module_id: str, sensitivity: str,
            allowed: tuple[str, ...]) -> BespokeModule:
    first = spec_line(spec.path, "modules", index, "text") if spec.path else None
    chosen = _longest(list(VARIANTS), allowed)
    meta = FrontMatter.model_construct(
        id=module_id, title=ref.title, topic=ref.topic, summary="",
        audiences=(), sensitivity=ref.sensitivity or sensitivity, reviewed=None, key_judgment="", confidence="",
        line_to_take="", if_asked=(), avoid=(), key_facts=(), alternative_view="", indicators=())
    body = ref.text.strip("\n") + "\n"
    variant = Variant(chosen, body, (first or 1) - 1)
    return _module(meta, {chosen: variant}, chosen, spec.path or Path("spec"), f"text: {ref.title}",
                   ref.sensitivity is not None)


def _unique(wanted: str, ids: set[str]) -> str:
    out, n = wanted, 2
    while out in ids:
        out, n = f"{wanted}-{n}", n + 1
    ids.add(out)
    return out


def _from_file(spec: BriefSpec, index: int, ref: FileSection, module_id: str, sensitivity: str,
               allowed: tuple[str, ...], path: Path, text: str) -> BespokeModule:
    lines: dict[str, int] = {}
    data: dict = {}
    body, body_start = text, 0
    if text.lstrip("\ufeff").startswith("---"):
        front, body, body_start = _split_front_matter(text, path)
        data = load_yaml_text(front, path, SpecError, line_offset=1) or {}
        if not isinstance(data, dict):
            raise SpecError("front matter must be a mapping of fields", file=path, line=2)
        lines = {k: v + 1 for k, v in key_lines(front).items()}
    try:
        front_matter = _section_front().model_validate(data)
    except ValidationError as exc:
        raise pydantic_error(exc, path, SpecError, lines) from None
    title = ref.title or front_matter.title
    if not title:
        raise SpecError(f"section '{ref.file}' has no title", file=path, line=1,
                        hint="add 'title:' to its front matter or to its entry in the spec")
    bodies = _bodies(body, body_start, path)
    if ref.variant and ref.variant not in bodies:
        raise SpecError(f"'{ref.file}' has no variant '{ref.variant}'", file=spec.path,
                        line=spec_line(spec.path, "modules", index) if spec.path else None,
                        hint=f"it has {', '.join(bodies)}")
    chosen = ref.variant or _longest(list(bodies), allowed)
    declared = ref.sensitivity or front_matter.sensitivity
    # a FrontMatter, not the front matter's own model, so that the cache can keep it
    meta = FrontMatter.model_construct(**{
        **{name: getattr(front_matter, name) for name in FrontMatter.model_fields},
        "id": module_id, "title": title, "topic": ref.topic or front_matter.topic,
        "sensitivity": declared or sensitivity,
        "audiences": front_matter.audiences if "audiences" in data else ()})
    return _module(meta, bodies, chosen, path, ref.file, declared is not None, lines)


def _bodies(body: str, body_start: int, path: Path) -> dict[str, Variant]:
    """The file's variants (``## summary`` ... ``## extended``, any of them), or its one body."""
    from ..parse import block_parser

    tokens = block_parser().parse(body)
    named = [tokens[i + 1].content.strip().lower() for i, t in enumerate(tokens)
             if t.type == "heading_open" and t.tag == "h2"]
    if any(name in VARIANTS for name in named):
        found = _split_variants(body, body_start, path)
        return {name: found[name] for name in VARIANTS if name in found}
    text = body.strip("\n")
    if not text.strip():
        raise SpecError("the section is empty", file=path, hint="write its text below the front matter")
    leading = len(body) - len(body.lstrip("\n"))
    return {"standard": Variant("standard", text + "\n", body_start + body[:leading].count("\n"))}


def _worked_out(section: BespokeModule) -> None:
    from ..catalog.modules import worked_out

    worked_out(section)   # parsed once (words, citations, what the build warns of), kept with it


def load_section(spec: BriefSpec, index: int, ref: TextSection | FileSection, ids: set[str], *,
                 sensitivity: str = "public", allowed: tuple[str, ...] = VARIANTS,
                 cache: Cache | None = None) -> BespokeModule:
    """The ``index``-th entry of the spec's modules, a bespoke section, as a module. ``ids``: those
    taken so far (each section gets its own); ``sensitivity``: the brief's, for a section that
    declares none; ``allowed``: the profile's variants (a file's longest allowed one is shown).
    With ``cache``, the same section from the same text is parsed once (a rebuild then needs no
    markdown-it for it)."""
    if isinstance(ref, TextSection):
        module_id = _unique(f"text-{_slug(ref.title)}", ids)
        make = lambda: _inline(spec, index, ref, module_id, sensitivity, allowed)  # noqa: E731
        # the spec's text is the input: the section's lines in it name a citation's line
        path, text = spec.path, (spec.path.read_bytes() if spec.path else b"")
    else:
        module_id = _unique(ref.file, ids)
        path = local_file(spec, ref.file, "modules", index)
        text = read_text(path, SpecError)
        make = lambda: _from_file(spec, index, ref, module_id, sensitivity, allowed, path, text)  # noqa: E731
    if cache is None:
        return make()
    key = (str(spec.path), index, ref.model_dump_json(), str(path), text, module_id, sensitivity, allowed)
    return cache.value("section", key, make, prepare=_worked_out)
