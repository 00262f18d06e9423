"""The font table, and the theme's brand fonts embedded in the file.

Embedding follows ECMA-376 Part 1, 17.8.1: each face is obfuscated by XOR-ing its first 32 bytes
with a GUID key and stored as an ``.odttf`` part related from the font table, so Word or LibreOffice
on a machine without Fira Sans or IBM Plex Serif keeps the layout. Faces go in whole, not cut down
to the brief's letters: LibreOffice keeps the first document's embedded face for a family for the
rest of its session, so a subset made for one brief loses letters in the next one opened. Office
fonts (``briefgen.fonts.METRIC_TWINS``) are never embedded: every Word has them, and the file that
would go in is their open twin, not the font the DOCX names. ``Theme.embeds_fonts`` decides
(brand fonts: yes; ``embed_fonts: false`` opts out); ``benchmarks/fonts.py`` measures the cost.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml

from ...errors import RenderError
from ...fonts import is_office_font
from ...theme import Theme
from .styles import MONO_FONT
from .xml import el, qn

__all__ = ["write_font_table", "obfuscate"]

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_EMBED = (("regular", "embedRegular"), ("bold", "embedBold"), ("italic", "embedItalic"),
          ("bolditalic", "embedBoldItalic"))
# Children of w:font in schema order.
_FONT_ORDER = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
               "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
_FS_RESTRICTED = 0x0002  # OS/2 fsType: the font's licence forbids embedding


def obfuscate(data: bytes, font_key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes taken in reverse order (17.8.1); the same
    operation undoes it."""
    key = bytes.fromhex(font_key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


_SERIF_OFFICE = {"Times New Roman", "Cambria"}


def _family_element(name: str):
    serif = name in _SERIF_OFFICE or ("serif" in name.lower() and "sans" not in name.lower())
    mono = name == MONO_FONT
    return el("w:font", [el("w:family", val="modern" if mono else "roman" if serif else "swiss"),
                         el("w:pitch", val="fixed" if mono else "variable")], name=name)


def write_font_table(document, theme: Theme, *, own: bool, embed: bool) -> None:
    """Name the theme's families in the font table (rebuilt for the bundled template, extended for a
    reference document), embedding their faces when ``embed``."""
    doc_part = document.part
    old = None
    for rid, rel in list(doc_part.rels.items()):
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            old = rel.target_part
            del doc_part.rels[rid]
    root = parse_xml(old.blob if (old is not None and not own) else f"<w:fonts {_NS}/>")
    families = list(dict.fromkeys([theme.fonts.body, theme.fonts.heading]))
    known = {f.get(qn("w:name")): f for f in root.findall(qn("w:font"))}
    for name in [*families, MONO_FONT]:
        if name not in known:
            known[name] = _family_element(name)
            root.append(known[name])
    partname = old.partname if old is not None else PackURI("/word/fontTable.xml")
    table = XmlPart(partname, CT.WML_FONT_TABLE, root, doc_part.package)
    if old is not None and not own:  # the reference document's own embedded fonts stay linked
        for rid, rel in old.rels.items():
            table.load_rel(rel.reltype, rel.target_ref if rel.is_external else rel.target_part, rid,
                           rel.is_external)
    doc_part.relate_to(table, RT.FONT_TABLE)
    brand = [name for name in families if not is_office_font(name)]
    if embed and brand:
        for name in brand:
            _embed_family(table, known[name], name, theme)
        _enable_embedding(document)


def _embed_family(table: XmlPart, font_el, name: str, theme: Theme) -> None:
    family = theme.family(name)
    for child in list(font_el):
        if child.tag in {qn(f"w:{tag}") for _style, tag in _EMBED}:
            font_el.remove(child)
    for style, tag in _EMBED:
        path = Path(getattr(family, style))
        data = _whole_face(path, path.stat().st_mtime_ns)
        if data is None:  # the licence forbids embedding: Word will substitute, as without it
            return
        key = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "briefgen-font:" + hashlib.sha256(data).hexdigest())).upper() + "}"
        partname = table.package.next_partname("/word/fonts/font%d.odttf")
        font_part = Part(partname, OBFUSCATED_FONT, obfuscate(data, key), table.package)
        rid = table.relate_to(font_part, RT.FONT)
        ref = el("w:" + tag, r__id=rid, fontKey=key)
        later = [c for c in font_el if c.tag.split("}")[1] in _FONT_ORDER
                 and _FONT_ORDER.index(c.tag.split("}")[1]) > _FONT_ORDER.index(tag)]
        if later:
            later[0].addprevious(ref)
        else:
            font_el.append(ref)


@lru_cache(maxsize=16)
def _whole_face(path: Path, _mtime: int) -> bytes | None:
    """The face's file as it is, or None when its licence (OS/2 fsType) forbids embedding; kept per
    file version (a watch loop rebuilds the same brief often)."""
    import struct

    from fontTools.ttLib import TTFont, TTLibError

    data = path.read_bytes()
    try:
        restricted = TTFont(path, lazy=True)["OS/2"].fsType & _FS_RESTRICTED
    except (TTLibError, KeyError, struct.error) as exc:
        raise RenderError(f"cannot read font file {path.name} ({exc})", file=path,
                          hint="the file must be a TrueType (.ttf) font") from None
    return None if restricted else data


_SETTINGS_ORDER = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                   "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                   "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
                   "embedSystemFonts")


def _enable_embedding(document) -> None:
    """``w:embedTrueTypeFonts`` in the settings, in schema order (not ``saveSubsetFonts``: Word would
    cut the faces down when the reader saves, and LibreOffice reuse the cut faces)."""
    settings = document.settings.element
    for tag in ("embedTrueTypeFonts",):
        if settings.find(qn(f"w:{tag}")) is not None:
            continue
        before = set(_SETTINGS_ORDER[:_SETTINGS_ORDER.index(tag)])
        prior = [c for c in settings if isinstance(c.tag, str) and c.tag.split("}")[1] in before]
        if prior:
            prior[-1].addnext(el(f"w:{tag}"))
        else:
            settings.insert(0, el(f"w:{tag}"))
