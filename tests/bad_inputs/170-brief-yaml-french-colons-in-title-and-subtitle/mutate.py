"""A brief in French: both the title and the subtitle hold " : ", as French typography writes
it.
"""

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def mutate(project: Path) -> None:
    patch(project, 'content/brief.yaml',
          'title: Magnitsky sanctions for political prosecution in Kazakhstan\n'
          'subtitle: The PACE written declaration of 2019 and the cases it raises\n',
          'title: Sanctions Magnitsky : la répression politique au Kazakhstan\n'
          "subtitle: La déclaration écrite de l'APCE : une analyse\n")
    patch(project, 'content/brief.yaml',
          'language: en\n',
          'language: fr\n')
