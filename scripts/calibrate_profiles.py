"""Suggest each audience profile's ``words_per_page`` and ``fixed_pages`` from measured layouts.

    .venv/bin/python scripts/calibrate_profiles.py [SPEC ...]

(default: the bundled ``examples/*.yaml``, and specs of four and of seven modules for an audience
no example fits to pages)

Fitting's first trial layout is aimed with these two numbers (pages in use = fixed_pages + module
words / words_per_page), so a profile that matches its template and theme finds a brief's length in
two layouts instead of four. For every spec with a page length, this lays out each state of the
brief's growth chain up to a page past its budget or its shortest state (no PDF is drawn), fits a
straight line through (module words, pages in use) for each audience, and prints the two numbers
and how well the line fits. After changing a template's fixed matter or the theme's type size, run it and copy the
numbers into ``templates/<audience>/profile.yaml``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.assemble import plan_brief  # noqa: E402
from briefgen.catalog import load_catalog  # noqa: E402
from briefgen.errors import BriefgenError  # noqa: E402
from briefgen.fit import _Measurer, _used, growth_chain  # noqa: E402
from briefgen.pipeline import load_brief_theme  # noqa: E402
from briefgen.spec import load_spec  # noqa: E402
from briefgen.workspace import find_workspace  # noqa: E402


def points(spec_path: Path, workspace: Path | None = None) -> tuple[str, list[tuple[int, float]]]:
    """(audience, [(module words, pages in use)]) for the chain states of one spec."""
    spec = load_spec(spec_path)
    ws = find_workspace(spec_path, workspace)
    catalog = load_catalog(ws)
    theme = load_brief_theme(ws, spec.theme, spec_path)
    plan = plan_brief(spec, catalog, theme=theme)
    if plan.length.unit != "pages":
        return plan.profile.name, []
    entries = list(plan.entries)
    measurer = _Measurer(plan, catalog, theme, None)
    found: list[tuple[int, float]] = []
    first = measurer.measure(entries, growth_chain(entries, plan.profile.settings.variants)[0])[1]
    for state in growth_chain(entries, plan.profile.settings.variants):
        words = sum(m.variant(v).words for (m, _e, _f), v in zip(entries, state))
        _a, pages, fill = measurer.measure(entries, state)
        found.append((words, _used(pages, fill)))
        if pages > max(plan.length.amount, first) + 1:
            break
    return plan.profile.name, found


def line(series: list[list[tuple[int, float]]]) -> tuple[float, float, float]:
    """Least squares ``used = fixed_s + words / per_page``, one slope for every spec and a fixed
    part of each spec's own (its issue, recommendation... differ): (per_page, the mean fixed part,
    r squared within specs)."""
    means = [(sum(x for x, _ in xy) / len(xy), sum(y for _, y in xy) / len(xy)) for xy in series]
    sxx = sum((x - mx) ** 2 for xy, (mx, _) in zip(series, means) for x, _ in xy)
    sxy = sum((x - mx) * (y - my) for xy, (mx, my) in zip(series, means) for x, y in xy)
    syy = sum((y - my) ** 2 for xy, (_, my) in zip(series, means) for _, y in xy)
    slope = sxy / sxx
    fixed = sum(my - slope * mx for mx, my in means) / len(means)
    return 1 / slope, fixed, (sxy * sxy / (sxx * syy) if syy else 1.0)


# briefs of a usual size: a profile's fixed part is the template's own matter *and* what it prints
# for each module (a heading, key facts, lines to take), so it is calibrated on briefs of the
# number of modules a real one has, not on one of every module
USUAL = ("trilateral-statement", "actor-russia", "actor-turkey", "csto-legal-basis", "background",
         "energy-transport", "mercenaries")


def usual_specs(folder: Path, audiences) -> list[Path]:
    """For each of ``audiences``, two-page specs of four and of seven modules."""
    specs = []
    for audience in audiences:
        for count in (4, 7):
            path = folder / f"{audience}-{count}-modules.yaml"
            path.write_text(f"title: Calibration\ndate: 2026-11-23\naudience: {audience}\nlength: 2 pages\n"
                            f"modules: [{', '.join(USUAL[:count])}]\n", encoding="utf-8")
            specs.append(path)
    return specs


def main(argv: list[str]) -> int:
    import tempfile

    temp = tempfile.TemporaryDirectory()
    specs = [Path(a) for a in argv] or sorted((REPO / "examples").glob("*.yaml"))
    by_audience: dict[str, list[list[tuple[int, float]]]] = defaultdict(list)

    def add(spec: Path, workspace: Path | None = None) -> None:
        try:
            audience, found = points(spec, workspace)
        except BriefgenError as exc:
            print(f"{spec}: skipped ({exc})", file=sys.stderr)
            return
        if len(found) >= 2:
            by_audience[audience].append(found)

    for spec in specs:
        add(spec)
    if not argv:   # an audience no example fits to pages: briefs of a usual size for it
        missing = [a for a in ("minister", "analyst", "press", "public") if a not in by_audience]
        for spec in usual_specs(Path(temp.name), missing):
            add(spec, REPO)
    for audience, series in sorted(by_audience.items()):
        count = sum(len(xy) for xy in series)
        if count < 3:
            print(f"{audience:<10} too few measured states ({count})")
            continue
        per_page, fixed, r2 = line(series)
        print(f"{audience:<10} words_per_page: {per_page:.0f}   fixed_pages: {max(fixed, 0):.2f}   "
              f"({len(series)} specs, {count} layouts, r² {r2:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
