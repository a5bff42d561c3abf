"""A 5,000-digit number as a value: Python refuses to read integers of over 4,300
digits (ValueError), which must not reach the user as a traceback."""

from pathlib import Path


def mutate(project: Path) -> None:
    path = project / "content/brief.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("date: 2026-11-28", "date: " + "9" * 5000), "utf-8")
