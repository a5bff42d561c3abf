"""A tab before the dash of an event in a case file's front matter."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/cases/02-saniya-toiken.md',
          '  - date: "2019-02"\n',
          '\t- date: "2019-02"\n')
