"""Regen's redline and sentence summary: an edition whose text changed gets
``<date>-e<N>-changes.docx`` (and ``latest-changes.docx``) and its sentences in ``changes.md``;
an unchanged brief gets nothing new, a theme-only change says "Text unchanged".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefgen.regen import editions, regen
from tests import clients
from tests.conftest import regen_workspace

REPO = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 23)
SPEC = """title: Brief on Russia
date: 2026-11-23
audience: analyst
length: 900 words
formats: [md, docx]
modules:
  - overview
  - actor-russia
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return regen_workspace(tmp_path / "ws", {"russia": SPEC})


def run(ws: Path, day: dt.date = DAY, **options):
    return regen([ws / "specs"], ws / "out", today=day, **options)


def reword(ws: Path) -> None:
    """Change one sentence of the module's standard variant (the one a 900-word analyst brief uses)."""
    path = ws / "content" / "modules" / "actor-russia.md"
    text = path.read_text(encoding="utf-8")
    assert "a conventional call for restraint" in text
    path.write_text(text.replace("a conventional call for restraint", "an ordinary call for restraint"),
                    encoding="utf-8")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_a_changed_sentence_gets_a_redline_and_a_summary(ws: Path) -> None:
    run(ws)
    reword(ws)
    report = run(ws, dt.date(2026, 11, 30))
    folder = ws / "out" / "russia"
    assert names(folder) == ["2026-11-23-e1.docx", "2026-11-23-e1.md", "2026-11-30-e2-changes.docx",
                             "2026-11-30-e2.docx", "2026-11-30-e2.md", "changes.md", "latest-changes.docx",
                             "latest.docx", "latest.md"]
    redline = folder / "2026-11-30-e2-changes.docx"
    assert (folder / "latest-changes.docx").read_bytes() == redline.read_bytes()
    changes = (folder / "changes.md").read_text(encoding="utf-8")
    entry = changes.split("## Edition 1")[0]
    assert "### Position of Russia" in entry
    assert ("was ~~a conventional~~ call for restraint, a ceasefire and a return to talks.” → "
            "“Russia's first public reaction to the fighting that began on 27 September 2020 was **an ordinary** "
            "call for restraint") in entry
    text = report.outcomes[0].text_changes
    assert text["text_unchanged"] is False
    assert [c["kind"] for s in text["sections"] for c in s["changes"]] == ["changed"]
    # only the committed edition's model (and the new one's) are kept; a stray temporary file of an
    # interrupted write goes with the next edition
    assert sorted(p.name for p in (ws / "out" / editions.MODELS).iterdir()) == ["russia.e1.json", "russia.e2.json"]
    (ws / "out" / editions.MODELS / ".russia.e2.json.abc123.tmp").write_bytes(b"{")
    editions.prune_models(folder, keep_from=1)
    assert sorted(p.name for p in (ws / "out" / editions.MODELS).iterdir()) == ["russia.e1.json", "russia.e2.json"]
    # only a module changed, so regen compared with edition 1's DOCX as published: the same redline
    # as edition 1's kept model set again in the theme
    from briefgen.compare import document_from_json
    from briefgen.regen.comparison import compare_with_previous
    from briefgen.theme import load_theme

    kept = lambda n: (ws / "out" / editions.MODELS / f"russia.e{n}.json").read_text(encoding="utf-8")  # noqa: E731
    _, again = compare_with_previous(kept(1), document_from_json(kept(2)), load_theme(ws / "themes" / "default"),
                                     ("docx",), dt.date(2026, 11, 30))
    assert again((folder / "2026-11-30-e2.docx").read_bytes()) == redline.read_bytes()

    clients.needs("pandoc")

    def plain(path: Path, *extra: str) -> str:
        return clients.squash(clients.run(["pandoc", *extra, "-t", "plain", str(path)]).stdout)

    assert plain(redline, "--track-changes=accept") == plain(folder / "2026-11-30-e2.docx")
    # rejecting every change gives edition 1's words (set in the new edition's theme, here the same
    # one); pandoc keeps the rows of the "What changed" box, inserted whole, as an empty table
    # (it does not read a row's own mark), so its words are compared, not its table rules
    assert (re.findall(r"\w+", plain(redline, "--track-changes=reject"))
            == re.findall(r"\w+", plain(folder / "2026-11-23-e1.docx")))


