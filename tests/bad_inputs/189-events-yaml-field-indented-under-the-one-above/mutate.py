"""A field indented under the one above it: YAML reads it as more text of that field, then
trips on its colon.
"""

from pathlib import Path

from tests.corpus_edits import patch


def mutate(project: Path) -> None:
    patch(project, 'content/events.yaml',
          '  period: PACE Spring session 2019\n',
          '  period: PACE Spring session 2019\n'
          '    place: Strasbourg\n')
