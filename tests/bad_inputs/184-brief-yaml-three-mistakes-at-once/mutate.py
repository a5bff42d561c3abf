"""Three different mistakes in one file, all reported in one run: a colon in text, a list item
without its dash, a quote never closed.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'subtitle: The PACE written declaration of 2019 and the cases it raises\n',
          'subtitle: The PACE written declaration of 2019: the cases it raises\n')
    patch(project, 'content/brief.yaml',
          '  - Call for the release of all political prisoners in Kazakhstan.\n',
          '  Call for the release of all political prisoners in Kazakhstan.\n')
    patch(project, 'content/brief.yaml',
          '  - title: Raise the named cases\n',
          '  - title: "Raise the named cases\n')
