"""A text over two lines whose second line holds ": ": the mistake is on line 2 of the text,
the quotes go around all of it.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


POSITION = ("      position: French senator, member of the French delegation to the "
            "Council of Europe\n")


def mutate(project: Path) -> None:
    patch(project, 'content/declaration.yaml', POSITION,
          POSITION + '        and of its committee on legal affairs: rapporteur\n')
