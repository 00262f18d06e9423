"""A brief in its author's own words: sections written in the spec or in a file beside it, sources of
the brief's own, the fields of a submission, and paths that stay in the spec's folder.

The Markdown of tests/golden/bespoke.yaml is a golden file (tests/test_golden.py); here the same spec
is built in every format, fitted to a page, broken in each way a path can be, and regenerated."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen import build
from briefgen.pipeline import prepare_brief
from briefgen.cli import app
from briefgen.errors import RenderError, SpecError
from briefgen.regen import regen

from .clients import needs, pandoc_ast, pandoc_notes, pdftotext_pages, squash, stringify

GOLDEN = Path(__file__).resolve().parent / "golden"
runner = CliRunner()

# the bespoke text of tests/golden/bespoke.yaml and its file, in the order the Argument shows them
WHY_NOW = "You meet both deputy foreign ministers together on Thursday"
ALPHA = "The ceasefire took effect on 10 November 2020"
EXPECTS = "Both delegations are expected to bring the officials"


def golden_spec(ws: Path) -> Path:
    """tests/golden/bespoke.yaml and its file, copied into a folder of the workspace."""
    folder = ws / "briefs"
    shutil.copytree(GOLDEN / "bespoke", folder / "bespoke")
    shutil.copy(GOLDEN / "bespoke.yaml", folder / "bespoke.yaml")
    return folder / "bespoke.yaml"


def in_order(text: str, *parts: str) -> bool:
    text = text.replace("\u00a0", " ").replace("\u2060", "")    # no-break spaces and joiners (nobreak)
    found = [text.find(p) for p in parts]
    return -1 not in found and found == sorted(found)


# ---- every format ---------------------------------------------------------------------------------

def test_own_sections_and_source_appear_cited_and_in_place_in_every_format(fixture_ws: Path, tmp_path: Path) -> None:
    needs("pandoc", "pdftotext")
    result = build(golden_spec(fixture_ws), formats="docx,pdf,md,html", out_dir=tmp_path / "out")

    md = result.outputs["md"].read_text(encoding="utf-8").replace("\u00a0", " ")   # no-break spaces (nobreak)
    assert in_order(md, "**Timing:** Urgent", "# Issue", WHY_NOW, "[^2]", ALPHA, EXPECTS, "**Contact:** Sam Okafor",
                    "**Copy to:** Private Secretary; Legal Adviser", "# Annex A")
    assert "[^2]: British Embassy Baku, “Weekly Report from the Embassy.”" in md
    assert "British Embassy Baku. “Weekly Report from the Embassy.” 18 November 2026." in md   # in the sources annex

    pdf = squash(" ".join(pdftotext_pages(result.outputs["pdf"], layout=False)))
    assert in_order(pdf, "For decision. Timing: Urgent: decision needed by 12 December", "Issue", WHY_NOW, ALPHA,
                    EXPECTS, "Contact: Sam Okafor, South Caucasus Team, 020 7946 0000, sam.okafor@example.org",
                    "Copy to: Private Secretary; Legal Adviser", "Annex A: Lines to take")
    assert "British Embassy Baku, “Weekly Report from the Embassy.”" in pdf    # the footnote

    import html
    import re

    page = result.outputs["html"].read_text(encoding="utf-8")
    main = squash(html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<main"):])))
    assert in_order(main, "For decision. Timing: Urgent", "Issue", WHY_NOW, ALPHA, EXPECTS, "Contact: Sam Okafor",
                    "Copy to: Private Secretary; Legal Adviser", "Annex A: Lines to take")
    assert "British Embassy Baku, “Weekly Report from the Embassy.”" in main    # the note

    ast = pandoc_ast(result.outputs["docx"])
    body = squash(" ".join(stringify(block) for block in ast["blocks"]))
    assert in_order(body, "Timing: Urgent", WHY_NOW, ALPHA, EXPECTS, "Contact: Sam Okafor", "Copy to: Private Secretary")
    notes = pandoc_notes(ast)
    assert any("British Embassy Baku" in n and "Weekly Report from the Embassy" in n for n in notes), notes


def test_explain_lists_the_own_sections(fixture_ws: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(golden_spec(fixture_ws)), "-o", str(tmp_path), "--explain"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(l.split()[:4] == ["text:", "Why", "you", "are"] and l.endswith("(the spec's own section)")
               for l in lines), result.output
    assert any(l.split()[0] == "bespoke/meeting-context.md" and l.endswith("(the spec's own section)")
               for l in lines), result.output


# ---- fitting --------------------------------------------------------------------------------------

OWN_WORDS = ("The post sees a narrow window before the winter recess in which both capitals may accept a "
             "neutral venue. Our offer would need to be made this week, privately and to both sides at once, "
             "so that neither reads it as a favour to the other. ") * 3


def one_page_spec(ws: Path, own: str = OWN_WORDS) -> Path:
    spec = ws / "examples" / "own-one-page.yaml"
    spec.write_text(
        "title: One page with a section of its own\ndate: 2026-11-23\naudience: minister\nlength: 1 page\n"
        "formats: [pdf]\nmodules:\n  - id: overview\n    emphasis: high\n  - title: What the post proposes\n"
        f"    text: {own!r}\n  - background\n  - trilateral-statement\n  - actor-russia\n  - actor-turkey\n"
        "  - csto-legal-basis\n", encoding="utf-8")
    return spec


def test_fitting_to_one_page_drops_library_modules_and_keeps_the_own_text_whole(repo_ws: Path) -> None:
    brief = prepare_brief(one_page_spec(repo_ws), formats="pdf")
    dropped = [w.message for w in brief.warnings if "dropped" in w.message]
    assert dropped, "a page this full must lose some library modules"
    assert not any("What the post proposes" in m for m in dropped)
    assert brief.assembly.pages == 1
    own = [c for c in brief.assembly.choices if c.module.meta.title == "What the post proposes"]
    assert len(own) == 1 and own[0].words == len(OWN_WORDS.split())   # whole: not a word shortened
    from briefgen.model import plain_text, block_inlines, iter_blocks

    text = " ".join(plain_text(block_inlines(b)) for b in iter_blocks(brief.assembly.document.blocks))
    assert " ".join(OWN_WORDS.split()) in " ".join(text.split())


def test_own_text_too_long_for_the_page_is_an_error_that_says_so(repo_ws: Path, tmp_path: Path) -> None:
    spec = one_page_spec(repo_ws, own=OWN_WORDS * 6)
    with pytest.raises(RenderError) as caught:
        prepare_brief(spec, formats="pdf")
    message = str(caught.value)
    assert "does not fit in 1 page" in message
    assert "the spec's own sections ('What the post proposes'" in message and "never shortened or dropped" in message
    result = runner.invoke(app, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---- sensitivity ---------------------------------------------------------------------------------

def test_own_sections_take_the_briefs_marking_as_sensitivity_unless_they_declare_one(fixture_ws: Path) -> None:
    spec = golden_spec(fixture_ws)
    brief = prepare_brief(spec, formats="md")
    own = {c.module.meta.title: c.module.meta.sensitivity for c in brief.assembly.choices if c.module.meta.title
           in ("Why you are asked now", "What the embassy expects")}
    assert own == {"Why you are asked now": "official-sensitive", "What the embassy expects": "official-sensitive"}

    text = spec.read_text(encoding="utf-8").replace("audience: minister", "audience: public")
    spec.write_text(text.replace("  - title: Why you are asked now", "  - title: Why you are asked now\n"
                                 "    sensitivity: official"), encoding="utf-8")
    brief = prepare_brief(spec, formats="md")
    titles = {c.module.meta.title: c.module.meta.sensitivity for c in brief.assembly.choices}
    assert "Why you are asked now" not in titles          # declared official: not for the public brief
    assert titles["What the embassy expects"] == "public"   # the public brief's marking is none
    assert any("section 'Why you are asked now' left out" in w.message for w in brief.warnings)


# ---- local files and sources ---------------------------------------------------------------------

def test_a_sources_file_beside_the_spec_and_a_file_with_variants(fixture_ws: Path) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    (folder / "sources.yaml").write_text(
        "- id: desk-note-2026\n  type: document\n  author: [{literal: South Caucasus Desk}]\n"
        "  title: Note of a call with the mediators\n  issued: 2026-11-19\n", encoding="utf-8")
    (folder / "call.md").write_text(
        "---\ntitle: The call with the mediators\n---\n\n## summary\n\nA short account [@desk-note-2026].\n\n"
        "## brief\n\nA longer account of the call, for a fuller brief [@desk-note-2026].\n\n"
        "## extended\n\nThe longest account, which no minister's brief shows.\n", encoding="utf-8")
    spec = folder / "spec.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\naudience: minister\nlength: 300 words\nformats: [md]\n"
                    "sources: sources.yaml\nmodules:\n  - alpha\n  - file: call.md\n", encoding="utf-8")
    brief = prepare_brief(spec, formats="md")
    own = next(c for c in brief.assembly.choices if c.module.meta.title == "The call with the mediators")
    assert own.variant == "brief"      # the longest the minister profile allows (summary, brief, standard)
    md = build(spec, out_dir=fixture_ws / "out").outputs["md"].read_text(encoding="utf-8")
    assert "A longer account of the call, for a fuller brief." in md and "longest account" not in md
    assert "South Caucasus Desk, “Note of a Call with the Mediators.”" in md


BAD_CASES = [
    # (name, how the spec names the file, what the one line says)
    ("parent folder", "file: ../outside.md", "spec.yaml:9: modules.1.file: '../outside.md' is not inside the spec's folder"),
    ("absolute path", "file: {outside}", "is not inside the spec's folder"),
    ("symlink out", "file: link.md", "spec.yaml:9: 'link.md' is outside the spec's folder (it leads to"),
    ("missing file", "file: nowhere.md", "spec.yaml:9: 'nowhere.md' not found"),
    ("sources in parent", "sources: ../outside.yaml", "spec.yaml:6: sources: '../outside.yaml' is not inside the spec's folder"),
    ("sources symlink out", "sources: link.yaml", "spec.yaml:6: 'link.yaml' is outside the spec's folder"),
    ("sources missing", "sources: nowhere.yaml", "spec.yaml:6: 'nowhere.yaml' not found"),
    ("clash with registry", "sources: [{id: smith-2020, title: Another}]",
     "spec.yaml:6: source 'smith-2020' is also in the registry, {registry}:2"),
    ("unknown citation", "{text: 'Said [@qqq].', title: Said}",
     "spec.yaml:9: unknown source '@qqq' (hint: add it to the spec's sources: or to content/sources.yaml)"),
    ("file as a module id", "meeting-context.md",
     "spec.yaml:9: unknown module 'meeting-context.md' (hint: for a file beside the spec, write '- file: meeting-context.md')"),
    ("section without title", "file: untitled.md", "untitled.md:1: section 'untitled.md' has no title"),
    ("bad purpose", "purpose: someday", "spec.yaml:6: purpose: Input should be 'decision', 'information' or 'handling'"),
    ("bad e-mail", "contact: {name: A, email: not-an-address}", "spec.yaml:6: contact.email: 'not-an-address' is not an e-mail address"),
]


def bad_spec(folder: Path, case: str) -> Path:
    """A spec whose sixth line (a spec key) or ninth (the second module) is ``case``."""
    outside = folder.parent / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\n\nNot the author's to include.\n", encoding="utf-8")
    (folder.parent / "outside.yaml").write_text("- {id: outside-2026, title: Outside}\n", encoding="utf-8")
    os.symlink(outside, folder / "link.md")
    os.symlink(folder.parent / "outside.yaml", folder / "link.yaml")
    (folder / "untitled.md").write_text("Text without a title.\n", encoding="utf-8")
    case = case.replace("{outside}", str(outside))
    spec_key = not case.startswith(("file:", "{text:", "meeting-context"))
    lines = ["title: T", "date: 2026-11-23", "audience: minister", "formats: [md]", "length: 300 words",
             case if spec_key else "purpose: information", "modules:", "  - alpha",
             "  - beta" if spec_key else f"  - {case}"]
    spec = folder / "spec.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return spec


@pytest.mark.parametrize("case,expected", [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_a_bad_local_path_or_source_is_one_line_exit_2_and_nothing_written(fixture_ws: Path, case: str,
                                                                          expected: str) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    spec = bad_spec(folder, case)
    out = fixture_ws / "out"
    result = runner.invoke(app, ["build", str(spec), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    registry = fixture_ws / "content" / "sources.yaml"
    assert expected.replace("{registry}", str(registry)) in lines[0]
    assert not out.exists()


# ---- regen and watch -----------------------------------------------------------------------------

def test_regen_rebuilds_when_a_local_file_changes_and_changes_md_names_it(fixture_ws: Path) -> None:
    spec = golden_spec(fixture_ws)
    out = fixture_ws / "out"
    first = regen([spec], out)
    assert [o.status for o in first.outcomes] == ["built"]
    assert [o.status for o in regen([spec], out).outcomes] == ["skipped"]

    own = spec.parent / "bespoke" / "meeting-context.md"
    own.write_text(own.read_text(encoding="utf-8").replace("joint statement", "joint communiqué"), encoding="utf-8")
    report = regen([spec], out)
    (outcome,) = report.outcomes
    assert outcome.status == "built" and outcome.reason == "changed: local file bespoke/meeting-context.md"
    assert outcome.changes == ["What the embassy expects: updated. (`bespoke/meeting-context.md`)"]
    latest = (out / "bespoke" / "latest.md").read_text(encoding="utf-8")
    assert "Neither side has asked for a joint communiqué." in latest
    changes = (out / "bespoke" / "changes.md").read_text(encoding="utf-8")
    assert "- Also rebuilt because: bespoke/meeting-context.md, in the spec's folder, changed." in changes

    own.unlink()   # a missing file fails this brief, and its last edition stays
    report = regen([spec], out)
    assert report.outcomes[0].status == "failed" and "'bespoke/meeting-context.md' not found" in report.outcomes[0].reason
    assert (out / "bespoke" / "latest.md").read_text(encoding="utf-8") == latest


def test_watch_rebuilds_when_a_local_file_changes(fixture_ws: Path, tmp_path: Path) -> None:
    from .test_watch import wait_for, watching

    spec = golden_spec(fixture_ws)
    with watching(spec, tmp_path / "out") as seen:
        brief = tmp_path / "out" / "bespoke.md"
        assert seen.started()
        own = spec.parent / "bespoke" / "meeting-context.md"
        own.write_text(own.read_text(encoding="utf-8").replace("joint statement", "joint communiqué"),
                       encoding="utf-8")
        assert wait_for(lambda: "joint communiqué" in brief.read_text(encoding="utf-8"))


# ---- the starter spec ----------------------------------------------------------------------------

def test_the_starter_specs_commented_fields_validate(tmp_path: Path) -> None:
    """Every commented example in ``briefgen new``'s spec is a valid key, once uncommented."""
    from briefgen.spec import load_spec
    from briefgen.starter import STARTER_SPEC

    import re

    example = re.compile(r"^(\s*)# (\s*- |[a-z_]+:|\s{2,}\S)")   # a key, a list item or its text; not prose
    lines = [line.replace("# ", "", 1) if example.match(line) else line for line in STARTER_SPEC.splitlines()]
    spec = tmp_path / "starter.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_spec(spec)
    assert loaded.purpose == "decision" and loaded.timing.startswith("Urgent")
    assert loaded.contact is not None and loaded.contact.email == "a.officer@example.org"
    assert loaded.copy_to == ("Private Secretary", "Legal Adviser")
    assert [getattr(m, "title", None) for m in loaded.modules if not hasattr(m, "id")] == ["Why you are asked now", None]
    assert loaded.sources and loaded.sources[0].id == "embassy-report-2026"


