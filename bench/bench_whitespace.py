"""White space per page of the example's PDFs: how much of each page's text area is
left empty below the last thing printed on it, and the worst page of each file.

    python bench/bench_whitespace.py [PDF or folder …]   (default: build/ and build/letter)

The text area is the page inside the template's margins (template.yaml's
docx_layout margins, which are the PDF's @page margins); what lies in the margins
(running header, footer) is left out. The cover, laid out without margins, is
measured over the whole page. Figures, not a test: tests/test_identity.py checks
the rules (no page more than half empty unless it ends a part).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "src" / "briefgen" / "templates"
MM = 72 / 25.4  # PDF points per millimetre


def margins(name: str) -> tuple[float, float]:
    """Top and bottom margins (points) of the template a PDF was made from, by its
    file name (brief.fr.pdf → brief; a letter's file → letter)."""
    stem = name.split(".")[0]
    template = stem if (TEMPLATES / stem / "template.yaml").is_file() else "letter"
    manifest = yaml.safe_load((TEMPLATES / template / "template.yaml").read_text())
    top, _right, bottom, _left = manifest.get("docx_layout", {}).get("margins", [20] * 4)
    return top * MM, bottom * MM


def empty_fractions(path: Path) -> list[float]:
    """Per page, the empty share of the text area below the lowest object on it."""
    top, bottom = margins(path.name)
    fractions = []
    pdf = pdfium.PdfDocument(path)
    for page in pdf:
        height = page.get_height()
        boxes = [obj.get_bounds() for obj in page.get_objects()]
        inside = [b for b in boxes if b[3] > bottom + 1 and b[1] < height - top - 1]
        if not inside:
            fractions.append(1.0)
            continue
        lowest = min(b[1] for b in inside)
        if lowest < bottom - 1:  # printed into the margin: a page without margins (cover)
            fractions.append(max(0.0, min(b[1] for b in boxes)) / height)
            continue
        fractions.append(max(0.0, (lowest - bottom) / (height - top - bottom)))
    return fractions


def pdfs(args: list[str]) -> list[Path]:
    places = [Path(a) for a in args] or [REPO / "build", REPO / "build" / "letter"]
    found: list[Path] = []
    for place in places:
        found += sorted(place.glob("*.pdf")) if place.is_dir() else [place]
    return [p for p in found if not p.name.startswith("_")]


def main(args: list[str]) -> None:
    for path in pdfs(args):
        fractions = empty_fractions(path)
        cells = " ".join(f"{i}:{f:.0%}" for i, f in enumerate(fractions, 1))
        worst = max(range(len(fractions)), key=lambda i: fractions[i])
        print(f"{path.name:32} pages {len(fractions):2}  worst p{worst + 1} "
              f"{fractions[worst]:.0%} empty  mean {sum(fractions) / len(fractions):.0%}")
        print(f"    {cells}")


if __name__ == "__main__":
    main(sys.argv[1:])
