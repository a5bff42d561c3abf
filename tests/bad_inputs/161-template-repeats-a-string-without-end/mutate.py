"""`{{ 'x' * 10**12 }}` in a template: refused at its line, not a MemoryError."""

from pathlib import Path


def mutate(project: Path) -> None:
    folder = project / "templates/brief/partials"
    folder.mkdir(parents=True)
    (folder / "summary.html.j2").write_text(
        '<section id="summary">\n<h2>x</h2>\n{{ "x" * 10**12 }}\n</section>\n', "utf-8")
