"""Shared fixtures: workspaces in temporary folders, and the --accept switch for golden files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_WS = Path(__file__).resolve().parent / "fixtures" / "ws"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--accept", action="store_true",
                     help="rewrite golden files from the current output (review the diff before committing)")


@pytest.fixture
def accept(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--accept"))


def make_workspace(dest: Path, content: Path) -> Path:
    """A workspace with the given content and the repository's templates and themes."""
    shutil.copytree(content, dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "themes", dest / "themes")
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
