"""Ending the ``briefgen`` process without tearing the interpreter down.

When a Python program returns, the interpreter unloads every module, runs a last full collection
and frees each object one by one. With python-docx, ReportLab and pydantic loaded that takes about
0.13 s here: more than a warm build of a two-page brief, and all of it memory the operating system
takes back in one go when the process ends. So the console command, once it is done, flushes its
output, runs the ``atexit`` handlers and ends with ``os._exit``.

Only where that is safe: every output of briefgen is written, flushed, synced and closed before the
command returns (``publish``), and a process still running other threads (a pool that did not shut
down, say) ends the ordinary way, so that they are joined.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

__all__ = ["leave"]


def exit_code(code: object) -> int:
    """What ``sys.exit(code)`` would make the exit status (a message is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def leave(code: object) -> None:
    """End the process with ``code`` as ``sys.exit`` would, skipping the interpreter's teardown."""
    status = exit_code(code)
    if threading.active_count() > 1:
        sys.exit(status)                # other threads must be joined: the ordinary way
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (``briefgen ... | head``): nothing to flush to
            status = status or 1
    os._exit(status)
