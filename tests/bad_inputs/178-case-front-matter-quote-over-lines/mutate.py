"""A case's name opens a quote that is not closed: YAML reads the front matter's next lines
into it, up to the next quote.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/cases/02-saniya-toiken.md',
          'name: Saniya Toiken\n',
          'name: "Saniya Toiken\n')
