"""Pandoc-flavoured Markdown: a YAML title block, ``[^n]`` notes, fenced divs, pipe tables."""

from __future__ import annotations

import re
from collections import Counter
from typing import BinaryIO

from ..errors import BuildWarning
from ..model import (Block, BulletList, Code, Div, Document, Emph, Figure, Heading, Inline, LineBreak, Link,
                     Note, Para, Strong, Table, Text)
from ..theme import Theme

__all__ = ["write_markdown", "render_markdown"]

_ESCAPE = set("\\`*_[]<>#|$~^@")


# Control characters (C0 but tab and newline, DEL, C1) and what XML cannot hold: pandoc refuses them
# in the title block, and no prose means them. Dropped and counted, as the DOCX writer does.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Cleaner:
    def __init__(self) -> None:
        self.dropped: Counter[str] = Counter()

    def __call__(self, text: str) -> str:
        if _CONTROL.search(text):
            self.dropped.update(_CONTROL.findall(text))
            text = _CONTROL.sub("", text)
        return text


def _esc(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPE else ch for ch in text)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


class _Writer:
    def __init__(self, clean: _Cleaner) -> None:
        self.notes: list[Note] = []
        self.clean = clean

    def esc(self, text: str) -> str:
        return _esc(self.clean(text))

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(self.esc(node.text))
            elif isinstance(node, Emph):
                out.append(f"*{self.inlines(node.children)}*")
            elif isinstance(node, Strong):
                out.append(f"**{self.inlines(node.children)}**")
            elif isinstance(node, Code):
                out.append(f"`{self.clean(node.text)}`")
            elif isinstance(node, Link):
                out.append(f"[{self.inlines(node.children)}](<{node.url}>)")
            elif isinstance(node, LineBreak):
                out.append("\\\n")
            elif isinstance(node, Note):
                self.notes.append(node)
                out.append(f"[^{node.number}]")
        return "".join(out)

    def blocks(self, blocks: tuple[Block, ...], indent: str = "") -> list[str]:
        out: list[str] = []
        for block in blocks:
            if isinstance(block, Heading):
                out.append("#" * block.level + " " + self.inlines(block.children) + f" {{#{block.id}}}")
            elif isinstance(block, Para):
                out.append(self.inlines(block.children))
            elif isinstance(block, BulletList):
                items = []
                for n, item in enumerate(block.items, 1):
                    marker = f"{n}. " if block.ordered else "- "
                    body = "\n\n".join(self.blocks(item))
                    pad = " " * len(marker)
                    items.append(marker + body.replace("\n", "\n" + pad).replace("\n" + pad + "\n", "\n\n"))
                out.append("\n".join(items))
            elif isinstance(block, Table):
                head = "| " + " | ".join(self.inlines(c) for c in block.header) + " |"
                rule = "|" + "|".join("---" for _ in block.header) + "|"
                rows = ["| " + " | ".join(self.inlines(c) for c in row) + " |" for row in block.rows]
                out.append("\n".join([head, rule, *rows]))
            elif isinstance(block, Figure):
                out.append(f"![{self.esc(block.alt)}]({block.path})")
            elif isinstance(block, Div):
                attrs = f'.{block.kind}' + (f' title={_quoted(self.clean(block.title))}' if block.title else "")
                fence = ":::" + (":" * _depth(block))
                inner = "\n\n".join(self.blocks(block.children))
                if block.title:
                    inner = f"**{self.esc(block.title)}**\n\n" + inner
                out.append(f"{fence} {{{attrs}}}\n{inner}\n{fence}")
        return out


def _depth(div: Div) -> int:
    inner = [b for b in div.children if isinstance(b, Div)]
    return 1 + max((_depth(d) for d in inner), default=0) if inner else 0


def render_markdown(doc: Document, theme: Theme | None = None) -> str:
    return _render(doc, theme, _Cleaner())


def _render(doc: Document, theme: Theme | None, clean: _Cleaner) -> str:
    meta = doc.meta

    def _yaml_str(text: str) -> str:   # every value of the title block, cleaned
        return _quoted(clean(text))

    head = ["---", f"title: {_yaml_str(meta.title)}"]
    for key, value in (("subtitle", meta.subtitle), ("doc-type", meta.doc_type), ("reference", meta.reference),
                       ("author", meta.author), ("office", meta.office), ("lang", meta.language)):
        if value:
            head.append(f"{key}: {_yaml_str(value)}")
    if meta.date:
        head.append(f"date: {meta.date.isoformat()}")
    if meta.as_of:
        head.append(f"information-as-of: {meta.as_of.isoformat()}")
    if meta.marking:
        head.append(f"marking: {_yaml_str(meta.marking)}")
    if meta.draft:
        head.append("status: draft")
    if meta.keywords:
        head.append("keywords: [" + ", ".join(_yaml_str(k) for k in meta.keywords) + "]")
    if meta.disclaimer:
        head.append(f"disclaimer: {_yaml_str(meta.disclaimer)}")
    head.append("---")
    writer = _Writer(clean)
    body = writer.blocks(doc.blocks)
    notes = []
    for note in writer.notes:
        text = writer.inlines(note.children)
        notes.append(f"[^{note.number}]: {text}")
    parts = ["\n".join(head), *body]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts) + "\n"


def write_markdown(doc: Document, theme: Theme, out: BinaryIO) -> list[BuildWarning]:
    clean = _Cleaner()
    out.write(_render(doc, theme, clean).encode("utf-8"))
    if not clean.dropped:
        return []
    codes = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(clean.dropped))
    total = sum(clean.dropped.values())
    return [BuildWarning(f"Markdown: dropped {total} control character{'s' if total != 1 else ''} ({codes})",
                         hint="remove control characters from the content")]
