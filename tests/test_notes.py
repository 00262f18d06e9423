"""The notes engine: Chicago first/short forms, several sources, cited-in, page ranges, styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.catalog.sources import load_sources
from briefgen.errors import ContentError
from briefgen.model import Div, Note, Para, Text, notes_of, Document, Meta, plain_text
from briefgen.notes import resolve_citations
from briefgen.parse import parse_markdown

SOURCES = load_sources(Path(__file__).parent / "fixtures" / "ws" / "content" / "sources.yaml")


def notes_for(markdown: str, style: str = "chicago", **kw) -> list[str]:
    res = resolve_citations(parse_markdown(markdown, "module:test.md"), SOURCES, style, **kw)
    return [plain_text(n.children) for n in notes_of(Document(Meta("t"), res.blocks))]


def test_first_citation_is_full_and_later_ones_short() -> None:
    notes = notes_for("One [@smith-2020, p. 105]. Two [@smith-2020, 106].")
    assert notes == [
        "Jane Smith and Rauf Aliyev, “Ceasefires in the South Caucasus: A Study,” Journal of Caucasus Studies 12, no. 3 (2020): 105.",
        "Smith and Aliyev, “Ceasefires,” 106.",
    ]


def test_several_sources_in_one_note_are_separated_by_semicolons() -> None:
    (note,) = notes_for("Both [@web-2020; @smith-2020, 12-14].")
    assert note.startswith("“Russia's position on the conflict,” Policy Centre, 30 October 2020")
    assert "; Jane Smith and Rauf Aliyev" in note
    assert note.endswith("(2020): 12–14.")  # hyphen range becomes an en dash


def test_primary_source_is_cited_in_the_secondary_with_the_secondarys_page() -> None:
    (note,) = notes_for("Putin said so [@kremlin-2020, 110].")
    assert note.startswith("President of Russia, “Statement by the President of Russia,” 10 November 2020, http://")
    assert ", cited in Jane Smith and Rauf Aliyev, “Ceasefires in the South Caucasus: A Study,”" in note
    assert note.endswith("(2020): 110.")


def test_short_style_never_gives_a_full_note() -> None:
    assert notes_for("One [@smith-2020, 105].", "short") == ["Smith and Aliyev, “Ceasefires,” 105."]


def test_ibid_only_when_asked() -> None:
    text = "One [@smith-2020, 105]. Two [@smith-2020, 106]."
    assert notes_for(text, ibid=True)[1] == "Ibid., 106."
    assert notes_for(text)[1] == "Smith and Aliyev, “Ceasefires,” 106."


def test_numbered_style_gives_bracketed_numbers_and_no_notes() -> None:
    res = resolve_citations(parse_markdown("A [@web-2020]. B [@smith-2020, 4; @web-2020].\n\n::: bibliography\n:::\n"),
                            SOURCES, "numbered")
    para = res.blocks[0]
    assert isinstance(para, Para) and not any(isinstance(n, Note) for n in para.children)
    assert plain_text(para.children) == "A [1]. B [2, 4; 1]."
    bib = res.blocks[1]
    assert isinstance(bib, Div)
    assert [plain_text(p.children)[:4] for p in bib.children] == ["[1] ", "[2] "]


def test_bibliography_is_sorted_by_author_and_includes_cited_in_secondary() -> None:
    res = resolve_citations(parse_markdown("X [@kremlin-2020].\n\n::: bibliography\n:::\n"), SOURCES)
    entries = [plain_text(p.children) for p in res.blocks[1].children]
    assert [e.split(".")[0] for e in entries] == ["President of Russia", "Smith, Jane, and Rauf Aliyev"]
    assert entries[0].endswith("Cited in Smith and Aliyev, “Ceasefires.”")


def test_paragraph_merging_gives_one_note_per_paragraph() -> None:
    notes = notes_for("A [@web-2020]. B [@smith-2020, 3]. C [@web-2020].", "short", merge_paragraphs=True)
    assert notes == ["“Russia's position on the conflict”; Smith and Aliyev, “Ceasefires,” 3."]


def test_unknown_source_names_the_module_file_and_line() -> None:
    with pytest.raises(ContentError) as err:
        resolve_citations(parse_markdown("line one\n\nbad [@smith-2021].", "module:m.md"), SOURCES)
    assert str(err.value).startswith("m.md:3: unknown source '@smith-2021'")
    assert "did you mean 'smith-2020'" in str(err.value)


def test_note_mark_follows_the_punctuation_without_a_space() -> None:
    res = resolve_citations(parse_markdown("Word [@web-2020]. Next [@web-2020], then"), SOURCES)
    kids = res.blocks[0].children
    assert kids[0] == Text("Word.") and isinstance(kids[1], Note)
    assert kids[2] == Text(" Next,") and isinstance(kids[3], Note) and kids[4] == Text(" then")
