"""The one cache (``briefgen.cache``): the same bytes in every mode, a value found only by the
content of what it was made from, nothing taken from a folder others can write to, and one switch
that turns it all off."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen import build
from briefgen.cache import Cache, folder
from briefgen.cache import fingerprint as code
from briefgen.errors import ContentError
from briefgen.fonts import _installed_family
from briefgen.layout.fonts import _face_state, _font_from_state, open_font

REPO = Path(__file__).resolve().parent.parent
TWO_PAGE = REPO / "examples" / "minister-two-page.yaml"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
GOLDEN = sorted((Path(__file__).resolve().parent / "golden").glob("*.yaml"))


def _caches(tmp_path: Path) -> dict[str, Cache]:
    return {"off": Cache("off"), "memory": Cache("memory"), "disk": Cache("disk", tmp_path / "cache")}


def _digests(result) -> dict[str, str]:
    return {fmt: hashlib.sha256(p.read_bytes()).hexdigest() for fmt, p in result.outputs.items()}


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_the_same_bytes_in_every_cache_mode(spec: Path, tmp_path: Path):
    caches = _caches(tmp_path)
    made = {}
    for mode, cache in caches.items():
        for run in ("cold", "warm"):    # warm: everything found in the cache
            result = build(spec, formats="md,docx,pdf", out_dir=tmp_path / mode / run, cache=cache)
            made[mode, run] = ([(c.module.id, c.variant) for c in result.assembly.choices], _digests(result))
    assert len(set(map(repr, made.values()))) == 1, made
    fresh = Cache("disk", tmp_path / "cache")   # a later process: only the disk layer
    again = build(spec, formats="docx,pdf", out_dir=tmp_path / "later", cache=fresh)
    assert _digests(again) == {f: d for f, d in made["off", "cold"][1].items() if f != "md"}


@pytest.mark.parametrize("spec", GOLDEN, ids=lambda p: p.stem)
def test_every_golden_brief_is_the_same_in_every_cache_mode(spec: Path, fixture_ws: Path, tmp_path: Path):
    made = {mode: [_digests(build(spec, workspace=fixture_ws, formats="md,docx", out_dir=tmp_path / mode / run,
                                  cache=cache)) for run in ("cold", "warm")]
            for mode, cache in _caches(tmp_path).items()}
    assert len({repr(v) for runs in made.values() for v in runs}) == 1
    assert (tmp_path / "off" / "cold" / f"{spec.stem}.md").read_text(encoding="utf-8") == \
        spec.with_suffix(".md").read_text(encoding="utf-8")


def _same_size_same_mtime_edit(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` with an edit of the same length and put its mtime back (as ``cp -p``,
    ``rsync -t`` or ``touch -r`` leave a file)."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


@pytest.mark.parametrize("mode", ["memory", "disk"])
def test_an_edit_that_keeps_size_and_mtime_is_seen_in_one_process(mode: str, repo_ws: Path, tmp_path: Path):
    spec = repo_ws / "examples" / "minister-two-page.yaml"
    cache = Cache(mode, tmp_path / "cache")
    first = build(spec, formats="md", out_dir=tmp_path / "a", cache=cache).outputs["md"].read_text(encoding="utf-8")
    assert "Turkei" not in first and "Turkey" in first
    _same_size_same_mtime_edit(repo_ws / "content" / "modules" / "actor-turkey.md", "Turkey", "Turkei")
    again = build(spec, formats="md", out_dir=tmp_path / "b", cache=cache).outputs["md"].read_text(encoding="utf-8")
    assert "Turkei" in again


def test_an_edit_that_keeps_size_and_mtime_is_seen_by_a_later_process(repo_ws: Path, tmp_path: Path):
    spec = repo_ws / "examples" / "minister-two-page.yaml"
    env = dict(os.environ, BRIEFGEN_CACHE_DIR=str(tmp_path / "cache"))
    run = lambda out: subprocess.run([sys.executable, "-m", "briefgen", "build", str(spec), "-f", "md", "-o",  # noqa: E731
                                      str(out)], check=True, capture_output=True, env=env, cwd=REPO)
    run(tmp_path / "a")
    _same_size_same_mtime_edit(repo_ws / "content" / "modules" / "actor-turkey.md", "Turkey", "Turkei")
    run(tmp_path / "b")
    assert "Turkei" in (tmp_path / "b" / "minister-two-page.md").read_text(encoding="utf-8")


def test_a_folder_others_can_write_to_is_not_used(tmp_path: Path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700)
    os.chmod(shared, 0o770)
    planted = Cache("disk", tmp_path / "mine")      # what another user could leave there
    cache = Cache("disk", shared)
    assert cache.disk is None and cache.mode == "memory"
    result = build(TWO_PAGE, formats="md,pdf", out_dir=tmp_path / "out", cache=cache)
    warnings = [str(w) for w in result.warnings]
    assert sum("writable by others" in w and str(shared) in w for w in warnings) == 1, warnings
    assert list(shared.iterdir()) == [], "nothing read from or written to it"
    again = build(TWO_PAGE, formats="md,pdf", out_dir=tmp_path / "again", cache=cache)
    assert not any("writable" in str(w) for w in again.warnings), "warned once"
    assert _digests(result) == _digests(build(TWO_PAGE, formats="md,pdf", out_dir=tmp_path / "off",
                                              cache=Cache("off")))
    assert planted.disk is not None and folder.unsafe_reason(tmp_path / "mine") is None


def test_a_folder_of_another_user_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "theirs").mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path / "theirs").st_uid + 1)
    assert folder.unsafe_reason(tmp_path / "theirs") == "is not owned by you"


def test_the_cli_warns_once_and_builds_from_a_shared_folder(tmp_path: Path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    env = dict(os.environ, BRIEFGEN_CACHE_DIR=str(shared))
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", str(TWO_PAGE), "-f", "md", "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("writable by others") == 1 and list(shared.iterdir()) == []


@pytest.mark.parametrize("how", ["--no-cache", "BRIEFGEN_CACHE=off"])
def test_one_switch_turns_every_cache_off(how: str, tmp_path: Path):
    env = dict(os.environ, BRIEFGEN_CACHE_DIR=str(tmp_path / "cache"))
    args = [sys.executable, "-m", "briefgen", "build", str(TWO_PAGE), "-f", "docx,pdf", "-o", str(tmp_path / "out")]
    if how == "--no-cache":
        args.append(how)
    else:
        env["BRIEFGEN_CACHE"] = "off"
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=REPO)
    assert not (tmp_path / "cache").exists()
    assert Cache.for_user(enabled=False).mode == "off"


def test_the_cache_folder_is_the_user_s_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "deep" / "cache"))
    assert Cache.for_user().mode == "disk"
    for made in (tmp_path / "deep", tmp_path / "deep" / "cache"):
        assert oct(made.stat().st_mode & 0o777) == "0o700"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", "")
    assert Cache.for_user().mode == "memory"
    monkeypatch.setenv("BRIEFGEN_CACHE", "memory")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "other"))
    assert Cache.for_user().mode == "memory" and not (tmp_path / "other").exists()


def test_a_value_is_found_only_under_its_own_identity(tmp_path: Path):
    cache = Cache("disk", tmp_path / "cache")
    cache.put("probe", ("a",), 1)
    assert Cache("disk", tmp_path / "cache").get("probe", ("a",)) == 1
    assert cache.get("probe", ("b",)) is None and cache.get("other", ("a",)) is None
    a, b = (tmp_path / "cache" / f"{cache.identity('probe', (k,))}.pickle" for k in "ab")
    shutil.copy(a, b)           # a's entry under b's name: not b's value
    assert Cache("disk", tmp_path / "cache").get("probe", ("b",)) is None
    a.write_bytes(a.read_bytes()[:20])      # truncated: a miss
    assert Cache("disk", tmp_path / "cache").get("probe", ("a",)) is None
    os.unlink(a)
    os.mkfifo(a)                # a named pipe must not block a build
    assert Cache("disk", tmp_path / "cache").get("probe", ("a",)) is None
    assert Cache("off").get("probe", ("a",)) is None


def test_the_code_fingerprint_follows_every_source_file_and_installed_library(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    package, site = tmp_path / "pkg", tmp_path / "lib" / "site-packages"
    (package / "sub").mkdir(parents=True)
    site.mkdir(parents=True)
    (package / "sub" / "stage.py").write_text("X = 1\n")
    monkeypatch.setattr(code, "_PACKAGE", package)
    monkeypatch.setattr(sys, "path", [str(site)])
    seen = {code.code_fingerprint.__wrapped__()}
    (package / "sub" / "stage.py").write_text("X = 2\n")
    seen.add(code.code_fingerprint.__wrapped__())
    (site / "reportlab-9.0.dist-info").mkdir()
    seen.add(code.code_fingerprint.__wrapped__())
    (package / "sub" / "notes.txt").write_text("not code")
    seen.add(code.code_fingerprint.__wrapped__())
    assert len(seen) == 3


def test_a_face_from_the_cache_is_the_face_reportlab_parses():
    from reportlab.pdfbase.ttfonts import TTFont

    for path in _installed_family("Fira Sans").files().values():
        parsed = TTFont("Probe", str(path))
        kept = pickle.loads(pickle.dumps(_face_state(parsed.face), protocol=pickle.HIGHEST_PROTOCOL))
        rebuilt = _font_from_state("Probe", path.read_bytes(), kept)
        assert type(rebuilt) is type(parsed)
        assert set(vars(rebuilt)) == set(vars(parsed))
        for name in set(vars(parsed)) - {"face", "state", "encoding"}:
            assert getattr(rebuilt, name) == getattr(parsed, name), name
        assert type(rebuilt.encoding) is type(parsed.encoding) and vars(rebuilt.encoding) == vars(parsed.encoding)
        face, want = vars(rebuilt.face), vars(parsed.face)
        assert set(face) == set(want)
        for name in set(want) - {"_pdfScale"}:
            assert face[name] == want[name], name
        assert face["name"].ustr == want["name"].ustr
        for units in (0, 1, 250, 1000, 1234):
            assert face["_pdfScale"](units) == want["_pdfScale"](units)


def test_a_font_file_replaced_in_place_is_parsed_again(tmp_path: Path):
    cache = Cache("disk", tmp_path / "cache")
    files = _installed_family("Fira Sans").files()
    path = tmp_path / "House.ttf"
    shutil.copy2(files["regular"], path)
    assert open_font("H1", path, cache).face.name.ustr == "FiraSans-Regular"
    assert open_font("H2", path, cache).face.name.ustr == "FiraSans-Regular"      # from the cache
    shutil.copy2(files["bold"], path)       # copy2 keeps the bold file's modification time
    assert open_font("H3", path, cache).face.name.ustr == "FiraSans-Bold"


def test_a_module_from_the_cache_is_the_module_parsed_afresh(tmp_path: Path, repo_ws: Path):
    from briefgen.catalog.modules import load_module

    path = repo_ws / "content" / "modules" / "actor-russia.md"
    fresh = load_module(path)
    stored = load_module(path, Cache("disk", tmp_path / "cache"))
    kept = load_module(path, Cache("disk", tmp_path / "cache"))    # a later process: from the disk
    assert kept is not stored
    for module in (stored, kept):
        assert module.meta == fresh.meta and module.path == fresh.path and module.front_lines == fresh.front_lines
        assert {n: (v.text, v.first_line, v.words, v.citations) for n, v in module.variants.items()} == \
               {n: (v.text, v.first_line, v.words, v.citations) for n, v in fresh.variants.items()}
    assert "_read" in vars(kept.variants["standard"])     # words, citations, suspects: worked out before it was stored
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "", 1), encoding="utf-8")   # front matter broken
    cache = Cache("memory")
    for _ in range(2):                       # an error is raised each time, never kept
        with pytest.raises(ContentError, match="no YAML front matter"):
            load_module(path, cache)


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path: Path):
    cache = Cache("disk", tmp_path / "cache")
    for key, value in (("old", 1), ("used", 2), ("new", 3)):   # the first store prunes (nothing yet)
        cache.put("probe", key, value)
    entry = lambda key: tmp_path / "cache" / f"{cache.identity('probe', key)}.pickle"  # noqa: E731
    month_ago = time.time() - folder.PRUNE_AFTER - 3600
    for key in ("old", "used"):
        os.utime(entry(key), (month_ago, month_ago))
    assert Cache("disk", tmp_path / "cache").get("probe", "used") == 2    # a use renews it
    assert folder.Folder(tmp_path / "cache").prune() == 0      # pruned less than a day ago: not again
    os.utime(tmp_path / "cache" / ".pruned", (month_ago, month_ago))
    assert folder.Folder(tmp_path / "cache").prune() == 1
    later = Cache("disk", tmp_path / "cache")
    assert [later.get("probe", k) for k in ("old", "used", "new")] == [None, 2, 3]


def test_a_rebuild_imports_only_what_writing_needs(tmp_path: Path):
    """A brief composed and laid out before needs neither Jinja nor markdown-it, nor ReportLab (its
    page counts and its drawn PDF are kept), and the models validated before are not built (nor
    PyYAML imported)."""
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    probe = ("import sys; from briefgen import build; "
             f"build({str(TWO_PAGE)!r}, formats=sys.argv[1], out_dir={str(tmp_path)!r}); "
             "from briefgen.spec import BriefSpec; from briefgen.theme import Theme; "
             "from briefgen.catalog.modules import FrontMatter; from briefgen.catalog.sources import Source; "
             "print(*(name in sys.modules for name in ('reportlab', 'jinja2', 'markdown_it', 'yaml')), "
             "any(m.__pydantic_complete__ for m in (BriefSpec, Theme, FrontMatter, Source)))")
    runs = [subprocess.run([sys.executable, "-c", probe, fmt], capture_output=True, text=True, check=True,
                           env=env, cwd=REPO).stdout.strip() for fmt in ("docx", "pdf", "docx", "docx,pdf")]
    assert runs == ["True True True True True", "True False False False False", "False False False False False",
                    "False False False False False"]


def test_an_edited_or_shadowed_template_is_rendered_again(repo_ws: Path, tmp_path: Path):
    spec, cache = repo_ws / "examples" / "analyst-assessment.yaml", Cache("disk", tmp_path / "cache")
    markdown = lambda out, c=cache: build(spec, formats="md", out_dir=tmp_path / out,  # noqa: E731
                                          cache=c).outputs["md"].read_text(encoding="utf-8")
    assert "PHIA yardstick" in markdown("a")
    shared = repo_ws / "templates" / "_shared" / "estimative-key.md.j2"
    _same_size_same_mtime_edit(shared, "PHIA yardstick", "PHIA yardrules")
    edited = markdown("b")
    assert "PHIA yardrules" in edited and edited == markdown("c", Cache("off"))
    # a file of the same name in the audience's own folder comes first in Jinja's search path
    (repo_ws / "templates" / "analyst" / "estimative-key.md.j2").write_text(
        "::: box How to read the judgments\nOur own words on likelihood.\n:::\n", encoding="utf-8")
    shadowed = markdown("d")
    assert "Our own words on likelihood." in shadowed and "PHIA" not in shadowed


def test_a_changed_theme_or_font_file_is_measured_again(repo_ws: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    from briefgen import layout

    layouts: list[int] = []
    real = layout._lay_out     # a layout made, not one found in the cache
    monkeypatch.setattr(layout, "_lay_out", lambda *a, **k: layouts.append(1) or real(*a, **k))
    spec, cache = repo_ws / "examples" / "minister-two-page.yaml", Cache("disk", tmp_path / "cache")
    fonts = repo_ws / "themes" / "default" / "fonts"      # the theme's own Liberation Sans (Arial's twin)
    docx = lambda c=cache: _digests(build(spec, formats="docx", out_dir=tmp_path / "o", cache=c))  # noqa: E731
    docx()
    seen = len(layouts)
    docx()
    assert len(layouts) == seen, "measured before: no layout"
    theme = repo_ws / "themes" / "default" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("size: 12\n", "size: 13\n"), encoding="utf-8")
    assert docx() == docx(Cache("off")) and len(layouts) > seen + 1
    seen = len(layouts)
    shutil.copy2(fonts / "LiberationSans-Bold.ttf", fonts / "LiberationSans-Regular.ttf")   # same name, other file
    docx()
    assert len(layouts) > seen


def test_deeply_nested_emphasis_builds_the_same_with_the_cache_on_or_off(fixture_ws: Path, tmp_path: Path):
    """#28 item 17: a document nested past what ``repr`` can write out cannot be keyed; it is
    measured without the cache rather than failing."""
    module = fixture_ws / "content" / "modules" / "alpha.md"
    text = module.read_text(encoding="utf-8")
    deep = "*a **b " * 400 + "deep" + " b** a*" * 400
    module.write_text(text.replace("Moscow brokered it", f"Moscow brokered it {deep}", 1), encoding="utf-8")
    spec = fixture_ws / "deep.yaml"
    spec.write_text("title: Deep\ndate: 2026-11-23\naudience: analyst\nformats: [md]\nlength: 4 pages\n"
                    "modules: [{id: alpha, variant: brief}]\n", encoding="utf-8")
    made = {mode: _digests(build(spec, formats="docx,pdf", out_dir=tmp_path / mode, cache=cache))
            for mode, cache in _caches(tmp_path).items()}
    assert made["off"] == made["memory"] == made["disk"]
