"""The notes engine: every citation resolved once, before any writer runs.

Three styles, chosen by the audience profile:

- ``chicago``: a full note at a source's first citation, the short form afterwards (Ibid. only when
  the profile asks for it); a bibliography sorted by author.
- ``short``: every note in the short form, the full references in the sources annex (minister).
- ``numbered``: no footnotes; a bracketed source number in the text, pointing to a numbered source
  list (press lines).

A primary source known only through a secondary one is given as "... cited in <secondary>", with the
locator applying to the secondary, since that is what was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from ..catalog import suggest
from ..catalog.sources import Source
from ..errors import ContentError, TemplateError
from ..model import (Block, BulletList, Cite, Citation, Div, Emph, Figure, Heading, Inline, Link, Note, Para, Strong,
                     Table, Text, merge_text)
from .chicago import (bibliography_entry, format_locator, full_note, join_parts, punctuate, short_form_key,
                      short_note, sort_key)

__all__ = ["NoteStyle", "resolve_citations", "Resolution", "fold_cited_in", "shared_short_forms"]

NoteStyle = Literal["chicago", "short", "numbered"]


@dataclass
class Resolution:
    """What the engine did: the resolved blocks, the sources cited in order, the note count, and
    the citations in the order resolved (for checking the notes against a reference)."""
    blocks: tuple[Block, ...]
    cited: list[str] = field(default_factory=list)
    notes: int = 0
    citations: list[Citation] = field(default_factory=list)


def fold_cited_in(cites, sources: dict[str, Source]) -> tuple[Cite, ...]:
    """A citation's sources as its note gives them: a primary source next to the secondary it is
    known through ('[@kremlin; @ieee, 458]' or '[@ieee, 458; @kremlin]') becomes the one clause
    '<primary>, cited in <secondary>, 458', so the secondary is not repeated as a cite of its own.
    A primary with a locator of its own keeps it (the locator is the secondary's page)."""
    def primary_of(cite: Cite, other: Cite) -> bool:
        src = sources.get(cite.key)
        return src is not None and bool(src.cited_in) and src.cited_in == other.key and not cite.locator.strip()

    out: list[Cite] = []
    i = 0
    while i < len(cites):
        cite, after = cites[i], cites[i + 1] if i + 1 < len(cites) else None
        if after is not None and primary_of(cite, after):
            out.append(Cite(cite.key, after.locator))
            i += 2
        elif after is not None and primary_of(after, cite):
            out.append(Cite(after.key, cite.locator))
            i += 2
        else:
            out.append(cite)
            i += 1
    return _pages_together(tuple(dict.fromkeys(out)))


_PAGE = r"[\divxlc]+(?:\s*[-–]+\s*[\divxlc]+)?"
_PAGES = re.compile(rf"^(?:pp?\.\s*)?{_PAGE}(?:\s*,\s*{_PAGE})*$", re.I)


def _page_runs(pages: str) -> str:
    """'458, 472, 458, 464' -> '458, 464, 472'; '455, 455-456, 457' -> '455-457': the pages in
    order, each once (page numbers only; anything else is left as written)."""
    covered: set[int] = set()
    for item in pages.split(","):
        bounds = [b.strip() for b in re.split(r"[-–]+", item.strip())]
        if not all(b.isdigit() for b in bounds) or len(bounds) > 2:
            return pages
        first, last = int(bounds[0]), int(bounds[-1])
        if last < first or last - first > 200:
            return pages
        covered.update(range(first, last + 1))
    runs: list[list[int]] = []
    for page in sorted(covered):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _pages_together(cites: tuple[Cite, ...]) -> tuple[Cite, ...]:
    """Pages of one source cited one after the other are one clause: 'Baldeón González, “Russia and
    Turkey,” 458, 459', not the short form twice."""
    out: list[Cite] = []
    for cite in cites:
        last = out[-1] if out else None
        if last is not None and last.key == cite.key and _PAGES.match(last.locator.strip()) \
                and _PAGES.match(cite.locator.strip()):
            pages = [re.sub(r"^pp?\.\s*", "", c.locator.strip()) for c in (last, cite)]
            out[-1] = Cite(cite.key, _page_runs(", ".join(pages)))
        else:
            out.append(cite)
    return tuple(out)


def shared_short_forms(sources: dict[str, Source]) -> list[list[str]]:
    """Groups of sources that would print the same short note (their notes then add the date)."""
    forms: dict[tuple, list[str]] = {}
    for src in sources.values():
        forms.setdefault(short_form_key(src), []).append(src.id)
    return [ids for ids in forms.values() if len(ids) > 1]


class _Engine:
    def __init__(self, sources: dict[str, Source], style: NoteStyle, ibid: bool) -> None:
        self.sources = sources
        self.style = style
        self.ibid = ibid
        self.seen: set[str] = set()
        self.cited: list[str] = []
        self.numbers: dict[str, int] = {}
        self.count = 0
        self.previous: tuple[str, ...] = ()
        self.citations: list[Citation] = []
        self.dated = {key for ids in shared_short_forms(sources) for key in ids}

    def _source(self, cite, citation: Citation) -> Source:
        if cite.key not in self.sources:
            origin = citation.origin
            hint = suggest(cite.key, self.sources) or "add it to content/sources.yaml"
            if origin.startswith("module:"):
                raise ContentError(f"unknown source '@{cite.key}'", file=origin[len("module:"):],
                                   line=citation.line, hint=hint)
            raise TemplateError(f"unknown source '@{cite.key}'", file=origin or None, line=citation.line, hint=hint)
        return self.sources[cite.key]

    def _mark_cited(self, key: str) -> None:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.cited.append(key)

    def _form(self, src: Source, locator: str) -> list[Inline]:
        first = src.id not in self.seen and self.style == "chicago"
        self.seen.add(src.id)
        if first:
            return full_note(src, locator)
        return short_note(src, locator, dated=src.id in self.dated)

    def _one(self, clause: Cite) -> list[Inline]:
        src = self.sources[clause.key]
        self._mark_cited(src.id)
        secondary = self.sources.get(src.cited_in) if src.cited_in else None
        if secondary is None:
            return self._form(src, clause.locator)
        self._mark_cited(secondary.id)
        # "…, cited in <secondary>, 458" (CMOS 18, 14.260): the page is the secondary's, which is
        # what was read
        own = self._form(src, "")
        return join_parts([own, [Text("cited in ")] + self._form(secondary, clause.locator)])

    def citation(self, citation: Citation) -> Inline:
        for cite in citation.cites:
            self._source(cite, citation)
        self.citations.append(citation)
        clauses = fold_cited_in(citation.cites, self.sources)
        if self.style == "numbered":
            parts = []
            for clause in clauses:
                self._mark_cited(clause.key)
                src = self.sources[clause.key]
                if src.cited_in:
                    self._mark_cited(src.cited_in)
                loc = format_locator(clause.locator)
                parts.append(f"{self.numbers[clause.key]}" + (f", {loc}" if loc else ""))
            return Text(f" [{'; '.join(parts)}]")
        keys = tuple(c.key for c in clauses)
        self.count += 1
        if self.ibid and len(keys) == 1 and keys == self.previous and keys[0] in self.seen:
            loc = format_locator(clauses[0].locator)
            body: list[Inline] = [Text("Ibid." if not loc else f"Ibid., {loc}")]
        else:
            body = join_parts([self._one(clause) for clause in clauses], "; ")
        self.previous = keys
        return Note(self.count, merge_text(punctuate(body, ".")))

    # -- walking the tree ---------------------------------------------------------------------------
    def inlines(self, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Citation):
                resolved = self.citation(node)
                # a note mark hugs the word before it: drop the space pandoc syntax puts before '['
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text.rstrip(" "))
                out.append(resolved)
            elif isinstance(node, (Emph, Strong)):
                out.append(type(node)(self.inlines(node.children)))
            elif isinstance(node, Link):
                out.append(Link(self.inlines(node.children), node.url))
            else:
                out.append(node)
        return _marks_after_punctuation(merge_text(out))

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, (Heading, Para)):
                out.append(replace(block, children=self.inlines(block.children)))
            elif isinstance(block, BulletList):
                out.append(replace(block, items=tuple(self.blocks(item) for item in block.items)))
            elif isinstance(block, Table):
                out.append(replace(block,
                                   header=tuple(self.inlines(c) for c in block.header),
                                   rows=tuple(tuple(self.inlines(c) for c in row) for row in block.rows)))
            elif isinstance(block, Div):
                out.append(replace(block, children=self.blocks(block.children)))
            elif isinstance(block, Figure):
                out.append(replace(block, caption=self.inlines(block.caption)))
            else:
                out.append(block)
        return tuple(out)

    def bibliography(self) -> tuple[Block, ...]:
        keys = list(self.cited)
        if self.style == "numbered":
            ordered = keys
        else:
            ordered = sorted(keys, key=lambda k: sort_key(self.sources[k]))
        entries: list[Block] = []
        for key in ordered:
            src = self.sources[key]
            inl = bibliography_entry(src, self.sources.get(src.cited_in) if src.cited_in else None)
            if self.style == "numbered":
                inl = [Text(f"[{self.numbers[key]}] ")] + inl
            entries.append(Para(merge_text(inl)))
        return tuple(entries)


