"""Choosing a variant for each module so the brief meets its length (spec order and emphasis honoured)."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.modules import VARIANTS, ContentModule

__all__ = ["Choice", "choose_variants", "EMPHASIS_RANK"]

EMPHASIS_RANK = {"high": 0, "normal": 1, "low": 2}


@dataclass(frozen=True)
class Choice:
    """One module's place in the plan: the variant chosen and its word count."""
    module: ContentModule
    emphasis: str
    variant: str
    forced: bool = False

    @property
    def words(self) -> int:
        return self.module.variant(self.variant).words


def choose_variants(modules: list[tuple[ContentModule, str, str | None]], allowed: tuple[str, ...],
                    budget_words: int, floor: dict[str, str] | None = None) -> list[Choice]:
    """Start every module at its shortest allowed variant, then, round by round, lengthen one step
    at a time in priority order (emphasis, then spec order) while the total stays within budget.
    High-emphasis modules therefore grow first and furthest; low ones only when room is left.
    A last step may overshoot (by at most 10 %) when that lands nearer the budget than stopping."""
    allowed = tuple(v for v in VARIANTS if v in allowed) or VARIANTS
    state: list[int] = []
    forced: list[bool] = []
    for module, _emphasis, variant in modules:
        if variant:
            state.append(VARIANTS.index(variant))
            forced.append(True)
        else:
            start = (floor or {}).get(module.id, allowed[0])
            state.append(VARIANTS.index(start))
            forced.append(False)
    order = sorted(range(len(modules)), key=lambda i: (EMPHASIS_RANK[modules[i][1]], i))
    words = lambda i, v: modules[i][0].variant(VARIANTS[v]).words  # noqa: E731
    total = sum(words(i, state[i]) for i in range(len(modules)))
    changed = True
    while changed:
        changed = False
        for i in order:
            if forced[i]:
                continue
            nxt = next((v for v in range(state[i] + 1, len(VARIANTS)) if VARIANTS[v] in allowed), None)
            if nxt is None:
                continue
            grown = total - words(i, state[i]) + words(i, nxt)
            # grow while within budget, or when a step overshoots by less than it would fall short
            closer = abs(grown - budget_words) < abs(total - budget_words) and grown <= 1.1 * budget_words
            if grown <= budget_words or closer:
                total, state[i], changed = grown, nxt, True
    return [Choice(m, e, VARIANTS[state[i]], forced[i]) for i, (m, e, _v) in enumerate(modules)]
