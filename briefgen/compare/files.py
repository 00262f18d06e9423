"""Two editions read from files, for ``briefgen diff``: DOCX editions (briefgen's, or edited by hand
in Word) or Markdown briefs (briefgen's pandoc-flavoured Markdown, perhaps edited by hand).

A DOCX is compared as it is; a Markdown brief is read back into a document model, which the DOCX
writer sets in a theme when a redline is asked for. The summary is made from whichever outline
each file gives.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefgenError
from .redline import DocxPackage, Redline, redline_docx
from .summary import Outline, TextChanges, outline_of_docx, outline_of_document, summarize

if TYPE_CHECKING:
    from ..model import Document
    from ..theme import Theme

__all__ = ["EditionFile", "read_edition", "compare_files", "Comparison", "markdown_document"]

_FENCE = re.compile(r'^(:{3,})\s*\{\.([\w-]+)(?:\s+title="((?:[^"\\]|\\.)*)")?\}\s*$')
_HEADING_ID = re.compile(r"^(#{1,6} .*?)\s*\{#[^}]*\}\s*$")
_NOTE_DEF = re.compile(r"^\[\^(\d+)\]:\s?(.*)$")
_NOTE_REF = re.compile(r"\[\^(\d+)\]")
_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}contentStatus"
_CREATED = "{http://purl.org/dc/terms/}created"


@dataclass
class EditionFile:
    """One side of a comparison: the file, its DOCX bytes if it is one, its model if Markdown."""
    path: Path
    docx: bytes | None = None
    document: Document | None = None

    def outline(self) -> Outline:
        if self.document is not None:
            return outline_of_document(self.document)
        assert self.docx is not None
        outline = outline_of_docx(DocxPackage(self.docx, str(self.path)))
        outline.marking = _docx_marking(self.docx)
        return outline

    def docx_bytes(self, theme: Theme | None) -> bytes:
        if self.docx is not None:
            return self.docx
        if theme is None:
            raise BriefgenError("a theme is needed to set a Markdown brief as a DOCX", file=self.path,
                                hint="run inside a workspace (a folder with themes/), or pass --workspace")
        from ..writers import get_writer

        out = io.BytesIO()
        get_writer("docx")(self.document, theme, out)
        return out.getvalue()


def _core(data: bytes):
    from lxml import etree

    try:
        return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None


def _docx_date(data: bytes) -> dt.date | None:
    """The day a DOCX says it was made (``dcterms:created``; briefgen writes the edition's date)."""
    core = _core(data)
    created = core.find(_CREATED) if core is not None else None
    try:
        return dt.date.fromisoformat(created.text[:10]) if created is not None and created.text else None
    except ValueError:
        return None


def _docx_marking(data: bytes) -> str | None:
    """The marking a briefgen DOCX records in its core properties (content status), if any."""
    core = _core(data)
    if core is None:
        return None
    status = core.find(_CORE)
    if status is None or status.text is None:
        return ""
    return status.text.split(" \u2013 ")[-1] if status.text.startswith("DRAFT") else status.text


def read_edition(path: Path) -> EditionFile:
    """A ``.docx`` or ``.md`` edition; anything else, or an unreadable file, is bad input."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".md", ".markdown"):
        raise BriefgenError("compare .docx editions or .md briefs", file=path,
                            hint="briefgen diff OLD.docx NEW.docx, or two Markdown briefs")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read it: {exc.strerror}", file=path) from None
    if suffix == ".docx":
        DocxPackage(data, str(path))   # fails here, once, for a file that is not a Word document
        return EditionFile(path, docx=data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefgenError(f"not UTF-8 text (byte {exc.start})", file=path) from None
    return EditionFile(path, document=markdown_document(text, str(path)))


def markdown_document(text: str, origin: str = "") -> Document:
    """A brief in briefgen's Markdown (a YAML title block, ``[^n]`` notes, ``::: {.kind}`` divs)
    as a document model: what its writer wrote, read back."""
    from ..model import Document, Meta, Note, Text, merge_text
    from ..parse import inline_text, parse_markdown

    meta, body = _front_matter(text, origin)
    notes: dict[str, tuple] = {}
    lines: list[str] = []
    for line in body.splitlines():
        match = _NOTE_DEF.match(line)
        if match:
            notes[match.group(1)] = inline_text(match.group(2))
            continue
        fence = _FENCE.match(line)
        if fence:   # pandoc's attribute form -> the parser's "::: kind Title" form
            title = (fence.group(3) or "").replace('\\"', '"').replace("\\\\", "\\")
            line = f"{fence.group(1)} {fence.group(2)} {title}".rstrip()
        heading = _HEADING_ID.match(line)
        lines.append(heading.group(1) if heading else line)
    blocks = parse_markdown("\n".join(lines), origin=origin)

    def inlines(nodes):
        out = []
        for node in nodes:
            if isinstance(node, Text) and _NOTE_REF.search(node.text):
                pos = 0
                for ref in _NOTE_REF.finditer(node.text):
                    out.append(Text(node.text[pos:ref.start()]))
                    out.append(Note(int(ref.group(1)), notes.get(ref.group(1), ())))
                    pos = ref.end()
                out.append(Text(node.text[pos:]))
            elif hasattr(node, "children") and not isinstance(node, Note):
                out.append(replace(node, children=inlines(node.children)))
            else:
                out.append(node)
        return merge_text(out)

    def walk(items):
        from ..model import BulletList, Div, Figure, Heading, Para, Table

        out = []
        for block in items:
            if isinstance(block, (Para, Heading)):
                block = replace(block, children=inlines(block.children))
            elif isinstance(block, BulletList):
                block = replace(block, items=tuple(walk(item) for item in block.items))
            elif isinstance(block, Table):
                block = replace(block, header=tuple(inlines(c) for c in block.header),
                                rows=tuple(tuple(inlines(c) for c in row) for row in block.rows),
                                caption=inlines(block.caption))
            elif isinstance(block, Figure):
                block = replace(block, caption=inlines(block.caption))
            elif isinstance(block, Div):
                children = walk(block.children)
                if block.title and children and isinstance(children[0], Para) \
                        and _plain(children[0]) == block.title:   # the writer's bold title line
                    children = children[1:]
                block = replace(block, children=tuple(children))
            out.append(block)
        return tuple(out)

    return Document(Meta(**meta), walk(blocks))


def _plain(para) -> str:
    from ..model import plain_text

    return plain_text(para.children)


def _front_matter(text: str, origin: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {"title": ""}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {"title": ""}, text
    import yaml

    try:
        data = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise BriefgenError(f"unreadable title block ({exc.__class__.__name__})", file=origin or None) from None
    if not isinstance(data, dict):
        data = {}

    def day(value) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    meta = {"title": str(data.get("title", "")), "subtitle": str(data.get("subtitle", "")),
            "doc_type": str(data.get("doc-type", "Briefing")), "reference": str(data.get("reference", "")),
            "author": str(data.get("author", "")), "office": str(data.get("office", "")),
            "language": str(data.get("lang", "en-GB")), "marking": str(data.get("marking", "")),
            "disclaimer": str(data.get("disclaimer", "")), "date": day(data.get("date")),
            "as_of": day(data.get("information-as-of")),
            "keywords": tuple(str(k) for k in data.get("keywords", []) or [])}
    return meta, text[end + 5:]


@dataclass
class Comparison:
    """What ``briefgen diff`` found: the summary, and the redline when a DOCX was asked for."""
    changes: TextChanges
    redline: Redline | None = None


def compare_files(old: Path, new: Path, *, docx: bool = True, theme: Theme | None = None,
                  date: dt.date | None = None) -> Comparison:
    """Compare two edition files. ``docx``: make the redline too (a Markdown side is set in
    ``theme``); ``date``: the revisions' date (default: the new edition's date, as its title block
    or its properties give it, else today)."""
    before, after = read_edition(old), read_edition(new)
    changes = summarize(before.outline(), after.outline())
    if not docx:
        return Comparison(changes)
    when = (date or (after.document.meta.date if after.document is not None else _docx_date(after.docx))
            or dt.date.today())
    red = redline_docx(before.docx_bytes(theme), after.docx_bytes(theme), date=when,
                       old_name=str(old), new_name=str(new))
    return Comparison(changes, red)
