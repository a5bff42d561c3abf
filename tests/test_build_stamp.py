"""`briefgen build` with nothing changed: says the outputs are up to date and writes nothing.

Each test builds a copy of the example (HTML only, the quickest format), changes
one thing or nothing, builds again and looks at what the second build did: its
`up_to_date` answer and whether the output file was rewritten (its mtime_ns).
How fast the up-to-date answer is, is measured by bench/bench_build_stamp.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen import build_stamp
from briefgen.build import BuildRequest, BuildResult, build
from briefgen.errors import BriefgenError, Problem

from .conftest import REPO, run_cli

CASE = "content/cases/02-saniya-toiken.md"


def html(project: Path, **options: object) -> BuildResult:
    return build(BuildRequest(project_dir=project, formats=["html"], **options))


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def stamps(project: Path) -> list[Path]:
    return sorted((project / "build" / build_stamp.STATE_DIR).glob("build-*.json"))


@pytest.fixture
def built(project: Path) -> Path:
    """The example built once (HTML); returns the output."""
    result = html(project)
    assert not result.up_to_date
    (output,) = result.outputs
    return output


def test_a_second_build_with_nothing_changed_writes_nothing(project, built):
    before = mtime(built)
    again = html(project)
    assert again.up_to_date
    assert again.outputs == [built]
    assert mtime(built) == before
    assert len(stamps(project)) == 1


def test_an_edited_case_is_rebuilt(project, built):
    case = project / CASE
    case.write_text(case.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    again = html(project)
    assert not again.up_to_date
    assert "One more sentence." in built.read_text("utf-8")
    assert html(project).up_to_date


def test_a_touch_alone_is_not_a_change(project, built):
    before = mtime(built)
    later = time.time_ns() + 5_000_000_000
    os.utime(project / CASE, ns=(later, later))
    assert html(project).up_to_date
    assert mtime(built) == before


def test_a_same_size_edit_just_before_a_build_is_seen_even_if_its_time_stays(project):
    """A file saved moments before the listing may be saved again within the file
    system's timestamp resolution: its time is not trusted, its bytes are compared."""
    case = project / CASE
    now = time.time_ns()
    os.utime(case, ns=(now, now))
    html(project)
    text = case.read_text("utf-8")
    case.write_text(text.replace("Saniya", "Sanija", 1), "utf-8")
    os.utime(case, ns=(now, now))  # as if within the same clock tick
    assert not html(project).up_to_date


def test_a_new_case_file_is_rebuilt(project, built):
    source = (project / "content/cases/13-max-bokayev.md").read_text("utf-8")
    (project / "content/cases/14-new-person.md").write_text(
        source.replace("max-bokayev", "new-person").replace("Max Bokayev", "Nova Person"),
        "utf-8")
    assert not html(project).up_to_date
    assert "Nova Person" in built.read_text("utf-8")


def test_a_deleted_or_edited_output_is_rebuilt(project, built):
    built.unlink()
    assert not html(project).up_to_date
    assert built.is_file()
    built.write_text("edited by hand", "utf-8")
    assert not html(project).up_to_date
    assert "edited by hand" not in built.read_text("utf-8")


def test_each_variant_has_its_own_stamp(project, built):
    english = mtime(built)
    french = html(project, lang="fr")
    assert not french.up_to_date
    assert [p.name for p in french.outputs] == ["brief.fr.html"]
    assert html(project).up_to_date and mtime(built) == english
    assert html(project, lang="fr").up_to_date
    assert len(stamps(project)) == 2


def test_force_rebuilds(project, built):
    before = mtime(built)
    forced = html(project, force=True)
    assert not forced.up_to_date
    assert mtime(built) != before
    assert html(project).up_to_date  # the forced build left its own stamp


def test_another_briefgen_version_rebuilds(project, built, monkeypatch):
    monkeypatch.setattr(build_stamp, "__version__", "99.0")
    assert not html(project).up_to_date
    assert html(project).up_to_date


