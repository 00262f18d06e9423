"""Pre-flight glyph check: every character the PDF will set, against the face that will set it.

A TrueType subset silently draws a missing glyph as an empty box, so this runs before layout and
names each character no face covers (with its code point and the text it came from) in one error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator

from ...errors import RenderError
from ...model import (Block, BulletList, Code, Div, Document, Emph, Figure, Heading, Inline, LineBreak, Link,
                      Note, Para, Strong, Table, Text, plain_text)
from .fonts import Faces
from .markup import clean
from .styles import Styles

__all__ = ["check_glyphs", "FIXED_TEXT"]

# Words and signs the writer itself sets (bullets, page numbers, labels).
FIXED_TEXT = "Page 0123456789 of Date: Information as of · • – … (continued) . ,"
_MAX_LISTED = 12


@dataclass(frozen=True)
class _Run:
    text: str
    faces: Faces
    bold: bool
    italic: bool
    where: str


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _inline_runs(nodes: tuple[Inline, ...], faces: Faces, bold: bool, italic: bool, where: str,
                 notes: list[Note]) -> Iterator[_Run]:
    for node in nodes:
        if isinstance(node, (Text, Code)):
            yield _Run(node.text, faces, bold, italic, where)
        elif isinstance(node, Emph):
            yield from _inline_runs(node.children, faces, bold, not italic, where, notes)
        elif isinstance(node, Strong):
            yield from _inline_runs(node.children, faces, True, italic, where, notes)
        elif isinstance(node, Link):
            yield from _inline_runs(node.children, faces, bold, italic, where, notes)
        elif isinstance(node, Note):
            notes.append(node)
        elif isinstance(node, LineBreak):
            pass


def _block_runs(blocks: tuple[Block, ...], st: Styles, notes: list[Note]) -> Iterator[_Run]:
    body, head = st.body_faces, st.heading_faces
    for block in blocks:
        if isinstance(block, Heading):
            where = f"heading '{_snippet(plain_text(block.children))}'"
            yield from _inline_runs(block.children, head, True, False, where, notes)
        elif isinstance(block, Para):
            where = f"paragraph '{_snippet(plain_text(block.children))}'"
            yield from _inline_runs(block.children, body, False, False, where, notes)
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from _block_runs(item, st, notes)
        elif isinstance(block, Table):
            for r, row in enumerate((block.header, *block.rows)):
                for cell in row:
                    where = f"table cell '{_snippet(plain_text(cell))}'"
                    yield from _inline_runs(cell, body, r == 0 and bool(block.header), False, where, notes)
            if block.caption:
                where = f"table caption '{_snippet(plain_text(block.caption))}'"
                yield from _inline_runs(block.caption, body, False, True, where, notes)
        elif isinstance(block, Figure):
            if block.caption:
                where = f"figure caption '{_snippet(plain_text(block.caption))}'"
                yield from _inline_runs(block.caption, body, False, True, where, notes)
        elif isinstance(block, Div):
            if block.title:
                yield _Run(block.title, head, True, False, f"box title '{_snippet(block.title)}'")
            yield from _block_runs(block.children, st, notes)


def _meta_runs(doc: Document, st: Styles) -> Iterator[_Run]:
    m, theme = doc.meta, st.theme
    body, head = st.body_faces, st.heading_faces
    yield _Run(m.title, head, True, False, "the title")
    yield _Run(m.subtitle, head, False, False, "the subtitle")
    yield _Run(f"{m.doc_type} {m.reference}", head, True, False, "the document type and reference")
    yield _Run(f"{m.author} {m.office}", body, False, False, "the author and office")
    yield _Run(m.disclaimer, body, False, True, "the disclaimer")
    yield _Run(m.short_title or m.title, body, False, False, "the running header (short title)")
    yield _Run(theme.marking_text(m.marking), body, True, False, "the marking")
    yield _Run(theme.header_text, body, False, False, "the theme's header_text")
    yield _Run(theme.footer_text, body, False, False, "the theme's footer_text")
    yield _Run(FIXED_TEXT, body, False, False, "the page furniture")
    yield _Run(FIXED_TEXT, body, False, True, "the page furniture")


def check_glyphs(doc: Document, st: Styles) -> None:
    """Raise RenderError listing every character the theme's faces cannot draw, and where it is."""
    notes: list[Note] = []
    runs = [*_meta_runs(doc, st), *_block_runs(doc.blocks, st, notes)]
    for note in notes:
        where = f"note {note.number} '{_snippet(plain_text(note.children))}'"
        runs.extend(_inline_runs(note.children, st.body_faces, False, False, where, []))
    missing: dict[tuple[str, str], str] = {}     # (char, face) -> first place it occurs
    for run in runs:
        face = run.faces.pick(run.bold, run.italic)
        for ch in dict.fromkeys(clean(run.text)):   # first occurrence order: stable messages
            if ch != " " and not face.covers(ch) and (ch, face.label) not in missing:
                missing[(ch, face.label)] = run.where
    if not missing:
        return
    chars = sorted({ch for ch, _ in missing})
    lines = []
    for (ch, label), where in list(missing.items())[:_MAX_LISTED]:
        name = unicodedata.name(ch, "unnamed character")
        lines.append(f"'{ch}' U+{ord(ch):04X} {name} in {where} ({label})")
    more = len(missing) - _MAX_LISTED
    text = "; ".join(lines) + (f"; and {more} more" if more > 0 else "")
    raise RenderError(
        f"the PDF fonts cannot render {len(chars)} character{'s' if len(chars) != 1 else ''}: {text}",
        hint="choose theme fonts (fonts.body, fonts.heading) that cover these scripts, "
             "or replace the characters in the content")
