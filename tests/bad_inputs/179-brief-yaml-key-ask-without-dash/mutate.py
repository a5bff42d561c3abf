"""One key ask in the middle of the list without its "- "."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          '  - Support targeted Magnitsky-type sanctions against the officials responsible.\n',
          '  Support targeted Magnitsky-type sanctions against the officials responsible.\n')
