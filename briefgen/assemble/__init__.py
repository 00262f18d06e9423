"""Assembly: from a spec and the catalog to one document for an audience and a length.

    plan_brief   which modules, for which profile, with which length (errors for unknown names)
    choose       a variant per module to meet the word budget (select.py)
    compose      render the profile's template with those variants -> Markdown -> blocks -> notes
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog import Catalog, suggest
from ..catalog.modules import MAX_WORD, TOO_LONG, ContentModule
from ..errors import BuildWarning, ContentError, SpecError, TemplateError
from ..markings import MarkingRules, load_scheme, refuse_unknown, mark_document, section_sensitivity, tag, untag
from ..model import Block, BulletList, Div, Document, Meta, block_inlines, long_date, plain_text
from ..nobreak import bind_document
from ..notes import resolve_citations
from ..catalog.sources import Source
from ..spec import BriefSpec, LengthBudget, ModuleRef, module_line, parse_length
from .figures import resolve_figures
from .profiles import Profile, load_profile
from .select import Choice, choose_variants

if TYPE_CHECKING:
    from ..cache import Cache

__all__ = ["BriefPlan", "Assembly", "plan_brief", "compose", "assemble", "body_words", "Choice",
           "load_profile", "Profile"]


@dataclass
class BriefPlan:
    """Everything decided before variants are chosen."""
    spec: BriefSpec
    profile: Profile
    template_path: Path
    shared_dir: Path
    entries: list[tuple[ContentModule, str, str | None]]   # (module, emphasis, forced variant)
    length: LengthBudget
    meta: Meta
    warnings: list[BuildWarning] = field(default_factory=list)
    changes: tuple[str, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)   # the registry and the spec's own sources
    marking: MarkingRules | None = None   # None: the UK scheme's defaults


@dataclass
class Assembly:
    """A composed brief: the document, the plan behind it and its measured body words."""
    document: Document
    plan: BriefPlan
    choices: list[Choice]
    words: int
    pages: int | None = None      # measured on the PDF layout, for page budgets
    fill: float | None = None     # how full the last counted page is (0..1)
    layout: Any = None            # the drawn PDF layout of this document, when fitting made one


def _edition_date(spec: BriefSpec) -> dt.date:
    if spec.date:
        return spec.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def plan_brief(spec: BriefSpec, catalog: Catalog, *, audience: str | None = None,
               length: str | LengthBudget | None = None, changes: tuple[str, ...] = (),
               theme=None, status: str | None = None, cache: Cache | None = None) -> BriefPlan:
    """Which modules, for which profile, with which length; ``theme`` gives the marking scheme
    (None: the UK scheme) and ``status`` overrides the spec's ('draft' or 'final')."""
    ws = catalog.workspace
    profile = load_profile(ws.templates_dir, audience or spec.audience, cache=cache,
                           file=None if audience else spec.path)
    template_path = profile.template_path
    if spec.template:
        template_path = load_profile(ws.templates_dir, spec.template, what="template", cache=cache,
                                     file=spec.path).template_path
    for key, value in spec:
        for text in (value if isinstance(value, tuple) else (value,)):
            if isinstance(text, str) and TOO_LONG.search(text):
                raise SpecError(f"{key}: a word of more than {MAX_WORD:,} characters without a space",
                                file=spec.path, hint="break it up")
    warnings: list[BuildWarning] = []
    entries = []
    allowed = profile.settings.sensitivity
    settings = profile.settings
    requested = spec.marking or settings.default_marking
    rules = _marking_rules(spec, settings, theme, status)
    ids = set(catalog.modules)
    first_index: dict[str, int] = {}
    for index, ref in enumerate(spec.modules):
        if not isinstance(ref, ModuleRef):   # the author's own section: in place, at a fixed variant
            from .bespoke import load_section, marking_sensitivity   # here: most specs have none

            # a section of the spec's own that declares no sensitivity has the one the spec's marking stands for
            inherited = section_sensitivity(rules.scheme, requested) or marking_sensitivity(requested)
            section = load_section(spec, index, ref, ids, sensitivity=inherited,
                                   allowed=settings.variants, cache=cache)
            if section.declared_sensitivity and section.meta.sensitivity not in allowed:
                warnings.append(_left_out(f"section '{section.meta.title}'", section.meta.sensitivity, profile, spec))
                continue
            entries.append((section, "normal", section.variant_name))
            continue
        if ref.id in first_index:   # printed once: the first entry counts
            lines = [module_line(spec.path, i) if spec.path else None for i in (first_index[ref.id], index)]
            where = f" (lines {lines[0]} and {lines[1]})" if None not in lines else ""
            warnings.append(BuildWarning(f"module '{ref.id}' is listed twice{where}; the second is left out",
                                         file=str(spec.path) if spec.path else None, line=lines[1],
                                         hint="list each module once"))
            continue
        first_index[ref.id] = index
        if ref.id not in catalog.modules:
            line = module_line(spec.path, index) if spec.path else None
            own = ref.id.endswith((".md", ".markdown"))   # a file of the author's, written as a module id
            raise SpecError(f"unknown module '{ref.id}'", file=spec.path, line=line,
                            hint=f"for a file beside the spec, write '- file: {ref.id}'" if own else
                            suggest(ref.id, catalog.modules) or "run 'briefgen modules' to list them")
        module = catalog.modules[ref.id]
        if module.meta.sensitivity not in allowed:
            warnings.append(_left_out(f"module '{ref.id}'", module.meta.sensitivity, profile, spec))
            continue
        if profile.name not in module.meta.audiences:
            warnings.append(BuildWarning(f"module '{ref.id}' is not written for the '{profile.name}' audience",
                                         file=str(module.path)))
        entries.append((module, ref.emphasis, ref.variant))
    if not entries:
        raise SpecError("no module can be shown to this audience", file=spec.path,
                        hint="check the modules' sensitivity against the profile")
    try:
        budget = length if isinstance(length, LengthBudget) else (parse_length(length) if length else None)
    except ValueError as exc:   # --length on the command line
        raise SpecError(f"--length: {exc}") from None
    budget = budget or spec.length or profile.settings.default_length
    date = _edition_date(spec)
    meta = Meta(
        title=spec.title, subtitle=spec.subtitle, short_title=spec.short_title or spec.title,
        doc_type=settings.label, reference=spec.reference, date=date, as_of=spec.as_of or date,
        author=spec.author, office=spec.office, audience=profile.name, status=rules.status,
        keywords=spec.keywords or tuple(dict.fromkeys(m.meta.topic for m, _, _ in entries if m.meta.topic)),
        subject=spec.subtitle or spec.title, disclaimer=settings.disclaimer,
    )
    shared = ws.templates_dir / "_shared"
    sources = catalog.sources
    if spec.sources:
        from .local_sources import brief_sources

        sources = brief_sources(spec, catalog.sources, ws.sources_file)
    return BriefPlan(spec, profile, template_path, shared, entries, budget, meta, warnings, changes, sources, rules)


