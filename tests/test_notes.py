"""The notes engine: Chicago first/short forms, several sources, cited-in, page ranges, styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.catalog.sources import Source, load_sources
from briefgen.errors import ContentError
from briefgen.model import Div, Note, Para, Text, notes_of, Document, Meta, plain_text
from briefgen.notes import resolve_citations
from briefgen.notes.chicago import bibliography_entry, format_locator, full_note, punctuate, short_note, sort_key
from briefgen.notes.titles import headline_case
from briefgen.parse import parse_markdown

from .citeproc_reference import flatten

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
    assert note.startswith("“Russia’s Position on the Conflict,” Policy Centre, 30 October 2020")
    assert "; Jane Smith and Rauf Aliyev" in note
    assert note.endswith("(2020): 12–14.")  # hyphen range becomes an en dash


def test_primary_source_is_cited_in_the_secondary_with_the_secondarys_page() -> None:
    (note,) = notes_for("Putin said so [@kremlin-2020, 110].")
    assert note.startswith("President of Russia, “Statement by the President of Russia,” 10 November 2020, http://")
    assert ", cited in Jane Smith and Rauf Aliyev, “Ceasefires in the South Caucasus: A Study,”" in note
    assert note.endswith("(2020): 110.")


@pytest.mark.parametrize("text", ["Putin said so [@kremlin-2020; @smith-2020, 110].",
                                  "Putin said so [@smith-2020, 110; @kremlin-2020]."])
def test_a_primary_cited_with_its_secondary_is_one_clause_with_the_secondarys_page(text: str) -> None:
    (note,) = notes_for(text)
    assert note == ("President of Russia, “Statement by the President of Russia,” 10 November 2020, "
                    "http://en.kremlin.ru/events/president/news/64384, cited in Jane Smith and Rauf Aliyev, "
                    "“Ceasefires in the South Caucasus: A Study,” Journal of Caucasus Studies 12, no. 3 (2020): 110.")
    assert note.count("Smith") == 1   # the secondary is not repeated as a cite of its own


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
    # Chicago gives the secondary's full facts of publication, not its short form
    assert entries[0].endswith("Cited in Jane Smith and Rauf Aliyev, “Ceasefires in the South Caucasus: A Study,” "
                               "Journal of Caucasus Studies 12, no. 3 (2020).")


def test_paragraph_merging_gives_one_note_per_paragraph() -> None:
    notes = notes_for("A [@web-2020]. B [@smith-2020, 3]. C [@web-2020].", "short", merge_paragraphs=True)
    assert notes == ["“Russia’s Position on the Conflict”; Smith and Aliyev, “Ceasefires,” 3."]


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


# -- the forms, one source at a time ----------------------------------------------------------------
def src(**fields) -> Source:
    return Source.model_validate({"id": "x", "title": "A title", **fields})


def full(source: Source, locator: str = "") -> str:
    return flatten(tuple(full_note(source, locator)))


def short(source: Source, locator: str = "") -> str:
    return flatten(tuple(short_note(source, locator)))


def bib(source: Source, via: Source | None = None) -> str:
    return flatten(tuple(bibliography_entry(source, via)))


def names(n: int) -> list[dict]:
    return [{"family": f"A{i}", "given": "X."} for i in range(n)]


def test_english_titles_take_headline_case_and_other_languages_keep_their_own() -> None:
    english = src(type="webpage", title="Russia's role in the war between Armenia and Azerbaijan: who gains?")
    assert full(english).startswith("“Russia’s Role in the War between Armenia and Azerbaijan: Who Gains?”")
    russian = src(type="webpage", title="Otvety na voprosy SMI po situatsii", language="ru")
    assert full(russian) == "“Otvety na voprosy SMI po situatsii”"


def test_a_descriptive_title_is_roman_in_sentence_case_without_quotation_marks() -> None:
    paper = src(type="report", title="Paper on Russia's position", **{"descriptive-title": True}, issued=2020)
    assert full(paper, "3") == "Paper on Russia’s position (2020), 3"
    assert bib(paper) == "Paper on Russia’s position. 2020."


def test_websites_and_series_are_roman_periodicals_and_books_italic() -> None:
    page = src(type="webpage", title="Statement", **{"container-title": "OSCE"}, issued="2020-10-10")
    assert full(page) == "“Statement,” OSCE, 10 October 2020"
    report = src(type="report", title="Trends", **{"collection-title": "SIPRI Fact Sheet"}, publisher="SIPRI",
                 issued="2018-03")
    assert full(report, "4") == "*Trends*, SIPRI Fact Sheet (SIPRI, 2018), 4"
    news = src(type="article-newspaper", title="Report", **{"container-title": "TASS"}, issued="2020-11-10")
    assert full(news) == "“Report,” *TASS*, 10 November 2020"


def test_no_comma_before_the_parenthesis_and_a_comma_before_no() -> None:
    assert full(src(type="report", title="Trends", issued=2020)) == "*Trends* (2020)"
    journal = src(type="article-journal", title="War", **{"container-title": "Revista"}, issue=17, issued=2021)
    assert full(journal, "458") == "“War,” *Revista*, no. 17 (2021): 458"
    journal = src(type="article-journal", title="War", **{"container-title": "Sprawy"}, volume=74, issue=4,
                  issued=2021)
    assert full(journal, "12") == "“War,” *Sprawy* 74, no. 4 (2021): 12"


def test_a_section_locator_has_curly_quotes_with_the_stop_inside() -> None:
    assert notes_for('One [@smith-2020, sec. "Conclusion"].')[0].endswith("(2020): sec. “Conclusion.”")
    assert format_locator("sec. \"Russia's view\"") == "sec. “Russia’s view”"


def test_a_title_ending_in_a_question_mark_gets_no_second_stop() -> None:
    book = src(type="book", title="Who wins?", issued=2020, publisher="P")
    assert bib(book) == "*Who Wins?* P, 2020."
    assert flatten(tuple(punctuate([Text("“Who Wins?”")], "."))) == "“Who Wins?”"
    assert short(book, "4") == "*Who Wins?*, 4"   # the comma stays (CMOS 18, chap. 6)


def test_quotation_marks_nest_inside_a_quoted_title_and_apostrophes_are_curly() -> None:
    news = src(type="article-newspaper", title='Press portrays Armenia\'s leader as "carbon copy"',
               **{"container-title": "Eurasianet"}, issued="2018-07-23")
    assert full(news) == "“Press Portrays Armenia’s Leader as ‘Carbon Copy,’” *Eurasianet*, 23 July 2018"
    assert bib(news).startswith("*Eurasianet*. “Press Portrays Armenia’s Leader as ‘Carbon Copy.’” 23 July 2018.")


def test_a_journal_article_without_a_journal_keeps_its_year() -> None:
    article = src(type="article-journal", title="Approaches", issued=2021)
    assert full(article, "12") == "“Approaches,” 2021, 12"


def test_a_chapter_has_in_and_its_page_range() -> None:
    chapter = src(type="chapter", author=[{"literal": "IISS"}], title="Russia and Eurasia",
                  **{"container-title": "The Military Balance 2020"}, volume=120, publisher="IISS", issued=2020,
                  page="166-219", DOI="10.1080/1")
    assert full(chapter, "170") == ("IISS, “Russia and Eurasia,” in *The Military Balance 2020* (IISS, 2020), "
                                    "120:170, https://doi.org/10.1080/1")
    assert bib(chapter) == ("IISS. “Russia and Eurasia.” In *The Military Balance 2020*, vol. 120, 166–219. "
                            "IISS, 2020. https://doi.org/10.1080/1.")


def test_two_works_with_the_same_short_form_are_told_apart_by_date() -> None:
    a = src(id="a", type="webpage", author=[{"literal": "OSCE"}], title="Press statement", issued="2020-10-25")
    b = src(id="b", type="webpage", author=[{"literal": "OSCE"}], title="Press statement", issued="2020-10-30")
    res = resolve_citations(parse_markdown("X [@a]. Y [@b]. Z [@a, 2]. W [@b]."), {"a": a, "b": b})
    notes = [flatten(n.children) for n in notes_of(Document(Meta("t"), res.blocks))]
    assert notes[2:] == ["OSCE, “Press Statement,” 25 October 2020, 2.", "OSCE, “Press Statement,” 30 October 2020."]


def test_unsigned_news_is_filed_under_the_newspaper() -> None:
    news = src(type="article-newspaper", title="Ceasefire agreed", **{"container-title": "TASS"},
               issued="2020-11-11", URL="https://tass.com/1")
    assert bib(news) == "*TASS*. “Ceasefire Agreed.” 11 November 2020. https://tass.com/1."
    assert short(news) == "*TASS*, “Ceasefire Agreed”"
    assert sort_key(news)[0] == "tass"


def test_an_unsigned_work_starts_with_its_title() -> None:
    page = src(type="webpage", title="Approaches", **{"container-title": "Site"}, issued=2021)
    assert bib(page) == "“Approaches.” Site, 2021."


@pytest.mark.parametrize("count, note, shortened, entry", [
    (2, "X. A0 and X. A1", "A0 and A1", "A0, X., and X. A1."),
    (3, "X. A0 et al.", "A0 et al.", "A0, X., X. A1, and X. A2."),
    (6, "X. A0 et al.", "A0 et al.", "A0, X., X. A1, X. A2, X. A3, X. A4, and X. A5."),
    (7, "X. A0 et al.", "A0 et al.", "A0, X., X. A1, X. A2, et al."),
    (11, "X. A0 et al.", "A0 et al.", "A0, X., X. A1, X. A2, et al."),
])
def test_et_al_follows_the_18th_edition(count: int, note: str, shortened: str, entry: str) -> None:
    """Notes: three or more authors as the first and et al.; bibliography: up to six listed,
    seven or more as the first three and et al. (CMOS 18, chap. 14, several authors)."""
    book = src(type="book", author=names(count), title="Trends", issued=2020)
    assert full(book) == note + ", *Trends* (2020)"
    assert short(book) == shortened + ", *Trends*"
    assert bib(book) == entry + " *Trends*. 2020."


def test_headline_case_leaves_words_with_capitals_and_hyphenated_parts_are_capitalised() -> None:
    assert headline_case("the OSCE and a long-term, Kremlin-backed plan in iPhone era") == \
        "The OSCE and a Long-Term, Kremlin-Backed Plan in iPhone Era"
    assert headline_case("what comes after") == "What Comes After"   # the last word is capitalised


def test_a_primary_with_its_own_page_does_not_swallow_another_cite_of_the_secondary() -> None:
    (note,) = notes_for("A [@smith-2020, 105; @web-2020; @kremlin-2020, 110].")
    assert note.startswith("Jane Smith and Rauf Aliyev, “Ceasefires in the South Caucasus: A Study,” "
                           "Journal of Caucasus Studies 12, no. 3 (2020): 105; ")
    assert note.endswith("cited in Smith and Aliyev, “Ceasefires,” 110.")


def test_merged_paragraph_notes_fold_each_citation_before_merging() -> None:
    (note,) = notes_for("A [@smith-2020, 105]. B [@kremlin-2020; @smith-2020, 110].", "short", merge_paragraphs=True)
    assert note == ("Smith and Aliyev, “Ceasefires,” 105; President of Russia, “Statement by the President of "
                    "Russia,” cited in Smith and Aliyev, “Ceasefires,” 110.")


def test_pages_of_one_source_cited_together_are_one_clause() -> None:
    (note,) = notes_for("A [@smith-2020, 105; @smith-2020, pp. 108-109].")
    assert note.endswith("(2020): 105, 108–109.")
    assert note.count("Smith") == 1
    # a section is not a page: two sections stay two clauses
    (note,) = notes_for('A [@smith-2020, 105; @smith-2020, sec. "Conclusion"].')
    assert note.count("Smith") == 2


def test_a_paragraphs_merged_note_gives_each_page_once_in_order() -> None:
    text = "A [@smith-2020, 458]. B [@smith-2020, 472]. C [@smith-2020, 458]. D [@smith-2020, 455-456; @smith-2020, 457]."
    assert notes_for(text, "short", merge_paragraphs=True) == ["Smith and Aliyev, “Ceasefires,” 455–458, 472."]


def test_an_organisation_as_author_and_site_is_named_once() -> None:
    page = src(type="webpage", title="Statement", author=[{"literal": "President of Russia"}],
               **{"container-title": "President of Russia"}, issued="2020-11-09")
    assert full(page) == "President of Russia, “Statement,” 9 November 2020"
    assert bib(page) == "President of Russia. “Statement.” 9 November 2020."
    other = src(type="webpage", title="Statement", author=[{"literal": "President of Russia"}],
                **{"container-title": "Kremlin"}, issued="2020-11-09")
    assert full(other) == "President of Russia, “Statement,” Kremlin, 9 November 2020"


CONTENT = load_sources(Path(__file__).parent.parent / "content" / "sources.yaml")


def test_the_undated_papers_description_does_not_repeat_its_year() -> None:
    entry = bib(CONTENT["ru-position-brief-2020"])
    assert entry.count("2020") == 1 and entry.endswith("after 27 September. 2020.")


def test_the_trilateral_statement_is_not_shortened_to_one_signatory() -> None:
    statement = CONTENT["kremlin-statement-2020-11-10"]
    assert short(statement, "1") == "President of Russia, “Trilateral Statement,” 1"
