"""The HTML writer: one self-contained, accessible file (inline CSS, images as data URIs).

Structure: ``header`` (marking banner, logo, title block), ``nav`` with the contents on long briefs,
``main`` (the body, headings one level below the title's ``h1``, then the notes as a list with
``doc-noteref``/``doc-backlink`` links both ways), ``footer`` (footer text and the marking again).
Print keeps the page furniture (see ``css``). The theme's colours are checked against WCAG AA and
each shortfall is returned as a warning.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import BinaryIO

from ...errors import RenderError
from ...model import (Block, BulletList, Code, Div, Document, Emph, Figure, Heading, Inline, LineBreak, Link,
                      Note, Para, Strong, Table, Text, iter_blocks, plain_text)
from ...theme import Theme
from .contrast import contrast_warnings
from .css import stylesheet

__all__ = ["write_html", "render_html", "CONTENTS_MIN_WORDS"]

CONTENTS_MIN_WORDS = 1200   # a brief this long gets a table of contents
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
            **{c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0x7f)}}   # controls HTML cannot hold
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".svg": "image/svg+xml", ".webp": "image/webp"}
_BOXES = {"box", "not-for-use"}


def esc(text: str) -> str:
    return text.translate(_ESCAPES)


def data_uri(path: Path, what: str) -> str:
    """The file as a ``data:`` URI, so the brief is one file that shows the same anywhere."""
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    if mime is None or not path.is_file():
        raise RenderError(f"{what} '{path}' not found or not an image", file=str(path),
                          hint="use an existing PNG, JPEG, GIF, SVG or WebP file")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


class _Writer:
    def __init__(self) -> None:
        self.ids: set[str] = {"main", "contents-title", "notes-title"}
        self.notes: list[Note] = []
        self.marks: dict[int, str] = {}     # note number -> the id of its first mark
        self.targets: dict[int, str] = {}   # note number -> the id of the note (fn<n>, unless a heading has it)
        self.toc: list[tuple[int, str, str]] = []   # (level, id, text)

    def unique(self, wanted: str) -> str:
        base = wanted or "section"
        name, n = base, 1
        while name in self.ids:
            n += 1
            name = f"{base}-{n}"
        self.ids.add(name)
        return name

    # -- inlines
    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(esc(node.text))
            elif isinstance(node, Emph):
                out.append(f"<em>{self.inlines(node.children)}</em>")
            elif isinstance(node, Strong):
                out.append(f"<strong>{self.inlines(node.children)}</strong>")
            elif isinstance(node, Code):
                out.append(f"<code>{esc(node.text)}</code>")
            elif isinstance(node, Link):
                out.append(f'<a href="{esc(node.url)}">{self.inlines(node.children)}</a>')
            elif isinstance(node, LineBreak):
                out.append("<br>")
            elif isinstance(node, Note):
                out.append(self.noteref(node))
        return "".join(out)

    def noteref(self, note: Note) -> str:
        n = note.number
        mark = self.unique(f"fnref{n}")
        if n not in self.marks:
            self.marks[n], self.targets[n] = mark, self.unique(f"fn{n}")
            self.notes.append(note)
        return (f'<sup><a href="#{self.targets[n]}" id="{mark}" role="doc-noteref" '
                f'aria-label="Note {n}">{n}</a></sup>')

    # -- blocks
    def blocks(self, blocks: tuple[Block, ...], *, tight: bool = False) -> list[str]:
        out: list[str] = []
        for block in blocks:
            if isinstance(block, Heading):
                level = min(block.level + 1, 6)   # the title is the page's one h1
                anchor = self.unique(block.id)
                self.toc.append((level, anchor, " ".join(plain_text(block.children).split())))
                out.append(f'<h{level} id="{anchor}">{self.inlines(block.children)}</h{level}>')
            elif isinstance(block, Para):
                text = self.inlines(block.children)
                out.append(text if tight else f"<p>{text}</p>")
            elif isinstance(block, BulletList):
                out.append(self.bullet_list(block))
            elif isinstance(block, Table):
                out.append(self.table(block))
            elif isinstance(block, Figure):
                out.append(self.figure(block))
            elif isinstance(block, Div):
                out.append(self.div(block))
        return out

    def bullet_list(self, block: BulletList) -> str:
        tag = "ol" if block.ordered else "ul"
        items = []
        for item in block.items:
            tight = len(item) == 1 and isinstance(item[0], Para)
            items.append("<li>" + "\n".join(self.blocks(item, tight=tight)) + "</li>")
        return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"

    def table(self, block: Table) -> str:
        parts = ["<table>"]
        if block.caption:
            parts.append(f"<caption>{self.inlines(block.caption)}</caption>")
        parts.append("<thead><tr>" + "".join(f'<th scope="col">{self.inlines(c)}</th>' for c in block.header)
                     + "</tr></thead>")
        parts.append("<tbody>")
        for row in block.rows:
            parts.append("<tr>" + "".join(f"<td>{self.inlines(c)}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
        return "\n".join(parts)

    def figure(self, block: Figure) -> str:
        src = data_uri(Path(block.path), "image")
        caption = f"\n<figcaption>{self.inlines(block.caption)}</figcaption>" if block.caption else ""
        return f'<figure>\n<img src="{src}" alt="{esc(block.alt)}">{caption}\n</figure>'

    def div(self, block: Div) -> str:
        inner = "\n".join(self.blocks(block.children))
        if block.kind in _BOXES:
            title = f'<p class="box-title">{esc(block.title)}</p>\n' if block.title else ""
            return f'<div class="box {esc(block.kind)}">\n{title}{inner}\n</div>'
        if block.kind == "annex":
            return f'<section class="annex">\n{inner}\n</section>'
        if block.kind == "quote":
            return f"<blockquote>\n{inner}\n</blockquote>"
        return f'<div class="{esc(block.kind)}">\n{inner}\n</div>'

    def endnotes(self) -> str:
        items = []
        for note in self.notes:
            n = note.number
            items.append(f'<li id="{self.targets[n]}" value="{n}">{self.inlines(note.children)} '
                         f'<a href="#{self.marks[n]}" role="doc-backlink"><span aria-hidden="true">\u21a9\ufe0e</span>'
                         f'<span class="visually-hidden">Back to note {n} in the text</span></a></li>')
        if not items:
            return ""
        return ('<section class="notes" role="doc-endnotes" aria-labelledby="notes-title">\n'
                '<h2 id="notes-title">Notes</h2>\n'
                "<ol>\n" + "\n".join(items) + "\n</ol>\n</section>")


def _contents(toc: list[tuple[int, str, str]]) -> str:
    """The h2 headings as an ordered list, each with its h3 headings as a list inside."""
    sections: list[tuple[str, list[str]]] = []
    for level, anchor, text in toc:
        link = f'<a href="#{anchor}">{esc(text)}</a>'
        if level == 2 or (level == 3 and not sections):
            sections.append((link, []))
        elif level == 3:
            sections[-1][1].append(link)
    items = []
    for link, subs in sections:
        inner = ("\n<ol>" + "".join(f"<li>{s}</li>" for s in subs) + "</ol>") if subs else ""
        items.append(f"<li>{link}{inner}</li>")
    return ('<nav class="contents" aria-labelledby="contents-title">\n<h2 id="contents-title">Contents</h2>\n'
            "<ol>\n" + "\n".join(items) + "\n</ol>\n</nav>")


def _words(doc: Document) -> int:
    from ...model import block_inlines

    return sum(len(plain_text(block_inlines(b)).split()) for b in iter_blocks(doc.blocks))


def render_html(doc: Document, theme: Theme) -> tuple[str, list[str]]:
    """The brief as one HTML page, and the warnings (theme colours below WCAG AA, a logo without alt text)."""
    meta = doc.meta
    warnings = contrast_warnings(theme)
    marking = theme.marking_text(meta.marking)
    writer = _Writer()
    body = "\n".join(writer.blocks(doc.blocks))
    notes = writer.endnotes()

    head = [f'<div class="title-block">']
    logo = theme.logo_path()
    if logo is not None:
        alt = theme.logo_alt.strip()
        if not alt:
            warnings.append(f"theme '{theme.name}' has a logo but no logo_alt; the HTML and PDF treat the logo "
                            "as decoration (add logo_alt: the organisation's name)")
        width = f' style="width: {theme.logo_width_mm}mm"'
        head.append(f'<img class="logo" src="{data_uri(logo, "logo")}" alt="{esc(alt)}"{width}>')
    if meta.label_line or meta.reference.strip():
        head.append('<p class="doc-label">' + "".join(f"<span>{esc(x)}</span>" for x in (meta.label_line, meta.reference)
                                                       if x.strip()) + "</p>")
    head.append(f"<h1>{esc(meta.title_line)}</h1>")
    if meta.subtitle:
        head.append(f'<p class="subtitle">{esc(meta.subtitle_line)}</p>')
    for line in (meta.date_line, meta.people_line):
        if line:
            head.append(f'<p class="title-meta">{esc(line)}</p>')
    if meta.disclaimer:
        head.append(f'<p class="disclaimer">{esc(meta.disclaimer)}</p>')
    head.append("</div>")
    banner = (lambda where: f'<p class="marking marking-{where}">{esc(marking)}</p>') if marking else (lambda _: "")
    contents = _contents(writer.toc) if writer.toc and _words(doc) >= CONTENTS_MIN_WORDS else ""
    foot = [banner("bottom")]
    if theme.footer_text:
        foot.insert(0, f"<p>{esc(theme.footer_text)}</p>")
    metas = [f'<meta name="{k}" content="{esc(v)}">' for k, v in (
        ("author", meta.author or meta.office), ("description", meta.subtitle or meta.subject),
        ("keywords", ", ".join(meta.keywords)), ("dcterms.date", meta.date.isoformat() if meta.date else ""))
        if v]
    if marking:
        metas.append(f'<meta name="classification" content="{esc(marking)}">')
    title = " \u2014 ".join(x for x in (meta.title, meta.doc_type) if x.strip())
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(meta.language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        *metas,
        f"<style>{stylesheet(theme, meta, marking)}</style>",
        "</head>",
        "<body>",
        '<header class="page-head">', banner("top"), *head, "</header>",
        contents,
        '<main id="main">', body, notes, "</main>",
        '<footer class="page-foot">', *foot, "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(x for x in page if x) + "\n", warnings


def write_html(doc: Document, theme: Theme, out: BinaryIO) -> list[str]:
    """Write ``doc`` as one self-contained HTML file; returns the warnings (see ``render_html``)."""
    text, warnings = render_html(doc, theme)
    out.write(text.encode("utf-8"))
    return warnings
