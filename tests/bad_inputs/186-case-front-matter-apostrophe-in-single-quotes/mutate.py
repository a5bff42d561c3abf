"""French text in single quotes whose apostrophe closes them early."""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/cases/05-ifhr-monitors.md',
          'name: Monitoring mission of the Italian Federation for Human Rights\n',
          "name: 'Mission d'observation de la Fédération italienne des droits de l'homme'\n")
