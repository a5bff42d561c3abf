"""No noise: a command prints its own progress, summary and problems, nothing from the
libraries under it.

pikepdf's PageCopyWarning reached every batch whose letter cites a source (the note
call links to the note, a named destination that `pages.extend` did not carry); a
batch's letters are made in worker processes, so the batch is run as a user runs it,
in its own process with Python's default warning filters. Builds run in this process
with every warning recorded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pikepdf
import pytest

from .conftest import WHOLE_DOCUMENT_TEMPLATES, copy_example, run_cli
from .test_batch import EPOCH, roster_rows, write_roster

# What a batch writes to stderr when it is not on a terminal, and nothing else.
BATCH_LINES = re.compile(r"\d+ to make, \d+ unchanged, \d+ skipped"
                         r"|\[ *\d+/\d+\] built [a-z0-9-]+"
                         r"|\d+ made, \d+ unchanged, \d+ skipped, \d+ failed")
# The categories Python shows a user by default (DeprecationWarning and its kin are not).
HIDDEN = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def cite_in_letter(root: Path) -> None:
    """A citation in both openings: every letter's PDF then has a named destination."""
    path = root / "content" / "letter.yaml"
    text = path.read_text("utf-8")
    for old in ("      11 April 2019 by André Gattolin.\n",
                "      Kazakhstan, déposée le 11 avril 2019 par André Gattolin.\n"):
        assert text.count(old) == 1, old
        text = text.replace(old, old.replace(".\n", " [@pace-wd-675].\n"))
    path.write_text(text, "utf-8")


@pytest.mark.parametrize("pack", [False, True], ids=["letters", "pack"])
def test_a_batch_prints_only_its_progress_and_summary(tmp_path: Path, pack: bool) -> None:
    root = copy_example(tmp_path / "project")
    cite_in_letter(root)
    roster = write_roster(root / "recipients.csv", roster_rows()[:4])  # en, fr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    command = [sys.executable, "-m", "briefgen", "batch", "letter", "-r", str(roster),
               "--project", str(root), "--format", "pdf,docx", "--jobs", "2"]
    done = subprocess.run([*command, *(["--pack"] if pack else [])], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr + done.stdout
    noise = [line for line in done.stderr.splitlines() if not BATCH_LINES.fullmatch(line)]
    assert noise == []
    out = root / "build" / ("letter-pack" if pack else "letter")
    assert all(Path(line).exists() for line in done.stdout.splitlines())
    # the note links of the print file lead somewhere (extend left them dangling)
    with pikepdf.open(out / "_print-all.pdf") as pdf:
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        links = [str(annot.Dest) for page in pdf.pages
                 for annot in page.obj.get("/Annots", [])
                 if annot.get("/Subtype") == "/Link" and "/Dest" in annot]
    assert len(links) == 4 and set(links) <= names


@pytest.mark.parametrize("template", WHOLE_DOCUMENT_TEMPLATES)
def test_a_build_prints_no_library_warning(tmp_path: Path, template: str) -> None:
    root = copy_example(tmp_path / "project")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_cli("build", str(root), "--template", template, "--format",
                         "pdf,docx,html")
    assert result.exit_code == 0, result.output
    shown = [f"{w.category.__name__}: {w.message}" for w in caught
             if not issubclass(w.category, HIDDEN)]
    assert shown == []
    assert "Warning" not in result.output
