"""The layout stage (``briefgen.layout``): a value from the document and the theme, asked by fitting
and written by the PDF writer, that leaves ReportLab as ReportLab made it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from briefgen import build
from briefgen.layout import PageLayout, lay_out
from briefgen.theme import load_theme

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "briefgen"
TWO_PAGE = REPO / "examples" / "minister-two-page.yaml"

# What each of ReportLab's modules binds, by name: functions and classes by where they were defined,
# other values by type (``uri_pat`` is a Pattern either way: see layout/platypus.py). Printed by a process that imported ReportLab alone, and by one that
# built a brief first.
_GLOBALS = """
import json, re, sys
compile_before = re.compile
{build}
import reportlab.platypus, reportlab.platypus.paragraph, reportlab.platypus.paraparser, reportlab.pdfbase.pdfmetrics
import reportlab.platypus.doctemplate, reportlab.platypus.flowables, reportlab.lib.utils
def shown(value):
    if callable(value) and hasattr(value, "__qualname__"):
        return [getattr(value, "__module__", None), value.__qualname__]
    return type(value).__name__
found = {{name: {{k: shown(v) for k, v in vars(sys.modules[name]).items()}}
         for name in sys.modules if name.startswith("reportlab")}}
print(json.dumps([found, re.compile is compile_before]))
"""


def _reportlab_globals(build_first: str) -> list:
    done = subprocess.run([sys.executable, "-c", _GLOBALS.format(build=build_first)], capture_output=True,
                          text=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


def test_after_a_build_reportlab_s_module_globals_are_its_own(tmp_path: Path):
    alone, _ = _reportlab_globals("")
    after, compile_kept = _reportlab_globals(
        f"import briefgen; briefgen.build({str(TWO_PAGE)!r}, formats='docx,pdf', out_dir={str(tmp_path)!r})")
    assert compile_kept, "re.compile is the standard library's again"
    for module, names in alone.items():     # every function and class (values: ReportLab's own caches fill)
        defined = {k: v for k, v in names.items() if isinstance(v, list)}
        assert {k: after[module].get(k) for k in defined} == defined, module
    assert not [v for names in after.values() for v in names.values()
                if isinstance(v, list) and str(v[0]).startswith("briefgen")]


def test_fitting_asks_the_layout_stage_not_a_writer(tmp_path: Path):
    code = ("import sys, briefgen\nfrom briefgen.cache import Cache\n"
            f"r = briefgen.build({str(TWO_PAGE)!r}, formats='docx', out_dir={str(tmp_path)!r}, cache=Cache('off'))\n"
            "print(r.assembly.pages, 'briefgen.layout' in sys.modules, 'briefgen.writers.pdf' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["2", "True", "False"]


def test_the_stage_returns_pages_fill_and_the_drawn_file(tmp_path: Path):
    brief = build(TWO_PAGE, formats="pdf", out_dir=tmp_path)
    theme = load_theme(REPO / "themes" / "default")
    drawn = lay_out(brief.assembly.document, theme)
    counted = lay_out(brief.assembly.document, theme, draw=False)
    assert isinstance(drawn, PageLayout) and drawn.pdf.startswith(b"%PDF-") and counted.pdf is None
    assert (drawn.pages, drawn.body_pages, drawn.last_body_page_fill) == \
        (counted.pages, counted.body_pages, counted.last_body_page_fill)
    assert drawn.pages == 4 and drawn.body_pages == 2 and 0 < drawn.last_body_page_fill <= 1
    assert brief.outputs["pdf"].read_bytes() == drawn.pdf


def _imports(path: Path) -> set[str]:
    """The briefgen modules ``path`` imports, as absolute names."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: -node.level] if node.level else []
            name = ".".join([*base, node.module or ""]).strip(".")
            found |= {name} | {f"{name}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {n for n in found if n.startswith("briefgen")}


def cache_importers() -> list[str]:
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                  if "cache" not in p.relative_to(PACKAGE).parts
                  and any(n == "briefgen.cache" or n.startswith("briefgen.cache.") for n in _imports(p)))


def test_no_writer_imports_the_cache():
    users = cache_importers()
    assert users and not [u for u in users if u.startswith("writers")], users
