"""The summary a reviewer reads: sentences added, removed and changed, under the brief's headings.

Both editions are first reduced to an ``Outline``: the sentences of the body with the heading
they stand under, the notes, the sources list, the marking and the length. An outline comes from
a document model (regen keeps each edition's) or from a DOCX (``briefgen diff`` on files edited by
hand). Sentences are aligned as the redline aligns paragraphs (``words.align``); a pair that
differs is a changed sentence, shown before and after with the changed words marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import (Block, BulletList, Div, Document, Figure, Heading, Para, Table, notes_of, plain_text)
from .words import align, similarity, split_sentences, split_words, word_opcodes

__all__ = ["Outline", "SentenceChange", "SectionChanges", "TextChanges", "outline_of_document",
           "outline_of_docx", "summarize", "TOP"]

TOP = "Opening"               # the section before the first heading
ROW = " | "                   # between the cells of a table row
NOTES = "Notes"
_SKIPPED_BOX = "What changed"  # regen's own box, which changes with every edition
_MD_SPECIAL = set("\\`*_[]<>#|~")


@dataclass(frozen=True)
class Unit:
    """One sentence (or one note, or one table cell's sentence) and the heading it is under."""
    section: str
    text: str


@dataclass
class Outline:
    title: str = ""
    marking: str | None = None      # None: not known (a DOCX)
    units: list[Unit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(u.text.replace(ROW, " ").split()) for u in self.units)


def _squash(text: str) -> str:
    return " ".join(text.split())


class _Walker:
    def __init__(self) -> None:
        self.outline = Outline()
        self.section = TOP

    def add(self, text: str) -> None:
        for sentence in split_sentences(_squash(text)):
            self.outline.units.append(Unit(self.section, sentence))

    def add_row(self, cells: list[str]) -> None:
        """A table row is one unit, its cells joined by " | ": a changed cell is read with its row."""
        if any(c.strip() for c in cells):
            self.outline.units.append(Unit(self.section, ROW.join(_squash(c) for c in cells)))

    def blocks(self, blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.section = _squash(plain_text(block.children)) or self.section
            elif isinstance(block, Para):
                self.add(plain_text(block.children))
            elif isinstance(block, BulletList):
                for item in block.items:
                    self.blocks(item)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    self.add_row([plain_text(cell) for cell in row])
                self.add(plain_text(block.caption))
            elif isinstance(block, Figure):
                self.add(plain_text(block.caption))
            elif isinstance(block, Div):
                if block.kind in ("bibliography", "sources"):
                    self.outline.sources += [_squash(plain_text(b.children)) for b in _paras(block.children)]
                elif not block.title.startswith(_SKIPPED_BOX):
                    self.blocks(block.children)


def _paras(blocks: tuple[Block, ...]) -> list[Para]:
    out: list[Para] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block)
        elif isinstance(block, BulletList):
            for item in block.items:
                out += _paras(item)
        elif isinstance(block, Div):
            out += _paras(block.children)
    return out


def outline_of_document(doc: Document) -> Outline:
    walker = _Walker()
    walker.blocks(doc.blocks)
    out = walker.outline
    out.title, out.marking = doc.meta.title, doc.meta.marking
    out.notes = [_squash(plain_text(n.children)) for n in notes_of(doc)]
    return out


def outline_of_docx(package) -> Outline:
    """The outline of a ``redline.DocxPackage``: headings by their style names ("heading 1"),
    the title by "Title", sources by "Bibliography"; the title block's other lines are left out."""
    from .wordml import text_of, tokenize, w

    names = package.style_names()
    out, section = Outline(), TOP
    title_block = {"subtitle", "title meta", "document label", "disclaimer"}

    def walk(parent) -> None:
        nonlocal section
        for child in parent:
            if child.tag == w("tbl"):
                first = child.find(f".//{w('p')}")
                if first is not None and text_of(tokenize(first)[0]).startswith(_SKIPPED_BOX):
                    continue
                rows = child.findall(w("tr"))
                if len(rows) == 1 and len(rows[0].findall(w("tc"))) == 1:   # a box: its paragraphs
                    walk(rows[0].find(w("tc")))
                    continue
                for row in rows:
                    cells = [" ".join(text_of(tokenize(p)[0]) for p in tc.iter(w("p"))) for tc in row.findall(w("tc"))]
                    if any(c.strip() for c in cells):
                        out.units.append(Unit(section, ROW.join(_squash(c) for c in cells)))
            elif child.tag == w("p"):
                style = child.find(f"{w('pPr')}/{w('pStyle')}")
                name = names.get(style.get(w("val")), "") if style is not None else ""
                name = name.lower()
                text = _squash(text_of(tokenize(child)[0]))
                if not text or name in title_block or name == "box title":
                    continue
                if name == "title":
                    out.title = text
                elif name.startswith("heading"):
                    section = text
                elif name == "bibliography":
                    out.sources.append(text)
                else:
                    out.units.extend(Unit(section, s) for s in split_sentences(text))

    walk(package.body)
    notes = package.note_map()
    for ref in package.body.iter(w("footnoteReference")):
        note = notes.get(ref.get(w("id")))
        if note is not None:
            paras = note.findall(w("p"))
            text = " ".join(text_of(tokenize(p, note_paragraph=(k == 0))[0]) for k, p in enumerate(paras))
            out.notes.append(_squash(text))
    return out


# ---- the comparison ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SentenceChange:
    """A sentence ``added`` (``after``), ``removed`` (``before``) or ``changed`` (both)."""
    kind: str
    before: str = ""
    after: str = ""

    def marked(self) -> tuple[str, str]:
        """Markdown of before and after, deleted words struck through, inserted ones in bold."""
        old, new = split_words(self.before), split_words(self.after)
        a: list[str] = []
        b: list[str] = []
        for tag, i1, i2, j1, j2 in word_opcodes(old, new):
            if tag == "equal":
                a.append(_md("".join(old[i1:i2])))
                b.append(_md("".join(new[j1:j2])))
                continue
            if i1 < i2:
                a.append(_wrap("~~", "".join(old[i1:i2])))
            if j1 < j2:
                b.append(_wrap("**", "".join(new[j1:j2])))
        return "".join(a), "".join(b)

    def to_json(self) -> dict[str, str]:
        data = {"kind": self.kind}
        if self.before:
            data["before"] = self.before
        if self.after:
            data["after"] = self.after
        if self.kind == "changed":
            data["before_marked"], data["after_marked"] = self.marked()
        return data

    def line(self) -> str:
        if self.kind == "added":
            return f"Added: \u201c{_md(self.after)}\u201d"
        if self.kind == "removed":
            return f"Removed: \u201c{_md(self.before)}\u201d"
        before, after = self.marked()
        return f"Changed: \u201c{before}\u201d \u2192 \u201c{after}\u201d"


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _wrap(mark: str, text: str) -> str:
    """``**words**`` around the words, their trailing space outside (Markdown needs it so)."""
    core = text.rstrip()
    return f"{mark}{_md(core)}{mark}{text[len(core):]}" if core else text


@dataclass
class SectionChanges:
    heading: str
    changes: list[SentenceChange] = field(default_factory=list)


@dataclass
class TextChanges:
    """What changed in a brief's text between two editions, and what else changed."""
    sections: list[SectionChanges] = field(default_factory=list)
    words: tuple[int, int] = (0, 0)
    marking: tuple[str, str] | None = None
    title: tuple[str, str] | None = None
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)

    @property
    def text_unchanged(self) -> bool:
        return not self.sections and not self.sources_added and not self.sources_removed and self.title is None

    def counts(self) -> dict[str, int]:
        out = {"changed": 0, "added": 0, "removed": 0}
        for section in self.sections:
            for change in section.changes:
                out[change.kind] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "text_unchanged": self.text_unchanged,
            "sections": [{"heading": s.heading, "changes": [c.to_json() for c in s.changes]} for s in self.sections],
            "words": {"before": self.words[0], "after": self.words[1]},
            "marking": {"before": self.marking[0], "after": self.marking[1]} if self.marking else None,
            "title": {"before": self.title[0], "after": self.title[1]} if self.title else None,
            "sources_added": self.sources_added,
            "sources_removed": self.sources_removed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TextChanges":
        pair = lambda d: (d["before"], d["after"]) if d else None  # noqa: E731
        return cls([SectionChanges(s["heading"], [SentenceChange(c["kind"], c.get("before", ""), c.get("after", ""))
                                                  for c in s["changes"]]) for s in data.get("sections", [])],
                   (data["words"]["before"], data["words"]["after"]), pair(data.get("marking")),
                   pair(data.get("title")), list(data.get("sources_added", [])),
                   list(data.get("sources_removed", [])))

    def markdown(self, level: int = 3, extra: list[str] = ()) -> list[str]:
        """The lines for ``changes.md``: a list per section, then what else changed (and the
        ``extra`` lines, already Markdown); "Text unchanged." when no sentence changed."""
        other = self.other_lines() + list(extra)
        if self.text_unchanged:
            return ["- Text unchanged.", *(f"- {line}" for line in other), ""]
        hashes = "#" * level
        out: list[str] = []
        for section in self.sections:
            out += [f"{hashes} {_md(section.heading)}", ""]
            out += [f"- {c.line()}" for c in section.changes]
            out.append("")
        if other:
            out += [f"{hashes} Also changed", ""] + [f"- {line}" for line in other] + [""]
        return out

    def other_lines(self) -> list[str]:
        lines = []
        if self.title:
            lines.append(f"Title: \u201c{_md(self.title[0])}\u201d \u2192 \u201c{_md(self.title[1])}\u201d.")
        if self.marking:
            lines.append(f"Marking: {_md(self.marking[0] or 'none')} \u2192 {_md(self.marking[1] or 'none')}.")
        before, after = self.words
        if before != after:
            lines.append(f"Length: {before} \u2192 {after} words ({after - before:+d}).")
        lines += [f"Source added: {_md(s)}" for s in self.sources_added]
        lines += [f"Source removed: {_md(s)}" for s in self.sources_removed]
        return lines


