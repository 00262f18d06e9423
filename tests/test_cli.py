"""The command line, in-process with typer's CliRunner: listing, checking, starting a spec, overrides."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import briefgen
from briefgen.cli import app

REPO = Path(__file__).resolve().parent.parent

runner = CliRunner()


def test_modules_json_lists_every_module_with_its_variant_lengths(fixture_ws: Path) -> None:
    result = runner.invoke(app, ["modules", "--json", "--workspace", str(fixture_ws)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["alpha", "beta"]
    assert set(rows[0]["words"]) == {"summary", "brief", "standard", "extended"}
    assert rows[1]["sensitivity"] == "official"


def test_sources_lists_bibliography_entries(fixture_ws: Path) -> None:
    result = runner.invoke(app, ["sources", "--workspace", str(fixture_ws)])
    assert result.exit_code == 0
    assert "Smith, Jane, and Rauf Aliyev. “Ceasefires in the South Caucasus: A Study.”" in result.output
    data = json.loads(runner.invoke(app, ["sources", "--json", "--workspace", str(fixture_ws)]).output)
    assert data[2]["cited_in"] == "smith-2020"


def test_check_warns_of_an_unused_source_and_strict_makes_it_fatal(fixture_ws: Path) -> None:
    ok = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
    assert ok.exit_code == 0, ok.output
    assert "not cited by any module" not in ok.output
    with (fixture_ws / "content" / "sources.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- id: unused-2020\n  title: Never cited\n")
    lenient = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
    assert lenient.exit_code == 0
    assert "source 'unused-2020' is not cited by any module" in lenient.output
    strict = runner.invoke(app, ["check", "--strict", "--workspace", str(fixture_ws)])
    assert strict.exit_code == 1


def test_check_reports_stale_modules_and_bad_dates(fixture_ws: Path) -> None:
    module = fixture_ws / "content" / "modules" / "beta.md"
    module.write_text(module.read_text(encoding="utf-8").replace("reviewed: 2026-11-01", "reviewed: 2019-01-01"),
                      encoding="utf-8")
    result = runner.invoke(app, ["check", "--workspace", str(fixture_ws), "--max-age", "30"])
    assert "module 'beta' was last reviewed" in result.output
    module.write_text(module.read_text(encoding="utf-8").replace("reviewed: 2019-01-01", "reviewed: 2019-13-01"),
                      encoding="utf-8")
    result = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
    assert result.exit_code == 1
    assert "beta.md:8: invalid value: month must be in 1..12" in result.output


def test_new_writes_a_starter_spec_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    result = runner.invoke(app, ["new", str(target)])
    assert result.exit_code == 0
    spec = briefgen.load_spec(target)
    assert spec.audience == "minister" and spec.modules[0].emphasis == "high"
    again = runner.invoke(app, ["new", str(target)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_audience_and_length_overrides_beat_the_spec(fixture_ws: Path) -> None:
    spec = fixture_ws / "s.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\naudience: minister\nlength: 2 pages\nformats: [md]\n"
                    "modules: [alpha, beta]\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(spec), "-o", str(fixture_ws / "out"), "--audience", "press",
                                 "--length", "60 words"])
    assert result.exit_code == 0, result.output
    text = (fixture_ws / "out" / "s.md").read_text(encoding="utf-8")
    assert 'doc-type: "Lines to take"' in text
    assert "left out: its sensitivity 'official'" in result.output  # beta is not for the press


def test_workspace_is_found_from_the_spec_location(fixture_ws: Path, monkeypatch) -> None:
    (fixture_ws / "specs").mkdir()
    spec = fixture_ws / "specs" / "deep.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\nformats: [md]\nmodules: [alpha]\n", encoding="utf-8")
    monkeypatch.chdir("/")
    result = runner.invoke(app, ["build", str(spec), "-o", str(fixture_ws / "o")])
    assert result.exit_code == 0, result.output
    assert (fixture_ws / "o" / "deep.md").exists()


def test_explain_prints_the_plan(fixture_ws: Path) -> None:
    spec = fixture_ws / "s.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\nformats: [md]\nlength: 120 words\n"
                    "modules: [{id: alpha, emphasis: high}, {id: beta, variant: summary}]\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(spec), "-o", str(fixture_ws / "o"), "--explain"])
    assert result.exit_code == 0, result.output
    assert "alpha                    high" in result.output
    assert "beta                     normal   summary" in result.output and "(forced)" in result.output


def test_templates_list_and_new(fixture_ws: Path) -> None:
    listed = runner.invoke(app, ["templates", "list", "--workspace", str(fixture_ws)])
    assert [l.split()[0] for l in listed.output.splitlines()] == ["analyst", "minister", "press", "public"]
    made = runner.invoke(app, ["templates", "new", "ambassador", "--from", "minister", "--workspace", str(fixture_ws)])
    assert made.exit_code == 0, made.output
    assert (fixture_ws / "templates" / "ambassador" / "brief.md.j2").is_file()


def test_public_api_is_declared_and_importable() -> None:
    for name in briefgen.__all__:
        assert getattr(briefgen, name) is not None, name
    assert "build" in briefgen.__all__ and "BriefSpec" in briefgen.__all__


def test_build_and_regen_stay_functions_whichever_is_imported_first() -> None:
    """``briefgen/regen/`` shares the function's name: importing the pipeline and regen's
    submodules, in any order, must leave ``briefgen.build`` and ``briefgen.regen`` the functions."""
    import subprocess
    import sys

    code = ("import briefgen\nfrom briefgen.pipeline import prepare_brief\nimport briefgen.regen.state\n"
            "import briefgen.pipeline\nprint(callable(briefgen.build), callable(briefgen.regen), "
            "briefgen.build.__module__, briefgen.regen.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["True", "True", "briefgen.pipeline", "briefgen.regen.runner"]


def test_the_collector_policy_is_the_command_process_own_and_never_a_callers(tmp_path: Path) -> None:
    """`briefgen build` as its own process runs without the cycle collector; a caller that runs a
    command in its process (as these tests do) keeps its collector on, regen and watch included."""
    import gc
    import subprocess
    import sys

    from briefgen import gcpolicy

    for command in (["build", str(REPO / "examples" / "minister-one-page.yaml"), "-f", "md", "-o", str(tmp_path)],
                    ["regen", str(REPO / "examples" / "minister-one-page.yaml"), "-f", "md", "-o", str(tmp_path / "r")]):
        assert runner.invoke(app, command).exit_code == 0
        assert gc.isenabled() and not gcpolicy._state["long_running"] and gc.get_freeze_count() == 0
    code = ("import gc, briefgen.gcpolicy as g; g.one_shot(); print(gc.isenabled()); "
            "g.long_running(); g.after_brief(); print(gc.isenabled(), gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True"]
    # `briefgen build a.yaml b.yaml ...` builds many briefs in one process: it collects between them
    one = str(REPO / "examples" / "minister-one-page.yaml")
    two = str(REPO / "examples" / "press-lines.yaml")
    for specs, expected in (([one], ["False", "0"]), ([one, two], ["True", "1"])):
        code = ("import gc, briefgen.gcpolicy as g, briefgen.cli as c\ng.one_shot()\n"
                "try:\n"
                f"    c.main(['build', *{specs!r}, '-f', 'md', '-o', {str(tmp_path)!r}])\n"
                "except SystemExit:\n    pass\n"
                "print(gc.isenabled(), int(gc.get_freeze_count() > 0))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
        assert done.stdout.split()[-2:] == expected, done.stdout
    # the console command turns it off before its heaviest imports (typer, and pydantic with it)
    code = ("import gc, sys\nseen = {}\n"
            "class Spy:\n    def find_spec(self, name, path=None, target=None):\n"
            "        seen.setdefault(name, gc.isenabled())\n"
            "sys.meta_path.insert(0, Spy())\n"
            "import atexit; atexit.register(lambda: print('collector-on-at-import', seen['typer'], seen['pydantic']))\n"
            "sys.argv = ['briefgen', 'build', '--help']\nfrom briefgen.__main__ import entry\nentry()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split()[-3:] == ["collector-on-at-import", "False", "False"], done.stdout


def test_a_long_running_process_freezes_after_each_brief_and_still_frees_frozen_cycles() -> None:
    """``gcpolicy``: after each brief what is alive is frozen (collections stay cheap as caches grow);
    a cycle that becomes garbage while frozen is still freed within ``REFREEZE`` briefs."""
    import subprocess
    import sys

    code = """
