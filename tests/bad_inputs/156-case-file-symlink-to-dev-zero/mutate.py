"""A case file linked to /dev/zero: stat says size 0, reading never ends."""

from pathlib import Path


def mutate(project: Path) -> None:
    case = project / "content/cases/03-svetlana-glushkova.md"
    case.unlink()
    case.symlink_to("/dev/zero")
