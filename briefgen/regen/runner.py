"""``regen()``: rebuild every brief whose inputs changed since its last edition, safely.

    find specs  ->  lock the output folder  ->  load state  ->  hash each spec's inputs
        ->  repair interrupted briefs  ->  skip the unchanged  ->  mark the rest pending (state saved)
        ->  build each (in-process, or N worker processes)  ->  commit each to the state file

Library code: it reports through an ``on_event`` callback and returns a ``RegenReport``; the CLI
decides how to show them and which exit code to return.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from filelock import FileLock, Timeout

from ..errors import BriefgenError, RenderError, SpecError
from ..publish import write_atomic
from ..cache import Cache
from ..request import BuildRequest
from ..spec import FORMATS, BriefSpec, load_spec
from ..workspace import find_workspace
from . import editions
from .changes import NOT_RECORDED, changes_markdown, read_history
from .editions import LOCK_FILE
from .inputs import InputHasher, describe_changed
from .report import BriefOutcome, RegenEvent, RegenReport
from .state import BriefRecord, HistoryEntry, RegenState, load_state, save_state
from .worker import EditionResult, EditionTask, build_edition, watch_run

__all__ = ["regen", "find_specs", "LockTimeout"]


class LockTimeout(BriefgenError):
    """Another run kept the output folder locked for longer than ``wait`` allowed."""

    kind = "busy"
    exit_code = 1


def find_specs(paths: Iterable[Path | str]) -> list[Path]:
    """Spec files from files and folders (a folder's ``*.yaml``/``*.yml``, not its subfolders)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise SpecError("no such spec file or folder", file=path)
    unique = list({p.resolve(): p for p in found}.values())
    if not unique:
        raise SpecError("no brief specs found", hint="pass spec files, or folders holding *.yaml specs")
    return unique


def _adopt(spec: str, folder: Path) -> BriefRecord:
    """A record for a brief the state file does not know: its newest edition on disk (if any)
    counts as committed, so numbering continues and nothing already published is touched."""
    found = editions.editions_on_disk(folder)
    if not found:
        return BriefRecord(spec=spec)
    number = max(found)
    files = {p.suffix[1:]: p.name for p in found[number]}
    return BriefRecord(spec=spec, edition=number, date=found[number][0].name[:10],
                       files={fmt: name for fmt, name in files.items() if fmt in FORMATS},
                       history=_history_on_disk(folder, found))


def _history_on_disk(folder: Path, found: dict[int, list[Path]]) -> list[HistoryEntry]:
    """The change history of a brief whose record was lost: as its ``changes.md`` tells it, with
    an entry for each edition on disk that it does not mention (what changed there is unknown)."""
    try:
        history = read_history((folder / editions.CHANGES_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        history = []
    known = {entry.edition for entry in history}
    for number, paths in found.items():
        if number not in known:
            history.append(HistoryEntry(number, paths[0].name[:10], [NOT_RECORDED]))
    return sorted(history, key=lambda entry: entry.edition)


def _repair(folder: Path, record: BriefRecord, formats: Iterable[str],
            emit: Callable[[RegenEvent], None] | None = None, name: str = "") -> list[str]:
    """Undo an interrupted or failed write, holding the brief's own lock (a worker of a killed
    run may still be finishing), and clear the record's pending mark."""
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / LOCK_FILE):
        done = editions.repair(folder, record.edition, record.files, formats)
        changes = folder / editions.CHANGES_FILE
        text = changes_markdown(name or folder.name, record.history).encode("utf-8") if record.history else None
        if text is not None and (not changes.is_file() or changes.read_bytes() != text):
            write_atomic(changes, text)
            done.append(f"restored {changes.name}")
        elif text is None and not record.edition and changes.exists():
            changes.unlink()
            done.append(f"removed uncommitted {changes.name}")
    record.pending, record.pending_formats = None, []
    if done and emit is not None:
        emit(RegenEvent("repaired", name, "; ".join(done)))
    return done


@dataclass
class _Planned:
    name: str
    spec: Path
    folder: Path
    formats: tuple[str, ...]
    parts: dict[str, str]
    digest: str
    reason: str
    seconds: float


def regen(paths: Sequence[Path | str], out_dir: Path | str, request: BuildRequest | None = None, *,
          force: bool = False, jobs: int = 1, wait: float | None = None, today: dt.date | None = None,
          on_event: Callable[[RegenEvent], None] | None = None, cache: Cache | None = None,
          **options: Any) -> RegenReport:
    """Rebuild each brief whose inputs changed since its last edition in ``out_dir`` (all with
    ``force``). ``request`` (or keyword ``options``: ``formats``, ``strict``, ``workspace``) is how
    each is built. Bad input for the run as a whole (no specs, a bad format, two specs writing the
    same brief) raises a BriefgenError; a brief that fails is reported and the others go on."""
    from ..pipeline import request_of

    request = request_of(request, options)
    workspace, formats, strict = request.workspace, request.formats, request.strict
    emit = on_event or (lambda event: None)
    cache = cache if cache is not None else Cache.for_user()
    started = time.perf_counter()
    if jobs < 1:
        raise BriefgenError(f"--jobs must be at least 1, not {jobs}")
    specs = find_specs(paths)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError(f"cannot create the output folder: {exc.strerror}", file=out) from None
    lock = FileLock(out / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        emit(RegenEvent("waiting", message=f"another run is writing to {out}; waiting for it to finish"))
        try:
            lock.acquire(timeout=-1 if wait is None else wait)
        except Timeout:
            raise LockTimeout(f"another run kept {out} locked for more than {wait:g} s", file=out / LOCK_FILE,
                              hint="let it finish, or raise --wait") from None
    try:
        report = _run(specs, out, workspace=workspace, force=force, jobs=jobs, formats=formats, strict=strict,
                      today=today or dt.date.today(), emit=emit, cache=cache)
    except OSError as exc:   # the state file or a repair could not be written: a full disk, a read-only folder
        raise RenderError(f"cannot write {exc.filename or out}: {(exc.strerror or str(exc)).lower()}",
                          hint="free some space or check the output folder's permissions; the next run "
                               "repairs what this one left") from None
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _run(specs: list[Path], out: Path, *, workspace: Path | None, force: bool, jobs: int,
         formats: Sequence[str] | None, strict: bool, today: dt.date, emit: Callable[[RegenEvent], None],
         cache: Cache) -> RegenReport:
    report = RegenReport(out)
    emit(RegenEvent("plan", total=len(specs)))
    state = load_state(out)
    if state.problem:
        emit(RegenEvent("notice", message=state.problem))
    for warning in cache.take_warnings():
        emit(RegenEvent("notice", message=warning))
    planned = _hash_specs(specs, out, workspace, formats, report, emit, cache)
    editions.remove_temporaries(out)
    dirty = False
    for name, record in state.briefs.items():  # every interrupted brief, whether its spec is here or not
        if record.pending is not None:
            _repair(out / name, record, record.pending_formats, emit, name)
            dirty = True
    tasks: list[tuple[_Planned, EditionTask]] = []
    for item in planned:
        record = state.briefs.get(item.name) or _adopt(str(item.spec), item.folder)
        state.briefs[item.name] = record
        if not all(editions.latest_path(item.folder, f).is_file() for f in record.files):
            _repair(item.folder, record, item.formats, emit, item.name)
        else:
            editions.remove_temporaries(item.folder)
        changed = describe_changed(record.parts or None, item.parts)
        item.reason = _reason_to_build(item, record, changed, force)
        if not item.reason:
            report.outcomes.append(BriefOutcome(item.name, str(item.spec), "skipped", "unchanged", item.seconds,
                                                edition=record.edition))
            emit(RegenEvent("skipped", item.name, f"unchanged since edition {record.edition}"))
            continue
        record.pending = max([record.edition, *editions.editions_on_disk(item.folder)]) + 1
        record.pending_formats = list(item.formats)
        tasks.append((item, EditionTask(item.name, str(item.spec), str(workspace) if workspace else None,
                                        item.formats, str(item.folder), record.pending, today.isoformat(),
                                        record.snapshot or None, tuple(record.history), tuple(changed), force,
                                        strict, os.getpid(), cache.mode,
                                        str(cache.disk.path) if cache.disk is not None else None)))
    if tasks or dirty:
        save_state(out, state)  # the pending marks are on disk before any brief's file is touched
    _build_all(tasks, jobs, state, out, report, emit, cache)
    order = {str(p): i for i, p in enumerate(specs)}
    report.outcomes.sort(key=lambda o: order.get(o.spec, 0))
    return report


def _hash_specs(specs: list[Path], out: Path, workspace: Path | None, formats: Sequence[str] | None,
                report: RegenReport, emit: Callable[[RegenEvent], None], cache: Cache) -> list[_Planned]:
    """Load each spec and hash its inputs. A spec that cannot be read fails on its own; two specs
    writing the same brief are bad input for the whole run."""
    hasher = InputHasher(cache)
    planned: list[_Planned] = []
    owners: dict[str, Path] = {}
    loaded: dict[Path, BriefSpec | BriefgenError] = {}
    for spec_path in specs:
        try:
            loaded[spec_path] = load_spec(spec_path, cache)
        except BriefgenError as exc:
            loaded[spec_path] = exc
    # a YAML file a spec names as its own sources (``sources: sources.yaml``) is not a brief
    own_sources = {(path.parent / spec.sources).resolve() for path, spec in loaded.items()
                   if isinstance(spec, BriefSpec) and isinstance(spec.sources, str)}
    for spec_path in specs:
        if spec_path.resolve() in own_sources:
            continue
        start = time.perf_counter()
        try:
            spec = loaded[spec_path]
            if isinstance(spec, BriefgenError):
                raise spec
            fmts = tuple(dict.fromkeys(formats)) if formats else spec.formats
            inputs = hasher.inputs(spec, find_workspace(spec_path, workspace), fmts)
        except BriefgenError as exc:
            outcome = BriefOutcome(spec_path.stem, str(spec_path), "failed", f"{exc.kind}: {exc}",
                                   time.perf_counter() - start)
            report.outcomes.append(outcome)
            emit(RegenEvent("failed", outcome.name, outcome.reason))
            continue
        if spec.stem in owners:
            raise SpecError(f"writes the same brief '{spec.stem}' as {owners[spec.stem]}", file=spec_path,
                            hint="give one of them another file name or an 'output:' key")
        owners[spec.stem] = spec_path
        planned.append(_Planned(spec.stem, spec_path, out / spec.stem, fmts, inputs.parts, inputs.digest, "",
                                time.perf_counter() - start))
    return planned


def _reason_to_build(item: _Planned, record: BriefRecord, changed: list[str], force: bool) -> str:
    """Why the brief must be rebuilt, or "" when its last edition is up to date."""
    missing = [n for n in record.files.values() if not (item.folder / n).is_file()]
    if force:
        return "forced (--force)"
    if not record.edition:
        return "first edition"
    if missing:
        return f"edition file {missing[0]} is missing"
    if record.inputs != item.digest:
        return ("changed: " + ", ".join(changed)) if changed else "no record of its inputs"
    return ""


def _build_all(tasks: list[tuple[_Planned, EditionTask]], jobs: int, state: RegenState, out: Path,
               report: RegenReport, emit: Callable[[RegenEvent], None], cache: Cache) -> None:
    """Build each task (here, with ``cache``, or in ``jobs`` worker processes, each with a cache of
    the same mode of its own) and commit each as it finishes."""
    if jobs == 1 or len(tasks) <= 1:
        for item, task in tasks:
            emit(RegenEvent("building", item.name, item.reason))
            _commit(item, task, build_edition(task, cache), state, out, report, emit)
        return
    import multiprocessing   # here: a run with nothing to build starts no processes
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn"),
                             initializer=watch_run, initargs=(os.getpid(),)) as pool:
        futures = {}
        for item, task in tasks:
            emit(RegenEvent("building", item.name, item.reason))
            futures[pool.submit(build_edition, task)] = (item, task)
        for future in as_completed(futures):
            item, task = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:
                result = EditionResult(False, reason="its worker process died")
            except Exception as exc:  # e.g. a result that could not be sent back
                result = EditionResult(False, reason=f"internal error: {type(exc).__name__}: {exc}")
            _commit(item, task, result, state, out, report, emit)


def _commit(item: _Planned, task: EditionTask, result: EditionResult, state: RegenState, out: Path, report: RegenReport,
            emit: Callable[[RegenEvent], None]) -> None:
    """Record a built edition in the state file (the moment it counts as published), or undo
    whatever a failed one left behind."""
    record = state.briefs[item.name]
    seconds = item.seconds + result.seconds
    if result.ok and result.entry is not None:
        editions.checkpoint("before-commit")
        record.edition, record.date, record.files = task.number, task.date, result.files
        record.inputs, record.parts, record.snapshot = item.digest, item.parts, result.snapshot
        record.history.append(result.entry)
        record.pending, record.pending_formats, record.spec = None, [], str(item.spec)
        save_state(out, state, changed=[item.name])
        outcome = BriefOutcome(item.name, str(item.spec), "built", item.reason, seconds, task.number,
                               {f: str(item.folder / n) for f, n in result.files.items()},
                               {f: str(editions.latest_path(item.folder, f)) for f in result.files},
                               result.entry.changes, result.warnings, result.entry.text)
        emit(RegenEvent("built", item.name, f"edition {task.number}; {item.reason}"))
    else:
        _repair(item.folder, record, task.formats, name=item.name)
        save_state(out, state, changed=[item.name])
        kept = f"; edition {record.edition} kept" if record.edition else ""
        outcome = BriefOutcome(item.name, str(item.spec), "failed", result.reason + kept, seconds,
                               warnings=result.warnings)
        emit(RegenEvent("failed", item.name, outcome.reason))
    report.outcomes.append(outcome)
