"""The Word styles briefgen uses, built from the theme, and their installation into a styles part.

Styles carry all of the theme's typography, so the body XML only names styles and a user can restyle
a brief in Word as they would a hand-made one. Sizes, leading and spacing here mirror what the PDF
layout uses (``briefgen.layout.metrics``), so a brief breaks into pages alike in Word, LibreOffice and the PDF.

With the bundled reference document every style below is (re)built from the theme. With a theme's
own ``reference.docx`` its styles win, as with pandoc's ``--reference-doc``, and only the styles it
lacks are added.
"""

from __future__ import annotations

import copy

from ...layout.metrics import BIB_HANG, Metrics
from ...theme import Theme
from .xml import el, pt_half, pt_twips, qn, rpr

__all__ = ["StyleMap", "style_elements", "install_styles", "MONO_FONT"]

MONO_FONT = "Courier New"  # Word and LibreOffice both map it to an installed monospace face


def _fonts(family: str):
    return el("w:rFonts", ascii=family, hAnsi=family, cs=family, eastAsia=family)


def _colour(hex_colour: str):
    return el("w:color", val=hex_colour.lstrip("#").upper())


def _size(pt: float) -> dict:
    return {"sz": el("w:sz", val=pt_half(pt)), "szCs": el("w:szCs", val=pt_half(pt))}


def _spacing(before: float = 0, after: float = 0, line: float | None = None):
    if line is None:  # single spacing from the font's own metrics (pictures must not be clipped)
        return el("w:spacing", before=pt_twips(before), after=pt_twips(after), line=240, lineRule="auto")
    return el("w:spacing", before=pt_twips(before), after=pt_twips(after), line=pt_twips(line),
              lineRule="exact")


def _ppr(*children):
    """A style's pPr: children given already in schema order."""
    return el("w:pPr", [c for c in children if c is not None])


def _style(kind: str, sid: str, name: str, *, based: str | None = None, next_: str | None = None,
           ui: int | None = None, qformat: bool = False, default: bool = False,
           semi_hidden: bool = False, ppr=None, rpr_=None, tblpr=None):
    node = el("w:style", type=kind, styleId=sid, default="1" if default else None)
    children = [el("w:name", val=name),
                el("w:basedOn", val=based) if based else None,
                el("w:next", val=next_) if next_ else None,
                el("w:uiPriority", val=ui) if ui is not None else None,
                el("w:semiHidden") if semi_hidden else None,
                el("w:unhideWhenUsed") if semi_hidden else None,
                el("w:qFormat") if qformat else None,
                ppr, rpr_, tblpr]
    for child in children:
        if child is not None:
            node.append(child)
    return node


def doc_defaults(theme: Theme, language: str):
    """``w:docDefaults``: body font, size and language for every part (notes, headers, tables)."""
    f = theme.fonts
    return el("w:docDefaults", [
        el("w:rPrDefault", [rpr(rFonts=_fonts(f.body), **_size(f.size),
                                lang=el("w:lang", val=language, bidi="ar-SA"))]),
        el("w:pPrDefault", [_ppr(el("w:widowControl"), _spacing(0, 0, f.size * f.line_spacing))]),
    ])


