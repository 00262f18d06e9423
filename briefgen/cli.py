"""The command line: a thin typer shell over the public API. Only here do errors become messages
and exit codes (0 success, 1 build or check failure, 2 bad usage or bad input)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

# pydantic looks up third-party plugins through package metadata at first use (~30 ms at every
# start); briefgen uses none, so the command line skips the search unless the user says otherwise.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from .errors import BriefgenError, BuildWarning  # noqa: E402

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Build policy briefings from curated, footnoted content modules.")
templates_app = typer.Typer(no_args_is_help=True, help="List and copy audience templates.")
app.add_typer(templates_app, name="templates")

_state = {"debug": False}
_NO_CACHE = "Keep nothing between or within builds (as BRIEFGEN_CACHE=off)."
_WORKSPACE = "Workspace folder (default: found from here)."
_JSON = "Print the list as JSON on stdout."


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _echo_json(value: object) -> None:
    import json   # here: only --json needs it, and a build's start-up is measured (benchmarks/)

    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _warn(warnings: list[BuildWarning]) -> None:
    for w in warnings:
        _err(f"warning: {w}")


def _one_line(text: str) -> str:
    """A message as one line: a library's text (ReportLab's among them) may span lines and name
    objects by their memory address, which tells a reader nothing."""
    import re

    return re.sub(r"\s*(?:at|@) ?0x[0-9a-fA-F]+", "", " ".join(text.split()))


@contextmanager
def _handled() -> Iterator[None]:
    """One clear line per failure; a traceback only with --debug."""
    try:
        yield
    except BriefgenError as exc:
        if _state["debug"]:
            raise
        _err(f"briefgen: {exc.kind}: {_one_line(str(exc))}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err("briefgen: interrupted")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:  # the reader went away (``briefgen modules | head``): nothing is wrong, nothing to say
        if _state["debug"]:
            raise
        raise typer.Exit(141) from None  # 128 + SIGPIPE, as a shell reports a command its pipe closed on
    except OSError as exc:  # a full disk, a read-only folder: not a bug, and not bad input either
        if _state["debug"]:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"briefgen: {where}{_one_line((exc.strerror or str(exc)).lower())}")
        raise typer.Exit(1) from None
    except Exception as exc:  # a bug, not bad input: say so plainly
        if _state["debug"]:
            raise
        _err(f"briefgen: internal error: {type(exc).__name__}: {_one_line(str(exc))} (run with --debug for the traceback)")
        raise typer.Exit(1) from None


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.")) -> None:
    _state["debug"] = debug


@app.command()
def build(
    specs: List[Path] = typer.Argument(..., help="Brief spec YAML file(s)."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="Formats, e.g. docx,pdf,md (default: the spec's)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    audience: Optional[str] = typer.Option(None, help="Build for this audience instead of the spec's."),
    length: Optional[str] = typer.Option(None, help="Length instead of the spec's, e.g. '1 page' or '800 words'."),
    workspace: Optional[Path] = typer.Option(None, help="Workspace folder (default: found from the spec)."),
    strict: bool = typer.Option(False, help="Treat warnings as errors."),
    explain: bool = typer.Option(False, help="Print the plan: each module, its variant, words and pages."),
    drop: bool = typer.Option(True, "--drop/--no-drop", help="Drop low-priority modules if nothing else fits."),
    no_cache: bool = typer.Option(False, "--no-cache", help=_NO_CACHE),
    status: Optional[str] = typer.Option(None, "--status", help="draft or final (default: the spec's status)."),
) -> None:
    """Build briefs from spec files."""
    from .cache import Cache
    from .explain import explain_plan
    from .gcpolicy import after_brief, long_running
    from .pipeline import build as build_brief, check_distinct_outputs
    from .request import BuildRequest

    with _handled():    # the options are checked once, before any brief is built
        request = BuildRequest.of(formats=format, out_dir=out, audience=audience, length=length,
                                  workspace=workspace, strict=strict, drop=drop, status=status)
        if len(specs) > 1:
            check_distinct_outputs(specs)
    if len(specs) > 1:
        long_running()   # many briefs in one process: collect between them (see gcpolicy)
    failed = 0
    cache = Cache.for_user(enabled=not no_cache)
    for spec in specs:
        try:
            with _handled():
                result = build_brief(spec, request, cache=cache)
                _warn(result.warnings)
                if explain:
                    typer.echo(explain_plan(result.assembly, result.theme))
                for path in result.outputs.values():
                    typer.echo(str(path))
        except typer.Exit as exc:
            if len(specs) == 1:
                raise
            failed = max(failed, exc.exit_code)
        after_brief()
    if failed:
        raise typer.Exit(failed)


@app.command()
def check(
    workspace: Optional[Path] = typer.Option(None, help="Workspace folder (default: found from here)."),
    strict: bool = typer.Option(False, help="Treat warnings as failures."),
    max_age: int = typer.Option(365, help="Warn about modules reviewed more than this many days ago."),
) -> None:
    """Validate the content library: citations, sources, variants, dates."""
    from .catalog.check import check_workspace
    from .workspace import find_workspace

    with _handled():
        report = check_workspace(find_workspace(explicit=workspace), max_age_days=max_age)
        for error in report.errors:
            _err(f"error: {error}")
        _warn(report.warnings)
        status = "ok" if report.ok(strict) else "failed"
        typer.echo(f"{report.modules} modules, {report.sources} sources: {len(report.errors)} errors, "
                   f"{len(report.warnings)} warnings ({status})")
        if not report.ok(strict):
            raise typer.Exit(1)


def _catalog(workspace: Optional[Path]):
    from .catalog import load_catalog
    from .workspace import find_workspace

    return load_catalog(find_workspace(explicit=workspace))


@app.command()
def modules(workspace: Optional[Path] = typer.Option(None, help=_WORKSPACE),
            as_json: bool = typer.Option(False, "--json", help=_JSON)) -> None:
    """List the content modules."""
    with _handled():
        cat = _catalog(workspace)
        rows = [{"id": m.id, "title": m.meta.title, "topic": m.meta.topic, "sensitivity": m.meta.sensitivity,
                 "reviewed": m.meta.reviewed.isoformat(), "audiences": list(m.meta.audiences),
                 "words": {v: m.variant(v).words for v in m.variants}, "summary": m.meta.summary}
                for m in cat.modules.values()]
        if as_json:
            _echo_json(rows)
            return
        for r in rows:
            words = "/".join(str(w) for w in r["words"].values())
            typer.echo(f"{r['id']:<24} {r['topic']:<11} {r['sensitivity']:<18} {words:<16} {r['title']}")


@app.command()
def sources(workspace: Optional[Path] = typer.Option(None, help=_WORKSPACE),
            as_json: bool = typer.Option(False, "--json", help=_JSON)) -> None:
    """List the registered sources."""
    from .model import plain_text
    from .notes.chicago import bibliography_entry

    with _handled():
        cat = _catalog(workspace)
        if as_json:
            rows = [s.model_dump(mode="json", by_alias=True, exclude_defaults=True) for s in cat.sources.values()]
            _echo_json(rows)
            return
        for s in cat.sources.values():
            via = cat.sources.get(s.cited_in) if s.cited_in else None
            typer.echo(f"{s.id}\n    {plain_text(tuple(bibliography_entry(s, via)))}")


@app.command()
def new(path: Path = typer.Argument(Path("brief.yaml"), help="Where to write the starter spec."),
        force: bool = typer.Option(False, help="Overwrite an existing file.")) -> None:
    """Write a starter spec with comments."""
    from .starter import STARTER_SPEC

    with _handled():
        if path.exists() and not force:
            raise BriefgenError(f"{path} already exists", hint="choose another name or pass --force")
        from .publish import write_atomic

        write_atomic(path, STARTER_SPEC.encode("utf-8"))
        typer.echo(str(path))


@templates_app.command("list")
def templates_list(workspace: Optional[Path] = typer.Option(None, help=_WORKSPACE)) -> None:
    """List the audience templates in the workspace."""
    from .assemble.profiles import list_profiles, load_profile
    from .workspace import find_workspace

    with _handled():
        ws = find_workspace(explicit=workspace)
        for name in list_profiles(ws.templates_dir):
            p = load_profile(ws.templates_dir, name)
            typer.echo(f"{name:<16} {p.settings.label:<16} {p.settings.description}")


@templates_app.command("new")
def templates_new(name: str = typer.Argument(..., help="Name of the new template folder."),
                  from_: str = typer.Option("minister", "--from", help="Profile to copy."),
                  workspace: Optional[Path] = typer.Option(None, help=_WORKSPACE)) -> None:
    """Copy a profile into a new folder for editing."""
    import shutil

    from .assemble.profiles import load_profile
    from .workspace import find_workspace

    with _handled():
        ws = find_workspace(explicit=workspace)
        source = load_profile(ws.templates_dir, from_)
        target = ws.templates_dir / name
        if target.exists():
            raise BriefgenError(f"{target} already exists", hint="choose another name")
        if not name.replace("-", "").replace("_", "").isalnum():
            raise BriefgenError(f"'{name}' is not a good folder name", hint="use letters, digits and hyphens")
        shutil.copytree(source.folder, target)
        typer.echo(f"{target}  (use it with 'audience: {name}' or 'template: {name}' in a spec)")


@app.command()
def watch(spec: Path = typer.Argument(..., help="Brief spec YAML file."),
          format: Optional[str] = typer.Option(None, "--format", "-f",
                                               help="Formats, e.g. docx,pdf,md (default: the spec's)."),
          out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
          workspace: Optional[Path] = typer.Option(None, help="Workspace folder (default: found from the spec)."),
          no_cache: bool = typer.Option(False, "--no-cache", help=_NO_CACHE)) -> None:
    """Rebuild a brief whenever its spec, a module, a source, a template or a theme changes."""
    from .cache import Cache
    from .gcpolicy import long_running
    from .request import BuildRequest
    from .watch import watch_and_build

    long_running()
    with _handled():
        request = BuildRequest.of(formats=format, out_dir=out, workspace=workspace)
        watch_and_build(spec, request, cache=Cache.for_user(enabled=not no_cache),
                        report=lambda line: typer.echo(line), warn=_warn, error=lambda e: _err(f"briefgen: {e}"))


@app.command()
def preview(spec: Path = typer.Argument(..., help="Brief spec YAML file."),
            port: int = typer.Option(0, "--port", "-p", min=0, max=65535,
                                     help="Port on 127.0.0.1 (default: a free one)."),
            workspace: Optional[Path] = typer.Option(None, help="Workspace folder (default: found from the spec)."),
            no_cache: bool = typer.Option(False, "--no-cache", help=_NO_CACHE)) -> None:
    """Serve the brief as HTML on 127.0.0.1, rebuilt and reloaded in the browser on every save."""
    import threading

    from .cache import Cache
    from .gcpolicy import long_running
    from .preview import serve_preview

    long_running()
    stop = threading.Event()
    with _handled():
        try:
            serve_preview(spec, port=port, workspace=workspace, report=lambda line: typer.echo(line),
                          warn=_warn, error=_err, stop=stop, cache=Cache.for_user(enabled=not no_cache))
        except KeyboardInterrupt:   # Ctrl-C is how a preview ends: not a failure
            stop.set()
            typer.echo("briefgen preview: stopped")


@app.command()
def regen(
    specs: List[Path] = typer.Argument(..., help="Spec files, or folders of *.yaml specs."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: <name>/<date>-e<N>.<ext>, latest, state."),
    workspace: Optional[Path] = typer.Option(None, help="Workspace folder (default: found from each spec)."),
    force: bool = typer.Option(False, help="Rebuild every brief, changed or not."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Build this many briefs at once (processes)."),
    format: Optional[str] = typer.Option(None, "--format", "-f", help="Formats instead of each spec's, e.g. md."),
    strict: bool = typer.Option(False, help="Treat warnings as failures."),
    wait: Optional[float] = typer.Option(None, help="Give up after this many seconds if another run holds the "
                                                    "lock (default: wait for it)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON report (built, skipped, failed) on stdout."),
    no_cache: bool = typer.Option(False, "--no-cache", help=_NO_CACHE),
) -> None:
    """Rebuild the briefs whose inputs changed since their last edition (for cron or a systemd timer)."""
    from .cache import Cache
    from .gcpolicy import long_running
    from .regen import regen as run_regen
    from .request import BuildRequest
    from .regen.progress import progress_display

    long_running()
    with _handled():
        request = BuildRequest.of(formats=format, workspace=workspace, strict=strict)
        with progress_display() as show:
            report = run_regen(specs, out, request, force=force, jobs=jobs, wait=wait, on_event=show,
                               cache=Cache.for_user(enabled=not no_cache))
        for outcome in report.outcomes:
            for warning in outcome.warnings:
                _err(f"warning: {outcome.name}: {warning}")
        if as_json:
            _echo_json(report.to_json())
        else:
            for outcome in report.of("built"):
                for path in outcome.files.values():
                    typer.echo(path)
        _err(f"briefgen regen: {len(report.of('built'))} built, {len(report.of('skipped'))} skipped, "
             f"{len(report.of('failed'))} failed ({report.seconds:.2f} s)")
        if not report.ok:
            raise typer.Exit(report.exit_code)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier edition: a .docx edition or a .md brief."),
    new: Path = typer.Argument(..., help="The later edition: a .docx edition or a .md brief."),
    format: str = typer.Option("docx,md", "--format", "-f",
                               help="What to write: docx (the redline), md (the changed sentences)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: NEW's folder)."),
    workspace: Optional[Path] = typer.Option(None, help="Workspace whose theme sets a .md brief as DOCX "
                                                        "(default: found from NEW)."),
    theme: str = typer.Option("default", help="Theme that sets a .md brief as DOCX for the redline."),
    as_json: bool = typer.Option(False, "--json", help="Print what changed as JSON on stdout."),
) -> None:
    """Compare two editions of a brief, as reviewers read changes: NEW-changes.docx (Word revision
    marks) and NEW-changes.md (sentences added, removed and changed, under the brief's headings)."""
    from .compare.diffcmd import diff_editions

    with _handled():
        fmts = [f.strip() for f in format.split(",") if f.strip()]
        result = diff_editions(old, new, formats=fmts, out_dir=out, workspace=workspace, theme=theme)
        if as_json:
            _echo_json(result.changes.to_json())
        else:
            for path in result.outputs.values():
                typer.echo(str(path))
        counts = result.changes.counts()
        _err("briefgen diff: text unchanged" if result.changes.text_unchanged else
             "briefgen diff: " + ", ".join(f"{n} {'sentence' if n == 1 else 'sentences'} {kind}"
                                           for kind, n in counts.items()))


def main(argv: Optional[list[str]] = None) -> None:
    """Console entry point; ``argv`` lets Python callers and tests run it in-process."""
    app(args=argv, prog_name="briefgen")


def entry() -> None:
    """The ``briefgen`` command as its own process, once ``gcpolicy.one_shot`` has turned the
    collector off (``briefgen/__main__.py`` does, before this module and typer are imported; regen
    and watch turn it back on); ``fastexit``: the process ends without the interpreter's teardown."""
    from .fastexit import leave

    try:
        main()
    except SystemExit as done:   # typer ends every run this way, its status in ``code``
        leave(done.code)
    leave(0)


if __name__ == "__main__":  # pragma: no cover
    from .gcpolicy import one_shot

    one_shot()
    entry()