def test_no_redline_for_an_unchanged_brief_and_text_unchanged_for_a_theme(ws: Path) -> None:
    run(ws)
    reword(ws)
    run(ws)
    folder = ws / "out" / "russia"
    before = names(folder)
    assert run(ws).outcomes[0].status == "skipped" and names(folder) == before   # nothing written

    theme = ws / "themes" / "default" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('accent: "#1d3557"', 'accent: "#203a60"'),
                     encoding="utf-8")
    report = run(ws)
    assert report.outcomes[0].status == "built" and report.outcomes[0].text_changes["text_unchanged"] is True
    assert "2026-11-23-e3-changes.docx" not in names(folder)
    assert not (folder / "latest-changes.docx").exists()       # the newest edition has no redline
    assert (folder / "2026-11-23-e2-changes.docx").is_file()    # the earlier one's stays
    entry = (folder / "changes.md").read_text(encoding="utf-8").split("## Edition 2")[0]
    assert "## Edition 3" in entry and "- Text unchanged." in entry and "- Also rebuilt because: theme" in entry

    forced = run(ws, force=True)
    assert forced.outcomes[0].text_changes["text_unchanged"] is True
    assert "2026-11-23-e4-changes.docx" not in names(folder)

    # the theme and a sentence at once: edition 4 is set again in the new theme for the redline
    theme.write_text(theme.read_text(encoding="utf-8").replace('accent: "#203a60"', 'accent: "#2a4a70"'),
                     encoding="utf-8")
    path = ws / "content" / "modules" / "actor-russia.md"
    path.write_text(path.read_text(encoding="utf-8").replace("an ordinary call", "a routine call"), encoding="utf-8")
    assert run(ws).outcomes[0].reason.startswith("changed: module actor-russia, theme default")
    red = folder / "2026-11-23-e5-changes.docx"
    assert (folder / "latest-changes.docx").read_bytes() == red.read_bytes()
    clients.needs("pandoc")
    shown = clients.run(["pandoc", "--track-changes=all", "-t", "markdown", "--wrap=none", str(red)]).stdout
    assert "[an ordinary]{.deletion" in shown and "[a routine]{.insertion" in shown


def test_repair_removes_an_uncommitted_redline_and_restores_latest_changes(ws: Path) -> None:
    run(ws)
    reword(ws)
    run(ws)
    folder = ws / "out" / "russia"
    committed = {"md": "2026-11-23-e2.md", "docx": "2026-11-23-e2.docx"}
    # what a run killed while writing edition 3 leaves behind
    (folder / "2026-11-23-e3-changes.docx").write_bytes(b"half")
    (folder / "latest-changes.docx").write_bytes(b"half")
    (ws / "out" / editions.MODELS / "russia.e3.json").write_text("{}", encoding="utf-8")
    done = editions.repair(folder, 2, committed, ["md", "docx"])
    assert "removed uncommitted 2026-11-23-e3-changes.docx" in done
    assert not (ws / "out" / editions.MODELS / "russia.e3.json").exists()
    assert (folder / "latest-changes.docx").read_bytes() == (folder / "2026-11-23-e2-changes.docx").read_bytes()


@pytest.mark.clients
def test_the_analyst_assessment_redline_in_libreoffice(tmp_path: Path) -> None:
    """The richest example (key judgments, a timeline table, boxes, an annex, full notes): a week
    of edits across its modules, one module removed and one added. LibreOffice, accepting every
    change, gives what it makes of edition 2; rejecting every change, what it makes of edition 1."""
    spec = (REPO / "examples" / "analyst-assessment.yaml").read_text(encoding="utf-8")
    root = regen_workspace(tmp_path / "ws", {"assessment": spec.replace("formats: [docx, pdf, md]", "formats: [docx]")})
    run(root)
    for path in (root / "content" / "modules").glob("*.md"):
        head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
        body = re.sub(r"\bceasefire\b", "truce", body, count=1)
        path.write_text(head + sep + re.sub(r"\bRussia\b", "the Russian Federation", body, count=2), encoding="utf-8")
    (root / "specs" / "assessment.yaml").write_text(spec.replace("  - mercenaries\n", "  - actor-iran\n"),
                                                     encoding="utf-8")
    run(root, dt.date(2026, 11, 30))
    folder = root / "out" / "assessment"
    red, e1, e2 = (folder / n for n in ("latest-changes.docx", "2026-11-23-e1.docx", "2026-11-30-e2.docx"))
    assert red.read_bytes() == (folder / "2026-11-30-e2-changes.docx").read_bytes()

    import openxml_audit as audit
    result = audit.OpenXmlValidator(max_errors=20).validate(str(red))
    assert result.is_valid, "\n".join(str(e) for e in result.errors)

    from tests.lo_changes import soffice_resolve
    clients.needs("pandoc")
    lo = tmp_path / "lo"
    lo.mkdir()
    # each edition goes through LibreOffice too, so what LibreOffice itself writes differently
    # (how it saves list numbering, say) is on both sides
    soffice_resolve([("Accept", red, lo / "accepted.docx"), ("Reject", red, lo / "rejected.docx"),
                     ("Accept", e2, lo / "e2.docx"), ("Accept", e1, lo / "e1.docx")])

    def plain(path: Path) -> str:
        return clients.squash(clients.run(["pandoc", "-t", "plain", str(path)]).stdout)

    assert plain(lo / "accepted.docx") == plain(lo / "e2.docx")
    assert plain(lo / "rejected.docx") == plain(lo / "e1.docx")
    assert plain(lo / "e2.docx") != plain(lo / "e1.docx")
    summary = (folder / "changes.md").read_text(encoding="utf-8").split("## Edition 1")[0]
    assert "### Position of Iran" in summary and "### The mercenary factor" in summary
