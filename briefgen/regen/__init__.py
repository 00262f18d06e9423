"""Scheduled regeneration: rebuild the briefs whose inputs changed, as numbered editions, safely.

    inputs.py    the content hash of a brief's inputs (spec, modules, sources, template, theme, fonts, version)
    state.py     the state file in the output folder: committed editions, input hashes, snapshots
    changes.py   the change summary (modules, sources, key facts) for changes.md and the "What changed" box
    comparison.py  the edition's text against the previous one's kept model: sentences, the redline
    editions.py  edition names, atomic edition/latest writes, repair after an interrupted run
    worker.py    one edition of one brief: assemble with the "What changed" box, write (in any process)
    runner.py    regen(): lock, repair, skip the unchanged, build (in N processes), commit
    report.py    progress events and the run's report (--json)
    progress.py  a rich progress bar on a terminal, plain log lines otherwise (used by the CLI)
"""

from .report import BriefOutcome, RegenEvent, RegenReport
from .runner import LockTimeout, find_specs, regen

__all__ = ["regen", "find_specs", "RegenReport", "BriefOutcome", "RegenEvent", "LockTimeout"]
