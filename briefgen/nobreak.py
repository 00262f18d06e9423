"""Where a line must not break: no-break spaces and word joiners put into the document's text.

A typesetter keeps together what reads as one unit: a day and its month ("10 November"), a range
and what follows ("9–10 November": Word and LibreOffice may otherwise break after the en dash), a
number and its unit ("90 per cent", "5 km"), a reference and its number ("p. 458"), and the last two
words of a title or heading, so that no single word is left alone on its last line. Done once on
the model, so every writer (and every reader's word processor) keeps the same units together:
U+00A0 NO-BREAK SPACE for a space, U+2060 WORD JOINER after a dash (invisible; the PDF writer,
which never breaks there, drops it).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import (Block, BulletList, Div, Document, Emph, Heading, Inline, Link, Note, Para, Strong,
                    Table, Text, merge_text)

__all__ = ["bind_document", "bind_text", "bind_last_words", "NBSP", "WORD_JOINER"]

NBSP = "\u00a0"
WORD_JOINER = "\u2060"

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_UNITS = ("per cent|percent|%|km|kilometres|kilometers|miles|m|kg|tonnes|million|billion|trillion|"
          "bn|mn|troops|personnel|km²")
_SPACE = r"[ \t\n]+"
_RULES = (
    # "9–10 November", "1991–1994": no break after the dash between two numbers
    (re.compile(r"(\d)([\u2013\u2014])(?=\d)"), r"\1\2" + WORD_JOINER),
    # "10 November", "9–10 November"
    (re.compile(rf"\b(\d{{1,2}}){_SPACE}(?=(?:{_MONTHS})\b)"), r"\1" + NBSP),
    # "November 10" (US order)
    (re.compile(rf"\b({_MONTHS}){_SPACE}(?=\d{{1,2}}\b)"), r"\1" + NBSP),
    # "90 per cent", "1,960 personnel", "5 km"
    (re.compile(rf"(\d){_SPACE}(?=(?:{_UNITS})(?!\w))"), r"\1" + NBSP),
    # "p. 458", "pp. 12–14", "no. 17", "sec. 3", "art. 4"
    (re.compile(rf"\b(p|pp|no|No|sec|vol|art|Art|para|ch)\.{_SPACE}(?=\d)"), r"\1." + NBSP),
)
_LAST_SPACE = re.compile(r"\s+(?=\S+\s*$)")


def bind_text(text: str) -> str:
    """``text`` with its units joined (see the module's docstring)."""
    if not any(ch.isdigit() for ch in text):
        return text
    for pattern, joiner in _RULES:
        text = pattern.sub(joiner, text)
    return text


def bind_last_words(text: str) -> str:
    """A title with its last two words joined (titles of three words or more): no word alone on
    the last line."""
    if len(text.split()) < 3:
        return text
    return _LAST_SPACE.sub(NBSP, text.rstrip(), count=1) + text[len(text.rstrip()):]


def _inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in merge_text(nodes):
        if isinstance(node, Text):
            out.append(Text(bind_text(node.text)))
        elif isinstance(node, (Emph, Strong)):
            out.append(type(node)(_inlines(node.children)))
        elif isinstance(node, Link):
            out.append(replace(node, children=_inlines(node.children)))
        elif isinstance(node, Note):
            out.append(replace(node, children=_inlines(node.children)))
        else:
            out.append(node)
    return tuple(out)


def _last_words(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Join the last two words of a heading where both are in its final text node."""
    words = [i for i, n in enumerate(nodes) if isinstance(n, Text) and n.text.strip()]
    if not words:
        return nodes
    last = words[-1]
    total = sum(len(n.text.split()) for n in nodes if isinstance(n, Text))
    if total < 3 or len(nodes[last].text.split()) < 2:
        return nodes
    text = nodes[last].text
    return nodes[:last] + (Text(_LAST_SPACE.sub(NBSP, text.rstrip(), count=1) + text[len(text.rstrip()):]),) \
        + nodes[last + 1:]


def _blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(replace(block, children=_last_words(_inlines(block.children))))
        elif isinstance(block, Para):
            out.append(replace(block, children=_inlines(block.children)))
        elif isinstance(block, BulletList):
            out.append(replace(block, items=tuple(_blocks(item) for item in block.items)))
        elif isinstance(block, Table):
            out.append(replace(block, header=tuple(_inlines(c) for c in block.header),
                               rows=tuple(tuple(_inlines(c) for c in row) for row in block.rows),
                               caption=_inlines(block.caption)))
        elif isinstance(block, Div):
            out.append(replace(block, children=_blocks(block.children),
                               title=bind_last_words(block.title) if block.title else block.title))
        else:
            out.append(block)
    return tuple(out)


def bind_document(doc: Document) -> Document:
    """``doc`` with no-break spaces and word joiners where a line must not break. The title and
    subtitle stay as written (they are also the file's properties); ``Meta.title_line`` and
    ``subtitle_line`` are what a title block sets."""
    return replace(doc, blocks=_blocks(doc.blocks))
