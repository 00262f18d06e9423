"""The document model: a small, closed set of frozen node types that every writer renders.

By the time a ``Document`` exists, every citation has been resolved into a numbered ``Note`` (or a
bracketed source number) with its final text, so writers only place things; they never format
citations, read files or parse Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator, Union

__all__ = [
    "long_date", "MONTHS",
    "Text", "Emph", "Strong", "Code", "Link", "LineBreak", "Citation", "Cite", "Note", "Inline",
    "Heading", "Para", "BulletList", "Table", "Figure", "Div", "Block",
    "Meta", "Document", "plain_text", "iter_inlines", "iter_blocks", "notes_of", "merge_text", "block_inlines",
    "is_web_link", "WEB_SCHEMES",
]

# The URL schemes a brief may link to; any other (javascript:, data:, file:, a Windows path's C:)
# is printed as text, unlinked, with a warning.
WEB_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")   # what browsers strip before reading a scheme


def is_web_link(url: str) -> bool:
    """Whether ``url`` is ``http``, ``https``, ``mailto`` or relative (no scheme)."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", url))
    return match is None or match.group(1).lower() in WEB_SCHEMES


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def long_date(day: dt.date | None) -> str:
    """'23 November 2026': the form British briefs use, the same in every locale ('' for None)."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# ---- inlines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """Plain text, exactly as it should appear (never interpreted as markup by a writer)."""
    text: str


@dataclass(frozen=True)
class Emph:
    """Italic span (titles of works, foreign words)."""
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Strong:
    """Bold span."""
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Code:
    """Literal code or identifier, set in a monospace face."""
    text: str


@dataclass(frozen=True)
class Link:
    """Hyperlink to ``url`` with visible ``children``."""
    children: tuple["Inline", ...]
    url: str


@dataclass(frozen=True)
class LineBreak:
    """Hard line break inside a paragraph."""


@dataclass(frozen=True)
class Cite:
    """One source inside a citation: its key and an optional locator ("p. 459", "sec. 2")."""
    key: str
    locator: str = ""


@dataclass(frozen=True)
class Citation:
    """An unresolved pandoc citation ``[@a, 4; @b]``; exists only between parsing and the notes engine."""
    cites: tuple[Cite, ...]
    origin: str = ""  # "module:<id>" or a template name, for error messages
    line: int | None = None


@dataclass(frozen=True)
class Note:
    """A resolved footnote: its number and its final text. Writers put it at the page foot."""
    number: int
    children: tuple["Inline", ...]


Inline = Union[Text, Emph, Strong, Code, Link, LineBreak, Citation, Note]


# ---- blocks ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    """Section heading, level 1 (top) to 4; ``id`` is a stable anchor for bookmarks."""
    level: int
    children: tuple[Inline, ...]
    id: str = ""
    sensitivity: tuple[str, ...] = ()   # of the content it came from; () the template's own text


@dataclass(frozen=True)
class Para:
    """A paragraph of inlines."""
    children: tuple[Inline, ...]
    sensitivity: tuple[str, ...] = ()   # of the content it came from; () the template's own text


@dataclass(frozen=True)
class BulletList:
    """A list; each item is a tuple of blocks. ``ordered`` gives 1., 2., 3. numbering."""
    items: tuple[tuple["Block", ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with one header row; cells are inline sequences."""
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    caption: tuple[Inline, ...] = ()
    sensitivity: tuple[str, ...] = ()   # of the content it came from; () the template's own text


@dataclass(frozen=True)
class Figure:
    """An image with mandatory alt text (accessibility) and an optional caption."""
    path: str
    alt: str
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Div:
    """Generic container instead of new node types: ``kind`` is e.g. "box", "annex",
    "not-for-use", "bibliography", "sources"; ``title`` is an optional box title."""
    kind: str
    children: tuple["Block", ...]
    title: str = ""


Block = Union[Heading, Para, BulletList, Table, Figure, Div]


