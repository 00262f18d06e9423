"""When Python's cycle collector runs, for a one-shot command and for long-running ones.

A full collection walks every object the process holds; once the libraries are imported that is
about 45 ms here, and Python starts one every so often while the imports and the layouts make
objects. So:

- a one-shot command (``briefgen build``) runs with the collector off: imports alone get ~10 %
  faster, and the little cyclic garbage of one build (measured: +1 MiB) goes when the process ends;
- a long-running one (``regen``, ``watch``, ``build`` given several specs) turns it back on, and after its first brief moves
  everything alive then (modules, fonts, caches) out of the collector's sight (``gc.freeze``), so
  that a full collection costs ~2 ms and can run after every brief, keeping memory flat.
"""

from __future__ import annotations

import gc

__all__ = ["one_shot", "long_running", "after_brief"]

_state = {"own_process": False, "long_running": False, "frozen": False}


def one_shot() -> None:
    """At the start of the ``briefgen`` process (not when a library caller or a test runs a command)."""
    _state["own_process"] = True
    gc.disable()


def long_running(*, own_process: bool = False) -> None:
    """Called by commands that build many briefs in one process, and by regen's worker processes
    (``own_process``). In someone else's process the collector is left as it is."""
    _state["own_process"] = _state["own_process"] or own_process
    if _state["own_process"]:
        _state["long_running"] = True
        gc.enable()


def after_brief() -> None:
    """Between two briefs of a long-running process: collect, and freeze what outlives the first."""
    if not _state["long_running"]:
        return          # a library caller keeps its own collector settings
    gc.collect()
    if not _state["frozen"]:
        gc.freeze()
        _state["frozen"] = True
