"""Protective markings: schemes as data, the roll-up from content, portion marks and labels.

    MarkingRules   what a brief's marking is worked out from (scheme, the spec's ask, the audience)
    contributions  the content actually in a brief: its modules and the template's fixed text
    roll_up        the highest level among them, raised to what the spec asks (rollup.py)
    mark_document  the document with its banner, level and status in ``Meta`` and, where the
                   scheme asks, a portion mark starting every block (portions.py)
    labels         the names and values records systems read (DOCX custom properties, PDF, XMP)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ..model import Block, BulletList, Div, Document, Heading, Para, Table
from .portions import add_portion_marks, block_level, tag, untag
from .rollup import Contribution, Marking, explain_marking, refuse_lower, refuse_unknown, roll_up
from .schemes import BUILTIN_SCHEMES, Level, Scheme, load_scheme

__all__ = ["MarkingRules", "Contribution", "Marking", "Scheme", "Level", "roll_up", "refuse_lower", "refuse_unknown",
           "explain_marking", "contributions", "section_sensitivity", "brief_marking", "mark_document", "labels", "load_scheme", "theme_scheme",
           "tag", "untag", "BUILTIN_SCHEMES", "FIXED_TEXT"]

FIXED_TEXT = "the template's fixed text"


@dataclass(frozen=True)
class MarkingRules:
    """Everything a brief's marking depends on besides its content."""
    scheme: Scheme
    portions: bool | None = None         # the theme's switch (None: the scheme's default)
    asked: str | None = None             # the spec's ``marking:`` as written
    asked_file: Path | None = None       # the spec, for messages
    floor: str | None = None             # the audience's ``default_marking``
    show_lowest: bool = True             # the audience's ``show_marking``
    fixed_text: str = "public"           # the sensitivity of the template's own wording
    status: str = "final"


def theme_scheme(theme) -> Scheme:
    """The theme's marking scheme (built in, or its own file), as ``load_theme`` loaded it."""
    if getattr(theme, "_scheme", None) is not None:
        return theme._scheme
    folder = theme.folder
    return load_scheme(theme.marking_scheme, folder, theme_file=(folder / "theme.yaml") if folder else None)


def contributions(modules: Iterable, fixed_text: str, blocks: tuple[Block, ...] = ()) -> list[Contribution]:
    """What a brief's marking rolls up from: each module included (objects with ``id`` and
    ``meta.sensitivity``), the template's fixed text, and any other sensitivity a block of the
    document carries (a spec's own section that declares one)."""
    out = [Contribution(m.meta.sensitivity, _origin(m)) for m in modules]
    out.append(Contribution(fixed_text, FIXED_TEXT))
    known = {c.sensitivity for c in out}
    for sensitivity in _block_sensitivities(blocks):
        if sensitivity not in known:
            known.add(sensitivity)
            out.append(Contribution(sensitivity, "a section of the brief"))
    return out


def _origin(module) -> str:
    """How a message names a module: a spec's own section (``assemble.bespoke``) by its title."""
    if getattr(module, "label", ""):
        return f"section '{module.meta.title}'"
    return f"module '{module.id}'"


def section_sensitivity(scheme: Scheme, marking: str) -> str | None:
    """The sensitivity a spec's marking stands for, for its own sections that declare none: the
    highest one its level (or, for a level that covers none, e.g. SECRET, a lower one) covers.
    None when the marking is not a level of the scheme."""
    from .rollup import asked_level

    found = asked_level(scheme, marking)
    if found is None:
        return None
    for level in reversed(scheme.levels[:max(found[0], 0) + 1]):
        if level.covers:
            return level.covers[-1]
    return scheme.levels[0].covers[0] if scheme.levels[0].covers else None


def _block_sensitivities(blocks: tuple[Block, ...]) -> list[str]:
    found: dict[str, None] = {}
    for block in blocks:
        if isinstance(block, (Heading, Para, Table)):
            found.update(dict.fromkeys(block.sensitivity))
        elif isinstance(block, BulletList):
            for item in block.items:
                found.update(dict.fromkeys(_block_sensitivities(item)))
        elif isinstance(block, Div):
            found.update(dict.fromkeys(_block_sensitivities(block.children)))
    return list(found)


def brief_marking(rules: MarkingRules, modules: Iterable, blocks: tuple[Block, ...] = (),
                  extra: Iterable[Contribution] = ()) -> Marking:
    """The roll-up for a brief whose content is ``modules`` (and ``blocks``, and ``extra``)."""
    return roll_up(rules.scheme, [*contributions(modules, rules.fixed_text, blocks), *extra], asked=rules.asked,
                   floor=rules.floor, show_lowest=rules.show_lowest, portions=rules.portions)


def mark_document(doc: Document, rules: MarkingRules, modules: Iterable) -> Document:
    """``doc`` with its marking rolled up into ``Meta`` (banner, level, scheme, colour, status) and,
    where the scheme or theme asks, portion marks on every block. A spec asking for less than the
    content needs is not refused here (see ``refuse_lower``): the content's level is used."""
    marking = brief_marking(rules, modules, doc.blocks)
    level = marking.level
    meta = replace(doc.meta, marking=marking.banner, marking_level=level.name,
                   marking_scheme=rules.scheme.name, marking_colour=level.colour or "", status=rules.status)
    if marking.portions:   # the title block is the template's (the spec's) own text
        blocks = add_portion_marks(doc.blocks, rules.scheme, rules.fixed_text)
        portion = rules.scheme.levels[block_level(rules.scheme, (), rules.fixed_text)].portion
        meta = replace(meta, title_portion=f"({portion}) " if portion else "")
    else:
        blocks = doc.blocks
    return replace(doc, meta=meta, blocks=blocks)


def labels(meta, theme) -> dict[str, str]:
    """The labels records systems read, by the theme's names (``theme.labels``): the banner, its
    level and scheme, and the status. The same in the DOCX custom properties, the PDF's document
    information and its XMP."""
    names = theme.labels
    values = ((names.marking, meta.marking), (names.level, meta.marking_level),
              (names.scheme, meta.marking_scheme), (names.status, "Draft" if meta.draft else "Final"))
    return {name: value for name, value in values if name and value}
