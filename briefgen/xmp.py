"""The one XMP metadata packet builder (ISO 16684-1), for the PDF's ``/Metadata`` stream.

Records and data-loss-prevention systems read a PDF's marking from its XMP, not from the page. A
packet is a set of properties, each ``prefix:name`` in a namespace this module knows, with a value
that is plain text or one of XMP's three arrays (``Bag``, ``Seq``, ``LangAlt``). To add a property:

    packet = brief_packet(meta, labels)
    packet.set("dc", "title", LangAlt(meta.title, meta.language))
    packet.set("pdfuaid", "part", "1")

and, for a namespace that is new, add its prefix and URI to ``NAMESPACES``. The bytes are the same
for the same properties (sorted by prefix and name), so a rebuild gives the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape as _html_escape
from typing import Mapping, Union

__all__ = ["NAMESPACES", "Bag", "Seq", "LangAlt", "XmpValue", "XmpPacket", "brief_packet", "BRIEFGEN_NS"]

BRIEFGEN_NS = "https://briefgen.invalid/ns/marking/1.0/"

# prefix -> namespace URI; a property's prefix must be one of these
NAMESPACES: dict[str, str] = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "briefgen": BRIEFGEN_NS,    # the brief's marking and status (see ``brief_packet``)
}


@dataclass(frozen=True)
class Bag:
    """An unordered array (``rdf:Bag``), e.g. ``dc:subject`` or ``dc:language``."""
    items: tuple[str, ...]


@dataclass(frozen=True)
class Seq:
    """An ordered array (``rdf:Seq``), e.g. ``dc:creator``."""
    items: tuple[str, ...]


@dataclass(frozen=True)
class LangAlt:
    """A text with its language (``rdf:Alt`` with an ``x-default`` entry), e.g. ``dc:title``."""
    text: str
    lang: str = ""


XmpValue = Union[str, Bag, Seq, LangAlt]


class XmpPacket:
    """Properties by ``(prefix, name)``; ``to_bytes`` writes the packet."""

    def __init__(self) -> None:
        self.properties: dict[tuple[str, str], XmpValue] = {}

    def set(self, prefix: str, name: str, value: XmpValue) -> "XmpPacket":
        """Set (or replace) one property; an empty value removes it."""
        if prefix not in NAMESPACES:
            raise KeyError(f"unknown XMP namespace prefix '{prefix}'; add it to NAMESPACES")
        empty = not value if isinstance(value, str) else not (value.items if isinstance(value, (Bag, Seq))
                                                             else value.text)
        if empty:
            self.properties.pop((prefix, name), None)
        else:
            self.properties[(prefix, name)] = value
        return self

    def get(self, prefix: str, name: str) -> XmpValue | None:
        return self.properties.get((prefix, name))

    def to_bytes(self) -> bytes:
        used = sorted({prefix for prefix, _ in self.properties})
        ns = "".join(f'\n    xmlns:{p}="{_attr(NAMESPACES[p])}"' for p in used)
        lines = ['<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
                 '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
                 ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
                 f'  <rdf:Description rdf:about=""{ns}>']
        for (prefix, name), value in sorted(self.properties.items()):
            lines.append(f"   <{prefix}:{name}>{_value(value)}</{prefix}:{name}>")
        lines += ["  </rdf:Description>", " </rdf:RDF>", "</x:xmpmeta>",
                  # room to edit the packet in place, as the specification recommends
                  *([" " * 99] * 10), '<?xpacket end="w"?>']
        return ("\n".join(lines) + "\n").encode("utf-8")


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does: importing that
    imports urllib.request, http.client and ssl, 8-15 ms of every PDF build."""
    return _html_escape(text, quote=False)


def _attr(text: str) -> str:
    """An attribute value for double quotes."""
    return escape(text).replace('"', "&quot;")


def _value(value: XmpValue) -> str:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, LangAlt):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value.text)}</rdf:li></rdf:Alt>'
    kind = "Bag" if isinstance(value, Bag) else "Seq"
    items = "".join(f"<rdf:li>{escape(item)}</rdf:li>" for item in value.items)
    return f"<rdf:{kind}>{items}</rdf:{kind}>"


def _xmp_date(day: dt.date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else ""


def brief_packet(meta, labels: Mapping[str, str]) -> XmpPacket:
    """The packet for a brief: who and when (``dc``, ``xmp``, ``pdf``) and its marking and status
    (``labels``: the same names and values as the DOCX's custom properties, under ``briefgen:``,
    names made XML-safe). ``meta`` is the document model's ``Meta``."""
    packet = XmpPacket()
    packet.set("dc", "title", LangAlt(meta.title, meta.language))
    packet.set("dc", "language", Bag((meta.language,) if meta.language else ()))
    creator = meta.author or meta.office
    packet.set("dc", "creator", Seq((creator,) if creator else ()))
    packet.set("dc", "description", LangAlt(meta.subject or meta.subtitle, meta.language))
    packet.set("dc", "subject", Bag(tuple(meta.keywords)))
    packet.set("dc", "identifier", meta.reference)
    packet.set("pdf", "Producer", "briefgen (ReportLab)")
    packet.set("pdf", "Keywords", ", ".join(meta.keywords))
    packet.set("xmp", "CreatorTool", "briefgen")
    packet.set("xmp", "CreateDate", _xmp_date(meta.date))
    packet.set("xmp", "ModifyDate", _xmp_date(meta.date))
    for name, value in labels.items():
        packet.set("briefgen", xml_name(name), value)
    return packet


def xml_name(name: str) -> str:
    """A property name as an XML local name: letters, digits, '-', '_' and '.', not starting with a digit."""
    out = "".join(ch if (ch.isalnum() or ch in "-_.") else "_" for ch in name) or "_"
    return out if (out[0].isalpha() or out[0] == "_") else "_" + out
