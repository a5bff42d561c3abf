"""letter.yaml: the French subject's closing quote is missing; the quote runs on over the lines
below it to the next quote.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/letter.yaml',
          'poursuites politiques au Kazakhstan"\n',
          'poursuites politiques au Kazakhstan\n')
