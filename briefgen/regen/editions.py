"""Editions on disk: ``DIR/<name>/<YYYY-MM-DD>-e<N>.<ext>`` and a stable ``DIR/<name>/latest.<ext>``.

N counts a brief's editions (1, 2, 3, ... across dates); the date is the day it was published.
Every file is written atomically (``publish.atomic_outputs``: temporary file in the same folder,
flush, fsync, rename), editions first, then ``latest``, then ``changes.md``; the state file is
committed last (runner.py). ``repair`` undoes what an interrupted run left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..publish import atomic_outputs, write_atomic
from ..writers import EXTENSIONS, get_writer

if TYPE_CHECKING:   # a no-op run imports no document model
    from ..model import Document
    from ..theme import Theme

__all__ = ["Edition", "edition_stem", "editions_on_disk", "latest_path", "publish_edition", "repair",
           "remove_temporaries", "checkpoint", "CHANGES_FILE", "LOCK_FILE"]

CHANGES_FILE = "changes.md"
LOCK_FILE = ".briefgen-regen.lock"   # in the output folder (a run) and in each brief's folder (its writer)
_EDITION = re.compile(r"^(\d{4}-\d{2}-\d{2})-e(\d+)\.([A-Za-z0-9]+)$")


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


def _copy_atomic(pairs: list[tuple[Path, Path]]) -> None:
    def copier(source: Path):
        def produce(stream) -> None:
            with source.open("rb") as src:
                shutil.copyfileobj(src, stream)
            checkpoint("write-latest")
        return produce

    atomic_outputs([(target, copier(source)) for source, target in pairs])


def publish_edition(document: Document, theme: Theme, formats: Iterable[str], folder: Path, date: dt.date,
                    number: int, changes_md: str, layout=None) -> tuple[Edition, list[object]]:
    """Write edition ``number`` in every format (all or none), then point ``latest`` at it, then
    write ``changes.md`` (``layout``: the document's drawn page layout, for the PDF). Returns the edition and the writers' results (their warnings).

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
    results = atomic_outputs(targets)
    try:
        checkpoint("after-edition")
        _copy_atomic([(path, latest_path(folder, fmt)) for fmt, path in files.items()])
        write_atomic(folder / CHANGES_FILE, changes_md.encode("utf-8"))
    except BaseException:
        for path in files.values():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise
    return Edition(number, date, files), results
