"""Pre-flight glyph check: every character the PDF will set, against the face that will set it.

A TrueType subset silently draws a missing glyph as an empty box, so this runs before layout and
names each character no face covers (with its code point and the text it came from) in one error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Iterator

from ..errors import RenderError
from ..model import (Block, BulletList, Code, Div, Document, Emph, Figure, Heading, Inline, LineBreak, Link,
                      Note, Para, Strong, Table, Text, plain_text)
from .fonts import Face, Faces
from .markup import clean
from .styles import Styles

__all__ = ["check_glyphs", "missing_glyphs", "with_stand_ins", "FIXED_TEXT"]

# Words and signs the writer itself sets (bullets, page numbers, labels).
FIXED_TEXT = "Page 0123456789 of Date: Information as of · • – … (continued) . ,"
_MAX_LISTED = 12


@dataclass(frozen=True)
class _Run:
    text: str
    faces: Faces
    bold: bool
    italic: bool
    where: tuple[str, object]    # (what, its inlines or text): described only if a glyph is missing


def _describe(where: tuple[str, object]) -> str:
    what, content = where
    if content is None:
        return what
    text = content if isinstance(content, str) else plain_text(content)
    return f"{what} '{_snippet(text)}'"


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _inline_runs(nodes: tuple[Inline, ...], faces: Faces, bold: bool, italic: bool, where: tuple[str, object],
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
            yield from _inline_runs(block.children, head, True, False, ("heading", block.children), notes)
        elif isinstance(block, Para):
            yield from _inline_runs(block.children, body, False, False, ("paragraph", block.children), notes)
        elif isinstance(block, BulletList):
            for item in block.items:
                yield from _block_runs(item, st, notes)
        elif isinstance(block, Table):
            for r, row in enumerate((block.header, *block.rows)):
                for cell in row:
                    yield from _inline_runs(cell, body, r == 0 and bool(block.header), False,
                                            ("table cell", cell), notes)
            if block.caption:
                yield from _inline_runs(block.caption, body, False, True, ("table caption", block.caption), notes)
        elif isinstance(block, Figure):
            if block.caption:
                yield from _inline_runs(block.caption, body, False, True, ("figure caption", block.caption), notes)
        elif isinstance(block, Div):
            if block.title:
                yield _Run(block.title, head, True, False, ("box title", block.title))
            yield from _block_runs(block.children, st, notes)


def _meta_runs(doc: Document, st: Styles) -> Iterator[_Run]:
    m, theme = doc.meta, st.theme
    body, head = st.body_faces, st.heading_faces
    yield _Run(m.title_line, head, True, False, ("the title", None))
    yield _Run(m.subtitle_line, head, False, False, ("the subtitle", None))
    yield _Run(f"{m.label_line} {m.reference}", head, True, False, ("the document type and reference", None))
    yield _Run(f"{m.author} {m.office}", body, False, False, ("the author and office", None))
    yield _Run(m.disclaimer, body, False, True, ("the disclaimer", None))
    yield _Run(m.short_title or m.title, body, False, False, ("the running header (short title)", None))
    yield _Run(m.marking, body, True, False, ("the marking", None))
    yield _Run(theme.header_text, body, False, False, ("the theme's header_text", None))
    yield _Run(theme.footer_text, body, False, False, ("the theme's footer_text", None))
    yield _Run(FIXED_TEXT, body, False, False, ("the page furniture", None))
    yield _Run(FIXED_TEXT, body, False, True, ("the page furniture", None))


def missing_glyphs(doc: Document, st: Styles) -> dict[tuple[str, str], tuple[str, object]]:
    """Every (character, face) the theme's faces cannot draw, with the first place it occurs."""
    notes: list[Note] = []
    runs = [*_meta_runs(doc, st), *_block_runs(doc.blocks, st, notes)]
    for note in notes:
        runs.extend(_inline_runs(note.children, st.body_faces, False, False, (f"note {note.number}", note.children),
                                 []))
    # first, every face against the set of characters it must set (what nearly every brief needs)
    wanted: dict[Face, set[str]] = {}
    for run in runs:
        wanted.setdefault(run.faces.pick(run.bold, run.italic), set()).update(clean(run.text))
    if all(ch == " " or face.covers(ch) for face, chars in wanted.items() for ch in chars):
        return {}
    missing: dict[tuple[str, str], tuple[str, object]] = {}     # (char, face) -> first place it occurs
    for run in runs:
        face = run.faces.pick(run.bold, run.italic)
        for ch in dict.fromkeys(clean(run.text)):   # first occurrence order: stable messages
            if ch != " " and not face.covers(ch) and (ch, face.label) not in missing:
                missing[(ch, face.label)] = run.where
    return missing


def check_glyphs(doc: Document, st: Styles) -> None:
    """Raise RenderError listing every character the theme's faces cannot draw, and where it is."""
    missing = missing_glyphs(doc, st)
    if not missing:
        return
    chars = sorted({ch for ch, _ in missing})
    lines = []
    for (ch, label), where in list(missing.items())[:_MAX_LISTED]:
        name = unicodedata.name(ch, "unnamed character")
        lines.append(f"'{ch}' U+{ord(ch):04X} {name} in {_describe(where)} ({label})")
    more = len(missing) - _MAX_LISTED
    text = "; ".join(lines) + (f"; and {more} more" if more > 0 else "")
    raise RenderError(
        f"the PDF fonts cannot render {len(chars)} character{'s' if len(chars) != 1 else ''}: {text}",
        hint="choose theme fonts (fonts.body, fonts.heading) that cover these scripts, "
             "or replace the characters in the content")


def _stand_in(ch: str) -> str:
    """A character of about the same width that every face has: a wide (CJK, emoji) one as 'M',
    a mark or joiner as nothing, any other letter as 'n'."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return ""
    return "M" if unicodedata.east_asian_width(ch) in ("W", "F") else "n"


def with_stand_ins(doc: Document, chars: set[str]) -> Document:
    """``doc`` with each of ``chars`` replaced by a stand-in of about its width: for measuring the
    pages of a brief whose PDF is not written, when the PDF fonts lack some of its characters."""
    table = str.maketrans({ch: _stand_in(ch) for ch in chars})

    def swap(value):
        if isinstance(value, str):
            return value.translate(table)
        if isinstance(value, tuple):
            return tuple(swap(v) for v in value)
        if is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: swap(getattr(value, f.name)) for f in fields(value)
                       if f.name not in _NOT_TEXT and (isinstance(getattr(value, f.name), (str, tuple))
                                                       or is_dataclass(getattr(value, f.name)))}
            return replace(value, **changes)
        return value

    return swap(doc)


_NOT_TEXT = {"path", "url", "id", "kind", "origin", "key", "language"}
