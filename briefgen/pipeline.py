"""``build()``: the whole pipeline, top to bottom.

    spec + BuildRequest  ->  workspace + catalog  ->  plan (audience, length)  ->  assemble / fit
                         ->  document  ->  layout (for the PDF)  ->  writers  ->  files, written atomically

One ``Cache`` (``cache/``) is passed down to the loaders, composing, fitting and layout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from .assemble import Assembly, plan_brief
from .assemble.lint import content_warnings
from .cache import Cache
from .catalog import Catalog, load_catalog
from .errors import BuildWarning, RenderError, SpecError
from .fit import fit_brief
from .markings import brief_marking, refuse_lower
from .publish import atomic_outputs
from .request import BuildRequest
from .safepaths import inside
from .spec import BriefSpec, load_spec
from .theme import Theme, load_theme
from .workspace import Workspace, find_workspace
from .writers import EXTENSIONS, get_writer

__all__ = ["build", "BuildResult", "StrictFailure", "load_brief_theme", "write_document", "prepare_brief",
           "PreparedBrief", "check_distinct_outputs", "request_of", "default_cache"]


class StrictFailure(RenderError):
    """``--strict`` was asked for and the build produced warnings."""


@dataclass
class BuildResult:
    spec: BriefSpec
    outputs: dict[str, Path]
    assembly: Assembly
    warnings: list[BuildWarning] = field(default_factory=list)
    theme: Theme | None = None


def load_brief_theme(ws: Workspace, name: str, spec_path: Path | None = None, cache: Cache | None = None) -> Theme:
    folder = inside(ws.themes_dir, name, error=SpecError, key="theme", file=spec_path, what="themes folder")
    if not folder.is_dir():
        known = sorted(p.name for p in ws.themes_dir.iterdir()) if ws.themes_dir.is_dir() else []
        from .catalog import suggest

        raise SpecError(f"unknown theme '{name}'", file=spec_path,
                        hint=suggest(name, known) or (f"known: {', '.join(known)}" if known else "no themes/ folder"))
    return load_theme(folder, cache)


def request_of(request: BuildRequest | None, options: dict[str, Any]) -> BuildRequest:
    """``request``, or one made from a Python caller's keyword ``options`` (``formats="docx,pdf"``...)."""
    if request is None:
        return BuildRequest.of(**options)
    if options:
        raise TypeError(f"pass either a BuildRequest or options, not both ({', '.join(options)})")
    return request


def lay_out_for_pdf(assembly: Assembly, theme: Theme, formats: Iterable[str], cache: Cache | None = None):
    """The drawn page layout the PDF writer writes: fitting's, if it drew the chosen state, else
    a new one (its fonts' parsed tables from ``cache``); None when no PDF is asked for."""
    if "pdf" not in formats:
        return None
    if assembly.layout is not None and assembly.layout.pdf is not None:
        return assembly.layout
    from .layout import lay_out

    return lay_out(assembly.document, theme, draw=True, cache=cache)


def write_document(document, theme: Theme, formats: Iterable[str], out_dir: Path, stem: str,
                   *, strict: bool = False, layout=None) -> tuple[dict[str, Path], list[BuildWarning]]:
    """Render every format into temporary files, then move them all into place (or none: also
    when ``strict`` and a writer warned, e.g. of characters it had to drop). ``layout``: the
    document's drawn page layout, for the PDF writer."""
    targets = []
    outputs: dict[str, Path] = {}
    for fmt in formats:
        writer = get_writer(fmt)
        path = out_dir / f"{stem}.{EXTENSIONS[fmt]}"
        outputs[fmt] = path
        extra = {"layout": layout} if fmt == "pdf" and layout is not None else {}
        targets.append((path, lambda stream, writer=writer, extra=extra: writer(document, theme, stream, **extra)))
    def refuse_warnings(results: list[object]) -> None:
        found = [w for res in results for w in (res or ())]
        if strict and found:
            raise StrictFailure(f"a writer warned and --strict: {getattr(found[0], 'message', found[0])}",
                                hint="fix the content or build without --strict")

    try:
        results = atomic_outputs(targets, before_commit=refuse_warnings)
    except OSError as exc:  # a full disk or a read-only folder is not a bug: say which and where
        raise RenderError(f"cannot write to {out_dir}: {exc.strerror or exc}", file=exc.filename,
                          hint="check that the output folder exists, is writable and has space") from None
    warnings = [BuildWarning(str(w), file=str(path)) for (fmt, path), res in zip(outputs.items(), results)
                for w in (res or ())]
    return outputs, warnings


_DEFAULT: dict[tuple, Cache] = {}


