"""1,001 case files: a brief of thousands of cases takes minutes and gigabytes to lay
out; it is refused at once, before any is read."""

from pathlib import Path


def mutate(project: Path) -> None:
    cases = project / "content/cases"
    cases_now = [p for p in cases.glob("*.md") if "." not in p.stem]  # not translations
    for i in range(1001 - len(cases_now)):
        (cases / f"90-person-{i:04d}.md").write_text(
            f"---\nname: Person {i}\nrole: journalist\nstatus: detained\n---\nText.\n", "utf-8")
