"""The output folder: inside the project, written all at once, one run at a time, and a
folder that cannot be written is a problem, not a traceback (output.py).

Builds here make HTML (the quickest format); a set of several files is the case
sheets of `--split`, one per case. Builds are byte-reproducible in any folder, so
"consistent" is checked against a clean build of the same content elsewhere.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefgen import output
from briefgen.build import BuildRequest, build
from briefgen.errors import BriefgenError
from briefgen.output import STATE_DIR

from .conftest import REPO, default_sigint, run_cli
from .test_errors import assert_failed, line_of, patch

CASE = "content/cases/02-saniya-toiken.md"
SPLIT = ("-t", "case-sheet", "--split", "--format", "html")
ROSTER = REPO / "tests" / "data" / "recipients-20.csv"


def files(folder: Path) -> dict[str, bytes]:
    """The outputs in a folder (not its state folder)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staged files and journals: none may be left once a run has finished."""
    return sorted(p.name for p in folder.rglob("*")
                  if p.name.endswith((".tmp", output.JOURNAL_SUFFIX)))


def change(project: Path) -> None:
    """A new title: every case sheet shows it."""
    patch(project, "content/brief.yaml", "\ntitle: Magnitsky sanctions",
          "\ntitle: Revised Magnitsky sanctions")


def split(project: Path, *args: str) -> None:
    result = run_cli("build", str(project), *SPLIT, *args)
    assert result.exit_code == 0, result.output


def clean_build(project: Path, out: Path) -> dict[str, bytes]:
    """What a build of the project's current content makes, in a folder of its own."""
    split(project, "--out", str(out))
    return files(out)


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


def test_a_state_folder_linked_elsewhere_is_refused(project, elsewhere):
    before = listing(elsewhere)
    (project / "build").mkdir()
    (project / "build" / STATE_DIR).symlink_to(elsewhere, target_is_directory=True)
    out = assert_failed(run_cli("build", str(project), "--format", "html"))
    assert f"{STATE_DIR}: is a symbolic link; briefgen keeps its own state there" in out
    assert listing(elsewhere) == before


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


# --- all or nothing -----------------------------------------------------------------------


def test_a_rename_failing_half_way_is_finished_by_the_next_build(project, tmp_path,
                                                                  monkeypatch):
    split(project)
    old = files(project / "build")
    change(project)
    expected = clean_build(project, tmp_path / "reference")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        if Path(src).name.endswith(".tmp") and Path(dst).suffix == ".html":
            calls.append(dst)
            if len(calls) == 2:
                raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    out = assert_failed(run_cli("build", str(project), *SPLIT))
    monkeypatch.undo()
    assert "cannot write to this folder: input/output error" in out
    assert "some outputs are new and some old: the next build or batch" in out
    now = files(project / "build")
    assert sum(now[n] != old[n] for n in old) == 1  # one replaced, twelve not: a mix
    assert len(list((project / "build" / STATE_DIR).glob("*.journal"))) == 1

    # the next build, even one that stops at a problem in the content, finishes the switch
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    assert_failed(run_cli("build", str(project), *SPLIT))
    assert files(project / "build") == expected
    assert leftovers(project / "build") == []


