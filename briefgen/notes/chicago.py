"""Chicago notes-bibliography forms (18th edition) for one source: full note, short note and
bibliography entry.

Each returns document-model inlines (titles in ``Emph`` or in curly quotes), so writers never format
a citation themselves. The forms follow the CSL style ``chicago-notes-bibliography.csl``; where they
differ on purpose, ``content/README.md`` lists the difference and its reason, and
``tests/test_citeproc_reference.py`` checks every note and entry against pandoc's citeproc.
"""

from __future__ import annotations

import re

from ..catalog.sources import Name, Source
from ..model import Emph, Inline, Link, Text, is_web_link, merge_text
from .titles import headline_case, is_english, nest_quotes, typographic

__all__ = ["full_note", "short_note", "bibliography_entry", "format_locator", "sort_key", "short_title",
           "FORMS", "short_form_key", "short_form_text", "join_parts", "punctuate"]

# The CSL types the engine has a form for; ``briefgen check`` warns about any other.
FORMS = frozenset({"article-journal", "article-magazine", "article-newspaper", "webpage", "post", "report",
                   "book", "chapter", "document"})
# Titles in quotation marks (parts of a larger whole); the rest (books, reports) in italics.
_QUOTED = frozenset({"article", "article-journal", "article-magazine", "article-newspaper", "chapter",
                     "webpage", "post", "speech", "interview", "broadcast", "document", "legal"})
# Containers set in italics: periodicals and books. Website titles and series are roman (CMOS 18, chap. 14, websites).
_ITALIC_CONTAINER = frozenset({"article-journal", "article-magazine", "article-newspaper", "chapter"})
_PERIODICAL = frozenset({"article-journal", "article-magazine"})
_MONOGRAPH = frozenset({"report", "book", "chapter"})   # dated by year, publisher in parentheses in notes
_SECTION = re.compile(r'^(sec(?:s|tion)?\.?)\s*["“](.+?)["”]\s*$')


def format_locator(locator: str) -> str:
    """'p. 459' -> '459' (Chicago notes give bare page numbers); '12-14' -> '12–14';
    'sec. "Conclusion"' -> 'sec. “Conclusion”'."""
    loc = locator.strip()
    section = _SECTION.match(loc)
    if section:
        return f"sec. “{nest_quotes(typographic(section.group(2)))}”"
    loc = re.sub(r"^(?:pp?\.|pages?)\s*", "", loc)
    loc = re.sub(r"(?<=\d)\s*-{1,2}\s*(?=\d)", "–", loc)
    return typographic(loc)


# -- names ------------------------------------------------------------------------------------------
def _note_names(names: tuple[Name, ...], *, short: bool) -> str:
    """Notes (CMOS 18, chap. 14, several authors): one or two authors in full, three or more as the first and 'et al.'."""
    parts = [n.short() if short else n.natural() for n in names]
    if len(parts) >= 3:
        return f"{parts[0]} et al."
    return " and ".join(parts)


def _bib_names(names: tuple[Name, ...]) -> str:
    """Bibliography (CMOS 18, chap. 14, several authors): up to six authors all listed; seven or more, the first three
    and 'et al.'; the first inverted."""
    first = names[0].inverted()
    rest = [n.natural() for n in names[1:]]
    if len(names) >= 7:
        return f"{first}, {rest[0]}, {rest[1]}, et al."
    if not rest:
        return first
    return f"{first}, {', '.join(rest[:-1]) + ', ' if rest[:-1] else ''}and {rest[-1]}"


# -- titles -----------------------------------------------------------------------------------------
def _title_text(src: Source, text: str) -> str:
    text = typographic(text)
    if src.descriptive_title:
        return text   # a description, not a title: kept in sentence case
    return headline_case(text) if is_english(src.language) else text


def _title(src: Source, text: str) -> list[Inline]:
    """A title as Chicago sets it: roman for a descriptive title, in quotation marks for a part of
    a larger work, otherwise in italics."""
    text = _title_text(src, text)
    if src.descriptive_title:
        return [Text(text)]
    if src.type in _QUOTED:
        return [Text(f"“{nest_quotes(text)}”")]
    return [Emph((Text(text),))]


def short_title(src: Source) -> str:
    if src.short_title:
        return src.short_title
    # Without a registered short title, the main title (before any colon) is used whole: cutting
    # it at a word count gives nonsense such as "Statement by the President of". ``briefgen check``
    # asks for a short title when that is long.
    return src.title.split(":")[0].strip()


