"""Pandoc-flavoured Markdown: a YAML title block, ``[^n]`` notes, fenced divs, pipe tables."""

from __future__ import annotations

from typing import BinaryIO

from ..model import (Block, BulletList, Code, Div, Document, Emph, Figure, Heading, Inline, LineBreak, Link,
                     Note, Para, Strong, Table, Text)
from ..theme import Theme

__all__ = ["write_markdown", "render_markdown"]

_ESCAPE = set("\\`*_[]<>#|$~^@")


def _esc(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPE else ch for ch in text)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Writer:
    def __init__(self) -> None:
        self.notes: list[Note] = []

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(_esc(node.text))
            elif isinstance(node, Emph):
                out.append(f"*{self.inlines(node.children)}*")
            elif isinstance(node, Strong):
                out.append(f"**{self.inlines(node.children)}**")
            elif isinstance(node, Code):
                out.append(f"`{node.text}`")
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
                out.append(f"![{_esc(block.alt)}]({block.path})")
            elif isinstance(block, Div):
                attrs = f'.{block.kind}' + (f' title={_yaml_str(block.title)}' if block.title else "")
                fence = ":::" + (":" * _depth(block))
                inner = "\n\n".join(self.blocks(block.children))
                if block.title:
                    inner = f"**{_esc(block.title)}**\n\n" + inner
                out.append(f"{fence} {{{attrs}}}\n{inner}\n{fence}")
        return out


def _depth(div: Div) -> int:
    inner = [b for b in div.children if isinstance(b, Div)]
    return 1 + max((_depth(d) for d in inner), default=0) if inner else 0


def render_markdown(doc: Document, theme: Theme | None = None) -> str:
    meta = doc.meta
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
    writer = _Writer()
    body = writer.blocks(doc.blocks)
    notes = []
    for note in writer.notes:
        text = writer.inlines(note.children)
        notes.append(f"[^{note.number}]: {text}")
    parts = ["\n".join(head), *body]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts) + "\n"


def write_markdown(doc: Document, theme: Theme, out: BinaryIO) -> None:
    out.write(render_markdown(doc, theme).encode("utf-8"))
