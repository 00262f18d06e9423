"""What a brief shows that is suspect but does not stop it: warnings (fatal under ``--strict``)
at the module's file and line, for ``build`` as ``check`` gives them for the whole library.

- a link that is not a web link (``javascript:``, ``data:``, ``file:``...), in a module or a cited
  source's URL: the writers print it unlinked;
- text that looks like a malformed citation (``[@]``, ``[@key, ]``): it is printed as it stands.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ..errors import BuildWarning
from ..model import is_web_link

__all__ = ["content_warnings", "stray_citations", "front_texts"]

_STRAY = re.compile(r"\[-?@")
_EMPTY_LOCATOR = re.compile(r",\s*[;\]]")   # [@key, ] or [@a, ; @b]: a comma, then no page


def front_texts(module) -> Iterator[tuple[str, str, int | None]]:
    """(field, Markdown text, line) of every front-matter text a template may print."""
    meta = module.meta
    for name in ("summary", "key_judgment", "confidence", "line_to_take", "alternative_view"):
        if getattr(meta, name):
            yield name, getattr(meta, name), module.front_lines.get(name)
    for name in ("key_facts", "indicators", "avoid"):
        for text in getattr(meta, name):
            yield name, text, module.front_lines.get(name)
    for qa in meta.if_asked:
        yield "if_asked", qa.q, module.front_lines.get("if_asked")
        yield "if_asked", qa.a, module.front_lines.get("if_asked")


def _inline_tokens(text: str, tokens=None):
    if tokens is None:
        from ..parse import markdown_parser

        tokens = markdown_parser().parse(text)
    for token in tokens:
        if token.type == "inline":
            yield token


def stray_citations(text: str, tokens=None) -> Iterator[tuple[int, str]]:
    """(0-based line, snippet) of text that the citation rule did not read as a citation
    (``tokens``: markdown-it's of ``text``, when they are at hand)."""
    for token in _inline_tokens(text, tokens):
        for child in token.children or ():
            line = (token.map[0] if token.map else 0) + (child.meta or {}).get("line_offset", 0)
            if child.type == "text":
                found = _STRAY.search(child.content)
                if found:
                    yield line, child.content[found.start():][:30]
            elif child.type == "citation" and _EMPTY_LOCATOR.search(child.content):
                yield line, child.content[:30]


def _odd_links(text: str, tokens=None) -> Iterator[tuple[int, str]]:
    for token in _inline_tokens(text, tokens):
        for child in token.children or ():
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href and not is_web_link(href):
                yield (token.map[0] if token.map else 0), href


def suspects(text: str, tokens=None) -> list[tuple[str, int, str]]:
    """(kind, 0-based line, text) of what the build warns of in a piece of Markdown: ``link`` for a
    link that is not a web link, ``citation`` for a malformed citation. Worked out when a module
    is loaded and kept with it (``ContentModule``), so a brief built before parses nothing.
    ``tokens``: markdown-it's of ``text`` (``markdown_parser()``), when the caller has parsed it."""
    if "[" not in text and "<" not in text:
        return []
    if tokens is None:
        from ..parse import markdown_parser

        tokens = markdown_parser().parse(text)
    found = [("link", line, href) for line, href in _odd_links(text, tokens)]
    return found + [("citation", line, snippet) for line, snippet in stray_citations(text, tokens)]


_MESSAGES = {
    "link": ("'{text}' in {where} is not a web link; printed, not linked",
             "link only to http:, https: or mailto: addresses"),
    "citation": ("text in {where} looks like a malformed citation: '{text}'",
                 "write citations as [@key] or [@key, 12]"),
}


def content_warnings(choices: Iterable, catalog) -> list[BuildWarning]:
    """Warnings about the chosen variants (and front-matter texts) of a brief's modules, and the
    URLs of the sources they cite."""
    warnings: list[BuildWarning] = []
    cited: dict[str, None] = {}
    for choice in choices:
        module = choice.module
        variant = module.variant(choice.variant)
        found = [(kind, line, text, f"variant '{variant.name}'") for kind, line, text in variant.suspects]
        found += [(kind, line, text.partition(": ")[2], text.partition(": ")[0])
                  for kind, line, text in module.front_suspects]
        for kind, line, text, where in found:
            message, hint = _MESSAGES[kind]
            warnings.append(BuildWarning(message.format(text=text[:60], where=where), file=str(module.path),
                                         line=line, hint=hint))
        for citation in variant.citations:
            cited.update((c.key, None) for c in citation.cites)
        for citation, _line in module.front_citations:
            cited.update((c.key, None) for c in citation.cites)
    for key in cited:
        source = catalog.sources.get(key)
        if source is not None and source.URL and not source.DOI and not is_web_link(source.URL):
            warnings.append(BuildWarning(f"source '{key}': URL '{source.URL[:60]}' is not a web link; printed, "
                                         f"not linked", file=str(catalog.workspace.sources_file), line=source.line,
                                         hint="link only to http:, https: or mailto: addresses"))
    return warnings