def style_elements(theme: Theme) -> list:
    """Every style briefgen uses, with the theme's fonts, sizes and colours."""
    f, c, m = theme.fonts, theme.colours, Metrics.of(theme)
    styles = [
        _style("paragraph", "Normal", "Normal", default=True, qformat=True,
               ppr=_ppr(el("w:widowControl"), _spacing(0, m.para_after, m.leading)),
               rpr_=rpr(rFonts=_fonts(f.body), color=_colour(c.text), **_size(f.size))),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True, ui=1,
               semi_hidden=True),
        _style("table", "TableNormal", "Normal Table", default=True, ui=99, semi_hidden=True,
               tblpr=el("w:tblPr", [el("w:tblInd", w=0, type="dxa"), el("w:tblCellMar", [
                   el("w:top", w=0, type="dxa"), el("w:left", w=108, type="dxa"),
                   el("w:bottom", w=0, type="dxa"), el("w:right", w=108, type="dxa")])])),
        _style("numbering", "NoList", "No List", default=True, ui=99, semi_hidden=True),
        _style("paragraph", "Title", "Title", based="Normal", next_="Normal", ui=10, qformat=True,
               ppr=_ppr(el("w:keepNext"), el("w:keepLines"),
                        _spacing(2, f.size * 0.35, f.title_size * 1.15)),
               rpr_=rpr(rFonts=_fonts(f.heading), b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.heading),
                        **_size(f.title_size))),
        _style("paragraph", "Subtitle", "Subtitle", based="Normal", next_="Normal", ui=11, qformat=True,
               ppr=_ppr(el("w:keepNext"), _spacing(0, f.size * 0.5, f.heading_sizes[1] * 1.2)),
               rpr_=rpr(rFonts=_fonts(f.heading), color=_colour(c.heading), **_size(f.heading_sizes[1]))),
    ]
    for level in (1, 2, 3, 4):
        size = f.heading_sizes[level - 1]
        styles.append(_style(
            "paragraph", f"Heading{level}", f"heading {level}", based="Normal", next_="Normal", ui=9,
            qformat=True,
            ppr=_ppr(el("w:keepNext"), el("w:keepLines"),
                     _spacing(m.heading_before(level), f.size * 0.3, m.heading_leading(level)),
                     el("w:outlineLvl", val=level - 1)),
            rpr_=rpr(rFonts=_fonts(f.heading), b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.heading),
                     **_size(size))))
    note_rpr = rpr(**_size(f.note_size))
    small = f.note_size
    styles += [
        # no widow control: a note too long for the room left may continue on the next page, as
        # in the PDF; with it LibreOffice moves the whole note there, away from its mark
        _style("paragraph", "FootnoteText", "footnote text", based="Normal", ui=99, semi_hidden=True,
               ppr=_ppr(el("w:widowControl", val=0), _spacing(0, small * 0.2, m.note_leading)),
               rpr_=note_rpr),
        _style("character", "FootnoteReference", "footnote reference", ui=99, semi_hidden=True,
               rpr_=rpr(vertAlign=el("w:vertAlign", val="superscript"))),
        _style("character", "FootnoteNumber", "Footnote Number", ui=99, semi_hidden=True,
               rpr_=rpr(vertAlign=el("w:vertAlign", val="baseline"))),
        _style("character", "Hyperlink", "Hyperlink", ui=99, semi_hidden=True,
               rpr_=rpr(color=_colour(c.accent), u=el("w:u", val="single"))),
        _style("character", "VerbatimChar", "Verbatim Char", ui=99,
               rpr_=rpr(rFonts=_fonts(MONO_FONT), **_size(f.size * 0.92))),
        _style("paragraph", "Caption", "caption", based="Normal", next_="Normal", ui=35, qformat=True,
               ppr=_ppr(_spacing(small * 0.3, f.size * 0.6, small * f.line_spacing)),
               rpr_=rpr(i=el("w:i"), iCs=el("w:iCs"), **_size(small))),
        _style("paragraph", "ListParagraph", "List Paragraph", based="Normal", ui=34, qformat=True,
               ppr=_ppr(_spacing(0, m.item_after, m.leading))),
        _style("paragraph", "Bibliography", "Bibliography", based="Normal", next_="Bibliography",
               ui=37, ppr=_ppr(_spacing(0, m.item_after, m.leading),
                               el("w:ind", left=pt_twips(BIB_HANG), hanging=pt_twips(BIB_HANG)))),
        _style("paragraph", "Header", "header", based="Normal", ui=99,
               ppr=_ppr(_spacing(0, 0, small * 1.25)), rpr_=rpr(color=_colour(c.text), **_size(small))),
        _style("paragraph", "Footer", "footer", based="Normal", ui=99,
               ppr=_ppr(_spacing(0, 0, small * 1.25)), rpr_=rpr(color=_colour(c.text), **_size(small))),
        # briefgen's own styles, named in a policy officer's words
        _style("paragraph", "Marking", "Marking", based="Normal", ui=1, qformat=True,
               ppr=_ppr(_spacing(0, 0, f.size * 1.2), el("w:jc", val="center")),
               rpr_=rpr(b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.marking), **_size(f.size))),
        _style("paragraph", "DocumentLabel", "Document Label", based="Normal", next_="Title", ui=2,
               qformat=True, ppr=_ppr(el("w:keepNext"), _spacing(0, f.size * 0.4, f.size * 1.2)),
               rpr_=rpr(rFonts=_fonts(f.heading), b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.accent),
                        **_size(f.size))),
        _style("paragraph", "TitleMeta", "Title Meta", based="Normal", ui=3, qformat=True,
               ppr=_ppr(el("w:keepNext"), _spacing(0, 0, m.leading))),
        _style("paragraph", "Disclaimer", "Disclaimer", based="Normal", ui=4,
               ppr=_ppr(_spacing(small * 0.5, 0, small * f.line_spacing)),
               rpr_=rpr(i=el("w:i"), iCs=el("w:iCs"), **_size(small))),
        _style("paragraph", "BoxTitle", "Box Title", based="Normal", next_="Normal", ui=5, qformat=True,
               # no keepNext: LibreOffice would move the whole box (a one-cell table) to the next
               # page; the title keeps with the box's first lines by sharing their paragraph (body.py)
               ppr=_ppr(_spacing(0, f.size * 0.25, m.leading)),
               rpr_=rpr(rFonts=_fonts(f.heading), b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.heading))),
        _style("character", "BoxTitleChar", "Box Title Char", ui=5,
               rpr_=rpr(rFonts=_fonts(f.heading), b=el("w:b"), bCs=el("w:bCs"), color=_colour(c.heading))),
        _style("paragraph", "TableText", "Table Text", based="Normal", ui=6,
               ppr=_ppr(_spacing(0, 0, m.leading))),
        _style("paragraph", "TableHeading", "Table Heading", based="TableText", ui=6,
               ppr=_ppr(el("w:keepNext")), rpr_=rpr(b=el("w:b"), bCs=el("w:bCs"))),
        _style("paragraph", "Figure", "Figure", based="Normal", next_="Caption", ui=7,
               ppr=_ppr(el("w:keepNext"), _spacing(0, m.para_after * 0.5))),
    ]
    return styles


