"""The first key ask without its "- ": valid YAML, the whole list read as one text."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          "  - Raise the named cases with Kazakhstan's authorities and your own government.\n",
          "  Raise the named cases with Kazakhstan's authorities and your own government.\n")
