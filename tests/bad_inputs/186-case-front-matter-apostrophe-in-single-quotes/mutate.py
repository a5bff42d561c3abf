"""French text in single quotes whose apostrophe closes them early."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/cases/05-ifhr-monitors.md',
          'name: Monitoring mission of the Italian Federation for Human Rights\n',
          "name: 'Mission d'observation de la Fédération italienne des droits de l'homme'\n")