import gc, weakref, briefgen.gcpolicy as g
g.long_running(own_process=True)
class Node: pass
a, b = Node(), Node(); a.other, b.other = b, a; alive = weakref.ref(a)
g.after_brief(); frozen_after_one = gc.get_freeze_count()
del a, b
g.after_brief(); still_there = alive() is not None
for _ in range(g.REFREEZE): g.after_brief()
print(frozen_after_one > 0, still_there, alive() is None, gc.get_freeze_count() > 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["True", "True", "True", "True"]


def test_a_regen_worker_builds_without_the_collector_and_collects_after_each_brief() -> None:
    """regen's worker processes (started with ``watch_run``) only build briefs: the collector is off
    while one is built and what a brief left in cycles is freed after it; what the imports and the
    first brief left is frozen and freed at the first full collection (``REFREEZE`` briefs on)."""
    import subprocess
    import sys

    code = """
import gc, os, weakref
from briefgen.regen.worker import watch_run
import briefgen.gcpolicy as g
watch_run(os.getppid())
class Node: pass
def cycle():
    a, b = Node(), Node(); a.other, b.other = b, a
    return weakref.ref(a)
first = cycle()
g.after_brief()
second = cycle()
print(gc.isenabled(), first() is not None, second() is not None)
g.after_brief()
print(first() is not None, second() is None)
for _ in range(g.REFREEZE): g.after_brief()
print(first() is None)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["False", "True", "True", "True", "True", "True"]


def test_the_briefgen_process_ends_with_its_status_and_all_its_output(tmp_path: Path) -> None:
    """The console command skips the interpreter's teardown (``fastexit``): what it printed and wrote
    is all there, its exit status is the command's, and ``atexit`` handlers still run."""
    import subprocess
    import sys

    spec = REPO / "examples" / "minister-one-page.yaml"
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", str(spec), "-f", "md,docx", "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "minister-one-page.md"), str(tmp_path / "minister-one-page.docx")]
    assert (tmp_path / "minister-one-page.md").read_text(encoding="utf-8").startswith("---")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", str(bad), "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "bad.yaml:2" in done.stderr and "Traceback" not in done.stderr
    # atexit handlers run; a thread still alive means the ordinary exit, which joins it
    for thread, expected in (("", "atexit ran"), ("threading.Thread(target=time.sleep, args=(0.2,)).start(); ",
                                                  "atexit ran")):
        code = ("import atexit, threading, time; from briefgen.fastexit import leave; "
                f"atexit.register(print, 'atexit ran'); {thread}leave(3)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
        assert (done.returncode, done.stdout.strip()) == (3, expected)
    code = "from briefgen.fastexit import leave; leave('stopped: a message')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert (done.returncode, done.stderr.strip()) == (1, "stopped: a message")


def test_the_console_command_s_module_loads_no_cli_until_run() -> None:
    """regen's workers are spawned: each imports the ``briefgen`` script again, which imports the
    entry point's module. That module must not pull in typer (memory and start-up of every worker)."""
    import subprocess
    import sys
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="briefgen")
    module, _, func = script.value.partition(":")
    code = f"import sys, {module}; print(callable({module}.{func}), 'typer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]


def test_every_command_explains_every_option() -> None:
    # `briefgen X --help` is the user's manual: an option listed with no words is a guess for them.
    from typer.main import get_command

    def commands(cmd, path: str = "briefgen"):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from commands(sub, f"{path} {name}")

    bare = [f"{path} {param.name}" for path, cmd in commands(get_command(app)) for param in cmd.params
            if not (getattr(param, "help", None) or "").strip()]
    assert bare == []


def test_a_listing_piped_into_head_ends_quietly() -> None:
    # `briefgen modules | head -1` is ordinary use: the closed pipe is not an error to report.
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "modules"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    proc.stdout.close()     # the reader has gone before the first line: every write meets a closed pipe
    err = proc.stderr.read()
    assert proc.wait() != 0 and err == ""
