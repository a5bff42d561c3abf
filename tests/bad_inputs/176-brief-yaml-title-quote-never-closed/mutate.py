"""The brief's title opens a quote it never closes: YAML reads on to the next quote, many lines
below.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'title: Magnitsky sanctions for political prosecution in Kazakhstan\n',
          'title: "Magnitsky sanctions for political prosecution in Kazakhstan\n')
