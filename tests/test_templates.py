"""Templates and themes belong to the communications team: they change the output, safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen import build
from briefgen.cli import app
from briefgen.errors import TemplateError, ThemeError

runner = CliRunner()

SPEC = "title: T\ndate: 2026-11-23\naudience: minister\nlength: 200 words\nformats: [md]\nmodules: [alpha, beta]\n"


def write_spec(ws: Path, extra: str = "") -> Path:
    spec = ws / "spec.yaml"
    spec.write_text(SPEC + extra, encoding="utf-8")
    return spec


def test_a_copied_and_edited_template_changes_the_wording(fixture_ws: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["templates", "new", "ambassador", "--from", "minister",
                               "--workspace", str(fixture_ws)]).exit_code == 0
    template = fixture_ws / "templates" / "ambassador" / "brief.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("# Bottom line", "# Summary for the Ambassador"),
                        encoding="utf-8")
    out = build(write_spec(fixture_ws, "template: ambassador\n"), formats="md", out_dir=tmp_path).outputs["md"]
    text = out.read_text(encoding="utf-8").replace("\u00a0", " ")   # a heading's last two words are joined
    assert "# Summary for the Ambassador" in text and "# Bottom line" not in text


def test_a_profile_setting_changes_the_label_and_marking(fixture_ws: Path, tmp_path: Path) -> None:
    profile = fixture_ws / "templates" / "minister" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("label: Submission", "label: Information note")
                       .replace("default_marking: OFFICIAL-SENSITIVE", "default_marking: OFFICIAL"), encoding="utf-8")
    text = build(write_spec(fixture_ws), formats="md", out_dir=tmp_path).outputs["md"].read_text(encoding="utf-8")
    assert 'doc-type: "Information note"' in text and 'marking: "OFFICIAL"' in text


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__ }}",
    "{{ brief.__class__.__init__.__globals__ }}",
    "{{ modules.__len__.__self__.__class__ }}",
])
def test_sandbox_refuses_python_internals(fixture_ws: Path, tmp_path: Path, payload: str) -> None:
    template = fixture_ws / "templates" / "minister" / "brief.md.j2"
    template.write_text("# Issue\n\n" + payload + "\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(write_spec(fixture_ws)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "template error" in result.output and "brief.md.j2" in result.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_template_syntax_error_names_file_and_line(fixture_ws: Path, tmp_path: Path) -> None:
    template = fixture_ws / "templates" / "minister" / "brief.md.j2"
    template.write_text("# Issue\n\nfine\n{% for m in modules %}\nno end\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        build(write_spec(fixture_ws), formats="md", out_dir=tmp_path)
    assert err.value.file.endswith("brief.md.j2") and err.value.line is not None
    assert "template syntax error" in str(err.value)


def test_undefined_name_names_file_and_line(fixture_ws: Path, tmp_path: Path) -> None:
    template = fixture_ws / "templates" / "minister" / "brief.md.j2"
    template.write_text("# Issue\n\n{{ brief.titel }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        build(write_spec(fixture_ws), formats="md", out_dir=tmp_path)
    assert err.value.line == 3 and "titel" in str(err.value)


def test_templates_cannot_include_files_outside_the_template_folders(fixture_ws: Path, tmp_path: Path) -> None:
    template = fixture_ws / "templates" / "minister" / "brief.md.j2"
    template.write_text('{% include "../../content/sources.yaml" %}\n', encoding="utf-8")
    with pytest.raises(TemplateError):
        build(write_spec(fixture_ws), formats="md", out_dir=tmp_path)


@pytest.mark.parametrize("edit,expected", [
    ("colours: {heading: teal}\n", "colours.heading: 'teal' is not a colour"),
    ("logo: missing.png\n", "logo: file 'missing.png' not found"),
    ("colour_scheme: dark\n", "unknown key 'colour_scheme'"),
    ("page: {size: A3}\n", "page.size"),
])
def test_theme_errors_name_the_file_and_key(fixture_ws: Path, tmp_path: Path, edit: str, expected: str) -> None:
    theme = fixture_ws / "themes" / "ours"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: ours\n" + edit, encoding="utf-8")
    with pytest.raises(ThemeError) as err:
        build(write_spec(fixture_ws, "theme: ours\n"), formats="md", out_dir=tmp_path)
    assert err.value.file.endswith("theme.yaml")
    assert expected in str(err.value)


def test_theme_marking_scheme_changes_the_banner(fixture_ws: Path, tmp_path: Path) -> None:
    theme = fixture_ws / "themes" / "alliance"
    theme.mkdir()
    (theme / "theme.yaml").write_text("marking_scheme: nato\n", encoding="utf-8")
    text = build(write_spec(fixture_ws, "theme: alliance\nmarking: UNCLASSIFIED\n"), formats="md",
                 out_dir=tmp_path).outputs["md"].read_text(encoding="utf-8")
    assert 'marking: "NATO UNCLASSIFIED"' in text


def test_the_analyst_brief_states_its_information_date_once(fixture_ws: Path, tmp_path: Path) -> None:
    # The title block already reads "Information as of …"; a second "Information cut-off" line repeated it.
    spec = write_spec(fixture_ws, "as_of: 2026-11-20\n")
    spec.write_text(spec.read_text(encoding="utf-8").replace("audience: minister", "audience: analyst"),
                    encoding="utf-8")
    text = build(spec, formats="md", out_dir=tmp_path).outputs["md"].read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert "information-as-of: 2026-11-20" in text
    assert "20 November 2026" not in body and "cut-off" not in body.lower()
