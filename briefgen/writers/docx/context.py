"""What every part of the DOCX writer shares while one brief is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.shape import CT_Inline

from ...errors import RenderError
from ...model import Heading, iter_blocks
from ...theme import Theme
from .footnotes import Footnotes
from .inlines import InlineWriter, Sanitizer
from .numbering import Numbering
from ...layout.metrics import Metrics
from .styles import StyleMap
from .xml import el, qn

__all__ = ["Context", "bookmark_name"]

_NOT_BOOKMARK = re.compile(r"[^A-Za-z0-9_\-]")
MAX_FIGURE_SHARE = 0.6  # a figure takes at most this share of the text height (PDF: the same)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for a heading id: letters, digits, '_' or '-', a letter first, at most
    40 characters (Word drops longer or odd names silently, breaking links to them)."""
    name = _NOT_BOOKMARK.sub("_", anchor)
    if not name[:1].isalpha():
        name = "h_" + name
    return name[:40]


@dataclass
class Context:
    """Parts, styles and counters for one brief; built by ``write_docx``."""

    document_part: object
    theme: Theme
    styles: StyleMap
    clean: Sanitizer
    notes: Footnotes
    text_width: int                       # twips between the margins
    text_height: int                      # twips between top and bottom margins
    metrics: Metrics
    drawing_id: int = 0                   # last wp:docPr id used (unique across all parts)
    bookmark_id: int = 0
    bookmarks: dict[str, str] = field(default_factory=dict)
    _heading_marks: dict[int, str] = field(default_factory=dict)
    _numbering: Numbering | None = None

    @property
    def numbering(self) -> Numbering:
        if self._numbering is None:  # only a brief with lists gets a numbering part
            self._numbering = Numbering(self.document_part, self.theme)
        return self._numbering

    def inline_writer(self, part=None) -> InlineWriter:
        part = part or self.document_part
        notes = self.notes if part is self.document_part else None
        return InlineWriter(part, self.styles, self.clean, notes, self.bookmarks.get)

    def plan_bookmarks(self, blocks) -> None:
        """Name a bookmark for every heading id before any text is written, so that a link may
        point forward; duplicate ids get distinct names (the first keeps the id's own)."""
        used: set[str] = set()
        for block in iter_blocks(blocks):
            if isinstance(block, Heading) and block.id:
                name = base = bookmark_name(block.id)
                n = 1
                while name in used:
                    n += 1
                    name = f"{base[:36]}_{n}"
                used.add(name)
                self._heading_marks[id(block)] = name
                self.bookmarks.setdefault(block.id, name)

    def heading_bookmark(self, heading: Heading) -> tuple[int, str] | None:
        name = self._heading_marks.get(id(heading))
        if name is None:
            return None
        self.bookmark_id += 1
        return self.bookmark_id, name

    def picture(self, part, path: Path, width_emu: int, alt: str, *, max_width: bool = True):
        """A ``w:r`` holding the image at ``path``, ``width_emu`` wide (or its natural size when
        smaller and ``max_width``; never taller than MAX_FIGURE_SHARE of the text area, as in the
        PDF), with ``alt`` as its description for screen readers."""
        try:
            rid, image = part.get_or_add_image(str(path))
        except FileNotFoundError:
            raise RenderError("image not found", file=path, hint="check the image's path") from None
        except UnrecognizedImageError:
            raise RenderError("not an image Word can show", file=path,
                              hint="convert it to PNG or JPEG") from None
        except OSError as exc:
            raise RenderError(f"cannot read image: {exc.strerror}", file=path) from None
        except Exception as exc:  # noqa: BLE001 - a damaged image fails in many ways inside python-docx
            raise RenderError(f"damaged image ({type(exc).__name__})", file=path,
                              hint="open and save it again as PNG or JPEG") from None
        if max_width:
            scale = min(1.0, width_emu / max(int(image.width), 1),
                        self.text_height * 635 * MAX_FIGURE_SHARE / max(int(image.height), 1))
            cx, cy = round(int(image.width) * scale), round(int(image.height) * scale)
        else:
            cx, cy = image.scaled_dimensions(width_emu, None)
        self.drawing_id += 1
        inline = CT_Inline.new_pic_inline(self.drawing_id, rid, self.clean(image.filename), cx, cy)
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("descr", self.clean(alt))
        doc_pr.set("name", f"Picture {self.drawing_id}")
        return el("w:r", [el("w:drawing", [inline])])
