"""Where a line must not break: the units a typesetter keeps together, joined in the model."""

from __future__ import annotations

import pytest

from briefgen.model import Document, Heading, Meta, Note, Para, Text
from briefgen.nobreak import NBSP, WORD_JOINER, bind_document, bind_last_words, bind_text

WJ = WORD_JOINER


@pytest.mark.parametrize("written,set_as", [
    ("announced on 9–10 November 2020", f"announced on 9–{WJ}10{NBSP}November 2020"),
    ("in force from 10 November", f"in force from 10{NBSP}November"),
    ("on November 9, 2020", f"on November{NBSP}9, 2020"),
    ("1,960 personnel and 90 armoured vehicles", f"1,960{NBSP}personnel and 90 armoured vehicles"),
    ("under 5% and 90 per cent", f"under 5% and 90{NBSP}per cent"),
    ("Studies no. 17 (2021): 458–459", f"Studies no.{NBSP}17 (2021): 458–{WJ}459"),
    ("p. 12", f"p.{NBSP}12"),
    ("the 2020 war, in 2015-2019", "the 2020 war, in 2015-2019"),     # a hyphen never breaks before a digit
    ("no numbers here", "no numbers here"),
])
def test_units_are_joined(written: str, set_as: str) -> None:
    assert bind_text(written) == set_as


def test_a_title_never_ends_with_one_word_alone() -> None:
    assert bind_last_words("Russia and the 2020 Nagorno-Karabakh war") == f"Russia and the 2020 Nagorno-Karabakh{NBSP}war"
    assert bind_last_words("Key facts") == "Key facts"             # two words: nothing to keep apart
    meta = Meta(title="Russia and the 2020 Nagorno-Karabakh war")
    assert meta.title_line.endswith(f"Nagorno-Karabakh{NBSP}war")
    assert meta.title == "Russia and the 2020 Nagorno-Karabakh war"   # the file's properties: as written


def test_the_document_is_bound_in_text_headings_and_notes() -> None:
    doc = Document(Meta(title="T"), (
        Heading(1, (Text("The November 2020 trilateral statement"),), "s"),
        Para((Text("It took effect on 10"), Text(" "), Text("November."), Note(1, (Text("Smith, p. 4."),)))),
    ))
    heading, para = bind_document(doc).blocks
    assert heading.children == (Text(f"The November 2020 trilateral{NBSP}statement"),)
    assert para.children[0] == Text(f"It took effect on 10{NBSP}November.")     # across the soft break
    assert para.children[1].children == (Text(f"Smith, p.{NBSP}4."),)
