"""Fit to length: "1 page" means one page, in the PDF and in the DOCX as LibreOffice lays it out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen import build
from briefgen.errors import RenderError

from .clients import pdf_pages, soffice_convert

REPO = Path(__file__).resolve().parent.parent
ALL = ["overview", "background", "timeline", "trilateral-statement", "actor-russia", "actor-turkey",
       "actor-azerbaijan", "actor-armenia", "csto-legal-basis", "energy-transport", "mercenaries",
       "outlook-indicators"]
PUBLIC = [m for m in ALL if m not in ("overview", "outlook-indicators")]


def spec_for(tmp: Path, audience: str, length: str, modules: list[str]) -> Path:
    spec = tmp / f"{audience}-{length.replace(' ', '')}.yaml"
    spec.write_text(f"title: Fit test\ndate: 2026-11-23\naudience: {audience}\nlength: {length}\n"
                    f"formats: [pdf, docx]\nmodules: [{', '.join(modules)}]\n", encoding="utf-8")
    return spec


@pytest.mark.parametrize("audience", ["minister", "analyst", "press", "public"])
@pytest.mark.parametrize("pages", [1, 2, 4])
def test_pdf_fits_the_page_budget_and_is_not_half_empty(audience: str, pages: int, tmp_path: Path) -> None:
    modules = PUBLIC if audience in ("press", "public") else ALL
    result = build(spec_for(tmp_path, audience, f"{pages} pages", modules), formats="pdf",
                   out_dir=tmp_path, workspace=REPO)
    a = result.assembly
    assert a.pages <= pages
    longest = all(c.variant == a.plan.profile.settings.variants[-1] or c.forced for c in a.choices)
    assert a.fill >= 0.6 or longest or a.pages < pages, f"last page only {a.fill:.0%} full"
    if a.plan.profile.settings.annexes_count:
        assert pdf_pages(result.outputs["pdf"]) <= pages


@pytest.mark.parametrize("audience,pages", [("minister", 1), ("minister", 2), ("analyst", 2)])
def test_docx_as_laid_out_by_libreoffice_fits_too(audience: str, pages: int, tmp_path: Path) -> None:
    result = build(spec_for(tmp_path, audience, f"{pages} pages", ALL), formats="docx,pdf",
                   out_dir=tmp_path, workspace=REPO)
    counted = result.assembly.pages
    lo_pdf = soffice_convert(result.outputs["docx"], "pdf", tmp_path / "lo")
    total = pdf_pages(lo_pdf)
    pdf_total = pdf_pages(result.outputs["pdf"])
    # annexes sit after the counted pages in both renderings, so compare the counted part
    assert total - (pdf_total - counted) <= pages


@pytest.mark.parametrize("audience,words,modules", [
    ("minister", 300, ALL[:3]), ("minister", 800, ALL[:6]), ("minister", 1500, ALL),
    ("analyst", 1200, ALL[:4]), ("press", 600, PUBLIC[3:6]), ("public", 1000, PUBLIC[:4]),
])
def test_word_budget_within_ten_percent(audience: str, words: int, modules: list[str], tmp_path: Path) -> None:
    spec = tmp_path / "w.yaml"
    spec.write_text(f"title: Words\ndate: 2026-11-23\naudience: {audience}\nlength: {words} words\n"
                    f"formats: [md]\nmodules: [{', '.join(modules)}]\n", encoding="utf-8")
    result = build(spec, formats="md", out_dir=tmp_path, workspace=REPO)
    assert abs(result.assembly.words - words) <= 0.1 * words, result.assembly.words
    assert not result.warnings


def test_modules_are_dropped_with_a_warning_or_refused_under_no_drop(tmp_path: Path) -> None:
    spec = spec_for(tmp_path, "minister", "1 page", ALL)
    result = build(spec, formats="pdf", out_dir=tmp_path, workspace=REPO)
    dropped = [w.message for w in result.warnings if "dropped" in w.message]
    assert dropped and "outlook-indicators" in dropped[0]  # last in order, so first to go
    with pytest.raises(RenderError, match="does not fit in 1 page"):
        build(spec, formats="pdf", out_dir=tmp_path / "nodrop", workspace=REPO, drop=False)
    assert not (tmp_path / "nodrop").exists()


EXPLAINED = ["minister-one-page", "analyst-assessment"]


@pytest.mark.parametrize("name", EXPLAINED)
def test_explain_output_is_golden(name: str, tmp_path: Path, accept: bool) -> None:
    from typer.testing import CliRunner

    from briefgen.cli import app

    result = CliRunner().invoke(app, ["build", str(REPO / "examples" / f"{name}.yaml"), "-f", "pdf",
                                      "-o", str(tmp_path), "--explain"])
    assert result.exit_code == 0, result.output
    plan = "\n".join(line for line in result.output.splitlines() if not line.startswith(str(tmp_path))) + "\n"
    golden = Path(__file__).parent / "golden" / f"explain-{name}.txt"
    if accept or not golden.exists():
        golden.write_text(plan, encoding="utf-8")
    assert plan == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("answer", [0, 1, 5, 9, 10])
@pytest.mark.parametrize("start", [0, 3, 9])
def test_search_finds_the_last_fitting_state_from_any_start(answer: int, start: int) -> None:
    from briefgen.fit import last_fitting

    probes = []
    fits = lambda k: probes.append(k) or k < answer  # noqa: E731  states 0..answer-1 fit
    found = last_fitting(fits, 10, start)
    assert found == (answer - 1 if answer else None)
    assert len(set(probes)) <= 6


@pytest.mark.parametrize("audience", ["minister", "analyst", "public"])   # press briefs have no annexes
def test_a_layout_with_its_annexes_measures_the_body_as_one_without(audience: str) -> None:
    """Fitting lays out the state it expects to choose whole (drawn, for the PDF) and others
    without annexes: both must report the same body pages and last-page fill."""
    from dataclasses import replace

    from briefgen.pipeline import prepare_brief
    from briefgen.model import Div
    from briefgen.layout import lay_out

    brief = prepare_brief(REPO / "examples" / "minister-two-page.yaml", audience=audience, formats="md")
    doc = brief.assembly.document
    body_only = replace(doc, blocks=tuple(b for b in doc.blocks if not (isinstance(b, Div) and b.kind == "annex")))
    assert len(body_only.blocks) < len(doc.blocks), "the example should have annexes"
    whole, body = lay_out(doc, brief.theme), lay_out(body_only, brief.theme, draw=False)
    assert (whole.body_pages, whole.last_body_page_fill) == (body.pages, body.last_body_page_fill)


def test_the_layout_fitting_drew_is_written_byte_for_byte_as_a_fresh_one(tmp_path: Path) -> None:
    from briefgen.pipeline import prepare_brief
    from briefgen.writers import pdf

    brief = prepare_brief(REPO / "examples" / "minister-one-page.yaml", formats="pdf")
    doc, drawn = brief.assembly.document, brief.assembly.layout
    assert drawn is not None and drawn.pdf, "fitting should have drawn the chosen layout"
    kept, fresh = tmp_path / "kept.pdf", tmp_path / "fresh.pdf"
    with kept.open("wb") as out:
        pdf.write_pdf(doc, brief.theme, out, drawn)
    with fresh.open("wb") as out:
        pdf.write_pdf(doc, brief.theme, out)
    assert kept.read_bytes() == fresh.read_bytes()
    assert pdf_pages(kept) == 3     # a page of text, then its two annexes


def test_a_docx_only_build_draws_no_pdf() -> None:
    from briefgen.pipeline import prepare_brief

    brief = prepare_brief(REPO / "examples" / "minister-two-page.yaml", formats="docx")
    assert brief.assembly.layout is None


def test_a_measured_layout_reports_what_the_written_one_does() -> None:
    """Measuring skips drawing the text; the pages, annex start and fills must not change."""
    import io

    from briefgen.pipeline import prepare_brief
    from briefgen.layout.pages import one_pass
    from briefgen.layout.styles import styles_for

    for name in ("minister-one-page", "minister-two-page", "analyst-assessment", "public-brief", "weekly-update"):
        brief = prepare_brief(REPO / "examples" / f"{name}.yaml", formats="md")
        doc, st = brief.assembly.document, styles_for(brief.theme)
        measured, written = one_pass(doc, st, None), one_pass(doc, st, io.BytesIO())
        assert (measured.pages, measured.annex_page, measured.fills, measured.note_pages, measured.continued) == \
            (written.pages, written.annex_page, written.fills, written.note_pages, written.continued), name


@pytest.fixture
def layouts(monkeypatch) -> list[int]:
    """The trial layouts fitting makes (one entry each), with no cache (as a fresh process)."""
    from briefgen import layout

    made: list[int] = []
    real = layout._lay_out     # a layout made, not one found in the cache
    monkeypatch.setattr(layout, "_lay_out", lambda *a, **k: made.append(1) or real(*a, **k))
    return made


def test_how_many_modules_to_drop_is_searched_not_tried_one_by_one(tmp_path: Path, layouts: list[int]) -> None:
    """Twelve modules in one page: eight must go. The result is what dropping them one at a time
    gives (lowest priority first), found with far fewer layouts than one per dropped module."""
    from briefgen.pipeline import prepare_brief

    brief = prepare_brief(spec_for(tmp_path, "minister", "1 page", ALL), workspace=REPO)
    assert [c.module.id for c in brief.assembly.choices] == ["overview", "background", "timeline",
                                                            "trilateral-statement"]
    dropped = [w.message.split("'")[1] for w in brief.warnings if "dropped" in w.message]
    assert dropped == ["outlook-indicators", "mercenaries", "energy-transport", "csto-legal-basis",
                       "actor-armenia", "actor-azerbaijan", "actor-turkey", "actor-russia"]
    assert brief.assembly.pages == 1
    assert 2 <= len(layouts) <= 7, f"{len(layouts)} layouts (one per dropped module would be 11)"


def test_the_analyst_example_is_fitted_in_a_handful_of_layouts(layouts: list[int]) -> None:
    """Its last page comes out half full, so single longer steps are tried; those whose extra words
    clearly cannot fit are not laid out (once: 14 trial layouts)."""
    from briefgen.pipeline import prepare_brief

    brief = prepare_brief(REPO / "examples" / "analyst-assessment.yaml", formats="pdf")
    assert (brief.assembly.pages, brief.assembly.fill) == (8, 0.7321)   # the plan in tests/golden/explain-*
    assert 2 <= len(layouts) <= 6, f"{len(layouts)} trial layouts"


FITTED = ["minister-one-page", "minister-two-page", "minister-meeting", "analyst-assessment", "public-brief",
          "weekly-update"]


def _search_and_every_state(spec: Path, monkeypatch, **options) -> tuple[int | None, int | None]:
    """(the chain state fitting settled on, the longest chain state that fits as laying out each
    state in turn from the shortest finds)."""
    from briefgen import fit
    from briefgen.pipeline import prepare_brief

    seen: dict[str, object] = {}
    real_chain, real_search = fit.growth_chain, fit.last_fitting
    monkeypatch.setattr(fit, "growth_chain", lambda *a: seen.setdefault("chain", real_chain(*a)))
    monkeypatch.setattr(fit, "last_fitting",
                        lambda fits, count, start: seen.setdefault("found", real_search(fits, count, start)))
    measured: list[object] = []
    real_init = fit._Measurer.__init__

    def keep(self, *a, **k):
        real_init(self, *a, **k)
        measured.append(self)

    monkeypatch.setattr(fit._Measurer, "__init__", keep)
    brief = prepare_brief(spec, formats="pdf", **options)
    measurer, chain, budget = measured[0], seen["chain"], brief.assembly.plan.length.amount
    entries = list(brief.assembly.plan.entries)
    longest = None
    for k, state in enumerate(chain):
        if not measurer.fits(entries, state, budget):
            break
        longest = k
    return seen["found"], longest


@pytest.mark.parametrize("name", FITTED)
def test_the_aimed_search_chooses_what_laying_out_every_state_would(name: str, monkeypatch) -> None:
    """Aiming, and passing over states whose extra words clearly cannot fit, only make the search
    quicker: the chain state it settles on is the longest that fits, as laying out each state of
    the growth chain in turn, from the shortest, finds."""
    found, longest = _search_and_every_state(REPO / "examples" / f"{name}.yaml", monkeypatch)
    assert found == longest


@pytest.mark.parametrize("words_per_page", [100, 1500])
@pytest.mark.parametrize("name", ["minister-one-page", "minister-two-page"])
def test_a_badly_calibrated_profile_costs_layouts_not_the_right_length(name: str, words_per_page: int,
                                                                         repo_ws: Path, monkeypatch) -> None:
    """A template copied and changed without recalibrating its profile (words per page at either
    end of what a profile may say): fitting still settles on the longest state that fits."""
    profile = repo_ws / "templates" / "minister" / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"words_per_page: \d+", f"words_per_page: {words_per_page}", text), encoding="utf-8")
    assert f"words_per_page: {words_per_page}" in profile.read_text(encoding="utf-8")
    found, longest = _search_and_every_state(repo_ws / "examples" / f"{name}.yaml", monkeypatch, workspace=repo_ws)
    assert found == longest is not None


def test_a_calibrated_profile_fits_the_two_page_example_in_two_layouts(layouts: list[int]) -> None:
    """The minister profile's words per page aim the first layout close (counted: the chain's steps
    are finer than a profile's guess is sure of); the second is the state chosen, drawn as it is
    laid out, so the PDF writer does not lay it out again; the next state's extra words clearly
    cannot fit in what is left of page two, so it is not laid out."""
    from briefgen.pipeline import prepare_brief

    brief = prepare_brief(REPO / "examples" / "minister-two-page.yaml", formats="pdf")
    assert (brief.assembly.pages, brief.assembly.fill) == (2, 0.9464)
    assert brief.assembly.layout is not None and brief.assembly.layout.pdf
    assert len(layouts) == 2
