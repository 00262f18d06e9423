"""The HTML writer: one self-contained page with the brief's structure, markings, notes both ways,
table headers and alt text; the theme's colours are checked against WCAG AA."""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen import build
from briefgen.pipeline import StrictFailure
from briefgen.model import Document, Figure, Para, Text
from briefgen.theme import Colours, Theme, load_theme
from briefgen.writers import get_writer
from briefgen.writers.html import render_html
from briefgen.writers.html.contrast import contrast_ratio, contrast_warnings

from .sample_docs import sample_document

REPO = Path(__file__).resolve().parent.parent


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, in order."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]


def html_of(doc: Document, theme: Theme | None = None) -> str:
    out = io.BytesIO()
    warnings = get_writer("html")(doc, theme or Theme(), out)
    assert warnings == []
    return out.getvalue().decode("utf-8")


def test_one_self_contained_page_with_landmarks_title_and_language() -> None:
    page = html_of(sample_document())
    tags = Tags(page)
    assert page.startswith("<!DOCTYPE html>")
    assert tags.all("html") == [{"lang": "en-GB"}]
    assert re.search(r"<title>Russia and the 2020 Nagorno-Karabakh war — Submission</title>", page)
    assert [t for t, _ in tags.tags if t in ("header", "nav", "main", "footer")] == ["header", "main", "footer"]
    assert not tags.all("link") and not tags.all("script") and not re.search(r'src="(?!data:)', page)
    assert "Text with &lt;b&gt;markup&lt;/b&gt; &amp; ampersands ]]&gt; stays literal." in page
    assert "Erdoğan, İlham Əliyev and Никол Пашинян" in page


def test_headings_in_order_under_the_title() -> None:
    tags = Tags(html_of(sample_document()))
    levels = [int(t[1]) for t, _ in tags.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert [a["id"] for t, a in tags.tags if t in ("h2", "h3") and a.get("id") != "notes-title"] == \
        ["issue", "background", "sources"]


def test_marking_banners_top_and_bottom_and_on_every_printed_page() -> None:
    page = html_of(sample_document())
    header, _, rest = page.partition("</header>")
    assert '<p class="marking marking-top">OFFICIAL-SENSITIVE</p>' in header
    assert '<p class="marking marking-bottom">OFFICIAL-SENSITIVE</p>' in rest.partition("<footer")[2]
    assert re.search(r'@top-center \{ content: "OFFICIAL-SENSITIVE"', page)
    assert re.search(r'@bottom-center \{ content: "OFFICIAL-SENSITIVE"', page)
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages)' in page
    # the page-margin boxes inherit nothing from the body: each names the theme's font itself
    assert len(re.findall(r'@(top|bottom)-\w+ \{[^}]*font-family: "Fira Sans", sans-serif;', page)) == 4
    assert "OFFICIAL-SENSITIVE" not in html_of(sample_document(marking=""))


def test_notes_are_a_list_at_the_end_linked_both_ways() -> None:
    page = html_of(sample_document())
    tags = Tags(page)
    refs = [a for a in tags.all("a") if a.get("role") == "doc-noteref"]
    backs = [a for a in tags.all("a") if a.get("role") == "doc-backlink"]
    assert [(a["href"], a["id"]) for a in refs] == [("#fn1", "fnref1"), ("#fn2", "fnref2"), ("#fn3", "fnref3")]
    assert [a["href"] for a in backs] == ["#fnref1", "#fnref2", "#fnref3"]
    assert [a["id"] for a in tags.all("li") if a.get("id")] == ["fn1", "fn2", "fn3"]
    notes = page.index('role="doc-endnotes"')
    assert notes > page.index("Borshchevskaya, Anna.") and notes < page.index("</main>")
    assert '<a href="http://en.kremlin.ru/events/president/news/64384">kremlin.ru</a>' in page


def test_table_header_cells_and_figure_alt_text(tmp_path: Path) -> None:
    image = tmp_path / "map.png"
    shutil.copy(REPO / "themes" / "embassy" / "logo.png", image)
    doc = sample_document()
    doc = Document(doc.meta, doc.blocks + (Figure(str(image), "Map of the ceasefire line", (Text("The line"),)),))
    tags = Tags(html_of(doc))
    assert [a for a in tags.all("th")] == [{"scope": "col"}, {"scope": "col"}]
    (img,) = tags.all("img")
    assert img["alt"] == "Map of the ceasefire line" and img["src"].startswith("data:image/png;base64,")


def test_contents_only_on_long_briefs(tmp_path: Path) -> None:
    short = html_of(sample_document())
    assert "<nav" not in short
    doc = sample_document()
    long = Document(doc.meta, doc.blocks + tuple(Para((Text("word " * 100),)) for _ in range(13)))
    tags = Tags(html_of(long))
    (nav,) = tags.all("nav")
    assert nav["aria-labelledby"] == "contents-title"
    page = html_of(long)
    toc = page[page.index("<nav"):page.index("</nav>")]
    assert [m for m in re.findall(r'href="#([^"]+)"', toc)] == ["issue", "background", "sources"]


def test_logo_alt_text_comes_from_the_theme() -> None:
    theme = load_theme(REPO / "themes" / "embassy")
    page, warnings = render_html(sample_document(), theme)
    (logo,) = [a for a in Tags(page).all("img") if a.get("class") == "logo"]
    assert logo["alt"] == theme.logo_alt == "Embassy Policy Planning Staff"
    assert warnings == []
    page, warnings = render_html(sample_document(), theme.model_copy(update={"logo_alt": ""}))
    assert any("no logo_alt" in w for w in warnings)


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)   # the AA grey
    assert contrast_warnings(Theme()) == []
    assert contrast_warnings(load_theme(REPO / "themes" / "embassy")) == []
    pale = Theme(colours=Colours(text="#999999", accent="#1d3557"))
    (body, boxed) = contrast_warnings(pale)
    assert "body text (colours.text #999999) on white has contrast 2.85:1, below WCAG AA 4.5:1" in body
    assert "text in boxes" in boxed


def test_a_pale_theme_warns_and_strict_refuses(repo_ws: Path, tmp_path: Path) -> None:
    theme = repo_ws / "themes" / "default" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('heading: "#1d3557"', 'heading: "#b0b0b0"'),
                     encoding="utf-8")
    spec = repo_ws / "examples" / "minister-one-page.yaml"
    result = build(spec, formats="html", out_dir=tmp_path / "out")
    assert any("headings (colours.heading #b0b0b0)" in str(w) and "below WCAG AA 4.5:1" in str(w)
               for w in result.warnings)
    with pytest.raises(StrictFailure):
        build(spec, formats="html", out_dir=tmp_path / "strict", strict=True)
    assert not (tmp_path / "strict" / "minister-one-page.html").exists()


def test_a_heading_named_like_a_note_keeps_every_id_unique() -> None:
    from briefgen.model import Heading, Note

    doc = sample_document()
    doc = Document(doc.meta, (Heading(1, (Text("FN1"),), "fn1"),
                              Para((Text("Marked"), Note(1, (Text("A source."),)))),))
    tags = Tags(html_of(doc))
    ids = [a["id"] for _, a in tags.tags if a.get("id")]
    assert len(ids) == len(set(ids)) and "fn1" in ids
    (ref,) = [a for a in tags.all("a") if a.get("role") == "doc-noteref"]
    (note,) = [a for a in tags.all("li") if a.get("id", "").startswith("fn")]
    assert ref["href"] == "#" + note["id"] and note["id"] != "fn1"
