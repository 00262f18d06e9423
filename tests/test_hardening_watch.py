"""Hardening (issue 28) of `briefgen watch`: its own output never sets off another build."""

from __future__ import annotations

import time
from pathlib import Path

from .test_watch import wait_for, watching


def test_watch_ignores_its_own_outputs_inside_the_spec_folder(fixture_ws: Path) -> None:
    folder = fixture_ws / "briefs"
    folder.mkdir()
    spec = folder / "brief.yaml"
    spec.write_text("title: Watched\ndate: 2026-11-23\naudience: analyst\nformats: [md, docx]\n"
                    "length: 300 words\nmodules: [{id: alpha, variant: brief}]\n", encoding="utf-8")
    # `briefgen new brief.yaml && briefgen watch brief.yaml` from the spec's folder: out/ is inside it
    with watching(spec, folder / "out", formats=None) as seen:
        lines = seen.lines
        seen.started()
        time.sleep(2.5)   # long enough for several rounds of rebuilding, were the outputs seen as changes
        builds = [line for line in lines if line.startswith("built")]
        assert len(builds) == 1, lines
        spec.write_text(spec.read_text(encoding="utf-8").replace("Watched", "Watched again"), encoding="utf-8")
        wait_for(lambda: "Watched again" in (folder / "out" / "brief.md").read_text(encoding="utf-8"))
        time.sleep(2.5)
        assert len([line for line in lines if line.startswith("built")]) == 2, lines
