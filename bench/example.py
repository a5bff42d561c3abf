"""The example project, copied for a benchmark to build (the repository root is it)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_example(target: Path) -> Path:
    shutil.copytree(REPO / "content", target / "content")
    shutil.copyfile(REPO / "briefgen.yaml", target / "briefgen.yaml")
    return target
