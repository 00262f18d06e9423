"""WordprocessingML paragraphs as words, and words back as runs with revision marks.

A paragraph becomes a list of ``Token``: each word of a run's text (with the run's properties), or
one whole run for things that are not words (a note reference, a picture, a field), or a tab or a
break. Tokens compare by their text alone, so a file saved again by Word or LibreOffice, which
splits and formats runs its own way, shows only its changed words (kept words take the new
edition's formatting); a note reference compares equal to any other, so a renumbered note is no
change (its text is compared in the notes part). ``Emitter`` writes a
list of ``(op, tokens)`` back as runs: kept ones as they are in the new edition, inserted ones in
``w:ins``, deleted ones in ``w:del`` with ``w:delText``, hyperlinks of the new edition around
them.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from lxml import etree

from .words import split_words

__all__ = ["W", "w", "Token", "tokenize", "text_of", "Marks", "Emitter", "mark_paragraph"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return _TAGS.get(tag) or _TAGS.setdefault(tag, f"{{{W}}}{tag}")


_TAGS: dict[str, str] = {}
_R, _RPR, _HYPERLINK, _ID, _NBH = w("r"), w("rPr"), w("hyperlink"), w("id"), w("noBreakHyphen")
_TEXT, _TAB, _BREAKS = w("t"), w("tab"), (w("br"), w("cr"))
_NOTE_REFS = (w("footnoteReference"), w("endnoteReference"))
_WORDISH = {_TEXT, _TAB, *_BREAKS, w("rPr"), w("lastRenderedPageBreak"), w("noBreakHyphen"), w("softHyphen")}
_RUN_HOLDERS = (w("hyperlink"), w("smartTag"), w("customXml"), w("ins"), w("moveTo"))
_DROPPED = (w("del"), w("moveFrom"), w("proofErr"), w("pPr"))   # a hand-edited file's own marks: accepted


@dataclass(eq=False, slots=True)
class Token:
    """One word (with its trailing spaces), tab, break, or whole non-text run of a paragraph."""
    key: str                       # what compares: the word (or the kind of run), not its formatting
    text: str = ""                 # the word; "" for a whole run
    rpr: etree._Element | None = None
    run: etree._Element | None = None    # the whole run (non-text), or the tab / break element
    link: etree._Element | None = None   # the hyperlink around it, if any
    note: str | None = None        # the id of the note a reference run points to


def _run_tokens(run, link, out: list[Token], *, mark_run: bool = False) -> None:
    children = list(run)
    rpr = children[0] if children and children[0].tag == _RPR else None
    if mark_run or any(c.tag not in _WORDISH for c in children):  # a note reference, picture, field...
        note = next((c for c in children if c.tag in _NOTE_REFS), None)
        kind = ("\x00mark" if mark_run else "\x00note" if note is not None
                else "\x00" + "|".join(etree.QName(c).localname for c in children if c.tag != _RPR))
        out.append(Token(kind, rpr=rpr, run=run, link=link, note=note.get(_ID) if note is not None else None))
        return
    for child in children:
        tag = child.tag
        if tag == _TEXT:
            out.extend(Token(word, word, rpr, None, link) for word in split_words(child.text or ""))
        elif tag == _NBH:
            out.append(Token("\u2011", "\u2011", rpr, None, link))
        elif tag == _TAB or tag in _BREAKS:
            out.append(Token("\x02" + etree.QName(child).localname, "", rpr, child, link))


def tokenize(p, *, note_paragraph: bool = False) -> tuple[list[Token], list[tuple[int, etree._Element]]]:
    """A paragraph's tokens, and the other things in it (bookmarks...) with the index of the token
    they come before. In a note's first paragraph the first run, the note's number, is one token
    that compares equal to any other, so renumbering is no change."""
    tokens: list[Token] = []
    others: list[tuple[int, etree._Element]] = []
    first = note_paragraph

    def walk(parent, link) -> None:
        nonlocal first
        for child in parent:
            if child.tag == _R:
                _run_tokens(child, link, tokens, mark_run=first)
                first = False
            elif child.tag == _HYPERLINK:
                walk(child, child)
            elif child.tag in _RUN_HOLDERS:
                walk(child, link)
            elif child.tag in _DROPPED or not isinstance(child.tag, str):
                continue
            elif link is None:
                others.append((len(tokens), child))
    walk(p, None)
    return tokens, others


def text_of(tokens: list[Token]) -> str:
    """The visible words of tokens; a tab or break as a space."""
    return "".join(t.text if t.run is None else " " if t.run.tag != _R else "" for t in tokens)


class Marks:
    """Hands out ``w:ins`` / ``w:del`` elements, each with its own id, by one author on one date."""

    def __init__(self, author: str, date: dt.date | dt.datetime, first_id: int = 1) -> None:
        self.author = author
        stamp = date if isinstance(date, dt.datetime) else dt.datetime(date.year, date.month, date.day)
        self.date = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = first_id
        self.count = {"ins": 0, "del": 0}

    def make(self, kind: str) -> etree._Element:
        """A new ``w:ins`` or ``w:del``."""
        mark = etree.Element(w(kind), {w("id"): str(self.next_id), w("author"): self.author, w("date"): self.date})
        self.next_id += 1
        self.count[kind] += 1
        return mark


def mark_paragraph(p, kind: str, marks: Marks) -> None:
    """Mark a paragraph's own mark (its end) inserted or deleted: ``w:pPr/w:rPr/w:ins|w:del``."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
        after = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
        if after:
            after[0].addprevious(rpr)
    for old in rpr.findall(w("ins")) + rpr.findall(w("del")):
        rpr.remove(old)
    rpr.insert(0, marks.make(kind))


