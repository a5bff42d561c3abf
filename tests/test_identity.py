"""The publication's identity and its page flow (issue 15), on the brief and the dossier
as built: the cover in the theme's variant (band, image, plain) with title, subtitle,
report number, date and "information as of"; the back page (organisations, contact,
method, licence, how to cite); the same in Word; pages that flow without holes, with
no heading left at the foot of a page and the right running header on every page.

Text is read from the PDFs and the .docx files; the flow is read from WeasyPrint's
laid-out pages, the very pages the PDF writer serialises.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from briefgen.build import BuildRequest, build
from briefgen.content.model import PartialDate
from briefgen.i18n import format_partial_date as _format
from briefgen.i18n import labels
from briefgen.pipeline import Pipeline
from briefgen.render.paged import layout

from .conftest import REPO, copy_example

MM = 72 / 25.4
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PNG = REPO / "docs" / "preview.png"  # any picture will do for a cover image


def format_partial_date(value: Any, lang: str) -> str:
    return _format(PartialDate.parse(value), lang)


def squeeze(text: str) -> str:
    """Text without its spaces and line breaks: a line may break anywhere in a URL
    (pdfium reads a hyphen that ends a line as U+FFFE)."""
    return "".join(text.replace("\ufffe", "-").split())


def pdf_pages(path: Path) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(path)]


def header_text(path: Path, index: int, margin_mm: float = 22) -> str:
    """What is printed in the top margin of a page: the running header."""
    page = pdfium.PdfDocument(path)[index]
    width, height = page.get_size()
    return page.get_textpage().get_text_bounded(0, height - margin_mm * MM, width, height)


def brief_yaml(root: Path) -> dict[str, Any]:
    return yaml.safe_load((root / "content" / "brief.yaml").read_text("utf-8"))


def brief_in(lang: str) -> dict[str, Any]:
    """brief.yaml with its translation's texts (title, subtitle, method…) in `lang`."""
    brief = brief_yaml(REPO)
    translation = REPO / "content" / f"brief.{lang}.yaml"
    if translation.is_file():
        brief.update(yaml.safe_load(translation.read_text("utf-8")))
    return brief


def with_theme(root: Path, **theme: Any) -> None:
    config = yaml.safe_load((root / "briefgen.yaml").read_text("utf-8"))
    config["theme"] = theme
    (root / "briefgen.yaml").write_text(yaml.safe_dump(config), "utf-8")


# -- the cover and the back page ---------------------------------------------------------


@pytest.fixture(scope="module")
def outputs(kit, example_brief) -> dict[tuple[str, str], dict[str, Path]]:
    """{(template, language): {format: path}} for the brief and the dossier."""
    brief_fr = {p.suffix[1:]: p for p in example_brief["fr"].outputs}
    return {("brief", "en"): kit["brief"], ("brief", "fr"): brief_fr,
            ("dossier", "en"): kit["dossier"], ("dossier", "fr"): kit["dossier.fr"]}


CASES = [("brief", "en"), ("brief", "fr"), ("dossier", "en"), ("dossier", "fr")]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_the_cover_says_what_who_which_and_when(outputs, name, lang):
    brief = brief_in(lang)
    t = labels(lang)
    cover = " ".join(pdf_pages(outputs[name, lang]["pdf"])[0].split())
    expected = [brief["title"], brief["organisations"][0]["name"].upper(),
                t("report_number", number=brief["report_number"]),
                format_partial_date(brief["date"], lang),
                t("information_as_of", date=format_partial_date(brief["as_of"], lang))]
    if name == "brief":
        expected.append(brief["subtitle"])
    else:
        expected.append(t("dossier_title"))
    missing = [text for text in expected  # written with ', printed with ’
               if squeeze(text.replace("'", "’")) not in squeeze(cover)]
    assert missing == []


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_the_back_page_says_who_how_on_what_terms_and_how_to_cite(outputs, name, lang):
    brief = brief_in(lang)
    t = labels(lang)
    back = " ".join(pdf_pages(outputs[name, lang]["pdf"])[-1].split())
    org = brief["organisations"][0]
    for text in (t("about_publication"), org["name"], org["contact"]["email"],
                 t("method"), " ".join(brief["method"].split()[:6]), t("licence"),
                 brief["licence"], t("how_to_cite")):
        assert text in back
    citation = squeeze(back[back.index(t("how_to_cite")):])
    for part in (org["name"], brief["title"], brief["report_number"],
                 format_partial_date(brief["date"], lang), brief["url"]):
        assert squeeze(part) in citation, part


