"""``BuildRequest``: how to build, asked once at the edge (the command line, or a Python caller) and
validated there, then handed to ``build``, ``watch`` and ``regen`` as one value.

A bad value is a ``SpecError`` of one line, worded as the same value in a spec is, the option
named where a spec names its key (the CLI exits 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import SpecError
from .spec import STATUSES, LengthBudget, parse_formats, parse_length

__all__ = ["BuildRequest"]


@dataclass(frozen=True)
class BuildRequest:
    """What a build asks for besides the spec. ``None``: as the spec says."""
    formats: tuple[str, ...] | None = None      # e.g. ("docx", "pdf")
    audience: str | None = None                 # build for this audience instead of the spec's
    length: LengthBudget | None = None          # instead of the spec's
    status: str | None = None                   # "draft" or "final"
    strict: bool = False                        # warnings are failures
    drop: bool = True                           # drop low-priority modules when nothing else fits
    workspace: Path | None = None               # default: found from the spec
    out_dir: Path = Path("out")

    @classmethod
    def of(cls, *, formats: Sequence[str] | str | None = None, audience: str | None = None,
           length: str | LengthBudget | None = None, status: str | None = None, strict: bool = False,
           drop: bool = True, workspace: Path | str | None = None, out_dir: Path | str | None = None) -> "BuildRequest":
        """A request from the options as a user writes them (``formats="docx,pdf"``,
        ``length="2 pages"``); SpecError for a bad one."""
        return cls(formats=_formats(formats), audience=_name("audience", audience), length=_length(length),
                   status=_status(status), strict=bool(strict), drop=bool(drop),
                   workspace=Path(workspace) if workspace is not None else None,
                   out_dir=Path(out_dir) if out_dir is not None else Path("out"))


def _formats(requested: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if requested is None:
        return None
    try:
        return parse_formats(requested)
    except ValueError as exc:
        raise SpecError(f"--format: {exc}") from None


def _length(length: str | LengthBudget | None) -> LengthBudget | None:
    if length is None or isinstance(length, LengthBudget):
        return length
    try:
        return parse_length(length)
    except ValueError as exc:
        raise SpecError(f"--length: {exc}") from None


def _status(status: str | None) -> str | None:
    if status is not None and status not in STATUSES:
        raise SpecError(f"--status: unknown status '{status}'; choose {' or '.join(STATUSES)}")
    return status


def _name(key: str, value: str | None) -> str | None:
    """An audience name: checked against the workspace's folders when the brief is planned."""
    if value is not None and (not value.strip() or "\0" in value):
        raise SpecError(f"--{key}: '{value}' is not a name")
    return value
