"""ReportLab's paragraph parser, read briefgen's markup without Python's html.parser.

ReportLab turns paragraph markup into styled fragments with ``ParaParser``, an ``HTMLParser``
whose tag handlers (``start_b``, ``start_a``, ``handle_data`` ...) build the fragments. The
markup briefgen writes (``markup.py``) is a closed set: the tags below, attributes in double
quotes, and text in which ``&``, ``<`` and ``>`` are always entities. For it, ``html.parser``'s
general tokenizer was about a third of parsing, and ReportLab's conversion of the link colour
(``toColor`` tries a CSS parse and two expression parsers before reading ``#rrggbb``) another
third: together about a tenth of laying out new text.

``QuickParser`` reads that markup with one pattern and makes the very calls ``html.parser`` would
make, in the same order, to ReportLab's own handlers: the same data pieces (text is cut at each
entity, as ``html.parser`` cuts it), tags and attribute values as it gives them (lower case,
entities unescaped; a self-closing tag is a start and an end). A colour is converted once per
process and the same ``Color`` handed on, as paragraphs already share their style's colours.
Markup outside that set (a ``<font>`` tag, a character reference, a comment) goes to
``html.parser`` as before. ``tests/test_pdf_writer.py`` checks the fragments against ReportLab's
parse for every paragraph of the test documents, and that the PDFs are the same bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from reportlab.lib.colors import toColor
from reportlab.lib.utils import annotateException
from reportlab.platypus.paraparser import ParaParser, _re_para

__all__ = ["QuickParser", "parse", "html_parser_calls"]

_TAGS = frozenset(("para", "b", "i", "a", "super", "br"))   # what markup.py and footnotes.py write
# a tag as markup.py writes it, or one of the entities escape() writes
_TOKEN = re.compile(r'<(/?)([a-z]+)((?: [a-z]+="[^"<>]*")*)(/?)>|&(amp|lt|gt|quot);')
_ATTRIBUTE = re.compile(r' ([a-z]+)="([^"]*)"')
_MARKUP = re.compile(r"[<&]")   # where html.parser ends a piece of text (its ``interesting_normal``)


@lru_cache(maxsize=64)
def _colour(value: str):
    return toColor(value)


def html_parser_calls(text: str) -> list[tuple] | None:
    """The handler calls ``html.parser`` makes for ``text``, or None for markup outside the set:
    ("data", text), ("start", tag, attributes), ("end", tag), ("entity", name)."""
    calls: list[tuple] = []
    pos, n = 0, len(text)
    while pos < n:
        found = _MARKUP.search(text, pos)
        at = n if found is None else found.start()
        if at > pos:
            calls.append(("data", text[pos:at]))
        if found is None:
            break
        token = _TOKEN.match(text, at)
        if token is None:
            return None
        closing, tag, attributes, self_closing, entity = token.groups()
        if entity:
            calls.append(("entity", entity))
        elif tag not in _TAGS or (closing and (attributes or self_closing)):
            return None
        elif closing:
            calls.append(("end", tag))
        else:
            attrs = {}
            for name, value in _ATTRIBUTE.findall(attributes):
                if "&" in value:
                    value = unescape(value)
                attrs[name] = _colour(value) if name == "color" else value
            calls.append(("start", tag, attrs))
            if self_closing:
                calls.append(("end", tag))
        pos = token.end()
    return calls


class QuickParser(ParaParser):
    """``ParaParser`` whose ``parse`` reads briefgen's markup itself (see the module's doc)."""

    def parse(self, text, style):
        self._setup_for_parse(style)
        if not (len(text) >= 6 and text[0] == "<" and _re_para.match(text)):
            text = "<para>" + text + "</para>"
        try:
            calls = html_parser_calls(text)
            if calls is None:
                self.feed(text)
            else:
                for call in calls:
                    kind = call[0]
                    if kind == "data":
                        self.handle_data(call[1])
                    elif kind == "start":
                        self.handle_starttag(call[1], call[2])
                    elif kind == "end":
                        self.handle_endtag(call[1])
                    else:
                        self.handle_entityref(call[1])
        except Exception:
            annotateException("\nparagraph text %s caused exception" % ascii(text))
        return self._complete_parse()


def parse(text: str, style, case_sensitive: int = 1):
    """(style, fragments, bullet fragments), as ``ParaParser().parse`` gives them; raises as
    ReportLab's ``Paragraph`` does for markup it cannot read."""
    parser = QuickParser()
    parser.caseSensitive = case_sensitive
    style, frags, bullet_frags = parser.parse(text, style)
    if frags is None:
        raise ValueError("xml parser error (%s) in paragraph beginning\n'%s'" % (parser.errors[0], text[:30]))
    return style, frags, bullet_frags
