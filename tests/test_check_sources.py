"""`briefgen check` reads the source registry as an editor would: each case warns, --strict fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.catalog.check import check_workspace, source_warnings
from briefgen.catalog.sources import Source
from briefgen.workspace import find_workspace

REPO = Path(__file__).resolve().parent.parent


def warnings_for(**fields) -> list[str]:
    source = Source.model_validate({"id": "x", "type": "webpage", "title": "A short title", **fields})
    return [w.message for w in source_warnings({"x": source}, "sources.yaml")]


@pytest.mark.parametrize("fields, expected", [
    ({"type": "speech"}, "type 'speech' has no Chicago form"),
    ({"type": "article"}, "type 'article' has no Chicago form"),
    ({"title": "Russia and Turkey in Nagorno-Karabakh, between…"}, "ends in '…'"),
    ({"URL": "https://example.org/a?fbclid=IwAR0"}, "tracking parameter"),
    ({"URL": "https://example.org/a?x=1&utm_source=tw"}, "tracking parameter"),
    ({"title": "Small outpost is Russia's first visible aid to Armenia"}, "9 words has no short title"),
    ({"title": "Otvety na voprosy SMI po situatsii"}, "does not look English"),
    ({"title": "Millî Savunma Bakanı Hulusi Akar: Çalışmalar Tamamlandı"}, "does not look English"),
])
def test_each_registry_problem_is_a_warning(fields: dict, expected: str) -> None:
    assert any(expected in w for w in warnings_for(**fields)), warnings_for(**fields)


def test_clean_entries_give_no_warning() -> None:
    assert warnings_for(title="Azerbaijan celebrates Nagorno-Karabakh victory, Erdogan attends") == []
    assert warnings_for(title="Otvety na voprosy SMI po situatsii", language="ru") == []
    assert warnings_for(title="A title of many more words than eight, but shortened", **{"short-title": "A title"}) == []


def test_two_sources_with_the_same_short_note_warn_unless_their_dates_differ() -> None:
    def statement(key: str, date: str) -> Source:
        return Source.model_validate({"id": key, "type": "webpage", "title": "Press statement", "issued": date,
                                      "author": [{"literal": "OSCE"}]})
    same = source_warnings({"a": statement("a", "2020-10-25"), "b": statement("b", "2020-10-25")}, "s.yaml")
    assert [w.message for w in same] == ["source 'b': its short notes would be identical to those of 'a' "
                                         "(OSCE, “Press Statement”)"]
    assert source_warnings({"a": statement("a", "2020-10-25"), "b": statement("b", "2020-10-30")}, "s.yaml") == []


def test_the_bundled_registry_is_clean_under_strict() -> None:
    report = check_workspace(find_workspace(REPO / "examples" / "analyst-assessment.yaml", None))
    assert report.ok(strict=True), [w.message for w in report.warnings]
