"""The letter's files as readers get them: accessible PDF, Word with the same content,
LibreOffice's reading of it, and the pack (letter + handout)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from briefgen.batch.combined import PrintItem, combined_pdf
from briefgen.batch.run import COMBINED, BatchRequest, run_batch
from briefgen.parity import compare, read_docx, read_pdf
from briefgen.pipeline import Pipeline

from .conftest import copy_example
from .pdf_tags import assert_tagged_print_file, unresolved
from .test_docx import tool

ROSTER = """title,given_name,surname,country,role,group,language,address
Ms,Olena,Kovalenko,Ukraine,substitute,EPP/CD,en,"Verkhovna Rada
Hrushevskoho St 5
Kyiv"
Mme,Élodie,Martin,France,representative,SOC,fr,
"""


def text_of(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[str, Path]:
    root = copy_example(tmp_path_factory.mktemp("letters"))
    (root / "recipients.csv").write_text(ROSTER, "utf-8")
    result = run_batch(BatchRequest(root, "letter", root / "recipients.csv",
                                    formats=["pdf", "docx", "html"], jobs=1))
    assert result.count("built") == 2
    return {"root": root, "out": result.out_dir}


@pytest.mark.parametrize("stem", ["kovalenko-olena", "martin-elodie"])
def test_letters_are_pdf_ua(letters, stem):
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(letters["out"] / f"{stem}.pdf"), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


@pytest.mark.parametrize("stem", ["kovalenko-olena", "martin-elodie"])
def test_word_letter_carries_what_the_pdf_carries(letters, stem):
    out = letters["out"]
    loaded = Pipeline.open(letters["root"]).loaded
    content = loaded.content.model_copy(update={"cases": []})  # a letter lists no cases
    pdf = read_pdf((out / f"{stem}.pdf").read_bytes())
    word = read_docx((out / f"{stem}.docx").read_bytes())
    report = compare(pdf, word, content)
    assert report.differences == []
    assert word.links == pdf.links == {"https://example.org/briefs/kazakhstan-magnitsky"}


def test_pdf_metadata_names_the_letter_and_its_language(letters):
    reader = PdfReader(letters["out"] / "martin-elodie.pdf")
    assert reader.metadata.title.startswith("Déclaration écrite n° 675")
    assert reader.metadata.title.endswith("Mme Élodie Martin")
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    props = Document(str(letters["out"] / "martin-elodie.docx")).core_properties
    assert props.title == reader.metadata.title
    assert props.language == "fr"


def test_word_styles_for_address_date_and_signature(letters):
    word = Document(str(letters["out"] / "kovalenko-olena.docx"))
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["Ms Olena Kovalenko"] == "Address"
    assert styles["Hrushevskoho St 5"] == "Address"
    assert styles["Dear Ms Kovalenko,"] != "Address"
    date = next(p for p in word.paragraphs if p.style.name == "Letter Date")
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}", date.text)
    assert [p.text for p in word.paragraphs if p.style.name == "Signature"] == [
        "Your Name (replace in content/letter.yaml)"]


def test_html_letter_is_self_contained(letters):
    html = (letters["out"] / "martin-elodie.html").read_text("utf-8")
    assert "Madame la Députée," in html and "<script" not in html


def test_libreoffice_lays_out_the_word_letter(letters, tmp_path):
    soffice = tool("soffice")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(letters["out"] / "martin-elodie.docx")], check=True,
                   capture_output=True, timeout=180)
    text = text_of(tmp_path / "martin-elodie.pdf")
    for expected in ("Mme Élodie Martin", "Madame la Députée,",
                     "Je vous prie d’agréer, Madame la Députée,",
                     "André Gattolin et Jacques Maire"):
        assert expected in text


def test_pack_puts_the_handout_behind_each_letter(tmp_path):
    root = copy_example(tmp_path / "p")
    (root / "recipients.csv").write_text(ROSTER, "utf-8")
    result = run_batch(BatchRequest(root, "letter", root / "recipients.csv", pack=True,
                                    jobs=1))
    out = result.out_dir
    assert out == (root / "build" / "letter-pack").resolve()
    reader = PdfReader(out / "martin-elodie.pdf")
    assert len(reader.pages) == 2
    assert "Madame la Députée" in reader.pages[0].extract_text()
    handout = " ".join(reader.pages[1].extract_text().split())
    # the French handout: French labels and the example's French texts
    assert "Des sanctions Magnitsky face aux poursuites politiques au Kazakhstan" in handout
    assert "Ce qu’un parlementaire peut faire".upper() in handout.upper()
    assert "Pièce jointe" in reader.pages[0].extract_text()
    # print file: letter on page 1, its handout on page 3, the next letter on page 5
    combined = PdfReader(out / COMBINED)
    assert len(combined.pages) == 8
    starts = [combined.get_destination_page_number(item) + 1 for item in combined.outline]
    assert starts == [1, 5]
    assert "Kazakhstan" in combined.pages[2].extract_text()
    assert combined.pages[1].extract_text().strip() == ""
    assert_tagged_print_file(out, ["kovalenko-olena", "martin-elodie"])
    # the Word letter carries the handout too, in a section of its own from a new page
    word = Document(str(out / "martin-elodie.docx"))
    # every paragraph, also those in the cells of the handout's two columns; the title
    # keeps its last two words together with a no-break space
    texts = [Paragraph(p, word).text.replace("\xa0", " ")
             for p in word.element.body.iter(qn("w:p"))]
    assert texts.index("Madame la Députée,") < texts.index(
        "Des sanctions Magnitsky face aux poursuites politiques au Kazakhstan")
    assert "Ce qu’un parlementaire peut faire" in texts
    assert len(word.sections) == 2  # a section break starts a new page
    assert abs(word.sections[1].left_margin - Mm(15)) < Mm(0.1)  # the handout's margins
    # the handout on its own too, e.g. to attach to an email
    assert {p.name for p in result.outputs} >= {"_handout.pdf", "_handout.fr.pdf",
                                                "_handout.docx", "_handout.fr.docx"}
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(out / "martin-elodie.pdf"), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    # the same folder without --pack: letters alone, no stale handout files
    run_batch(BatchRequest(root, "letter", root / "recipients.csv", out_dir=out,
                           formats=["pdf"], jobs=1))
    assert len(PdfReader(out / "martin-elodie.pdf").pages) == 1
    assert not list(out.glob("_handout*"))


# --- the print file, tagged ---------------------------------------------------------------


def test_print_file_is_tagged_a_part_per_letter(letters):
    assert_tagged_print_file(letters["out"], ["kovalenko-olena", "martin-elodie"])
    with pikepdf.open(letters["out"] / COMBINED) as pdf:
        assert str(pdf.Root.Lang) == "en"  # the batch's language; each Part has its own
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = str(pdf.docinfo.Title)
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"
            assert meta["dc:title"] == title
    assert title.startswith(PdfReader(letters["out"] / "kovalenko-olena.pdf")
                            .metadata.title.split(" — ")[0])


def test_print_file_keeps_element_ids_and_roles_apart(letters, tmp_path):
    """Two letters naming an element alike, or mapping a role or a class differently:
    the print file keeps every ID unique (the tree and the element renamed together) and
    each letter's role and class as it meant them; a class both define alike is kept
    once."""
    sources = []
    for n, role in enumerate(("/P", "/Span")):
        with pikepdf.open(letters["out"] / "kovalenko-olena.pdf") as pdf:
            root = pdf.Root.StructTreeRoot
            element = root.K[0].K[0]
            element.ID = pikepdf.String("first")
            element.S = pikepdf.Name("/Opening")
            root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(["first", element]))
            root.RoleMap = pikepdf.Dictionary(Opening=pikepdf.Name(role))
            layout = pikepdf.Dictionary(O=pikepdf.Name.Layout, Placement=pikepdf.Name(
                "/Block" if role == "/P" else "/Inline"))
            root.ClassMap = pikepdf.Dictionary(Box=pdf.make_indirect(pikepdf.Dictionary(
                O=pikepdf.Name.Layout, SpaceAfter=6)), Mark=pdf.make_indirect(layout))
            element.C = pikepdf.Array([pikepdf.Name.Box, pikepdf.Name.Mark])
            sources.append(tmp_path / f"{n}.pdf")
            pdf.save(sources[-1])
    target = tmp_path / "print.pdf"
    combined_pdf([PrintItem(f"letter {n}", path, 1) for n, path in enumerate(sources)],
                 "Two letters", "en", target, tmp_path / "staging")
    with pikepdf.open(target) as pdf:
        root = pdf.Root.StructTreeRoot
        names = root.IDTree.Names
        ids = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert len(ids) == 2 and all(str(e.ID) == key for key, e in ids.items())
        firsts = [part.K[0] for part in root.K[0].K]
        roles = {str(k): str(v) for k, v in root.RoleMap.items()}
        assert [roles[str(e.S)] for e in firsts] == ["/P", "/Span"]
        classes = root.ClassMap
        assert len(classes) == 3  # Box once, Mark twice
        assert [[str(classes[str(c)].get("/Placement")) for c in e.C] for e in firsts] == [
            ["None", "/Block"], ["None", "/Inline"]]
    assert unresolved(target) == []
