"""A project override that is a symlink to a file of this machine."""

from pathlib import Path


def mutate(project: Path) -> None:
    link = project / "templates/brief/partials/summary.html.j2"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to("/etc/hostname")
