"""Page breaks a typesetter accepts: no heading alone at the foot of a page of any example PDF.

A heading keeps with the headings straight after it and with the first lines of the paragraph
that follows, counting the room that paragraph's notes take (``layout/story.py``). The slow
``test_same_pages`` checks the same at 1 to 6 pages in both themes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen import build

from . import clients

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.mark.clients
@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_page_of_an_example_ends_with_a_heading(spec: Path, tmp_path: Path) -> None:
    result = build(spec, formats="pdf", out_dir=tmp_path)
    assert clients.stranded_headings(result.outputs["pdf"], result.assembly.document, result.theme) == []


def test_without_the_rule_a_heading_is_left_at_the_foot(tmp_path: Path) -> None:
    """The check and the rule together: a paragraph long enough to push the heading after it to a
    page's foot strands it when headings keep with nothing, never with the rule."""
    from briefgen.layout import story
    from briefgen.model import Document, Heading, Meta, Para, Text
    from briefgen.theme import load_theme
    from briefgen.writers import get_writer

    theme = load_theme(REPO / "themes" / "default")

    def stranded(words: int) -> list[str]:
        doc = Document(Meta(title="Stranded"), (Para((Text(" ".join(["word"] * words)),)),
                                               Heading(1, (Text("Alone at the foot"),), "a"),
                                               Para((Text("Text after it. " * 20),))))
        pdf = tmp_path / f"s{words}.pdf"
        with pdf.open("wb") as out:
            get_writer("pdf")(doc, theme, out)
        return clients.stranded_headings(pdf, doc, theme)

    keep = story.StoryBuilder._keep_with_next
    found = {}
    try:
        story.StoryBuilder._keep_with_next = lambda self, parts, i: story.KeepRoom(0)
        for words in range(400, 720, 8):            # some length leaves room for the heading alone
            found[words] = stranded(words)
    finally:
        story.StoryBuilder._keep_with_next = keep
    bad = [w for w, problems in found.items() if problems]
    assert bad, "no length left the heading at the foot: the check found nothing to find"
    assert found[bad[0]] == ["page 1 ends with the heading 'Alone at the foot'"]
    assert all(stranded(w) == [] for w in bad)
