"""The Word output, read back by python-docx, LibreOffice and pandoc, and compared with the PDF."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree
from pypdf import PdfReader

from briefgen.build import BuildRequest, build
from briefgen.parity import compare, read_docx, read_pdf

from .conftest import copy_example, run_cli

SECTIONS = ["Summary", "The declaration", "The cases", "Recommended sanctions",
            "What a parliamentarian can do", "Sources"]
BACK_PAGE = "About this publication"  # after the contents' sections, not listed (issue 15)
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
REQUIRE_TOOLS = os.environ.get("BRIEFGEN_REQUIRE_TOOLS") == "1"  # set by .ci/run


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if REQUIRE_TOOLS:
            pytest.fail(f"{name} is required here (BRIEFGEN_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture(scope="module")
def example(kit) -> dict[str, Path]:
    """The example brief's PDF and Word file, from the session's shared build."""
    return {"pdf": kit["brief"]["pdf"], "docx": kit["brief"]["docx"], "root": kit["root"]}


@pytest.fixture(scope="module")
def word(example) -> Document:
    return Document(str(example["docx"]))


def xml_of(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(member))


def case_names(root: Path) -> list[str]:
    names = []
    for path in sorted((root / "content" / "cases").glob("*.md")):
        if "." in path.stem:  # a translation (NAME.fr.md), not a case
            continue
        match = re.search(r"^name: (.+)$", path.read_text("utf-8"), re.M)
        names.append(match.group(1).strip().strip('"'))
    return names


def test_headings_are_word_headings_in_the_pdf_order(word, example):
    # (a title's last two words are joined by a no-break space: no lone word on a line)
    styled = [(p.style.name, p.text.replace("\xa0", " ")) for p in word.paragraphs
              if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert styled[0] == ("Title", "Magnitsky sanctions for political prosecution in Kazakhstan")
    assert [t for s, t in styled if s == "Heading 1"] == [*SECTIONS, BACK_PAGE]
    heading2 = [t for s, t in styled if s == "Heading 2"]
    for name in case_names(example["root"]):
        assert name in heading2


def test_core_properties_language_and_no_python_docx_leftovers(word, example):
    props = word.core_properties
    assert props.title == "Magnitsky sanctions for political prosecution in Kazakhstan"
    assert props.author.startswith("Your Organisation")
    assert props.subject and "Kazakhstan" in props.keywords
    assert props.language == "en"
    assert props.created.date().isoformat() == "2026-11-28"
    assert props.comments == "" and props.last_modified_by == ""
    with zipfile.ZipFile(example["docx"]) as archive:
        names = archive.namelist()
        assert "docProps/thumbnail.jpeg" not in names
        assert not any(n.startswith("customXml/") for n in names)
        assert b"python-docx" not in archive.read("docProps/core.xml")
    styles = xml_of(example["docx"], "word/styles.xml")
    assert styles.xpath("//w:docDefaults//w:lang/@w:val", namespaces=W) == ["en-GB"]


def test_citations_are_real_footnotes(example):
    document = xml_of(example["docx"], "word/document.xml")
    notes = xml_of(example["docx"], "word/footnotes.xml")
    refs = document.xpath("//w:footnoteReference/@w:id", namespaces=W)
    bodies = notes.xpath("//w:footnote[not(@w:type)]", namespaces=W)
    assert len(refs) == len(bodies) > 50
    first = "".join(bodies[0].xpath(".//w:t/text()", namespaces=W))
    assert "Written declaration No. 675" in first and "assembly.coe.int" in first
    # a repeated source gets the short form (tests/test_footnotes.py: the rule)
    texts = ["".join(b.xpath(".//w:t/text()", namespaces=W)).strip() for b in bodies]
    assert texts[0].startswith("Parliamentary Assembly of the Council of Europe, Written "
                               "declaration No. 675")
    assert texts.count("PACE, Written declaration No. 675.") > 2
    # links inside footnotes work: their relationships live in the footnotes part
    with zipfile.ZipFile(example["docx"]) as archive:
        rels = archive.read("word/_rels/footnotes.xml.rels").decode()
    assert "https://assembly.coe.int/nw/xml/XRef/Xref-XML2HTML-EN.asp?fileid=27671" in rels


def test_toc_field_is_filled_with_the_pdf_page_numbers_without_libreoffice(
        example, tmp_path, monkeypatch):
    """Without LibreOffice to measure Word's pages (test_docx_pages.py), the TOC shows
    the PDF's page numbers until Word updates the field."""
    monkeypatch.setenv("BRIEFGEN_SOFFICE", "0")
    root = copy_example(tmp_path / "p")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 0, result.output
    document = xml_of(root / "build" / "brief.docx", "word/document.xml")
    instr = "".join(document.xpath("//w:instrText/text()", namespaces=W))
    assert 'TOC \\f C \\l "1-2" \\h \\z' in instr
    entries = {}
    for p in document.xpath("//w:p[w:pPr/w:pStyle[@w:val='TOC1' or @w:val='TOC2']]",
                            namespaces=W):
        text = "".join(p.xpath(".//w:t/text()", namespaces=W))
        assert p.xpath(".//w:tab", namespaces=W), text  # title, tab (dot leader), page
        number = re.search(r"(\d+)$", text)
        entries[re.sub(r"\d+$", "", text)] = int(number.group(1))
    pdf = PdfReader(example["pdf"])
    layout = pdf.pages[1].extract_text(extraction_mode="layout")
    for line in layout.splitlines():
        match = re.match(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", line)
        if match:
            assert entries[match.group(1)] == int(match.group(2)), line
    assert set(SECTIONS) <= set(entries)


def test_links_external_and_internal(example):
    document = xml_of(example["docx"], "word/document.xml")
    anchors = set(document.xpath("//w:hyperlink/@w:anchor", namespaces=W))
    bookmarks = set(document.xpath("//w:bookmarkStart/@w:name", namespaces=W))
    assert anchors and anchors <= bookmarks
    with zipfile.ZipFile(example["docx"]) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert 'Target="mailto:advocacy@example.org" TargetMode="External"' in rels


def test_numbered_lists_restart_and_tables_repeat_their_header(example, word):
    document = xml_of(example["docx"], "word/document.xml")
    numbering = xml_of(example["docx"], "word/numbering.xml")
    numbered = document.xpath("//w:p[w:pPr/w:pStyle[@w:val='ListNumber']]", namespaces=W)
    num_ids = [p.xpath("string(w:pPr/w:numPr/w:numId/@w:val)", namespaces=W) for p in numbered]
    assert all(num_ids) and len(set(num_ids)) == 2  # the asks and the sources: two lists
    for num_id in set(num_ids):
        start = numbering.xpath(f"//w:num[@w:numId='{num_id}']//w:startOverride/@w:val",
                                namespaces=W)
        assert start == ["1"]
    signatories = next(t for t in word.tables if t.rows[0].cells[0].text == "Political group")
    assert signatories.style.name == "Brief Table"
    assert signatories.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in signatories.rows[1].cells][:2] == ["SOC", "6"]


