"""Writing finished files safely: all formats rendered to temporary files first, then renamed.

A brief that fails in any format writes nothing, and a previous edition is replaced only by a
complete new file (temporary file in the same directory, flush, fsync, rename), so a crash or a
SIGKILL never leaves a half-written file under a final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, BinaryIO

__all__ = ["atomic_outputs", "write_atomic", "fsync_dir"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_outputs(targets: Iterable[tuple[Path, Callable[[BinaryIO], object]]],
                   before_commit: Callable[[list[object]], None] | None = None) -> list[object]:
    """Run each ``produce(stream)`` into a temporary file beside its target; when all succeed (and
    ``before_commit``, given the producers' results, does not raise), rename them into place.
    On any failure every temporary file is removed and nothing changes."""
    temps: list[tuple[Path, Path]] = []
    results: list[object] = []
    try:
        for target, produce in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((Path(name), target))
            os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; finished briefs are ordinary files
            with os.fdopen(fd, "wb") as stream:
                results.append(produce(stream))
                stream.flush()
                os.fsync(stream.fileno())
        if before_commit is not None:
            before_commit(results)
        for temp, target in temps:
            os.replace(temp, target)
        for folder in {t.parent for _, t in temps}:
            fsync_dir(folder)
        temps = []
        return results
    finally:
        for temp, _target in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def write_atomic(target: Path, data: bytes) -> None:
    atomic_outputs([(target, lambda stream: stream.write(data))])