def test_regen_of_a_folder_passes_over_a_specs_sources_file_and_rebuilds_when_it_changes(fixture_ws: Path) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    sources = folder / "sources.yaml"
    sources.write_text("- {id: desk-note-2026, type: document, title: Note of a call, issued: 2026-11-19}\n",
                       encoding="utf-8")
    (folder / "call.yaml").write_text(
        "title: T\ndate: 2026-11-23\naudience: minister\nlength: 300 words\nformats: [md]\nsources: sources.yaml\n"
        "modules:\n  - alpha\n  - {title: The call, text: 'The mediators called on Monday [@desk-note-2026].'}\n",
        encoding="utf-8")
    out = fixture_ws / "out"
    first = regen([folder], out)
    assert [(o.name, o.status) for o in first.outcomes] == [("call", "built")]   # sources.yaml is no brief

    sources.write_text(sources.read_text(encoding="utf-8").replace("Note of a call", "Note of a call with the mediators"),
                       encoding="utf-8")
    (outcome,) = regen([folder], out).outcomes
    assert outcome.status == "built" and outcome.reason == "changed: local file sources.yaml"
    assert outcome.changes == ["Source details revised: Note of a call with the mediators. (`desk-note-2026`)"]
    changes = (out / "call" / "changes.md").read_text(encoding="utf-8")
    assert "- Also rebuilt because: sources.yaml, in the spec's folder, changed." in changes