def test_header_footer_and_page_setup(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == (
        "Magnitsky sanctions for political prosecution in Kazakhstan")
    footer = section.footer.paragraphs[0]._p
    instr = "".join(footer.xpath(".//w:instrText/text()"))
    assert "PAGE" in instr and "NUMPAGES" in instr
    assert footer.xpath("string(.//w:t[1])").startswith("page")
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_two_builds_give_byte_identical_docx(example, tmp_path):
    first = example["docx"].read_bytes()
    root = copy_example(tmp_path / "again")
    again = build(BuildRequest(project_dir=root, formats=["docx"])).outputs[0]
    assert again.read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_parity_has_zero_differences(example):
    result = run_cli("check", str(example["root"]), "--parity")
    assert result.exit_code == 0, result.output
    assert "0 differences" in result.output


def test_parity_notices_what_one_output_lost(example):
    from briefgen.pipeline import Pipeline

    loaded = Pipeline.open(example["root"]).loaded
    pdf = read_pdf(example["pdf"].read_bytes())
    word = read_docx(example["docx"].read_bytes())
    assert compare(pdf, word, loaded.content).differences == []
    word.headings.pop(3)
    word.note_parts[0][0] = (word.note_parts[0][0][0], "Someone else, Another title")
    word.links.discard("https://oeil.europarl.europa.eu/oeil/en/document-summary?id=1578009")
    word.table_cells.append("A cell only Word has")
    differences = compare(pdf, word, loaded.content).differences
    assert any(d.startswith("heading 4") for d in differences)
    assert any(d.startswith("footnote 1 ") for d in differences)
    assert any("oeil.europarl" in d and "PDF only" in d for d in differences)
    assert any("A cell only Word has" in d for d in differences)


def test_libreoffice_opens_and_lays_out_every_heading(example, tmp_path):
    soffice = tool("soffice")
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(example["docx"])],
                   check=False, capture_output=True, timeout=180)
    converted = out / "brief.pdf"
    assert converted.is_file() and converted.stat().st_size > 10_000  # it can exit 0 on failure
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(converted).pages))
    for heading in SECTIONS + case_names(example["root"]):
        assert heading in text, heading


def test_pandoc_reads_headings_and_every_footnote(example):
    pandoc = tool("pandoc")
    markdown = subprocess.run([pandoc, "-f", "docx", "-t", "markdown", str(example["docx"])],
                              check=True, capture_output=True, text=True, timeout=120).stdout
    flat = re.sub(r"\s+", " ", markdown)
    for heading in SECTIONS:
        assert re.search(rf"^# {re.escape(heading)}", markdown, re.M), heading
    footnotes = xml_of(example["docx"], "word/footnotes.xml").xpath(
        "//w:footnote[not(@w:type)]", namespaces=W)
    definitions = re.findall(r"^\[\^(\d+)\]:", markdown, re.M)
    assert len(definitions) == len(footnotes)
    assert "Written declaration No. 675" in flat


