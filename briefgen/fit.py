"""Fitting a brief to its length, measured on the real layout: "1 page" means one page.

Word budgets are met in assembly. For page budgets:

1. List the *growth chain*: from every module at its shortest allowed variant, one step at a time
   in priority order (emphasis, then spec order) to every module at its longest.
2. Search the chain for the longest state whose PDF layout fits the page budget (keeping a little
   slack so Word/LibreOffice, whose line breaking differs slightly, fits too). The first state laid
   out is aimed with the profile's calibrated ``words_per_page`` and ``fixed_pages``
   (``scripts/calibrate_profiles.py``); each later aim steps from what was measured, by the slope
   between the two nearest measured states once there are two; then gallop and bisect around the
   best one (usually two layouts in all, not every combination). A state whose extra words cannot
   fit in the room left, even at twice the density measured between two states, is not laid out. Annexes that do not
   count are left out of trial layouts. An aimed state expected to be the choice (the first guess
   when chain steps are coarse, a later aim that would fit) is laid out whole, annexes included,
   and drawn when a PDF is asked for: if chosen, it is carried by the assembly (``Assembly.layout``)
   and the PDF writer writes it rather than laying it out again.
3. If the last page is under 60 % full, try single extra steps off the chain that still fit
   (skipping, unmeasured, those whose extra words clearly cannot fit in the room left).
4. If even the shortest variants do not fit, drop the lowest-priority modules (warning), or fail
   under ``--no-drop``. The spec's own (bespoke) sections are never shortened or dropped: their
   variant is fixed, only library modules go, and if the brief cannot fit with them the error says so. How many must go is searched the same way (aimed by the measured overflow,
   then galloping and bisecting), not found by dropping one module and laying out again each time.
"""

from __future__ import annotations

from dataclasses import replace

from .assemble import Assembly, BriefPlan, assemble, body_words, compose
from .assemble.select import EMPHASIS_RANK, Choice
from .cache import Cache
from .model import Div, Document
from .catalog import Catalog
from .catalog.modules import VARIANTS
from .errors import BuildWarning, RenderError
from .theme import Theme

__all__ = ["fit_brief", "growth_chain", "SLACK", "MIN_FILL"]

SLACK = 0.95      # the last page may be at most this full: LibreOffice sets lines a little differently
MIN_FILL = 0.60   # below this, a longer variant is tried if one still fits
PREDICT_MARGIN = 0.25   # pages: how far past the room a step's words must reach to be skipped unmeasured
GUESS_ERROR = 0.2       # pages: how far a calibrated profile's first guess is typically out
LIKELY_MARGIN = 0.15    # a state is drawn as the likely choice if it would fit with its step 15 % smaller
DENSEST = 2.0           # a step's words take at least 1/DENSEST of the pages words per page says


def _priority(entries) -> list[int]:
    """Indexes of the modules, most important first: high emphasis, then spec order."""
    return sorted(range(len(entries)), key=lambda i: (EMPHASIS_RANK[entries[i][1]], i))


def _longer(variant: str, allowed: tuple[str, ...]) -> str | None:
    """The next allowed variant longer than ``variant`` (None: it is the longest allowed)."""
    allowed = tuple(v for v in VARIANTS if v in allowed) or VARIANTS
    return next((v for v in allowed if VARIANTS.index(v) > VARIANTS.index(variant)), None)


def _shortest(entries, allowed: tuple[str, ...]) -> list[str]:
    """Every module at its shortest allowed variant (or the one the spec forces)."""
    allowed = tuple(v for v in VARIANTS if v in allowed) or VARIANTS
    return [variant or allowed[0] for _m, _e, variant in entries]


def _used(pages: int, fill: float) -> float:
    """Pages in use, as a number: two full pages and a half-full third are 2.5."""
    return max(0.05, pages - 1 + fill)


def growth_chain(entries, allowed: tuple[str, ...]) -> list[list[str]]:
    """Every state from shortest to longest, each one variant step longer than the one before."""
    state = _shortest(entries, allowed)
    forced = [variant is not None for _m, _e, variant in entries]
    chain = [list(state)]
    grew = True
    while grew:
        grew = False
        for i in _priority(entries):
            longer = None if forced[i] else _longer(state[i], allowed)
            if longer:
                state[i] = longer
                chain.append(list(state))
                grew = True
    return chain


