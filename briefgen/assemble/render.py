"""Rendering an audience template (Jinja2, sandboxed, strict) into Markdown for the parser."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..cache import Cache, folder_digest
from ..errors import TemplateError
from ..model import long_date
from ..parse import block_parser, text_lines
from .sandbox import BoundedSandbox, TemplateLimit, rendering

__all__ = ["render_template", "shift_headings", "long_date"]


def shift_headings(text: str, top: int) -> str:
    """Renumber a module's own ``###`` sub-headings so its highest becomes level ``top``
    (found through markdown-it's line map, so '#' inside code or text is left alone)."""
    tokens = block_parser().parse(text)
    heads = [(t.map[0], int(t.tag[1])) for t in tokens if t.type == "heading_open" and t.map]
    if not heads:
        return text
    delta = top - min(level for _, level in heads)
    lines = text_lines(text)
    for line_no, level in heads:
        new = max(1, min(6, level + delta))
        lines[line_no] = "#" * new + lines[line_no].lstrip("#")
    return "".join(lines)


def _md_escape(text: str) -> str:
    """Make a plain value safe to drop into Markdown (titles, names), keeping it literal."""
    out = []
    for ch in str(text):
        if ch in "\\`*_[]<>#|":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_SETTINGS = dict(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                 trim_blocks=True, lstrip_blocks=True)
_BYTECODE_SETTINGS = ("sandboxed", "bounded: binops * % ** intercepted",
                      tuple(sorted((k, repr(v)) for k, v in _SETTINGS.items())))


@lru_cache(maxsize=16)
def _environment(folders: tuple[Path, ...], files: str | None, bytecode) -> SandboxedEnvironment:
    """One environment per content of the template ``files`` (a hash of their bytes): Jinja's own
    check that a loaded template is up to date looks at its mtime alone, and not at a new file
    that now hides it in the search path (``watch`` would miss both)."""
    env = BoundedSandbox(loader=jinja2.FileSystemLoader([str(f) for f in folders]), bytecode_cache=bytecode,
                         **_SETTINGS)
    env.filters["headings"] = shift_headings
    env.filters["long_date"] = long_date
    env.filters["md"] = _md_escape
    env.seal()
    return env


def _template_line(exc: BaseException, template_path: Path) -> tuple[str, int | None]:
    """The template file and line a runtime error came from, read off the traceback."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (str(template_path), None)
    while tb is not None:
        frame = tb.tb_frame
        name = frame.f_code.co_filename
        if name.endswith((".j2", ".md", ".jinja")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(template_path: Path, shared_dir: Path, context: dict[str, Any], cache: Cache | None = None) -> str:
    """Render a profile's template. Syntax errors, undefined names and sandbox violations become
    TemplateErrors naming the template file and line."""
    folders = (template_path.parent, shared_dir)
    try:
        files = folder_digest(*folders)
    except OSError:
        files = None
    # compiled templates are kept in the disk cache for the next process (keyed by file and source)
    bytecode = cache.jinja_bytecode(_BYTECODE_SETTINGS) if cache is not None else None
    env = _environment(folders, files, bytecode)
    try:
        template = env.get_template(template_path.name)
        return rendering(template, context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", file=exc.filename or template_path,
                            line=exc.lineno, hint="check the {% %} and {{ }} tags on that line") from None
    except SecurityError as exc:
        file, line = _template_line(exc, template_path)
        raise TemplateError(f"refused by the template sandbox: {exc}", file=file, line=line,
                            hint="templates may only use the brief's data, not Python internals") from None
    except jinja2.UndefinedError as exc:
        file, line = _template_line(exc, template_path)
        raise TemplateError(f"undefined: {exc.message}", file=file, line=line,
                            hint="see templates/README.md for the names a template can use") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"included template '{exc.name}' not found", file=template_path) from None
    except TemplateLimit as exc:
        file, line = _template_line(exc, template_path)
        raise TemplateError(f"template {exc}", file=file, line=line,
                            hint="check the template's loops and the sizes it asks for") from None
    except RecursionError:
        raise TemplateError("template calls itself without end (a macro or include that recurses)",
                            file=template_path, hint="check the template's macros and includes") from None
    except MemoryError:
        raise TemplateError("template needed more memory than the machine has", file=template_path) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError) as exc:
        file, line = _template_line(exc, template_path)
        raise TemplateError(f"template failed: {exc}", file=file, line=line) from None
