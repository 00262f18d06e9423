"""Small builders for WordprocessingML elements, and the units Word counts in.

Elements are made with python-docx's parser, so they are the same classes python-docx itself
creates. Property containers (``w:pPr``, ``w:rPr``) are built whole, in schema order, because Word
treats children out of order as a corrupt file.
"""

from __future__ import annotations

from functools import lru_cache

from docx.oxml.ns import NamespacePrefixedTag, qn as _qn
from docx.oxml.parser import oxml_parser

__all__ = ["el", "qn", "pt_half", "pt_twips", "mm_twips", "mm_emu", "ppr", "rpr", "merge_ppr", "PPR_ORDER"]

# Children of w:pPr in the order ECMA-376 (CT_PPrBase) requires.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "pBdr",
             "shd", "tabs", "spacing", "ind", "contextualSpacing", "jc", "outlineLvl")
# Children of w:rPr in schema order (CT_RPr), as far as briefgen uses them.
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "noProof", "color", "sz", "szCs",
             "u", "vertAlign", "rtl", "lang")


qn = lru_cache(maxsize=None)(_qn)


@lru_cache(maxsize=None)
def _attr_name(key: str) -> str:
    name = key.replace("__", ":") if "__" in key else f"w:{key}"
    return "{http://www.w3.org/XML/1998/namespace}" + name[4:] if name.startswith("xml:") else _qn(name)


@lru_cache(maxsize=None)
def _blank(tag: str):
    """An empty element of ``tag``, made once by python-docx's parser (as its ``OxmlElement`` makes
    every element): each new one is a copy of it, which takes a third of the time."""
    nsptag = NamespacePrefixedTag(tag)
    return oxml_parser.makeelement(nsptag.clark_name, nsmap=nsptag.nsmap)


def el(tag: str, children: tuple | list = (), **attrs: object):
    """``el("w:spacing", after=120)``: attribute names are ``w:`` unless they carry a prefix
    written with a double underscore (``r__id``, ``xml__space``). The element is of python-docx's
    own class for the tag, made by its parser."""
    node = _blank(tag).__copy__()
    for key, value in attrs.items():
        if value is None:
            continue
        node.set(_attr_name(key), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def pt_half(pt: float) -> int:
    """Font size in half-points (``w:sz``)."""
    return round(pt * 2)


def pt_twips(pt: float) -> int:
    """Length in twentieths of a point (spacing, indents)."""
    return round(pt * 20)


def mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def mm_emu(mm: float) -> int:
    return round(mm * 36000)


def _ordered(tag: str, order: tuple[str, ...], props: dict[str, object]):
    """Build ``tag`` with children from ``props`` (local name -> element) in schema order."""
    unknown = set(props) - set(order)
    if unknown:  # a programming error, not bad input
        raise ValueError(f"{tag}: no schema position for {sorted(unknown)}")
    return el(tag, [props[name] for name in order if props.get(name) is not None])


def ppr(**props):
    """``w:pPr`` from keyword elements, e.g. ``ppr(pStyle=el("w:pStyle", val="Title"))``."""
    return _ordered("w:pPr", PPR_ORDER, props)


def rpr(**props):
    """``w:rPr`` from keyword elements in schema order."""
    return _ordered("w:rPr", RPR_ORDER, props)


def merge_ppr(para, **props) -> None:
    """Set children of ``para``'s ``w:pPr`` (creating it), keeping schema order; a child already
    there with the same name is replaced."""
    pr = para.find(qn("w:pPr"))
    if pr is None:
        pr = el("w:pPr")
        para.insert(0, pr)
    rank = {name: i for i, name in enumerate(PPR_ORDER)}
    for name, node in props.items():
        old = pr.find(qn(f"w:{name}"))
        if old is not None:
            pr.remove(old)
        if node is None:
            continue
        later = [c for c in pr if rank.get(c.tag.split("}")[1], len(rank)) > rank[name]]
        if later:
            later[0].addprevious(node)
        else:
            pr.append(node)
