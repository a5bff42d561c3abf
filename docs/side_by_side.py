"""Make the before/after figures in docs/ from two folders of built outputs.

A designer judging a change needs to see the old page beside the new one at the same
scale, not two files opened in turn. Usage (needs Pillow and poppler's pdftoppm):

    python docs/side_by_side.py BEFORE_DIR AFTER_DIR docs/

where each folder holds brief.pdf and handout.pdf as `briefgen build` writes them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

# (figure name, PDF file, page number): the cover, one inner page, the handout
FIGURES = [("cover", "brief.pdf", 1), ("inner-page", "brief.pdf", 5),
           ("handout", "handout.pdf", 1)]
DPI = 60
GAP = 24
LABEL = 28


def page_image(pdf: Path, page: int, work: Path) -> Image.Image:
    stem = work / f"{pdf.parent.name}-{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def side_by_side(before: Image.Image, after: Image.Image) -> Image.Image:
    width = before.width + after.width + 3 * GAP
    height = max(before.height, after.height) + LABEL + 2 * GAP
    sheet = Image.new("RGB", (width, height), "#d9d9d9")
    draw = ImageDraw.Draw(sheet)
    for x, label, image in ((GAP, "before", before), (2 * GAP + before.width, "after", after)):
        draw.text((x, GAP // 2), label, fill="#000000")
        sheet.paste(image, (x, GAP + LABEL))
    return sheet


def main(before_dir: Path, after_dir: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, pdf, page in FIGURES:
            before = page_image(before_dir / pdf, page, work)
            after = page_image(after_dir / pdf, page, work)
            side_by_side(before, after).save(out / f"{name}-before-after.png", optimize=True)
            print(out / f"{name}-before-after.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