def _container(src: Source) -> list[Inline]:
    if not src.container_title:
        return []
    name = typographic(src.container_title)
    if src.type in _ITALIC_CONTAINER:
        return [Emph((Text(name),))]
    return [Text(name)]


def _site(src: Source) -> list[list[Inline]]:
    """A web page's site and publisher, each left out when it only repeats the author's name or
    the other (CMOS 18, chap. 14: an organisation as author and publisher is named once)."""
    authors = {n.natural() for n in src.author}
    site = [] if src.container_title in authors else _container(src)
    shown = authors | {src.container_title}
    return [site, [Text(src.publisher)] if src.publisher and src.publisher not in shown else []]


def _url(src: Source) -> list[Inline]:
    if src.DOI:
        return [Link((Text(f"https://doi.org/{src.DOI}"),), f"https://doi.org/{src.DOI}")]
    if src.URL:   # a URL that is not a web link is printed, not linked (the build warns of it)
        return [Link((Text(src.URL),), src.URL) if is_web_link(src.URL) else Text(src.URL)]
    return []


def _date(src: Source) -> str:
    if not src.issued:
        return ""
    return str(src.issued.year) if src.type in _MONOGRAPH else src.issued.long()


# -- joining with Chicago's punctuation ------------------------------------------------------------
def _last_text(nodes: list[Inline]) -> str:
    for node in reversed(nodes):
        if isinstance(node, Text):
            return node.text
        if isinstance(node, (Emph, Link)):
            return _last_text(list(node.children))
    return ""


def punctuate(out: list[Inline], sep: str) -> list[Inline]:
    """Append ``sep`` (', ' or '. ' or ' '), with a comma or stop inside a closing quotation mark
    (CMOS 18, chap. 6, American usage) and no stop after a title's own question or exclamation mark (CMOS 18, chap. 6)."""
    if not out:
        return out
    mark, rest = (sep[0], sep[1:]) if sep[:1] in ",." else ("", sep)
    last = _last_text(out)
    if mark == "." and last.rstrip("”’").endswith(("?", "!", ".")):
        mark = ""
    if mark and isinstance(out[-1], Text) and out[-1].text.endswith("”"):
        text = out[-1].text
        # inside a single quotation mark that closes with the double one: '‘Iskander M,’”'
        closing = "’”" if text.endswith("’”") and "‘" in text else "”"
        out[-1] = Text(text[:-len(closing)] + mark + closing)
        mark = ""
    out.append(Text(mark + rest))
    return out


def join_parts(parts: list[list[Inline]], sep: str = ", ") -> list[Inline]:
    """Parts joined by ``sep``, empty ones left out, with Chicago's punctuation at each seam."""
    out: list[Inline] = []
    for part in parts:
        if not part:
            continue
        if out:
            punctuate(out, sep)
        out.extend(part)
    return out


def _periodical(src: Source) -> list[Inline]:
    """'*Journal* 74, no. 4' / '*Journal*, no. 17' (CMOS 18, chap. 14, journals)."""
    cont = _container(src)
    if src.type not in _PERIODICAL:
        return cont
    if src.volume:
        cont.append(Text(f" {src.volume}"))
        if src.issue:
            cont.append(Text(f", no. {src.issue}"))
    elif src.issue:
        cont.append(Text(f", no. {src.issue}"))
    return cont


# -- the three forms --------------------------------------------------------------------------------
def _journal_tail(src: Source, loc: str, *, bib: bool) -> list[list[Inline]]:
    """A journal article's facts after its title: '*J* 74, no. 4 (2021): 12'; with no journal
    name, the year and the locator on their own ('2021, 12')."""
    cont = _periodical(src)
    where = loc if not bib else format_locator(src.page) if src.page else ""
    if cont:
        year = f" ({src.issued.year})" if src.issued else ""
        cont.append(Text(year + (f": {where}" if where else "")))
        return [cont]
    return [[Text(str(src.issued.year))] if src.issued else [], [Text(where)] if where else []]


