"""Every note and bibliography entry of every example brief, and of the brief of all modules at
their longest, against pandoc's citeproc with the Chicago 18th-edition notes style (see
tests/citeproc_reference.py). A difference that is neither fixed nor a listed deviation fails."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefgen.assemble
from briefgen.pipeline import prepare_brief
from briefgen.model import Div, Document, notes_of
from briefgen.nobreak import bind_document
from briefgen.notes import fold_cited_in, resolve_citations
from briefgen.notes.chicago import sort_key

from .citeproc_reference import Deviations, flatten, reference

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
GOAL = 0.95   # share of notes identical after the listed deviations (issue #24)


def _all_modules_spec(folder: Path) -> Path:
    modules = sorted(p.stem for p in (REPO / "content" / "modules").glob("*.md"))
    lines = ["title: Every module at its longest", "date: 2026-11-23", "audience: analyst",
             "length: 20000 words", "formats: [md]", "modules:"]
    lines += [f"  - {{id: {m}, variant: extended}}" for m in modules]
    spec = folder / "all-modules.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return spec


def _bibliography(blocks):
    for block in blocks:
        if isinstance(block, Div) and block.kind == "bibliography":
            return block
        if isinstance(block, Div):
            found = _bibliography(block.children)
            if found is not None:
                return found
    return None


def _typed(text: str) -> str:
    """Text as typed: without the no-break spaces and word joiners briefgen.nobreak puts in."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def compare(spec: Path, monkeypatch, workspace: Path | None = None):
    """(notes compared, notes identical, differences) for one brief."""
    seen = []

    def recording(blocks, sources, style="chicago", **kw):
        result = resolve_citations(blocks, sources, style, **kw)
        seen.append((result, sources, style))
        return result

    monkeypatch.setattr(briefgen.assemble, "resolve_citations", recording)
    prepared = prepare_brief(spec, workspace=workspace, formats="md")
    doc = prepared.assembly.document
    # the document's text has its no-break spaces (nobreak) put in after the notes were resolved
    result, sources, style = next(r for r in reversed(seen)
                                  if bind_document(Document(doc.meta, r[0].blocks)).blocks == doc.blocks)
    dev = Deviations(sources)
    diffs = []
    ours_notes = [_typed(flatten(n.children)) for n in notes_of(doc)]
    sequence = [fold_cited_in(c.cites, sources) for c in result.citations]
    ref_notes, ref_bib = reference(sequence if style != "numbered" else [], sources,
                                   all_short=style == "short", cited=result.cited)
    same = 0
    if style != "numbered":
        assert len(ours_notes) == len(ref_notes)
        for i, (ours, ref) in enumerate(zip(ours_notes, ref_notes), 1):
            if dev.note(ours) == dev.reference(ref):
                same += 1
            else:
                diffs.append(f"{spec.stem} note {i}:\n  briefgen: {dev.note(ours)}\n  citeproc: {dev.reference(ref)}")
    bib = _bibliography(doc.blocks)
    if bib is not None:
        keys = result.cited if style == "numbered" else sorted(result.cited, key=lambda k: sort_key(sources[k]))
        for key, para in zip(keys, bib.children):
            ours = _typed(flatten(para.children))
            if style == "numbered":
                ours = ours.split("] ", 1)[1]
            if dev.entry(key, ours) != dev.reference(ref_bib[key]):
                diffs.append(f"{spec.stem} bibliography {key}:\n  briefgen: {dev.entry(key, ours)}\n"
                             f"  citeproc: {dev.reference(ref_bib[key])}")
    return len(ours_notes) if style != "numbered" else 0, same, diffs


def test_the_reference_is_pandoc_3_with_the_chicago_18th_edition_style() -> None:
    import pypandoc

    from .citeproc_reference import STYLE

    assert int(pypandoc.get_pandoc_version().split(".")[0]) >= 3
    assert "<title>Chicago Manual of Style 18th edition (notes and bibliography)</title>" in STYLE.read_text("utf-8")


@pytest.mark.clients
def test_notes_and_bibliography_match_citeproc(monkeypatch, tmp_path: Path) -> None:
    total = same = 0
    diffs: list[str] = []
    for spec in EXAMPLES + [_all_modules_spec(tmp_path)]:
        n, s, d = compare(spec, monkeypatch, workspace=REPO if spec.parent == tmp_path else None)
        total, same = total + n, same + s
        diffs += d
    share = same / total
    print(f"\nnotes identical to pandoc citeproc (Chicago 18th, after the listed deviations): "
          f"{same} of {total} ({share:.1%}); bibliography differences: "
          f"{sum(' bibliography ' in d for d in diffs)}")
    assert not diffs, "\n".join(diffs[:40])
    assert share >= GOAL
