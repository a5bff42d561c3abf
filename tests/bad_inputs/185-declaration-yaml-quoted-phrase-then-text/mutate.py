"""The title starts with a quoted phrase (straight quotes) and goes on after it."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/declaration.yaml',
          'title: "“Magnitsky laws” sanctions must be imposed in response to political '
          'prosecution in Kazakhstan"\n',
          'title: "Magnitsky laws" sanctions must be imposed in response to political '
          'prosecution in Kazakhstan\n')
