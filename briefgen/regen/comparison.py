"""What changed in an edition's text: the sentence summary and the redline, from the model kept
with the previous edition (``editions.model_path``) and the new edition's document.

The previous edition's text is set again with the new edition's theme, so the redline's only
differences are in the words and its formatting is the new edition's.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any, Callable

from ..compare import document_from_json, outline_of_document, redline_docx, summarize
from ..writers import get_writer

if TYPE_CHECKING:
    from ..model import Document
    from ..theme import Theme

__all__ = ["compare_with_previous"]


def compare_with_previous(previous: str | None, doc: Document, theme: Theme, formats: tuple[str, ...],
                          date: dt.date) -> tuple[dict[str, Any] | None, Callable[[bytes], bytes] | None]:
    """The summary (as data) of what changed since the ``previous`` edition's model (JSON; None
    when there is none to compare with), and the function that makes the redline from the new
    DOCX (None when the text did not change or no DOCX is written)."""
    if previous is None:
        return None, None
    try:
        old = document_from_json(previous)
    except (ValueError, KeyError, TypeError):   # a model from another briefgen version: no comparison
        return None, None
    changes = summarize(outline_of_document(old), outline_of_document(doc))
    if changes.text_unchanged or "docx" not in formats:
        return changes.to_json(), None

    def redline(new_docx: bytes) -> bytes:
        before = io.BytesIO()
        get_writer("docx")(old, theme, before)
        return redline_docx(before.getvalue(), new_docx, date=date).data

    return changes.to_json(), redline
