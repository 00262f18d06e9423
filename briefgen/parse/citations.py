"""A markdown-it inline rule for pandoc citations: ``[@key]``, ``[@key, p. 4]``, ``[@a; @b, 12–14]``.

It runs inside markdown-it's inline parser (so code spans, escapes and links keep their meaning)
and produces a ``citation`` token whose ``meta["cites"]`` holds ``(key, locator)`` pairs.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = ["citation_plugin", "parse_cite_group"]

# Characters pandoc allows inside a citation key (besides letters and digits).
_KEY_PUNCT = set("_-:.#$%&+?<>~/")


def parse_cite_group(body: str) -> list[tuple[str, str]] | None:
    """``"@a, p. 4; @b"`` -> ``[("a", "p. 4"), ("b", "")]``; None if it is not a citation group."""
    cites = []
    for part in body.split(";"):
        part = part.strip()
        if not part.startswith("@"):
            return None
        i = 1
        while i < len(part) and (part[i].isalnum() or part[i] in _KEY_PUNCT):
            i += 1
        key = part[1:i].rstrip(".:")  # a trailing full stop belongs to the sentence, as in pandoc
        i = 1 + len(key)
        if not key:
            return None
        rest = part[i:].strip()
        if rest.startswith(","):
            rest = rest[1:].strip()
        elif rest:
            return None
        cites.append((key, rest))
    return cites or None


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[" or pos + 1 >= len(src) or src[pos + 1] != "@":
        return False
    end = src.find("]", pos)
    if end < 0 or "[" in src[pos + 1:end]:
        return False
    cites = parse_cite_group(src[pos + 1:end])
    if cites is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"cites": cites, "line_offset": src.count("\n", 0, pos)}
        token.content = src[pos:end + 1]
    state.pos = end + 1
    return True


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", _citation_rule)
