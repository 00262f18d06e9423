"""Every bundled example builds cleanly, in every format, for its audience."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import build
from briefgen.model import notes_of

from .clients import pdf_pages, pdftotext_pages, squash

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.mark.parametrize("spec", EXAMPLES, ids=[s.stem for s in EXAMPLES])
def test_example_builds_in_every_format(spec: Path, tmp_path: Path) -> None:
    result = build(spec, formats="md,docx,pdf", out_dir=tmp_path, strict=True)
    assert set(result.outputs) == {"md", "docx", "pdf"}
    for path in result.outputs.values():
        assert path.stat().st_size > 1000, path
    doc = result.assembly.document
    text = squash(" ".join(pdftotext_pages(result.outputs["pdf"])))
    assert squash(doc.meta.title) in text
    if result.assembly.plan.profile.settings.note_style != "numbered":
        assert notes_of(doc), "a sourced brief has notes"
    length = result.assembly.plan.length
    if length.unit == "pages":
        assert result.assembly.pages is not None and result.assembly.pages <= length.amount
        if result.assembly.plan.profile.settings.annexes_count:
            assert pdf_pages(result.outputs["pdf"]) <= length.amount


def test_the_same_spec_builds_for_every_audience(tmp_path: Path) -> None:
    spec = REPO / "examples" / "minister-two-page.yaml"
    for audience in ("minister", "analyst", "press", "public"):
        result = build(spec, formats="md", out_dir=tmp_path / audience, audience=audience)
        assert result.assembly.document.meta.audience == audience


@pytest.mark.parametrize("spec", EXAMPLES, ids=[s.stem for s in EXAMPLES])
def test_example_title_block_says_each_thing_once(spec: Path, tmp_path: Path) -> None:
    # The document-type label sits just above the title: a subtitle repeating it reads as a slip.
    meta = build(spec, formats="md", out_dir=tmp_path).assembly.document.meta
    assert meta.subtitle.casefold() != meta.doc_type.casefold()
    assert meta.subtitle.casefold() != meta.title.casefold()


def test_key_judgments_use_only_the_yardsticks_probability_words() -> None:
    # The estimative key printed with the judgments lists the PHIA words; a judgment worded off that
    # scale ("very likely", "possible") contradicts the key the reader is told to read it by.
    import re

    import yaml

    off_scale = re.compile(r"\bvery (?:un)?likely\b|(?<!realistic )\bpossible\b|\bprobable\b|\beven chance\b", re.I)
    found = []
    for path in sorted((REPO / "content" / "modules").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))
        found += [(path.name, m.group(0)) for m in off_scale.finditer(str(front.get("key_judgment", "")))]
    assert found == []
