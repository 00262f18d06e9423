"""The roll-up: a brief's marking is the highest level any of its content needs.

``roll_up`` is one plain function over *contributions*: each module actually included (after
audience filtering and fitting), the template's own fixed text, and any other part of a brief that
declares a sensitivity (a spec's own sections). A spec may ask for a higher level, with caveats
after it kept as written (``OFFICIAL-SENSITIVE – UK EYES ONLY``, ``CUI//NOFORN``), never a lower
one: ``refuse_lower`` turns that into a SpecError naming the spec line and the content that set
the level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import SpecError, ThemeError
from .schemes import Level, Scheme

__all__ = ["Contribution", "Marking", "roll_up", "refuse_lower", "refuse_unknown", "asked_level", "explain_marking"]


@dataclass(frozen=True)
class Contribution:
    """Some content of the brief and its sensitivity; ``origin`` names it for people:
    "module 'overview'", "the template's fixed text", "section 'Handling'"."""
    sensitivity: str
    origin: str


@dataclass(frozen=True)
class Marking:
    """A brief's marking under one scheme."""
    scheme: Scheme
    index: int                        # the level's place in ``scheme.levels``
    banner: str                       # printed at the top and bottom of every page ("" for none)
    set_by: Contribution | None       # the content that needs ``content_index`` (None: no content)
    content_index: int                # the level the content alone needs
    asked: str | None = None          # the spec's marking as written
    asked_index: int | None = None    # its level (-1: 'none' where every level prints a banner)
    portions: bool = False            # whether paragraphs carry portion marks

    @property
    def level(self) -> Level:
        return self.scheme.levels[self.index]

    @property
    def too_low(self) -> bool:
        """The spec asked for less than the content needs."""
        return self.asked_index is not None and self.asked_index < self.content_index


def asked_level(scheme: Scheme, marking: str) -> tuple[int, str] | None:
    """(level index, caveat as written) for a marking; 'none' is the lowest level that prints
    nothing, or -1 (below every level) when each prints a banner. None: not a level of the scheme."""
    if marking.strip().lower() == "none":
        silent = next((i for i, level in enumerate(scheme.levels) if not level.banner_text), None)
        return (-1 if silent is None else silent), ""
    return scheme.find(marking)


def roll_up(scheme: Scheme, contributions: Iterable[Contribution], *, asked: str | None = None,
            floor: str | None = None, show_lowest: bool = True, portions: bool | None = None) -> Marking:
    """The brief's marking: the highest level among ``contributions``, raised to ``asked`` (the
    spec's marking) or ``floor`` (the audience's default) when they are higher. ``show_lowest``
    False prints no banner (and no portion marks) when the brief is at the scheme's lowest level.

    Raises ThemeError for a sensitivity no level covers, and SpecError for an ``asked`` marking
    that is not a level of the scheme. An ``asked`` level lower than the content's is not an error
    here (fitting composes trial states): the content's level is used and ``too_low`` is set."""
    content_index, set_by = 0, None
    for item in contributions:
        rank = scheme.rank_of_sensitivity(item.sensitivity)
        if rank is None:
            raise ThemeError(f"{item.origin} has sensitivity '{item.sensitivity}', which no level of the "
                             f"'{scheme.name}' marking scheme covers", file=scheme.path,
                             hint="add it to a level's 'covers', or use another scheme or module")
        if set_by is None or rank > content_index:
            content_index, set_by = rank, item
    index, caveat, asked_index = content_index, "", None
    if asked is not None:
        found = asked_level(scheme, asked)
        if found is None:
            names = ", ".join(level.name for level in scheme.levels)
            raise SpecError(f"marking '{asked}' is not a level of the '{scheme.name}' marking scheme",
                            hint=f"choose from {names} (a caveat may follow, e.g. '{scheme.levels[-1].name} – "
                                 "EYES ONLY')")
        asked_index, caveat = found
        if asked_index >= content_index:
            index = asked_index
        else:
            caveat = ""
    elif floor is not None:
        found = asked_level(scheme, floor)
        if found is not None and found[0] > content_index:   # a floor the scheme lacks is passed over
            index = found[0]
    level = scheme.levels[index]
    banner = (level.banner_text + caveat).strip() if level.banner_text else ""
    shown = show_lowest or index > 0
    wants_portions = scheme.portion_marks if portions is None else portions
    return Marking(scheme, index, banner if shown else "", set_by, content_index, asked, asked_index,
                   wants_portions and shown)


def refuse_unknown(scheme: Scheme, asked: str | None, spec_file: Path | str | None) -> None:
    """A SpecError naming the spec's ``marking:`` line when it is not a level of the scheme."""
    if asked is None or asked_level(scheme, asked) is not None:
        return
    try:
        roll_up(scheme, (), asked=asked)
    except SpecError as exc:
        exc.file, exc.line = (str(spec_file) if spec_file else None), _marking_line(spec_file)
        raise


def _marking_line(spec_file: Path | str | None) -> int | None:
    if spec_file is None:   # looked up only for a message: reading YAML costs a cached build
        return None
    from ..yamlio import key_lines, read_text

    return key_lines(read_text(Path(spec_file), SpecError)).get("marking")


def refuse_lower(marking: Marking, spec_file: Path | str | None) -> None:
    """A SpecError when the spec asked for less than the content needs: the spec's ``marking:``
    line, the content that set the level and the level to ask for instead."""
    if not marking.too_low or marking.set_by is None:
        return
    line = _marking_line(spec_file)
    needed = marking.scheme.levels[marking.content_index].name
    origin = marking.set_by.origin
    leave = "leave the module out" if origin.startswith("module") else "leave it out"
    raise SpecError(f"marking '{marking.asked}' is lower than {origin} ({marking.set_by.sensitivity}): "
                    f"mark it {needed} or {leave}", file=spec_file, line=line)


def explain_marking(marking: Marking) -> str:
    """One line for ``--explain``: the marking, its level and the content that set it."""
    shown = marking.banner or "no banner"
    needed = marking.scheme.levels[marking.content_index].name
    by = f", set by {marking.set_by.origin} ({marking.set_by.sensitivity})" if marking.set_by else ""
    if marking.index == marking.content_index:
        why = f"level {marking.level.name}{by}"
    else:
        asker = "as the spec asks" if marking.asked is not None else "the audience's default"
        why = f"level {marking.level.name}, {asker}; the content needs {needed}{by}"
    portions = "; portion marks" if marking.portions else ""
    return f"marking: {shown} ({marking.scheme.name} scheme, {why}{portions})"
