"""A roster saved from a spreadsheet as Latin-1 (Windows-1252), not UTF-8."""

from pathlib import Path


def mutate(project: Path) -> None:
    text = ("surname,country,group,language\n"
            "Kovalenko,Ukraine,EPP/CD,en\n"
            "Müller,Germany,SOC,en\n")
    (project / "recipients.csv").write_bytes(text.encode("cp1252"))
