"""5,001 sources in sources.yaml (each is listed in every brief)."""

from pathlib import Path


def mutate(project: Path) -> None:
    path = project / "content/sources.yaml"
    extra = "".join(f"- id: extra-{i}\n  title: Source {i}\n" for i in range(5001))
    path.write_text(path.read_text("utf-8") + extra, "utf-8")