class StyleMap:
    """Style names (Word's, lower-cased) -> the styleId the target styles part uses for them."""

    def __init__(self, ids: dict[str, str]):
        self._ids = ids

    def __getitem__(self, name: str) -> str:
        return self._ids[name.lower()]


def _name(style) -> str:
    node = style.find(qn("w:name"))
    return (node.get(qn("w:val")) if node is not None else "").lower()


def install_styles(styles_el, theme: Theme, language: str, *, own: bool) -> StyleMap:
    """Put briefgen's styles into ``styles_el``; ``own`` (the bundled template) replaces them all,
    otherwise the reference document's styles are kept and only missing ones are added."""
    existing = {_name(s): s for s in styles_el.findall(qn("w:style"))}
    used_ids = {s.get(qn("w:styleId")) for s in existing.values()}
    ids: dict[str, str] = {}
    added = []
    if own:
        old = styles_el.find(qn("w:docDefaults"))
        if old is not None:
            styles_el.remove(old)
        styles_el.insert(0, doc_defaults(theme, language))
    else:  # the document's language still belongs in the defaults, for spelling and screen readers
        lang = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:val"), language)
    ours = style_elements(theme)
    canonical = {s.get(qn("w:styleId")): _name(s) for s in ours}   # our ids, before any is renamed
    for style in ours:
        name, sid = _name(style), style.get(qn("w:styleId"))
        if name in existing and not own:
            ids[name] = existing[name].get(qn("w:styleId"))
            continue
        if name in existing:
            styles_el.remove(existing[name])
            used_ids.discard(existing[name].get(qn("w:styleId")))
        new_sid = sid
        while new_sid in used_ids:  # a foreign style already uses our id under another name
            new_sid += "Brief"
        if new_sid != sid:
            style = copy.deepcopy(style)
            style.set(qn("w:styleId"), new_sid)
        if not own and style.get(qn("w:default")) and _has_default(styles_el, style.get(qn("w:type"))):
            style.attrib.pop(qn("w:default"))
        styles_el.append(style)
        added.append(style)
        used_ids.add(new_sid)
        ids[name] = new_sid
    _fix_references(added, ids, canonical)
    return StyleMap(ids)


def _has_default(styles_el, kind: str) -> bool:
    return any(s.get(qn("w:type")) == kind and s.get(qn("w:default")) in ("1", "true")
               for s in styles_el.findall(qn("w:style")))


def _fix_references(added: list, ids: dict[str, str], canonical: dict[str, str]) -> None:
    """Our styles' basedOn/next name our own ids (``canonical``: id -> name); point them at the ids
    the document uses (a reference document made in a German Word calls "heading 1" ``berschrift1``)."""
    for ref in (r for style in added for r in style.iter(qn("w:basedOn"), qn("w:next"))):
        name = canonical.get(ref.get(qn("w:val")))
        if name and name in ids:
            ref.set(qn("w:val"), ids[name])

