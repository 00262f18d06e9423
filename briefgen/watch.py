"""``briefgen watch``: rebuild a brief whenever one of its inputs changes (live preview while editing)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from .errors import BriefgenError
from .gcpolicy import after_brief
from .workspace import find_workspace

__all__ = ["watch_and_build"]


def watch_and_build(spec: Path, *, formats: str | None, out_dir: Path, workspace: Path | None,
                    report: Callable[[str], None], warn: Callable, error: Callable[[BriefgenError], None],
                    stop: threading.Event | None = None, debounce: float = 0.3) -> None:
    """Build once, then again after each burst of changes to the spec, content, templates or themes.
    Errors are reported and watching goes on, so a typo mid-edit does not end the session."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    from .build import build

    ws = find_workspace(spec, workspace)
    changed = threading.Event()
    stop = stop or threading.Event()
    out_resolved = out_dir.resolve()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # noqa: ANN001
            path = Path(str(event.src_path)).resolve()
            if out_resolved in path.parents or path.name.startswith(".") or path.suffix == ".tmp":
                return  # our own output, or an editor's swap file
            changed.set()

    def rebuild() -> None:
        try:
            result = build(spec, workspace=workspace, formats=formats, out_dir=out_dir)
            warn(result.warnings)
            report(f"built {', '.join(str(p) for p in result.outputs.values())}")
        except BriefgenError as exc:
            error(exc)
        after_brief()

    observer = Observer()
    handler = Handler()
    for folder in (ws.content, ws.templates_dir, ws.themes_dir, spec.resolve().parent):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    try:
        rebuild()
        report(f"watching {spec} and {ws.root} (Ctrl-C to stop)")
        while not stop.is_set():
            if changed.wait(0.2):
                time.sleep(debounce)
                changed.clear()
                rebuild()
    finally:
        observer.stop()
        observer.join()