# ---- document --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Meta:
    """Everything about the brief that page furniture and document properties need."""
    title: str
    subtitle: str = ""
    short_title: str = ""          # running header from page 2
    doc_type: str = "Briefing"     # "Submission", "Assessment", "Lines to take", ...
    reference: str = ""
    date: dt.date | None = None    # the edition date
    as_of: dt.date | None = None   # "Information as of"
    author: str = ""
    office: str = ""
    marking: str = ""              # the banner as printed, caveats included; "" when none
    marking_level: str = ""        # its level's name in the scheme ("OFFICIAL", "CUI", ...)
    marking_scheme: str = ""       # the scheme's name ("uk", "us", "nato" or a theme's own)
    marking_colour: str = ""       # the banner's colour (#rrggbb); "" for the theme's colours.marking
    status: str = "final"          # "draft" puts DRAFT on every page, in the title block and properties
    title_portion: str = ""        # the portion mark before the title and subtitle, e.g. "(U) "; "" for none
    audience: str = ""
    language: str = "en-GB"
    keywords: tuple[str, ...] = ()
    subject: str = ""
    disclaimer: str = ""

    @property
    def date_line(self) -> str:
        """The title block's dates: 'Date: 23 November 2026 · Information as of 20 November 2026'."""
        parts = ([f"Date: {long_date(self.date)}"] if self.date else []) + \
                ([f"Information as of {long_date(self.as_of)}"] if self.as_of else [])
        return " \u00b7 ".join(parts)

    @property
    def title_line(self) -> str:
        """The title as the title block prints it: with its portion mark where the brief has them,
        and its units and last two words joined (``nobreak``: no word alone on its last line)."""
        from .nobreak import bind_last_words, bind_text
        return self.title_portion + bind_last_words(bind_text(self.title))

    @property
    def subtitle_line(self) -> str:
        from .nobreak import bind_last_words, bind_text
        return self.title_portion + bind_last_words(bind_text(self.subtitle)) if self.subtitle else ""

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def label_line(self) -> str:
        """The title block's document type, with DRAFT for a draft: 'Submission – DRAFT'."""
        return " \u2013 ".join(x for x in (self.doc_type.strip(), "DRAFT" if self.draft else "") if x)

    @property
    def people_line(self) -> str:
        """The title block's 'author · office' line."""
        return " \u00b7 ".join(x.strip() for x in (self.author, self.office) if x.strip())


@dataclass(frozen=True)
class Document:
    """A finished brief: metadata and blocks, with every citation resolved."""
    meta: Meta
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = field(default=(), compare=False)


# ---- traversal helpers -----------------------------------------------------------------------

def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, in reading order (list items and Div children included)."""
    for block in blocks:
        yield block
        if isinstance(block, BulletList):
            for item in block.items:
                yield from iter_blocks(item)
        elif isinstance(block, Div):
            yield from iter_blocks(block.children)


def _block_inlines(block: Block) -> Iterator[Inline]:
    if isinstance(block, (Heading, Para)):
        yield from block.children
    elif isinstance(block, Table):
        for row in (block.header, *block.rows):
            for cell in row:
                yield from cell
        yield from block.caption
    elif isinstance(block, Figure):
        yield from block.caption


def iter_inlines(inlines: tuple[Inline, ...], *, into_notes: bool = False) -> Iterator[Inline]:
    """Every inline, depth first; note bodies only when ``into_notes``."""
    for node in inlines:
        yield node
        if isinstance(node, (Emph, Strong, Link)):
            yield from iter_inlines(node.children, into_notes=into_notes)
        elif isinstance(node, Note) and into_notes:
            yield from iter_inlines(node.children, into_notes=into_notes)


def notes_of(doc: Document) -> list[Note]:
    """The document's notes in reading order (the order of their numbers)."""
    out = []
    for block in iter_blocks(doc.blocks):
        for node in iter_inlines(tuple(_block_inlines(block))):
            if isinstance(node, Note):
                out.append(node)
    return out


def plain_text(inlines: tuple[Inline, ...], *, notes: bool = False) -> str:
    """The visible text of inlines (notes left out unless asked), for word counts and alt text."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Code):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, (Emph, Strong, Link)):
            parts.append(plain_text(node.children, notes=notes))
        elif isinstance(node, Note) and notes:
            parts.append(plain_text(node.children, notes=notes))
    return "".join(parts)


def merge_text(nodes) -> tuple[Inline, ...]:
    """Join neighbouring Text nodes and drop empty ones, so equal content gives equal trees."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def block_inlines(block: Block) -> tuple[Inline, ...]:
    """The inlines a block holds directly (not those of nested blocks)."""
    return tuple(_block_inlines(block))
