"""Golden tests: a spec in, the Markdown brief out. Regenerate with `pytest --accept` after a
reviewed change, and read the diff of tests/golden/*.md before committing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import build

GOLDEN = Path(__file__).resolve().parent / "golden"
SPECS = sorted(GOLDEN.glob("*.yaml"))


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_spec_gives_expected_markdown(spec: Path, fixture_ws: Path, tmp_path: Path, accept: bool) -> None:
    result = build(spec, workspace=fixture_ws, formats="md", out_dir=tmp_path / "out")
    produced = result.outputs["md"].read_text(encoding="utf-8")
    expected_path = spec.with_suffix(".md")
    if accept or not expected_path.exists():
        expected_path.write_text(produced, encoding="utf-8")
        if not accept:
            pytest.fail(f"{expected_path.name} did not exist; written now, review it and rerun")
    assert produced == expected_path.read_text(encoding="utf-8")
