"""A case's name in other scripts (`other_names`, issue 16 item 5).

A document in a language the case has a form for prints that form wherever the name
appears, its heading with the original in brackets; a document in another language
lists the form among the case's facts, marked with its language. Checked on what the
built files show: the PDF's text, the Word file's runs, the web page's markup.

The example's sources give no name in Cyrillic, so the Russian form here is test data,
written into a copy of the example only, never into its content.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.etree
import lxml.html
import pytest

from briefgen.build import BuildRequest, build

from .conftest import copy_example, run_cli
from .test_fonts import pdffonts

CASE_FILE = Path("content") / "cases" / "04-serikzhan-bilash.md"
LATIN = "Serikzhan Bilash"
CYRILLIC = "Серикжан Билаш"  # test data: no source of the example gives this form
BOTH = f"{CYRILLIC} ({LATIN})"


def with_other_name(root: Path, entry: str = f"  ru: {CYRILLIC}\n") -> Path:
    """The copy's case file with an `other_names` mapping after its name."""
    path = root / CASE_FILE
    text = path.read_text("utf-8")
    assert f"name: {LATIN}\n" in text
    path.write_text(text.replace(f"name: {LATIN}\n", f"name: {LATIN}\nother_names:\n{entry}",
                                 1), "utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_other_name(copy_example(tmp_path_factory.mktemp("other-names")))


def outputs(root: Path, lang: str, template: str = "brief",
            formats: tuple[str, ...] = ("pdf", "html", "docx")) -> dict[str, Path]:
    result = build(BuildRequest(project_dir=root, template=template, lang=lang,
                                formats=list(formats)))
    return {p.suffix[1:]: p for p in result.outputs}


@pytest.fixture(scope="module")
def russian(project: Path) -> dict[str, Path]:
    return outputs(project, "ru")


@pytest.fixture(scope="module")
def english(project: Path) -> dict[str, Path]:
    return outputs(project, "en")


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, every run of spaces (no-break ones too)
    made one space: a name the line breaks is still found."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return re.sub(r"\s+", " ", " ".join(paragraphs + cells))


def run_languages(path: Path, text: str) -> set[str | None]:
    """The w:lang of each Word run whose text is `text`."""
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    root = lxml.etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    found = set()
    for run in root.iterfind(".//w:r", ns):
        if "".join(run.xpath("w:t/text()", namespaces=ns)).replace("\u00a0", " ") == text:
            lang = run.find("w:rPr/w:lang", ns)
            found.add(None if lang is None else lang.get(f"{{{ns['w']}}}val"))
    return found


# ------------------------------------------------------------------ in its language


def test_russian_brief_prints_the_cyrillic_form_with_the_original_at_the_heading(russian):
    text = pdf_text(russian["pdf"])
    assert BOTH in text
    # the contents entry (the name, its page number) has the one form
    assert re.search(rf"{CYRILLIC} \d+ ", text)
    assert not re.search(rf"\({LATIN}\) \d+ ", text)
    assert "Другие написания" not in text  # its one form is the name itself


def test_russian_web_page_marks_the_original_as_the_content_language(russian):
    page = lxml.html.parse(str(russian["html"])).getroot()
    assert page.get("lang") == "ru"
    (heading,) = [h for h in page.iter("h3") if CYRILLIC in h.text_content()]
    assert heading.text_content().replace("\u00a0", " ") == BOTH
    (span,) = heading.iter("span")
    assert span.get("lang") == "en" and span.text.replace("\u00a0", " ") == LATIN


def test_russian_word_file_has_both_forms_the_original_in_its_language(russian):
    assert BOTH in docx_text(russian["docx"]).replace("\u00a0", " ")
    assert run_languages(russian["docx"], LATIN) == {"en-GB"}


def test_russian_build_draws_every_letter_with_the_shipped_fonts(russian):
    listed = pdffonts(russian["pdf"])
    assert listed
    for font, embedded in listed:
        assert embedded == "yes" and font.startswith(("Brief-Sans", "Brief-Serif")), font


def test_russian_case_sheet_handout_and_dossier_use_the_cyrillic_form(project):
    sheet = pdf_text(outputs(project, "ru", "case-sheet", ("pdf",))["pdf"])
    assert BOTH in sheet
    handout = pdf_text(outputs(project, "ru", "handout", ("pdf",))["pdf"])
    assert CYRILLIC in handout  # the sidebar's list of cases
    dossier = pdf_text(outputs(project, "ru", "dossier", ("pdf",))["pdf"])
    assert f"{CYRILLIC}:" in dossier  # a target's linked cases: "name: role, status"


# -------------------------------------------------------------- in other languages


def test_english_brief_lists_the_form_as_also_written(english):
    text = pdf_text(english["pdf"])
    assert f"Also written {CYRILLIC}" in text
    assert BOTH not in text


def test_english_web_page_marks_the_form_as_russian(english):
    page = lxml.html.parse(str(english["html"])).getroot()
    (label,) = [dt for dt in page.iter("dt") if dt.text == "Also written"]
    (span,) = label.getnext().iter("span")
    assert (span.get("lang"), span.text) == ("ru", CYRILLIC)


def test_english_word_file_gives_the_form_its_language(english):
    assert f"Also written {CYRILLIC}" in docx_text(english["docx"])
    assert run_languages(english["docx"], CYRILLIC) == {"ru-RU"}


def test_french_case_sheet_uses_the_french_label(project):
    text = pdf_text(outputs(project, "fr", "case-sheet", ("pdf",))["pdf"])
    assert f"Autres graphies {CYRILLIC}" in text
    assert BOTH not in text


# ------------------------------------------------------------------------- checks


def test_a_key_that_is_no_language_is_an_error_at_its_line(tmp_path):
    root = with_other_name(copy_example(tmp_path / "p"), f"  ru: {CYRILLIC}\n  cyr: x\n")
    line = root.joinpath(CASE_FILE).read_text("utf-8").splitlines().index("  cyr: x") + 1
    result = run_cli("check", str(root))
    assert result.exit_code != 0
    assert f"{CASE_FILE.as_posix()}:{line}: other_names.cyr:" in result.output
    assert "unknown language 'cyr'" in result.output and "ru" in result.output
    assert "Traceback" not in result.output


def test_a_form_equal_to_the_name_is_not_printed_twice(tmp_path):
    root = with_other_name(copy_example(tmp_path / "p"), f"  ru: {LATIN}\n")
    page = lxml.html.parse(str(outputs(root, "ru", formats=("html",))["html"])).getroot()
    (heading,) = [h for h in page.iter("h3") if LATIN in h.text_content()]
    assert heading.text_content() == LATIN
    page = lxml.html.parse(str(outputs(root, "en", formats=("html",))["html"])).getroot()
    assert not [dt for dt in page.iter("dt") if dt.text == "Also written"]
