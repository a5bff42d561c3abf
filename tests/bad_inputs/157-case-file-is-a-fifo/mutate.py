"""A FIFO where a case file should be: opening it would block the build for ever."""

import os
from pathlib import Path


def mutate(project: Path) -> None:
    case = project / "content/cases/03-svetlana-glushkova.md"
    case.unlink()
    os.mkfifo(case)
