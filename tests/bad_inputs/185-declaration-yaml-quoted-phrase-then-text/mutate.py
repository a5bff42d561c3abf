"""The title starts with a quoted phrase (straight quotes) and goes on after it."""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/declaration.yaml',
          'title: "“Magnitsky laws” sanctions must be imposed in response to political '
          'prosecution in Kazakhstan"\n',
          'title: "Magnitsky laws" sanctions must be imposed in response to political '
          'prosecution in Kazakhstan\n')
