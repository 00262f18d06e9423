"""Markdown (with pandoc citations and ``:::`` divs) -> document-model blocks, via markdown-it-py."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..model import (Block, BulletList, Cite, Citation, Code, Div, Emph, Figure, Heading, Inline, LineBreak,
                     Link, Para, Strong, Table, Text, is_web_link, merge_text, plain_text)
from .citations import citation_plugin, parse_cite_group

__all__ = ["parse_markdown", "blocks_of", "markdown_parser", "block_parser", "parse_cite_group", "inline_text", "slug",
           "nested_too_deep", "text_lines"]

_CONTAINERS = ("bullet_list_open", "ordered_list_open", "blockquote_open", "container_div_open")


def _div_validate(params: str, *args: object) -> bool:
    return bool(params.strip())


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, our citation rule and ``::: kind Title`` containers; raw HTML off,
    so ``<b>`` in content stays literal text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(citation_plugin)
    md.use(container_plugin, name="div", marker=":", validate=_div_validate)
    return md


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same parser without the inline pass: for finding headings and their lines quickly."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(container_plugin, name="div", marker=":", validate=_div_validate)
    md.core.ruler.disable("inline")
    return md


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` (with their ends) as markdown-it's line map counts them: at ``\n`` only,
    never at the other breaks ``str.splitlines`` knows."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def nested_too_deep(tokens: Sequence[Token], limit: int) -> int | None:
    """The 0-based line of the first list, quote or box nested more than ``limit`` deep, or of
    anything markdown-it nested to its own limit (past which it stops parsing the rest); else None."""
    depth = 0
    cut_at = markdown_parser().options["maxNesting"] - 1
    for tok in tokens:
        if tok.nesting == 1 and tok.level >= cut_at:
            return tok.map[0] if tok.map else 0
        if tok.type in _CONTAINERS:
            depth += 1
            if depth > limit:
                return tok.map[0] if tok.map else 0
        elif tok.nesting == -1 and tok.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1
    return None


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:60] or "section"


class _Converter:
    def __init__(self, origin: str, first_line: int, lines: tuple[tuple[str, ...], ...] = ()) -> None:
        self.origin = origin
        self.first_line = first_line
        self.slugs: dict[str, int] = {}
        self.lines = lines   # the sensitivities on each line of the text (markings/portions.py)

    def sensitivity(self, tok: Token) -> tuple[str, ...]:
        """The sensitivities of the lines a block token spans (() when none were given)."""
        if not self.lines or not tok.map:
            return ()
        found: dict[str, None] = {}
        for line in self.lines[tok.map[0]:tok.map[1]]:
            found.update(dict.fromkeys(line))
        return tuple(found)

    # -- inlines --------------------------------------------------------------------------------
    def inlines(self, token: Token) -> tuple[Inline, ...]:
        base = (token.map[0] if token.map else 0) + self.first_line
        stack: list[list[Inline]] = [[]]
        openers: list[tuple[str, str]] = []
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                stack[-1].append(Text(child.content))
            elif kind in ("softbreak",):
                stack[-1].append(Text(" "))
            elif kind == "hardbreak":
                stack[-1].append(LineBreak())
            elif kind == "code_inline":
                stack[-1].append(Code(child.content))
            elif kind in ("em_open", "strong_open", "link_open"):
                openers.append((kind, str(child.attrs.get("href", "")) if kind == "link_open" else ""))
                stack.append([])
            elif kind in ("em_close", "strong_close", "link_close"):
                opened, href = openers.pop()
                children = tuple(stack.pop())
                node: Inline
                if opened == "em_open":
                    node = Emph(children)
                elif opened == "strong_open":
                    node = Strong(children)
                elif is_web_link(href):
                    node = Link(children, href)
                else:   # printed, unlinked (the build warns of it)
                    shown = merge_text(children)
                    if plain_text(shown) != href:
                        shown = merge_text((*shown, Text(f" ({href})")))
                    stack[-1].extend(shown)
                    continue
                stack[-1].append(node)
            elif kind == "citation":
                cites = tuple(Cite(k, loc) for k, loc in child.meta["cites"])
                stack[-1].append(Citation(cites, self.origin, base + child.meta["line_offset"] + 1))
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                stack[-1].append(Text(f"[image: {alt}]"))
            elif kind in ("html_inline",):
                stack[-1].append(Text(child.content))
            else:  # unknown inline tokens keep their text rather than vanish
                stack[-1].append(Text(child.content))
        return merge_text(tuple(stack[0]))

    # -- blocks ---------------------------------------------------------------------------------
    def blocks(self, tokens: Sequence[Token], start: int, stop_type: str | None) -> tuple[list[Block], int]:
        out: list[Block] = []
        i = start
        while i < len(tokens):
            tok = tokens[i]
            if stop_type and tok.type == stop_type:
                return out, i + 1
            if tok.type == "heading_open":
                level = int(tok.tag[1])
                inl = self.inlines(tokens[i + 1])
                out.append(Heading(min(level, 4), inl, self._slug(inl), self.sensitivity(tok)))
                i += 3
            elif tok.type == "paragraph_open":
                inline_tok = tokens[i + 1]
                kids = inline_tok.children or []
                if len(kids) == 1 and kids[0].type == "image":
                    img = kids[0]
                    alt = "".join(c.content for c in img.children or [])
                    title = str(img.attrs.get("title", "") or "")
                    out.append(Figure(str(img.attrs.get("src", "")), alt, (Text(title),) if title else ()))
                else:
                    out.append(Para(self.inlines(inline_tok), self.sensitivity(tok)))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                close = tok.type.replace("_open", "_close")
                items: list[tuple[Block, ...]] = []
                i += 1
                while tokens[i].type != close:
                    # list_item_open ... list_item_close; tight lists hide their paragraphs
                    item_blocks, i = self.blocks(tokens, i + 1, "list_item_close")
                    items.append(tuple(item_blocks))
                out.append(BulletList(tuple(items), ordered=tok.type.startswith("ordered")))
                i += 1
            elif tok.type == "table_open":
                header, rows, end = self._table(tokens, i)
                out.append(Table(header, rows, sensitivity=self.sensitivity(tok)))
                i = end
            elif tok.type == "container_div_open":
                params = tok.info.strip()
                kind, _, title = params.partition(" ")
                children, i = self.blocks(tokens, i + 1, "container_div_close")
                out.append(Div(kind, tuple(children), title.strip()))
            elif tok.type in ("fence", "code_block"):
                out.append(Para((Code(tok.content.rstrip("\n")),), self.sensitivity(tok)))
                i += 1
            elif tok.type == "blockquote_open":
                children, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(Div("quote", tuple(children)))
            elif tok.type == "hr":
                i += 1
            else:
                i += 1
        return out, i

    def _table(self, tokens: Sequence[Token], i: int):
        header: list[tuple[Inline, ...]] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        current: list[tuple[Inline, ...]] = []
        in_head = False
        while tokens[i].type != "table_close":
            t = tokens[i]
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                current = []
            elif t.type == "tr_close":
                if in_head:
                    header = current
                else:
                    rows.append(tuple(current))
            elif t.type == "inline":
                current.append(self.inlines(t))
            i += 1
        return tuple(header), tuple(rows), i + 1

    def _slug(self, inl: tuple[Inline, ...]) -> str:
        from ..model import plain_text

        base = slug(plain_text(inl))
        n = self.slugs.get(base, 0)
        self.slugs[base] = n + 1
        return base if n == 0 else f"{base}-{n}"


def parse_markdown(text: str, origin: str = "", first_line: int = 0,
                   lines: tuple[tuple[str, ...], ...] = ()) -> tuple[Block, ...]:
    """Parse Markdown into blocks; citations stay unresolved ``Citation`` nodes carrying ``origin``
    and their line (``first_line`` is added, for text cut out of a larger file). ``lines``: the
    sensitivities on each line of ``text``, stamped on the blocks made from them."""
    return blocks_of(markdown_parser().parse(text), origin, first_line, lines)


def blocks_of(tokens: Sequence[Token], origin: str = "", first_line: int = 0,
              lines: tuple[tuple[str, ...], ...] = ()) -> tuple[Block, ...]:
    """``parse_markdown``'s blocks from the tokens ``markdown_parser()`` made of the text: one parse
    can then serve other readers of the same tokens too (``catalog/modules.py``)."""
    cut = nested_too_deep(tokens, limit=10**6)
    if cut is not None:   # markdown-it would silently drop everything after this point
        from ..errors import ContentError

        raise ContentError("lists, quotes or boxes nested deeper than the Markdown parser reads",
                           file=origin or None, line=first_line + cut + 1,
                           hint="flatten the nesting (a module may nest at most 6 deep)")
    blocks, _ = _Converter(origin, first_line, lines).blocks(tokens, 0, None)
    return tuple(blocks)


def inline_text(text: str) -> tuple[Inline, ...]:
    """Parse one line of Markdown into inlines (for front-matter fields such as key facts)."""
    blocks = parse_markdown(text)
    if blocks and isinstance(blocks[0], Para):
        return blocks[0].children
    return (Text(text),)
