"""Markings you can trust: the brief is marked from what it contains, in every format and for machines.

A spec of public modules is marked at its scheme's lowest level; one official module raises the
banner on every page of the DOCX (as LibreOffice lays it out), the PDF and the Markdown. A spec that
asks for less is refused with one line and nothing written. The US scheme starts every block and
note with its portion mark; a draft carries DRAFT on every page; the labels are where records
systems read them (DOCX custom properties, PDF information and XMP).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen import build
from briefgen.cli import app
from briefgen.errors import SpecError, ThemeError
from briefgen.markings import Contribution, load_scheme, roll_up
from briefgen.model import BulletList, Div, Heading, Para, Table, iter_blocks, plain_text

from . import clients

runner = CliRunner()

# the fixture library: 'alpha' is public, 'beta' official
SPEC = ("title: Ceasefire brief\ndate: 2026-11-23\naudience: plain\nlength: 2 pages\nformats: [md]\n"
        "theme: {scheme}\n")
# per scheme: (the lowest level's banner, the banner one official module raises it to)
SCHEMES = {"uk": ("", "OFFICIAL"), "us": ("UNCLASSIFIED", "CUI"),
           "nato": ("PUBLICLY DISCLOSED", "NATO UNCLASSIFIED")}


@pytest.fixture
def ws(fixture_ws: Path) -> Path:
    """The fixture workspace with a theme per scheme and a minister-like audience without a
    default marking of its own (so the content alone sets the level)."""
    for name in SCHEMES:
        folder = fixture_ws / "themes" / name
        folder.mkdir()
        (folder / "theme.yaml").write_text(f"marking_scheme: {name}\n", encoding="utf-8")
    plain = fixture_ws / "templates" / "plain"
    plain.mkdir()
    minister = fixture_ws / "templates" / "minister"
    (plain / "brief.md.j2").write_text((minister / "brief.md.j2").read_text(encoding="utf-8"), encoding="utf-8")
    profile = (minister / "profile.yaml").read_text(encoding="utf-8")
    (plain / "profile.yaml").write_text(profile.replace("default_marking: OFFICIAL-SENSITIVE", "default_marking: none"),
                                        encoding="utf-8")
    return fixture_ws


def spec(ws: Path, scheme: str, modules: str, extra: str = "", name: str = "spec.yaml") -> Path:
    path = ws / name
    path.write_text(SPEC.format(scheme=scheme) + f"modules: [{modules}]\n" + extra, encoding="utf-8")
    return path


def front_matter_marking(md: Path) -> str:
    found = re.search(r'^marking: "(.*)"$', md.read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else ""


def convert_all(docx: list[Path], outdir: Path) -> list[Path]:
    """The DOCX files as LibreOffice lays them out, in one soffice process (much faster than one each)."""
    clients.needs("soffice")
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as tmp:
        env = {**os.environ, "FONTCONFIG_FILE": str(clients.fonts_conf(Path(tmp))), "HOME": tmp}
        clients.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                     "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx)], timeout=300, env=env)
    out = [outdir / f"{p.stem}.pdf" for p in docx]
    assert all(p.is_file() for p in out), f"LibreOffice converted only {[p.name for p in out if p.is_file()]}"
    return out


def banner_lines(page: str) -> tuple[str, str]:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[0], lines[-1]


# ---- the schemes and the roll-up, as data --------------------------------------------------------

@pytest.mark.parametrize("name", ["uk", "us", "nato", "none"])
def test_each_built_in_scheme_covers_every_sensitivity_once_lowest_first(name: str) -> None:
    scheme = load_scheme(name)
    ranks = [scheme.rank_of_sensitivity(s) for s in ("public", "official", "official-sensitive")]
    if name == "none":   # published material only: a module that needs a marking cannot be used
        assert ranks == [0, None, None]
    else:
        assert ranks == sorted(ranks) and None not in ranks and ranks[0] == 0 and ranks[1] > 0


def test_the_highest_content_sets_the_level_and_a_higher_ask_keeps_its_caveats() -> None:
    uk, us = load_scheme("uk"), load_scheme("us")
    content = [Contribution("public", "the template's fixed text"), Contribution("official", "module 'overview'"),
               Contribution("public", "module 'alpha'")]
    marking = roll_up(uk, content)
    assert (marking.banner, marking.set_by.origin) == ("OFFICIAL", "module 'overview'")
    asked = roll_up(uk, content, asked="official-sensitive – UK EYES ONLY")
    assert asked.banner == "OFFICIAL-SENSITIVE – UK EYES ONLY" and not asked.too_low
    assert roll_up(us, content, asked="CUI//NOFORN").banner == "CUI//NOFORN"
    assert roll_up(uk, content, asked="none").too_low
    assert roll_up(load_scheme("nato"), content, asked="UNCLASSIFIED").banner == "NATO UNCLASSIFIED"
    with pytest.raises(SpecError, match="not a level of the 'uk' marking scheme"):
        roll_up(uk, content, asked="COSMIC")


# ---- every format, every page ----------------------------------------------------------------------

def test_each_scheme_marks_public_content_lowest_and_one_official_module_raises_every_page(
        ws: Path, tmp_path: Path) -> None:
    built = {}
    for name, (lowest, raised) in SCHEMES.items():
        low = build(spec(ws, name, "alpha", name=f"{name}-public.yaml"), formats="md,pdf", out_dir=tmp_path)
        assert low.assembly.document.meta.marking == lowest
        assert front_matter_marking(low.outputs["md"]) == lowest
        pages = clients.pdftotext_pages(low.outputs["pdf"])
        assert all(raised not in page for page in pages)
        if lowest:
            assert all(banner_lines(page) == (lowest, lowest) for page in pages)
        high = build(spec(ws, name, "alpha, beta", name=f"{name}-official.yaml"), formats="md,pdf,docx",
                     out_dir=tmp_path)
        assert front_matter_marking(high.outputs["md"]) == raised
        built[name] = high
    for name, high in built.items():
        pages = clients.pdftotext_pages(high.outputs["pdf"])
        assert len(pages) >= 2 and clients.furniture_problems(pages, SCHEMES[name][1]) == [], name
    for name, pdf in zip(built, convert_all([b.outputs["docx"] for b in built.values()], tmp_path / "lo")):
        pages = clients.pdftotext_pages(pdf)
        assert len(pages) >= 2 and clients.furniture_problems(pages, SCHEMES[name][1]) == [], name


def test_a_spec_asking_for_less_is_one_line_exit_2_and_the_previous_file_stays(ws: Path, tmp_path: Path) -> None:
    path = spec(ws, "uk", "alpha, beta", "marking: OFFICIAL\n")
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(path), "-f", "md,pdf", "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    path.write_text(path.read_text(encoding="utf-8").replace("marking: OFFICIAL", "marking: none")
                    .replace("Ceasefire brief", "Another title"), encoding="utf-8")
    result = runner.invoke(app, ["build", str(path), "-f", "md,pdf", "-o", str(out)])
    assert result.exit_code == 2
    line = path.read_text(encoding="utf-8").splitlines().index("marking: none") + 1
    assert result.output.strip() == (f"briefgen: spec error: {path}:{line}: marking 'none' is lower than module "
                                     "'beta' (official): mark it OFFICIAL or leave the module out")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    path.write_text(path.read_text(encoding="utf-8").replace("marking: none", "marking: COSMIC"), encoding="utf-8")
    result = runner.invoke(app, ["build", str(path), "-f", "md,pdf", "-o", str(out)])
    assert result.exit_code == 2 and result.output.startswith(
        f"briefgen: spec error: {path}:{line}: marking 'COSMIC' is not a level of the 'uk' marking scheme")


def test_explain_names_the_module_that_set_the_level(ws: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(spec(ws, "us", "alpha, beta")), "-f", "md", "-o", str(tmp_path),
                                 "--explain"])
    assert result.exit_code == 0, result.output
    assert "marking: CUI (us scheme, level CUI, set by module 'beta' (official); portion marks)" in result.output


# ---- portion marks -------------------------------------------------------------------------------

def leaf_texts(blocks) -> list[str]:
    """The visible text of every heading, paragraph (list items' too) and table, in reading order."""
    out = []
    for block in iter_blocks(blocks):
        if isinstance(block, (Heading, Para)):
            out.append(plain_text(block.children))
        elif isinstance(block, Table):
            out.append(plain_text(block.header[0] if block.header else block.rows[0][0]))
    return out


def test_us_portion_marks_start_every_block_and_note_in_the_pdf_and_the_docx(ws: Path, tmp_path: Path) -> None:
    import docx

    result = build(spec(ws, "us", "alpha, beta"), formats="pdf,docx", out_dir=tmp_path)
    doc = result.assembly.document
    texts = leaf_texts(doc.blocks)
    assert texts and all(t.startswith(("(U) ", "(CUI) ")) for t in texts), texts
    beta = result.assembly.choices[1].module.variant(result.assembly.choices[1].variant).text.split(" [@")[0]
    assert any(t.startswith("(CUI) " + beta[:20]) for t in texts)              # the official module's own text
    assert any(t.startswith("(U) ") and "Alpha" not in t for t in texts)      # the template's wording: public
    # the banner is never lower than the highest portion
    scheme = load_scheme("us")
    portions = {m.group(1) for t in texts for m in [re.match(r"\((\w+)\) ", t)]}
    highest = max(next(i for i, lv in enumerate(scheme.levels) if lv.portion == p) for p in portions)
    assert doc.meta.marking == scheme.levels[highest].banner_text == "CUI"
    notes = [plain_text(n.children) for b in iter_blocks(doc.blocks) for n in _notes(b)]
    assert notes and all(n.startswith(("(U) ", "(CUI) ")) for n in notes)
    # the PDF: each block's start, mark included, is in the text; as many marks as blocks and notes
    text = clients.squash("\n".join(clients.pdftotext_pages(result.outputs["pdf"], layout=False)))
    for block in texts:
        assert clients.squash(block)[:30] in text, block
    assert len(re.findall(r"\((?:U|CUI)\) ", text)) >= len(texts) + len(notes)
    assert "(U) Ceasefire brief" in text    # the title block's title too
    for note in notes:
        assert clients.squash(note)[:25] in text, note
    # the DOCX: every body paragraph but the title block's, and every footnote
    document = docx.Document(str(result.outputs["docx"]))
    # the title block's dates, people and document label are not portions; its title is
    title_lines = {"Title Meta", "Document Label", "Disclaimer"}
    body = [p.text for p in document.paragraphs if p.text.strip() and p.style.name not in title_lines]
    assert body[0] == "(U) Ceasefire brief"
    assert body and all(t.startswith(("(U) ", "(CUI) ")) for t in body), body
    footnotes = _docx_footnotes(result.outputs["docx"])
    assert len(footnotes) == len(notes) and all(re.match(r"^\d*\s*\((U|CUI)\) ", n) for n in footnotes), footnotes


def _notes(block):
    from briefgen.model import Note, block_inlines, iter_inlines

    if isinstance(block, (BulletList, Div)):
        return []
    return [n for n in iter_inlines(block_inlines(block)) if isinstance(n, Note)]


def _docx_footnotes(path: Path) -> list[str]:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/footnotes.xml"))
    out = []
    for note in root.iter(f"{w}footnote"):
        if note.get(f"{w}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        out.append("".join(t.text or "" for t in note.iter(f"{w}t")).strip())
    return out


def test_a_uk_brief_has_no_portion_marks_unless_its_theme_asks(ws: Path, tmp_path: Path) -> None:
    plain = build(spec(ws, "uk", "alpha, beta"), formats="md", out_dir=tmp_path).assembly.document
    assert not any(t.startswith("(") for t in leaf_texts(plain.blocks))
    (ws / "themes" / "uk" / "theme.yaml").write_text("marking_scheme: uk\nportion_marks: true\n", encoding="utf-8")
    marked = build(spec(ws, "uk", "alpha, beta"), formats="md", out_dir=tmp_path).assembly.document
    assert all(t.startswith(("(PUBLIC) ", "(O) ")) for t in leaf_texts(marked.blocks))


# ---- draft status ---------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _watermarks(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8").count('string="DRAFT"') for n in z.namelist()
                if n.startswith("word/header")}


def test_a_draft_has_draft_on_every_page_and_in_the_docx_header_and_a_final_has_none(
        ws: Path, tmp_path: Path) -> None:
    import pikepdf

    draft = build(spec(ws, "uk", "alpha, beta", "status: draft\n"), formats="pdf,docx,md", out_dir=tmp_path / "d")
    pages = clients.pdftotext_pages(draft.outputs["pdf"])
    assert len(pages) >= 2 and all(re.search(r"^\s*DRAFT\b", page) for page in pages)
    assert "Submission – DRAFT" in pages[0]
    with pikepdf.open(draft.outputs["pdf"]) as pdf:      # the diagonal: text drawn at 45 degrees
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            diagonal = [i for i, (operands, op) in enumerate(ops) if str(op) == "cm"
                        and abs(float(operands[0]) - float(operands[1])) < 1e-3 and float(operands[1]) > 0.7]
            assert diagonal, "no 45° transform on a page"
    marks = _watermarks(draft.outputs["docx"])
    assert marks and all(count == 1 for count in marks.values()), marks   # each header, page 1's too
    import openxml_audit as audit   # the watermark and the custom properties are valid for Word

    check = audit.OpenXmlValidator(max_errors=20).validate(str(draft.outputs["docx"]))
    assert check.is_valid, "\n".join(str(e) for e in check.errors)
    assert "status: draft" in draft.outputs["md"].read_text(encoding="utf-8")
    final = build(spec(ws, "uk", "alpha, beta"), formats="pdf,docx", out_dir=tmp_path / "f")
    assert not any(re.search(r"\bDRAFT\b", page) for page in clients.pdftotext_pages(final.outputs["pdf"]))
    assert not any(_watermarks(final.outputs["docx"]).values())


def test_the_command_line_status_overrides_the_spec(ws: Path, tmp_path: Path) -> None:
    path = spec(ws, "uk", "alpha", "status: draft\n")
    result = runner.invoke(app, ["build", str(path), "-f", "md", "-o", str(tmp_path), "--status", "final"])
    assert result.exit_code == 0, result.output
    assert "status:" not in (tmp_path / "spec.md").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["build", str(path), "-f", "md", "-o", str(tmp_path), "--status", "proof"])
    assert bad.exit_code == 2 and "unknown status 'proof'" in bad.output


