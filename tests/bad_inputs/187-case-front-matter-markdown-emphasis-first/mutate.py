"""An event text that starts with Markdown emphasis (*…*), which YAML reads as an alias."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/cases/04-serikzhan-bilash.md',
          '    text: >-\n'
          '      Freed after a plea deal and barred from political activity for seven\n'
          '      years [@bilash-bland; @bilash-wfdd].\n',
          '    text: *Freed* after a plea deal and barred from political activity for seven\n'
          '      years [@bilash-bland; @bilash-wfdd].\n')
