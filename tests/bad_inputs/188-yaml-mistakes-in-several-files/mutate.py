"""Mistakes in three files (a colon in brief.yaml, a tab in a case, a quote in letter.yaml)
come in one list, each at its line.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'subtitle: The PACE written declaration of 2019 and the cases it raises\n',
          "subtitle: La déclaration écrite de 2019 : les cas qu'elle soulève\n")
    patch(project, 'content/cases/09-aset-abishev.md',
          'role:',
          '\trole:')
    patch(project, 'content/letter.yaml',
          '  - name: Your Name (replace in content/letter.yaml)\n',
          "  - name: 'Your Name (replace in content/letter.yaml)\n")