def test_another_date_rebuilds(project, built, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not html(project).up_to_date
    assert html(project).up_to_date


def test_a_damaged_stamp_means_build_again(project, built):
    (stamp,) = stamps(project)
    stamp.write_text('{"format": 1, "settings": ', "utf-8")
    assert not html(project).up_to_date
    json.loads(stamp.read_text("utf-8"))  # replaced by a whole one
    data = json.loads(stamp.read_text("utf-8"))
    data["outputs"] = "not a list"
    stamp.write_text(json.dumps(data), "utf-8")
    assert not html(project).up_to_date


@pytest.mark.parametrize("broken", [CASE, "briefgen.yaml"])
def test_a_failed_build_leaves_no_stamp_that_claims_its_inputs(project, built, broken):
    (stamp,) = stamps(project)
    recorded = stamp.read_bytes()
    path = project / broken
    good = path.read_text("utf-8")
    path.write_text(good.replace("\nid: ", "\nid: [unclosed ").replace(
        "\npaper: ", "\npaper: [unclosed "), "utf-8")
    for _ in range(2):  # the second time too: the stamp does not cover the broken file
        with pytest.raises(BriefgenError):
            html(project)
    assert stamp.read_bytes() == recorded
    assert mtime(built) == json.loads(recorded)["outputs"][0][2]
    path.write_text(good, "utf-8")  # back as it was built: the outputs are current
    assert html(project).up_to_date


def test_a_stamp_that_cannot_be_written_costs_a_rebuild_not_the_build(project, built,
                                                                       monkeypatch):
    def disk_full(*_args, **_kwargs):  # as output.write_outputs reports it
        raise BriefgenError([Problem("build", None, None, "cannot write to this folder: no "
                                     "space left on device")])

    case = project / CASE
    case.write_text(case.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    monkeypatch.setattr(build_stamp, "write_outputs", disk_full)
    assert not html(project).up_to_date
    assert "One more sentence." in built.read_text("utf-8")
    assert stamps(project) == []  # the older build's stamp is gone too
    monkeypatch.undo()
    assert not html(project).up_to_date
    assert html(project).up_to_date


def test_warnings_and_notes_are_repeated(project):
    case = project / CASE
    case.write_text(case.read_text("utf-8") + "Pasted\x0btext.\n", "utf-8")
    first = html(project)
    assert any("U+000B" in w.message for w in first.warnings)
    again = html(project)
    assert again.up_to_date
    assert again.warnings == first.warnings and again.notes == first.notes


def test_files_outside_content_count_too(project, built):
    (project / "notes.txt").write_text("not read by the build, but listed", "utf-8")
    assert not html(project).up_to_date
    extra = project / "shared"
    extra.mkdir()
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text("utf-8") + "allow_paths: [shared]\n", "utf-8")
    assert not html(project, trust_project=True).up_to_date
    (extra / "logo.svg").write_text("<svg/>", "utf-8")
    assert not html(project, trust_project=True).up_to_date
    assert html(project, trust_project=True).up_to_date


def test_outputs_elsewhere_keep_their_stamp_beside_them(project, tmp_path):
    out = tmp_path / "elsewhere"
    first = html(project, out_dir=out)
    assert first.outputs == [out / "brief.html"]
    assert html(project, out_dir=out).up_to_date
    assert (out / build_stamp.STATE_DIR).is_dir()
    assert not (project / "build").exists()


def test_a_project_that_allows_the_network_is_always_built(project, built):
    """A web address can change with no file changing: such a build is never skipped."""
    before = mtime(built)
    assert not html(project, allow_network=True).up_to_date
    assert not html(project, allow_network=True).up_to_date
    assert mtime(built) != before


def test_the_command_says_up_to_date_and_still_prints_the_paths(project):
    first = run_cli("build", str(project), "--format", "html")
    assert first.exit_code == 0, first.output
    assert "up to date" not in first.stderr
    second = run_cli("build", str(project), "--format", "html")
    assert second.exit_code == 0, second.output
    assert "up to date: nothing changed since the last build (use --force to rebuild)" in (
        second.stderr)
    assert second.stdout == first.stdout == f"{project / 'build' / 'brief.html'}\n"
    forced = run_cli("build", str(project), "--format", "html", "--force")
    assert forced.exit_code == 0 and "up to date" not in forced.stderr


def test_the_up_to_date_check_loads_no_heavy_library():
    code = ("import sys, briefgen.build, briefgen.build_stamp; "
            "print(sorted(m for m in ('pydantic', 'weasyprint', 'jinja2', 'docx', "
            "'briefgen.pipeline') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    assert proc.stdout.strip() == "[]"


def test_a_fifo_or_a_link_to_a_device_in_the_project_is_never_read(project):
    """The listing covers every file of the project; a hostile one must not hang it
    (a FIFO blocks on open, /dev/zero never ends)."""
    import signal

    os.mkfifo(project / "pipe")
    (project / "zero").symlink_to("/dev/zero")

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError("the stamp read a FIFO or a device")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        assert not html(project).up_to_date
        again = html(project)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert again.up_to_date


def test_a_fifo_in_place_of_the_stamp_is_never_opened(project, built):
    """The state folder travels with a project too: a FIFO named like a stamp would
    block the up-to-date check for ever."""
    import signal

    (stamp,) = stamps(project)
    stamp.unlink()
    os.mkfifo(stamp)

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError("the up-to-date check opened a FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        result = html(project)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not result.up_to_date
