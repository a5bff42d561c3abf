"""A key ask in French that starts "Sanctions : …": valid YAML, read as a mapping, not text."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          '  - Support targeted Magnitsky-type sanctions against the officials responsible.\n',
          '  - Sanctions : soutenir des sanctions ciblées contre les responsables.\n')
