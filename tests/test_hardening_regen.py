"""Hardening (issue 28) of scheduled regeneration: a damaged state file keeps the change history;
a full disk is one line naming the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.regen import regen
from briefgen.regen.state import STATE_FILE
from .conftest import regen_workspace

SPEC = """title: Brief on Russia
date: 2026-11-23
audience: analyst
length: 900 words
formats: [md]
modules:
  - overview
  - actor-russia
"""


def workspace(tmp_path: Path) -> Path:
    return regen_workspace(tmp_path / "ws", {"russia": SPEC})


def run(ws: Path, day: int = 23, **options):
    return regen([ws / "specs"], ws / "out", today=dt.date(2026, 11, day), **options)


def test_a_damaged_state_file_keeps_the_change_history(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    run(ws)
    actor = ws / "content" / "modules" / "actor-russia.md"
    actor.write_text(actor.read_text(encoding="utf-8").replace("key_facts:\n", "key_facts:\n  - A new fact.\n", 1),
                     encoding="utf-8")
    run(ws, 24)
    changes = ws / "out" / "russia" / "changes.md"
    before = changes.read_text(encoding="utf-8")
    assert "New key fact" in before and "First edition" in before
    for damage in ("{not json", '{"version": 1, "briefs": {"russia": 7}}'):
        (ws / "out" / STATE_FILE).write_text(damage, encoding="utf-8")
        report = run(ws, 25, force=True)
        assert [o.status for o in report.outcomes] == ["built"]
        after = changes.read_text(encoding="utf-8")
        # the new edition is added on top of the history, which is kept word for word
        assert before.split("## Edition", 1)[1] in after, after
        before = after
    assert after.count("First edition") == 1 and "New key fact" in after
    assert [line for line in after.splitlines() if line.startswith("## Edition")] == [
        "## Edition 4 (2026-11-25)", "## Edition 3 (2026-11-25)", "## Edition 2 (2026-11-24)",
        "## Edition 1 (2026-11-23)"]
    # an edition on disk that changes.md does not mention is listed, honestly, as not recorded
    changes.unlink()
    (ws / "out" / STATE_FILE).unlink()
    run(ws, 26, force=True)
    after = changes.read_text(encoding="utf-8")
    assert "## Edition 4 (2026-11-25)" in after and "not recorded" in after


def test_a_full_disk_in_regen_is_one_line_naming_the_file_not_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    from typer.testing import CliRunner

    from briefgen import publish
    from briefgen.cli import app

    ws = workspace(tmp_path)
    assert CliRunner().invoke(app, ["regen", str(ws / "specs"), "--out", str(ws / "out")]).exit_code == 0
    (ws / "specs" / "russia.yaml").write_text(SPEC.replace("Brief on Russia", "Brief on Moscow"), encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish.os, "fsync", full)
    result = CliRunner().invoke(app, ["regen", str(ws / "specs"), "--out", str(ws / "out")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    failure = [line for line in lines if "no space left on device" in line]
    assert failure and all("internal error" not in line and "Errno" not in line for line in lines), result.output
    assert all(".tmp" not in line and ("2026-" in line or "russia" in line or ".json" in line) for line in failure), lines