@pytest.mark.parametrize("name", ["brief", "dossier"])
def test_word_has_the_cover_band_and_the_back_page(outputs, name):
    word = Document(str(outputs[name, "en"]["docx"]))
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    shading = title._p.pPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) != "auto"
    colours = {c.get(qn("w:val")) for c in title._p.iter(qn("w:color"))}
    assert colours == {"FFFFFF"}  # white type on the accent
    text = "\n".join(p.text for p in word.paragraphs)
    brief = brief_yaml(REPO)
    for part in (labels("en")("about_publication"), labels("en")("how_to_cite"),
                 brief["licence"]):
        assert part in text
    assert text.rindex(labels("en")("how_to_cite")) > text.rindex(labels("en")("sources"))


def test_the_dossier_submission_box_is_shaded_in_word(outputs):
    """The submission's facts sit in a shaded box on the cover, in Word as in the PDF."""
    word = Document(str(outputs["dossier", "en"]["docx"]))
    label = labels("en")("dossier_submitted_by")
    table = next(t for t in word.tables if t.cell(0, 0).text.strip() == label)
    fills = {shd.get(qn("w:fill")) for shd in table._tbl.iter(qn("w:shd"))}
    assert len(fills) == 1 and fills != {"auto"}
    assert len(list(table._tbl.iter(qn("w:shd")))) == 2 * len(table.rows)


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Any]:
    """The brief with each cover variant; "image" with the brief's cover_image, and
    "missing" asking for an image the brief does not give."""
    made: dict[str, Any] = {}
    for variant in ("plain", "image", "missing"):
        root = copy_example(tmp_path_factory.mktemp(variant))
        with_theme(root, cover="band" if variant == "missing" else variant)
        if variant == "image":
            shutil.copyfile(PNG, root / "content" / "cover.png")
            data = brief_yaml(root)
            data["cover_image"] = {"file": "content/cover.png", "alt": "A protest in Almaty",
                                   "credit": "Photographer (replace)"}
            (root / "content" / "brief.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                         "utf-8")
        if variant == "missing":
            with_theme(root, cover="image")
        made[variant] = build(BuildRequest(project_dir=root, formats=["pdf", "html", "docx"]))
    return made


def outputs_of(result: Any) -> dict[str, Path]:
    return {p.suffix[1:]: p for p in result.outputs}


def cover_images(pdf: Path) -> int:
    page = pdfium.PdfDocument(pdf)[0]
    return sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)


def test_an_image_cover_shows_the_picture_its_credit_and_its_alt_text(variants):
    files = outputs_of(variants["image"])
    assert cover_images(files["pdf"]) == 1
    assert "Photo: Photographer (replace)" in pdf_pages(files["pdf"])[0]
    html = files["html"].read_text("utf-8")
    assert 'alt="A protest in Almaty"' in html and 'class="cover cover-image"' in html
    word = Document(str(files["docx"]))
    alts = [el.get("descr") for el in word.element.body.iter(qn("wp:docPr"))]
    assert "A protest in Almaty" in alts


def test_an_image_cover_without_an_image_falls_back_to_the_band_and_says_so(variants):
    result = variants["missing"]
    warnings = [str(w) for w in result.warnings]
    assert any("theme.cover" in w and "cover_image" in w for w in warnings), warnings
    html = outputs_of(result)["html"].read_text("utf-8")
    assert 'class="cover cover-band"' in html and "<figure" not in html