def test_a_build_killed_between_renames_is_finished_by_the_next_one(project, tmp_path):
    split(project)
    change(project)
    expected = clean_build(project, tmp_path / "reference")
    proc = run_signalled(project, "replace", signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert files(project / "build") != expected  # a mix of old and new
    assert list((project / "build" / STATE_DIR).glob("*.journal"))
    split(project)
    assert files(project / "build") == expected
    assert leftovers(project / "build") == []


@pytest.mark.parametrize("when", ["fsync", "replace"])
def test_ctrl_c_while_writing_says_what_the_outputs_are(project, tmp_path, when):
    """Ctrl-C while files are staged leaves the old set; during the renames it waits for
    them to end, and the new set is there. Either way: exit 130 and what is there."""
    split(project)
    old = files(project / "build")
    change(project)
    expected = clean_build(project, tmp_path / "reference")
    proc = run_signalled(project, when, signal.SIGINT)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr
    folder = project / "build"
    if when == "fsync":
        assert (f"interrupted: nothing was written; the files in {folder} are as the previous "
                "build left them") in proc.stderr
        assert files(folder) == old
    else:
        assert (f"interrupted after the new outputs were written: {folder} holds all of them"
                in proc.stderr)
        assert files(folder) == expected
    assert leftovers(folder) == []


SIGNALLED = """
import os, signal, sys
from pathlib import Path

when, number, project = sys.argv[1], int(sys.argv[2]), sys.argv[3]
real = getattr(os, when)

def signalled(*args):
    result = real(*args)
    staged = when == "fsync" or Path(args[0]).name.endswith(".tmp")
    if staged and not getattr(signalled, "done", False):
        signalled.done = True
        os.kill(os.getpid(), number)  # SIGKILL ends here; SIGINT is raised when it may
    return result

setattr(os, when, signalled)
from briefgen.cli import main
sys.argv = ["briefgen", "build", project, *{split!r}]
main()
"""


def run_signalled(project: Path, when: str, number: int) -> subprocess.CompletedProcess[str]:
    """`briefgen build --split` in a process that signals itself right after the first
    file is staged (fsync) or the first output replaced (replace)."""
    script = SIGNALLED.replace("{split!r}", repr(list(SPLIT)))
    return subprocess.run([sys.executable, "-c", script, when, str(int(number)), str(project)],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=default_sigint)


def test_stale_temporary_files_go_and_nothing_else(project, tmp_path):
    assert run_cli("build", str(project), "--format", "html").exit_code == 0
    folder, state = project / "build", project / "build" / STATE_DIR
    ours = [folder / ".brief.html.abcd_123.tmp", state / ".brief.html.0a1b2c3d.tmp"]
    theirs = [folder / "notes.tmp", folder / ".notes.tmp", folder / ".brief.html.ABCD1234.tmp",
              state / "notes.abcd1234.tmp"]
    for path in ours + theirs:
        path.write_text("x", "utf-8")
    (folder / ".a.abcdefgh.tmp").mkdir()
    target = tmp_path / "target.txt"
    target.write_text("kept", "utf-8")
    (folder / ".link.abcdefgh.tmp").symlink_to(target)
    result = run_cli("build", str(project), "--format", "html")  # nothing changed
    assert result.exit_code == 0 and "up to date" in result.stderr
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in theirs)
    assert (folder / ".a.abcdefgh.tmp").is_dir() and (folder / ".link.abcdefgh.tmp").is_symlink()
    assert target.read_text("utf-8") == "kept"


def test_a_planted_journal_moves_nothing(tmp_path):
    folder = tmp_path / "build"
    state = folder / STATE_DIR
    state.mkdir(parents=True)
    (state / ".x.abcdefgh.tmp").write_text("planted", "utf-8")
    (tmp_path / "victim.txt").write_text("kept", "utf-8")
    for n, target in enumerate(["../victim.txt", "/etc/hostname", f"{STATE_DIR}/lock",
                                "a/b.html", ".hidden"]):
        journal = state / f"{output.JOURNAL_PREFIX}{n}{output.JOURNAL_SUFFIX}"
        journal.write_text(json.dumps({"format": 1, "files": [
            [f"{STATE_DIR}/.x.abcdefgh.tmp", target]]}), "utf-8")
    (state / f"{output.JOURNAL_PREFIX}fifo{output.JOURNAL_SUFFIX}").mkdir()  # not a file
    output.tidy(folder)
    assert (tmp_path / "victim.txt").read_text("utf-8") == "kept"
    assert sorted(p.name for p in folder.rglob("*")) == [
        STATE_DIR, "lock", f"{output.JOURNAL_PREFIX}fifo{output.JOURNAL_SUFFIX}"]


# --- one run at a time --------------------------------------------------------------------


