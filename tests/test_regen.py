"""Scheduled regeneration (`briefgen regen`): only changed briefs are rebuilt, as numbered editions,
and no failure, overlap or SIGKILL ever loses or corrupts the last edition.

Every test works on a copy of the content library, templates and themes in a temporary folder, with
small specs of its own (Markdown output, word budgets). Interrupted and overlapping runs are real
subprocesses stopped at a named point by the fault-injection hook in ``briefgen.regen.editions``
(``BRIEFGEN_REGEN_PAUSE_AT``): no sleeps, no timing asserts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import RenderError
from briefgen.regen import regen
from briefgen.regen.state import STATE_FILE, BriefRecord, HistoryEntry, RegenState, load_state, save_state
from .conftest import regen_workspace

REPO = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 23)
EDITION = re.compile(r"^\d{4}-\d{2}-\d{2}-e\d+\.md$")

SPECS = {
    # two briefs share `overview`; only one uses `actor-russia`, only the other `actor-turkey`
    "russia": ["overview", "actor-russia"],
    "turkey": ["overview", "actor-turkey"],
    "timeline": ["timeline"],
}


def spec_text(title: str, modules: list[str]) -> str:
    lines = [f"title: {title}", "date: 2026-11-23", "audience: analyst", "length: 900 words", "formats: [md]",
             "modules:"] + [f"  - {m}" for m in modules]
    return "\n".join(lines) + "\n"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace copy with three specs in ws/specs/."""
    return regen_workspace(tmp_path / "ws", {name: spec_text(f"Brief on {name}", modules)
                                             for name, modules in SPECS.items()})


def run(ws: Path, **options):
    options.setdefault("today", DAY)
    return regen([ws / "specs"], ws / "out", **options)


def status(report) -> dict[str, str]:
    return {o.name: o.status for o in report.outcomes}


def outcome(report, name: str):
    return next(o for o in report.outcomes if o.name == name)


