"""A pasted 5 MB document as a case file, made at run time (never committed)."""

from pathlib import Path


def mutate(project: Path) -> None:
    paragraph = "Lorem ipsum dolor sit amet, *consectetur* adipiscing [@odf-2019] elit. " * 10
    body = (paragraph + "\n\n") * (5 * 1024 * 1024 // (len(paragraph) + 2) + 1)
    text = "---\nname: Test Person\nrole: journalist\nstatus: detained\n---\n" + body
    (project / "content/cases/90-test-person.md").write_text(text, "utf-8")