# ---- labels for machines ---------------------------------------------------------------------------

def test_custom_properties_pdf_information_and_xmp_carry_the_marking_and_status(ws: Path, tmp_path: Path) -> None:
    import docx
    import pikepdf

    result = build(spec(ws, "us", "alpha, beta", "marking: CUI//NOFORN\nstatus: draft\n"), formats="docx,pdf",
                   out_dir=tmp_path)
    expected = {"Classification": "CUI//NOFORN", "ClassificationLevel": "CUI", "ClassificationScheme": "us",
                "DocumentStatus": "Draft"}
    package = docx.Document(str(result.outputs["docx"])).part.package
    custom = next(p for p in package.iter_parts() if p.partname == "/docProps/custom.xml")
    assert custom.content_type == "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    from lxml import etree

    props = {p.get("name"): p[0].text for p in etree.fromstring(custom.blob)}
    assert props == expected
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        assert {k: str(pdf.docinfo[f"/{k}"]) for k in expected} == expected
        xmp = pdf.open_metadata()
        ns = "https://briefgen.invalid/ns/marking/1.0/"
        assert {k: xmp.get(f"{{{ns}}}{k}") for k in expected} == expected


def test_the_theme_names_the_properties(ws: Path, tmp_path: Path) -> None:
    import docx

    (ws / "themes" / "uk" / "theme.yaml").write_text(
        "marking_scheme: uk\nlabels: {marking: ProtectiveMarking, scheme: ''}\n", encoding="utf-8")
    result = build(spec(ws, "uk", "alpha, beta"), formats="docx", out_dir=tmp_path)
    package = docx.Document(str(result.outputs["docx"])).part.package
    custom = next(p for p in package.iter_parts() if p.partname == "/docProps/custom.xml")
    assert b'name="ProtectiveMarking"' in custom.blob and b"ClassificationScheme" not in custom.blob