def files(folder: Path) -> dict[str, bytes]:
    """Every file in a brief's folder (lock files aside), with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.endswith(".lock")}


def edit_module(ws: Path, module: str, old: str, new: str) -> None:
    path = ws / "content" / "modules" / f"{module}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {module}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_key_fact(ws: Path, module: str, fact: str) -> None:
    edit_module(ws, module, "key_facts:\n", f"key_facts:\n  - {fact}\n")


# ---- what is rebuilt ----------------------------------------------------------------------------

def test_first_run_writes_edition_1_latest_and_changes_then_a_second_run_skips_everything(ws: Path) -> None:
    first = run(ws)
    assert status(first) == {"russia": "built", "turkey": "built", "timeline": "built"}
    folder = ws / "out" / "russia"
    assert sorted(files(folder)) == ["2026-11-23-e1.md", "changes.md", "latest.md"]
    assert (folder / "latest.md").read_bytes() == (folder / "2026-11-23-e1.md").read_bytes()
    assert "What changed" not in (folder / "latest.md").read_text(encoding="utf-8")
    assert "## Edition 1 (2026-11-23)" in (folder / "changes.md").read_text(encoding="utf-8")

    before = {name: files(ws / "out" / name) for name in SPECS}
    state = (ws / "out" / STATE_FILE).read_bytes()
    second = run(ws)
    assert status(second) == {"russia": "skipped", "turkey": "skipped", "timeline": "skipped"}
    assert all(o.reason == "unchanged" and o.edition == 1 for o in second.outcomes)
    assert {name: files(ws / "out" / name) for name in SPECS} == before
    assert (ws / "out" / STATE_FILE).read_bytes() == state


def test_changing_a_module_rebuilds_only_the_briefs_that_use_it(ws: Path) -> None:
    run(ws)
    edition_1 = (ws / "out" / "russia" / "2026-11-23-e1.md").read_bytes()
    add_key_fact(ws, "actor-russia", "Russia kept its base at Gyumri [@ieee-nk-2021, 462].")

    report = run(ws)
    assert status(report) == {"russia": "built", "turkey": "skipped", "timeline": "skipped"}
    russia = outcome(report, "russia")
    assert russia.edition == 2 and russia.reason == "changed: module actor-russia"
    assert russia.changes == ["New key fact (Position of Russia): Russia kept its base at Gyumri "
                              "[@ieee-nk-2021, 462]. (`actor-russia`)"]
    folder = ws / "out" / "russia"
    assert sorted(files(folder)) == ["2026-11-23-e1.md", "2026-11-23-e2.md", "changes.md", "latest.md"]
    assert (folder / "2026-11-23-e1.md").read_bytes() == edition_1
    latest = (folder / "latest.md").read_text(encoding="utf-8")
    assert latest == (folder / "2026-11-23-e2.md").read_text(encoding="utf-8")
    latest = latest.replace("\u00a0", " ")     # a box title's last two words are joined (nobreak)
    box = latest.split("What changed since the last edition", 1)[1].split(":::", 1)[0]
    assert "New key fact (Position of Russia): Russia kept its base at Gyumri.[^" in box
    changes = (folder / "changes.md").read_text(encoding="utf-8")
    assert changes.index("## Edition 2") < changes.index("## Edition 1")
    assert sorted(files(ws / "out" / "turkey")) == ["2026-11-23-e1.md", "changes.md", "latest.md"]


def test_the_change_summary_names_updated_modules_withdrawn_facts_and_revised_sources(ws: Path) -> None:
    run(ws)
    edit_module(ws, "overview", "\n## summary\n", "\n## summary\n\nA new opening sentence.\n")
    edit_module(ws, "actor-turkey", "key_facts:\n  - ", "key_facts:\n  - REMOVED ")
    sources = ws / "content" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        '  short-title: "Russia and Turkey in Nagorno-Karabakh"', '  short-title: "Russia and Turkey"', 1),
        encoding="utf-8")

    report = run(ws)
    assert status(report) == {"russia": "built", "turkey": "built", "timeline": "built"}
    turkey = outcome(report, "turkey")
    lines = "\n".join(turkey.changes)
    assert "updated. (`overview`)" in lines
    assert re.search(r"New key fact \(Position of Turkey\): REMOVED .*\(`actor-turkey`\)", lines)
    assert re.search(r"Key fact withdrawn \(Position of Turkey\): [^@]*\(`actor-turkey`\)", lines)
    assert "Source details revised: Russia and Turkey. (`ieee-nk-2021`)" in lines

    # sources.yaml is an input of every brief: a source none of them cites rebuilds them all, and
    # each says that nothing it shows changed (and shows no box)
    with sources.open("a", encoding="utf-8") as fh:
        fh.write("\n- id: unused-2026\n  title: A source nobody cites\n")
    report = run(ws)
    assert {(o.status, o.reason, tuple(o.changes)) for o in report.outcomes} == {("built", "changed: sources", ())}
    timeline = ws / "out" / "timeline"
    latest_entry = (timeline / "changes.md").read_text(encoding="utf-8").split("## Edition 2")[0]
    assert "## Edition 3" in latest_entry
    assert "- No change to the modules, sources or key facts of this brief." in latest_entry
    assert "What changed" not in (timeline / "latest.md").read_text(encoding="utf-8")


def test_force_rebuilds_every_brief_and_says_why(ws: Path) -> None:
    run(ws)
    report = run(ws, force=True)
    assert status(report) == {"russia": "built", "turkey": "built", "timeline": "built"}
    assert {o.edition for o in report.outcomes} == {2}
    changes = (ws / "out" / "timeline" / "changes.md").read_text(encoding="utf-8")
    assert "a rebuild was forced" in changes


def test_a_changed_template_theme_or_spec_is_a_reason_to_rebuild(ws: Path) -> None:
    run(ws)
    with (ws / "templates" / "analyst" / "profile.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment is enough\n")
    report = run(ws)
    assert {o.reason for o in report.outcomes} == {"changed: template analyst"}
    (ws / "specs" / "timeline.yaml").write_text(spec_text("Renamed", ["timeline"]), encoding="utf-8")
    assert status(run(ws)) == {"russia": "skipped", "turkey": "skipped", "timeline": "built"}


# ---- failures -----------------------------------------------------------------------------------

def test_a_failing_spec_does_not_stop_the_others_and_keeps_its_edition(ws: Path) -> None:
    run(ws)
    kept = files(ws / "out" / "russia")
    (ws / "specs" / "russia.yaml").write_text(spec_text("Broken", ["overview", "actor-rusia"]), encoding="utf-8")
    edit_module(ws, "overview", "\n## summary\n", "\n## summary\n\nNews.\n")

    report = run(ws)
    assert status(report) == {"russia": "failed", "turkey": "built", "timeline": "skipped"}
    failed = outcome(report, "russia")
    assert "unknown module 'actor-rusia'" in failed.reason and "edition 1 kept" in failed.reason
    assert report.exit_code == 1
    assert files(ws / "out" / "russia") == kept


def test_strict_turns_a_warning_into_a_failure_that_keeps_the_edition(ws: Path) -> None:
    run(ws)
    kept = files(ws / "out" / "timeline")
    # `overview` is official: a public brief leaves it out, with a warning
    (ws / "specs" / "timeline.yaml").write_text(spec_text("Public", ["timeline", "overview"]).replace(
        "audience: analyst", "audience: public"), encoding="utf-8")
    report = run(ws, strict=True)
    assert status(report)["timeline"] == "failed"
    assert "--strict" in outcome(report, "timeline").reason
    assert files(ws / "out" / "timeline") == kept
    lenient = run(ws)
    assert status(lenient)["timeline"] == "built"
    assert any("left out" in w for w in outcome(lenient, "timeline").warnings)


def test_a_writer_failure_leaves_no_new_file_and_the_previous_latest(ws: Path, monkeypatch) -> None:
    from briefgen.regen import editions

    run(ws)
    kept = files(ws / "out" / "russia")
    real = editions.get_writer

    def failing_for_russia(fmt: str):
        writer = real(fmt)

        def write(doc, theme, stream):
            writer(doc, theme, stream)          # half the work done, in the temporary file
            if "russia" in doc.meta.title:
                raise RenderError("the page cannot be laid out")
        return write

    monkeypatch.setattr(editions, "get_writer", failing_for_russia)
    report = run(ws, force=True)
    assert status(report) == {"russia": "failed", "turkey": "built", "timeline": "built"}
    assert "render error: the page cannot be laid out" in outcome(report, "russia").reason
    assert files(ws / "out" / "russia") == kept              # no e2, no temporary file, same latest
    monkeypatch.undo()
    assert status(run(ws))["russia"] == "skipped"             # its inputs are those of edition 1
    again = run(ws, force=True)
    assert status(again)["russia"] == "built" and outcome(again, "russia").edition == 2


def test_each_file_is_on_disk_before_its_rename_and_the_folder_before_the_commit(ws: Path, monkeypatch) -> None:
    """What a power cut may leave: every file of an edition (editions, latest, changes.md) is
    synced before it gets its final name, and the brief's folder is synced once, after its last
    rename and before the state file records the edition."""
    from briefgen import publish

    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_dir = os.fsync, os.replace, publish.fsync_dir
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("sync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                 real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda src, dst: (events.append(("rename", str(src), str(dst))),
                                                         real_replace(src, dst))[1])
    monkeypatch.setattr(publish, "fsync_dir", lambda folder: (events.append(("folder", str(folder))),
                                                              real_dir(folder))[1])
    edit_spec = ws / "specs" / "russia.yaml"
    run(ws)
    edit_spec.write_text(spec_text("Brief on Moscow", SPECS["russia"]), encoding="utf-8")
    events.clear()
    assert status(run(ws))["russia"] == "built"

    folder = str(ws / "out" / "russia")
    renames = [i for i, e in enumerate(events) if e[0] == "rename" and os.path.dirname(e[2]) == folder]
    finals = sorted(os.path.basename(events[i][2]) for i in renames)
    assert finals == sorted(["2026-11-23-e2.md", "latest.md", "changes.md"])
    for i in renames:
        assert ("sync", events[i][1]) in events[:i], events[i]
    synced = [i for i, e in enumerate(events) if e == ("folder", folder)]
    state = max(i for i, e in enumerate(events) if e[0] == "rename" and e[2].endswith(STATE_FILE))
    assert len(synced) == 1 and max(renames) < synced[0] < state

def test_a_run_resolves_each_named_input_once_however_many_briefs_name_it(ws: Path, monkeypatch) -> None:
    """Hashing checks that a named module, template or theme lies inside the workspace once per run
    (both paths resolved: most of the time an unchanged brief takes), not once per brief."""
    from briefgen.regen import inputs

    seen: list[tuple[Path, str]] = []
    real = inputs._within
    monkeypatch.setattr(inputs, "_within", lambda folder, name: (seen.append((folder, name)), real(folder, name))[1])
    assert set(status(run(ws)).values()) == {"built"}
    assert seen.count((ws / "content" / "modules", "overview.md")) == 1     # russia and turkey both use it
    assert len(seen) == len(set(seen))


def test_a_lost_state_file_never_costs_an_edition(ws: Path) -> None:
    run(ws)
    (ws / "out" / STATE_FILE).unlink()
    report = run(ws)
    assert all(o.status == "built" and o.edition == 2 for o in report.outcomes)
    assert sorted(files(ws / "out" / "russia")) == ["2026-11-23-e1.md", "2026-11-23-e2.md", "changes.md",
                                                    "latest.md"]
    (ws / "out" / STATE_FILE).write_text("{not json", encoding="utf-8")
    events = []
    report = run(ws, on_event=events.append)
    assert {o.edition for o in report.outcomes} == {3}
    assert any(e.kind == "notice" and "unreadable state file" in e.message for e in events)


def test_the_state_file_saves_each_commit_by_re_encoding_only_that_brief(tmp_path: Path) -> None:
    state = RegenState({"a": BriefRecord(spec="a.yaml", edition=1), "b": BriefRecord(spec="b.yaml", edition=1)})
    save_state(tmp_path, state)
    state.briefs["a"].edition = 2
    state.briefs["a"].history.append(HistoryEntry(2, "2026-11-23", ["Module 'overview' updated"]))
    state.briefs["b"].edition = 9          # not declared changed: the save keeps b as last saved
    state.briefs["c"] = BriefRecord(spec="c.yaml")   # new records are always written
    save_state(tmp_path, state, changed=["a"])
    loaded = load_state(tmp_path)
    assert {n: r.edition for n, r in loaded.briefs.items()} == {"a": 2, "b": 1, "c": 0}
    assert loaded.briefs["a"].history[0].changes == ["Module 'overview' updated"]
    del state.briefs["c"]
    save_state(tmp_path, state)            # a full save re-encodes all and drops removed records
    assert {n: r.edition for n, r in load_state(tmp_path).briefs.items()} == {"a": 2, "b": 9}


def test_a_deleted_latest_is_restored_without_a_new_edition(ws: Path) -> None:
    run(ws)
    (ws / "out" / "timeline" / "latest.md").unlink()
    events = []
    report = run(ws, on_event=events.append)
    assert status(report)["timeline"] == "skipped"
    assert (ws / "out" / "timeline" / "latest.md").read_bytes() == \
        (ws / "out" / "timeline" / "2026-11-23-e1.md").read_bytes()
    assert any(e.kind == "repaired" and e.name == "timeline" for e in events)


def test_jobs_build_in_worker_processes(ws: Path) -> None:
    report = run(ws, jobs=2)
    assert status(report) == {"russia": "built", "turkey": "built", "timeline": "built"}
    for name in SPECS:
        folder = ws / "out" / name
        assert (folder / "latest.md").read_bytes() == (folder / "2026-11-23-e1.md").read_bytes()
    add_key_fact(ws, "overview", "A fact [@ieee-nk-2021, 458].")
    assert status(run(ws, jobs=2)) == {"russia": "built", "turkey": "built", "timeline": "skipped"}


def test_the_weekly_update_example_regenerates(ws: Path) -> None:
    shutil.copy(REPO / "examples" / "weekly-update.yaml", ws / "weekly-update.yaml")
    report = regen([ws / "weekly-update.yaml"], ws / "out", formats=["md"], today=DAY)
    assert status(report) == {"weekly-update": "built"}, report.outcomes[0].reason
    assert (ws / "out" / "weekly-update" / "2026-11-23-e1.md").is_file()


# ---- the command line: report, exit codes -------------------------------------------------------

cli = CliRunner()


def test_json_report_and_exit_codes(ws: Path) -> None:
    out = str(ws / "out")
    first = cli.invoke(app, ["regen", str(ws / "specs"), "--out", out, "--json"])
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)                       # stdout holds only the report
    assert set(report) == {"out", "ok", "seconds", "built", "skipped", "failed"}
    assert report["ok"] is True and report["skipped"] == [] and report["failed"] == []
    built = {b["name"]: b for b in report["built"]}
    assert set(built) == set(SPECS)
    entry = built["russia"]
    assert set(entry) == {"name", "spec", "seconds", "reason", "edition", "files", "latest", "changes",
                          "text_changes", "warnings"}
    assert entry["edition"] == 1 and entry["reason"] == "first edition" and entry["changes"] == []
    assert entry["text_changes"] is None                    # nothing to compare a first edition with
    assert EDITION.match(Path(entry["files"]["md"]).name)
    assert entry["latest"] == {"md": str(ws / "out" / "russia" / "latest.md")}
    assert isinstance(entry["seconds"], float)
    assert "built" in first.stderr and "3 built, 0 skipped, 0 failed" in first.stderr

    (ws / "specs" / "timeline.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    second = cli.invoke(app, ["regen", str(ws / "specs"), "--out", out, "--json"])
    assert second.exit_code == 1
    report = json.loads(second.stdout)
    assert report["ok"] is False
    assert [s["name"] for s in report["skipped"]] == ["russia", "turkey"]
    assert report["skipped"][0]["reason"] == "unchanged" and report["skipped"][0]["edition"] == 1
    (failed,) = report["failed"]
    assert failed["name"] == "timeline" and "YAML syntax error" in failed["reason"]

    plain = cli.invoke(app, ["regen", str(ws / "specs" / "russia.yaml"), "--out", out, "--force"])
    assert plain.exit_code == 0
    assert plain.stdout.strip().endswith("-e2.md")          # without --json: the new edition files


@pytest.mark.parametrize("args, message", [
    (["no-such-folder"], "no such spec file or folder"),
    (["specs", "-f", "odt"], "unknown format 'odt'"),
    (["specs/russia.yaml", "specs/copy/russia.yaml"], "writes the same brief 'russia'"),
])
def test_bad_input_for_the_whole_run_exits_2(ws: Path, monkeypatch, args: list[str], message: str) -> None:
    (ws / "specs" / "copy").mkdir()
    shutil.copy(ws / "specs" / "russia.yaml", ws / "specs" / "copy" / "russia.yaml")
    monkeypatch.chdir(ws)
    result = cli.invoke(app, ["regen", *args, "--out", "out"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (ws / "out" / "russia").exists()


def test_missing_out_is_a_usage_error() -> None:
    assert cli.invoke(app, ["regen", "specs"]).exit_code == 2


# ---- overlapping and interrupted runs (subprocesses) --------------------------------------------

def start(ws: Path, *args: str, pause: str | None = None, marker: Path | None = None) -> subprocess.Popen:
    """`briefgen regen specs --out out` in a subprocess of its own session; stderr goes to a file."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("BRIEFGEN_REGEN_PAUSE_AT", None)
    if pause:
        env.update(BRIEFGEN_REGEN_PAUSE_AT=pause, BRIEFGEN_REGEN_PAUSE_FILE=str(marker))
    log = ws / f"stderr-{time.monotonic_ns()}.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "regen", "specs", "--out", "out", "--json", *args],
                                cwd=ws, env=env, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True)
    proc.stderr_log = log  # type: ignore[attr-defined]
    return proc


