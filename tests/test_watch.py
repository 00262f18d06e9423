"""`briefgen watch`: a saved change to a module rebuilds the brief; a broken edit is reported and
watching goes on."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.watch import watch_and_build


def wait_for(condition, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@dataclass
class Watched:
    """What a watch running in a thread has said so far."""
    lines: list[str] = field(default_factory=list)     # progress ("watching", "built ...")
    errors: list[str] = field(default_factory=list)

    def started(self) -> bool:
        return wait_for(lambda: any(line.startswith("watching") for line in self.lines))


@contextmanager
def watching(spec: Path, out_dir: Path, *, formats: str | None = "md", **options):
    """``watch_and_build`` on ``spec`` in a thread, as ``briefgen watch`` runs it; stopped (and
    checked to have ended) on leaving the block."""
    seen, stop = Watched(), threading.Event()
    thread = threading.Thread(target=watch_and_build, kwargs=dict(
        spec=spec, formats=formats, out_dir=out_dir, workspace=None, report=seen.lines.append,
        warn=lambda w: None, error=lambda e: seen.errors.append(str(e)), stop=stop, debounce=0.1, **options),
        daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_rebuilds_on_change_and_survives_a_bad_edit(fixture_ws: Path, tmp_path: Path) -> None:
    spec = fixture_ws / "spec.yaml"
    spec.write_text("title: Watched\ndate: 2026-11-23\naudience: analyst\nformats: [md]\nlength: 300 words\n"
                    "modules: [{id: alpha, variant: brief}]\n", encoding="utf-8")
    with watching(spec, tmp_path / "out") as seen:
        brief = tmp_path / "out" / "spec.md"
        errors = seen.errors
        assert seen.started()
        assert "Moscow brokered it" in brief.read_text(encoding="utf-8")
        module = fixture_ws / "content" / "modules" / "alpha.md"
        module.write_text(module.read_text(encoding="utf-8").replace("Moscow brokered it", "Moscow mediated it"),
                          encoding="utf-8")
        assert wait_for(lambda: "Moscow mediated it" in brief.read_text(encoding="utf-8"))
        spec.write_text(spec.read_text(encoding="utf-8").replace("alpha", "alpah"), encoding="utf-8")
        assert wait_for(lambda: any("unknown module 'alpah'" in e for e in errors))
        assert "Moscow mediated it" in brief.read_text(encoding="utf-8")  # the last good build stays
        spec.write_text(spec.read_text(encoding="utf-8").replace("alpah", "alpha").replace("Watched", "Watched again"),
                        encoding="utf-8")
        assert wait_for(lambda: "Watched again" in brief.read_text(encoding="utf-8"))


def test_watch_sees_an_edit_that_keeps_the_file_s_size_and_mtime(fixture_ws: Path, tmp_path: Path) -> None:
    """#28 item 5: a same-length edit whose mtime is put back (``cp -p``, ``rsync -t``, ``touch -r``)
    is rebuilt with the new text, in memory and on disk: the cache knows files by their bytes."""
    import os

    from briefgen.cache import Cache

    spec = fixture_ws / "spec.yaml"
    spec.write_text("title: Watched\ndate: 2026-11-23\naudience: analyst\nformats: [md]\nlength: 300 words\n"
                    "modules: [{id: alpha, variant: brief}]\n", encoding="utf-8")
    with watching(spec, tmp_path / "out", cache=Cache("disk", tmp_path / "cache")) as seen:
        brief = tmp_path / "out" / "spec.md"
        assert seen.started()
        assert "Moscow brokered it" in brief.read_text(encoding="utf-8")
        module = fixture_ws / "content" / "modules" / "alpha.md"
        before = module.stat()
        module.write_text(module.read_text(encoding="utf-8").replace("Moscow brokered it", "Moscow brokered IT"),
                          encoding="utf-8")
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (module.stat().st_size, module.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        assert wait_for(lambda: "Moscow brokered IT" in brief.read_text(encoding="utf-8")), seen
