"""The PDF's labels for machines: document information keys and the XMP ``/Metadata`` stream.

Both carry the brief's marking, level, scheme and status (``markings.labels``, names from the
theme) beside the usual title, author and dates, where records and data-loss-prevention systems
look. ReportLab writes a fixed set of information keys, so the document's information object is
swapped for one that adds ours; the XMP packet is ``briefgen.xmp``'s, stored uncompressed so a
tool that scans the file finds it.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFStream, PDFString

from ..markings import labels
from ..model import Meta
from ..theme import Theme
from ..xmp import brief_packet

__all__ = ["attach_metadata"]


class _LabelledInfo(PDFInfo):
    """ReportLab's document information, plus the brief's labels as custom keys."""

    def __init__(self, base: PDFInfo, extra: dict[str, str]) -> None:
        self.__dict__.update(base.__dict__)
        self.extra = extra

    def format(self, document):
        entries = {
            "Title": PDFString(self.title), "Author": PDFString(self.author),
            "CreationDate": PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter),
            "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped)}
        entries["ModDate"] = entries["CreationDate"]
        for name, value in self.extra.items():
            entries[name] = PDFString(value)
        return PDFDictionary(entries).format(document)


def attach_metadata(canv, meta: Meta, theme: Theme) -> None:
    """Give the canvas's document the brief's labels (information keys) and XMP packet."""
    found = labels(meta, theme)
    doc = canv._doc   # ReportLab has no public hook for either
    doc.info = _LabelledInfo(doc.info, found)
    packet = brief_packet(meta, found)
    packet.set("pdfuaid", "part", "1")   # every PDF briefgen writes is tagged (see ``tagging``)
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       packet.to_bytes(), filters=[])
    doc.Catalog.Metadata = stream