def wait_until(condition, what: str, proc: subprocess.Popen | None = None) -> None:
    """Poll until ``condition()``; a generous guard, not a timing assertion."""
    deadline = time.monotonic() + 120
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"process ended (exit {proc.returncode}) before {what}: "
                        f"{proc.stderr_log.read_text()}")  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def finish(proc: subprocess.Popen) -> tuple[int, dict]:
    stdout, _ = proc.communicate(timeout=300)
    return proc.returncode, json.loads(stdout)


def test_two_concurrent_runs_serialise(ws: Path) -> None:
    marker = ws / "paused"
    first = start(ws, pause="write-edition", marker=marker)
    wait_until(marker.exists, "the first run to start writing", first)   # it holds the lock, mid-write
    second = start(ws)
    wait_until(lambda: b"waiting" in second.stderr_log.read_bytes(), "the second run to wait", second)
    impatient = start(ws, "--wait", "0.2")                              # gives up: the folder is busy
    assert impatient.wait(timeout=300) == 1
    assert b"another run kept out locked for more than 0.2 s" in impatient.stderr_log.read_bytes()

    marker.unlink()                                                       # let the first run go on
    code_1, report_1 = finish(first)
    code_2, report_2 = finish(second)
    assert (code_1, code_2) == (0, 0)
    assert sorted(b["name"] for b in report_1["built"]) == sorted(SPECS)
    assert report_2["built"] == [] and sorted(s["name"] for s in report_2["skipped"]) == sorted(SPECS)
    for name in SPECS:
        assert [p.name[10:] for p in (ws / "out" / name).glob("*-e*.md")] == ["-e1.md"]


