"""A tab before the dash of an event in a case file's front matter."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/cases/02-saniya-toiken.md',
          '  - date: "2019-02"\n',
          '\t- date: "2019-02"\n')
