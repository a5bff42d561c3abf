"""Print, for every built-in template, the PDF's pages beside the Word file's pages as
LibreOffice lays them out. Not a test (tests/test_docx_pages.py asserts the limits):
a measuring stick for the Word writer's pagination.

    python bench/bench_docx_pages.py [--keep DIR] [--png]

The example project is copied to a temporary folder and built as PDF and DOCX with
every built-in template: brief, handout, case-sheet (whole and --split, one file
per case), dossier, and the letters of `briefgen batch letter` (also --pack, the
handout behind each letter). Each .docx is converted with LibreOffice headless
(`soffice --headless --convert-to pdf`) and its pages counted.

Fonts: the Word files name the shipped Noto fonts (templates/_shared/fonts/). When
fontconfig does not know them (`fc-list | grep -i noto`), LibreOffice would lay the
text out in a substitute with other widths; the bench then lays out with a private
fontconfig file that adds the shipped fonts' folder to the system's configuration
(FONTCONFIG_FILE, for the soffice process only), and says so.

--keep DIR keeps the outputs and LibreOffice's PDFs; --png also renders every page of
both at 60 dpi (pdftoppm) to compare them side by side.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from example import REPO, copy_example

SRC = REPO / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from briefgen.writers.docx.libreoffice import convert, page_count  # noqa: E402

LIMIT = 1.15  # a .docx may run to 15 % more pages than its PDF


def build_all(root: Path) -> dict[str, tuple[Path, Path]]:
    """{label: (pdf, docx)} for every template and variant."""
    from briefgen.batch.letters import BatchRequest
    from briefgen.batch.run import run_batch
    from briefgen.build import BuildRequest, build

    pairs: dict[str, tuple[Path, Path]] = {}
    for template in ("brief", "handout", "case-sheet", "dossier"):
        result = build(BuildRequest(project_dir=root, template=template,
                                    formats=["pdf", "docx"], out_dir=root / "out" / template))
        by_suffix = {p.suffix: p for p in result.outputs}
        pairs[template] = (by_suffix[".pdf"], by_suffix[".docx"])
    split = build(BuildRequest(project_dir=root, template="case-sheet", split=True,
                               formats=["pdf", "docx"], out_dir=root / "out" / "split"))
    for pdf in sorted(p for p in split.outputs if p.suffix == ".pdf"):
        pairs[pdf.stem] = (pdf, pdf.with_suffix(".docx"))
    for pack in (False, True):
        out = root / "out" / ("letter-pack" if pack else "letter")
        run_batch(BatchRequest(project_dir=root, template="letter",
                               recipients=root / "content" / "recipients.csv", out_dir=out,
                               formats=["pdf", "docx"], pack=pack, jobs=1))
        for pdf in sorted(out.glob("*.pdf")):
            if pdf.with_suffix(".docx").is_file():
                pairs[("pack/" if pack else "letter/") + pdf.stem] = (pdf, pdf.with_suffix(".docx"))
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    parser.add_argument("--png", action="store_true", help="render pages to PNG (60 dpi)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        root = copy_example(work / "project")
        pairs = build_all(root)
        converted, fonts_note = convert([d for _, d in pairs.values()],
                                                 work / "libreoffice")
        print(fonts_note)
        print(f"{'template':32} {'PDF':>4} {'Word':>5}  ratio")
        failures = 0
        for label, (pdf, docx) in pairs.items():
            pdf_pages = page_count(pdf)
            word = converted.get(docx)
            word_pages = page_count(word) if word else 0
            # the handout, a single case sheet, a letter (and a pack) as many pages as
            # the PDF; the other documents at most 15 % more
            exact = label == "handout" or label.startswith("case-sheet-") or "/" in label
            limit = pdf_pages if exact else int(pdf_pages * LIMIT)
            ok = 0 < word_pages <= limit
            failures += not ok
            print(f"{label:32} {pdf_pages:4} {word_pages:5}  {word_pages / pdf_pages:5.2f}"
                  f"{'' if ok else '  over'}")
            if args.png and word:
                for source, tag in ((pdf, "pdf"), (word, "word")):
                    target = work / "png" / f"{label.replace('/', '_')}-{tag}"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(target)],
                                   check=True)
        print(f"{failures} over the limit" if failures else "all within the limits")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
