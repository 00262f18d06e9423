"""Composed briefs kept on disk between processes (in ``diskcache``'s folder).

Composing a state of a brief renders its audience template (Jinja) and parses the Markdown that
makes (markdown-it); fitting composes two to seven states. Importing the two libraries alone is
about 45 ms of a 0.3 s cold DOCX build. A brief built before whose spec, modules and templates have
not changed renders the same Markdown again, so its parsed blocks are kept here and a rebuild (a
DOCX after a PDF, a regen after a change to the theme or the sources) imports neither library.

An entry is keyed by everything the rendering reads: the template's whole context (every value a
template can see, hashed: the brief's fields, each module's chosen text and metadata,
the profile), every file in the template's folder and in ``_shared`` (path, size, times and inode:
an edit, a new file or a removed one is a miss), the briefgen code that builds the context, renders
and parses, and the versions of Jinja and markdown-it. Citations are resolved afterwards, as
without the cache, so an edited source list needs no new entry. One file per spec and template
holds that spec's last ``_KEEP`` compositions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from . import diskcache
from .model import Block

__all__ = ["Compositions"]

_KEEP = 24      # a fit composes 2-7 states; a few versions of the spec are worth keeping
_CODE = ("assemble", "parse", "model.py")
_LIBRARIES = ("jinja2", "markdown_it", "mdit_py_plugins")
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})


def _plain(value: Any) -> bool:
    """Only values whose repr is all there is to them (no object whose repr is its address)."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_plain(v) for v in value)
    return False


class Compositions(diskcache.Kept):
    """The blocks composed for one spec's template: ``get`` and ``put`` by context (its
    ``digest``), then ``save`` once. Inert when the cache is off, the spec has no file, or the
    template folders cannot be read (rendering will say why)."""

    def __init__(self, spec_path: Path | None, template_path: Path, shared_dir: Path) -> None:
        key = None
        if spec_path is not None and diskcache.directory() is not None:
            try:
                key = (str(Path(spec_path).resolve()), str(template_path),
                       diskcache.tree_key(template_path.parent, shared_dir), diskcache.code_key(_CODE, _LIBRARIES))
            except OSError:
                key = None
        super().__init__("composed", key, _KEEP)

    def digest(self, context: dict[str, Any]) -> str | None:
        """What ``get`` and ``put`` know a template context by; None when it cannot be kept (the
        cache is off, or a value is not plain data)."""
        if self.key is None or not _plain(context):
            return None
        # the repr of plain data is its value whatever the objects' identities (a pickle is not: it
        # shares repeated objects, so a module read from the cache would pickle otherwise)
        return hashlib.blake2b(repr(context).encode("utf-8"), digest_size=20).hexdigest()

    def get(self, digest: str | None) -> tuple[Block, ...] | None:
        found = super().get(digest)
        return found if isinstance(found, tuple) else None
