"""A per-user cache on disk for what every briefgen process would otherwise work out again at start:
the metrics ReportLab parses out of each font file (~30 ms for a family's four faces), where the
installed font packages keep their files (fontpkg scans every installed package's entry points,
~20 ms) and compiled templates (Jinja's own bytecode cache, ~10 ms). About 60 ms of a cold build.

Where: ``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``, else ``~/.cache/briefgen``. An
empty ``BRIEFGEN_CACHE_DIR=`` turns the cache off. The folder may be deleted at any time.

The cache is never a reason for a build to fail or to differ: every entry is keyed by what it was
worked out from (a file's path, size, modification and change times and inode; the versions of
Python, ReportLab, Jinja and briefgen), so a changed input is a miss rather than a stale hit, and a
folder that cannot be created or written, or an entry that cannot be read, is passed over and the
work done as without it. The PDF is the same bytes with the cache cold, warm or off (tests).
Entries are pickles, trusted as Python trusts its own ``__pycache__``: the folder is the user's own
(created mode 0700).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

__all__ = ["directory", "load", "store", "file_key", "ENV"]

ENV = "BRIEFGEN_CACHE_DIR"
_FORMAT = 1     # raise when what an entry holds changes shape


def directory() -> Path | None:
    """The cache folder (not necessarily existing yet), or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen"


def file_key(path: Path | str) -> tuple:
    """What identifies one version of a file without reading it: replacing or editing it changes
    the change time (which no tool can set back), whatever happens to its size and mtime."""
    st = os.stat(path)
    return (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _ensure(folder: Path) -> None:
    """Create the cache folder (and ``folder`` in it) for this user alone: ``mkdir``'s ``mode``
    would not apply to the parents it creates."""
    root = directory()
    for f in ([root] if root is not None and root != folder else []) + [folder]:
        if not f.is_dir():
            f.mkdir(mode=0o700, parents=True, exist_ok=True)


def _entry(kind: str, key: tuple) -> tuple[Path, tuple] | None:
    folder = directory()
    if folder is None:
        return None
    full = (_FORMAT, __version__, sys.version_info[:2], kind, key)
    name = hashlib.blake2b(repr(full).encode("utf-8"), digest_size=16).hexdigest()
    return folder / f"{kind}-{name}.pickle", full


def load(kind: str, key: tuple) -> Any | None:
    """The value stored under ``key``, or None (off, missing, unreadable or not this key's)."""
    found = _entry(kind, key)
    if found is None:
        return None
    path, full = found
    enabled = gc.isenabled()
    gc.disable()    # unpickling makes ~20,000 small objects a font: collections would triple its cost
    try:
        with open(path, "rb") as f:
            stored_key, value = pickle.load(f)
    except Exception:       # missing, truncated, from another version of a library: a miss
        return None
    finally:
        if enabled:
            gc.enable()
    return value if stored_key == full else None


def store(kind: str, key: tuple, value: Any) -> None:
    """Keep ``value`` under ``key`` for later processes; silently nothing if that cannot be done."""
    found = _entry(kind, key)
    if found is None:
        return
    path, full = found
    tmp = None
    try:
        _ensure(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump((full, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)   # whole or not at all, for a process reading it at the same moment
        tmp = None
    except Exception:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def jinja_bytecode_cache(settings: tuple) -> Any | None:
    """Jinja's own file-system bytecode cache in a subfolder for these environment ``settings``
    (Jinja keys an entry by template file and source only, and the compiled code of a sandboxed
    environment, or one with other whitespace options, is not interchangeable)."""
    folder = directory()
    if folder is None:
        return None
    import jinja2
    from jinja2.bccache import FileSystemBytecodeCache

    class QuietCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:       # truncated or foreign: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:          # a read-only or full disk: the next process compiles again
                pass

    tag = hashlib.blake2b(repr((jinja2.__version__, settings)).encode("utf-8"), digest_size=8).hexdigest()
    sub = folder / f"jinja-{tag}"
    try:
        _ensure(sub)
    except OSError:
        return None
    return QuietCache(str(sub), "%s.cache")
