"""The catalog: every content module and source in a workspace, loaded and cross-checked."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError
from ..workspace import Workspace
from .modules import VARIANTS, ContentModule, load_module
from .sources import Source, load_sources

__all__ = ["Catalog", "load_catalog", "ContentModule", "Source", "VARIANTS", "suggest"]


def suggest(name: str, choices) -> str | None:
    """'did you mean ...' for a misspelt id."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return None


@dataclass
class Catalog:
    workspace: Workspace
    modules: dict[str, ContentModule] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def module(self, module_id: str) -> ContentModule:
        return self.modules[module_id]


def load_catalog(workspace: Workspace) -> Catalog:
    """Load every module and the source registry. Malformed files are ContentErrors."""
    folder = workspace.modules_dir
    if not folder.is_dir():
        raise ContentError("no content modules folder", file=folder,
                           hint="run from a workspace that has content/modules/, or pass --workspace")
    catalog = Catalog(workspace)
    for path in sorted(folder.glob("*.md")):
        module = load_module(path)
        catalog.modules[module.id] = module
    catalog.sources = load_sources(workspace.sources_file)
    return catalog
