"""``briefgen watch``: rebuild a brief whenever one of its inputs changes (live preview while editing).

``watch_inputs`` is the loop itself (watchdog on the spec's folder, content, templates and themes,
bursts of changes debounced into one call); ``watch_and_build`` writes files from it, and
``briefgen preview`` (``preview.py``) serves the HTML brief from it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable

from .cache import Cache
from .errors import BriefgenError
from .request import BuildRequest
from .gcpolicy import after_brief
from .workspace import find_workspace

__all__ = ["watch_and_build", "watch_inputs"]


def watch_inputs(spec: Path, workspace: Path | None, on_change: Callable[[], None], *,
                 stop: threading.Event, debounce: float = 0.3, ignore: Path | None = None,
                 started: Callable[[Path], None] | None = None) -> None:
    """Call ``on_change`` once, then again after each burst of changes to the spec's folder, the
    content, templates or themes, until ``stop`` is set. ``ignore``: a folder whose changes are our
    own output; ``started`` is told the workspace root once watching has begun."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    ws = find_workspace(spec, workspace)
    changed = threading.Event()
    ignored = ignore.resolve() if ignore is not None else None

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # noqa: ANN001
            if event.event_type in ("opened", "closed_no_write"):
                return  # a read (the build's own, among others), not a change
            if event.is_directory and event.event_type == "modified":
                return  # a folder's own time changed: the change itself comes as its own event
            for raw in (event.src_path, getattr(event, "dest_path", "") or event.src_path):
                path = Path(str(raw)).resolve()
                if not ((ignored is not None and (path == ignored or ignored in path.parents))
                        or path.name.startswith(".") or path.suffix == ".tmp"):
                    changed.set()   # not our own output, nor an editor's swap file
                    return

    observer = Observer()
    handler = Handler()
    for folder in (ws.content, ws.templates_dir, ws.themes_dir, spec.resolve().parent):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    try:
        on_change()
        if started is not None:
            started(ws.root)
        while not stop.is_set():
            if changed.wait(0.2):
                time.sleep(debounce)
                changed.clear()
                on_change()
    finally:
        observer.stop()
        observer.join()


def watch_and_build(spec: Path, request: BuildRequest | None = None, *, report: Callable[[str], None],
                    warn: Callable, error: Callable[[BriefgenError], None], stop: threading.Event | None = None,
                    debounce: float = 0.3, cache: Cache | None = None, **options: Any) -> None:
    """Build once, then again after each burst of changes to the spec, content, templates or themes.
    ``request`` (or the same as keyword ``options``) is ``build``'s. Errors are reported and
    watching goes on, so a typo mid-edit does not end the session. One ``cache`` (default: the
    user's) serves every rebuild: an unchanged file is not read again."""
    from .pipeline import build, request_of

    request = request_of(request, options)
    cache = cache if cache is not None else Cache.for_user()

    def rebuild() -> None:
        try:
            result = build(spec, request, cache=cache)
            warn(result.warnings)
            report(f"built {', '.join(str(p) for p in result.outputs.values())}")
        except BriefgenError as exc:
            error(exc)
        after_brief()

    watch_inputs(spec, request.workspace, rebuild, stop=stop or threading.Event(), debounce=debounce,
                 ignore=request.out_dir,
                 started=lambda root: report(f"watching {spec} and {root} (Ctrl-C to stop)"))
