"""Showing a regen run: a rich progress bar on a terminal, plain log lines otherwise (cron mail,
journald). Both take ``RegenEvent``s from the runner and write to standard error; the CLI picks one."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TextIO

from .report import RegenEvent

__all__ = ["PlainProgress", "RichProgress", "progress_display"]

_FINISHED = ("built", "skipped", "failed")


def _line(event: RegenEvent) -> str:
    if event.kind == "plan":
        return f"{event.total} brief spec(s)"
    name = f"{event.name}: " if event.name else ""
    return f"{event.kind:<9} {name}{event.message}"


class PlainProgress:
    """One timestamped line per event, for logs."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def __enter__(self) -> "PlainProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()

    def __call__(self, event: RegenEvent) -> None:
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        self.stream.write(f"{stamp} {_line(event)}\n")
        self.stream.flush()


class RichProgress:
    """A progress bar over the briefs, with each finished brief logged above it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream or sys.stderr)
        self.progress = Progress(TextColumn("[bold]regen[/]"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.description}"),
                                 console=self.console, transient=True)
        self.task = None

    def __enter__(self) -> "RichProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, event: RegenEvent) -> None:
        style = {"built": "green", "failed": "bold red", "skipped": "dim", "repaired": "yellow",
                 "waiting": "yellow", "notice": "yellow"}.get(event.kind, "")
        if event.kind == "plan":
            self.task = self.progress.add_task("", total=event.total)
            return
        if event.kind == "building":
            if self.task is not None:
                self.progress.update(self.task, description=event.name)
            return
        from rich.text import Text

        self.console.print(Text(_line(event), style=style), highlight=False)
        if event.kind in _FINISHED and self.task is not None:
            self.progress.advance(self.task)


def progress_display(stream: TextIO | None = None) -> PlainProgress | RichProgress:
    """A rich bar when ``stream`` (default: standard error) is a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    return RichProgress(stream) if stream.isatty() else PlainProgress(stream)

