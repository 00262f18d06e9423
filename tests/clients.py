"""Helpers for tests that check output with real programs: pandoc, LibreOffice, poppler, qpdf.

Each helper runs one client with a timeout and returns its result; a test that needs a client that
is not installed is skipped (``needs("soffice")``), never failed. LibreOffice runs with a throwaway
profile and a fontconfig file that adds the fontpkg font folders, so it lays text out with the same
Fira Sans / IBM Plex Serif files as the PDF writer instead of substituting a system font.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = [
    "needs", "run", "fonts_conf", "soffice_convert", "pdf_pages", "pdftotext_pages",
    "pandoc_markdown", "squash",
]

# Families the shipped themes use; their folders go into LibreOffice's fontconfig.
FAMILIES = ("Fira Sans", "IBM Plex Serif")


def needs(*programs: str) -> None:
    """Skip the calling test unless every program is on PATH."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


def run(args: list[str], *, timeout: float = 180, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a client; a non-zero exit fails the test with its stderr (not a bare CalledProcessError)."""
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    if proc.returncode != 0:
        pytest.fail(f"{args[0]} exited {proc.returncode}\nstdout: {proc.stdout[-2000:]}\n"
                    f"stderr: {proc.stderr[-2000:]}", pytrace=False)
    return proc


def fonts_conf(folder: Path, families: tuple[str, ...] = FAMILIES) -> Path:
    """Write ``folder/fonts.conf``: the system configuration plus the fontpkg font folders."""
    from briefgen.fonts import find_family

    dirs = sorted({str(find_family(name).regular.parent) for name in families})
    cache = folder / "fc-cache"
    cache.mkdir(parents=True, exist_ok=True)
    body = "\n".join(f"  <dir>{d}</dir>" for d in dirs)
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{body}\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return path


def soffice_convert(src: Path, fmt: str = "pdf", outdir: Path | None = None,
                    *, timeout: float = 240) -> Path:
    """Convert ``src`` with headless LibreOffice (``fmt`` e.g. "pdf", "odt"); return the new file.

    A fresh profile per call keeps runs independent (two soffice processes may not share one), and
    fails the test if LibreOffice reports an error or writes nothing.
    """
    needs("soffice")
    outdir = outdir or src.parent
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path)), "HOME": tmp}
        proc = run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                    "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   timeout=timeout, env=env)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    if not out.is_file() or "Error" in proc.stderr:
        pytest.fail(f"soffice did not convert {src.name}: {proc.stdout} {proc.stderr}", pytrace=False)
    return out


def pdftotext_pages(pdf: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (``pdftotext -layout``), in order."""
    needs("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = run(args).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return pages


def pdf_pages(pdf: Path) -> int:
    """Number of pages, from qpdf (independent of the text extraction)."""
    needs("qpdf")
    return int(run(["qpdf", "--show-npages", str(pdf)]).stdout.strip())


def pandoc_markdown(src: Path, fmt: str = "docx") -> str:
    """What pandoc reads from ``src``, written as pandoc Markdown (footnotes as ``[^n]`` blocks)."""
    needs("pandoc")
    return run(["pandoc", "-f", fmt, "-t", "markdown", "--wrap=none", str(src)]).stdout


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, so wrapped and unwrapped text compare equal."""
    return re.sub(r"\s+", " ", text).strip()
