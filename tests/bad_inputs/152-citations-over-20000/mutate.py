"""20,001 citations in one narrative (240 KB, under the 1 MB file limit): each becomes a
note, and Word's footnotes and the PDF's layout grow with them."""

from pathlib import Path


def mutate(project: Path) -> None:
    case = project / "content/cases/03-svetlana-glushkova.md"
    case.write_text(case.read_text("utf-8") + "\n" + "Cited [@odf-2019]. " * 20_001 + "\n",
                    "utf-8")