@pytest.mark.parametrize("point", ["write-edition", "after-edition", "write-latest", "before-commit"])
def test_a_run_killed_mid_write_leaves_the_last_edition_intact(ws: Path, point: str) -> None:
    code, _ = finish(start(ws))
    assert code == 0
    folder = ws / "out" / "russia"
    edition_1 = (folder / next(p.name for p in folder.glob("*-e1.md"))).read_bytes()
    old = files(folder)
    add_key_fact(ws, "actor-russia", "Russia kept its base at Gyumri [@ieee-nk-2021, 462].")

    marker = ws / "paused"
    victim = start(ws, pause=point, marker=marker)
    wait_until(marker.exists, f"the run to reach {point}", victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    after_kill = files(folder)

    # the last edition is intact, and nothing half-written sits under a final name
    assert after_kill[next(n for n in old if n.endswith("-e1.md"))] == edition_1
    finals = {n for n in after_kill if not n.startswith(".")}
    assert all(n.endswith(".tmp") for n in set(after_kill) - finals)

    code, report = finish(start(ws))                # the next run repairs and completes
    assert code == 0
    assert [b["name"] for b in report["built"]] == ["russia"]
    assert report["built"][0]["edition"] == 2
    done = files(folder)
    edition_2 = next(n for n in done if n.endswith("-e2.md"))
    assert sorted(done) == sorted([*old, edition_2])
    assert done["latest.md"] == done[edition_2]
    # whatever the kill left under a final name was a complete file: the old one or the new one
    for name in finals:
        assert after_kill[name] in (old.get(name), done.get(name)), name
    code, report = finish(start(ws))
    assert code == 0 and report["built"] == [] and len(report["skipped"]) == len(SPECS)


def test_an_interrupted_brief_is_repaired_even_if_its_spec_then_fails(ws: Path) -> None:
    code, _ = finish(start(ws))
    assert code == 0
    folder = ws / "out" / "russia"
    old = files(folder)
    add_key_fact(ws, "actor-russia", "Russia kept its base at Gyumri [@ieee-nk-2021, 462].")
    marker = ws / "paused"
    victim = start(ws, pause="before-commit", marker=marker)    # every file of edition 2 is in place
    wait_until(marker.exists, "the run to reach before-commit", victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    assert files(folder)["latest.md"] != old["latest.md"]
    (ws / "specs" / "russia.yaml").write_text("title: [unclosed\n", encoding="utf-8")

    code, report = finish(start(ws))
    assert code == 1 and [f["name"] for f in report["failed"]] == ["russia"]
    assert files(folder) == old                               # edition 2 undone, latest is edition 1 again


def test_a_killed_run_with_worker_processes_is_repaired_by_the_next(ws: Path) -> None:
    code, _ = finish(start(ws))
    assert code == 0
    old = {name: files(ws / "out" / name) for name in SPECS}
    add_key_fact(ws, "overview", "A fact [@ieee-nk-2021, 458].")         # russia and turkey change
    marker = ws / "paused"
    victim = start(ws, "--jobs", "2", pause="write-edition", marker=marker)
    wait_until(marker.exists, "a worker to start writing", victim)
    os.kill(victim.pid, signal.SIGKILL)          # the run only: its workers notice and end themselves
    victim.wait()
    marker.unlink()

    code, report = finish(start(ws))
    assert code == 0
    assert sorted(b["name"] for b in report["built"]) == ["russia", "turkey"]
    assert {b["edition"] for b in report["built"]} == {2}
    for name in ("russia", "turkey"):
        done = files(ws / "out" / name)
        edition_2 = next(n for n in done if n.endswith("-e2.md"))
        assert sorted(done) == sorted([*old[name], edition_2])
        assert done["latest.md"] == done[edition_2]
    assert files(ws / "out" / "timeline") == old["timeline"]


def test_editions_record_their_status_and_marking(ws: Path) -> None:
    spec = ws / "specs" / "timeline.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "status: draft\n", encoding="utf-8")
    run(ws)
    spec.write_text(spec.read_text(encoding="utf-8").replace("status: draft", "status: final"), encoding="utf-8")
    run(ws)
    history = load_state(ws / "out").briefs["timeline"].history
    assert [(h.status, h.marking) for h in history] == [("draft", "OFFICIAL"), ("final", "OFFICIAL")]
    changes = (ws / "out" / "timeline" / "changes.md").read_text(encoding="utf-8")
    assert "## Edition 1 (2026-11-23, draft)" in changes and "## Edition 2 (2026-11-23)\n" in changes
    assert "Marking: OFFICIAL." in changes
    assert "status: draft" in (ws / "out" / "timeline" / "2026-11-23-e1.md").read_text(encoding="utf-8")
