"""A case file that is a symlink to a file outside the project (symlinks travel in git)."""

from pathlib import Path


def mutate(project: Path) -> None:
    case = project / "content/cases/03-svetlana-glushkova.md"
    case.unlink()
    case.symlink_to("/etc/hostname")