def full_note(src: Source, locator: str = "") -> list[Inline]:
    """First citation: 'Anna Borshchevskaya, “Title,” Site, 30 October 2020, URL' (no final stop)."""
    loc = format_locator(locator)
    parts: list[list[Inline]] = []
    if src.author:
        parts.append([Text(_note_names(src.author, short=False))])
    parts.append(_title(src, src.title))
    if src.type in _PERIODICAL:
        parts += _journal_tail(src, loc, bib=False)
    elif src.type in _MONOGRAPH:
        head = join_parts(parts)
        if src.type == "chapter" and src.container_title:
            book = [Text("in ")] + _container(src)
            if src.volume and not loc:
                book.append(Text(f", vol. {src.volume}"))
            head = join_parts([head, book])
        if src.collection_title:
            head = join_parts([head, [Text(typographic(src.collection_title))]])
        facts = ", ".join(p for p in (src.publisher, _date(src)) if p)
        if facts:
            head.append(Text(f" ({facts})"))   # no comma before the parenthesis (CMOS 18, chap. 14)
        if src.type == "chapter" and src.volume and loc:
            loc = f"{src.volume}:{loc}"
        parts = [head, [Text(loc)] if loc else []]
    else:
        parts += _site(src)
        parts.append([Text(_date(src))] if src.issued else [])
        parts.append([Text(loc)] if loc else [])
    if src.accessed and not src.issued:
        parts.append([Text(f"accessed {src.accessed.long()}")])
    parts.append(_url(src))
    return list(merge_text(join_parts(parts)))


def _unsigned_news(src: Source) -> bool:
    return not src.author and src.type == "article-newspaper" and bool(src.container_title)


def _short_core(src: Source) -> list[Inline]:
    """'Author, “Short Title”'; an unsigned news article is led by its paper's name, under which
    the bibliography lists it."""
    out: list[Inline] = []
    if src.author:
        out.append(Text(_note_names(src.author, short=True)))
    elif _unsigned_news(src):
        out = _container(src)
    return join_parts([out, _title(src, short_title(src))])


def short_form_key(src: Source) -> tuple:
    """What a short note without a locator is made of, cheaply: two sources with the same key
    print the same short note."""
    lead = tuple(n.short() for n in src.author) if src.author else \
        (src.container_title,) if _unsigned_news(src) else ()
    return (lead, short_title(src).casefold(), src.type in _QUOTED, src.descriptive_title)


def short_form_text(src: Source) -> str:
    """The short note without a locator, as plain text: two sources must not share one."""
    from ..model import plain_text

    return plain_text(tuple(_short_core(src)))


def short_note(src: Source, locator: str = "", *, dated: bool = False) -> list[Inline]:
    """Later citations: 'Borshchevskaya, “Russia and Turkey,” 459'. ``dated``: the date is added
    to tell this work from another with the same short form (CMOS 18, chap. 13, shortened notes)."""
    loc = format_locator(locator)
    parts = [_short_core(src)]
    if dated and src.issued:
        parts.append([Text(src.issued.long())])
    parts.append([Text(loc)] if loc else [])
    return list(merge_text(join_parts(parts)))


def bibliography_entry(src: Source, cited_in: Source | None = None) -> list[Inline]:
    """'Borshchevskaya, Anna. “Title.” Site, 30 October 2020. URL.' A primary source known through
    a secondary one ends 'Cited in' and the secondary's full facts (CMOS 18, 14.260)."""
    sentences: list[list[Inline]] = []
    unsigned_news = _unsigned_news(src)
    if src.author:
        sentences.append([Text(_bib_names(src.author))])
    elif unsigned_news:
        sentences.append(_container(src))   # filed under the newspaper's name (CMOS 18, chap. 14, unsigned news)
    sentences.append(_title(src, src.title))
    if src.type in _PERIODICAL:
        sentences.append(join_parts(_journal_tail(src, "", bib=True)))
    elif src.type in _MONOGRAPH:
        if src.type == "chapter" and src.container_title:
            inside = [Text("In ")] + _container(src)
            sentences.append(join_parts([inside, [Text(f"vol. {src.volume}")] if src.volume else [],
                                    [Text(format_locator(src.page))] if src.page else []]))
        if src.collection_title:
            sentences.append([Text(typographic(src.collection_title))])
        sentences.append(join_parts([[Text(src.publisher)] if src.publisher else [],
                                [Text(_date(src))] if src.issued else []]))
    else:
        site = _site(src)
        if unsigned_news:
            site[0] = []   # the paper's name leads the entry
        sentences.append(join_parts([*site, [Text(_date(src))] if src.issued else []]))
    if src.accessed and not src.issued:
        sentences.append([Text(f"Accessed {src.accessed.long()}")])
    sentences.append(_url(src))
    if cited_in is not None:
        sentences.append([Text("Cited in ")] + full_note(cited_in))
    if src.note:
        sentences.append([Text(src.note.rstrip("."))])
    return list(merge_text(punctuate(join_parts(sentences, ". "), ".")))


def sort_key(src: Source) -> tuple[str, str]:
    if src.author:
        first = src.author[0].sort_key()
    elif _unsigned_news(src):
        first = src.container_title.casefold()
    else:
        first = src.title.casefold().removeprefix("the ")
    return (first, src.title.casefold())
