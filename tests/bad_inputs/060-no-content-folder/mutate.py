"""A project whose content folder is gone (briefgen.yaml is still there)."""

import shutil
from pathlib import Path


def mutate(project: Path) -> None:
    shutil.rmtree(project / "content")
