"""A per-user cache on disk for what every briefgen process would otherwise work out again at start:
the metrics ReportLab parses out of each font file (~30 ms for a family's four faces), where the
installed font packages keep their files (fontpkg scans every installed package's entry points,
~20 ms), compiled templates (Jinja's own bytecode cache, ~10 ms), content modules as parsed, with
each variant's words and citations, and the source registry as validated (~35 ms for a two-page
brief's modules and sources). About 100 ms of a cold build. (Page measurements, ``measurements.py``,
and composed briefs, ``compositions.py``, are kept here too, in ``Kept`` entries, one per spec.)

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
import importlib.util
import os
import pickle
import sys
import tempfile
import time
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable

from . import __version__

__all__ = ["directory", "load", "store", "file_key", "tree_key", "code_key", "per_file", "Kept", "ENV"]

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


def tree_key(*folders: Path) -> tuple:
    """The identity of every file in ``folders`` and their subfolders (a file added, removed,
    renamed or edited changes it); a folder that does not exist has none. OSError if a folder
    cannot be read."""
    found = []
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for root, dirs, files in os.walk(folder, onerror=_raise):
            dirs.sort()
            found += [file_key(os.path.join(root, name)) for name in sorted(files)]
    return tuple(found)


def _raise(exc: OSError) -> None:
    raise exc


@lru_cache(maxsize=None)
def code_key(files: tuple[str, ...], libraries: tuple[str, ...] = ()) -> tuple:
    """The identity of the code a result depends on: briefgen's own ``files`` (paths in the package;
    a folder stands for its ``.py`` files) and the installed ``libraries`` (their ``__init__``, found
    without importing them). An edit or an upgrade changes it. Worked out once a process: a process
    runs the code it imported, whatever happens to the files later. OSError if a file is missing."""
    here = Path(__file__).resolve().parent
    paths: list[Path] = []
    for name in files:
        path = here / name
        paths += sorted(p for p in path.iterdir() if p.suffix == ".py") if path.is_dir() else [path]
    for name in libraries:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise OSError(f"{name} is not installed")
        paths.append(Path(spec.origin))
    return tuple(file_key(p) for p in paths)


def per_file(kind: str, files: tuple[str, ...], libraries: tuple[str, ...] = (),
             prepare: Callable[[Any], object] | None = None):
    """Keep what a loader of one file returns, for later processes, under the file's identity and
    the code's (``code_key``). ``prepare`` works out, before it is stored, what the value would
    otherwise compute lazily in every process. Errors are raised as ever and not kept."""
    def wrap(loader):
        @wraps(loader)
        def cached(path: Path):
            try:
                key = (file_key(path), code_key(files, libraries))
            except OSError:     # a missing file: the loader says so
                return loader(path)
            kept = load(kind, key)
            if kept is not None:
                return kept
            value = loader(path)
            try:
                if prepare is not None:
                    prepare(value)
            except Exception:   # left to fail, if it must, where it is used, as without the cache
                return value
            store(kind, key, value)
            return value
        return cached
    return wrap


class Kept:
    """The last ``keep`` values put under one ``key`` (a spec's), each known by a digest, most
    recently used last: one entry on disk per key, however many builds made them, so the folder
    grows with the number of specs, not of builds. Inert (every ``get`` a miss, nothing saved) when
    ``key`` is None or the cache is off."""

    def __init__(self, kind: str, key: tuple | None, keep: int) -> None:
        self.kind, self.keep = kind, keep
        self.key = key if directory() is not None else None
        self.values: dict[str, Any] = {}
        self.changed = False
        found = load(kind, self.key) if self.key is not None else None
        if isinstance(found, dict):
            self.values = found

    def get(self, digest: str | None) -> Any | None:
        found = self.values.pop(digest, None) if digest is not None else None
        if found is not None:
            self.values[digest] = found     # used last (saved with the next put)
        return found

    def put(self, digest: str | None, value: Any) -> None:
        if digest is None or self.key is None:
            return
        self.values.pop(digest, None)
        self.values[digest] = value
        while len(self.values) > self.keep:
            del self.values[next(iter(self.values))]
        self.changed = True

    def save(self) -> None:
        if self.key is not None and self.changed:
            store(self.kind, self.key, self.values)
            self.changed = False


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
            if stored_key == full and time.time() - os.fstat(f.fileno()).st_mtime > _DAY:
                os.utime(f.fileno())    # in use: not pruned (see prune)
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
        prune(path.parent)
    except Exception:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


_DAY = 86400
PRUNE_AFTER = 30 * _DAY     # entries unused this long are removed (an edited module's old versions)
_PRUNE_MARK = ".pruned"
_pruned: set[Path] = set()


def prune(folder: Path | None = None) -> int:
    """Remove entries not used for ``PRUNE_AFTER`` (a use renews an entry at most once a day; each
    edit of a module or theme leaves its old entries behind). Runs at most once a day per cache
    folder (the mark file's time) and once a process; returns how many entries went."""
    folder = folder or directory()
    if folder is None or folder in _pruned:
        return 0
    _pruned.add(folder)
    now = time.time()
    mark = folder / _PRUNE_MARK
    try:
        if now - mark.stat().st_mtime < _DAY:
            return 0
    except OSError:
        pass
    removed = 0
    try:
        mark.touch()
        for entry in [*folder.glob("*.pickle"), *folder.glob("jinja-*/*.cache")]:
            try:
                if now - entry.stat().st_mtime > PRUNE_AFTER:
                    entry.unlink()
                    removed += 1
            except OSError:
                pass
    except OSError:
        pass
    return removed


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
