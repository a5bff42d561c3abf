"""letter.yaml: the French subject's closing quote is missing; the quote runs on over the lines
below it to the next quote.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/letter.yaml',
          'poursuites politiques au Kazakhstan"\n',
          'poursuites politiques au Kazakhstan\n')
