"""One fingerprint of the code a cached value was worked out by: briefgen's own source files (all
of them, by their bytes), Python's version, and every installed distribution's name and version.

Derived, never listed by hand: an edit to any briefgen module, or installing, upgrading or removing
any library (a font package included), changes it and so every key. Worked out once a process: a
process runs the code it imported, whatever happens to the files later.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

__all__ = ["code_fingerprint"]

_PACKAGE = Path(__file__).resolve().parent.parent
_INSTALLED = (".dist-info", ".egg-info")


def _installed() -> list[str]:
    """``name-version.dist-info`` of every distribution in the package folders on ``sys.path``
    (one directory listing each: no metadata is read)."""
    names = []
    for entry in sys.path:
        if os.path.basename(entry.rstrip("/")) not in ("site-packages", "dist-packages"):
            continue
        try:
            names += [f"{entry}/{n}" for n in os.listdir(entry) if n.endswith(_INSTALLED)]
        except OSError:
            pass
    return sorted(names)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(sys.version.encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                h.update(os.path.relpath(path, _PACKAGE).encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(f.read())
    for name in _installed():
        h.update(name.encode() + b"\0")
    return h.hexdigest()
