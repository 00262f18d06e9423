"""briefgen: curated, footnoted content modules -> finished policy briefings (DOCX, PDF, Markdown).

Everything the command line does, a Python caller can do from here::

    import briefgen
    result = briefgen.build("examples/minister-one-page.yaml", formats="docx,pdf", out_dir="out")
"""

from __future__ import annotations

__version__ = "0.1.0"

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562), so `briefgen --help` or a docx-only build does not pay
# for every stage's imports at start-up.
_WHERE = {
    "Assembly": "assemble", "BriefPlan": "assemble", "assemble": "assemble", "compose": "assemble",
    "plan_brief": "assemble", "BuildResult": "pipeline", "StrictFailure": "pipeline", "build": "pipeline",
    "BuildRequest": "request", "Cache": "cache", "lay_out": "layout", "PageLayout": "layout",
    "Catalog": "catalog", "load_catalog": "catalog", "CheckReport": "catalog.check",
    "check_workspace": "catalog.check", "ContentModule": "catalog.modules", "Source": "catalog.sources",
    "BriefgenError": "errors", "BuildWarning": "errors", "ContentError": "errors", "RenderError": "errors",
    "SpecError": "errors", "TemplateError": "errors", "ThemeError": "errors", "Document": "model",
    "resolve_citations": "notes", "parse_markdown": "parse", "BriefSpec": "spec", "LengthBudget": "spec",
    "load_spec": "spec", "Theme": "theme", "load_theme": "theme", "Workspace": "workspace",
    "find_workspace": "workspace", "WRITERS": "writers", "get_writer": "writers",
    "regen": "regen", "RegenReport": "regen",
    "diff_editions": "compare.diffcmd", "redline_docx": "compare", "TextChanges": "compare",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'briefgen' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(ModuleType):
    """``briefgen.regen`` is the function, though the ``regen/`` package shares its name. Python puts
    each submodule it imports on its package as an attribute; that would hide the function
    (``import briefgen.regen.state`` and then ``briefgen.regen(...)`` would call a package), so it
    is not set. The package is still imported by name: ``from briefgen.regen.state import ...``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "regen" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover
    from .assemble import Assembly, BriefPlan, assemble, compose, plan_brief
    from .cache import Cache
    from .layout import PageLayout, lay_out
    from .pipeline import BuildResult, StrictFailure, build
    from .request import BuildRequest
    from .catalog import Catalog, load_catalog
    from .catalog.check import CheckReport, check_workspace
    from .catalog.modules import ContentModule
    from .catalog.sources import Source
    from .errors import (BriefgenError, BuildWarning, ContentError, RenderError, SpecError, TemplateError,
                         ThemeError)
    from .model import Document
    from .notes import resolve_citations
    from .parse import parse_markdown
    from .spec import BriefSpec, LengthBudget, load_spec
    from .theme import Theme, load_theme
    from .workspace import Workspace, find_workspace
    from .writers import WRITERS, get_writer
    from .regen import RegenReport, regen
    from .compare import TextChanges, redline_docx
    from .compare.diffcmd import diff_editions

__all__ = [
    "__version__",
    # the pipeline, in order
    "load_spec", "find_workspace", "load_catalog", "plan_brief", "assemble", "compose", "resolve_citations",
    "parse_markdown", "load_theme", "lay_out", "get_writer", "WRITERS", "build", "check_workspace", "regen",
    "diff_editions", "redline_docx",
    # data types
    "BriefSpec", "LengthBudget", "Workspace", "Catalog", "ContentModule", "Source", "BriefPlan", "Assembly",
    "Document", "Theme", "PageLayout", "BuildRequest", "Cache", "BuildResult", "CheckReport", "RegenReport",
    "TextChanges",
    # errors and warnings
    "BriefgenError", "SpecError", "ContentError", "TemplateError", "ThemeError", "RenderError",
    "StrictFailure", "BuildWarning",
]
