"""The pages handed out alone — the handout, the case sheets, the letter — as issue 15
designs them: a readable measure, the type scale, a date/contact strip on every page,
the title line on every sheet, no "page 1 of 1", a labelled QR code, landmarks. Every
assertion reads the real outputs (text and positions from the PDF, the .docx, the HTML).
"""

from __future__ import annotations

import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from briefgen.assets import builtin_root
from briefgen.batch.run import BatchRequest, run_batch
from briefgen.build import BuildRequest, build

from .conftest import copy_example
from .serve_helpers import chromium_or_skip

AS_OF = "2026-11-28"  # the test project's "information as of" (the brief's own date)
SCALE = {8.33, 10.0, 12.0, 14.4, 20.74, 29.86}  # common.css's six sizes
TEMPLATES = ("handout", "case-sheet", "letter")


def _outputs(root: Path, **request: Any) -> dict[str, Path]:
    result = build(BuildRequest(project_dir=root, force=True, **request))
    return {p.name: p for p in result.outputs}


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example with an "information as of" date: the handout in both languages on
    both papers, the case sheets in one file and split, in every format."""
    root = copy_example(tmp_path_factory.mktemp("sheets"))
    brief = root / "content" / "brief.yaml"
    data = re.sub(r"^as_of:.*\n", "", brief.read_text("utf-8"), flags=re.M)
    brief.write_text(data.replace("\nlanguage:", f"\nas_of: {AS_OF}\nlanguage:", 1), "utf-8")
    made: dict[str, Any] = {"root": root}
    for lang in ("en", "fr"):
        for paper in ("a4", "letter"):
            made |= _outputs(root, template="handout", lang=lang, paper=paper,
                             formats=["pdf"])
    made |= _outputs(root, template="handout", formats=["html", "docx"])
    made |= _outputs(root, template="case-sheet", formats=["pdf", "html", "docx"])
    made["split"] = _outputs(root, template="case-sheet", split=True, formats=["pdf"],
                             out_dir=root / "split")
    return made


def page_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def strip_parts(lang: str) -> list[str]:
    """What the strip must say: organisation, contact, publication and as-of dates."""
    published, as_of = {"en": ("Published 28 November 2026", "Information as of 28 November"),
                        "fr": ("Publication", "Informations à jour")}[lang]
    return ["Your Organisation", "advocacy@example.org", published, as_of]


# -- the handout -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["handout.pdf", "handout.letter.pdf", "handout.fr.pdf",
                                  "handout.fr.letter.pdf"])
def test_the_handout_is_one_page_with_a_labelled_qr_code_and_the_strip(sheets, name):
    texts = page_texts(sheets[name])
    assert len(texts) == 1
    lang = "fr" if ".fr." in name else "en"
    label = {"en": "Scan for the full brief", "fr": "Scannez pour lire la note complète"}[lang]
    assert label in texts[0]
    for part in strip_parts(lang):
        assert part in texts[0], part


def _lines(pdf: Path) -> list[tuple[float, float, str]]:
    """(x of the line's start, x of its end, text) of every line pdftotext finds."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True, timeout=60).stdout
    found = []
    for line in re.findall(r"<line [^>]*>(.*?)</line>", xhtml, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>',
                           line)
        if words:
            found.append((float(words[0][0]), float(words[-1][1]),
                          " ".join(w[2] for w in words)))
    return found


@pytest.mark.parametrize("name", ["handout.pdf", "handout.letter.pdf", "handout.fr.pdf"])
def test_the_handouts_running_text_is_set_at_a_readable_measure(sheets, name):
    """Lines of the main column (its full lines, not a paragraph's last) hold 55 to 85
    characters, where one full-width column held 115 to 120."""
    lines = _lines(sheets[name])
    page_width = float(PdfReader(sheets[name]).pages[0].mediabox.width)
    main = [text for x0, x1, text in lines if x1 < page_width * 0.62 and x0 < page_width * 0.2]
    widest = max(x1 for x0, x1, _ in lines if x1 < page_width * 0.62)
    full = [len(text) for x0, x1, text in lines
            if x1 < page_width * 0.62 and x0 < page_width * 0.2 and x1 > widest - 30]
    assert len(full) >= 15, main
    assert 55 <= statistics.median(full) <= 85, full
    assert max(full) <= 90


def test_the_handouts_title_leaves_no_word_alone_on_its_last_line(sheets):
    lines = [text for _, _, text in _lines(sheets["handout.pdf"])]
    at = next(i for i, text in enumerate(lines) if text.startswith("Magnitsky sanctions"))
    assert len(lines[at + 1].split()) >= 2, lines[at:at + 2]


def test_the_handouts_web_page_has_a_main_landmark_and_the_qr_label(sheets):
    html = sheets["handout.html"].read_text("utf-8")
    assert html.count("<main") == 1
    assert "Scan for the full brief" in html
    assert "Information as of 28 November 2026" in html


def test_the_handout_in_word_sets_its_columns_side_by_side_with_bold_names(sheets):
    word = Document(str(sheets["handout.docx"]))
    layout = word.tables[0]
    assert len(layout.columns) == 2
    main, side = layout.rows[0].cells
    assert "What a parliamentarian can do" in main.text
    assert "Saniya Toiken" in side.text and "Scan for the full brief" in side.text
    names = [r for p in side.paragraphs for r in p.runs if r.text == "Saniya Toiken"]
    assert names and all(r.bold for r in names)
    strip = "\n".join(p.text for p in word.paragraphs)
    for part in strip_parts("en"):
        assert part in strip, part


# -- the case sheets -----------------------------------------------------------------------

def test_every_sheet_has_its_title_line_and_strip_and_no_first_page_number(sheets):
    texts = page_texts(sheets["case-sheet.pdf"])
    assert len(texts) == 13  # a sheet a case, each on one page
    for number, text in enumerate(texts, start=1):
        assert "Case sheet" in text[:120], number
        assert "Magnitsky sanctions for political prosecution" in text[:200], number
        for part in strip_parts("en"):
            assert part in text, (number, part)
        assert ("page 1 of" in text) is False
        if number > 1:
            assert f"page {number} of 13" in text


def test_a_split_sheet_says_no_page_1_of_1_and_carries_the_strip(sheets):
    split = sheets["split"]
    assert len(split) == 13
    for path in split.values():
        (text,) = page_texts(path)
        assert "1 of 1" not in text and "page 1" not in text, path.name
        for part in strip_parts("en"):
            assert part in text, (path.name, part)


def test_sources_are_listed_once_under_their_heading(sheets):
    """No "Sources¹˒²" line above the list of sources: the heading alone (in capitals
    in the PDF, as the stylesheet sets it)."""
    for page in PdfReader(sheets["case-sheet.pdf"]).pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        assert [line.upper() for line in lines].count("SOURCES") == 1
        assert not any(re.match(r"Sources\s*[\d¹²³⁴⁵⁶⁷⁸⁹]", line, re.I) for line in lines)


def test_the_case_sheets_web_page_has_a_main_landmark(sheets):
    html = sheets["case-sheet.html"].read_text("utf-8")
    assert html.count("<main") == 1
    assert html.count('class="strip"') == 13


def test_the_facts_sit_beside_the_story_in_word(sheets):
    word = Document(str(sheets["case-sheet.docx"]))
    layouts = [t for t in word.tables if len(t.columns) == 2 and len(t.rows) == 1]
    assert len(layouts) == 13
    story, side = layouts[0].rows[0].cells
    assert "What is asked" in story.text
    assert side.tables and "Role" in side.tables[0].rows[0].cells[0].text
    for part in strip_parts("en"):  # the strip under the facts
        assert part in side.text, part
    assert side._tc[-1].tag.endswith("}p")  # a cell ends in a paragraph, as Word wants


def test_nothing_overflows_a_360_pixel_screen(sheets):
    """The web pages on a narrow phone: the sidebar and the facts go under the text,
    and nothing is wider than the screen."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        tab = chromium.new_context(bypass_csp=True, viewport={"width": 360, "height": 800}
                                   ).new_page()
        for name in ("handout.html", "case-sheet.html"):
            tab.goto(sheets[name].as_uri())
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, name
        chromium.close()


# -- the type scale and the letter -----------------------------------------------------------

@pytest.mark.parametrize("template", TEMPLATES)
def test_every_size_in_the_sheets_stylesheets_is_one_of_the_scale(template):
    folder = builtin_root() / template
    for css in folder.glob("*.css"):
        for value in re.findall(r"font-size:\s*([^;}]+)", css.read_text("utf-8")):
            assert value.strip().startswith("var(--"), (css.name, value)
        assert not re.search(r"\bfont:\s*\d", css.read_text("utf-8")), css.name
    layout = yaml.safe_load((folder / "template.yaml").read_text("utf-8"))["docx_layout"]
    for style, change in layout["styles"].items():
        if "size" in change:
            assert change["size"] in SCALE, (template, style, change["size"])


def test_the_letter_names_its_recipient_and_signatory_in_bold_in_word(tmp_path):
    root = copy_example(tmp_path)
    result = run_batch(BatchRequest(root, "letter", root / "content" / "recipients.csv",
                                    formats=["docx"], jobs=1))
    docx = sorted(result.out_dir.glob("*.docx"))[0]
    word = Document(str(docx))
    for style in ("Address", "Signature"):
        first = next(p for p in word.paragraphs if p.style.name == style)
        assert first.runs and all(r.bold for r in first.runs), (style, first.text)
