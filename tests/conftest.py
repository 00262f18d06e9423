"""Shared fixtures: workspaces in temporary folders, and the --accept switch for golden files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_WS = Path(__file__).resolve().parent / "fixtures" / "ws"


def pytest_configure(config: pytest.Config) -> None:
    # briefgen's per-user disk cache (briefgen/cache/): a fresh one for the run, inherited by
    # the commands tests start, never the user's own
    os.environ["BRIEFGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="briefgen-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("BRIEFGEN_CACHE_DIR", ""), ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--accept", action="store_true",
                     help="rewrite golden files from the current output (review the diff before committing)")
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (minutes; scripts/test, and so CI, always does)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (scripts/test does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def accept(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--accept"))


def make_workspace(dest: Path, content: Path) -> Path:
    """A workspace with the given content and the repository's templates and themes."""
    shutil.copytree(content, dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "themes", dest / "themes")
    return dest


def regen_workspace(dest: Path, specs: dict[str, str]) -> Path:
    """A workspace with the real content library and the given specs (name: YAML text) in
    ``specs/``, the folder a regen run is pointed at."""
    make_workspace(dest, REPO / "content")
    (dest / "specs").mkdir()
    for name, text in specs.items():
        (dest / "specs" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return dest


@pytest.fixture
def fixture_ws(tmp_path: Path) -> Path:
    """The small, stable test library (two modules, three sources) as a workspace."""
    return make_workspace(tmp_path / "ws", FIXTURE_WS / "content")


@pytest.fixture
def repo_ws(tmp_path: Path) -> Path:
    """A copy of the real content library, safe to modify."""
    ws = make_workspace(tmp_path / "repo", REPO / "content")
    shutil.copytree(REPO / "examples", ws / "examples")
    return ws


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session's browser tests (tests/chromium.py)."""
    from .chromium import start_chromium

    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()
