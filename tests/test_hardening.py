"""Hardening (issue 28): what a careless user or a hostile file once turned into a wrong brief with
exit 0, a hang, a leak or an internal error. Each test is named after what it protects."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefgen.cli import app

from .test_errors import one_line

runner = CliRunner()

SPEC = """title: T
date: 2026-11-23
audience: analyst
formats: [md]
modules:
  - {id: alpha, variant: extended}
  - beta
"""


def build(ws: Path, spec_text: str = SPEC, *args: str, name: str = "spec.yaml"):
    spec = ws / name
    spec.write_text(spec_text, encoding="utf-8")
    out = ws / "out"
    result = runner.invoke(app, ["build", str(spec), "--out", str(out), *args])
    return result, out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def alpha(ws: Path) -> Path:
    return ws / "content" / "modules" / "alpha.md"


# -- 1. nesting past markdown-it's limit ------------------------------------------------------------

def test_deep_nested_list_is_an_error_not_a_truncated_brief(fixture_ws: Path) -> None:
    nest = "".join("  " * i + f"- level {i}\n" for i in range(12))
    edit(alpha(fixture_ws), "### Terms\n", "### Terms\n\n" + nest + "\n")
    result, out = build(fixture_ws)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "alpha.md:" in line and "nested more than 6 deep" in line
    assert not (out / "spec.md").exists()


def test_nesting_a_module_may_use_keeps_everything_after_it(fixture_ws: Path) -> None:
    nest = "".join("  " * i + f"- level {i}\n" for i in range(6))
    edit(alpha(fixture_ws), "### Terms\n", "### Terms\n\n" + nest + "\n")
    result, out = build(fixture_ws)
    assert result.exit_code == 0, result.output
    text = (out / "spec.md").read_text(encoding="utf-8")
    assert "level 5" in text and "Transport links reopen" in text and "Bibliography" in text


# -- 2. line breaks other than \n -------------------------------------------------------------------

def test_odd_line_breaks_do_not_shift_a_modules_variants(fixture_ws: Path) -> None:
    path = alpha(fixture_ws)
    text = path.read_text(encoding="utf-8")
    # form feed, vertical tab, FS, GS, RS, NEL, U+2028 and U+2029 in the summary and the brief
    text = text.replace("## summary\n\n", "## summary\n\n\f\n\v\n\x1c\n\x1d\n")
    text = text.replace("Moscow brokered it [@web-2020].\nErdoğan",
                        "Moscow brokered it [@web-2020].\x1e\x85\u2028\u2029Erdoğan")
    path.write_text(text, encoding="utf-8")
    spec = SPEC.replace("{id: alpha, variant: extended}", "{id: alpha, variant: standard}")
    result, out = build(fixture_ws, spec)
    assert result.exit_code == 0, result.output
    brief = (out / "spec.md").read_text(encoding="utf-8")
    assert "Putin announced it on television" in brief and "standard" not in brief.lower().replace("standards", "")
    from briefgen.catalog.modules import load_module

    module = load_module(path)
    assert module.variant("brief").text.rstrip().endswith("called it a victory [@smith-2020, 106-107].")
    assert "[@kremlin-2020, 110]" in module.variant("standard").text
    assert "###" not in module.variant("brief").text
    check = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
    assert "8 unusual line breaks" in check.output and "alpha.md" in check.output


# -- 4. every named path stays inside its folder ----------------------------------------------------

def test_profile_template_outside_the_workspace_is_refused_not_rendered(fixture_ws: Path) -> None:
    secret = fixture_ws.parent / "secret.txt"
    secret.write_text("TOP SECRET PASSWORD\n", encoding="utf-8")
    profile = fixture_ws / "templates" / "analyst" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\ntemplate: ../../../secret.txt\n", encoding="utf-8")
    result, out = build(fixture_ws)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "profile.yaml" in line and "template: '../../../secret.txt' leads outside" in line
    assert not out.exists() or "TOP SECRET" not in "".join(p.read_text() for p in out.iterdir())


def test_spec_audience_template_and_theme_cannot_name_folders_outside(fixture_ws: Path) -> None:
    outside = fixture_ws.parent / "elsewhere"
    (outside / "templates" / "evil").mkdir(parents=True)
    (outside / "templates" / "evil" / "profile.yaml").write_text("label: Evil\n", encoding="utf-8")
    (outside / "templates" / "evil" / "brief.md.j2").write_text("leaked\n", encoding="utf-8")
    for key, value in (("audience", "../../elsewhere/templates/evil"), ("template", "../../elsewhere/templates/evil"),
                       ("theme", "../../etc"), ("theme", "/etc")):
        spec = SPEC.replace("audience: analyst\n", "") + f"{key}: {value}\n"
        if key != "audience":
            spec += "audience: analyst\n"
        result, out = build(fixture_ws, spec)
        assert result.exit_code == 2, (key, result.output)
        line = one_line(result)
        assert "spec.yaml" in line and f"{key}: '{value}'" in line, line
        assert not (out / "spec.md").exists()


def test_theme_logo_and_reference_docx_stay_inside_the_theme_folder(fixture_ws: Path) -> None:
    theme = fixture_ws / "themes" / "default" / "theme.yaml"
    original = theme.read_text(encoding="utf-8")
    for key in ("logo", "reference_docx"):
        theme.write_text(original + f"\n{key}: ../embassy/../../../../etc/hostname\n", encoding="utf-8")
        result, _ = build(fixture_ws)
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "theme.yaml" in line and f"{key}: '../embassy/../../../../etc/hostname' leads outside" in line
    theme.write_text(original + "\nlogo: ../embassy/logo.png\n", encoding="utf-8")   # themes may share a logo
    assert build(fixture_ws)[0].exit_code == 0
    (fixture_ws.parent / "art.png").write_bytes((fixture_ws / "themes" / "embassy" / "logo.png").read_bytes())
    (fixture_ws / "themes" / "default" / "art.png").symlink_to(fixture_ws.parent / "art.png")
    theme.write_text(original + "\nlogo: art.png\n", encoding="utf-8")
    result, _ = build(fixture_ws)
    assert result.exit_code == 2 and "logo: 'art.png' leads outside" in one_line(result)


# -- 6. theme numbers within bounds -----------------------------------------------------------------

def test_theme_sizes_and_margins_out_of_range_are_errors_not_invisible_text(fixture_ws: Path) -> None:
    theme = fixture_ws / "themes" / "default" / "theme.yaml"
    original = theme.read_text(encoding="utf-8")
    cases = [
        ("heading_sizes: [15, 12.5, 12, 12]", "heading_sizes: [0, 12.5, 12, 12]", "fonts.heading_sizes.0"),
        ("heading_sizes: [15, 12.5, 12, 12]", "heading_sizes: [15, -3, 12, 12]", "fonts.heading_sizes.1"),
        ("title_size: 20", "title_size: 0", "fonts.title_size"),
        ("left: 22, right: 22", "left: -40, right: 22", "page.margins_mm.left"),
        ("left: 22, right: 22", "left: 100, right: 90", "page: margins_mm leave less than 80 mm"),
        ("line_spacing: 1.15", "line_spacing: 0", "fonts.line_spacing"),
        ("body: Arial ", "body: ../../../x ", "fonts.body: '../../../x' is not a font family name"),
    ]
    for old, new, expected in cases:
        assert old in original, old
        theme.write_text(original.replace(old, new) + "logo_width_mm: 30\n", encoding="utf-8")
        result, out = build(fixture_ws)
        assert result.exit_code == 2, (new, result.output)
        line = one_line(result)
        assert "theme.yaml" in line and expected in line, line
        assert not (out / "spec.md").exists()
    theme.write_text(original + "logo_width_mm: -5\n", encoding="utf-8")
    assert "logo_width_mm" in one_line(build(fixture_ws)[0])


# -- 7. two specs, one output stem ------------------------------------------------------------------

def test_two_specs_with_the_same_output_stem_are_refused_before_writing(fixture_ws: Path) -> None:
    (fixture_ws / "a").mkdir()
    (fixture_ws / "b").mkdir()
    (fixture_ws / "a" / "brief.yaml").write_text(SPEC, encoding="utf-8")
    (fixture_ws / "b" / "brief.yaml").write_text(SPEC.replace("title: T", "title: Other"), encoding="utf-8")
    (fixture_ws / "c.yaml").write_text(SPEC + "output: brief\n", encoding="utf-8")
    out = fixture_ws / "out"
    for pair in (("a/brief.yaml", "b/brief.yaml"), ("a/brief.yaml", "c.yaml"), ("c.yaml", "c.yaml")):
        result = runner.invoke(app, ["build", *(str(fixture_ws / p) for p in pair), "--out", str(out)])
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert pair[1] in line and "output 'brief'" in line
        assert not out.exists()
    (fixture_ws / "spec.yaml").write_text(SPEC, encoding="utf-8")
    ok = runner.invoke(app, ["build", str(fixture_ws / "a" / "brief.yaml"), str(fixture_ws / "spec.yaml"),
                             "--out", str(out)])
    assert ok.exit_code == 0 and (out / "brief.md").exists() and (out / "spec.md").exists()


# -- 3. all formats of a brief replaced together, or none -------------------------------------------

def test_a_rename_refused_half_way_puts_the_previous_set_back(fixture_ws: Path, monkeypatch) -> None:
    import errno
    import os

    import briefgen
    from briefgen import publish

    spec = fixture_ws / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = fixture_ws / "out"
    briefgen.build(spec, formats="md,docx", out_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec.write_text(SPEC.replace("title: T", "title: A new title"), encoding="utf-8")
    real_replace = os.replace

    def refuse_docx(src, dst, *args, **kwargs):
        if str(dst).endswith(".docx") and ".tmp" not in str(dst):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(src), None, str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.os, "replace", refuse_docx)
    try:
        briefgen.build(spec, formats="md,docx", out_dir=out)
    except briefgen.BriefgenError as exc:
        message = str(exc)
    else:
        raise AssertionError("the build should have failed")
    assert "spec.docx" in message and ".tmp" not in message, message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before   # no new md beside the old docx, no litter


# -- 24. temporary files a killed build left behind -------------------------------------------------

def test_stale_temporary_files_of_killed_builds_are_removed_by_the_next_build(fixture_ws: Path) -> None:
    import os
    import time

    out = fixture_ws / "out"
    out.mkdir()
    old = time.time() - 3600
    stale = [out / ".spec.md.999999999.abcd1234.tmp", out / ".spec.md.k3j_a9zq.tmp", out / ".other.pdf.999999999.zzzz9999.tmp"]
    kept = [out / f".spec.md.{os.getpid()}.live1234.tmp",     # a live process's
            out / ".spec.md.999999999.fresh123.tmp",           # too recent to be sure
            out / ".notes.txt.tmp", out / "user-file.tmp"]     # not briefgen's naming
    for path in stale + kept:
        path.write_bytes(b"partial")
        if path.name != ".spec.md.999999999.fresh123.tmp":
            os.utime(path, (old, old))
    result, _ = build(fixture_ws)
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)
    assert sorted(p.name for p in out.iterdir() if p not in kept) == ["spec.md"]


# -- 9. only web links are live ---------------------------------------------------------------------

def test_non_web_links_are_printed_unlinked_with_a_warning_and_fatal_under_strict(fixture_ws: Path) -> None:
    edit(alpha(fixture_ws), "Transport links reopen [@smith-2020, 111].",
         "Transport links reopen [@smith-2020, 111]. See [the map](ftp://files.example.org/map.pdf), "
         "[the text](https://example.org/text) and [a script](vbscript:msgbox).")
    sources = fixture_ws / "content" / "sources.yaml"
    edit(sources, "URL: https://example.org/russia-position", "URL: javascript:alert(document.cookie)")
    result, out = build(fixture_ws, SPEC.replace("[md]", "[md, docx]"))
    assert result.exit_code == 0, result.output
    md = (out / "spec.md").read_text(encoding="utf-8")
    assert "the map (ftp://files.example.org/map.pdf)" in md and "](<ftp:" not in md
    assert "[the text](<https://example.org/text>)" in md
    assert "javascript:alert(document.cookie)" in md and "](<javascript:" not in md
    import zipfile

    with zipfile.ZipFile(out / "spec.docx") as docx:
        rels = "".join(docx.read(n).decode() for n in docx.namelist() if n.endswith(".rels"))
    assert "https://example.org/text" in rels and "javascript:" not in rels and "ftp:" not in rels
    assert "alpha.md:" in result.output and "'ftp://files.example.org/map.pdf' in variant 'extended' is not a web link" in result.output
    assert "sources.yaml:" in result.output and "source 'web-2020': URL 'javascript:" in result.output
    strict, _ = build(fixture_ws, SPEC, "--strict")
    assert strict.exit_code == 1 and "not a web link" in strict.output
    check = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
    assert "'ftp://files.example.org/map.pdf' in 'extended' is not a web link" in check.output
    assert "source 'web-2020': URL 'javascript:" in check.output


# -- 11. malformed citations warned of in build -----------------------------------------------------

def test_malformed_citations_warn_in_build_and_fail_under_strict(fixture_ws: Path) -> None:
    edit(alpha(fixture_ws), "Transport links reopen [@smith-2020, 111].",
         "Transport links reopen [@smith-2020, 111].\n- Roads too [@].\n- Rail too [@smith-2020, ].")
    result, out = build(fixture_ws)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "malformed citation" in line]
    assert len(warnings) == 2 and all("alpha.md:" in w for w in warnings), result.output
    assert "alpha.md:48:" in warnings[0] and "'[@].'" in warnings[0]
    assert "alpha.md:49:" in warnings[1] and "'[@smith-2020, ]'" in warnings[1]
    strict, _ = build(fixture_ws, SPEC, "--strict")
    assert strict.exit_code == 1 and "malformed citation" in one_line(strict)


# -- 13. cited_in cycles ----------------------------------------------------------------------------

def test_cited_in_cycles_and_self_references_are_errors_in_check_and_build(fixture_ws: Path) -> None:
    sources = fixture_ws / "content" / "sources.yaml"
    original = sources.read_text(encoding="utf-8")
    for old, new, loop in (("cited_in: smith-2020", "cited_in: kremlin-2020", "kremlin-2020 -> kremlin-2020"),
                           ("  page: 101-130\n", "  page: 101-130\n  cited_in: kremlin-2020\n",
                            "smith-2020 -> kremlin-2020 -> smith-2020")):
        sources.write_text(original.replace(old, new), encoding="utf-8")
        result, out = build(fixture_ws)
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "sources.yaml:" in line and f"cited_in goes round in a circle ({loop})" in line
        check = runner.invoke(app, ["check", "--workspace", str(fixture_ws)])
        assert check.exit_code == 1 and "goes round in a circle" in check.output


# -- 14. a module listed twice ----------------------------------------------------------------------

def test_a_module_listed_twice_is_printed_once_with_a_warning_naming_both_lines(fixture_ws: Path) -> None:
    result, out = build(fixture_ws, SPEC + "  - {id: alpha, variant: brief}\n")
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "listed twice" in line)
    assert "spec.yaml:8:" in warning and "module 'alpha' is listed twice (lines 6 and 8)" in warning
    assert (out / "spec.md").read_text(encoding="utf-8").count("## Alpha module") == 1
    assert build(fixture_ws, SPEC + "  - alpha\n", "--strict")[0].exit_code == 1


# -- 21. an unknown source in front matter names the module ----------------------------------------

def test_unknown_source_in_key_facts_names_the_module_not_the_template(fixture_ws: Path) -> None:
    edit(alpha(fixture_ws), "[@smith-2020, 105].\nalternative_view", "[@smith-2021, 105].\nalternative_view")
    result, _ = build(fixture_ws, SPEC.replace("audience: analyst", "audience: minister"))
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "alpha.md:17:" in line and "unknown source '@smith-2021'" in line and ".j2" not in line


# -- 12. images resolve against the module's folder -------------------------------------------------

def _png(path: Path, colour: str = "navy", size=(120, 80)) -> bytes:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path.read_bytes()


def test_a_modules_image_resolves_against_its_folder_from_any_directory(fixture_ws: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    _png(fixture_ws / "content" / "images" / "map.png")
    edit(alpha(fixture_ws), "### Terms\n", "![A map of the front](../images/map.png)\n\n### Terms\n")
    spec = fixture_ws / "spec.yaml"
    spec.write_text(SPEC.replace("[md]", "[md, docx, pdf]"), encoding="utf-8")
    for cwd in (fixture_ws, tmp_path, fixture_ws / "content"):
        monkeypatch.chdir(cwd)
        result = runner.invoke(app, ["build", str(spec), "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, (cwd, result.output)
    import zipfile

    with zipfile.ZipFile(tmp_path / "out" / "spec.docx") as docx:
        assert any(n.startswith("word/media/") for n in docx.namelist())
    assert b"/Subtype /Image" in (tmp_path / "out" / "spec.pdf").read_bytes()


def test_a_missing_damaged_or_outside_image_names_the_module_line(fixture_ws: Path) -> None:
    data = _png(fixture_ws / "content" / "images" / "map.png")
    (fixture_ws / "content" / "images" / "cut.png").write_bytes(data[: len(data) // 2])
    _png(fixture_ws.parent / "private.png")
    for src, expected in (("../images/nope.png", "not found"), ("../images/cut.png", "cannot be read"),
                          ("../../../private.png", "leads outside the workspace")):
        text = alpha(fixture_ws).read_text(encoding="utf-8")
        alpha(fixture_ws).write_text(text.replace("### Terms\n", f"![x]({src})\n\n### Terms\n", 1), encoding="utf-8")
        result, out = build(fixture_ws)
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "alpha.md:44:" in line and f"image '{src}' " in line and expected in line, line
        alpha(fixture_ws).write_text(text, encoding="utf-8")


def test_regen_rebuilds_a_brief_when_an_image_it_shows_changes(fixture_ws: Path) -> None:
    import datetime as dt

    from briefgen.regen import regen

    _png(fixture_ws / "content" / "images" / "map.png")
    edit(alpha(fixture_ws), "### Terms\n", "![A map](../images/map.png)\n\n### Terms\n")
    (fixture_ws / "specs").mkdir()
    (fixture_ws / "specs" / "b.yaml").write_text(SPEC, encoding="utf-8")
    day = dt.date(2026, 11, 23)
    assert [o.status for o in regen([fixture_ws / "specs"], fixture_ws / "out", today=day).outcomes] == ["built"]
    assert [o.status for o in regen([fixture_ws / "specs"], fixture_ws / "out", today=day).outcomes] == ["skipped"]
    _png(fixture_ws / "content" / "images" / "map.png", "red")
    again = regen([fixture_ws / "specs"], fixture_ws / "out", today=day).outcomes
    assert [o.status for o in again] == ["built"] and "image" in again[0].reason


# -- 10. control characters never reach the Markdown's title block ---------------------------------

def test_control_characters_in_spec_and_front_matter_are_dropped_so_pandoc_reads_the_markdown(fixture_ws: Path) -> None:
    import subprocess

    spec = SPEC.replace("title: T", 'title: "Bell\\a and escape\\e in a title"\nsubtitle: "C1\\x85\\x9b here"\n'
                                     'author: "Form\\ffeed"')
    edit(alpha(fixture_ws), "key_judgment: Russia almost certainly", 'key_judgment: "Russia\\x07 almost certainly')
    edit(alpha(fixture_ws), "wanted the ceasefire to hold.\n", 'wanted the ceasefire to hold."\n')
    result, out = build(fixture_ws, spec)
    assert result.exit_code == 0, result.output
    assert "Markdown: dropped" in result.output and "U+0007" in result.output
    md = (out / "spec.md").read_text(encoding="utf-8")
    assert 'title: "Bell and escape in a title"' in md and "Russia almost certainly" in md
    assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7f <= ord(ch) <= 0x9f for ch in md)
    done = subprocess.run(["pandoc", "-f", "markdown", "-t", "plain", str(out / "spec.md")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


# -- 15 and 19. templates are bounded in time, size and recursion ----------------------------------

def _template(ws: Path, body: str) -> None:
    (ws / "templates" / "analyst" / "brief.md.j2").write_text(body, encoding="utf-8")


def test_a_template_loop_without_end_stops_with_a_clear_error(fixture_ws: Path, monkeypatch) -> None:
    import time

    from briefgen.assemble import sandbox

    monkeypatch.setattr(sandbox, "MAX_RENDER_SECONDS", 1.0)
    _template(fixture_ws, "# Loops\n\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
                          "{% endfor %}\n")
    start = time.monotonic()
    result, out = build(fixture_ws)
    assert time.monotonic() - start < 30
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "brief.md.j2:3:" in line and "took longer than 1 s to render" in line
    assert not (out / "spec.md").exists()


def test_template_output_size_is_bounded(fixture_ws: Path, monkeypatch) -> None:
    from briefgen.assemble import sandbox

    monkeypatch.setattr(sandbox, "MAX_OUTPUT_CHARS", 100_000)
    _template(fixture_ws, "{% for i in range(90000) %}many words here {% endfor %}\n")
    line = one_line(build(fixture_ws)[0])
    assert "brief.md.j2" in line and "rendered more than 100,000 characters" in line


def test_template_memory_bombs_and_recursion_are_one_line_errors_with_exit_2(fixture_ws: Path) -> None:
    cases = [
        ('{{ "%0999999999d" % 1 }}\n', "larger than a brief can hold"),
        ('{{ "{:>999999999}".format(1) }}\n', "a format width of a million or more"),
        ('{{ "%0999999999d" | format(1) }}\n', "a format width of a million or more"),
        ('{{ "x" | center(999999999) }}\n', "filter 'center' asked for 999,999,999"),
        ('{{ "ab" * 999999999 }}\n', "larger than a brief can hold"),
        ('{{ 10 ** 999999999 }}\n', "larger than a brief can hold"),
        ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}\n", "calls itself without end"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}\n",
         "a namespace value would make"),
        ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ d('ab', 40) }}\n",
         "a call's argument would make"),
        ('{% include "brief.md.j2" %}\n', "calls itself without end"),
    ]
    for body, expected in cases:
        _template(fixture_ws, body)
        result, out = build(fixture_ws)
        assert result.exit_code == 2, (body, result.output)
        line = one_line(result)
        assert "brief.md.j2" in line and expected in line, (body, line)
        assert not (out / "spec.md").exists()


def test_an_unbreakable_word_too_long_to_lay_out_is_an_error_not_a_hang(fixture_ws: Path) -> None:
    import time

    edit(alpha(fixture_ws), "Transport links reopen", "Transport " + "x" * 2_000_000 + " links reopen")
    start = time.monotonic()
    result, out = build(fixture_ws, SPEC.replace("[md]", "[pdf]"))
    assert time.monotonic() - start < 60
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "alpha.md:47:" in line and "a word of 2,000,000 characters without a space (at most 1,000)" in line
    edit(alpha(fixture_ws), "x" * 2_000_000 + " ", "")
    for key, text in (("title", "title: " + "y" * 5000 + "\n"), ("subtitle", "subtitle: " + "z" * 1001 + "\n")):
        result, out = build(fixture_ws, text + SPEC.replace("title: T\n", "" if key == "title" else "title: T\n"))
        assert result.exit_code == 2 and f"{key}: a word of more than 1,000 characters" in one_line(result)


def test_a_word_as_long_as_a_long_url_is_still_laid_out(fixture_ws: Path) -> None:
    edit(alpha(fixture_ws), "Transport links reopen", "Transport https://example.org/" + "a" * 960 + " links reopen")
    result, out = build(fixture_ws, SPEC.replace("[md]", "[pdf, md]"))
    assert result.exit_code == 0, result.output
    assert "a" * 960 in (out / "spec.md").read_text(encoding="utf-8")


# -- 20. a named pipe in the cache folder -----------------------------------------------------------

def test_named_pipes_in_the_cache_folder_are_passed_over_not_waited_on(fixture_ws: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    cache = tmp_path / "cache"
    spec = fixture_ws / "spec.yaml"
    spec.write_text(SPEC.replace("[md]", "[md, pdf]"), encoding="utf-8")
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}

    def run(out: str):
        return subprocess.run([sys.executable, "-m", "briefgen", "build", str(spec), "-o", str(tmp_path / out)],
                              capture_output=True, text=True, env=env, timeout=120)

    assert run("first").returncode == 0
    entries = [p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(entries) > 5
    for path in entries:
        path.unlink()
        os.mkfifo(path)
    done = run("second")   # a blocked open would hang here until the timeout
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "second" / "spec.md").read_bytes() == (tmp_path / "first" / "spec.md").read_bytes()


# -- 18. a zip-bomb reference.docx ------------------------------------------------------------------

def test_a_zip_bomb_reference_docx_is_refused_before_it_is_inflated(fixture_ws: Path) -> None:
    import resource
    import zipfile

    from briefgen.writers.docx.package import BUNDLED_REFERENCE

    theme = fixture_ws / "themes" / "default"
    bomb = theme / "reference.docx"
    with zipfile.ZipFile(BUNDLED_REFERENCE) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != "word/styles.xml":
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)
                continue
            head, _, tail = data.partition(b"<w:styles ")
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w") as part:   # 100 MB of spaces in the styles
                part.write(head + b"<w:styles ")
                for _ in range(100):
                    part.write(b" " * 1_000_000)
                part.write(tail)
    assert bomb.stat().st_size < 2_000_000
    (theme / "theme.yaml").write_text((theme / "theme.yaml").read_text(encoding="utf-8")
                                      + "reference_docx: reference.docx\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result, out = build(fixture_ws, SPEC.replace("[md]", "[docx]"))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000   # KB: never inflated
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "reference.docx" in line and "would unpack to 95 MB (at most 64 MB)" in line
    assert not (out / "spec.docx").exists()


# -- 19. inputs that were internal errors -----------------------------------------------------------

def test_a_truncated_png_logo_is_a_theme_error_naming_the_file_and_key(fixture_ws: Path) -> None:
    logo = fixture_ws / "themes" / "embassy" / "logo.png"
    logo.write_bytes(logo.read_bytes()[:200])
    for fmt in ("pdf", "docx", "md"):
        result, out = build(fixture_ws, SPEC.replace("[md]", f"[{fmt}]") + "theme: embassy\n")
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "theme.yaml" in line and "logo 'logo.png' cannot be read" in line and "0x" not in line, line


def test_a_nul_in_output_is_a_spec_error_naming_the_key(fixture_ws: Path) -> None:
    result, out = build(fixture_ws, SPEC + 'output: "brief\\0name"\n')
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "spec.yaml:8: output: 'brief\\x00name' is not a file stem" in line


def test_a_zero_length_on_the_command_line_is_a_usage_error(fixture_ws: Path) -> None:
    for length in ("0 pages", "two pages", "99 pages"):
        result, out = build(fixture_ws, SPEC, "--length", length)
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "length" in line and "internal error" not in line, line


# -- 22. scripts the PDF fonts lack do not stop a DOCX or Markdown brief ---------------------------

WORLD = "مرحبا بالعالم שלום עולם 你好，世界 🇦🇿😀👍🏽"


def test_a_docx_and_markdown_brief_in_scripts_the_pdf_fonts_lack_is_fitted_and_keeps_every_character(
        fixture_ws: Path) -> None:
    import zipfile

    edit(alpha(fixture_ws), "Moscow brokered it [@web-2020].\nErdoğan", f"Moscow brokered it [@web-2020]. {WORLD}.\nErdoğan")
    spec = SPEC.replace("variant: extended", "variant: brief").replace("[md]", "[docx, md]") + "length: 1 page\n"
    result, out = build(fixture_ws, spec)
    assert result.exit_code == 0, result.output
    assert "page count was measured with stand-ins for" in result.output
    assert WORLD in (out / "spec.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "spec.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert all(ch in xml for ch in WORLD if not ch.isspace())
    # a PDF cannot carry them: that stays an error naming the characters
    pdf, _ = build(fixture_ws, spec.replace("[docx, md]", "[pdf]"))
    assert pdf.exit_code == 1 and "the PDF fonts cannot render" in one_line(pdf)


def test_a_themes_marking_scheme_file_stays_inside_the_themes_folder(fixture_ws: Path) -> None:
    (fixture_ws.parent / "evil.yaml").write_text("name: evil\n", encoding="utf-8")
    theme = fixture_ws / "themes" / "default" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    for name in ("../../../evil.yaml", "../../../evil"):
        theme.write_text(text.replace("marking_scheme: uk", f"marking_scheme: {name}"), encoding="utf-8")
        result, _ = build(fixture_ws)
        assert result.exit_code == 2, result.output
        line = one_line(result)
        assert "theme.yaml" in line and "marking_scheme:" in line and "leads outside" in line, line


def test_a_reference_docx_part_compressed_like_a_bomb_is_refused_even_when_small(fixture_ws: Path) -> None:
    import zipfile

    from briefgen.writers.docx.package import BUNDLED_REFERENCE

    theme = fixture_ws / "themes" / "default"
    with zipfile.ZipFile(BUNDLED_REFERENCE) as src, zipfile.ZipFile(theme / "reference.docx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":   # 8 MB of spaces: well under the total, but 1000 to 1
                data = data.replace(b"<w:styles ", b"<w:styles " + b" " * 8_000_000, 1)
            dst.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    (theme / "theme.yaml").write_text((theme / "theme.yaml").read_text(encoding="utf-8")
                                      + "reference_docx: reference.docx\n", encoding="utf-8")
    result, out = build(fixture_ws, SPEC.replace("[md]", "[docx]"))
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert "reference.docx" in line and "part 'word/styles.xml' is compressed" in line and "(a zip bomb?)" in line
