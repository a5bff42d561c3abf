"""The Word files laid out as Word would: pages against the PDF's, contents' page numbers,
the template's colours and Word layout (issue 13: pagination, contents, theme).

LibreOffice is the measuring stick (writers/docx/libreoffice.py); the tests that need
it are skipped when it is not installed, as the other Word tests are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.batch.letters import BatchRequest
from briefgen.batch.run import run_batch
from briefgen.build import BuildRequest, build
from briefgen.writers.docx.convert import _widths_from_text
from briefgen.writers.docx.libreoffice import (
    PDF_WITH_BOOKMARKS,
    convert,
    destination_pages,
    page_count,
)

from .conftest import copy_example, run_cli
from .test_docx import W, tool, xml_of

LIMIT = 1.15  # a .docx may run to 15 % more pages than its PDF


@pytest.fixture(scope="module")
def documents(kit, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """{label: (pdf, docx)}: the whole-document templates, each single case sheet, the
    letters and a pack (letter and handout)."""
    pairs = {name: (kit[name]["pdf"], kit[name]["docx"])
             for name in ("brief", "handout", "case-sheet", "dossier")}
    root = copy_example(tmp_path_factory.mktemp("pages"))
    split = build(BuildRequest(project_dir=root, template="case-sheet", split=True,
                               formats=["pdf", "docx"], out_dir=root / "split"))
    for pdf in (p for p in split.outputs if p.suffix == ".pdf"):
        pairs[pdf.stem] = (pdf, pdf.with_suffix(".docx"))
    for pack in (False, True):
        out = root / ("pack" if pack else "letters")
        run_batch(BatchRequest(project_dir=root, template="letter", out_dir=out, jobs=1,
                               recipients=root / "content" / "recipients.csv",
                               formats=["pdf", "docx"], pack=pack))
        for pdf in sorted(out.glob("*.pdf")):
            if pdf.with_suffix(".docx").is_file() and not pdf.stem.startswith("_"):
                pairs[f"{out.name}/{pdf.stem}"] = (pdf, pdf.with_suffix(".docx"))
    return pairs


@pytest.fixture(scope="module")
def word_pdfs(documents, tmp_path_factory) -> dict[Path, Path]:
    tool("soffice")
    converted, _ = convert([docx for _, docx in documents.values()],
                           tmp_path_factory.mktemp("libreoffice"))
    return converted


def test_every_document_has_about_the_pdf_pages_in_word(documents, word_pdfs):
    """The handout, each case sheet, each letter: as many pages as the PDF (one; a pack
    two); the whole documents at most 15 % more."""
    over = {}
    for label, (pdf, docx) in documents.items():
        pdf_pages = page_count(pdf)
        word_pages = page_count(word_pdfs[docx])
        exact = label == "handout" or label.startswith("case-sheet-") or "/" in label
        limit = pdf_pages if exact else pdf_pages * LIMIT
        if word_pages > limit:
            over[label] = (pdf_pages, word_pages)
    assert over == {}, "PDF pages, Word pages"
    assert len(documents) >= 4 + 13 + 4 + 4


def test_one_page_documents_are_one_page(documents, word_pdfs):
    for label, (_, docx) in documents.items():
        if label == "handout" or label.startswith(("case-sheet-", "letters/")):
            assert page_count(word_pdfs[docx]) == 1, label
        elif label.startswith("pack/"):
            assert page_count(word_pdfs[docx]) == 2, label


def cached_numbers(docx: Path) -> list[tuple[str, int]]:
    """(bookmark, page shown) of every TOC entry and PAGEREF field."""
    root = xml_of(docx, "word/document.xml")
    found = []
    for link in root.xpath("//w:hyperlink[@w:anchor]", namespaces=W):
        texts = [t.text for t in link.xpath(".//w:t", namespaces=W) if t.text]
        if link.xpath("ancestor::w:p/w:pPr/w:pStyle[starts-with(@w:val, 'TOC')]",
                      namespaces=W) and texts and texts[-1].isdigit():
            found.append((link.get(f"{{{W['w']}}}anchor"), int(texts[-1])))
    instructions = root.xpath("//w:instrText", namespaces=W)
    for instr in instructions:
        match = re.match(r"\s*PAGEREF (\S+)", instr.text or "")
        if match:
            result = instr.getparent().itersiblings()
            texts = [t.text for r in result for t in r.iter(f"{{{W['w']}}}t")]
            found.append((match.group(1), int(texts[0])))
    return found


@pytest.mark.parametrize("name, kind", [("brief", "toc"), ("dossier", "pageref")])
def test_contents_show_the_word_pages(name, kind, tmp_path, monkeypatch):
    """Each page number in the brief's contents and the dossier's category list is the
    page LibreOffice lays its heading out on ("The declaration" is on page 4 in Word)."""
    tool("soffice")
    monkeypatch.delenv("BRIEFGEN_SOFFICE")  # measure (conftest.py turns it off)
    root = copy_example(tmp_path / "p")
    result = run_cli("build", str(root), "-t", name, "--format", "docx")
    assert result.exit_code == 0, result.output
    docx = root / "build" / f"{name}.docx"
    converted, _ = convert([docx], tmp_path / "lo", PDF_WITH_BOOKMARKS)
    pages = destination_pages(converted[docx])
    shown = cached_numbers(docx)
    assert len(shown) >= (19 if kind == "toc" else 7)
    assert [(b, n) for b, n in shown if pages.get(b) != n] == []


def test_the_toc_lists_exactly_the_pdf_contents(kit):
    """F9 in Word rebuilds the TOC from its TC entries: one per entry of the PDF's
    contents, at its level, and nothing else (no heading styles: \\o, \\t, \\u)."""
    root = xml_of(kit["brief"]["docx"], "word/document.xml")
    instructions = [i.text.strip() for i in root.xpath("//w:instrText", namespaces=W)]
    toc = [i for i in instructions if i.startswith("TOC ")]
    assert toc == ['TOC \\f C \\l "1-2" \\h \\z']
    entries = [i for i in instructions if i.startswith("TC ")]
    levels = [int(i.rsplit(" ", 1)[1]) for i in entries]
    assert len(entries) == 19 and levels.count(1) == 6 and levels.count(2) == 13
    assert entries[1] == 'TC "The declaration" \\f C \\l 1'
    # each TC entry sits in the heading it lists
    for instr in root.xpath("//w:instrText[starts-with(normalize-space(.), 'TC ')]",
                            namespaces=W):
        style = instr.xpath("ancestor::w:p/w:pPr/w:pStyle/@w:val", namespaces=W)
        assert style and style[0] in ("Heading1", "Heading2"), instr.text


def style_colours(docx: Path) -> set[str]:
    root = xml_of(docx, "word/styles.xml")
    return {v.upper() for v in root.xpath("//w:color/@w:val | //w:shd/@w:fill",
                                          namespaces=W)}


@pytest.mark.parametrize("name, palette", [
    ("brief", {"1F4E79", "E8EEF5", "1A1A1A", "555555"}),
    ("handout", {"1F4E79", "1A1A1A", "555555"}),
    ("case-sheet", {"1F4E79", "E8EEF5", "1A1A1A", "555555"}),
    ("dossier", {"5B2333", "F4ECEE", "1A1A1A", "555555"}),
])
def test_the_template_colours_reach_word(kit, name, palette):
    """accent, accent light, ink and muted as the template's CSS gives them: the
    dossier's burgundy, not the shared reference's blue."""
    colours = style_colours(kit[name]["docx"])
    assert palette <= colours
    if name == "dossier":
        assert not {"1F4E79", "E8EEF5"} & colours


def test_the_theme_colours_reach_word(tmp_path):
    root = copy_example(tmp_path / "p")
    config = root / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  colours: {accent: '#006400', "
                      "accent_light: '#eeffee', ink: '#222222', muted: '#777'}\n", "utf-8")
    result = run_cli("build", str(root), "-t", "dossier", "--format", "docx")
    assert result.exit_code == 0, result.output
    colours = style_colours(root / "build" / "dossier.docx")
    assert {"006400", "EEFFEE", "222222", "777777"} <= colours
    assert not {"5B2333", "1F4E79", "F4ECEE", "E8EEF5"} & colours


def test_a_one_page_title_is_not_a_cover_title(kit):
    """The handout's and the case sheets' Title style: no cover spacing before it, and a
    size of the type scale (20.74 and 8.33 pt, to Word's nearest half point)."""
    for name, size in (("handout", "41"), ("case-sheet", "17")):
        root = xml_of(kit[name]["docx"], "word/styles.xml")
        title = root.xpath("//w:style[@w:styleId='Title']", namespaces=W)[0]
        before = title.xpath("w:pPr/w:spacing/@w:before", namespaces=W)
        assert before in ([], ["0"]), name
        assert title.xpath("w:rPr/w:sz/@w:val", namespaces=W) == [size], name


def test_the_qr_code_sits_in_the_handouts_sidebar_with_its_label(kit):
    """The sidebar is a table cell in Word: the QR code is a picture in it (no floating
    anchor), with the label that says what it is for."""
    root = xml_of(kit["handout"]["docx"], "word/document.xml")
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    assert not root.xpath("//wp:anchor", namespaces={"wp": wp})
    (picture,) = root.xpath("//wp:inline", namespaces={"wp": wp})
    assert "QR code" in picture.find(f"{{{wp}}}docPr").get("descr")
    cell = picture.xpath("ancestor::w:tc", namespaces=W)[0]
    assert "Scan for the full brief" in "".join(cell.xpath(".//w:t/text()", namespaces=W))


def test_a_misspelt_style_in_docx_layout_names_its_line(tmp_path):
    root = copy_example(tmp_path / "p")
    run_cli("template", "eject", "handout", "--project", str(root))
    manifest = root / "templates" / "handout" / "template.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("    Title:", "    Titel:"),
                        "utf-8")
    result = run_cli("build", str(root), "-t", "handout", "--format", "docx")
    assert result.exit_code != 0
    assert "Titel" in result.output and "template.yaml" in result.output


def test_columns_share_the_width_as_a_browser_does():
    import lxml.html

    table = lxml.html.fromstring(
        "<table><tr><th>Name</th><th>Role</th><th>Status</th></tr>"
        "<tr><td>Monitoring mission of the Italian Federation for Human Rights</td>"
        "<td>human-rights monitors</td><td>acquitted (as of 6 February 2019)</td></tr>"
        "</table>")
    widths = _widths_from_text(table.findall("tr"), 3, 5_000_000)
    shares = [round(w / 5_000_000, 2) for w in widths]
    assert shares[0] > 0.45 and shares[1] < shares[2] < shares[0]
    short = lxml.html.fromstring("<table><tr><td>a</td><td>bb</td></tr></table>")
    assert len(set(_widths_from_text(short.findall("tr"), 2, 1_000_000))) == 1
