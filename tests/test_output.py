"""The output folder: inside the project, unless the command line names another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.build_stamp import STATE_DIR

from .conftest import REPO, run_cli
from .test_errors import assert_failed, line_of, patch

ROSTER = REPO / "tests" / "data" / "recipients-20.csv"


def roster(folder: Path, rows: int) -> Path:
    lines = ROSTER.read_text("utf-8").splitlines(keepends=True)
    path = folder / f"recipients-{rows}.csv"
    path.write_text("".join(lines[:rows + 1]), "utf-8")
    return path


# --- inside the project -------------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the project holding someone's file, which nothing may touch."""
    folder = tmp_path / "elsewhere"
    (folder / "letter" / STATE_DIR).mkdir(parents=True)
    (folder / "precious.txt").write_text("mine\n", "utf-8")
    (folder / "letter" / "precious.txt").write_text("mine\n", "utf-8")
    (folder / "letter" / ".precious.txt.abcd1234.tmp").write_text("mine\n", "utf-8")
    # a stamp as a batch leaves it, naming a file: an old batch run would delete it
    (folder / "letter" / STATE_DIR / "someone-gone.json").write_text(
        json.dumps({"fingerprint": "x", "files": {"precious.txt": 5}}), "utf-8")
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_refuses_an_output_folder_linked_out_of_the_project(project, elsewhere):
    before = listing(elsewhere)
    (project / "build").symlink_to(elsewhere, target_is_directory=True)
    line = line_of(project, "briefgen.yaml", "output: build")
    out = assert_failed(run_cli("build", str(project), "--format", "html"))
    assert (f"briefgen.yaml:{line}: output: 'build' leads out of the project: build is a "
            f"symbolic link to {elsewhere}, outside the project") in out
    assert "--out" in out
    assert listing(elsewhere) == before


def test_the_default_output_folder_is_named_as_a_path(project, elsewhere):
    patch(project, "briefgen.yaml", "output: build ", "# output: build ")
    before = listing(elsewhere)
    (project / "build").symlink_to(elsewhere, target_is_directory=True)
    out = assert_failed(run_cli("build", str(project), "--format", "html"))
    assert f"build: build is a symbolic link to {elsewhere}, outside the project" in out
    assert listing(elsewhere) == before


def test_a_batch_refuses_an_output_folder_linked_out_of_the_project(project, elsewhere):
    before = listing(elsewhere)
    (project / "build").symlink_to(elsewhere, target_is_directory=True)
    out = assert_failed(run_cli("batch", "letter", "-r", str(roster(project, 2)),
                                "--project", str(project), "--jobs", "1"))
    assert "'build' leads out of the project: build is a symbolic link to" in out
    assert listing(elsewhere) == before  # nothing written, nothing deleted


def test_a_batch_refuses_its_own_folder_linked_out_of_the_project(project, elsewhere):
    before = listing(elsewhere)
    (project / "build").mkdir()
    (project / "build" / "letter").symlink_to(elsewhere / "letter", target_is_directory=True)
    out = assert_failed(run_cli("batch", "letter", "-r", str(roster(project, 2)),
                                "--project", str(project), "--jobs", "1"))
    assert (f"'build' leads out of the project: build/letter is a symbolic link to "
            f"{elsewhere / 'letter'}, outside the project") in out
    assert listing(elsewhere) == before


def test_a_link_loop_is_refused(project):
    (project / "build").symlink_to("build")
    out = assert_failed(run_cli("build", str(project), "--format", "html"))
    assert "build is a symbolic link that leads back to itself" in out


def test_out_on_the_command_line_may_be_anywhere(project, tmp_path, monkeypatch):
    (project / "build").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    chosen = tmp_path / "chosen"
    result = run_cli("build", str(project), "--format", "html", "--out", str(chosen))
    assert result.exit_code == 0, result.output
    assert (chosen / "brief.html").is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741910400")
    result = run_cli("batch", "letter", "-r", str(roster(project, 1)), "--project",
                     str(project), "--jobs", "1", "--format", "pdf", "--out", str(chosen))
    assert result.exit_code == 0, result.output
    assert (chosen / "schwabe-frank.pdf").is_file()


# --- what cannot be written ---------------------------------------------------------------


def test_problems_travel_from_a_worker_whole():
    import pickle

    from briefgen.errors import BriefgenError, Problem

    error = BriefgenError([Problem("build", None, None, "cannot write")])
    assert pickle.loads(pickle.dumps(error)).problems == error.problems
