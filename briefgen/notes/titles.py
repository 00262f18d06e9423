"""Titles as Chicago prints them: headline case for English titles, typographic apostrophes, and
quotation marks nested inside a quoted title (double outside, single inside)."""

from __future__ import annotations

import re

__all__ = ["headline_case", "is_english", "typographic", "nest_quotes"]

# Lowercase in headline style unless first or last (CMOS 18, chap. 8, headline style): articles, coordinating
# conjunctions, "to" and "as", and prepositions. The short prepositions are CSL's own list; the
# longer ones are added because Chicago lowercases prepositions of any length (not those often used
# as adverbs, such as "along" or "around", which an editor capitalises by meaning).
_MINOR = frozenset("""a an and as at but by down for from in into nor of on onto or over so the till to up via
with yet after against amid among between despite during toward towards upon versus within without""".split())
_WORD = re.compile(r"[^\s]+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def is_english(language: str) -> bool:
    """A title with no ``language``, or an English one, is set in headline case."""
    return not language or language.lower() == "en" or language.lower().startswith("en-")


def _cap(part: str) -> str:
    """Capitalise the first letter of a word part, leaving words with capitals of their own alone."""
    match = _LETTER.search(part)
    if not match or any(ch.isupper() for ch in part):
        return part
    i = match.start()
    return part[:i] + part[i].upper() + part[i + 1:]


def _bare(word: str) -> str:
    return re.sub(r"[^\w’'-]", "", word).lower()


def headline_case(title: str) -> str:
    """'Russia's role in the hot phase: who wins?' -> 'Russia's Role in the Hot Phase: Who Wins?'."""
    words = _WORD.findall(title)
    if not words:
        return title
    out = []
    starts = True   # the first word, and the first after a colon, a question mark or a dash
    for index, match in enumerate(_WORD.finditer(title)):
        word = match.group()
        last = index == len(words) - 1
        parts = word.split("-")
        new_parts = []
        for j, part in enumerate(parts):
            minor = _bare(part) in _MINOR
            if (j == 0 and (starts or last)) or not minor or (j > 0 and not _bare(part)):
                new_parts.append(_cap(part))
            else:
                new_parts.append(part)
        out.append((match.start(), match.end(), "-".join(new_parts)))
        starts = word.endswith((":", "?", "!", "—")) or word in ("—", "–")
    text, pos = [], 0
    for start, end, word in out:
        text.append(title[pos:start])
        text.append(word)
        pos = end
    text.append(title[pos:])
    return "".join(text)


def typographic(text: str) -> str:
    """Straight apostrophes and quotation marks made curly ("it's" -> "it’s")."""
    text = re.sub(r"(?<=\w)'", "’", text)
    text = re.sub(r"'(?=\w)", "‘", text)
    text = text.replace("'", "’")
    text = re.sub(r'"(?=\w)', "“", text)
    return text.replace('"', "”")


def nest_quotes(text: str) -> str:
    """Double quotation marks inside a quoted title become single ones (CMOS 18, chap. 6)."""
    return text.replace("“", "‘").replace("”", "’")
