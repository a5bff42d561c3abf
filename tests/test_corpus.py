"""The bad-input corpus: every folder of tests/bad_inputs/ is one broken project.

A case is data, not code. Its folder may hold:

- ``files/...``   files copied over the example project at the same relative path,
                  byte for byte (non-UTF-8 text, BOM and CRLF line endings survive);
- ``append/...``  text appended to the project file at that relative path;
- ``delete``      project-relative paths to delete, one per line;
- ``mutate.py``   ``mutate(project: Path) -> None`` for faults that cannot be stored
                  as files (a 5 MB file made at run time, a symlink, a removed folder);
- ``args``        the command after ``build PROJECT`` (default ``--format html``); when
                  it starts with the word ``check``, ``check PROJECT`` and the rest;
                  with ``batch``, ``batch`` and the rest (``PROJECT/`` in it is the
                  project folder) and ``--project PROJECT``;
- ``xfail``       a known bug: the reason; the case is expected to fail, strictly;
- ``expected``    the exact text the command prints, with ``PROJECT`` standing for the
                  project folder. This file is the specification of the message.

Each case starts from one build of the example (PDF, HTML and Word), applies its
fault and runs the CLI: the command must fail cleanly (exit status 1 through
briefgen's own error exit, no traceback), print exactly the expected text and
leave every earlier output in build/ byte for byte as it was, with no stray file.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import copy_example, run_cli

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
DEFAULT_ARGS = ["--format", "html"]


def _params() -> list:
    params = []
    for case in CASES:
        marks = []
        reason = case / "xfail"
        if reason.is_file():
            marks.append(pytest.mark.xfail(strict=True,
                                           reason=reason.read_text("utf-8").strip()))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def apply_case(case: Path, project: Path) -> None:
    """Introduce the case's fault into a copy of the example project."""
    delete = case / "delete"
    if delete.is_file():
        for rel in delete.read_text("utf-8").splitlines():
            if rel.strip():
                target = project / rel.strip()
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                else:
                    target.unlink()
    files = case / "files"
    if files.is_dir():
        for source in _files(files):
            target = project / source.relative_to(files)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    append = case / "append"
    if append.is_dir():
        for source in _files(append):
            target = project / source.relative_to(append)
            assert target.is_file(), f"{case.name}: append/ names a missing file {target}"
            with target.open("ab") as handle:
                handle.write(source.read_bytes())
    script = case / "mutate.py"
    if script.is_file():
        # exec rather than import: no module cache, no __pycache__ in the corpus
        namespace: dict = {"__name__": f"bad_inputs.{case.name}", "__file__": str(script)}
        exec(compile(script.read_text("utf-8"), str(script), "exec"), namespace)
        namespace["mutate"](project)


def command(case: Path, project: Path) -> list[str]:
    path = case / "args"
    args = shlex.split(path.read_text("utf-8")) if path.is_file() else list(DEFAULT_ARGS)
    if args and args[0] == "check":
        return ["check", str(project), *args[1:]]
    if args and args[0] == "batch":  # PROJECT/ in its arguments is the project folder
        return ["batch", *(a.replace("PROJECT/", f"{project}/") for a in args[1:]),
                "--project", str(project)]
    return ["build", str(project), *args]


def run_case(case: Path, project: Path) -> tuple[int | None, BaseException | None, str]:
    """Apply the fault, run the CLI; the output with the project folder as PROJECT."""
    apply_case(case, project)
    try:
        result = run_cli(*command(case, project))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036 - e.g. WeasyPrint's FatalURLFetchingError
        return None, exc, ""  # escapes click's CliRunner, which catches only Exception
    output = result.output.replace(str(project.resolve()), "PROJECT")
    output = output.replace(str(project), "PROJECT")
    return result.exit_code, result.exception, output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in _files(folder)}


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("corpus-example") / "project")
    result = run_cli("build", str(root), "--format", "pdf,html,docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "build").iterdir()
                  if not p.name.startswith(".")) == [
        "brief.docx", "brief.html", "brief.pdf"]
    return root


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 45, f"only {len(CASES)} cases in {CORPUS}"
    missing = [case.name for case in CASES if not (case / "expected").is_file()]
    assert not missing, f"cases without an expected file: {missing}"
    unnumbered = [case.name for case in CASES if not case.name[:3].isdigit()]
    assert not unnumbered, f"case folders must be named NNN-short-name: {unnumbered}"


@pytest.mark.parametrize("case", _params())
def test_bad_input(case: Path, built_example: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(built_example, project, symlinks=True)
    before = snapshot(project / "build")

    code, exception, output = run_case(case, project)

    assert "Traceback" not in output
    assert isinstance(exception, SystemExit), f"not a clean error exit: {exception!r}"
    assert code == 1, output
    assert output == (case / "expected").read_text("utf-8")
    assert snapshot(project / "build") == before, "a failed build changed build/"
