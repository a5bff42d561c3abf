"""A brief in French: both the title and the subtitle hold " : ", as French typography writes
it.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'title: Magnitsky sanctions for political prosecution in Kazakhstan\n'
          'subtitle: The PACE written declaration of 2019 and the cases it raises\n',
          'title: Sanctions Magnitsky : la répression politique au Kazakhstan\n'
          "subtitle: La déclaration écrite de l'APCE : une analyse\n")
    patch(project, 'content/brief.yaml',
          'language: en\n',
          'language: fr\n')
