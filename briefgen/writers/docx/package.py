"""The Word package around the content: the base document, properties, and reproducible bytes.

The base is the small bundled ``reference.docx`` (made by ``tools/make_reference_docx.py``; see it
for why not python-docx's default template), or a theme's own reference document, whose styles,
page setup and header/footer art are used while its text is dropped, as pandoc's
``--reference-doc`` does.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ...errors import RenderError, ThemeError
from ...markings import labels
from ...model import Meta
from ...theme import Theme
from .inlines import Sanitizer
from .xml import qn

__all__ = ["BUNDLED_REFERENCE", "open_base", "set_properties", "reproducible_zip", "timestamp"]

BUNDLED_REFERENCE = Path(__file__).with_name("reference.docx")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_CORE_MAX = 255  # python-docx (and Word) limit core property text to 255 characters


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_MS = "http://schemas.microsoft.com/office"
_DROPPED_RELS = (RT.COMMENTS, RT.GLOSSARY_DOCUMENT, f"{_MS}/2007/relationships/stylesWithEffects",
                 f"{_MS}/2011/relationships/commentsExtended", f"{_MS}/2011/relationships/people",
                 f"{_MS}/2016/09/relationships/commentsIds",
                 f"{_MS}/2018/08/relationships/commentsExtensible")


@lru_cache(maxsize=1)
def _bundled_bytes() -> bytes:
    return BUNDLED_REFERENCE.read_bytes()


def open_base(theme: Theme):
    """(python-docx Document with an empty body, whether it is the bundled template)."""
    ref = theme.reference_docx_path() or (Path(theme.reference_docx) if theme.reference_docx else None)
    if ref is None:
        document = docx.Document(BytesIO(_bundled_bytes()))
        own = True
    else:
        document = _open_reference(ref)
        own = False
        for rid, rel in list(document.part.rels.items()):
            # comments and building blocks belong to the dropped text; Word 2010's copy of the
            # styles would contradict the styles briefgen adds (Word then reports unreadable content)
            if rel.reltype in _DROPPED_RELS:
                del document.part.rels[rid]
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document, own


def _open_reference(path: Path):
    hint = "save it from Word as a .docx document, or remove reference_docx from theme.yaml"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ThemeError("reference document not found", file=path, hint=hint) from None
    except OSError as exc:
        raise ThemeError(f"cannot read reference document: {exc.strerror}", file=path) from None
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ThemeError("reference document is not a .docx file (not a zip package)", file=path,
                         hint=hint)
    _check_unpacked_size(data, path, hint)
    try:
        document = docx.Document(BytesIO(data))
        document.styles  # noqa: B018 - a broken styles part should fail here, not mid-build
        document.sections[-1].page_width  # noqa: B018
    except Exception as exc:  # noqa: BLE001 - any failure to read a user's file is bad input
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ThemeError(f"reference document cannot be read ({reason})", file=path,
                         hint=hint) from None
    if not len(document.sections):
        raise ThemeError("reference document has no page setup (w:sectPr)", file=path, hint=hint)
    return document


# What a reference document may unpack to, checked from the zip's directory before anything is
# inflated: a real one (styles, page setup, header art) is well under a megabyte unpacked.
MAX_UNPACKED = 64 * 1024 * 1024
MAX_RATIO = 200          # zip compresses XML about 10:1; a bomb compresses 1000:1 and more
MAX_MEMBERS = 2000


def _check_unpacked_size(data: bytes, path: Path, hint: str) -> None:
    try:
        members = zipfile.ZipFile(BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ThemeError(f"reference document cannot be read ({exc})", file=path, hint=hint) from None
    if len(members) > MAX_MEMBERS:
        raise ThemeError(f"reference document has {len(members):,} parts (at most {MAX_MEMBERS:,})", file=path,
                         hint=hint)
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise ThemeError(f"reference document would unpack to {total / 2**20:,.0f} MB (at most "
                         f"{MAX_UNPACKED // 2**20} MB)", file=path, hint=hint)
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ThemeError(f"reference document part '{m.filename}' is compressed {m.file_size // max(m.compress_size, 1):,}"
                             f" to 1 (a zip bomb?)", file=path, hint=hint)


def timestamp(meta: Meta) -> dt.datetime | None:
    """Created/modified time: the brief's date, else ``SOURCE_DATE_EPOCH``, else the information
    date; None (no timestamp at all) rather than the clock, so equal inputs give equal bytes."""
    if meta.date:
        return dt.datetime(meta.date.year, meta.date.month, meta.date.day)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise RenderError(f"SOURCE_DATE_EPOCH is not a number of seconds: '{epoch}'",
                              hint="set it to a Unix time such as 1790121600, or unset it") from None
    if meta.as_of:
        return dt.datetime(meta.as_of.year, meta.as_of.month, meta.as_of.day)
    return None


def set_properties(document, meta: Meta, theme: Theme, clean: Sanitizer) -> None:
    """Core properties rebuilt from the brief alone (a reference document's author, dates and
    revision count must not leak into it), and an app part naming briefgen."""
    props = document.core_properties
    root = props._element  # python-docx exposes no way to clear properties it does not know
    for child in list(root):
        root.remove(child)

    def text(value: str) -> str:
        return clean(value)[:_CORE_MAX]

    props.title = text(meta.title)
    props.subject = text(meta.subject or meta.subtitle)
    props.author = text(meta.author or meta.office)
    props.last_modified_by = text(meta.author or meta.office)
    props.keywords = text(", ".join(meta.keywords))
    props.language = text(meta.language or "en-GB")
    props.category = text(meta.doc_type)
    props.identifier = text(meta.reference)
    # the marking (and a draft's status) also go in the metadata, for screen readers and records systems
    props.content_status = text(" \u2013 ".join(x for x in ("DRAFT" if meta.draft else "", meta.marking) if x))
    props.revision = 1
    when = timestamp(meta)
    if when is not None:
        props.created = props.modified = when
    _replace_app_part(document, meta, clean)
    _replace_custom_part(document, labels(meta, theme), clean)


def _replace_app_part(document, meta: Meta, clean: Sanitizer) -> None:
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            del package.rels[rid]
    # built with lxml, which escapes the office's name itself, and serialised as python-docx stores
    # every part (no html module to import for one name)
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED})
    etree.SubElement(root, f"{{{_EXTENDED}}}Application").text = "briefgen"
    if meta.office:
        etree.SubElement(root, f"{{{_EXTENDED}}}Company").text = clean(meta.office)
    blob = serialize_part_xml(root)
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_USER_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"   # the format id Word gives user-defined properties


def _replace_custom_part(document, values: dict[str, str], clean: Sanitizer) -> None:
    """``docProps/custom.xml``: the labels records systems read (names from the theme), in place
    of any custom properties a reference document had."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            del package.rels[rid]
    if not values:
        return
    root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    for pid, (name, value) in enumerate(values.items(), start=2):   # Word numbers them from 2
        prop = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_USER_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = clean(value)
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, serialize_part_xml(root), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and attributes, in python-docx's (stable) order,
    so equal inputs give byte-identical files whatever the clock or machine."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename), compresslevel=6)
    return out.getvalue()
