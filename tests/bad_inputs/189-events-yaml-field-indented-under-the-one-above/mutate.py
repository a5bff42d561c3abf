"""A field indented under the one above it: YAML reads it as more text of that field, then
trips on its colon.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/events.yaml',
          '  period: PACE Spring session 2019\n',
          '  period: PACE Spring session 2019\n'
          '    place: Strasbourg\n')
