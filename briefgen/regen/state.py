"""The state file (``DIR/.briefgen-regen.json``): what was last published for each brief.

For every brief it records the committed edition (number, date, files), the input hashes it was
built from, the snapshot the next change summary compares with, and the change history behind
``changes.md``. A brief being written is marked ``pending`` first (saved before any file is
touched), so a run killed at any moment is noticed and repaired by the next one.

The file is JSON with one line per brief, replaced atomically. A run saves it after every brief it
commits, so each record's line is kept, as UTF-8, and only the records that changed are encoded again
(encoding every record on every save made a batch of n briefs cost O(n²) in encoding; what is left is
writing the file, a millisecond or two for 100 briefs). A missing or unreadable state
file means "nothing known" (every brief is rebuilt and numbered after the editions found on disk), never a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..publish import write_atomic

__all__ = ["STATE_FILE", "BriefRecord", "HistoryEntry", "RegenState", "load_state", "save_state"]

STATE_FILE = ".briefgen-regen.json"
_VERSION = 1


@dataclass
class HistoryEntry:
    """One published edition and what changed in it (the lines of ``changes.md``)."""
    edition: int
    date: str
    changes: list[str] = field(default_factory=list)   # modules, sources, key facts (as in the brief)
    other: list[str] = field(default_factory=list)     # spec, template, theme, fonts, version
    status: str = "final"                              # the edition's status: draft or final
    marking: str = ""                                  # its banner, as printed
    text: dict[str, Any] | None = None                 # sentences changed (compare.TextChanges as data)
    raw: str = ""              # the edition's section of changes.md, read back when the state file was lost


@dataclass
class BriefRecord:
    """What is known about one brief's output folder."""
    spec: str = ""
    edition: int = 0                      # last committed edition; 0: none yet
    date: str = ""
    files: dict[str, str] = field(default_factory=dict)   # format -> edition file name
    inputs: str = ""                      # digest of the inputs of the committed edition
    parts: dict[str, str] = field(default_factory=dict)
    snapshot: dict[str, Any] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    pending: int | None = None            # an edition being written; set means "maybe interrupted"
    pending_formats: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BriefRecord":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["history"] = [HistoryEntry(**h) for h in known.get("history", [])]
        return cls(**known)

    def to_json(self) -> str:
        data = dict(vars(self))
        data["history"] = [vars(h) for h in self.history]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass
class RegenState:
    briefs: dict[str, BriefRecord] = field(default_factory=dict)
    problem: str = ""                     # why an existing state file was ignored, if it was
    encoded: dict[str, bytes] = field(default_factory=dict, repr=False)  # name -> its line as last saved


def load_state(out_dir: Path) -> RegenState:
    path = out_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RegenState()
    except (OSError, ValueError) as exc:
        return RegenState(problem=f"{path}: unreadable state file ignored ({exc}); every brief will be rebuilt")
    try:
        if data.get("version") != _VERSION:
            raise ValueError(f"state version {data.get('version')!r}, expected {_VERSION}")
        briefs = {name: BriefRecord.from_json(rec) for name, rec in data["briefs"].items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return RegenState(problem=f"{path}: unusable state file ignored ({exc}); every brief will be rebuilt")
    return RegenState(briefs)


def save_state(out_dir: Path, state: RegenState, changed: Iterable[str] | None = None) -> None:
    """Write the state file. ``changed``: the only records altered since the last save (None: any)."""
    fresh = set(state.briefs) if changed is None else set(changed)
    for name in list(state.encoded):
        if name not in state.briefs:
            del state.encoded[name]
    for name, record in state.briefs.items():
        if name in fresh or name not in state.encoded:
            state.encoded[name] = f"  {json.dumps(name, ensure_ascii=False)}: {record.to_json()}".encode("utf-8")
    lines = [state.encoded[name] for name in sorted(state.briefs)]
    head = f'{{"version": {_VERSION}, "briefs": {{\n'.encode()
    write_atomic(out_dir / STATE_FILE, head + b",\n".join(lines) + b"\n}}\n")
