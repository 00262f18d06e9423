"""Hand-built documents for writer tests: every node type, awkward characters, many notes."""

from __future__ import annotations

import datetime as dt

from briefgen.model import (BulletList, Div, Document, Emph, Heading, Link, Meta, Note, Para,
                            Strong, Table, Text)


def note(n: int, text: str, title: str = "") -> Note:
    children = (Text(text),)
    if title:
        children = (Text("Author, "), Emph((Text(title),)), Text(" " + text))
    return Note(n, children)


def sample_document(marking: str = "OFFICIAL-SENSITIVE") -> Document:
    meta = Meta(
        title="Russia and the 2020 Nagorno-Karabakh war",
        subtitle="Moscow's position and aims",
        short_title="Russia and Nagorno-Karabakh",
        doc_type="Submission",
        reference="BG-2026-001",
        date=dt.date(2026, 11, 23),
        as_of=dt.date(2026, 11, 20),
        author="Eastern Europe and Central Asia Directorate",
        office="Policy Unit",
        marking=marking,
        audience="minister",
        keywords=("Russia", "Nagorno-Karabakh", "CSTO"),
        subject="Russia's position in the 2020 Nagorno-Karabakh war",
    )
    blocks = (
        Heading(1, (Text("Issue"),), "issue"),
        Para((Text("Recep Tayyip Erdoğan, İlham Əliyev and Никол Пашинян met "), Strong((Text("twice"),)),
              Text(" in October"), Note(1, (Text("Putin, "), Emph((Text("Statement on Nagorno-Karabakh"),)),
                                            Text(", 10 November 2020, cited in "),
                                            Link((Text("kremlin.ru"),), "http://en.kremlin.ru/events/president/news/64384"),
                                            Text(".")),), Text(". Text with <b>markup</b> & ampersands ]]> stays literal."))),
        Heading(2, (Text("Background"),), "background"),
        Para((Text("The ceasefire of 10 October was brokered in Moscow"), Note(2, (Text("Ibid., 459."),)),
              Text(" and collapsed within days"), Note(3, (Text("Borshchevskaya, “Russia and Turkey.”"),)), Text("."))),
        BulletList(((Para((Text("First point"),)),), (Para((Text("Second point with "), Emph((Text("emphasis"),)),)),))),
        Table(header=((Text("Date"),), (Text("Event"),)),
              rows=(((Text("27 Sep 2020"),), (Text("Fighting begins"),)),
                    ((Text("10 Nov 2020"),), (Text("Trilateral statement"),)))),
        Div("box", (Para((Text("Lines to take go here."),)),), title="Lines to take"),
        Heading(1, (Text("Sources"),), "sources"),
        Div("bibliography", (Para((Text("Borshchevskaya, Anna. "), Emph((Text("Russia and Turkey"),)), Text(". 2020."))),)),
    )
    return Document(meta=meta, blocks=blocks)


def dense_document(n_notes: int = 64) -> Document:
    """Stress case: many notes, some long, in a few pages."""
    blocks = [Heading(1, (Text("Dense"),), "dense")]
    n = 0
    for p in range(16):
        children = []
        for s in range(4):
            n += 1
            children.append(Text(f"Sentence {s} of paragraph {p} with several words to fill the line and more"))
            long = " ".join(["A long note that goes on and on about its source."] * (12 if n % 9 == 0 else 1))
            children.append(Note(n, (Text(f"{long} ({n})"),)))
            children.append(Text(". "))
        blocks.append(Para(tuple(children)))
    meta = Meta(title="Dense notes", short_title="Dense", marking="OFFICIAL", date=dt.date(2026, 11, 23))
    return Document(meta=meta, blocks=tuple(blocks))
