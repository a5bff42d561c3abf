"""A key ask in French that starts "Sanctions : …": valid YAML, read as a mapping, not text."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          '  - Support targeted Magnitsky-type sanctions against the officials responsible.\n',
          '  - Sanctions : soutenir des sanctions ciblées contre les responsables.\n')