def _marking_rules(spec: BriefSpec, settings, theme, status: str | None) -> MarkingRules:
    if theme is not None:
        from ..markings import theme_scheme

        scheme, portions = theme_scheme(theme), theme.portion_marks
    else:
        scheme, portions = load_scheme("uk"), None
    refuse_unknown(scheme, spec.marking, spec.path)
    return MarkingRules(scheme, portions=portions, asked=spec.marking, asked_file=spec.path,
                        floor=settings.default_marking, show_lowest=settings.show_marking,
                        fixed_text=settings.fixed_text_sensitivity, status=status or spec.status)


def _left_out(what: str, sensitivity: str, profile: Profile, spec: BriefSpec) -> BuildWarning:
    return BuildWarning(f"{what} left out: its sensitivity '{sensitivity}' is not shown to the '{profile.name}' "
                        "audience", file=str(spec.path) if spec.path else None,
                        hint="choose another module or another audience")


def _check_citations(choices: list[Choice], sources: dict[str, Source]) -> None:
    """Unknown citation keys are reported at the module file and line, before anything renders."""
    for choice in choices:
        module = choice.module
        found = [(citation, citation.line) for citation in module.variant(choice.variant).citations]
        found += list(module.front_citations)
        for citation, line in found:
            for cite in citation.cites:
                if cite.key not in sources:
                    own = choice.module.bespoke
                    raise (SpecError if own else ContentError)(
                        f"unknown source '@{cite.key}'", file=choice.module.path, line=line,
                        hint=suggest(cite.key, sources) or ("add it to the spec's sources: or to content/sources.yaml"
                                                            if own else "add it to content/sources.yaml"))


def _module_view(choice: Choice) -> dict[str, Any]:
    meta = choice.module.meta
    # every text a template can print from the module is tagged with its sensitivity, so that the
    # blocks made from it are known after rendering (markings/portions.py)
    def t(text: str) -> str:
        return tag(text, meta.sensitivity)
    return {
        "id": meta.id, "title": t(meta.title), "topic": meta.topic, "summary": t(meta.summary),
        "variant": choice.variant, "text": t(choice.module.variant(choice.variant).text),
        "summary_text": t(choice.module.own_summary if choice.module.bespoke   # type: ignore[attr-defined]
                          else choice.module.variant("summary").text),
        "words": choice.words, "emphasis": choice.emphasis, "sensitivity": meta.sensitivity,
        "key_judgment": t(meta.key_judgment), "confidence": t(meta.confidence),
        "line_to_take": t(meta.line_to_take),
        "if_asked": [{"q": t(qa.q), "a": t(qa.a)} for qa in meta.if_asked], "avoid": [t(a) for a in meta.avoid],
        "key_facts": [t(f) for f in meta.key_facts], "alternative_view": t(meta.alternative_view),
        "indicators": [t(i) for i in meta.indicators], "bespoke": choice.module.bespoke,
        # whether the chosen text cites a source: a template leaves out a sources annex nobody cites
        "cites": bool(choice.module.variant(choice.variant).citations),
    }


