"""The catalog: every content module and source in a workspace, loaded and cross-checked."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..cache import Cache
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


class ModuleShelf(Mapping):
    """Module id -> ContentModule, read from disk on first use: a brief pays only for the modules
    it uses (ids are file names, so listing and "did you mean" need no parsing)."""

    def __init__(self, paths: dict[str, Path], cache: Cache | None = None) -> None:
        self._paths = paths
        self._cache = cache
        self._loaded: dict[str, ContentModule] = {}

    def __getitem__(self, module_id: str) -> ContentModule:
        if module_id not in self._loaded:
            self._loaded[module_id] = load_module(self._paths[module_id], self._cache)
        return self._loaded[module_id]

    def __contains__(self, module_id: object) -> bool:
        return module_id in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


@dataclass
class Catalog:
    workspace: Workspace
    modules: Mapping[str, ContentModule] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def module(self, module_id: str) -> ContentModule:
        return self.modules[module_id]


def load_catalog(workspace: Workspace, cache: Cache | None = None) -> Catalog:
    """The workspace's modules (each parsed when first used) and its source registry.
    Malformed files are ContentErrors; ``briefgen check`` reads every module."""
    folder = workspace.modules_dir
    if not folder.is_dir():
        raise ContentError("no content modules folder", file=folder,
                           hint="run from a workspace that has content/modules/, or pass --workspace")
    paths = {path.stem: path for path in sorted(folder.glob("*.md"))}
    return Catalog(workspace, ModuleShelf(paths, cache), load_sources(workspace.sources_file, cache))
