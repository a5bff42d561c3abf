"""A text over two lines whose second line holds ": ": the mistake is on line 2 of the text,
the quotes go around all of it.
"""

from pathlib import Path

from tests.corpus_edits import patch

POSITION = ("      position: French senator, member of the French delegation to the "
            "Council of Europe\n")


def mutate(project: Path) -> None:
    patch(project, 'content/declaration.yaml', POSITION,
          POSITION + '        and of its committee on legal affairs: rapporteur\n')
