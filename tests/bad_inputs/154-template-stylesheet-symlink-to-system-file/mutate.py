"""`ln -s /etc/passwd templates/brief/style.css`: a template file that leads out of its
folder is refused; the file is never read into the page."""

from pathlib import Path


def mutate(project: Path) -> None:
    folder = project / "templates/brief"
    folder.mkdir(parents=True)
    (folder / "style.css").symlink_to("/etc/passwd")
