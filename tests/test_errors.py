"""Bad input: one clear line naming the file (and line), a hint, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

runner = CliRunner()

GOOD = """title: T
date: 2026-11-23
audience: minister
formats: [md]
modules:
  - alpha
  - beta
"""


def run_build(ws: Path, spec_text: str | bytes, name: str = "spec.yaml"):
    spec = ws / name
    spec.write_bytes(spec_text if isinstance(spec_text, bytes) else spec_text.encode("utf-8"))
    out = ws / "out"
    result = runner.invoke(app, ["build", str(spec), "--out", str(out)])
    return result, out


def one_line(result) -> str:
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


CASES = [
    ("yaml syntax", "title: [unclosed\nmodules: [alpha]\n", "spec.yaml:2:8: YAML syntax error"),
    ("a list", "- alpha\n- beta\n", "a brief spec is a mapping of keys"),
    ("empty", "", "found nothing (the file is empty)"),
    ("unknown key", GOOD + "colour: red\n", "spec.yaml:8: unknown key 'colour'"),
    ("unknown module", GOOD.replace("  - beta", "  - betta"), "spec.yaml:7: unknown module 'betta' (hint: did you mean 'beta'?)"),
    ("unknown audience", GOOD.replace("minister", "ministre"), "unknown audience 'ministre' (hint: did you mean 'minister'?)"),
    ("unknown template", GOOD + "template: nope\n", "unknown template 'nope'"),
    ("unknown format", GOOD.replace("[md]", "[md, odt]"), "spec.yaml:4: formats: unknown format 'odt'"),
    ("two pages", GOOD + "length: two pages\n", "'two pages' is not a length"),
    ("minus words", GOOD + "length: -1 words\n", "'-1 words' is not a length"),
    ("zero pages", GOOD + "length: 0 pages\n", "a length must be more than zero"),
    ("unknown theme", GOOD + "theme: gaudy\n", "unknown theme 'gaudy'"),
]


@pytest.mark.parametrize("text,expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_spec_gives_one_clear_line_and_exit_2(fixture_ws: Path, text: str, expected: str) -> None:
    result, out = run_build(fixture_ws, text)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert line.startswith("briefgen: ")
    assert expected in line
    assert not out.exists() or not any(out.iterdir())


def test_non_utf8_spec(fixture_ws: Path) -> None:
    result, _ = run_build(fixture_ws, GOOD.encode("utf-8") + "title2: caf\xe9\n".encode("latin-1"))
    assert result.exit_code == 2
    assert "spec.yaml:8: not valid UTF-8 (byte 0xe9)" in one_line(result)


def test_citation_of_unknown_source_names_module_file_and_line(fixture_ws: Path) -> None:
    module = fixture_ws / "content" / "modules" / "alpha.md"
    module.write_text(module.read_text(encoding="utf-8").replace("[@web-2020].\nErdoğan", "[@web-2021].\nErdoğan"),
                      encoding="utf-8")
    result, _ = run_build(fixture_ws, GOOD.replace("  - beta\n", "").replace("  - alpha", "  - {id: alpha, variant: brief}"))
    assert result.exit_code == 2
    line = one_line(result)
    assert "alpha.md:30:" in line and "unknown source '@web-2021'" in line and "did you mean 'web-2020'" in line


def test_module_without_front_matter(fixture_ws: Path) -> None:
    (fixture_ws / "content" / "modules" / "gamma.md").write_text("## summary\n\nText.\n", encoding="utf-8")
    result, _ = run_build(fixture_ws, GOOD + "  - gamma\n")
    assert result.exit_code == 2
    assert "gamma.md:1: no YAML front matter" in one_line(result)


def test_module_missing_a_variant(fixture_ws: Path) -> None:
    module = fixture_ws / "content" / "modules" / "beta.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text[: text.index("## extended")], encoding="utf-8")
    result, _ = run_build(fixture_ws, GOOD)
    assert result.exit_code == 2
    assert "beta.md: module 'beta' has no variant 'extended'" in one_line(result)


def test_failed_build_keeps_previous_output(fixture_ws: Path) -> None:
    result, out = run_build(fixture_ws, GOOD)
    assert result.exit_code == 0, result.output
    before = (out / "spec.md").read_bytes()
    result, out = run_build(fixture_ws, GOOD.replace("  - beta", "  - betta"))
    assert result.exit_code == 2
    assert (out / "spec.md").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["spec.md"]  # no temporary files left


def test_debug_shows_the_traceback(fixture_ws: Path) -> None:
    spec = fixture_ws / "s.yaml"
    spec.write_text("- x\n", encoding="utf-8")
    result = runner.invoke(app, ["--debug", "build", str(spec)])
    assert result.exit_code != 0 and result.exception is not None


def test_unwritable_output_folder_is_a_clear_error(fixture_ws: Path, tmp_path: Path) -> None:
    spec = fixture_ws / "spec.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["build", str(spec), "--out", str(blocker / "out")])
    assert result.exit_code == 1
    line = one_line(result)
    assert "cannot write to" in line and "internal error" not in line


def test_strict_refuses_a_writer_warning_and_writes_nothing(fixture_ws: Path, tmp_path: Path) -> None:
    module = fixture_ws / "content" / "modules" / "alpha.md"
    module.write_text(module.read_text(encoding="utf-8").replace("Moscow brokered it", "Moscow\x07 brokered it"),
                      encoding="utf-8")
    spec = fixture_ws / "spec.yaml"
    spec.write_text(GOOD.replace("[md]", "[docx]").replace("  - alpha", "  - {id: alpha, variant: brief}"),
                    encoding="utf-8")
    lenient = runner.invoke(app, ["build", str(spec), "--out", str(tmp_path / "a")])
    assert lenient.exit_code == 0 and "warning:" in lenient.output  # the control character is dropped, said
    strict = runner.invoke(app, ["build", str(spec), "--out", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 1, strict.output
    assert "--strict" in one_line(strict)
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_one_failing_spec_does_not_stop_the_others(fixture_ws: Path, tmp_path: Path) -> None:
    good = fixture_ws / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = fixture_ws / "bad.yaml"
    bad.write_text(GOOD.replace("  - beta", "  - betta"), encoding="utf-8")
    result = runner.invoke(app, ["build", str(bad), str(good), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "good.md").exists() and not (tmp_path / "bad.md").exists()
