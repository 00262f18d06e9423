"""The writer registry: format name -> writer function ``write(doc, theme, out)``.

A literal dict, as pandoc's ``Writers.hs``. Each entry names the module and function rather than the
function itself, so building only ``docx`` never imports ReportLab (cold start matters to the CLI).
Writers see only the ``Document`` and the ``Theme``, and write bytes to ``out`` (a binary file object);
the build step owns file names and atomic replacement.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, BinaryIO, Callable

if TYPE_CHECKING:   # a no-op regen imports this registry, and needs no document model
    from ..model import Document
    from ..theme import Theme

__all__ = ["WRITERS", "EXTENSIONS", "get_writer"]

Writer = Callable[["Document", "Theme", BinaryIO], None]

WRITERS: dict[str, str] = {
    "md": "briefgen.writers.markdown:write_markdown",
    "docx": "briefgen.writers.docx:write_docx",
    "pdf": "briefgen.writers.pdf:write_pdf",
    "html": "briefgen.writers.html:write_html",
}

EXTENSIONS = {"md": "md", "docx": "docx", "pdf": "pdf", "html": "html"}


def get_writer(fmt: str) -> Writer:
    module, _, func = WRITERS[fmt].partition(":")
    return getattr(import_module(module), func)