def test_letter_paper_and_french(tmp_path):
    root = copy_example(tmp_path / "p")
    result = build(BuildRequest(project_dir=root, formats=["docx"], paper="letter", lang="fr"))
    (path,) = result.outputs
    assert path.name == "brief.fr.letter.docx"
    word = Document(str(path))
    section = word.sections[0]
    assert abs(section.page_width - Mm(215.9)) < Mm(0.5)
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"][0] == "Résumé"
    styles = xml_of(path, "word/styles.xml")
    assert styles.xpath("//w:docDefaults//w:lang/@w:val", namespaces=W) == ["fr-FR"]
    assert "sur" in section.footer.paragraphs[0].text


def test_control_characters_are_stripped_with_a_located_warning(tmp_path):
    root = copy_example(tmp_path / "p")
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    text = case.read_text("utf-8") + "Pasted\x0btext with a NUL\x00.\n"
    case.write_text(text, "utf-8")
    line = text.count("\n")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 0, result.output
    assert (f"content/cases/02-saniya-toiken.md:{line}: warning: removed control character "
            "U+000B"
            in result.output)
    assert "U+0000" in result.output
    word = Document(str(root / "build" / "brief.docx"))
    assert any("Pastedtext with a NUL." in p.text for p in word.paragraphs)


def test_project_reference_docx_restyles_the_output(tmp_path):
    root = copy_example(tmp_path / "p")
    exported = tmp_path / "styles.docx"
    result = run_cli("template", "reference-docx", "brief", str(exported))
    assert result.exit_code == 0, result.output
    reference = Document(str(exported))
    reference.styles["Normal"].font.name = "Liberation Serif"
    (root / "templates" / "brief").mkdir(parents=True)
    reference.save(str(root / "templates" / "brief" / "reference.docx"))
    (path,) = build(BuildRequest(project_dir=root, formats=["docx"])).outputs
    assert Document(str(path)).styles["Normal"].font.name == "Liberation Serif"


def test_svg_images_are_rasterised_for_word_with_their_alt_text(tmp_path):
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("cairosvg or libcairo2 not installed")
    root = copy_example(tmp_path / "p")
    (root / "images").mkdir()
    (root / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><title>Logo</title>'
        '<rect width="200" height="60" fill="#1f4e79"/></svg>', "utf-8")
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    case.write_text(case.read_text("utf-8") + "\n![A blue block](images/logo.svg)\n", "utf-8")
    (path,) = build(BuildRequest(project_dir=root, formats=["docx"])).outputs
    (shape,) = Document(str(path)).inline_shapes
    assert shape._inline.docPr.get("descr") == "A blue block"
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and archive.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"


def test_webp_images_are_converted_for_word(tmp_path):
    from PIL import Image

    root = copy_example(tmp_path / "p")
    Image.new("RGB", (4, 4), "red").save(root / "content" / "red.webp", "WEBP")
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    case.write_text(case.read_text("utf-8") + "\n![A red square](content/red.webp)\n", "utf-8")
    (path,) = build(BuildRequest(project_dir=root, formats=["docx"])).outputs
    with zipfile.ZipFile(path) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and archive.read(media[0])[:4] == b"\x89PNG"


def test_two_thousand_citations_make_two_thousand_footnotes(project: Path) -> None:
    """The Word writer is linear in citations (bench/bench_docx_citations.py times it);
    here only what it makes: one footnote per citation, numbered in order, the first
    in the short form (or "Ibid.") and the others "Ibid.", each called from the body
    once."""
    case = project / "content" / "cases" / "02-saniya-toiken.md"
    before = build(BuildRequest(project_dir=project, formats=["docx"]))
    (path,) = before.outputs
    base = _footnote_ids(path)
    claims = " ".join(f"Claim {i} [@odf-2019]." for i in range(2000))
    case.write_text(case.read_text("utf-8") + "\n" + claims + "\n", "utf-8")
    (path,) = build(BuildRequest(project_dir=project, formats=["docx"])).outputs
    ids = _footnote_ids(path)
    assert len(ids) == len(base) + 2000
    assert ids == list(range(1, len(ids) + 1))
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml")
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    calls = [int(i) for i in re.findall(rb'<w:footnoteReference w:id="(\d+)"', body)]
    assert sorted(calls) == ids
    texts = ["".join(n.itertext()) for n in notes.iterfind(f"{{{W['w']}}}footnote")
             if n.get(f"{{{W['w']}}}type") is None]
    assert "|Ibid." * 1999 in "|".join(t.strip() for t in texts)  # the claims, in a row
    paragraph = next(p for p in Document(str(path)).paragraphs if "Claim 1999" in p.text)
    assert "Claim 0. Claim 1. Claim 2." in paragraph.text  # spaces between runs kept


def _footnote_ids(path: Path) -> list[int]:
    with zipfile.ZipFile(path) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    return [int(n.get(f"{{{W['w']}}}id")) for n in notes.iterfind(f"{{{W['w']}}}footnote")
            if n.get(f"{{{W['w']}}}type") is None]
