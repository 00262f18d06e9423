"""Composed briefs kept between processes (``briefgen.compositions``): a brief composed before is
built from its kept blocks without Jinja or markdown-it (nor ReportLab, for a DOCX measured before), and any change to what the templates read
(the spec, a module, a template file, one added beside it) is rendered afresh. That kept blocks give
the same bytes as a fresh rendering, for every example, is checked in tests/test_measurements.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import build, diskcache
from briefgen.assemble import render
from briefgen.compositions import Compositions

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates rendered, in order (compose imports the renderer when it needs it)."""
    made: list[str] = []
    real = render.render_template
    monkeypatch.setattr(render, "render_template", lambda path, *a: made.append(path.name) or real(path, *a))
    return made


def _markdown(spec: Path, out: Path, cache: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(diskcache.ENV, cache)
    return build(spec, formats="md", out_dir=out).outputs["md"].read_text(encoding="utf-8")


def test_a_brief_built_before_imports_only_what_writing_needs(tmp_path: Path):
    """A DOCX of a brief measured before needs no layout, so no ReportLab (measurements.py), and
    a brief composed before needs no rendering, so neither Jinja nor markdown-it."""
    spec = REPO / "examples" / "minister-two-page.yaml"
    env = {**os.environ, diskcache.ENV: str(tmp_path / "cache")}
    probe = ("import sys; from briefgen import build; "
             f"build({str(spec)!r}, formats=sys.argv[1], out_dir={str(tmp_path)!r}); "
             "print(*(name in sys.modules for name in ('reportlab', 'jinja2', 'markdown_it')))")
    runs = [subprocess.run([sys.executable, "-c", probe, fmt], capture_output=True, text=True, check=True,
                           env=env, cwd=REPO).stdout.strip() for fmt in ("docx", "pdf", "docx", "docx,pdf")]
    assert runs == ["True True True", "True False False", "False False False", "True False False"]


def test_an_edited_shared_template_or_one_put_in_front_of_it_is_rendered_again(repo_ws: Path, tmp_path: Path,
                                                                               monkeypatch, renders):
    spec, cache = repo_ws / "examples" / "analyst-assessment.yaml", str(tmp_path / "cache")
    first = _markdown(spec, tmp_path / "a", cache, monkeypatch)
    assert "PHIA yardstick" in first
    made = len(renders)
    assert _markdown(spec, tmp_path / "b", cache, monkeypatch) == first
    assert len(renders) == made, "composed before: nothing rendered"

    shared = repo_ws / "templates" / "_shared" / "estimative-key.md.j2"
    shared.write_text(shared.read_text(encoding="utf-8").replace("PHIA yardstick", "PHIA scale"), encoding="utf-8")
    edited = _markdown(spec, tmp_path / "c", cache, monkeypatch)
    assert "PHIA scale" in edited and "PHIA yardstick" not in edited
    assert edited == _markdown(spec, tmp_path / "d", "", monkeypatch)

    # a file of the same name in the audience's own folder comes first in Jinja's search path
    (repo_ws / "templates" / "analyst" / "estimative-key.md.j2").write_text(
        "::: box How to read the judgments\nOur own words on likelihood.\n:::\n", encoding="utf-8")
    shadowed = _markdown(spec, tmp_path / "e", cache, monkeypatch)
    assert "Our own words on likelihood." in shadowed and "PHIA" not in shadowed
    assert shadowed == _markdown(spec, tmp_path / "f", "", monkeypatch)   # and in this process (watch)


def test_an_edited_spec_or_module_is_rendered_again(repo_ws: Path, tmp_path: Path, monkeypatch, renders):
    spec, cache = repo_ws / "examples" / "minister-two-page.yaml", str(tmp_path / "cache")
    _markdown(spec, tmp_path / "a", cache, monkeypatch)
    made = len(renders)
    spec.write_text(spec.read_text(encoding="utf-8").replace("title: Russia and", "title: Moscow and"),
                    encoding="utf-8")
    retitled = _markdown(spec, tmp_path / "b", cache, monkeypatch)
    assert len(renders) > made and "Moscow and the 2020" in retitled

    module = repo_ws / "content" / "modules" / "actor-turkey.md"
    module.write_text(module.read_text(encoding="utf-8").replace("Turkey", "Türkiye"), encoding="utf-8")
    edited = _markdown(spec, tmp_path / "c", cache, monkeypatch)
    assert "Türkiye" in edited and edited == _markdown(spec, tmp_path / "d", "", monkeypatch)


def test_a_context_that_is_not_plain_data_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(diskcache.ENV, str(tmp_path / "cache"))
    templates = REPO / "templates"
    kept = Compositions(tmp_path / "brief.yaml", templates / "minister" / "brief.md.j2", templates / "_shared")
    assert kept.digest({"brief": {"title": "A"}}) != kept.digest({"brief": {"title": "B"}}) is not None
    assert kept.digest({"brief": {"title": "A"}}) == kept.digest({"brief": {"title": "A"}})
    assert kept.digest({"brief": {"title": "A"}}) != kept.digest({"brief": {"title": ("A",)}})
    assert kept.digest({"filter": lambda text: text}) is None
    monkeypatch.setenv(diskcache.ENV, "")
    off = Compositions(tmp_path / "brief.yaml", templates / "minister" / "brief.md.j2", templates / "_shared")
    assert off.digest({"brief": {"title": "A"}}) is None
