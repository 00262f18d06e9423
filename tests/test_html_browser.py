"""The HTML brief in a real browser: every example passes axe-core's WCAG 2.2 A and AA rules with no
violation in headless Chromium, its notes round-trip (mark -> note -> back), and printing it keeps
the page furniture. Each example's first screen is saved for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import build

from .chromium import SCREENS, axe_source, print_pdf, run_axe
from .clients import pdftotext_pages

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def html_briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("html")
    return {spec.stem: build(spec, formats="html", out_dir=out, strict=True).outputs["html"] for spec in EXAMPLES}


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.mark.parametrize("name", [s.stem for s in EXAMPLES])
def test_every_example_passes_axe_core(name: str, html_briefs, browser, axe: str) -> None:
    browser.get(html_briefs[name].as_uri())
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENS / f"{name}.png"))
    result = run_axe(browser, axe)
    assert result["version"].startswith("4.")
    assert result["violations"] == [], "\n".join(f"{v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"])
                                                  for v in result["violations"])


def test_notes_round_trip_from_mark_to_note_and_back(html_briefs, browser) -> None:
    browser.get(html_briefs["analyst-assessment"].as_uri())
    pairs = browser.execute_script("""
        return [...document.querySelectorAll('a[role="doc-noteref"]')].map(a => {
            const note = document.getElementById(a.hash.slice(1));
            const back = note && note.querySelector('a[role="doc-backlink"]');
            return [a.id, a.textContent, note ? note.id : null, note ? note.tagName : null,
                    back ? back.hash.slice(1) : null];
        });""")
    assert len(pairs) > 20
    for mark, number, note, tag, back in pairs:
        assert (note, tag) == (f"fn{number}", "LI") and back == mark, (mark, number, note, back)
    # and by clicking, as a reader does: the third mark, its note, then back
    browser.find_element("css selector", 'a[role="doc-noteref"][href="#fn3"]').click()
    assert browser.execute_script("return location.hash") == "#fn3"
    assert browser.execute_script("return document.querySelector(':target').id") == "fn3"
    browser.find_element("css selector", '#fn3 a[role="doc-backlink"]').click()
    assert browser.execute_script("return location.hash") == "#fnref3"


def test_printing_keeps_the_marking_page_numbers_and_running_header(html_briefs, browser, tmp_path: Path) -> None:
    browser.get(html_briefs["minister-two-page"].as_uri())
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(print_pdf(browser))
    pages = pdftotext_pages(pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0].endswith("OFFICIAL-SENSITIVE") and "OFFICIAL-SENSITIVE" in lines[-1], lines
        assert f"Page {number} of {len(pages)}" in lines[-1]
        assert ("Russia and Nagorno-Karabakh" in lines[0]) == (number > 1)   # running header from page 2
