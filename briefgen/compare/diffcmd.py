"""``briefgen diff OLD NEW``: compare two edition files and write the redline and the summary
beside the new one (or into ``out_dir``), atomically, both or neither."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import BriefgenError
from .files import compare_files
from .summary import TextChanges

__all__ = ["DiffResult", "diff_editions", "summary_markdown"]

FORMATS = ("docx", "md")


@dataclass
class DiffResult:
    changes: TextChanges
    outputs: dict[str, Path] = field(default_factory=dict)   # format -> file written


def summary_markdown(old: Path, new: Path, changes: TextChanges) -> str:
    """The summary as a Markdown file: a title naming both editions, then the changes."""
    lines = [f"# Changes from {old.name} to {new.name}", ""] + changes.markdown(level=2)
    return "\n".join(lines).rstrip("\n") + "\n"


def diff_editions(old: Path | str, new: Path | str, *, formats: Sequence[str] = FORMATS,
                  out_dir: Path | str | None = None, workspace: Path | None = None,
                  theme: str = "default") -> DiffResult:
    """Compare ``old`` with ``new`` and write ``<new stem>-changes.docx`` / ``.md`` (``formats``)."""
    from ..publish import atomic_outputs

    old, new = Path(old), Path(new)
    for fmt in formats:
        if fmt not in FORMATS:
            raise BriefgenError(f"unknown format '{fmt}' for diff", hint="choose from docx, md")
    needs_theme = "docx" in formats and (old.suffix.lower() != ".docx" or new.suffix.lower() != ".docx")
    comparison = compare_files(old, new, docx="docx" in formats,
                               theme=_theme(new, workspace, theme) if needs_theme else None)
    folder = Path(out_dir) if out_dir is not None else new.parent
    outputs: dict[str, Path] = {}
    targets = []
    if "docx" in formats and comparison.redline is not None:
        outputs["docx"] = folder / f"{new.stem}-changes.docx"
        data = comparison.redline.data
        targets.append((outputs["docx"], lambda stream, data=data: stream.write(data)))
    if "md" in formats:
        outputs["md"] = folder / f"{new.stem}-changes.md"
        text = summary_markdown(old, new, comparison.changes).encode("utf-8")
        targets.append((outputs["md"], lambda stream, text=text: stream.write(text)))
    if any(path.resolve() in (old.resolve(), new.resolve()) for path in outputs.values()):
        raise BriefgenError("the output would overwrite an edition being compared", file=folder,
                            hint="pass another --out folder")
    try:
        atomic_outputs(targets)
    except OSError as exc:
        raise BriefgenError(f"cannot write the comparison: {exc.strerror}", file=folder) from None
    return DiffResult(comparison.changes, outputs)


def _theme(near: Path, workspace: Path | None, name: str):
    from ..theme import load_theme
    from ..workspace import find_workspace

    folder = find_workspace(near, workspace).themes_dir / name
    return load_theme(folder)
