"""The per-user disk cache (``briefgen.diskcache``): what it keeps is what a process would have
worked out itself, a changed file is a miss, and a broken or unusable cache changes nothing."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import diskcache
from briefgen.errors import ContentError
from briefgen.fonts import FontFamily, _installed_family, _installed_key, find_family
from briefgen.writers.pdf.fonts import _face_state, _font_from_state, open_font

REPO = Path(__file__).resolve().parent.parent
TWO_PAGE = REPO / "examples" / "minister-two-page.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.ENV, str(folder))
    return folder


def test_a_face_from_the_cache_is_the_face_reportlab_parses():
    from reportlab.pdfbase.ttfonts import TTFont

    for path in _installed_family("Fira Sans").files().values():
        parsed = TTFont("Probe", str(path))
        kept = pickle.loads(pickle.dumps(_face_state(parsed.face), protocol=pickle.HIGHEST_PROTOCOL))
        rebuilt = _font_from_state("Probe", path, kept)
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


def _build_pdf(out: Path, cache: str) -> str:
    env = dict(os.environ, **{diskcache.ENV: cache})
    subprocess.run([sys.executable, "-m", "briefgen", "build", str(TWO_PAGE), "-f", "pdf,md", "-o", str(out)],
                   check=True, capture_output=True, cwd=REPO, env=env)
    return hashlib.sha256((out / "minister-two-page.pdf").read_bytes()).hexdigest()


def test_the_pdf_is_the_same_with_the_cache_off_cold_warm_or_broken(tmp_path: Path):
    folder = tmp_path / "cache"
    off = _build_pdf(tmp_path / "off", "")
    assert not folder.exists()
    cold = _build_pdf(tmp_path / "cold", str(folder))
    kept = sorted(p.name.split("-")[0] for p in folder.iterdir())
    assert kept.count("ttf") == 4 and "family" in kept and "jinja" in kept
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    warm = _build_pdf(tmp_path / "warm", str(folder))
    for entry in folder.rglob("*"):           # every entry truncated or garbage
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:40] if entry.suffix == ".pickle" else b"garbage")
    broken = _build_pdf(tmp_path / "broken", str(folder))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    unusable = _build_pdf(tmp_path / "unusable", str(blocker / "cache"))
    assert off == cold == warm == broken == unusable
    assert (tmp_path / "off" / "minister-two-page.md").read_bytes() == (tmp_path / "warm" / "minister-two-page.md").read_bytes()


def test_a_font_file_replaced_in_place_is_parsed_again(cache: Path, tmp_path: Path):
    files = _installed_family("Fira Sans").files()
    path = tmp_path / "House.ttf"
    shutil.copy2(files["regular"], path)
    assert open_font("H1", path).face.name.ustr == "FiraSans-Regular"
    assert open_font("H2", path).face.name.ustr == "FiraSans-Regular"      # from the cache
    shutil.copy2(files["bold"], path)       # copy2 keeps the bold file's modification time
    assert open_font("H3", path).face.name.ustr == "FiraSans-Bold"


def test_an_installed_family_is_found_once_and_checked_after(cache: Path, tmp_path: Path):
    real = find_family.__wrapped__("Fira Sans")
    assert any(p.name.startswith("family-") for p in cache.iterdir())
    assert find_family.__wrapped__("Fira Sans") == real
    gone = tmp_path / "gone.ttf"
    diskcache.store("family", _installed_key("Fira Sans"), FontFamily("Fira Sans", gone, gone, gone, gone))
    assert find_family.__wrapped__("Fira Sans") == real       # kept files that are gone: looked up again


def test_an_entry_is_only_ever_its_own_key(cache: Path):
    diskcache.store("probe", ("a",), 1)
    assert diskcache.load("probe", ("a",)) == 1
    assert diskcache.load("probe", ("b",)) is None
    entry = next(cache.glob("probe-*.pickle"))
    other = diskcache._entry("probe", ("b",))[0]
    shutil.copy(entry, other)               # a's entry under b's name (a collision): not b's value
    assert diskcache.load("probe", ("b",)) is None


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(diskcache.ENV, "")
    assert diskcache.directory() is None
    diskcache.store("probe", ("a",), 1)
    assert diskcache.load("probe", ("a",)) is None
    monkeypatch.delenv(diskcache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert diskcache.directory() == tmp_path / "xdg" / "briefgen"


def test_an_installed_family_is_looked_up_again_only_when_packages_change(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    packages, here = tmp_path / "lib" / "site-packages", tmp_path / "work"
    packages.mkdir(parents=True)
    here.mkdir()
    monkeypatch.setattr(sys, "path", [str(here), str(packages)])
    before = _installed_key("Fira Sans")
    (here / "notes.txt").write_text("saved in the current folder")
    assert _installed_key("Fira Sans") == before
    os.utime(packages, ns=(1, 1))      # as installing or removing a package would change it
    assert _installed_key("Fira Sans") != before


def test_a_module_from_the_cache_is_the_module_parsed_afresh(cache: Path, repo_ws: Path):
    from briefgen.catalog.modules import load_module

    path = repo_ws / "content" / "modules" / "actor-russia.md"
    fresh = load_module.__wrapped__.__wrapped__(path)       # neither the process's nor the disk's cache
    stored = load_module.__wrapped__(path)                  # parsed, then kept on disk
    assert any(p.name.startswith("module-") for p in cache.iterdir())
    kept = load_module.__wrapped__(path)                    # from the disk
    assert kept is not stored
    for module in (stored, kept):
        assert module.meta == fresh.meta and module.path == fresh.path and module.front_lines == fresh.front_lines
        assert {n: (v.text, v.first_line, v.words, v.citations) for n, v in module.variants.items()} == \
               {n: (v.text, v.first_line, v.words, v.citations) for n, v in fresh.variants.items()}
    assert "words" in vars(kept.variants["standard"])     # worked out before it was stored

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## standard\n", "## standard\n\nOne more sentence here.\n"), encoding="utf-8")
    edited = load_module.__wrapped__(path)
    assert edited.variants["standard"].words == fresh.variants["standard"].words + 4

    path.write_text(text.replace("---\n", "", 1), encoding="utf-8")   # front matter broken
    for _ in range(2):                       # an error is raised each time, never kept
        with pytest.raises(ContentError, match="no YAML front matter"):
            load_module.__wrapped__(path)


def test_the_source_registry_from_the_cache_is_the_one_validated_afresh(cache: Path, repo_ws: Path):
    from briefgen.catalog.sources import _load_sources

    path = repo_ws / "content" / "sources.yaml"
    fresh = _load_sources.__wrapped__.__wrapped__(path)
    _load_sources.__wrapped__(path)
    assert _load_sources.__wrapped__(path) == fresh
    path.write_text(path.read_text(encoding="utf-8") + "- id: 12\n", encoding="utf-8")
    with pytest.raises(ContentError):
        _load_sources.__wrapped__(path)


def test_entries_unused_for_a_month_are_pruned_once_a_day(cache: Path, monkeypatch: pytest.MonkeyPatch):
    import time

    monkeypatch.setattr(diskcache, "_pruned", set())
    diskcache.store("probe", ("old",), 1)          # the first store of a process prunes (nothing yet)
    diskcache.store("probe", ("used",), 2)
    diskcache.store("probe", ("new",), 3)
    month_ago = time.time() - diskcache.PRUNE_AFTER - 3600
    for key in ("old", "used"):
        os.utime(diskcache._entry("probe", (key,))[0], (month_ago, month_ago))
    assert diskcache.load("probe", ("used",)) == 2    # a use renews it
    monkeypatch.setattr(diskcache, "_pruned", set())
    assert diskcache.prune() == 0                      # pruned less than a day ago: not again
    os.utime(cache / ".pruned", (month_ago, month_ago))
    monkeypatch.setattr(diskcache, "_pruned", set())
    assert diskcache.prune() == 1
    assert [diskcache.load("probe", (k,)) for k in ("old", "used", "new")] == [None, 2, 3]


def test_a_process_that_finds_everything_in_the_cache_builds_no_validators_and_reads_no_yaml(tmp_path: Path):
    """Specs, themes, audience profiles, modules and sources unchanged since an earlier process come
    from the cache as they were validated, so their pydantic models (defer_build) are never built
    (~30 ms a process) and PyYAML is never imported (~17 ms)."""
    probe = ("import sys\nfrom briefgen import build\n"
             f"build({str(TWO_PAGE)!r}, formats='docx', out_dir={str(tmp_path / 'out')!r})\n"
             "from briefgen.spec import BriefSpec\nfrom briefgen.theme import Theme\n"
             "from briefgen.catalog.modules import FrontMatter\nfrom briefgen.catalog.sources import Source\n"
             "from briefgen.assemble.profiles import ProfileSettings\n"
             "print(*(m.__pydantic_complete__ for m in (BriefSpec, Theme, FrontMatter, Source, ProfileSettings)),"
             " 'yaml' in sys.modules)")
    env = dict(os.environ, **{diskcache.ENV: str(tmp_path / "cache")})
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env,
                           cwd=REPO).stdout.split() for _ in range(2)]
    assert runs == [["True"] * 6, ["False"] * 6]


def test_an_edited_spec_profile_or_theme_is_read_again_and_a_missing_logo_still_reported(cache: Path,
                                                                                       repo_ws: Path):
    from briefgen.assemble.profiles import load_profile
    from briefgen.errors import TemplateError, ThemeError
    from briefgen.spec import load_spec
    from briefgen.theme import load_theme

    spec = repo_ws / "examples" / "minister-two-page.yaml"
    assert load_spec(spec).title == load_spec(spec).title == "Russia and the 2020 Nagorno-Karabakh war"
    spec.write_text(spec.read_text(encoding="utf-8").replace("title: Russia and", "title: Moscow and"),
                    encoding="utf-8")
    assert load_spec(spec).title == "Moscow and the 2020 Nagorno-Karabakh war"

    profile = repo_ws / "templates" / "minister" / "profile.yaml"
    assert load_profile(repo_ws / "templates", "minister").settings.words_per_page != 777
    profile.write_text(profile.read_text(encoding="utf-8") + "words_per_page: 777\n", encoding="utf-8")
    assert load_profile(repo_ws / "templates", "minister").settings.words_per_page == 777
    profile.write_text(profile.read_text(encoding="utf-8") + "words_per_pgae: 400\n", encoding="utf-8")
    for _ in range(2):                       # an error is raised each time, never kept
        with pytest.raises(TemplateError, match="unknown key 'words_per_pgae'"):
            load_profile(repo_ws / "templates", "minister")

    folder = repo_ws / "themes" / "embassy"
    assert load_theme(folder).logo == "logo.png"
    (folder / "logo.png").unlink()
    with pytest.raises(ThemeError, match="logo: file 'logo.png' not found"):
        load_theme(folder)