def _char_list(chars: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(f"U+{ord(ch):04X}" for ch in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")


class _Measurer:
    """Composes and lays out a state, remembering results (the search revisits states)."""

    def __init__(self, plan: BriefPlan, catalog: Catalog, theme: Theme, cache: Cache | None,
                 draw: bool = False) -> None:
        self.plan, self.catalog, self.theme, self.cache = plan, catalog, theme, cache
        self.seen: dict[tuple, tuple[Assembly, int, float]] = {}
        self.count_annexes = plan.profile.settings.annexes_count
        self.draw = draw

    def choices(self, entries, state: list[str]) -> list[Choice]:
        return [Choice(m, e, v, forced=f is not None) for (m, e, f), v in zip(entries, state)]

    def measure(self, entries, state: list[str], likely: bool = False) -> tuple[Assembly, int, float]:
        """Lay out one state (``likely``: the one the search expects to choose; kept for the PDF)."""
        key = (tuple(m.id for m, _, _ in entries), tuple(state))
        if key not in self.seen:
            choices = self.choices(entries, state)
            doc = compose(self.plan, choices, self.catalog, self.cache)
            pages, fill, layout = self.pages_of(doc, draw=likely and self.draw)
            assembly = Assembly(doc, self.plan, choices, body_words(doc), pages, fill, layout)
            self.seen[key] = (assembly, pages, fill)
        return self.seen[key]

    def pages_of(self, doc: Document, draw: bool):
        """The pages that count, the last one's fill, and the layout when it was drawn (whole,
        with ``draw``; else without the annexes when they do not count)."""
        counted = doc
        if not self.count_annexes and not draw:   # annexes start a new page and do not count
            counted = replace(doc, blocks=tuple(b for b in doc.blocks
                                                if not (isinstance(b, Div) and b.kind == "annex")))
        from .layout import lay_out    # only page budgets need the layout stage

        # no PDF asked for: characters its fonts lack are measured with stand-ins (a warning), so a
        # DOCX or Markdown brief in Arabic, Hebrew, Chinese or with emoji is fitted, not refused
        m = lay_out(counted, self.theme, draw=draw, cache=self.cache, stand_ins=not self.draw)
        if m.stood_in:
            self._warn_stand_ins(m.stood_in)
        # a whole layout's body measures as the body alone would (tests/test_fit.py)
        pages = m.pages if self.count_annexes else m.body_pages
        return pages, m.last_body_page_fill, (m if draw else None)

    def _warn_stand_ins(self, chars: tuple[str, ...]) -> None:
        message = (f"the page count was measured with stand-ins for {len(chars)} character"
                   f"{'s' if len(chars) != 1 else ''} the PDF fonts lack ({_char_list(chars)}); the brief keeps them")
        if not any(w.message == message for w in self.plan.warnings):
            self.plan.warnings.append(BuildWarning(message, hint="check the page count in Word, or choose theme "
                                                                 "fonts that cover these scripts"))

    def fits(self, entries, state: list[str], budget: int) -> bool:
        _a, pages, fill = self.measure(entries, state)
        return pages < budget or (pages == budget and fill <= SLACK)


def last_fitting(fits, count: int, start: int) -> int | None:
    """The largest k in [0, count) with fits(k), for a monotone fits (true, then false), probing
    from ``start``: gallop away from it, then bisect. None when not even k = 0 fits."""
    start = max(0, min(start, count - 1))
    if fits(start):
        lo, step = start, 1
        while lo + step < count and fits(lo + step):
            lo, step = lo + step, step * 2
        hi = min(lo + step, count)      # known not to fit, or past the end
    else:
        hi, step = start, 1
        while hi - step >= 0 and not fits(hi - step):
            hi, step = hi - step, step * 2
        if hi - step < 0:
            if hi == 0 or not fits(0):
                return None             # even the shortest state does not fit
            lo = 0
        else:
            lo = hi - step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def _fit_entries(measurer: _Measurer, entries, budget: int) -> Assembly | None:
    settings = measurer.plan.profile.settings
    chain = growth_chain(entries, settings.variants)
    words = [sum(m.variant(v).words for (m, _e, _f), v in zip(entries, state)) for state in chain]
    target = budget - 1 + SLACK      # pages in use a state may reach and still fit (``fits``)
    used: dict[int, float] = {}      # chain index -> pages in use, for the states laid out

    def at_most(amount: float) -> int:
        """The longest chain state of at most ``amount`` module words (the shortest if none)."""
        return max((k for k, n in enumerate(words) if n <= amount), default=0)

    def nearest(amount: float) -> int:
        """The chain state whose module words are closest to ``amount``."""
        return min(range(len(words)), key=lambda k: abs(words[k] - amount))

    def measure(k: int, likely: bool = False) -> None:
        _a, pages, fill = measurer.measure(entries, chain[k], likely=likely)
        used[k] = _used(pages, fill)

    # Aim: pages in use = fixed_pages + module words / words_per_page (the profile's calibrated
    # guess, scripts/calibrate_profiles.py); from a measured state, words per page gives the step
    # to the target (the slope between the two nearest measured states once there are two). An aim
    # already measured moves to its neighbour towards the boundary. A state likely to be the choice
    # is drawn when a PDF is wanted, so the one chosen is usually not laid out again; the others
    # are counted. The first guess is likely only when the step to the next state is coarser than a
    # profile's guess is out by; a later aim, when it would fit were its step a little smaller.
    k = at_most((target - settings.fixed_pages) * settings.words_per_page)
    likely = k + 1 == len(chain) or (words[k + 1] - words[k]) / settings.words_per_page >= GUESS_ERROR
    for _ in range(4):
        measure(k, likely=likely)
        slope = _slope(used, words) or settings.words_per_page
        aim = nearest(words[k] + (target - used[k]) * slope)
        if aim in used:
            aim = aim + 1 if used[aim] <= target else aim - 1
            if aim in used or not 0 <= aim < len(chain) or _clearly_over(aim, used, words, target):
                break
        step = (words[aim] - words[k]) / slope          # pages, expected
        likely = used[k] + step - LIKELY_MARGIN * abs(step) <= target
        k = aim

    def fits(k: int) -> bool:
        if k not in used:
            if _clearly_over(k, used, words, target):
                return False
            measure(k)
        return used[k] <= target

    fitting = [j for j in used if used[j] <= target]
    found = last_fitting(fits, len(chain), max(fitting) if fitting else min(used))
    if found is None:
        return None
    lo = found
    state = chain[lo]
    assembly, _pages, fill = measurer.measure(entries, state)
    if fill < MIN_FILL and lo < len(chain) - 1:
        # The next chain step overflowed; a smaller step elsewhere may still fit. A step whose extra
        # words would take clearly more than the room left (PREDICT_MARGIN of a page to spare, at the
        # higher of the measured and the profile's words per page, so as to err towards trying)
        # is not laid out: it cannot fit.
        allowed = settings.variants
        per_page = max(_slope(used, words) or 0.0, settings.words_per_page)
        for i in _priority(entries):
            longer = None if entries[i][2] is not None else _longer(state[i], allowed)
            if longer:
                _a, pages, fill = measurer.measure(entries, state)
                extra = entries[i][0].variant(longer).words - entries[i][0].variant(state[i]).words
                if extra / per_page > target - (pages - 1 + fill) + PREDICT_MARGIN:
                    continue
                trial = list(state)
                trial[i] = longer
                if measurer.fits(entries, trial, budget):
                    state = trial
        assembly = measurer.measure(entries, state)[0]
    return assembly


def _slope(used: dict[int, float], words: list[int]) -> float | None:
    """Module words per page between the two measured states closest in words (None: fewer than
    two, or no growth between them to measure)."""
    ks = sorted(used, key=lambda k: words[k])
    pairs = [(a, b) for a, b in zip(ks, ks[1:]) if words[b] > words[a] and used[b] > used[a]]
    if not pairs:
        return None
    a, b = min(pairs, key=lambda ab: words[ab[1]] - words[ab[0]])
    return (words[b] - words[a]) / (used[b] - used[a])


def _clearly_over(k: int, used: dict[int, float], words: list[int], target: float) -> bool:
    """Whether state ``k`` cannot fit, seen without laying it out: its words beyond the longest
    measured state that fits need more room than is left even at DENSEST times the words per page
    measured between two states (with fewer than two measured, nothing is passed over: a profile's
    words per page is only a guess)."""
    below = [j for j in used if j < k and used[j] <= target]
    slope = _slope(used, words)
    if not below or slope is None:
        return False
    j = max(below)
    return (words[k] - words[j]) / (DENSEST * slope) > target - used[j]


def _fit_words(plan: BriefPlan, catalog: Catalog, entries, cache: Cache | None) -> Assembly | None:
    """Words: the assembly's choice, or None when even the shortest variants are over by 10 %."""
    assembly = assemble(plan, catalog, entries, cache)
    target = plan.length.amount
    if assembly.words > 1.1 * target:
        return None
    if assembly.words < 0.9 * target:
        plan.warnings.append(BuildWarning(
            f"body is {assembly.words} words, more than 10% under the {target} asked for: no longer variant "
            "fits", file=str(plan.spec.path) if plan.spec.path else None, hint="add modules or change the length"))
    return assembly


def _victims(entries) -> list[int]:
    """Indexes of the library modules in the order they are dropped: low emphasis first, then the
    last in spec order (the spec's own sections are never dropped)."""
    return [i for i in _priority(entries)[::-1] if not entries[i][0].bespoke]


def _most_drops(entries) -> int:
    """How many modules may go: every library module, but one when nothing else would be left."""
    droppable = len(_victims(entries))
    return droppable if droppable < len(entries) else droppable - 1


def _drops_needed(measurer: _Measurer, entries, budget: int) -> int | None:
    """The fewest lowest-priority modules whose removal lets the shortest variants fit (0: none
    need go), or None when not even the most that may go (``_most_drops``) is enough."""
    order, allowed = _victims(entries), measurer.plan.profile.settings.variants
    most = _most_drops(entries)

    def kept(k: int):
        gone = set(order[:k])
        return [e for i, e in enumerate(entries) if i not in gone]

    def fits(k: int) -> bool:
        rest = kept(k)
        return measurer.fits(rest, _shortest(rest, allowed), budget)

    if fits(0):
        return 0
    # aim: drop about as many words as the shortest brief overflows by, then search around that
    shortest = _shortest(entries, allowed)
    _a, pages, fill = measurer.measure(entries, shortest)
    words = [m.variant(v).words for (m, _e, _f), v in zip(entries, shortest)]
    excess = sum(words) * max(0.0, 1 - budget * SLACK / _used(pages, fill))
    aim, shed = most, 0
    for k, i in enumerate(order[:most], start=1):
        shed += words[i]
        if shed >= excess:
            aim = k
            break
    # last_fitting wants "fits, then not": search j = most - k, from the most dropped upwards
    j = last_fitting(lambda j: fits(most - j), most + 1, most - aim)
    return None if j is None else most - j


def fit_brief(plan: BriefPlan, catalog: Catalog, theme: Theme, *, drop: bool = True,
              draw: bool = False, cache: Cache | None = None) -> Assembly:
    """Choose variants (and, if need be, drop modules) so the brief meets its length. ``draw``:
    a PDF will be written, so the layout expected to be chosen is drawn, and carried by the
    assembly if it is the one chosen."""
    budget = plan.length.amount
    measurer = _Measurer(plan, catalog, theme, cache, draw) if plan.length.unit == "pages" else None
    entries = list(plan.entries)
    dropped: list[str] = []
    searched = False
    while True:
        if measurer is None:
            assembly = _fit_words(plan, catalog, entries, cache)
        else:
            assembly = _fit_entries(measurer, entries, budget)
        if assembly is not None:
            break
        if not drop or not _most_drops(entries):
            raise _does_not_fit(plan, entries, dropped, blame_own=drop)
        gone = _victims(entries)[:1]
        if measurer is not None and not searched:   # search how many must go (the search above
            searched = True                         # measured the shortest state: no new layout)
            k = _drops_needed(measurer, entries, budget)
            gone = _victims(entries)[:_most_drops(entries) if k is None else max(k, 1)]
        for i in gone:   # in drop order, one warning each
            dropped.append(entries[i][0].id)
            plan.warnings.append(_drop_warning(plan, entries[i][0].id))
        entries = [e for i, e in enumerate(entries) if i not in set(gone)]
    return assembly


def _does_not_fit(plan: BriefPlan, entries, dropped: list[str], blame_own: bool) -> RenderError:
    """The error for a brief that cannot fit; ``blame_own``: every library module that may go has
    gone, so what is left over is the spec's own sections."""
    what = "even with the shortest variants" + (f" and without {', '.join(dropped)}" if dropped else "")
    own = [m for m, _e, _v in entries if m.bespoke]
    hint = "ask for more pages, remove modules, or allow dropping (no --no-drop)"
    if own and blame_own:
        words = sum(m.variant(v).words for m, _e, v in entries if m.bespoke)
        titles = ", ".join(f"'{m.meta.title}'" for m in own)
        what += f", with the spec's own sections ({titles}: {words} words), which are never shortened or dropped"
        hint = f"shorten the spec's own sections or ask for more {plan.length.unit}"
    return RenderError(f"the brief does not fit in {plan.length} {what}",
                       file=str(plan.spec.path) if plan.spec.path else None, hint=hint)


def _drop_warning(plan: BriefPlan, module_id: str) -> BuildWarning:
    return BuildWarning(f"module '{module_id}' dropped: the brief does not fit in {plan.length} with it",
                        file=str(plan.spec.path) if plan.spec.path else None,
                        hint=f"ask for more {plan.length.unit} or give it emphasis: high")