def test_a_plain_cover_is_type_alone(variants):
    files = outputs_of(variants["plain"])
    html = files["html"].read_text("utf-8")
    assert 'class="cover cover-plain"' in html and 'class="cover-field band"' not in html
    assert cover_images(files["pdf"]) == 0
    word = Document(str(files["docx"]))
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    assert title._p.pPr.find(qn("w:shd")) is None


# -- page flow ---------------------------------------------------------------------------


def descendants(box: Any, ancestors: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple]]:
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from descendants(child, (*ancestors, box))


def classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


class Page:
    """One laid-out page: its page area and the lines printed in it."""

    def __init__(self, page: Any) -> None:
        box = page._page_box
        self.top = box.content_box_y()
        self.bottom = self.top + box.height
        root = next(c for c in box.children if type(c).__name__ != "MarginBox")
        self.lines = [(b, a) for b, a in descendants(root)
                      if type(b).__name__ in ("LineBox", "BlockReplacedBox",
                                              "InlineReplacedBox")]
        self.elements = [b.element for b, _ in descendants(root)
                         if getattr(b, "element", None) is not None]
        self.part_starts = {id(b.element) for b, _ in descendants(root)
                            if "new-page" in classes(b)}

    def empty(self) -> float:
        lowest = max(b.position_y + b.margin_height() for b, _ in self.lines)
        return max(0.0, (self.bottom - lowest) / (self.bottom - self.top))

    def last_line(self) -> tuple[Any, tuple]:
        return max(self.lines, key=lambda la: la[0].position_y + la[0].margin_height())


@pytest.fixture(scope="module")
def laid_out(example_root) -> dict[tuple[str, str], list[Page]]:
    session = Pipeline.open(example_root)
    made = {}
    for name in ("brief", "dossier"):
        for lang in ("en", "fr"):
            doc = session.render(session.template(name), session.options(lang=lang))
            made[name, lang] = [Page(p) for p in layout(doc).pages]
    return made


def part_ends(pages: list[Page]) -> set[int]:
    """The pages after which a part starts a new page (and the last page)."""
    seen: set[int] = set()
    starts = set()
    for i, page in enumerate(pages):
        new = page.part_starts - seen
        if new:
            starts.add(i)
        seen |= page.part_starts
    cover_ends = {0}  # the cover is a page of its own
    return {i - 1 for i in starts if i} | cover_ends | {len(pages) - 1}


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_page_is_half_empty_unless_it_ends_a_part(laid_out, name, lang):
    pages = laid_out[name, lang]
    ends = part_ends(pages)
    holes = {i + 1: f"{page.empty():.0%}" for i, page in enumerate(pages)
             if i not in ends and page.empty() > 0.5}
    assert holes == {}, "pages more than half empty (page: empty share)"


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_heading_is_the_last_thing_on_a_page(laid_out, name, lang):
    orphans = {}
    for i, page in enumerate(laid_out[name, lang][:-1]):
        line, ancestors = page.last_line()
        tags = {getattr(b, "element_tag", None) for b in (line, *ancestors)}
        if tags & HEADINGS or {"related-title", "timeline-title", "box-title"} & classes(line):
            orphans[i + 1] = line.element.text if line.element is not None else "?"
    assert orphans == {}, "pages ending in a heading"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_contents_page_is_headed_contents(outputs, lang):
    t = labels(lang)
    header = header_text(outputs["brief", lang]["pdf"], 1)
    assert t("contents") in header and t("summary") not in header


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_page_after_the_cover_names_its_section(outputs, laid_out, name, lang):
    """The running header names a section heading: the first that starts on the page,
    else the one the page continues."""
    pdf = outputs[name, lang]["pdf"]
    titles = [" ".join(p.split()) for p in pdf_pages(pdf)]
    headings: list[str] = []
    for page in laid_out[name, lang]:
        headings += [" ".join("".join(e.itertext()).split()) for e in page.elements
                     if e.tag == "h2" and " ".join("".join(e.itertext()).split()) not in headings]
    wrong = {}
    for i in range(1, len(titles)):
        header = " ".join(header_text(pdf, i).split())
        if not any(h and h in header for h in headings):
            wrong[i + 1] = header
    assert wrong == {}, "pages whose header names no section"
