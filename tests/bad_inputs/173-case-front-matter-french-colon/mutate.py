"""A case file's front matter (Markdown) with a French sentence holding " : "."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/cases/02-saniya-toiken.md',
          'status: prosecuted\n',
          'status: prosecuted\n'
          'sentence: Restriction de liberté : 7 ans, réduite en appel\n')
