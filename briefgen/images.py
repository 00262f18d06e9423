"""Images a brief shows (a theme's logo, a module's figures), checked once before any writer runs:
a missing, truncated or unreadable file, or one that is not PNG, JPEG or GIF, is one line naming
the file, instead of a ReportLab or python-docx traceback (or an internal error) halfway through
writing. Pillow is imported only when there is an image to check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefgenError

__all__ = ["check_image", "IMAGE_FORMATS", "MAX_IMAGE_PIXELS"]

if TYPE_CHECKING:
    from .cache import Cache

IMAGE_FORMATS = ("PNG", "JPEG", "GIF")
MAX_IMAGE_PIXELS = 50_000_000   # a 7000 x 7000 picture; anything larger is a mistake or a bomb
_ADDRESS = re.compile(r"\s*(?:at|@) ?0x[0-9a-fA-F]+")


def one_line(exc: BaseException) -> str:
    """An exception's message as one line, without memory addresses."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _ADDRESS.sub("", text)[:160]


def check_image(path: Path, error: type[BriefgenError], *, what: str = "image", file: Path | str | None = None,
                line: int | None = None, shown: str | None = None, cache: Cache | None = None) -> tuple[int, int]:
    """The pixel size of the image at ``path``, decoded in full; else ``error`` naming ``file``
    (default: the image) and ``line``, and the image as ``shown`` (default: its file name). With
    ``cache``, the same bytes are checked once (a rebuild then needs no Pillow)."""
    where = {"file": file if file is not None else path, "line": line}
    shown = shown or path.name
    if not path.is_file():
        raise error(f"{what} '{shown}' not found", hint="check the path; it is relative to the file that names it",
                    **where)
    if cache is not None:
        import hashlib

        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise error(f"{what} '{shown}' cannot be read ({exc.strerror})", **where) from None
        return cache.value("image", digest, lambda: _decoded(path, error, what, shown, where))
    return _decoded(path, error, what, shown, where)


def _decoded(path: Path, error: type[BriefgenError], what: str, shown: str, where: dict) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                raise error(f"{what} '{shown}' is {image.format or 'not an image'}, not PNG, JPEG or GIF",
                            hint="save it as PNG or JPEG", **where)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise error(f"{what} '{shown}' is {width} x {height} pixels, too large to place",
                            hint="scale it down (a page needs about 2500 pixels across)", **where)
            image.load()   # a truncated or damaged file fails here, not inside a writer
    except BriefgenError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for a damaged file
        raise error(f"{what} '{shown}' cannot be read ({one_line(exc)})",
                    hint="open it and save it again as PNG or JPEG", **where) from None
    if width <= 0 or height <= 0:
        raise error(f"{what} '{shown}' has no size", **where)
    return width, height
