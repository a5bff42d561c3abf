"""sources.yaml linked to /etc/passwd: the message must not print the file."""

from pathlib import Path


def mutate(project: Path) -> None:
    sources = project / "content/sources.yaml"
    sources.unlink()
    sources.symlink_to("/etc/passwd")
