"""Headless Chromium from Debian's packages, driven by Selenium, with axe-core from the npm registry
(``tests/browser/package.json``, installed there on first use as ``scripts/test`` does)."""

from __future__ import annotations

import base64
import subprocess
import tempfile
from pathlib import Path

__all__ = ["start_chromium", "axe_source", "run_axe", "print_pdf", "AXE_TAGS", "SCREENS"]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
SCREENS = BROWSER_DIR / "screens"      # first-screen screenshots, for a person to look at
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900"]


def start_chromium():
    """A fresh headless Chromium (its own profile folder) under chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="briefgen-chromium-"))
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def axe_source() -> str:
    """axe-core's script, installed from the npm registry at the exact version package.json names."""
    script = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        subprocess.run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=BROWSER_DIR, check=True, timeout=300)
    return script.read_text(encoding="utf-8")


_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done({version: r.testEngine.version, violations: r.violations.map(v => ({
      id: v.id, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}))}))
  .catch(e => done({error: String(e)}));
"""


def run_axe(driver, source: str) -> dict:
    """axe-core's WCAG 2.0-2.2 A and AA rules on the loaded page: ``{"version", "violations"}``."""
    driver.set_script_timeout(60)
    driver.execute_script(source)
    result = driver.execute_async_script(_RUN, AXE_TAGS)
    assert "error" not in result, result
    return result


def print_pdf(driver) -> bytes:
    """The loaded page printed as Chromium prints it (its print stylesheet, CSS page size)."""
    return base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {
        "printBackground": True, "preferCSSPageSize": True})["data"])
