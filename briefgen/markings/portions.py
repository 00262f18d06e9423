"""Portion marks: where each block of a brief came from, and the mark that starts it.

Templates mix modules' text with their own wording, so which module a paragraph came from is known
only while the template renders. Each module's text goes into the template *tagged*: every line
that has words ends with an invisible pair of private-use characters naming the module's
sensitivity. After rendering, ``untag`` removes the tags and says, line by line, which
sensitivities each line holds; the parser stamps each heading, paragraph and table with those of
its lines (``Block.sensitivity``), and a block without any is the template's own text.

``add_portion_marks`` then starts every heading, paragraph, list item, table and footnote with the
mark of its level, e.g. "(U) " or "(CUI) ", as ordinary text in the document model, so every writer
draws it without knowing about markings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from ..model import Block, BulletList, Div, Emph, Heading, Inline, Link, Note, Para, Strong, Table, Text, merge_text
from .schemes import Scheme

__all__ = ["tag", "untag", "add_portion_marks", "block_level", "TAG_OPEN", "TAG_CLOSE"]

TAG_OPEN, TAG_CLOSE = "\U000F0000", "\U000F0001"   # Supplementary Private Use Area-A: never in content
_TAG = re.compile(f"{TAG_OPEN}([^{TAG_CLOSE}]*){TAG_CLOSE}")
_WORDS = re.compile(r"\w")


def tag(text: str, sensitivity: str) -> str:
    """``text`` with each line that has words tagged with ``sensitivity`` (lines of markup alone,
    such as a closing fence or a table rule, stay as they are so the template's filters still
    read them as markup)."""
    if not text:
        return text
    mark = f"{TAG_OPEN}{sensitivity}{TAG_CLOSE}"
    return "\n".join(line + mark if _WORDS.search(line) else line for line in str(text).split("\n"))


def untag(text: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """(the text without tags, the sensitivities on each of its lines, in order of appearance)."""
    if TAG_OPEN not in text:
        return text, ()
    lines = text.split("\n")
    found = tuple(tuple(dict.fromkeys(s.lower() for s in _TAG.findall(line))) for line in lines)
    return _TAG.sub("", text).replace(TAG_OPEN, "").replace(TAG_CLOSE, ""), found


def block_level(scheme: Scheme, sensitivities: Sequence[str], fixed_text: str) -> int:
    """The level of a block: the highest of its sensitivities (the template's own text: ``fixed_text``)."""
    ranks = [scheme.rank_of_sensitivity(s) for s in (sensitivities or (fixed_text,))]
    return max((r for r in ranks if r is not None), default=0)


def _mark_notes(inlines: tuple[Inline, ...], prefix: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Note):
            node = Note(node.number, merge_text((Text(prefix), *node.children)))
        elif isinstance(node, (Emph, Strong)):
            node = type(node)(_mark_notes(node.children, prefix))
        elif isinstance(node, Link):
            node = Link(_mark_notes(node.children, prefix), node.url)
        out.append(node)
    return tuple(out)


def _start(inlines: tuple[Inline, ...], prefix: str) -> tuple[Inline, ...]:
    return merge_text((Text(prefix), *_mark_notes(inlines, prefix)))


def add_portion_marks(blocks: tuple[Block, ...], scheme: Scheme, fixed_text: str) -> tuple[Block, ...]:
    """Every heading, paragraph, list item, table (its first cell) and footnote, started with its
    level's portion mark; the notes of a block take the block's mark."""
    def prefix(sensitivities: Sequence[str]) -> str:
        portion = scheme.levels[block_level(scheme, sensitivities, fixed_text)].portion
        return f"({portion}) " if portion else ""

    def walk(items: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, (Heading, Para)):
                mark = prefix(block.sensitivity)
                block = replace(block, children=_start(block.children, mark)) if mark else block
            elif isinstance(block, Table):
                mark = prefix(block.sensitivity)
                if mark:
                    header = tuple(_mark_notes(cell, mark) for cell in block.header)
                    rows = tuple(tuple(_mark_notes(cell, mark) for cell in row) for row in block.rows)
                    if header:
                        header = (merge_text((Text(mark), *header[0])), *header[1:])
                    elif rows and rows[0]:
                        rows = ((merge_text((Text(mark), *rows[0][0])), *rows[0][1:]), *rows[1:])
                    block = replace(block, header=header, rows=rows)
            elif isinstance(block, BulletList):
                block = replace(block, items=tuple(walk(item) for item in block.items))
            elif isinstance(block, Div):
                block = replace(block, children=walk(block.children))
            out.append(block)
        return tuple(out)

    return walk(blocks)