def test_an_own_section_declared_above_the_specs_marking_is_refused_by_the_roll_up(fixture_ws: Path) -> None:
    spec = fixture_ws / "spec.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\naudience: minister\nmarking: OFFICIAL\nformats: [md]\nmodules:\n"
                    "  - alpha\n  - {title: A private note, text: For the minister alone., "
                    "sensitivity: official-sensitive}\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(spec), "--out", str(fixture_ws / "out")])
    assert result.exit_code == 2
    assert "spec.yaml:4: marking 'OFFICIAL' is lower than section 'A private note' (official-sensitive)" in result.output
    assert not (fixture_ws / "out").exists()


def test_a_rebuild_with_own_sections_imports_no_parser(fixture_ws: Path, tmp_path: Path) -> None:
    """The spec's own sections and sources are kept in the cache as modules are: a rebuild of an
    unchanged brief parses neither its YAML nor its Markdown again."""
    import subprocess
    import sys

    spec = golden_spec(fixture_ws)
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    probe = ("import sys; from briefgen import build; "
             f"build({str(spec)!r}, formats='docx', out_dir={str(tmp_path / 'out')!r}); "
             "print(*(name in sys.modules for name in ('jinja2', 'markdown_it', 'yaml')))")
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env,
                           cwd=fixture_ws).stdout.strip() for _ in range(2)]
    assert runs == ["True True True", "False False False"]


