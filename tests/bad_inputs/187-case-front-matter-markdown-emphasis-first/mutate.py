"""An event text that starts with Markdown emphasis (*…*), which YAML reads as an alias."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/cases/04-serikzhan-bilash.md',
          '    text: >-\n'
          '      Freed after a plea deal and barred from political activity for seven\n'
          '      years [@bilash-bland; @bilash-wfdd].\n',
          '    text: *Freed* after a plea deal and barred from political activity for seven\n'
          '      years [@bilash-bland; @bilash-wfdd].\n')
