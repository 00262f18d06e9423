"""When Python's cycle collector runs, for a one-shot command and for long-running ones.

A full collection walks every object the process holds; once the libraries are imported that is
about 45 ms here, and Python starts one every so often while the imports and the layouts make
objects. So:

- a one-shot command (``briefgen build``) runs with the collector off: imports alone get ~10 %
  faster, and the little cyclic garbage of one build (measured: +1 MiB) goes when the process ends;
- regen's worker processes, which do nothing but build briefs one after another, keep it off too
  (their imports and first brief would start ~110 collections, ~40 ms of a worker's start) and
  collect what each brief left after it (``after_brief``, below): one brief's garbage at most;
- a long-running one (``regen``, ``watch``, ``build`` given several specs) turns it back on, and after
  each brief collects and then moves everything still alive (modules, fonts, caches, the PDF line
  cache's paragraphs) out of the collector's sight (``gc.freeze``), so that the next collections
  cost ~2 ms rather than growing with the caches (the line cache alone can hold ~90,000 objects).
  What is frozen is freed by reference counting as usual; only a cycle that becomes garbage while
  frozen would wait, so every ``REFREEZE`` briefs everything is thawed and collected once.
"""

from __future__ import annotations

import gc

__all__ = ["one_shot", "brief_worker", "long_running", "after_brief"]

_state = {"own_process": False, "long_running": False, "briefs": 0, "collect_first": True}
REFREEZE = 50     # briefs between full collections of everything (thawed first)


def one_shot() -> None:
    """At the start of the ``briefgen`` process (not when a library caller or a test runs a command)."""
    _state["own_process"] = True
    gc.disable()


def brief_worker() -> None:
    """At the start of a process that only builds briefs, one after another (regen's workers): the
    collector stays off while each is built, and ``after_brief`` collects after it, except after
    the first: what the imports and the first brief left (~5,500 objects, no measurable memory)
    is frozen with the rest and freed at the first ``REFREEZE``, sparing a full walk of every
    object (~30 ms) in each worker's first brief."""
    _state["own_process"] = _state["long_running"] = True
    _state["collect_first"] = False
    gc.disable()


def long_running(*, own_process: bool = False) -> None:
    """Called by commands that build many briefs in one process, and by regen's worker processes
    (``own_process``). In someone else's process the collector is left as it is."""
    _state["own_process"] = _state["own_process"] or own_process
    if _state["own_process"]:
        _state["long_running"] = True
        gc.enable()


def after_brief() -> None:
    """Between two briefs of a long-running process: collect, then freeze what is still alive."""
    if not _state["long_running"]:
        return          # a library caller keeps its own collector settings
    _state["briefs"] += 1
    if _state["briefs"] % REFREEZE == 0:
        gc.unfreeze()
    if _state["briefs"] > 1 or _state["collect_first"]:
        gc.collect()
    gc.freeze()
