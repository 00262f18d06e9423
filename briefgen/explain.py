"""``briefgen build --explain``: the plan as a table a policy officer can read."""

from __future__ import annotations

from .assemble import Assembly
from .theme import Theme

__all__ = ["explain_plan"]


def explain_plan(assembly: Assembly, theme: Theme | None = None) -> str:
    plan = assembly.plan
    lines = [f"Plan for '{plan.spec.title}' ({plan.profile.name}, {plan.length}):"]
    lines.append(f"  {'module':<24} {'emphasis':<8} {'variant':<9} {'words':>5}")
    for c in assembly.choices:
        if c.module.bespoke:   # the author's own text: never shortened or dropped
            lines.append(f"  {c.module.label:<24} {'own':<8} {c.variant:<9} {c.words:>5} (the spec's own section)")
            continue
        mark = " (forced)" if c.forced else ""
        lines.append(f"  {c.module.id:<24} {c.emphasis:<8} {c.variant:<9} {c.words:>5}{mark}")
    for w in plan.warnings:
        if "left out" in w.message or "dropped" in w.message:
            lines.append(f"  - {w.message}")
    lines.append(f"  body words: {assembly.words}")
    if plan.marking is not None:
        from .markings import brief_marking, explain_marking

        marking = brief_marking(plan.marking, [c.module for c in assembly.choices], assembly.document.blocks)
        lines.append(f"  {explain_marking(marking)}")
    if assembly.pages is not None:
        annexes = "" if plan.profile.settings.annexes_count else ", annexes not counted"
        lines.append(f"  measured pages: {assembly.pages} of {plan.length.amount} allowed{annexes}"
                     + (f"; last page {assembly.fill:.0%} full" if assembly.fill is not None else ""))
    if theme is not None:
        lines.append("  fonts: " + "; ".join(_font_pair(docx, pdf) for docx, pdf in theme.font_pairs())
                     + (" (embedded in the DOCX)" if theme.embeds_fonts() else ""))
    return "\n".join(lines)


def _font_pair(docx: str, pdf: str) -> str:
    if docx == pdf:
        return f"{docx} in the DOCX and the PDF"
    return f"{docx} in the DOCX, its metric twin {pdf} in the PDF and for measuring"
