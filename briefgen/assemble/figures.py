"""Figures' image paths, resolved where they were written: a module's ``![map](maps/front.png)``
against the modules' folder (a template's against its own folder), never against the current
directory, so a spec builds the same from anywhere; and only inside the workspace.

Each image is checked here (``images.check_image``), so a missing or damaged one is reported at
the module's file and line before any writer starts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

from ..errors import ContentError
from ..images import check_image
from ..model import Block, BulletList, Div, Figure
from ..safepaths import is_inside
from ..workspace import Workspace

__all__ = ["resolve_figures"]


def _written_at(src: str, choices: Sequence) -> tuple[Path | None, int | None]:
    """The module file (and line) whose chosen variant names ``src``."""
    for choice in choices:
        variant = choice.module.variant(choice.variant)
        index = variant.text.find(src)
        if index < 0:
            index = variant.text.find(unquote(src))
        if index >= 0:
            return choice.module.path, variant.first_line + variant.text.count("\n", 0, index) + 1
    return None, None


def resolve_figures(blocks: tuple[Block, ...], choices: Sequence, ws: Workspace, template_dir: Path,
                    cache=None) -> tuple[Block, ...]:
    def fix(block: Block) -> Block:
        if isinstance(block, Figure):
            return replace(block, path=str(_resolve(block.path, choices, ws, template_dir, cache)))
        if isinstance(block, Div):
            return replace(block, children=tuple(fix(b) for b in block.children))
        if isinstance(block, BulletList):
            return replace(block, items=tuple(tuple(fix(b) for b in item) for item in block.items))
        return block

    if not any(isinstance(b, (Figure, Div, BulletList)) for b in blocks):
        return blocks
    return tuple(fix(b) for b in blocks)


def _resolve(src: str, choices: Sequence, ws: Workspace, template_dir: Path, cache) -> Path:
    file, line = _written_at(src, choices)
    name = unquote(src)
    base = ws.modules_dir if file is not None else template_dir
    path = base / name
    if not is_inside(path, ws.root) and not (file is None and is_inside(path, template_dir.parent)):
        raise ContentError(f"image '{name}' leads outside the workspace", file=file or template_dir, line=line,
                           hint="keep images inside the workspace; paths are relative to content/modules/")
    check_image(path, ContentError, file=file or template_dir, line=line, shown=name, cache=cache)
    return path.resolve()
