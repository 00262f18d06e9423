"""Chicago notes-bibliography forms for one source: full note, short note and bibliography entry.

Each returns document-model inlines (titles in ``Emph`` or in curly quotes), so writers never format
a citation themselves.
"""

from __future__ import annotations

import re

from ..catalog.sources import Name, Source
from ..model import Emph, Inline, Link, Text, is_web_link

__all__ = ["full_note", "short_note", "bibliography_entry", "format_locator", "sort_key"]

# Works whose titles Chicago sets in quotation marks; the rest (books, reports, websites) in italics.
_QUOTED = {"article", "article-journal", "article-newspaper", "article-magazine", "chapter", "webpage",
           "speech", "interview", "post", "document", "broadcast"}


def format_locator(locator: str) -> str:
    """'p. 459' -> '459' (Chicago notes give bare page numbers); '12-14' -> '12–14'."""
    loc = locator.strip()
    loc = re.sub(r"^(?:pp?\.|pages?)\s*", "", loc)
    loc = re.sub(r"(?<=\d)\s*-{1,2}\s*(?=\d)", "–", loc)
    return loc


def _names(names: tuple[Name, ...], *, short: bool) -> str:
    if short:
        parts = [n.short() for n in names]
    else:
        parts = [n.natural() for n in names]
    if len(parts) > 3:
        return f"{parts[0]} et al."
    if len(parts) == 3 and short:
        return f"{parts[0]} et al."
    if len(parts) <= 2:
        return " and ".join(parts)
    return f"{parts[0]}, {parts[1]}, and {parts[2]}"


def _bib_names(names: tuple[Name, ...]) -> str:
    if not names:
        return ""
    first = names[0].inverted()
    rest = [n.natural() for n in names[1:]]
    if len(names) > 10:
        return f"{first} et al."
    if not rest:
        return first
    if len(rest) == 1:
        return f"{first}, and {rest[0]}"
    return f"{first}, {', '.join(rest[:-1])}, and {rest[-1]}"


def _title(src: Source, text: str, end: str = "") -> list[Inline]:
    """A title with the punctuation that follows it; Chicago puts commas and full stops inside quotes."""
    if text.endswith(("?", "!", "…")):
        end = ""  # a title's own ? or ! replaces the comma or stop
    if src.type in _QUOTED:
        return [Text(f"“{text}{end}”")]
    return [Emph((Text(text),)), Text(end)] if end else [Emph((Text(text),))]


def short_title(src: Source) -> str:
    if src.short_title:
        return src.short_title
    # Without a registered short title, the main title (before any colon) is used whole: cutting
    # it at a word count gives nonsense such as "Statement by the President of".
    return src.title.split(":")[0].strip()


def _container(src: Source) -> list[Inline]:
    out: list[Inline] = []
    if src.container_title:
        out.append(Emph((Text(src.container_title),)))
        if src.type == "article-journal":
            vol = ", ".join(p for p in (src.volume, f"no. {src.issue}" if src.issue else "") if p)
            if vol:
                out.append(Text(f" {vol}"))
    return out


def _url(src: Source) -> list[Inline]:
    if src.DOI:
        return [Link((Text(f"https://doi.org/{src.DOI}"),), f"https://doi.org/{src.DOI}")]
    if src.URL:   # a URL that is not a web link is printed, not linked (the build warns of it)
        return [Link((Text(src.URL),), src.URL) if is_web_link(src.URL) else Text(src.URL)]
    return []


def _join(parts: list[list[Inline]], sep: str) -> list[Inline]:
    out: list[Inline] = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append(Text(sep))
        out.extend(part)
    return out