def test_an_own_sections_topic_places_it_and_a_forced_variant_is_shown(fixture_ws: Path) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    (folder / "next.md").write_text("---\ntitle: What comes next\ntopic: outlook\n---\n\n## brief\n\nThe short view.\n\n"
                                    "## standard\n\nThe fuller view of what comes next.\n", encoding="utf-8")
    spec = folder / "spec.yaml"
    spec.write_text("title: T\ndate: 2026-11-23\naudience: minister\nlength: 300 words\nformats: [md]\nmodules:\n"
                    "  - {file: next.md, variant: brief}\n  - alpha\n"
                    "  - {title: How it began, topic: chronology, text: The talks opened in the spring.}\n",
                    encoding="utf-8")
    md = build(spec, out_dir=fixture_ws / "out").outputs["md"].read_text(encoding="utf-8")
    # chronology goes to Background and outlook to Handling, as the minister template places modules
    assert in_order(md, "# Background", "The talks opened in the spring.", "# Argument", "## Alpha module",
                    "# Handling", "The short view.")
    assert "fuller view" not in md


def test_a_minister_brief_of_own_sections_alone_prints_no_empty_section_or_annex(repo_ws: Path, tmp_path: Path) -> None:
    """Nothing here has a key judgment, a line to take or a citation: the submission has no empty
    'Bottom line', no annex holding only its heading, and Handling points to no annex."""
    spec = repo_ws / "examples" / "own-only.yaml"
    spec.write_text(
        "title: A meeting of our own\ndate: 2026-11-23\naudience: minister\nlength: 1 page\nformats: [md]\n"
        "modules:\n  - title: Why now\n    text: The Chair asked to compare notes before the Council.\n",
        encoding="utf-8")
    md = build(spec, out_dir=tmp_path).outputs["md"].read_text(encoding="utf-8")
    assert "# Bottom line" not in md and "# Handling" not in md
    assert "Annex" not in md
    assert "The Chair asked to compare notes before the Council." in md


def test_the_suggested_public_line_is_not_repeated_in_annex_a(repo_ws: Path, tmp_path: Path) -> None:
    md = build(repo_ws / "examples" / "minister-two-page.yaml", formats="md",
               out_dir=tmp_path).outputs["md"].read_text(encoding="utf-8")
    md = md.replace("\u00a0", " ").replace("\u2060", "")   # no-break spaces and joiners (nobreak)
    line = md.split('Suggested public line: "', 1)[1].split('"', 1)[0]
    annex_a = md.split("# Annex A: Lines to take", 1)[1].split("# Annex B", 1)[0]
    assert line not in annex_a and annex_a.count("- **") >= 1
