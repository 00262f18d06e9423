"""What changed in an edition's text: the sentence summary and the redline, from the model kept
with the previous edition (``editions.model_path``) and the new edition's document.

The redline compares the new edition's DOCX with the previous edition's: the one published, when
nothing that sets a DOCX (theme, fonts, images, briefgen itself) has changed since, else the kept
model set again in the new edition's theme. Either way its formatting is the new edition's.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..compare import document_from_json, outline_of_document, redline_docx, summarize
from ..writers import get_writer

if TYPE_CHECKING:
    from ..model import Document
    from ..theme import Theme

__all__ = ["compare_with_previous"]


def compare_with_previous(previous: str | None, doc: Document, theme: Theme, formats: tuple[str, ...],
                          date: dt.date, published: Path | None = None,
                          ) -> tuple[dict[str, Any] | None, Callable[[bytes], bytes] | None]:
    """The summary (as data) of what changed since the ``previous`` edition's model (JSON; None
    when there is none to compare with), and the function that makes the redline from the new
    DOCX (None when the text did not change or no DOCX is written). ``published``: the previous
    edition's DOCX, when it is what its model would be set as now (same theme, fonts, images and
    briefgen), which saves setting it again."""
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
        try:
            earlier = published.read_bytes() if published is not None else None
        except OSError:   # gone since: set it again
            earlier = None
        if earlier is None:
            before = io.BytesIO()
            get_writer("docx")(old, theme, before)
            earlier = before.getvalue()
        return redline_docx(earlier, new_docx, date=date).data

    return changes.to_json(), redline