def full_note(src: Source, locator: str = "") -> list[Inline]:
    """First citation: 'Anna Borshchevskaya, “Title,” *Outlet*, 30 October 2020, URL.' (no final stop)."""
    loc = format_locator(locator)
    head: list[Inline] = []
    if src.author:
        head = [Text(_names(src.author, short=False) + ", ")]
    title = _title(src, src.title, ",") if src.type in _QUOTED else _title(src, src.title)
    body: list[Inline] = head + title
    rest: list[list[Inline]] = []
    if src.type == "article-journal":
        cont = _container(src)
        if cont:
            year = f" ({src.issued.year})" if src.issued else ""
            cont.append(Text(year + (f": {loc}" if loc else "")))
            rest.append(cont)
        elif loc:
            rest.append([Text(loc)])
    else:
        if src.container_title:
            rest.append([Emph((Text(src.container_title),))])
        pub = src.publisher
        if src.type in ("report", "book") and (pub or src.issued):
            inside = ", ".join(p for p in (pub, src.issued.long() if src.issued else "") if p)
            rest.append([Text(f"({inside})")])
        else:
            if pub and pub != src.container_title:
                rest.append([Text(pub)])
            if src.issued:
                rest.append([Text(src.issued.long())])
        if loc:
            rest.append([Text(loc)])
    if src.accessed and not src.issued:
        rest.append([Text(f"accessed {src.accessed.long()}")])
    rest.append(_url(src))
    if src.type in _QUOTED and not any(rest):
        # the title's closing comma would dangle: '“Title,”' -> '“Title”'
        body[-1] = Text(body[-1].text.replace(",”", "”")) if isinstance(body[-1], Text) else body[-1]
    sep = " " if (src.type in _QUOTED and body and not rest) else ""
    joined = _join(rest, ", ")
    if src.type in _QUOTED:
        return body + ([Text(" ")] + joined if joined else [])
    return body + ([Text(", ")] + joined if joined else []) + ([Text(sep)] if sep else [])


def short_note(src: Source, locator: str = "") -> list[Inline]:
    """Later citations: 'Borshchevskaya, “Russia and Turkey,” 459'."""
    loc = format_locator(locator)
    out: list[Inline] = []
    if src.author:
        out.append(Text(_names(src.author, short=True) + ", "))
    st = short_title(src)
    if src.type in _QUOTED:
        out += _title(src, st, "," if loc else "")
        if loc:
            out.append(Text(f" {loc}"))
    else:
        out += _title(src, st)
        if loc:
            out.append(Text(f", {loc}"))
    return out


def bibliography_entry(src: Source, cited_in: Source | None = None) -> list[Inline]:
    """'Borshchevskaya, Anna. “Title.” *Outlet*, 30 October 2020. URL.'"""
    parts: list[list[Inline]] = []
    if src.author:
        parts.append([Text(_bib_names(src.author))])
    parts.append(_title(src, src.title))
    tail: list[list[Inline]] = []
    cont = _container(src)
    if src.type == "article-journal" and cont:
        if src.issued:
            cont.append(Text(f" ({src.issued.year})"))
        if src.page:
            cont.append(Text(f": {format_locator(src.page)}"))
        parts.append(cont)
    else:
        if cont:
            tail.append(cont)
        if src.publisher and src.publisher != src.container_title:
            tail.append([Text(src.publisher)])
        if src.issued:
            tail.append([Text(src.issued.long())])
        if tail:
            parts.append(_join(tail, ", "))
    if src.accessed:
        parts.append([Text(f"Accessed {src.accessed.long()}")])
    url = _url(src)
    if url:
        parts.append(url)
    if cited_in is not None:
        parts.append([Text("Cited in ")] + short_note(cited_in))
    if src.note:
        parts.append([Text(src.note.rstrip("."))])
    out: list[Inline] = []
    for part in parts:
        out.extend(part)
        last = part[-1]
        if isinstance(last, Text) and last.text.endswith(("?”", "!”", ".”", "…”")):
            pass
        elif isinstance(last, Text) and last.text.endswith("”"):
            out[-1] = Text(last.text[:-1] + ".”")  # the stop goes inside the closing quote
        elif not (isinstance(last, Text) and last.text.endswith((".", "?", "!", "”"))):
            out.append(Text("."))
        out.append(Text(" "))
    return out[:-1]


def sort_key(src: Source) -> tuple[str, str]:
    first = src.author[0].sort_key() if src.author else src.title.casefold().removeprefix("the ")
    return (first, src.title.casefold())
