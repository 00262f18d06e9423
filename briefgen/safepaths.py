"""One containment check for every path a spec, profile or theme names (templates, themes,
audiences, logos, reference documents): it must resolve inside the folder it belongs to.

A template folder from another team or a spec written by a colleague is ordinary input, so
``template: ../../../etc/passwd`` or a symbolic link out of the workspace is refused by name, with
the file and key that asked for it, instead of being read into a brief.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BriefgenError

__all__ = ["inside", "is_inside"]


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with symbolic links followed, lies within ``folder`` (also resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):   # RuntimeError: a symlink loop
        return False
    return True


def inside(folder: Path, name: str, *, error: type[BriefgenError], key: str, file: Path | str | None = None,
           line: int | None = None, what: str = "folder", root: Path | None = None) -> Path:
    """``folder / name``, or ``error`` naming ``file`` and ``key`` when ``name`` is absolute, holds a
    NUL, or leads (through ``..`` or a link) out of ``root`` (default: ``folder``)."""
    root = folder if root is None else root
    text = str(name)
    if not text or "\x00" in text or Path(text).is_absolute() or Path(text).drive:
        raise error(f"{key}: '{text.replace(chr(0), '?')}' is not a name inside the {what}", file=file, line=line,
                    hint=f"name a file or folder inside {root}")
    path = folder / text
    if not is_inside(path, root):
        raise error(f"{key}: '{text}' leads outside the {what} {root}", file=file, line=line,
                    hint=f"keep it inside {root}")
    return path
