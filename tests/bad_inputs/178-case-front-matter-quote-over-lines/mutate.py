"""A case's name opens a quote that is not closed: YAML reads the front matter's next lines
into it, up to the next quote.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/cases/02-saniya-toiken.md',
          'name: Saniya Toiken\n',
          'name: "Saniya Toiken\n')
