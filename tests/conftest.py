"""Shared fixtures: a throw-away copy of the example project, and one build of it.

Building the example takes a few seconds, so it is built once per test session:
the brief in English and French, and every built-in template in every format,
all from one copy of the example that the tests sharing it only read.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import Any

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
def example_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project every session-wide build reads; tests do not change it."""
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def example_brief(example_root: Path) -> dict[str, BuildResult]:
    """The brief as `briefgen build` makes it by default, and in French."""
    return {
        "en": build(BuildRequest(project_dir=example_root)),
        "fr": build(BuildRequest(project_dir=example_root, lang="fr", formats=["pdf"])),
    }


@pytest.fixture(scope="session")
def built(example_brief: dict[str, BuildResult]) -> dict[str, BuildResult]:
    return example_brief


# The Word writer measures its contents' page numbers with LibreOffice when it is
# installed (a second or more per document with contents); the tests that are about
# that measurement turn it back on (test_docx_pages.py), the others build without it.
os.environ.setdefault("BRIEFGEN_SOFFICE", "0")

WHOLE_DOCUMENT_TEMPLATES = ("brief", "handout", "case-sheet", "dossier")
FORMATS = ("pdf", "html", "docx")


@pytest.fixture(scope="session")
def kit(example_root: Path, example_brief: dict[str, BuildResult]) -> dict[str, Any]:
    """Every whole-document template in every format ({name: {format: path}}), the
    dossier also in French ("dossier.fr"), and the project's "root"."""
    def files(result: BuildResult) -> dict[str, Path]:
        return {p.suffix[1:]: p for p in result.outputs}

    made: dict[str, Any] = {"root": example_root}
    # the brief's PDF and HTML are the default build's
    made["brief"] = files(example_brief["en"]) | files(
        build(BuildRequest(project_dir=example_root, formats=["docx"])))
    for name in WHOLE_DOCUMENT_TEMPLATES[1:]:
        made[name] = files(build(BuildRequest(project_dir=example_root, template=name,
                                              formats=list(FORMATS))))
    made["dossier.fr"] = files(build(BuildRequest(project_dir=example_root, template="dossier",
                                                  lang="fr", formats=["pdf", "docx"])))
    return made


def default_sigint() -> None:
    """For a command started in a subprocess (preexec_fn): a shell starts background jobs
    with SIGINT ignored and a child inherits that, so the command under test gets Ctrl-C
    as a terminal delivers it, however the test run itself was started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)
