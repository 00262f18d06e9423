"""Building one edition of one brief: assemble it with its "What changed" box, write it
(editions.py), and hand back what the state file records. Runs in the calling process or in a worker
process (``--jobs``), so its task and result are plain picklable data and it never raises."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..cache import Cache
from ..request import BuildRequest
from ..errors import BriefgenError
from ..spec import load_spec
from ..workspace import find_workspace
from . import editions
from .changes import Change, changes_markdown, compare, other_changes, snapshot, visible_refs
from .editions import LOCK_FILE
from .state import HistoryEntry

__all__ = ["EditionTask", "EditionResult", "build_edition", "watch_run"]


@dataclass(frozen=True)
class EditionTask:
    """One brief to build (picklable, for worker processes)."""
    name: str
    spec_path: str
    workspace: str | None
    formats: tuple[str, ...]
    folder: str
    number: int
    date: str
    previous: dict[str, Any] | None
    history: tuple[HistoryEntry, ...]
    changed: tuple[str, ...]      # names of the inputs that differ from the last edition's
    forced: bool
    strict: bool
    run_pid: int                  # the process that holds the run's lock
    cache_mode: str = "off"       # the run's cache: a worker process makes one alike (worker_cache)
    cache_folder: str | None = None


@dataclass
class EditionResult:
    ok: bool
    reason: str = ""
    snapshot: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    entry: HistoryEntry | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


_WORKER_CACHE: list[Cache] = []


def worker_cache(task: EditionTask) -> Cache:
    """A worker process's cache, made once, in the mode of the run's (``Cache`` objects do not
    cross processes)."""
    if not _WORKER_CACHE:
        folder = Path(task.cache_folder) if task.cache_folder else None
        _WORKER_CACHE.append(Cache(task.cache_mode, folder))
    return _WORKER_CACHE[0]


def _assemble(task: EditionTask, spec_path: Path, workspace: Path | None, catalog, changes: list[Change],
              cache: Cache):
    """Assemble the brief with its "What changed" box, which must list only what the reader can
    see: a page budget may drop a changed module, and a shorter box may let it back in.

    The box is re-chosen from what the last assembly showed until the two agree (usually at once).
    If they never do, the fullest box that agreed with its own brief wins; failing that, lines are
    only taken out, which always settles (an empty box agrees with any brief)."""
    from ..pipeline import prepare_brief

    def attempt(shown: list[Change]):
        request = BuildRequest(formats=task.formats, strict=task.strict, workspace=workspace)
        brief = prepare_brief(spec_path, request, changes=tuple(c.text for c in shown), catalog=catalog, cache=cache)
        return brief, visible_refs(brief.assembly, catalog)

    tried: dict[tuple[Change, ...], tuple[Any, bool]] = {}
    shown = changes
    for _ in range(4):
        brief, visible = attempt(shown)
        tried[tuple(shown)] = (brief, all(c.shown_in(visible) for c in shown))
        again = [c for c in changes if c.shown_in(visible)]
        if again == shown:
            return brief
        if tuple(again) in tried:
            break
        shown = again
    agreed = [(len(box), brief) for box, (brief, ok) in tried.items() if ok]
    if agreed:
        return max(agreed, key=lambda pair: pair[0])[1]
    while True:
        brief, visible = attempt(shown)
        keep = [c for c in shown if c.shown_in(visible)]
        if keep == shown:
            return brief
        shown = keep


def build_edition(task: EditionTask, cache: Cache | None = None) -> EditionResult:
    """Build and publish one edition (``cache``: the run's, else this worker's). Never raises: a
    failure comes back as its reason."""
    from ..gcpolicy import after_brief

    try:
        return _build_edition(task, cache if cache is not None else worker_cache(task))
    finally:
        after_brief()


def _build_edition(task: EditionTask, cache: Cache) -> EditionResult:
    from ..pipeline import lay_out_for_pdf
    from ..catalog import load_catalog
    from ..compare import document_to_json
    from .comparison import compare_with_previous   # here: a no-op run compares nothing

    start = time.perf_counter()
    try:
        spec_path, folder = Path(task.spec_path), Path(task.folder)
        workspace = Path(task.workspace) if task.workspace else None
        catalog = load_catalog(find_workspace(spec_path, workspace), cache)
        snap = snapshot(load_spec(spec_path, cache), catalog)
        changes = compare(task.previous, snap) if task.previous else []
        brief = _assemble(task, spec_path, workspace, catalog, changes, cache)
        document, date = brief.assembly.document, dt.date.fromisoformat(task.date)
        previous = task.history[-1].edition if task.history else None
        text_changes, redline = compare_with_previous(editions.read_model(folder, previous), document,
                                                      brief.theme, brief.formats, date, _published(task, folder))
        other = other_changes(list(task.changed), changes) + (["a rebuild was forced"] if task.forced else [])
        meta = document.meta
        entry = HistoryEntry(task.number, task.date, [c.line() for c in changes], other, meta.status, meta.marking,
                             text_changes)
        text = changes_markdown(task.name, [*task.history, entry])
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(folder / LOCK_FILE):
            if os.getpid() != task.run_pid and os.getppid() != task.run_pid:
                # the run was killed and this worker lives on: its lock is gone, so it must not write
                return EditionResult(False, reason="the run that asked for this build has ended")
            layout = lay_out_for_pdf(brief.assembly, brief.theme, brief.formats, cache)
            editions.prune_models(folder, keep_from=previous or task.number)
            edition, results = editions.publish_edition(document, brief.theme, brief.formats, folder, date,
                                                        task.number, text, layout, model=document_to_json(document),
                                                        redline=redline)
        warnings = [str(w) for w in brief.warnings]
        warnings += [f"{edition.files[fmt].name}: {w}" for fmt, res in zip(brief.formats, results)
                     for w in (res or ())]
        return EditionResult(True, snapshot=snap, files={fmt: p.name for fmt, p in edition.files.items()},
                             entry=entry, warnings=warnings, seconds=time.perf_counter() - start)
    except BriefgenError as exc:
        return EditionResult(False, reason=f"{exc.kind}: {exc}", seconds=time.perf_counter() - start)
    except OSError as exc:   # a full disk or a read-only folder is not a bug: which file, and why
        return EditionResult(False, reason=f"cannot write {exc.filename or task.folder}: "
                                           f"{(exc.strerror or str(exc)).lower()}", seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug in a writer must not stop the other briefs
        return EditionResult(False, reason=f"internal error: {type(exc).__name__}: {exc}",
                             seconds=time.perf_counter() - start)


# inputs that change how a model is set as DOCX; a change to any other (modules, spec, template)
# changes only the model, so the previous edition's DOCX is still what its model would give
_SETS_DOCX = ("theme ", "font ", "images", "briefgen")


def _published(task: EditionTask, folder: Path) -> Path | None:
    """The previous edition's DOCX as published, if it is what its kept model would be set as now."""
    if not task.history or not task.changed or any(n.startswith(_SETS_DOCX) for n in task.changed):
        return None
    last = task.history[-1]
    path = folder / f"{editions.edition_stem(dt.date.fromisoformat(last.date), last.edition)}.docx"
    return path if path.is_file() else None


def watch_run(run_pid: int) -> None:
    """Initializer of a worker process: the collector policy of a process that only builds briefs
    (``gcpolicy.brief_worker``), and end the worker soon after the run that started it dies. Pool
    workers outlive a SIGKILLed parent otherwise; an ended worker is an interrupted write, which
    the next run repairs."""
    from ..gcpolicy import brief_worker

    brief_worker()

    def watch() -> None:
        while os.getppid() == run_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-run", daemon=True).start()
