"""Page measurements kept between processes (``briefgen.measurements``): a brief measured before is
fitted exactly as a fresh layout would fit it, without a layout, and any change to what the layout
reads (the text, the theme, a font file) is measured afresh."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from briefgen import build, diskcache, fit
from briefgen.fonts import _installed_family
from briefgen.measurements import _KEEP, Measurements
from briefgen.model import Document, Meta, Para, Text
from briefgen.theme import Theme
from briefgen.writers import pdf

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the layouts fitting makes; each build starts with no density memory, as a process does."""
    made: list[int] = []
    real = pdf.measure_pdf
    monkeypatch.setattr(pdf, "measure_pdf", lambda *a, **k: made.append(1) or real(*a, **k))
    return made


def _build(spec: Path, out: Path, cache: str, monkeypatch: pytest.MonkeyPatch, formats: str = "docx,pdf",
           **kw) -> tuple[list, dict[str, str]]:
    """The variants chosen and each output's sha256, as a fresh process with ``cache`` would make them."""
    monkeypatch.setenv(diskcache.ENV, cache)
    monkeypatch.setattr(fit, "_DENSITY", {})
    pdf._KEPT.clear()
    result = build(spec, formats=formats, out_dir=out, **kw)
    chosen = [(c.module.id, c.variant) for c in result.assembly.choices]
    return chosen, {fmt: hashlib.sha256(p.read_bytes()).hexdigest() for fmt, p in result.outputs.items()}


def _measured_twice(spec: Path, tmp_path: Path, cache: str, monkeypatch, layouts: list[int]) -> int:
    """A DOCX built twice: the second build must make no layout. The layouts made so far."""
    _build(spec, tmp_path / "first", cache, monkeypatch, formats="docx")
    made = len(layouts)
    _build(spec, tmp_path / "again", cache, monkeypatch, formats="docx")
    assert len(layouts) == made, "measured before: no layout"
    return made


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_a_brief_is_fitted_and_written_the_same_with_measurements_kept_or_not(spec: Path, tmp_path: Path,
                                                                              monkeypatch, layouts):
    cache = str(tmp_path / "cache")
    off = _build(spec, tmp_path / "off", "", monkeypatch)
    cold = _build(spec, tmp_path / "cold", cache, monkeypatch)
    made = len(layouts)
    docx_only = _build(spec, tmp_path / "docx", cache, monkeypatch, formats="docx")
    assert len(layouts) == made, "a DOCX of a brief measured before needs no layout"
    warm = _build(spec, tmp_path / "warm", cache, monkeypatch)
    assert off == cold == warm
    assert docx_only == (off[0], {"docx": off[1]["docx"]})


def test_an_edited_module_is_measured_again(repo_ws: Path, tmp_path: Path, monkeypatch, layouts):
    spec, cache = repo_ws / "examples" / "minister-two-page.yaml", str(tmp_path / "cache")
    first = _measured_twice(spec, tmp_path, cache, monkeypatch, layouts)
    module = repo_ws / "content" / "modules" / "actor-turkey.md"
    module.write_text(module.read_text(encoding="utf-8").replace("Turkey", "Türkiye"), encoding="utf-8")
    edited = _build(spec, tmp_path / "c", cache, monkeypatch, formats="docx")
    assert len(layouts) > first
    assert edited == _build(spec, tmp_path / "d", "", monkeypatch, formats="docx")


def test_a_changed_theme_or_font_file_is_measured_again(repo_ws: Path, tmp_path: Path, monkeypatch, layouts):
    spec, cache = repo_ws / "examples" / "minister-two-page.yaml", str(tmp_path / "cache")
    fonts = repo_ws / "themes" / "default" / "fonts"
    fonts.mkdir()
    suffixes = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
    for style, path in _installed_family("Fira Sans").files().items():   # the theme's own copy
        shutil.copy2(path, fonts / f"FiraSans-{suffixes[style]}.ttf")
    seen = _measured_twice(spec, tmp_path, cache, monkeypatch, layouts)

    theme = repo_ws / "themes" / "default" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("size: 12\n", "size: 13\n"), encoding="utf-8")
    bigger = _build(spec, tmp_path / "b", cache, monkeypatch, formats="docx")
    assert len(layouts) > seen, "a larger body size must be laid out, not taken from before"
    assert bigger == _build(spec, tmp_path / "c", "", monkeypatch, formats="docx")

    seen = len(layouts)
    shutil.copy2(fonts / "FiraSans-Bold.ttf", fonts / "FiraSans-Regular.ttf")   # same name, other file
    _build(spec, tmp_path / "d", cache, monkeypatch, formats="docx")
    assert len(layouts) > seen


def test_only_a_spec_s_latest_measurements_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(diskcache.ENV, str(tmp_path / "cache"))
    spec, theme = tmp_path / "brief.yaml", Theme()
    docs = [Document(Meta(title=f"Brief {n}"), (Para((Text("text"),)),)) for n in range(_KEEP + 5)]
    def get(kept: Measurements, doc: Document):
        return kept.get(kept.digest(doc))

    kept = Measurements(spec, theme)
    for n, doc in enumerate(docs):
        kept.put(kept.digest(doc), (1, n / 100))
    kept.save()
    again = Measurements(spec, theme)
    assert get(again, docs[0]) is None and get(again, docs[4]) is None       # the oldest went
    assert get(again, docs[5]) == (1, 0.05) and get(again, docs[-1]) == (1, (_KEEP + 4) / 100)
    assert get(Measurements(tmp_path / "other.yaml", theme), docs[-1]) is None
    entry = next((tmp_path / "cache").glob("pages-*.pickle"))
    entry.write_bytes(b"not a pickle")
    assert get(Measurements(spec, theme), docs[-1]) is None
