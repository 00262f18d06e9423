"""What a regen run reports: progress events as it goes, and a report at the end (``--json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = ["RegenEvent", "BriefOutcome", "RegenReport", "Status"]

Status = Literal["built", "skipped", "failed"]


@dataclass(frozen=True)
class RegenEvent:
    """Progress, for a display: ``plan`` (``total`` briefs), ``waiting`` (for the lock), ``building``,
    ``built``, ``skipped``, ``failed``, ``repaired`` (an interrupted run undone) or ``notice``."""
    kind: str
    name: str = ""
    message: str = ""
    total: int = 0


@dataclass
class BriefOutcome:
    """What happened to one brief in a run."""
    name: str
    spec: str
    status: Status
    reason: str
    seconds: float = 0.0
    edition: int | None = None
    files: dict[str, str] = field(default_factory=dict)     # format -> edition file
    latest: dict[str, str] = field(default_factory=dict)    # format -> latest file
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text_changes: dict[str, Any] | None = None                # sentences changed (compare.TextChanges)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "spec": self.spec, "seconds": round(self.seconds, 4),
                                "reason": self.reason}
        if self.edition is not None:
            data["edition"] = self.edition
        if self.status == "built":
            data.update(files=self.files, latest=self.latest, changes=self.changes, text_changes=self.text_changes)
        data["warnings"] = self.warnings
        return data


@dataclass
class RegenReport:
    out_dir: Path
    outcomes: list[BriefOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, status: Status) -> list[BriefOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        return not self.of("failed")

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out_dir), "ok": self.ok, "seconds": round(self.seconds, 4),
                **{status: [o.to_json() for o in self.of(status)] for status in ("built", "skipped", "failed")}}
