"""The PDF writer: the file the layout stage drew (``briefgen.layout``), print-ready, with
footnotes at the foot of their page."""

from __future__ import annotations

from typing import BinaryIO

from ..layout import PageLayout, lay_out
from ..model import Document
from ..theme import Theme

__all__ = ["write_pdf"]


def write_pdf(doc: Document, theme: Theme, out: BinaryIO, layout: PageLayout | None = None) -> None:
    """Write ``doc`` as PDF to the binary stream ``out``: ``layout`` if it is a drawn layout of this
    document and theme (fitting's, handed on by the pipeline), else one laid out here."""
    if layout is None or layout.pdf is None:
        layout = lay_out(doc, theme)
    out.write(layout.pdf)