def compose(plan: BriefPlan, choices: list[Choice], catalog: Catalog, cache: Cache | None = None) -> Document:
    """Render the template with the chosen variants, parse it, and resolve every citation. With
    ``cache``, the same context in the same template files is rendered and parsed once (a rebuild
    then imports neither Jinja nor markdown-it: ~45 ms)."""
    sources = plan.sources or catalog.sources
    _check_citations(choices, sources)
    spec, meta = plan.spec, plan.meta
    views = [_module_view(c) for c in choices]
    context = {
        "brief": {
            "title": spec.title, "subtitle": spec.subtitle, "reference": spec.reference,
            "date": long_date(meta.date), "as_of": long_date(meta.as_of), "author": spec.author,
            "office": spec.office, "issue": spec.issue, "recommendation": spec.recommendation,
            "recommendations": list(spec.recommendations),
            "timing": spec.timing, "purpose": spec.purpose or "", "copy_to": list(spec.copy_to),
            "contact": spec.contact.model_dump() if spec.contact else None,
            "audience": plan.profile.name, "length": str(plan.length), "marking": meta.marking,
        },
        "modules": views,
        "module": {v["id"]: v for v in views},
        "changes": list(plan.changes),
        "profile": copy.deepcopy(plan.profile.as_json),   # a template cannot alter the next brief's
    }

    def render() -> tuple[Block, ...]:
        # imported here: a brief composed before needs neither Jinja nor markdown-it
        from ..parse import parse_markdown
        from .render import render_template

        markdown, lines = untag(render_template(plan.template_path, plan.shared_dir, context, cache))
        long_word = TOO_LONG.search(markdown)   # the modules' words were checked on load: the template's
        if long_word:
            raise TemplateError(f"the template made a word of {len(long_word.group()):,} characters without a "
                                f"space (at most {MAX_WORD:,})", file=plan.template_path,
                                hint=f"'{long_word.group()[:30]}...': check the template and the spec's values")
        return parse_markdown(markdown, origin=str(plan.template_path), lines=lines)

    blocks = render() if cache is None else _composed(cache, plan, context, render)
    blocks = resolve_figures(blocks, choices, catalog.workspace, plan.template_path.parent, cache)
    settings = plan.profile.settings
    resolved = resolve_citations(blocks, sources, settings.note_style, ibid=settings.ibid,
                                 merge_paragraphs=settings.merge_notes)
    document = Document(meta=meta, blocks=resolved.blocks)
    # the marking rolls up from the modules this state holds, so fitting measures the marked pages
    rules = plan.marking or _marking_rules(spec, settings, None, None)
    return bind_document(mark_document(document, rules, [c.module for c in choices]))


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})


def _plain(value: Any) -> bool:
    """Only values whose repr is all there is to them (no object whose repr is its address)."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_plain(v) for v in value)
    return False


def _composed(cache: Cache, plan: BriefPlan, context: dict[str, Any], render) -> tuple[Block, ...]:
    """The blocks of ``context`` rendered in the template's files (kept by their bytes)."""
    from ..cache import folder_digest

    if not _plain(context):
        return render()
    try:
        files = folder_digest(plan.template_path.parent, plan.shared_dir)
    except OSError:     # rendering will say what cannot be read
        return render()
    return cache.value("composed", (str(plan.template_path), files, context), render)


def body_words(doc: Document) -> int:
    """Words of the brief's body: notes, the bibliography and annexes are not counted."""
    def walk(blocks: tuple[Block, ...]) -> int:
        total = 0
        for block in blocks:
            if isinstance(block, Div):
                if block.kind not in ("annex", "bibliography"):
                    total += walk(block.children)
                continue
            if isinstance(block, BulletList):
                total += sum(walk(item) for item in block.items)
                continue
            total += len(plain_text(block_inlines(block)).split())
        return total
    return walk(doc.blocks)


def word_target(plan: BriefPlan) -> int:
    if plan.length.unit == "words":
        return plan.length.amount
    return plan.length.amount * plan.profile.settings.words_per_page


def assemble(plan: BriefPlan, catalog: Catalog, entries=None, cache: Cache | None = None) -> Assembly:
    """Choose variants to meet the word budget (pages are first estimated in words; the fit step
    refines them on the real layout), measuring the template's own words once and correcting."""
    entries = plan.entries if entries is None else entries
    target = word_target(plan)
    allowed = plan.profile.settings.variants
    choices = choose_variants(entries, allowed, target)
    doc = compose(plan, choices, catalog, cache)
    words = body_words(doc)
    overhead = words - sum(c.words for c in choices)
    better = choose_variants(entries, allowed, max(0, target - overhead))
    if [c.variant for c in better] != [c.variant for c in choices]:
        choices, doc = better, compose(plan, better, catalog, cache)
        words = body_words(doc)
    return Assembly(doc, plan, choices, words)