def test_six_concurrent_batches_in_one_folder(project):
    recipients = roster(project, 3)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1741910400"}
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "batch", "letter", "-r",
                               str(recipients), "--project", str(project), "--jobs", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env, preexec_fn=default_sigint)
             for _ in range(6)]
    results = [proc.communicate(timeout=300) for proc in procs]
    for proc, (_, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    out = project / "build" / "letter"
    made = [int(re.search(r"^(\d+) made, ", stderr, re.M).group(1)) for _, stderr in results]
    assert sum(made) == 3  # each letter made once: the runs took turns
    assert any(f"waiting for another briefgen run in {out}…" in stderr for _, stderr in results)
    assert leftovers(out) == []
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["built"] + manifest["counts"]["unchanged"] == 3


def test_a_build_waits_for_the_run_holding_its_folder(project):
    assert run_cli("build", str(project), "--format", "html").exit_code == 0
    change(project)
    folder = project / "build"
    before = files(folder)
    with output.locked(folder):  # as another build or batch would
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", str(project),
                                 "--format", "html"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
        timer = threading.Timer(120, proc.kill)
        timer.start()
        try:
            assert proc.stderr is not None
            line = proc.stderr.readline()
        finally:
            timer.cancel()
        assert line == f"waiting for another briefgen run in {folder}…\n"
        time.sleep(0.2)
        assert proc.poll() is None and files(folder) == before
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert files(folder) != before


# --- what cannot be written ---------------------------------------------------------------


@pytest.mark.parametrize(("number", "reason"), [(errno.EACCES, "permission denied"),
                                                (errno.EROFS, "read-only file system"),
                                                (errno.ENOSPC, "no space left on device")])
def test_a_folder_that_cannot_be_written_is_a_problem(project, monkeypatch, number, reason):
    split(project)
    folder = project / "build"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()
              if p.is_file()}
    change(project)

    def refused(*_args):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(os, "write", refused)  # staging a file: the disk says no
    out = assert_failed(run_cli("build", str(project), *SPLIT))
    monkeypatch.undo()
    assert (f"{folder}: cannot write to this folder: {reason}; the files already in it are "
            "as they were") in out
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()
            if p.is_file()} == before
    assert leftovers(folder) == []


def unprivileged() -> list[str]:
    """A command prefix under which permissions hold: as root, without the capabilities
    that let root write anywhere (setpriv, util-linux)."""
    if sys.platform == "win32":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("root writes in read-only folders, and setpriv is not installed")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_folder_is_a_problem(project):
    split(project)
    folder = project / "build"
    before = files(folder)
    change(project)
    for path in (folder, folder / STATE_DIR):
        path.chmod(0o555)
    try:
        proc = subprocess.run([*unprivileged(), sys.executable, "-m", "briefgen", "build",
                               str(project), *SPLIT], capture_output=True, text=True,
                              timeout=120, preexec_fn=default_sigint)
    finally:
        for path in (folder, folder / STATE_DIR):
            path.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (f"{folder}: cannot write to this folder: permission denied; the files already in "
            "it are as they were") in proc.stderr
    assert files(folder) == before
    assert leftovers(folder) == []


@pytest.mark.parametrize("where", ["parent", "worker"])
def test_a_full_disk_stops_a_batch_with_a_problem(project, monkeypatch, where):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741910400")
    parent = os.getpid()
    real_write = os.write

    def full(fd, data):
        if where == "parent" or os.getpid() != parent:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    out = assert_failed(run_cli("batch", "letter", "-r", str(roster(project, 4)),
                                "--project", str(project), "--jobs", "2", "--format", "pdf"))
    monkeypatch.undo()
    folder = project / "build" / "letter"
    assert f"{folder}: cannot write to this folder: no space left on device" in out
    assert leftovers(folder) == []


def test_problems_travel_from_a_worker_whole():
    import pickle

    from briefgen.errors import Problem

    error = BriefgenError([Problem("build", None, None, "cannot write")])
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_the_library_reports_an_interruption_with_the_folder(project, monkeypatch):
    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(output.Interrupted) as stopped:
        build(BuildRequest(project_dir=project, formats=["html"]))
    assert stopped.value.folder == project / "build" and not stopped.value.written
