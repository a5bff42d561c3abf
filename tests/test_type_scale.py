"""The type scale (issue 15): every built-in template sets its text in at most six sizes,
the six of common.css, in the PDF as printed and in the Word styles.

The sizes are read from the built PDFs' text (what each character is drawn at), not
from the stylesheets, so a size that a browser default, a margin box or an `em`
brings in is counted too.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document
from docx.oxml.ns import qn

from briefgen.batch.letters import BatchRequest
from briefgen.batch.run import run_batch
from briefgen.build import BuildRequest, build

from .conftest import REPO, copy_example

COMMON_CSS = REPO / "src" / "briefgen" / "templates" / "_shared" / "common.css"
PX_PER_PT = 4 / 3  # WeasyPrint draws text in CSS pixels
TEMPLATES = ("brief", "dossier", "handout", "case-sheet", "letter")


def scale() -> list[float]:
    """The six sizes (pt) common.css defines as --fs-* variables."""
    sizes = [float(v) for v in re.findall(r"--fs-[a-z]+:\s*([\d.]+)pt", COMMON_CSS.read_text())]
    assert len(sizes) == 6, sizes
    return sizes


def word_scale() -> set[float]:
    """The scale as Word can set it: sizes are whole half-points there."""
    return {round(size * 2) / 2 for size in scale()}


def pdf_sizes(path: Path) -> Counter[float]:
    """Printed characters per font size (pt), spaces left out."""
    sizes: Counter[float] = Counter()
    for page in pdfium.PdfDocument(path):
        text = page.get_textpage()
        for i in range(text.count_chars()):
            char = pdfium_c.FPDFText_GetUnicode(text.raw, i)
            if char and not chr(char).isspace():
                size = pdfium_c.FPDFText_GetFontSize(text.raw, i) / PX_PER_PT
                sizes[round(size, 2)] += 1
    return sizes


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """{(template, language): PDF}: each whole-document template in English and French,
    and a letter to an English and to a French recipient of the example."""
    root = copy_example(tmp_path_factory.mktemp("scale"))
    made: dict[tuple[str, str], Path] = {}
    for name in TEMPLATES[:-1]:
        for lang in ("en", "fr"):
            result = build(BuildRequest(project_dir=root, template=name, lang=lang,
                                        formats=["pdf"], out_dir=root / f"out-{lang}"))
            made[name, lang] = next(p for p in result.outputs if p.suffix == ".pdf")
    out = root / "letters"
    run_batch(BatchRequest(project_dir=root, template="letter", out_dir=out, jobs=1,
                           recipients=root / "content" / "recipients.csv", formats=["pdf"]))
    for pdf in sorted(out.glob("*.pdf")):
        if not pdf.stem.startswith("_"):
            lang = "fr" if pdf.stem.startswith("exemple") else "en"
            made.setdefault(("letter", lang), pdf)
    return made


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", TEMPLATES)
def test_at_most_six_sizes_in_the_pdf(pdfs, name, lang):
    sizes = pdf_sizes(pdfs[name, lang])
    assert len(sizes) <= 6, f"{len(sizes)} sizes (pt: characters): {sorted(sizes.items())}"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_size_is_one_of_the_scale(pdfs, name, lang):
    allowed = scale()
    off = {size: n for size, n in pdf_sizes(pdfs[name, lang]).items()
           if not any(abs(size - s) < 0.02 for s in allowed)}
    assert off == {}, f"sizes off the scale {allowed} (pt: characters)"


def docx_sizes(path: Path) -> dict[str, float]:
    """Each style's size and each size set on a run, in points."""
    word = Document(str(path))
    sizes = {f"style {s.name}": s.font.size.pt for s in word.styles
             if getattr(s, "font", None) is not None and s.font.size is not None
             and s.name in used_styles(word)}
    for part in (word.part, *(rel.target_part for rel in word.part.rels.values()
                              if rel.reltype.endswith(("/header", "/footer")))):
        for i, sz in enumerate(part.element.iter(qn("w:sz"))):
            sizes[f"run {i} in {part.partname}"] = int(sz.get(qn("w:val"))) / 2
    return sizes


def used_styles(word: object) -> set[str]:
    """The styles a document's paragraphs, runs and tables name (and Normal, which the
    others build on), so that the reference's unused styles are not counted."""
    body = word.element.body  # type: ignore[attr-defined]
    ids = {el.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
           for el in body.iter(qn(tag))}
    names = {s.name for s in word.styles if s.style_id in ids}  # type: ignore[attr-defined]
    return names | {"Normal", "Header", "Footer", "footnote text"}


@pytest.mark.parametrize("name", ["brief", "dossier"])
def test_word_uses_the_same_sizes(kit, name):
    allowed = word_scale()
    off = {where: size for where, size in docx_sizes(kit[name]["docx"]).items()
           if size not in allowed}
    assert off == {}, f"sizes off the scale as Word sets it {sorted(allowed)}"
