"""Hardening (issue 28) of `briefgen watch`: its own output never sets off another build."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from briefgen.watch import watch_and_build


def test_watch_ignores_its_own_outputs_inside_the_spec_folder(fixture_ws: Path) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    spec = folder / "brief.yaml"
    spec.write_text("title: Watched\ndate: 2026-11-23\naudience: analyst\nformats: [md, docx]\n"
                    "length: 300 words\nmodules: [{id: alpha, variant: brief}]\n", encoding="utf-8")
    lines: list[str] = []
    stop = threading.Event()
    # `briefgen new brief.yaml && briefgen watch brief.yaml` from the spec's folder: out/ is inside it
    thread = threading.Thread(target=watch_and_build, kwargs=dict(
        spec=spec, formats=None, out_dir=folder / "out", workspace=None, report=lines.append,
        warn=lambda w: None, error=lambda e: lines.append(f"error {e}"), stop=stop, debounce=0.1), daemon=True)
    thread.start()
    try:
        end = time.monotonic() + 20
        while not any(line.startswith("watching") for line in lines) and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(2.5)   # long enough for several rounds of rebuilding, were the outputs seen as changes
        builds = [line for line in lines if line.startswith("built")]
        assert len(builds) == 1, lines
        spec.write_text(spec.read_text(encoding="utf-8").replace("Watched", "Watched again"), encoding="utf-8")
        end = time.monotonic() + 20
        while "Watched again" not in (folder / "out" / "brief.md").read_text(encoding="utf-8") and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(2.5)
        assert len([line for line in lines if line.startswith("built")]) == 2, lines
    finally:
        stop.set()
        thread.join(10)