# ---- a theme's own scheme, and check ---------------------------------------------------------------

OWN = """name: embassy-eu
levels:
  - name: PUBLIC
    covers: [public]
    banner: ""
  - name: LIMITE
    covers: [official]
    portion: LIM
    colour: "#123456"
"""


def test_a_theme_s_own_scheme_marks_and_check_reports_what_it_cannot(ws: Path, tmp_path: Path) -> None:
    theme = ws / "themes" / "eu"
    theme.mkdir()
    (theme / "theme.yaml").write_text("marking_scheme: levels.yaml\nportion_marks: true\n", encoding="utf-8")
    (theme / "levels.yaml").write_text(OWN, encoding="utf-8")
    doc = build(spec(ws, "eu", "alpha, beta"), formats="md", out_dir=tmp_path).assembly.document
    assert (doc.meta.marking, doc.meta.marking_colour) == ("LIMITE", "#123456")
    assert any(t.startswith("(LIM) ") for t in leaf_texts(doc.blocks))
    beta = ws / "content" / "modules" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("sensitivity: official", "sensitivity: official-sensitive"),
                    encoding="utf-8")
    with pytest.raises(ThemeError, match="no level of the 'embassy-eu' marking scheme covers"):
        build(spec(ws, "eu", "alpha, beta"), formats="md", out_dir=tmp_path)
    result = runner.invoke(app, ["check", "--workspace", str(ws)])
    assert f"{beta}:7: module 'beta' has sensitivity 'official-sensitive', which no level of the 'embassy-eu'" \
        in result.output
    (theme / "levels.yaml").write_text(OWN.replace('"#123456"', '"#ffcc00"'), encoding="utf-8")
    result = runner.invoke(app, ["check", "--workspace", str(ws)])
    assert f"{theme / 'levels.yaml'}: marking level 'LIMITE': colour #ffcc00 on white has contrast" in result.output
    (theme / "levels.yaml").write_text(OWN.replace('"#123456"', "teal"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--workspace", str(ws)])
    assert result.exit_code == 1
    assert f"{theme / 'levels.yaml'}:2: levels.1.colour: 'teal' is not a colour" in result.output


def test_a_spec_s_own_section_takes_part_in_the_roll_up(ws: Path, tmp_path: Path) -> None:
    section = ("modules:\n  - alpha\n  - title: Handling advice\n    sensitivity: official-sensitive\n"
               "    text: Share this with the Private Office only.\n")
    path = ws / "own.yaml"
    path.write_text(SPEC.format(scheme="uk") + section, encoding="utf-8")
    doc = build(path, formats="md", out_dir=tmp_path).assembly.document
    assert doc.meta.marking == "OFFICIAL-SENSITIVE"
    path.write_text(SPEC.format(scheme="uk") + "marking: OFFICIAL\n" + section, encoding="utf-8")
    with pytest.raises(SpecError, match=r"marking 'OFFICIAL' is lower than section 'Handling advice' "
                                        r"\(official-sensitive\): mark it OFFICIAL-SENSITIVE or leave it out"):
        build(path, formats="md", out_dir=tmp_path)
    # without a sensitivity of its own, a section has the one the spec's marking stands for
    path.write_text(SPEC.format(scheme="us") + "marking: CUI\n" + section.replace(
        "    sensitivity: official-sensitive\n", ""), encoding="utf-8")
    doc = build(path, formats="md", out_dir=tmp_path).assembly.document
    texts = leaf_texts(doc.blocks)
    assert any(t.startswith("(CUI) Share this with the Private Office") for t in texts), texts


def test_a_theme_naming_an_unknown_scheme_is_reported_with_its_line(ws: Path, tmp_path: Path) -> None:
    (ws / "themes" / "uk" / "theme.yaml").write_text("page: {size: A4}\nmarking_scheme: eu\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--workspace", str(ws)])
    assert result.exit_code == 1
    assert f"{ws / 'themes' / 'uk' / 'theme.yaml'}:2: marking_scheme: unknown scheme 'eu'" in result.output
    with pytest.raises(ThemeError, match="unknown scheme 'eu'"):
        build(spec(ws, "uk", "alpha"), formats="md", out_dir=tmp_path)


def test_the_html_brief_gets_the_portion_marks_and_the_level_s_colour(ws: Path, tmp_path: Path) -> None:
    html = build(spec(ws, "us", "alpha, beta"), formats="html", out_dir=tmp_path).outputs["html"].read_text(
        encoding="utf-8")
    assert "<h1>(U) Ceasefire brief</h1>" in html
    assert re.search(r"<p>\(CUI\) Fighting began on 27\s+September 2020", html)    # \s: a no-break space
    assert re.search(r'<p class="marking marking-top">CUI</p>', html)
    assert "color: #502b85" in html   # the US scheme's CUI colour, as in the DOCX and PDF
