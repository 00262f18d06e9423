"""The disk layer: one pickle per value in the user's cache folder, used only if the folder is the
user's own and no one else can write to it (its pickles, and Jinja's bytecode, are code that runs).

Entries are written whole (a temporary file, then a rename) and read leniently: a missing,
truncated or foreign entry, or anything but a regular file, is a miss. Entries unused for
``PRUNE_AFTER`` are removed (at most once a day per folder).
"""

from __future__ import annotations

import gc
import os
import pickle
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["Folder", "unsafe_reason", "PRUNE_AFTER"]

_DAY = 86400
PRUNE_AFTER = 30 * _DAY
_PRUNE_MARK = ".pruned"


def unsafe_reason(folder: Path) -> str | None:
    """Why ``folder`` must not be trusted (None: it is fine). Created for this user alone if it
    does not exist; an existing one must be owned by the user and not writable by group or others."""
    try:
        if not folder.is_dir():
            for part in reversed([folder, *folder.parents]):   # mkdir's mode does not apply to parents
                if not part.is_dir():
                    part.mkdir(mode=0o700)
        st = os.stat(folder)
    except OSError as exc:
        return f"cannot be used ({exc.strerror or exc})"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return "is not owned by you"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by others"
    return None


class Folder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._pruned = False
        self._jinja: dict[tuple, object] = {}

    def load(self, name: str) -> Any | None:
        path = self.path / f"{name}.pickle"
        enabled = gc.isenabled()
        gc.disable()    # unpickling makes many small objects (a font: ~20,000): collections would triple its cost
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # a named pipe must not block the build
            with os.fdopen(fd, "rb") as f:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    return None
                stored, value = pickle.load(f)
                if stored == name and time.time() - st.st_mtime > _DAY:
                    os.utime(fd)    # in use: not pruned
        except Exception:       # missing, truncated, from another library version: a miss
            return None
        finally:
            if enabled:
                gc.enable()
        return value if stored == name else None

    def store(self, name: str, value: Any) -> None:
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=name, suffix=".tmp", dir=self.path)
            with os.fdopen(fd, "wb") as f:
                pickle.dump((name, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path / f"{name}.pickle")
            tmp = None
            self.prune()
        except Exception:       # a full or read-only disk, a value that cannot be pickled: not kept
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def prune(self) -> int:
        """Remove entries unused for ``PRUNE_AFTER``; returns how many went."""
        if self._pruned:
            return 0
        self._pruned = True
        now, removed = time.time(), 0
        mark = self.path / _PRUNE_MARK
        try:
            if now - mark.stat().st_mtime < _DAY:
                return 0
        except OSError:
            pass
        try:
            mark.touch()
            for entry in [*self.path.glob("*.pickle"), *self.path.glob("jinja-*/*.cache")]:
                try:
                    if now - entry.stat().st_mtime > PRUNE_AFTER:
                        entry.unlink()
                        removed += 1
                except OSError:
                    pass
        except OSError:
            pass
        return removed

    def jinja_bytecode(self, settings: tuple):
        """Jinja's file-system bytecode cache in a subfolder for these environment ``settings``
        (Jinja keys an entry by template name and source; a sandboxed environment's code, or one
        with other whitespace options, is not interchangeable). One object per settings."""
        if settings not in self._jinja:
            self._jinja[settings] = self._jinja_bytecode(settings)
        return self._jinja[settings]

    def _jinja_bytecode(self, settings: tuple):
        import hashlib

        import jinja2
        from jinja2.bccache import FileSystemBytecodeCache

        class QuietCache(FileSystemBytecodeCache):
            def load_bytecode(self, bucket) -> None:
                try:   # opened as load() opens entries: a named pipe must not block the build
                    fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | os.O_NONBLOCK)
                    with os.fdopen(fd, "rb") as f:
                        if stat.S_ISREG(os.fstat(fd).st_mode):
                            bucket.load_bytecode(f)
                except FileNotFoundError:
                    pass
                except Exception:       # truncated or foreign: compile afresh
                    bucket.reset()

            def dump_bytecode(self, bucket) -> None:
                try:
                    super().dump_bytecode(bucket)
                except OSError:          # a read-only or full disk: the next process compiles again
                    pass

        tag = hashlib.blake2b(repr((jinja2.__version__, settings)).encode(), digest_size=8).hexdigest()
        sub = self.path / f"jinja-{tag}"
        try:
            sub.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
        return QuietCache(str(sub), "%s.cache")
