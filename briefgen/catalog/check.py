"""``briefgen check``: validate a whole workspace and report every problem, not just the first."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import BriefgenError, BuildWarning, ContentError
from ..parse import parse_markdown
from ..model import Citation, block_inlines, is_web_link, iter_blocks, iter_inlines
from ..workspace import Workspace
from . import suggest
from .modules import VARIANTS, ContentModule, load_module
from .sources import Source, load_sources
from ..yamlio import odd_breaks
from ..assemble.lint import stray_citations

__all__ = ["CheckReport", "check_workspace", "WORD_RANGES", "source_warnings"]

# The lengths content/README.md promises for each variant (words a reader sees).
WORD_RANGES = {"summary": (1, 50), "brief": (80, 120), "standard": (200, 300), "extended": (500, 800)}


@dataclass
class CheckReport:
    errors: list[BriefgenError] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
    modules: int = 0
    sources: int = 0

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def _front_citations(module: ContentModule) -> list[tuple[Citation, int | None]]:
    found = []
    meta = module.meta
    fields = [("key_facts", f) for f in meta.key_facts] + [("alternative_view", meta.alternative_view)]
    fields += [("indicators", i) for i in meta.indicators]
    for name, text in fields:
        if not text:
            continue
        for block in iter_blocks(parse_markdown(text, origin=str(module.path))):
            for node in iter_inlines(block_inlines(block)):
                if isinstance(node, Citation):
                    found.append((node, module.front_lines.get(name)))
    return found


def _note_odd_breaks(path, report: CheckReport) -> None:
    """Form feeds, U+2028 and the like are read as line breaks; say so, since an editor may show
    the file otherwise."""
    try:
        found = odd_breaks(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return
    if found:
        report.warnings.append(BuildWarning(
            f"{found} unusual line break{'s' if found != 1 else ''} (form feed, vertical tab, NEL, U+2028 "
            f"or U+2029...) read as ordinary line breaks", file=str(path),
            hint="save the file with plain line breaks"))


def check_workspace(ws: Workspace, *, max_age_days: int = 365, today: dt.date | None = None) -> CheckReport:
    report = CheckReport()
    today = today or dt.date.today()
    sources: dict[str, Source] = {}
    try:
        sources = load_sources(ws.sources_file)
    except BriefgenError as exc:
        report.errors.append(exc)
    report.sources = len(sources)
    modules: list[ContentModule] = []
    if not ws.modules_dir.is_dir():
        report.errors.append(ContentError("no content/modules folder", file=ws.modules_dir))
    else:
        for path in sorted(ws.modules_dir.glob("*.md")):
            try:
                modules.append(load_module(path))
            except BriefgenError as exc:
                report.errors.append(exc)
            else:
                _note_odd_breaks(path, report)
    report.modules = len(modules)
    used: set[str] = set()
    for module in modules:
        rel = module.path
        age = (today - module.meta.reviewed).days
        if age > max_age_days:
            report.warnings.append(BuildWarning(
                f"module '{module.id}' was last reviewed {age} days ago", file=str(rel),
                line=module.front_lines.get("reviewed"), hint="review it against the sources and update 'reviewed'"))
        if module.meta.reviewed > today:
            report.errors.append(ContentError(f"reviewed date {module.meta.reviewed} is in the future",
                                              file=rel, line=module.front_lines.get("reviewed")))
        citations = [(c, c.line) for v in VARIANTS for c in module.variant(v).citations]
        citations += _front_citations(module)
        for citation, line in citations:
            for cite in citation.cites:
                used.add(cite.key)
                if sources and cite.key not in sources:
                    report.errors.append(ContentError(
                        f"unknown source '@{cite.key}'", file=rel, line=line,
                        hint=suggest(cite.key, sources) or "add it to content/sources.yaml"))
        for name in VARIANTS:
            variant = module.variant(name)
            low, high = WORD_RANGES[name]
            if not low <= variant.words <= high:
                report.warnings.append(BuildWarning(
                    f"variant '{name}' of '{module.id}' has {variant.words} words; expected {low}-{high}",
                    file=str(rel), line=variant.first_line))
            for offset, snippet in stray_citations(variant.text):
                report.warnings.append(BuildWarning(
                    f"text in '{name}' looks like a malformed citation: '{snippet}'", file=str(rel),
                    line=variant.first_line + offset + 1, hint="write citations as [@key] or [@key, 12]"))
            for kind, line, href in variant.suspects:   # as build warns of them
                if kind == "link":
                    report.warnings.append(BuildWarning(
                        f"'{href[:60]}' in '{name}' is not a web link; printed, not linked", file=str(rel), line=line,
                        hint="link only to http:, https: or mailto: addresses"))
    for source in sources.values():
        if source.URL and not source.DOI and not is_web_link(source.URL):
            report.warnings.append(BuildWarning(f"source '{source.id}': URL '{source.URL[:60]}' is not a web link; "
                                                f"printed, not linked", file=str(ws.sources_file), line=source.line,
                                                hint="link only to http:, https: or mailto: addresses"))
    _check_markings(ws, modules, report)
    for source in sources.values():
        if source.cited_in:
            used.add(source.cited_in) if source.id in used else None
    report.warnings += source_warnings(sources, str(ws.sources_file))
    for key, source in sources.items():
        if key not in used:
            report.warnings.append(BuildWarning(f"source '{key}' is not cited by any module",
                                                file=str(ws.sources_file), line=source.line,
                                                hint="cite it or remove it"))
    return report


def _check_markings(ws: Workspace, modules: list[ContentModule], report: CheckReport) -> None:
    """Every theme's marking scheme loads (a malformed one is an error naming its file and key),
    and every module's sensitivity is covered by a level of each scheme a theme uses (else a build
    with that theme fails: a warning naming the module, the scheme and its file)."""
    from ..markings import theme_scheme
    from ..theme import load_theme
    from ..writers.html.contrast import contrast_ratio

    seen_colours: set[str] = set()

    folders = sorted(p for p in ws.themes_dir.iterdir() if (p / "theme.yaml").is_file()) \
        if ws.themes_dir.is_dir() else []
    for folder in folders:
        try:
            scheme = theme_scheme(load_theme(folder))
        except BriefgenError as exc:
            report.errors.append(exc)
            continue
        for level in scheme.levels:   # a banner must be legible (WCAG AA, as the HTML brief checks its theme)
            ratio = contrast_ratio(level.colour, "#ffffff") if level.colour else 21.0
            if ratio < 4.5 and str(scheme.path) not in seen_colours:
                report.warnings.append(BuildWarning(
                    f"marking level '{level.name}': colour {level.colour} on white has contrast {ratio:.2f}:1, "
                    "below WCAG AA 4.5:1", file=str(scheme.path), hint="darken the level's colour"))
        seen_colours.add(str(scheme.path))
        for module in modules:
            if scheme.rank_of_sensitivity(module.meta.sensitivity) is None:
                report.warnings.append(BuildWarning(
                    f"module '{module.id}' has sensitivity '{module.meta.sensitivity}', which no level of the "
                    f"'{scheme.name}' marking scheme ({scheme.path}) covers: theme '{folder.name}' cannot mark it",
                    file=str(module.path), line=module.front_lines.get("sensitivity"),
                    hint="add the sensitivity to a level's 'covers' in that scheme, or do not use the module "
                         "with that theme"))


# -- the registry's entries, as an editor would query them ------------------------------------------
_TRACKING = re.compile(r"[?&](?:fbclid|gclid|dclid|msclkid|mc_[ce]id|igshid|yclid|_hsenc|utm_[a-z]+)=", re.I)
_LONG_TITLE = 8   # words; Chicago's short title is about four
_ENGLISH = frozenset("""a an and as at but by for from in into is are was of on or over the to with after
between towards toward against its it his her their this that how why what who when""".split())
# function words of the languages the registry's other titles are in (transliterated Russian,
# Turkish, Spanish, French, German)
_FOREIGN = frozenset("""v na po s k i o ob ot dlya pri iz za ne ve ile bir bu de la el los las y en del por
para le les des du et der die das und""".split())
_RU_ENDING = re.compile(r"(?:u|iye|yy|ogo|ykh|ikh|oy|skiy|aya)$")


def _looks_english(title: str) -> bool:
    words = [w.strip(".,:;?!‘’“”\"'()").lower() for w in title.split()]
    words = [w for w in words if w]
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN for w in words)
    if foreign > english:
        return False
    if english == 0 and len(words) >= 4:
        accented = sum(any(ch in "ıİşŞğĞçÇöÖüÜñáéíóúàèìòùâêîôû" for ch in w) for w in words)
        russian = sum(bool(_RU_ENDING.search(w)) for w in words)
        return accented < 2 and russian < 3
    return True


def source_warnings(sources: dict[str, Source], file: str) -> list[BuildWarning]:
    """What an editor would send back in the registry: a type the notes engine has no form for, a
    truncated title, a tracking parameter in an address, a long title without a short one, a
    non-English title without its ``language``, and two works whose short notes would be the same."""
    from ..notes.chicago import FORMS, short_form_key, short_form_text

    out: list[BuildWarning] = []

    def warn(src: Source, message: str, hint: str) -> None:
        out.append(BuildWarning(f"source '{src.id}': {message}", file=file, line=src.line, hint=hint))

    forms: dict[tuple, list[Source]] = {}
    for src in sources.values():
        if src.type not in FORMS:
            warn(src, f"type '{src.type}' has no Chicago form in briefgen's notes engine",
                 f"use one of: {', '.join(sorted(FORMS))} (a web article or statement is 'webpage')")
        if src.title.rstrip().endswith(("…", "...")):
            warn(src, "the title ends in '…' (truncated?)", "give the full title, as the work shows it")
        for field in ("URL",):
            if _TRACKING.search(getattr(src, field)):
                warn(src, "the URL carries a tracking parameter", "remove parameters such as fbclid and utm_*")
        if len(src.title.split()) > _LONG_TITLE and not src.short_title:
            warn(src, f"a title of {len(src.title.split())} words has no short title",
                 "add 'short-title:' (about four key words of the title, for short notes)")
        if not src.language and not src.descriptive_title and not _looks_english(src.title):
            warn(src, "the title does not look English but has no 'language'",
                 "add 'language:' (for example ru, tr), so it keeps its own capitalisation")
        date = src.issued.long() if src.issued else ""
        forms.setdefault((short_form_key(src), date), []).append(src)
    for same in forms.values():
        if len(same) > 1:
            for src in same[1:]:
                warn(src, f"its short notes would be identical to those of '{same[0].id}' ({short_form_text(same[0])})",
                     "give one of them a distinguishing short title")
    return out
