"""LibreOffice accepting or rejecting every tracked change of a DOCX, as a reviewer would.

LibreOffice has no command-line switch for this, so a Basic macro in a throwaway profile's own
library ("My Macros", which LibreOffice trusts) loads each file hidden, dispatches
``.uno:AcceptAllTrackedChanges`` (or ``Reject...``) and saves the result as DOCX, for pandoc to
read back. One soffice process does every job.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.clients import needs, run

__all__ = ["soffice_resolve"]

_MACRO = """REM accept or reject every tracked change of each file, then save it as DOCX
Sub Run(jobs As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden" : hidden(0).Value = True
  Dim save(0) As New com.sun.star.beans.PropertyValue
  save(0).Name = "FilterName" : save(0).Value = "MS Word 2007 XML"
  helper = createUnoService("com.sun.star.frame.DispatchHelper")
  For Each job In Split(jobs, "|")
    parts = Split(job, "&gt;")
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(parts(1)), "_blank", 0, hidden())
    helper.executeDispatch(doc.CurrentController.Frame, ".uno:" &amp; parts(0) &amp; "AllTrackedChanges", "", 0, Array())
    doc.storeToURL(ConvertToURL(parts(2)), save())
    doc.close(True)
  Next job
End Sub
"""
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_LIB = "http://openoffice.org/2000/library"


def _install_macro(profile: Path) -> None:
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    (basic / "Standard" / "Module1.xba").write_text(
        _HEAD + '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">{_MACRO}</script:module>\n', encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _HEAD + f'<library:library xmlns:library="{_LIB}" library:name="Standard" library:readonly="false" '
        'library:passwordprotected="false"><library:element library:name="Module1"/></library:library>\n',
        encoding="utf-8")
    (basic / "script.xlc").write_text(
        _HEAD + f'<library:libraries xmlns:library="{_LIB}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<library:library library:name="Standard" library:link="false"/></library:libraries>\n', encoding="utf-8")


def soffice_resolve(jobs: list[tuple[str, Path, Path]], *, timeout: float = 240) -> None:
    """Run each ``(mode, source, target)``: mode "Accept" or "Reject" every change of ``source``,
    saved as the DOCX ``target``. Fails the test if any target is not written."""
    needs("soffice")
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as tmp:
        profile = Path(tmp) / "profile"
        env = {**os.environ, "HOME": tmp}
        base = [f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        run(["soffice", *base, "--terminate_after_init"], timeout=timeout, env=env)  # the profile first
        _install_macro(profile)
        spec = "|".join(f"{mode}>{src.resolve()}>{dst.resolve()}" for mode, src, dst in jobs)
        run(["soffice", *base, f'macro:///Standard.Module1.Run("{spec}")'], timeout=timeout, env=env)
    missing = [str(dst) for _, _, dst in jobs if not dst.is_file()]
    if missing:
        pytest.fail(f"LibreOffice wrote nothing for {', '.join(missing)}", pytrace=False)
