"""Shared fixtures: a throw-away copy of the example project, and one build of it.

Building the example takes a few seconds, so the English and French PDFs are
built once per test session and shared by every test that only reads them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.build import BuildRequest, BuildResult, build
from briefgen.cli import cli

REPO = Path(__file__).resolve().parents[1]


def copy_example(target: Path) -> Path:
    """The repository root is the example project; copy just its project files."""
    shutil.copytree(REPO / "content", target / "content")
    shutil.copyfile(REPO / "briefgen.yaml", target / "briefgen.yaml")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    root = copy_example(tmp_path_factory.mktemp("example"))
    return {
        "en": build(BuildRequest(project_dir=root)),
        "fr": build(BuildRequest(project_dir=root, lang="fr", formats=["pdf"])),
    }


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)
