"""A 20000×20000 PNG of a few kilobytes: 400 megapixels once decoded."""

from pathlib import Path

from PIL import Image


def mutate(project: Path) -> None:
    Image.new("1", (20_000, 20_000)).save(project / "content/map.png", optimize=True)
    case = project / "content/cases/03-svetlana-glushkova.md"
    case.write_text(case.read_text("utf-8") + "\n![A map](content/map.png)\n", "utf-8")
