"""The one cache: what a build would otherwise work out again, kept in this process or on disk.

One ``Cache`` object is made where the work starts (``build``, ``watch``, ``regen``, or the
command line) and passed down to the loaders that use it; nothing else knows whether caching is on.

Three modes: ``off`` (nothing kept), ``memory`` (kept for this process), ``disk`` (kept for this
process and, in the user's cache folder, for later ones). A value is found by its *identity*: a
hash of its kind, of what it is worked out from (the bytes of every input file, never a file's
size or mtime) and of one fingerprint of briefgen's own code, Python and the installed libraries
(``fingerprint.py``). Both layers use that same identity, so an edited file is always a miss.

The cache is never a reason for a build to fail or to differ: a value that cannot be keyed, an
entry that cannot be read or written, or a folder that is not the user's own, is passed over and
the work done as without it (tests build every golden file in all three modes).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, TypeVar

from .fingerprint import code_fingerprint
from .folder import Folder, unsafe_reason

__all__ = ["Cache", "MODES", "ENV", "DIR_ENV", "user_folder", "content_digest", "folder_digest"]

MODES = ("off", "memory", "disk")
ENV = "BRIEFGEN_CACHE"             # "off" turns every cache off (as --no-cache); "memory": no disk
DIR_ENV = "BRIEFGEN_CACHE_DIR"     # where the disk layer lives (empty: no disk layer)
MEMORY_ENTRIES = 4096              # values kept in a process, least recently used going first

T = TypeVar("T")


def user_folder() -> Path | None:
    """``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``, else ``~/.cache/briefgen``
    (None when ``BRIEFGEN_CACHE_DIR`` is set empty)."""
    chosen = os.environ.get(DIR_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen"


def content_digest(*parts: Any) -> str:
    """A hash of plain data (text, bytes, numbers, tuples of them): the identity of an input."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


class Cache:
    """Values by identity, in one of ``MODES``. ``warnings`` holds, once, why the disk layer was
    not used (a build reports it)."""

    def __init__(self, mode: str = "memory", folder: Path | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"cache mode must be one of {', '.join(MODES)}")
        self.warnings: list[str] = []
        self.disk: Folder | None = None
        if mode == "disk":
            reason = unsafe_reason(folder) if folder is not None else "no cache folder"
            if reason is None:
                self.disk = Folder(folder)
            else:
                self.warnings.append(f"cache folder {folder} {reason}: building without the disk cache")
                mode = "memory"
        self.mode = mode
        self._memory: OrderedDict[str, Any] = OrderedDict()

    @classmethod
    def for_user(cls, enabled: bool = True) -> "Cache":
        """The cache a command uses: off with ``enabled`` False (``--no-cache``) or
        ``BRIEFGEN_CACHE=off``; else on disk in ``user_folder()`` (in memory if there is none)."""
        wanted = os.environ.get(ENV, "").strip().lower() or "disk"
        if not enabled or wanted in ("off", "0", "no", "false"):
            return cls("off")
        folder = user_folder()
        if wanted == "memory" or folder is None:
            return cls("memory")
        return cls("disk", folder)

    def take_warnings(self) -> list[str]:
        """The warnings not reported yet (each is reported once per cache)."""
        found, self.warnings = self.warnings, []
        return found

    def identity(self, kind: str, key: Any) -> str | None:
        """The name ``kind``'s value for ``key`` is kept under; None when it cannot be kept
        (the cache is off, or ``key`` cannot be written out, e.g. nested past Python's limit)."""
        if self.mode == "off":
            return None
        try:
            return f"{kind}-{content_digest(code_fingerprint(), kind, key)}"
        except (RecursionError, ValueError, TypeError):
            return None

    def get(self, kind: str, key: Any) -> Any | None:
        name = self.identity(kind, key)
        return None if name is None else self._get(name)

    def put(self, kind: str, key: Any, value: Any) -> None:
        name = self.identity(kind, key)
        if name is not None:
            self._put(name, value)

    def value(self, kind: str, key: Any, make: Callable[[], T], prepare: Callable[[T], object] | None = None) -> T:
        """The value kept for ``key``, else ``make()``, kept (after ``prepare``, which works out
        what the value would otherwise compute lazily in every process). Errors are not kept."""
        name = self.identity(kind, key)
        if name is not None:
            found = self._get(name)
            if found is not None:
                return found
        value = make()
        if name is not None:
            try:
                if prepare is not None:
                    prepare(value)
            except Exception:   # left to fail, if it must, where it is used, as without the cache
                return value
            self._put(name, value)
        return value

    def jinja_bytecode(self, settings: tuple):
        """Jinja's own bytecode cache in the disk layer (None without one)."""
        return self.disk.jinja_bytecode(settings) if self.disk is not None else None

    def _get(self, name: str) -> Any | None:
        found = self._memory.get(name)
        if found is not None:
            self._memory.move_to_end(name)
            return found
        if self.disk is not None:
            found = self.disk.load(name)
            if found is not None:
                self._remember(name, found)
        return found

    def _put(self, name: str, value: Any) -> None:
        self._remember(name, value)
        if self.disk is not None:
            self.disk.store(name, value)

    def _remember(self, name: str, value: Any) -> None:
        self._memory[name] = value
        self._memory.move_to_end(name)
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)


def folder_digest(*folders: Path) -> str:
    """A hash of every file in ``folders`` and their subfolders, by relative path and bytes (a
    file added, removed, renamed or edited changes it; a folder that does not exist has none).
    OSError if a file cannot be read."""
    h = hashlib.blake2b(digest_size=20)
    for folder in folders:
        h.update(b"\1" + os.fsencode(folder))
        if not os.path.isdir(folder):
            continue
        for root, dirs, files in os.walk(folder, onerror=_raise):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    h.update(b"\0" + os.fsencode(os.path.relpath(path, folder)) + b"\0" + f.read())
    return h.hexdigest()


def _raise(exc: OSError) -> None:
    raise exc
