"""The first key ask without its "- ": valid YAML, the whole list read as one text."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          "  - Raise the named cases with Kazakhstan's authorities and your own government.\n",
          "  Raise the named cases with Kazakhstan's authorities and your own government.\n")