def _deleted(run) -> etree._Element:
    """A copy of a run as deleted text: ``w:t`` becomes ``w:delText``, a field code ``w:delInstrText``."""
    run = copy.deepcopy(run)
    for t in run.iter(w("t")):
        t.tag = w("delText")
    for t in run.iter(w("instrText")):
        t.tag = w("delInstrText")
    return run


class Emitter:
    """Builds a paragraph's runs from ``(op, tokens)`` pieces, op ``"="`` (kept), ``"+"`` or ``"-"``.

    ``note_id(token, op)`` gives the note id a reference run must carry (a deleted note is copied
    into the new edition under a new id); ``drop_run(token)`` says that a deleted non-text run
    cannot be carried over (a picture whose image the new edition lacks)."""

    def __init__(self, marks: Marks, note_id=lambda token, op: token.note, drop_run=lambda token: False) -> None:
        self.marks = marks
        self.note_id = note_id
        self.drop_run = drop_run

    def fill(self, p, pieces: list[tuple[str, list[Token]]], others: list[tuple[int, etree._Element]]) -> None:
        """Replace the runs of ``p`` (a copy of the new or, for a deleted paragraph, the old one)."""
        for child in list(p):
            if child.tag != w("pPr"):
                p.remove(child)
        items: list[tuple[etree._Element | None, str, etree._Element]] = []  # (link, op, element)
        pending = sorted(others, key=lambda o: o[0])
        new_index = 0
        for op, tokens in pieces:
            group: list[Token] = []
            for token in tokens:
                if op != "-":
                    while pending and pending[0][0] <= new_index:
                        self._flush(items, op, group)
                        items.append((None, "", copy.deepcopy(pending.pop(0)[1])))
                    new_index += 1
                if group and not self._joins(group[-1], token, op):
                    self._flush(items, op, group)
                group.append(token)
            self._flush(items, op, group)
        items += [(None, "", copy.deepcopy(e)) for _, e in pending]
        self._assemble(p, items)

    @staticmethod
    def _joins(last: Token, token: Token, op: str) -> bool:
        return (last.run is None and token.run is None and last.rpr is token.rpr
                and (op == "-" or last.link is token.link))

    def _flush(self, items: list, op: str, group: list[Token]) -> None:
        if not group:
            return
        link = group[0].link if op != "-" else None
        if group[0].run is not None and group[0].run.tag != w("r"):   # a tab or break: a run of its own
            run = etree.Element(w("r"))
            if group[0].rpr is not None:
                run.append(copy.deepcopy(group[0].rpr))
            run.append(copy.deepcopy(group[0].run))
            items.append((link, op, _deleted(run) if op == "-" else run))
        elif group[0].run is not None:
            token = group[0]
            if op == "-" and self.drop_run(token):
                group.clear()
                return
            run = _deleted(token.run) if op == "-" else copy.deepcopy(token.run)
            if token.note is not None:
                for ref in run:
                    if ref.tag in _NOTE_REFS:
                        ref.set(w("id"), str(self.note_id(token, op)))
            items.append((link, op, run))
        else:
            run = etree.Element(w("r"))
            if group[0].rpr is not None:
                run.append(copy.deepcopy(group[0].rpr))
            t = etree.SubElement(run, w("delText" if op == "-" else "t"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = "".join(tok.text for tok in group)
            items.append((link, op, run))
        group.clear()

    def _assemble(self, p, items) -> None:
        """Put runs in place: those of one hyperlink inside one copy of it, and neighbouring runs
        with the same change inside one ``w:ins`` or ``w:del`` (Word's own form)."""
        holder, holder_link = p, None
        wrap, wrap_op = None, ""
        for link, op, element in items:
            if link is not holder_link:
                holder_link = link
                if link is None:
                    holder = p
                else:
                    holder = etree.SubElement(p, link.tag, dict(link.attrib))
                wrap, wrap_op = None, ""
            if op in ("+", "-"):
                kind = "ins" if op == "+" else "del"
                if wrap is None or wrap_op != op or wrap.getparent() is not holder or holder[-1] is not wrap:
                    wrap = self.marks.make(kind)
                    holder.append(wrap)
                    wrap_op = op
                wrap.append(element)
            else:
                holder.append(element)
