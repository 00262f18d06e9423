"""The one XMP packet builder: well-formed RDF that a PDF library reads back, and open to new properties."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from briefgen.model import Meta
from briefgen.xmp import NAMESPACES, Bag, LangAlt, XmpPacket, brief_packet

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def parse(packet: XmpPacket):
    data = packet.to_bytes()
    assert data.startswith("<?xpacket begin=\"\ufeff\"".encode("utf-8")) and data.rstrip().endswith(b'<?xpacket end="w"?>')
    return etree.fromstring(data)


def test_a_brief_packet_carries_its_labels_and_properties_can_be_added() -> None:
    meta = Meta(title="Russia & the South Caucasus", author="Ə. Əliyev", reference="EECAD/1",
                date=dt.date(2026, 11, 23), keywords=("security", "outlook"))
    packet = brief_packet(meta, {"Classification": "OFFICIAL-SENSITIVE – UK EYES ONLY", "DocumentStatus": "Draft"})
    # what h6's tagged PDF adds: a title, a language and the PDF/UA part
    packet.set("dc", "title", LangAlt(meta.title, "en-GB")).set("dc", "language", Bag(("en-GB",)))
    packet.set("pdfuaid", "part", "1")
    root = parse(packet)
    desc = root.find(f"{RDF}RDF/{RDF}Description")
    ns = {p: u for p, u in NAMESPACES.items()} | {"rdf": RDF[1:-1]}
    assert desc.findtext("briefgen:Classification", namespaces=ns) == "OFFICIAL-SENSITIVE – UK EYES ONLY"
    assert desc.findtext("briefgen:DocumentStatus", namespaces=ns) == "Draft"
    assert desc.findtext("dc:title/rdf:Alt/rdf:li", namespaces=ns) == "Russia & the South Caucasus"
    assert desc.findtext("dc:creator/rdf:Seq/rdf:li", namespaces=ns) == "Ə. Əliyev"
    assert [li.text for li in desc.findall("dc:subject/rdf:Bag/rdf:li", namespaces=ns)] == ["security", "outlook"]
    assert desc.findtext("pdfuaid:part", namespaces=ns) == "1"
    assert desc.findtext("xmp:CreateDate", namespaces=ns) == "2026-11-23T00:00:00Z"
    assert packet.to_bytes() == brief_packet(meta, {"Classification": "OFFICIAL-SENSITIVE – UK EYES ONLY",
                                                    "DocumentStatus": "Draft"}).set(
        "dc", "title", LangAlt(meta.title, "en-GB")).set("dc", "language", Bag(("en-GB",))).set(
        "pdfuaid", "part", "1").to_bytes()   # the same properties, the same bytes


def test_an_unknown_prefix_is_refused_and_empty_values_are_left_out() -> None:
    packet = XmpPacket().set("dc", "identifier", "")
    assert packet.properties == {}
    try:
        packet.set("nope", "x", "y")
    except KeyError as exc:
        assert "NAMESPACES" in str(exc)
    else:
        raise AssertionError("an unknown prefix must be refused")