def default_cache() -> Cache:
    """The cache of a Python caller that passes none, made from the environment (``BRIEFGEN_CACHE``,
    ``BRIEFGEN_CACHE_DIR``) once a process for each setting of it, so repeated builds share it."""
    setting = tuple(os.environ.get(name) for name in ("BRIEFGEN_CACHE", "BRIEFGEN_CACHE_DIR", "XDG_CACHE_HOME"))
    if setting not in _DEFAULT:
        _DEFAULT.clear()
        _DEFAULT[setting] = Cache.for_user()
    return _DEFAULT[setting]


def check_distinct_outputs(spec_paths: Sequence[Path | str]) -> None:
    """Briefs built together into one folder must not share an output stem (one would overwrite,
    or mix formats with, the other): a SpecError naming both specs, before anything is built."""
    seen: dict[str, Path] = {}
    for spec_path in map(Path, spec_paths):
        try:
            stem = load_spec(spec_path).stem
        except SpecError:
            continue   # reported when that brief is built
        if stem in seen:
            same = seen[stem].resolve() == spec_path.resolve()
            raise SpecError(f"{'is named twice' if same else f'writes the same files as {seen[stem]}'} "
                            f"(output '{stem}')", file=spec_path,
                            hint="name each spec once" if same else "give one of them another 'output:' stem")
        seen[stem] = spec_path


@dataclass
class PreparedBrief:
    """A brief assembled and ready to write: the document, its theme and formats (``prepare_brief``)."""
    spec: BriefSpec
    assembly: Assembly
    theme: Theme
    formats: tuple[str, ...]
    warnings: list[BuildWarning] = field(default_factory=list)


def prepare_brief(spec_path: Path | str, request: BuildRequest | None = None, *, cache: Cache | None = None,
                  catalog: Catalog | None = None, changes: tuple[str, ...] = (), **options: Any) -> PreparedBrief:
    """Every step of ``build`` except writing: for callers that write the files themselves
    (``regen`` writes editions, ``preview`` serves HTML). Raises as ``build`` does."""
    spec_path = Path(spec_path)
    request = request_of(request, options)
    spec = load_spec(spec_path, cache)
    ws = find_workspace(spec_path, request.workspace)
    catalog = catalog or load_catalog(ws, cache)
    theme = load_brief_theme(ws, spec.theme, spec_path, cache)
    plan = plan_brief(spec, catalog, audience=request.audience, length=request.length, changes=changes,
                      theme=theme, status=request.status, cache=cache)
    if theme.disclaimer and plan.meta.disclaimer:
        plan.meta = replace(plan.meta, disclaimer=theme.disclaimer)  # the house wording wins
    fmts = request.formats or spec.formats
    assembly = fit_brief(plan, catalog, theme, drop=request.drop, draw="pdf" in fmts, cache=cache)
    # the marking of the modules actually included: a spec asking for less is refused, nothing written
    rules = plan.marking
    refuse_lower(brief_marking(rules, [c.module for c in assembly.choices], assembly.document.blocks),
                 rules.asked_file)
    warnings = list(plan.warnings) + content_warnings(assembly.choices, catalog)
    if cache is not None:
        warnings += [BuildWarning(w) for w in cache.take_warnings()]
    if request.strict and warnings:
        raise StrictFailure(f"{len(warnings)} warning(s) and --strict; the first: {warnings[0].message}",
                            hint="fix the warnings or build without --strict")
    return PreparedBrief(spec, assembly, theme, fmts, warnings)


def build(spec_path: Path | str, request: BuildRequest | None = None, *, cache: Cache | None = None,
          catalog: Catalog | None = None, changes: tuple[str, ...] = (), stem: str | None = None,
          **options: Any) -> BuildResult:
    """Build one brief from its spec and write it in each requested format. ``request``: how (a
    ``BuildRequest``), or the same as keyword ``options``: ``formats="docx,pdf"``,
    ``out_dir="out"``, ``audience``, ``length="2 pages"``, ``status``, ``strict``, ``drop``,
    ``workspace``. ``cache``: what earlier builds worked out (default: this process's, from the
    environment: ``default_cache``).

    Raises a BriefgenError subclass for bad input (nothing is written) and StrictFailure when
    ``strict`` is set and there were warnings."""
    request = request_of(request, options)
    cache = cache if cache is not None else default_cache()
    brief = prepare_brief(spec_path, request, cache=cache, catalog=catalog, changes=changes)
    layout = lay_out_for_pdf(brief.assembly, brief.theme, brief.formats, cache)
    outputs, write_warnings = write_document(brief.assembly.document, brief.theme, brief.formats, request.out_dir,
                                             stem or brief.spec.stem, strict=request.strict, layout=layout)
    return BuildResult(brief.spec, outputs, brief.assembly, brief.warnings + write_warnings, brief.theme)