_CLOSING = ".,;:!?"


def _marks_after_punctuation(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Chicago puts a note mark after the punctuation that follows it: 'soil.¹', not 'soil¹.'."""
    result: list[Inline] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        after = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(node, Note) and isinstance(after, Text) and after.text[:1] and after.text[0] in _CLOSING:
            result += [Text(after.text[0]), node] + ([Text(after.text[1:])] if after.text[1:] else [])
            i += 2
        else:
            result.append(node)
            i += 1
    return merge_text(result)


def _fill_bibliography(blocks: tuple[Block, ...], entries: tuple[Block, ...]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Div) and block.kind == "bibliography":
            out.append(replace(block, children=block.children + entries))
        elif isinstance(block, Div):
            out.append(replace(block, children=_fill_bibliography(block.children, entries)))
        else:
            out.append(block)
    return tuple(out)


def _merge_paragraph_citations(blocks: tuple[Block, ...], sources: dict[str, Source]) -> tuple[Block, ...]:
    """Gather a paragraph's citations into one note at its end (duplicates dropped), so a
    minister's page carries a few notes rather than one per sentence."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Para) and sum(isinstance(n, Citation) for n in block.children) > 1:
            cites, kept = [], []
            first = None
            for node in block.children:
                if isinstance(node, Citation):
                    first = first or node
                    cites += [c for c in fold_cited_in(node.cites, sources) if c not in cites]
                elif isinstance(node, Text) and kept and isinstance(kept[-1], Text):
                    kept[-1] = Text(kept[-1].text.rstrip(" ") + ("" if node.text[:1] in ".,;:" else " ")
                                    + node.text.lstrip(" "))
                else:
                    kept.append(node)
            merged = Citation(tuple(cites), first.origin, first.line)
            last = kept[-1] if kept else None
            if isinstance(last, Text) and last.text.rstrip().endswith((".", "!", "?")):
                kept[-1] = Text(last.text.rstrip())
            out.append(replace(block, children=tuple(kept) + (merged,)))
        elif isinstance(block, Div):
            out.append(replace(block, children=_merge_paragraph_citations(block.children, sources)))
        elif isinstance(block, BulletList):
            out.append(replace(block, items=tuple(_merge_paragraph_citations(i, sources) for i in block.items)))
        else:
            out.append(block)
    return tuple(out)


def resolve_citations(blocks: tuple[Block, ...], sources: dict[str, Source], style: NoteStyle = "chicago",
                      *, ibid: bool = False, merge_paragraphs: bool = False) -> Resolution:
    """Replace every Citation with a numbered Note (or a bracketed number) and fill every
    ``::: bibliography`` div with the entries for the sources cited, in the style's order."""
    if merge_paragraphs:
        blocks = _merge_paragraph_citations(blocks, sources)
    engine = _Engine(sources, style, ibid)
    resolved = engine.blocks(blocks)
    resolved = _fill_bibliography(resolved, engine.bibliography())
    return Resolution(resolved, engine.cited, engine.count, engine.citations)
