"""``briefgen diff OLD NEW``: any two editions, DOCX or Markdown, compared as regen compares them."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.compare import outline_of_document, summarize
from briefgen.compare.files import markdown_document
from briefgen.writers.markdown import render_markdown
from tests import clients
from tests.sample_docs import sample_document
from tests.test_redline import EXPECTED, NEW, OLD, REPO, THEME, docx_bytes

cli = CliRunner()


def editions(folder: Path, ext: str) -> tuple[Path, Path]:
    old, new = folder / f"e1.{ext}", folder / f"e2.{ext}"
    if ext == "docx":
        old.write_bytes(docx_bytes(OLD))
        new.write_bytes(docx_bytes(NEW))
    else:
        old.write_text(render_markdown(OLD, THEME), encoding="utf-8")
        new.write_text(render_markdown(NEW, THEME), encoding="utf-8")
    return old, new


def summary_of(expected: str) -> str:
    """The expected summary as the diff's file has it: level-2 headings, marking unchanged."""
    lines = [line for line in expected.splitlines() if not line.startswith("- Marking:")]
    return "\n".join(line.replace("### ", "## ") for line in lines)


def test_two_docx_editions_give_a_redline_and_the_changed_sentences(tmp_path: Path) -> None:
    old, new = editions(tmp_path, "docx")
    result = cli.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "e2-changes.docx"), str(tmp_path / "e2-changes.md")]
    assert "4 sentences changed, 2 sentences added, 2 sentences removed" in result.stderr
    text = (tmp_path / "e2-changes.md").read_text(encoding="utf-8")
    assert text == "# Changes from e1.docx to e2.docx\n\n" + summary_of(EXPECTED) + "\n"
    with zipfile.ZipFile(tmp_path / "e2-changes.docx") as z:   # dated as the new edition says it was made
        assert set(re.findall(r'w:date="([^"]+)"', z.read("word/document.xml").decode())) == {"2026-11-30T00:00:00Z"}
    clients.needs("pandoc")
    red = tmp_path / "e2-changes.docx"
    plain = lambda *args: clients.squash(clients.run(["pandoc", *args, "-t", "plain"]).stdout)  # noqa: E731
    assert plain("--track-changes=accept", str(red)) == plain(str(new))
    assert plain("--track-changes=reject", str(red)) == plain(str(old))


def test_two_markdown_briefs_compare_as_their_models_do(tmp_path: Path) -> None:
    old, new = editions(tmp_path, "md")
    result = cli.invoke(app, ["diff", str(old), str(new), "--format", "md", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == summarize(outline_of_document(OLD), outline_of_document(NEW)).to_json()
    assert not (tmp_path / "e2-changes.docx").exists() and (tmp_path / "e2-changes.md").is_file()


def test_a_markdown_brief_reads_back_as_the_model_it_was_written_from() -> None:
    for doc in (OLD, NEW, sample_document()):
        assert markdown_document(render_markdown(doc, THEME)).blocks == doc.blocks


def test_markdown_briefs_get_a_redline_in_the_workspace_theme(tmp_path: Path) -> None:
    old, new = editions(tmp_path, "md")
    result = cli.invoke(app, ["diff", str(old), str(new), "-f", "docx", "-o", str(tmp_path / "out"),
                              "--workspace", str(REPO)])
    assert result.exit_code == 0, result.stderr
    red = tmp_path / "out" / "e2-changes.docx"
    assert red.is_file() and not (tmp_path / "out" / "e2-changes.md").exists()
    clients.needs("pandoc")
    plain = lambda *args: clients.squash(clients.run(["pandoc", *args, "-t", "plain"]).stdout)  # noqa: E731
    (tmp_path / "new.docx").write_bytes(docx_bytes(NEW))
    assert plain("--track-changes=accept", str(red)) == plain(str(tmp_path / "new.docx"))


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    old, new = editions(tmp_path, "docx")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    for args in (["diff", str(old), str(tmp_path / "notes.txt")], ["diff", str(old), str(tmp_path / "gone.docx")],
                 ["diff", str(tmp_path / "broken.docx"), str(new)], ["diff", str(old), str(new), "-f", "pdf"]):
        result = cli.invoke(app, args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("briefgen: ")
    assert not (tmp_path / "e2-changes.md").exists()   # nothing half-written
