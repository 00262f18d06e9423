"""Same pages on every reader's machine: the DOCX as LibreOffice lays it out, with the fonts a
recipient has (the Office fonts' metric twins; no brand font unless the DOCX carries it), breaks into
as many body pages as the PDF, and never more than the brief asked for.

Every example is built at its own length and at 1, 2, 3, 4 and 6 pages, and the analyst spec for
each other audience, in both bundled themes; all the DOCX files are laid out by one LibreOffice
process; no page of any of the PDFs ends with a heading. Slow (a few minutes): ``scripts/test`` runs it, a bare ``pytest`` skips it (``--slow``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen import build
from briefgen.errors import RenderError
from briefgen.model import Div, Heading, iter_blocks, plain_text

from . import clients

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
THEMES = ("default", "embassy")
LENGTHS = ("1 page", "2 pages", "3 pages", "4 pages", "6 pages")


def _cases() -> list[tuple[str, Path, dict]]:
    """(name, example, changes to its spec) for every build of the matrix, in one theme."""
    cases = []
    for example in EXAMPLES:
        own = yaml.safe_load(example.read_text(encoding="utf-8"))["length"]
        for length in dict.fromkeys([own, *LENGTHS]):
            cases.append((f"{example.stem}@{length.replace(' ', '')}", example, {"length": length}))
    analyst = REPO / "examples" / "analyst-assessment.yaml"
    for audience in ("minister", "press", "public"):
        cases.append((f"analyst-as-{audience}", analyst, {"audience": audience}))
    return cases


def _annex_heading(doc) -> str | None:
    """The first annex's first heading: where the pages that count end."""
    for block in doc.blocks:
        if isinstance(block, Div) and block.kind == "annex":
            for inner in iter_blocks(block.children):
                if isinstance(inner, Heading):
                    return clients.squash(plain_text(inner.children))
    return None


def body_pages(pages: list[str], annex: str | None) -> int:
    """Pages before the one the first annex starts on (all of them without an annex)."""
    if annex:
        for i, page in enumerate(pages):
            if annex in clients.squash(page):
                return i
    return len(pages)


def _page_budget(length: str) -> int | None:
    found = re.fullmatch(r"(\d+) pages?", length)
    return int(found.group(1)) if found else None


@pytest.mark.slow
@pytest.mark.clients
def test_docx_in_libreoffice_has_the_pdfs_body_pages(tmp_path: Path) -> None:
    clients.needs("soffice", "pdftotext")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    built, refused = [], []
    for theme in THEMES:
        for name, example, changes in _cases():
            data = yaml.safe_load(example.read_text(encoding="utf-8"))
            data.update(changes, theme=theme, formats=["docx", "pdf"])
            data.pop("output", None)
            if theme == "embassy" and data.get("marking"):   # its scheme is the US one
                data["marking"] = "CUI"
            stem = re.sub(r"[^\w@-]", "", f"{theme}-{name}")
            spec = tmp_path / "examples" / f"{stem}.yaml"    # beside the files a spec names
            spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            try:
                result = build(spec, workspace=REPO, out_dir=tmp_path / "out")
            except RenderError as exc:   # briefgen refuses a brief it cannot fit: never too long
                assert "does not fit" in exc.message, exc
                refused.append(stem)
                continue
            built.append((stem, data, result))
    lo_pdfs = clients.soffice_convert_all([r.outputs["docx"] for _s, _d, r in built], "pdf",
                                          tmp_path / "lo")
    same, report, longer, stranded = 0, [], [], []
    for (stem, data, result), lo_pdf in zip(built, lo_pdfs):
        a = result.assembly
        annex = None if a.plan.profile.settings.annexes_count else _annex_heading(a.document)
        pdf = body_pages(clients.pdftotext_pages(result.outputs["pdf"]), annex)
        lo = body_pages(clients.pdftotext_pages(lo_pdf), annex)
        budget = _page_budget(data["length"])
        if budget is not None:
            assert pdf == a.pages <= budget, f"{stem}: the PDF's body has {pdf} pages"
            if lo > budget:
                longer.append(f"{stem}: {lo} pages in LibreOffice, {budget} asked")
        stranded += [f"{stem}: {problem}" for problem in
                     clients.stranded_headings(result.outputs["pdf"], a.document, result.theme)]
        same += lo == pdf
        report.append(f"{stem:<44} pdf {pdf}  docx {lo}" + ("" if lo == pdf else "  <- differs"))
    print("\n".join(report))
    print(f"refused as too long for the length asked: {', '.join(refused) or 'none'}")
    print(f"same body page count in the DOCX (LibreOffice) and the PDF: {same} of {len(built)} builds")
    assert longer == []
    assert stranded == []       # no heading alone at the foot of a PDF page
    assert same >= 0.9 * len(built), f"only {same} of {len(built)} builds have the PDF's page count"
