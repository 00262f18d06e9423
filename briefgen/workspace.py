"""The workspace: the folder holding ``content/``, ``templates/`` and ``themes/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Workspace", "find_workspace"]


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def modules_dir(self) -> Path:
        return self.root / "content" / "modules"

    @property
    def sources_file(self) -> Path:
        return self.root / "content" / "sources.yaml"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"


def find_workspace(start: Path | None = None, explicit: Path | None = None) -> Workspace:
    """``--workspace`` if given; else the nearest parent of ``start`` holding ``content/`` (as git
    finds ``.git``); else the current directory."""
    if explicit is not None:
        return Workspace(Path(explicit).resolve())
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "content").is_dir():
            return Workspace(folder)
    return Workspace(Path.cwd().resolve())
