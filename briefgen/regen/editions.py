"""Editions on disk: ``DIR/<name>/<YYYY-MM-DD>-e<N>.<ext>`` and a stable ``DIR/<name>/latest.<ext>``.

N counts a brief's editions (1, 2, 3, ... across dates); the date is the day it was published.
Every file is written atomically (``publish.atomic_outputs``: temporary file in the same folder,
flush, fsync, rename), editions first, then ``latest``, then ``changes.md``; the state file is
committed last (runner.py). ``repair`` undoes what an interrupted run left behind.

An edition whose text changed also gets its redline, ``<YYYY-MM-DD>-e<N>-changes.docx``, copied to
``latest-changes.docx`` (which goes when the newest edition has none). Each edition's document
model is kept as JSON in ``DIR/.briefgen-models/`` for the next edition to compare with; only the
committed edition's and a newer one's are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable

from ..publish import atomic_outputs
from ..writers import EXTENSIONS, get_writer

if TYPE_CHECKING:   # a no-op run imports no document model
    from ..model import Document
    from ..theme import Theme

__all__ = ["Edition", "edition_stem", "editions_on_disk", "latest_path", "publish_edition", "repair",
           "remove_temporaries", "checkpoint", "CHANGES_FILE", "LOCK_FILE", "LATEST_REDLINE", "model_path",
           "read_model", "prune_models"]

CHANGES_FILE = "changes.md"
LATEST_REDLINE = "latest-changes.docx"
MODELS = ".briefgen-models"   # in the output folder: one JSON document model per kept edition
LOCK_FILE = ".briefgen-regen.lock"   # in the output folder (a run) and in each brief's folder (its writer)
_EDITION = re.compile(r"^(\d{4}-\d{2}-\d{2})-e(\d+)\.([A-Za-z0-9]+)$")
_REDLINE = re.compile(r"^(\d{4}-\d{2}-\d{2})-e(\d+)-changes\.docx$")


@dataclass(frozen=True)
class Edition:
    """One published edition: its number, date and the file written per format."""
    number: int
    date: dt.date
    files: dict[str, Path]


def edition_stem(date: dt.date, number: int) -> str:
    return f"{date.isoformat()}-e{number}"


def latest_path(folder: Path, fmt: str) -> Path:
    return folder / f"latest.{EXTENSIONS[fmt]}"


def redline_path(folder: Path, date: dt.date, number: int) -> Path:
    return folder / f"{edition_stem(date, number)}-changes.docx"


def model_path(folder: Path, number: int) -> Path:
    """Where edition ``number`` of the brief in ``folder`` keeps its document model."""
    return folder.parent / MODELS / f"{folder.name}.e{number}.json"


def read_model(folder: Path, number: int | None) -> str | None:
    """The kept model of edition ``number`` (None: none kept, e.g. made by an older briefgen)."""
    if number is None:
        return None
    try:
        return model_path(folder, number).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _models(folder: Path) -> dict[int, Path]:
    found: dict[int, Path] = {}
    pattern = re.compile(re.escape(folder.name) + r"\.e(\d+)\.json$")
    models = folder.parent / MODELS
    if models.is_dir():
        for path in models.iterdir():
            match = pattern.match(path.name)
            if match:
                found[int(match.group(1))] = path
    return found


def prune_models(folder: Path, keep_from: int) -> None:
    """Remove kept models of editions before ``keep_from`` (the committed one): never compared
    again; and temporary files an interrupted write of this brief's model left."""
    for number, path in _models(folder).items():
        if number < keep_from:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    models = folder.parent / MODELS
    if models.is_dir():
        for path in models.glob(f".{glob.escape(folder.name)}.e*.json.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def editions_on_disk(folder: Path) -> dict[int, list[Path]]:
    """Edition files found in ``folder``, by edition number."""
    found: dict[int, list[Path]] = {}
    if folder.is_dir():
        for path in folder.iterdir():
            match = _EDITION.match(path.name)
            if match:
                found.setdefault(int(match.group(2)), []).append(path)
    return found


_paused: set[str] = set()


def checkpoint(name: str) -> None:
    """A fault-injection point for tests of interrupted and overlapping runs; does nothing unless
    ``BRIEFGEN_REGEN_PAUSE_AT`` names this point. Then, the first time the point is reached, it
    creates the file named by ``BRIEFGEN_REGEN_PAUSE_FILE`` and waits (at most ten minutes) until
    that file is removed, so a test can kill the process or start another run at exactly this point."""
    if os.environ.get("BRIEFGEN_REGEN_PAUSE_AT") != name or name in _paused:
        return
    _paused.add(name)
    marker = Path(os.environ["BRIEFGEN_REGEN_PAUSE_FILE"])
    marker.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 600
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files an interrupted write left in ``folder`` (``.<name>.<random>.tmp``)."""
    removed = []
    if folder.is_dir():
        for path in folder.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def repair(folder: Path, committed: int, committed_files: dict[str, str], formats: Iterable[str]) -> list[str]:
    """Return ``folder`` to its last committed edition: remove temporary files and any edition
    numbered after ``committed`` (written by a run that never committed it), and make each
    ``latest`` a copy of the committed edition's file again (or remove it, where the committed
    edition has no file in that format). Returns what was done, for the log."""
    done = [f"removed {p.name}" for p in remove_temporaries(folder)]
    for number, paths in sorted(editions_on_disk(folder).items()):
        if number > committed:
            for path in paths:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                done.append(f"removed uncommitted {path.name}")
    done += _repair_redlines(folder, committed, committed_files)
    for fmt in dict.fromkeys([*committed_files, *formats]):
        latest = latest_path(folder, fmt)
        name = committed_files.get(fmt)
        source = folder / name if name else None
        if source is not None and source.is_file():
            if not latest.is_file() or latest.read_bytes() != source.read_bytes():
                _copy_atomic([(source, latest)])
                done.append(f"restored {latest.name} from {source.name}")
        elif latest.exists():
            latest.unlink()
            done.append(f"removed {latest.name} (no committed edition in that format)")
    return done


def _write_model(path: Path, data: bytes) -> None:
    """A kept model is written whole under its name (temporary file, rename) but not synced to
    disk: it is only ever compared with, and one torn by a power cut is unreadable JSON, which
    means "nothing to compare with" (one edition without a redline), so the fsyncs that guard the
    editions (about 8 ms each on a busy disk) would buy little for it."""
    path.parent.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def _repair_redlines(folder: Path, committed: int, committed_files: dict[str, str]) -> list[str]:
    """Uncommitted redlines and models removed; ``latest-changes.docx`` the committed edition's
    redline again, or gone when it has none."""
    done = []
    for number, path in _models(folder).items():
        if number > committed:
            path.unlink()
            done.append(f"removed the uncommitted model of edition {number}")
    own = None
    if folder.is_dir():
        for path in folder.iterdir():
            match = _REDLINE.match(path.name)
            if match and int(match.group(2)) > committed:
                path.unlink()
                done.append(f"removed uncommitted {path.name}")
            elif match and int(match.group(2)) == committed:
                own = path
    latest = folder / LATEST_REDLINE
    if own is not None and (not latest.is_file() or latest.read_bytes() != own.read_bytes()):
        _copy_atomic([(own, latest)])
        done.append(f"restored {latest.name} from {own.name}")
    elif own is None and latest.exists():
        latest.unlink()
        done.append(f"removed {latest.name} (the committed edition has no redline)")
    return done


def _copier(source: Path) -> Callable[[BinaryIO], None]:
    def produce(stream: BinaryIO) -> None:
        with source.open("rb") as src:
            shutil.copyfileobj(src, stream)
        checkpoint("write-latest")
    return produce


def _bytes(data: bytes, latest: bool = False) -> Callable[[BinaryIO], None]:
    def produce(stream: BinaryIO) -> None:
        stream.write(data)
        if latest:
            checkpoint("write-latest")
    return produce


def _copy_atomic(pairs: list[tuple[Path, Path]]) -> None:
    atomic_outputs([(target, _copier(source)) for source, target in pairs])


def publish_edition(document: Document, theme: Theme, formats: Iterable[str], folder: Path, date: dt.date,
                    number: int, changes_md: str, layout=None, *, model: str | None = None,
                    redline: Callable[[bytes], bytes] | None = None) -> tuple[Edition, list[object]]:
    """Write edition ``number`` in every format (all or none), then its ``model`` (JSON) and its
    redline (``redline(docx bytes)``, when given and a DOCX was written), then point ``latest``
    (and ``latest-changes.docx``) at it, then write ``changes.md`` (``layout``: the document's
    drawn page layout, for the PDF). Returns the edition and the writers' results (their warnings).

    The redline, the ``latest`` copies and ``changes.md`` are one set of ``atomic_outputs``, renamed
    in that order, and the folder is synced once, at the end: what a crash between two renames
    leaves is undone by ``repair`` (the state file, committed after this returns, decides), so the
    files need only be whole, and are: each is synced before its rename (3 rounds of syncs an
    edition instead of 8).

    If anything fails after the edition files were renamed into place, they are removed again, so
    the previous edition stays the newest one."""
    stem = edition_stem(date, number)
    files: dict[str, Path] = {}
    targets = []
    for fmt in formats:
        writer = get_writer(fmt)
        files[fmt] = folder / f"{stem}.{EXTENSIONS[fmt]}"

        extra = {"layout": layout} if fmt == "pdf" and layout is not None else {}

        def produce(stream, writer=writer, extra=extra):
            result = writer(document, theme, stream, **extra)
            checkpoint("write-edition")
            return result

        targets.append((files[fmt], produce))
    results = atomic_outputs(targets, sync_folders=False)   # synced with the second set, below
    extras = []
    try:
        checkpoint("after-edition")
        if model is not None:
            extras.append(model_path(folder, number))
            _write_model(extras[-1], model.encode("utf-8"))
        marked = None
        if redline is not None and "docx" in files:
            extras.append(redline_path(folder, date, number))
            marked = redline(files["docx"].read_bytes())
        elif (folder / LATEST_REDLINE).exists():   # the newest edition has no redline
            (folder / LATEST_REDLINE).unlink()
        second = [(latest_path(folder, fmt), _copier(path)) for fmt, path in files.items()]
        if marked is not None:
            second = [(extras[-1], _bytes(marked)), *second, (folder / LATEST_REDLINE, _bytes(marked, latest=True))]
        second.append((folder / CHANGES_FILE, _bytes(changes_md.encode("utf-8"))))
        atomic_outputs(second)
    except BaseException:
        for path in [*files.values(), *extras]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise
    return Edition(number, date, files), results
