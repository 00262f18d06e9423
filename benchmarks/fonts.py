#!/usr/bin/env python3
"""What brand fonts inside the DOCX cost: file size and build time, with and without them.

    python benchmarks/fonts.py            # the two-page ministerial brief, three runs each
    python benchmarks/fonts.py --runs 5

Builds the same brief as a DOCX in-process (after one untimed warm-up build) with the bundled
themes: ``default`` (Arial: an Office font, nothing embedded), ``brand`` (Fira Sans and IBM Plex
Serif embedded whole, its default) and ``brand`` with ``embed_fonts: false``. Prints one line per
case: the file's size and the median build time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "examples" / "minister-two-page.yaml"


def _workspace(root: Path) -> Path:
    """A copy of the workspace with a third theme: brand without its fonts inside."""
    for name in ("content", "templates", "themes"):
        shutil.copytree(REPO / name, root / name)
    plain = root / "themes" / "brand-plain"
    shutil.copytree(root / "themes" / "brand", plain)
    with (plain / "theme.yaml").open("a", encoding="utf-8") as f:
        f.write("embed_fonts: false\n")
    return root


def _case(ws: Path, theme: str, runs: int) -> tuple[int, float]:
    import briefgen

    import yaml

    data = {**yaml.safe_load(SPEC.read_text(encoding="utf-8")), "theme": theme}
    spec = ws / f"{theme}.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = ws / "out" / theme
    briefgen.build(spec, workspace=ws, formats="docx", out_dir=out)      # warm-up: fonts read, layout kept
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = briefgen.build(spec, workspace=ws, formats="docx", out_dir=out)
        times.append(time.perf_counter() - start)
    return result.outputs["docx"].stat().st_size, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="briefgen-fonts-") as tmp:
        ws = _workspace(Path(tmp))
        rows = [("default (Arial, nothing embedded)", *_case(ws, "default", args.runs)),
                ("brand (Fira Sans + IBM Plex Serif, embedded whole)", *_case(ws, "brand", args.runs)),
                ("brand, embed_fonts: false", *_case(ws, "brand-plain", args.runs))]
    print(f"{SPEC.name} as DOCX, median of {args.runs} warm builds")
    for label, size, seconds in rows:
        print(f"  {label:<52} {size / 1024:>8.0f} KB  {seconds * 1000:>6.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
