"""1,001 case files: a brief of thousands of cases takes minutes and gigabytes to lay
out; it is refused at once, before any is read."""

from pathlib import Path


def mutate(project: Path) -> None:
    cases = project / "content/cases"
    for i in range(1001 - len(list(cases.glob("*.md")))):
        (cases / f"90-person-{i:04d}.md").write_text(
            f"---\nname: Person {i}\nrole: journalist\nstatus: detained\n---\nText.\n", "utf-8")
