"""Real Word lists: numbering definitions in ``word/numbering.xml``.

One abstract definition for bullets and one for numbers are added next to whatever a reference
document already defines (with ids above its own). All bullet lists share one ``w:num``; each
ordered list gets its own ``w:num`` with a start override, so every list counts from 1.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart

from ...layout.metrics import BULLET_INDENT
from ...theme import Theme
from .xml import el, pt_twips, qn

__all__ = ["Numbering", "INDENT_PT"]

INDENT_PT = BULLET_INDENT  # indent per list level and hanging width for the bullet or number
_BULLETS = ("\u2022", "\u2013", "\u2022", "\u2013")
_NUMBERS = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."), ("decimal", "%4."))
LEVELS = len(_BULLETS)


def _numbering_part(document_part) -> NumberingPart:
    try:
        return document_part.part_related_by(RT.NUMBERING)
    except KeyError:  # python-docx cannot create one itself (NumberingPart.new is not implemented)
        root = parse_xml('<w:numbering xmlns:w="http://schemas.openxmlformats.org/'
                         'wordprocessingml/2006/main"/>')
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, root,
                             document_part.package)
        document_part.relate_to(part, RT.NUMBERING)
        return part


class Numbering:
    """Hands out ``numId`` values for lists; created lazily, when a brief has a list."""

    def __init__(self, document_part, theme: Theme) -> None:
        self.root = _numbering_part(document_part).element
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))]
        self._num_ids = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        first = max([-1, *abstract_ids]) + 1
        font = theme.fonts.body
        self._bullet_abstract = first
        self._ordered_abstract = first + 1
        self._add_abstract(self._abstract(first, font, ordered=False))
        self._add_abstract(self._abstract(first + 1, font, ordered=True))
        self._bullets = self._add_num(self._bullet_abstract)

    def list_id(self, ordered: bool, level: int) -> int:
        """The numId for a new list: the shared bullet one, or a fresh restarted ordered one."""
        if not ordered:
            return self._bullets
        return self._add_num(self._ordered_abstract, restart_level=min(level, LEVELS - 1))

    @staticmethod
    def indent(level: int) -> tuple[int, int]:
        """(left, hanging) in twips for list ``level`` (0-based)."""
        step = pt_twips(INDENT_PT)
        return step * (level + 1), step

    def _abstract(self, abstract_id: int, font: str, *, ordered: bool):
        levels = []
        for level in range(LEVELS):
            fmt, text = _NUMBERS[level] if ordered else ("bullet", _BULLETS[level])
            left, hanging = self.indent(level)
            levels.append(el("w:lvl", [
                el("w:start", val=1), el("w:numFmt", val=fmt), el("w:lvlText", val=text),
                el("w:lvlJc", val="left"),
                el("w:pPr", [el("w:ind", left=left, hanging=hanging)]),
                el("w:rPr", [el("w:rFonts", ascii=font, hAnsi=font, cs=font, hint="default")]),
            ], ilvl=level))
        # nsid identifies the list to Word when text is pasted between documents; any stable value
        nsid = f"{0xB12E0000 + abstract_id:08X}"
        return el("w:abstractNum", [el("w:nsid", val=nsid),
                                    el("w:multiLevelType", val="hybridMultilevel"), *levels],
                  abstractNumId=abstract_id)

    def _add_abstract(self, abstract) -> None:
        # the schema wants every w:abstractNum before the first w:num
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)

    def _add_num(self, abstract_id: int, restart_level: int | None = None) -> int:
        num_id = max([0, *self._num_ids]) + 1
        self._num_ids.append(num_id)
        num = el("w:num", [el("w:abstractNumId", val=abstract_id)], numId=num_id)
        if restart_level is not None:
            num.append(el("w:lvlOverride", [el("w:startOverride", val=1)], ilvl=restart_level))
        # w:numIdMacAtCleanup and friends, if any, must stay last
        tail = self.root.find(qn("w:numIdMacAtCleanup"))
        if tail is not None:
            tail.addprevious(num)
        else:
            self.root.append(num)
        return num_id