def _pairs(old: list[str], new: list[str]):
    words = {}

    def alike(a: str, b: str) -> float:
        for s in (a, b):
            if s not in words:
                words[s] = split_words(s)
        return similarity(words[a], words[b])

    return align(old, new, key=lambda s: s, alike=alike)


def summarize(old: Outline, new: Outline) -> TextChanges:
    """The changes from ``old`` to ``new``, grouped under the new edition's headings (a removed
    sentence under the heading it had), sections in the new edition's order."""
    found: dict[str, list[SentenceChange]] = {}
    olds, news = old.units, new.units
    for i, j in _pairs([u.text for u in olds], [u.text for u in news]):
        if i is not None and j is not None:
            if olds[i].text != news[j].text:
                found.setdefault(news[j].section, []).append(SentenceChange("changed", olds[i].text, news[j].text))
        elif j is not None:
            found.setdefault(news[j].section, []).append(SentenceChange("added", after=news[j].text))
        else:
            found.setdefault(olds[i].section, []).append(SentenceChange("removed", before=olds[i].text))
    for i, j in _pairs(old.notes, new.notes):
        if i is None:
            found.setdefault(NOTES, []).append(SentenceChange("added", after=new.notes[j]))
        elif j is None:
            found.setdefault(NOTES, []).append(SentenceChange("removed", before=old.notes[i]))
        elif old.notes[i] != new.notes[j]:
            found.setdefault(NOTES, []).append(SentenceChange("changed", old.notes[i], new.notes[j]))
    order = list(dict.fromkeys([u.section for u in news] + [u.section for u in olds] + [NOTES]))
    sections = [SectionChanges(name, found[name]) for name in order if name in found]
    old_sources, new_sources = set(old.sources), set(new.sources)
    changes = TextChanges(sections, (old.words, new.words),
                          sources_added=[s for s in new.sources if s not in old_sources],
                          sources_removed=[s for s in old.sources if s not in new_sources])
    if old.marking is not None and new.marking is not None and old.marking != new.marking:
        changes.marking = (old.marking, new.marking)
    if old.title and new.title and old.title != new.title:
        changes.title = (old.title, new.title)
    return changes
