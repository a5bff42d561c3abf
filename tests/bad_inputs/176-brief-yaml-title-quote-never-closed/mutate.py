"""The brief's title opens a quote it never closes: YAML reads on to the next quote, many lines
below.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'title: Magnitsky sanctions for political prosecution in Kazakhstan\n',
          'title: "Magnitsky sanctions for political prosecution in Kazakhstan\n')
