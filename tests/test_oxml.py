"""The OOXML helpers, checked on the XML of saved and reopened documents.

Each test builds a small document with python-docx, applies one helper, saves
it to bytes and reads the result back (with python-docx or straight from the
zip), so what is asserted is what Word will actually be given.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import NAMESPACE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree
from PIL import Image

from briefgen.writers.docx import oxml
from briefgen.writers.docx.package import FIXED_TIME, normalise_package

NS = {
    "w": nsmap["w"],
    "r": nsmap["r"],
    "wp": nsmap["wp"],
    "ct": NAMESPACE.OPC_CONTENT_TYPES,
    "rel": NAMESPACE.OPC_RELATIONSHIPS,
}


# ------------------------------------------------------------------------------ helpers


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def reopen(document):
    return docx.Document(io.BytesIO(save(document)))


def member(blob: bytes, name: str):
    """The parsed XML of one zip member."""
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return etree.fromstring(archive.read(name))


def names(blob: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return archive.namelist()


def body(blob: bytes):
    return member(blob, "word/document.xml").find(qn("w:body"))


def run_kinds(p) -> list[tuple[str, str | None]]:
    """The runs of a `w:p`, each as (what it holds, its field type or text)."""
    kinds = []
    for r in p.iterchildren(qn("w:r")):
        fld = r.find(qn("w:fldChar"))
        instr = r.find(qn("w:instrText"))
        text = r.find(qn("w:t"))
        if fld is not None:
            kinds.append(("fldChar", fld.get(qn("w:fldCharType"))))
        elif instr is not None:
            kinds.append(("instrText", instr.text))
        elif text is not None:
            kinds.append(("t", text.text))
    return kinds


def footnote_rels(document) -> list:
    return [rel for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES]


def png_bytes() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


# ------------------------------------------------------------------------------ xml_safe


@pytest.mark.parametrize(
    "bad", ["\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ufffe", "\uffff"]
)
def test_xml_safe_strips_what_xml_cannot_hold(bad):
    assert oxml.xml_safe(f"a{bad}b") == "ab"


def test_xml_safe_keeps_tabs_newlines_and_unicode():
    text = "Tab\there\nnew line — Парламент, ӘҚҢ әқң, «guillemets» €"
    assert oxml.xml_safe(text) == text


def test_xml_safe_text_survives_python_docx_round_trip():
    document = docx.Document()
    raw = "a\x00b\x0bc\x0cd\x1fe\ufffef\tg ӘҚҢ Қазақстан"
    document.add_paragraph().add_run(oxml.xml_safe(raw))
    reopened = reopen(document)
    assert reopened.paragraphs[-1].text == "abcdef\tg ӘҚҢ Қазақстан"


def test_xml_safe_strips_lone_surrogates():
    text = oxml.xml_safe("a\ud800b\udfffc")
    assert text == "abc"
    document = docx.Document()
    document.add_paragraph(text)
    assert reopen(document).paragraphs[-1].text == "abc"


# ----------------------------------------------------------------------------- footnotes


def test_footnotes_part_is_created_with_both_separators():
    document = docx.Document()
    part = oxml.footnotes_part(document)
    assert part.partname == "/word/footnotes.xml"
    assert part.content_type == CT.WML_FOOTNOTES
    assert [rel.target_part for rel in footnote_rels(document)] == [part]
    blob = save(document)

    root = member(blob, "word/footnotes.xml")
    assert root.tag == qn("w:footnotes")
    notes = root.findall(qn("w:footnote"))
    assert [(n.get(qn("w:id")), n.get(qn("w:type"))) for n in notes] == [
        ("-1", "separator"), ("0", "continuationSeparator"),
    ]
    assert notes[0].xpath("w:p/w:r/w:separator", namespaces=NS)
    assert notes[1].xpath("w:p/w:r/w:continuationSeparator", namespaces=NS)

    rels = member(blob, "word/_rels/document.xml.rels")
    targets = rels.xpath(f"rel:Relationship[@Type='{RT.FOOTNOTES}']/@Target", namespaces=NS)
    assert targets == ["footnotes.xml"]


def test_footnotes_part_is_created_once():
    document = docx.Document()
    assert oxml.footnotes_part(document) is oxml.footnotes_part(document)
    assert len(footnote_rels(document)) == 1


def test_footnotes_part_has_a_content_type_override():
    document = docx.Document()
    oxml.footnotes_part(document)
    types = member(save(document), "[Content_Types].xml")
    overrides = types.xpath(
        "ct:Override[@PartName='/word/footnotes.xml']/@ContentType", namespaces=NS
    )
    assert overrides == [CT.WML_FOOTNOTES]


def test_footnotes_part_of_a_reopened_document_is_the_existing_one():
    document = docx.Document()
    oxml.add_footnote(oxml.footnotes_part(document))
    reopened = reopen(document)

    part = oxml.footnotes_part(reopened)
    assert isinstance(part, XmlPart)
    assert part.element.tag == qn("w:footnotes")
    assert part.partname == "/word/footnotes.xml"
    assert len(footnote_rels(reopened)) == 1
    assert oxml.footnotes_part(reopened) is part
    # The existing notes are kept and numbering carries on after them.
    assert oxml.add_footnote(part)[0] == 2

    blob = save(reopened)
    assert [n for n in names(blob) if "footnotes" in n] == ["word/footnotes.xml"]
    ids = member(blob, "word/footnotes.xml").xpath("w:footnote/@w:id", namespaces=NS)
    assert ids == ["-1", "0", "1", "2"]


def test_footnotes_are_numbered_in_order_and_referenced_from_the_body():
    document = docx.Document()
    part = oxml.footnotes_part(document)
    for number, words in enumerate(["first note", "second note", "Қазақ тілі ӘҚҢ"], start=1):
        footnote_id, p = oxml.add_footnote(part)
        assert footnote_id == number
        Paragraph(p, document.part).add_run(words)
        body_p = document.add_paragraph(f"Claim {number}.")
        body_p._p.append(oxml.footnote_reference(footnote_id))
    blob = save(document)

    notes = member(blob, "word/footnotes.xml").findall(qn("w:footnote"))
    assert [n.get(qn("w:id")) for n in notes] == ["-1", "0", "1", "2", "3"]
    texts = ["first note", "second note", "Қазақ тілі ӘҚҢ"]
    for note, words in zip(notes[2:], texts, strict=True):
        assert note.get(qn("w:type")) is None
        (p,) = note.findall(qn("w:p"))
        assert p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["FootnoteText"]
        mark = p.xpath("w:r[w:footnoteRef]", namespaces=NS)
        assert len(mark) == 1
        assert mark[0].xpath("w:rPr/w:rStyle/@w:val", namespaces=NS) == ["FootnoteReference"]
        assert "".join(p.xpath("w:r/w:t/text()", namespaces=NS)) == f" {words}"

    refs = body(blob).xpath("w:p/w:r/w:footnoteReference", namespaces=NS)
    assert [ref.get(qn("w:id")) for ref in refs] == ["1", "2", "3"]
    for ref in refs:
        assert ref.xpath("../w:rPr/w:rStyle/@w:val", namespaces=NS) == ["FootnoteReference"]


def test_footnote_styles_can_be_chosen():
    document = docx.Document()
    _, p = oxml.add_footnote(oxml.footnotes_part(document), style="Notes", ref_style="Mark")
    document.add_paragraph()._p.append(oxml.footnote_reference(1, ref_style="Mark"))
    blob = save(document)
    note = member(blob, "word/footnotes.xml").xpath("w:footnote[@w:id='1']", namespaces=NS)[0]
    assert note.xpath("w:p/w:pPr/w:pStyle/@w:val", namespaces=NS) == ["Notes"]
    assert note.xpath("w:p/w:r[w:footnoteRef]/w:rPr/w:rStyle/@w:val", namespaces=NS) == ["Mark"]
    assert body(blob).xpath(
        "w:p/w:r[w:footnoteReference]/w:rPr/w:rStyle/@w:val", namespaces=NS
    ) == ["Mark"]


# -------------------------------------------------------------------------------- fields


def test_simple_field_is_a_complex_field_with_its_cached_result():
    document = docx.Document()
    oxml.add_simple_field(document.add_paragraph(), "PAGE", "1")
    blob = save(document)
    (p,) = body(blob).findall(qn("w:p"))
    assert run_kinds(p) == [
        ("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate"),
        ("t", "1"), ("fldChar", "end"),
    ]
    instr = p.xpath("w:r/w:instrText", namespaces=NS)[0]
    assert instr.get(qn("xml:space")) == "preserve"
    assert docx.Document(io.BytesIO(blob)).paragraphs[0].text == "1"


def test_field_spanning_paragraphs_opens_in_the_first_and_closes_in_the_last():
    document = docx.Document()
    first = document.add_paragraph()
    oxml.begin_field(first, 'TOC \\o "1-3" \\h')
    document.add_paragraph("Introduction")
    last = document.add_paragraph("Conclusion")
    oxml.end_field(last)
    paragraphs = body(save(document)).findall(qn("w:p"))

    assert run_kinds(paragraphs[0]) == [
        ("fldChar", "begin"), ("instrText", ' TOC \\o "1-3" \\h '), ("fldChar", "separate"),
    ]
    assert not paragraphs[1].xpath(".//w:fldChar", namespaces=NS)
    assert run_kinds(paragraphs[2]) == [("t", "Conclusion"), ("fldChar", "end")]
    assert paragraphs[2].findall(qn("w:r"))[-1].find(qn("w:fldChar")) is not None


# ------------------------------------------------------------------ bookmarks and links


ANCHORS = [
    "intro", "2-context", "_private", "section:1.2/b", "Раздел-ӘҚҢ", "",
    "x" * 37, "very-long-anchor-" * 10,
]


@pytest.mark.parametrize("anchor", ANCHORS)
def test_bookmark_name_is_a_valid_word_bookmark_name(anchor):
    name = oxml.bookmark_name(anchor)
    assert name[0].isascii() and name[0].isalpha()
    assert re.fullmatch(r"[A-Za-z0-9_]+", name)
    assert name == oxml.bookmark_name(anchor)


@pytest.mark.parametrize("anchor", ["intro", "2-context", "Раздел-ӘҚҢ", "x" * 37])
def test_short_bookmark_names_fit_in_40_characters(anchor):
    assert len(oxml.bookmark_name(anchor)) <= 40


@pytest.mark.parametrize(
    "anchor", ["x" * 38, "x" * 39, "very-long-anchor-" * 10], ids=["38", "39", "170"]
)
def test_long_bookmark_names_fit_in_40_characters(anchor):
    assert len(oxml.bookmark_name(anchor)) <= 40


def test_long_anchors_sharing_a_prefix_get_distinct_names():
    prefix = "the-parliamentary-assembly-resolution-on-"
    assert len(prefix) >= 40
    first, second = oxml.bookmark_name(prefix + "kazakhstan"), oxml.bookmark_name(prefix + "fr")
    assert first != second
    assert first == oxml.bookmark_name(prefix + "kazakhstan")


def test_bookmark_wraps_a_styled_paragraph():
    document = docx.Document()
    paragraph = document.add_paragraph("Context", style="Heading 1")
    paragraph.add_run(" and aims")
    oxml.add_bookmark(paragraph, "bg_context", 7)
    (p,) = body(save(document)).findall(qn("w:p"))
    children = [etree.QName(child).localname for child in p]
    assert children == ["pPr", "bookmarkStart", "r", "r", "bookmarkEnd"]
    start, end = p.find(qn("w:bookmarkStart")), p.find(qn("w:bookmarkEnd"))
    assert start.get(qn("w:id")) == end.get(qn("w:id")) == "7"
    assert start.get(qn("w:name")) == "bg_context"


def test_bookmark_on_a_paragraph_without_properties_starts_it():
    document = docx.Document()
    paragraph = document.add_paragraph("Plain")
    assert paragraph._p.pPr is None
    oxml.add_bookmark(paragraph, "bg_plain", 3)
    (p,) = body(save(document)).findall(qn("w:p"))
    assert [etree.QName(child).localname for child in p] == ["bookmarkStart", "r", "bookmarkEnd"]


def test_external_hyperlink_has_a_relationship():
    document = docx.Document()
    url = "https://www.ohchr.org/en/documents?lang=kk&q=ӘҚҢ"
    paragraph = document.add_paragraph("See ")
    link = oxml.hyperlink(document.part, url=url)
    link.append(paragraph.add_run("the report")._r)
    paragraph._p.append(link)
    reopened = reopen(document)

    (element,) = reopened.paragraphs[0]._p.findall(qn("w:hyperlink"))
    r_id = element.get(qn("r:id"))
    assert r_id is not None
    assert element.get(qn("w:anchor")) is None
    rel = reopened.part.rels[r_id]
    assert rel.reltype == RT.HYPERLINK
    assert rel.is_external
    assert rel.target_ref == url
    assert reopened.paragraphs[0].hyperlinks[0].url == url


def test_internal_hyperlink_has_an_anchor_and_no_relationship():
    document = docx.Document()
    rels_before = dict(document.part.rels)
    paragraph = document.add_paragraph()
    link = oxml.hyperlink(document.part, anchor="bg_context")
    link.append(paragraph.add_run("Context")._r)
    paragraph._p.append(link)
    reopened = reopen(document)

    (element,) = reopened.paragraphs[0]._p.findall(qn("w:hyperlink"))
    assert element.get(qn("w:anchor")) == "bg_context"
    assert element.get(qn("r:id")) is None
    assert set(reopened.part.rels) == set(rels_before)
    assert not [r for r in reopened.part.rels.values() if r.reltype == RT.HYPERLINK]


# ----------------------------------------------------------------------------- numbering


def style_num_id(blob: bytes, style_id: str) -> str:
    styles = member(blob, "word/styles.xml")
    (num_id,) = styles.xpath(
        f"w:style[@w:styleId='{style_id}']/w:pPr/w:numPr/w:numId/@w:val", namespaces=NS
    )
    return num_id


def test_restart_numbering_adds_a_num_starting_at_one():
    document = docx.Document()
    num_id = oxml.restart_numbering(document, document.styles["List Number"])
    assert isinstance(num_id, int)
    blob = save(document)

    numbering = member(blob, "word/numbering.xml")
    style_num = style_num_id(blob, "ListNumber")
    assert str(num_id) != style_num
    (abstract,) = numbering.xpath(
        f"w:num[@w:numId='{style_num}']/w:abstractNumId/@w:val", namespaces=NS
    )
    (num,) = numbering.xpath(f"w:num[@w:numId='{num_id}']", namespaces=NS)
    assert num.xpath("w:abstractNumId/@w:val", namespaces=NS) == [abstract]
    overrides = num.findall(qn("w:lvlOverride"))
    assert [o.get(qn("w:ilvl")) for o in overrides] == ["0"]
    assert overrides[0].xpath("w:startOverride/@w:val", namespaces=NS) == ["1"]


def test_each_restart_gets_its_own_num():
    document = docx.Document()
    style = document.styles["List Number"]
    first, second = oxml.restart_numbering(document, style), oxml.restart_numbering(document, style)
    assert first != second
    numbering = member(save(document), "word/numbering.xml")
    ids = numbering.xpath("w:num/@w:numId", namespaces=NS)
    assert str(first) in ids and str(second) in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("level", [0, 1])
def test_set_numbering_writes_num_pr(level):
    document = docx.Document()
    num_id = oxml.restart_numbering(document, document.styles["List Number"])
    items = [document.add_paragraph(text, style="List Number") for text in ("one", "two")]
    for item in items:
        oxml.set_numbering(item, num_id, level)
    reopened = reopen(document)

    for paragraph in reopened.paragraphs:
        num_pr = paragraph._p.pPr.numPr
        assert num_pr.ilvl.val == level
        assert num_pr.numId.val == num_id
    # The num the paragraphs point to is still there after the round trip.
    numbering = reopened.part.numbering_part.element
    assert numbering.num_having_numId(num_id) is not None


def test_restart_numbering_refuses_a_style_without_numbering():
    document = docx.Document()
    with pytest.raises(ValueError, match="Normal"):
        oxml.restart_numbering(document, document.styles["Normal"])


# ------------------------------------------------------------------ tables, pictures, pages


def table_rows(blob: bytes):
    (tbl,) = body(blob).findall(qn("w:tbl"))
    return tbl.findall(qn("w:tr"))


def test_repeat_as_header_marks_the_row():
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    oxml.repeat_as_header(table.rows[0])
    rows = table_rows(save(document))
    # on when present, written bare as Word writes it (no w:val the Open XML SDK refuses)
    (flag,) = rows[0].xpath("w:trPr/w:tblHeader", namespaces=NS)
    assert flag.get(qn("w:val")) is None
    assert not rows[1].xpath("w:trPr/w:tblHeader", namespaces=NS)


def test_keep_row_together_marks_the_row():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    oxml.keep_row_together(table.rows[1])
    rows = table_rows(save(document))
    (flag,) = rows[1].xpath("w:trPr/w:cantSplit", namespaces=NS)
    assert flag.get(qn("w:val")) is None
    assert not rows[0].xpath("w:trPr/w:cantSplit", namespaces=NS)


def test_set_alt_text_on_a_picture():
    document = docx.Document()
    shape = document.add_paragraph().add_run().add_picture(png_bytes(), width=Pt(20))
    oxml.set_alt_text(shape, "Map of Kazakhstan — ӘҚҢ\x0b", title="Map")
    (doc_pr,) = body(save(document)).xpath(".//wp:inline/wp:docPr", namespaces=NS)
    assert doc_pr.get("descr") == "Map of Kazakhstan — ӘҚҢ"
    assert doc_pr.get("title") == "Map"


def test_set_alt_text_without_title_leaves_no_title():
    document = docx.Document()
    shape = document.add_paragraph().add_run().add_picture(png_bytes())
    oxml.set_alt_text(shape, "A red square")
    (doc_pr,) = body(save(document)).xpath(".//wp:inline/wp:docPr", namespaces=NS)
    assert doc_pr.get("descr") == "A red square"
    assert doc_pr.get("title") is None


# ------------------------------------------------------------------------------ settings


def default_langs(blob: bytes) -> list:
    styles = member(blob, "word/styles.xml")
    return styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang", namespaces=NS)


def test_set_proofing_language_in_style_defaults():
    document = docx.Document()
    oxml.set_proofing_language(document, "fr-FR")
    reopened = reopen(document)
    oxml.set_proofing_language(reopened, "fr-FR")
    (lang,) = default_langs(save(reopened))
    assert lang.get(qn("w:val")) == "fr-FR"
    assert lang.get(qn("w:eastAsia")) == "fr-FR"
    assert lang.get(qn("w:bidi")) == "fr-FR"


def test_set_proofing_language_twice_keeps_one_lang():
    document = docx.Document()
    oxml.set_proofing_language(document, "kk-KZ")
    oxml.set_proofing_language(document, "fr-FR")
    (lang,) = default_langs(save(document))
    assert lang.get(qn("w:val")) == "fr-FR"


def test_set_proofing_language_builds_missing_defaults():
    document = docx.Document()
    styles = document.styles.element
    styles.remove(styles.find(qn("w:docDefaults")))
    oxml.set_proofing_language(document, "fr-FR")
    oxml.set_proofing_language(document, "fr-FR")
    blob = save(document)
    root = member(blob, "word/styles.xml")
    assert root[0].tag == qn("w:docDefaults")
    (lang,) = default_langs(blob)
    assert lang.get(qn("w:val")) == "fr-FR"


def test_drop_part_removes_the_thumbnail():
    document = docx.Document()
    assert "docProps/thumbnail.jpeg" in names(save(document))
    oxml.drop_part(document, "/docProps/thumbnail.jpeg")
    blob = save(document)

    assert "docProps/thumbnail.jpeg" not in names(blob)
    types = etree.tostring(member(blob, "[Content_Types].xml")).decode()
    assert "thumbnail" not in types
    assert "jpeg" not in types
    package_rels = member(blob, "_rels/.rels")
    assert not package_rels.xpath(f"rel:Relationship[@Type='{RT.THUMBNAIL}']", namespaces=NS)
    assert docx.Document(io.BytesIO(blob)).paragraphs == []


# ------------------------------------------------------------------------------- package


def test_normalised_packages_are_byte_identical():
    document = docx.Document()
    document.add_paragraph("Same content, same bytes — ӘҚҢ.")
    first, second = normalise_package(save(document)), normalise_package(save(document))
    assert first == second


def test_normalised_package_has_fixed_times_and_order():
    document = docx.Document()
    document.add_paragraph("Ordered")
    raw = save(document)
    blob = normalise_package(raw)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert all(info.date_time == FIXED_TIME == (1980, 1, 1, 0, 0, 0) for info in infos)
        with zipfile.ZipFile(io.BytesIO(raw)) as original:
            assert sorted(archive.namelist()) == sorted(original.namelist())
            assert all(archive.read(n) == original.read(n) for n in original.namelist())
    assert docx.Document(io.BytesIO(blob)).paragraphs[0].text == "Ordered"


def test_bookmark_names_keep_ids_apart_that_differ_only_in_punctuation():
    names = {oxml.bookmark_name(a) for a in ("a-b", "a.b", "a_b")}
    assert len(names) == 3


def test_row_helpers_are_idempotent():
    document = docx.Document()
    row = document.add_table(rows=1, cols=1).rows[0]
    for _ in range(2):
        oxml.repeat_as_header(row)
        oxml.keep_row_together(row)
    tr_pr = row._tr.trPr
    assert len(tr_pr.findall(qn("w:tblHeader"))) == 1
    assert len(tr_pr.findall(qn("w:cantSplit"))) == 1


def test_paragraph_border_and_shading_go_where_the_schema_puts_them():
    """Appended, a style's border came after its w:outlineLvl: Word's schema refuses that."""
    document = docx.Document()
    style = document.styles["Heading 1"]  # its w:pPr ends with w:spacing, w:outlineLvl
    oxml.paragraph_border(style)
    oxml.paragraph_shading(style, "E8EEF5")
    oxml.paragraph_border(style, side="left")  # replaces the border: never two w:pBdr
    names = [c.tag.split("}")[1] for c in style.element.pPr]
    assert names.count("pBdr") == 1 and style.element.pPr.find(qn("w:pBdr"))[0].tag == qn(
        "w:left")
    assert names.index("keepLines") < names.index("pBdr") < names.index("shd") \
        < names.index("spacing") < names.index("outlineLvl")


def test_proofing_language_goes_before_what_follows_it_in_the_schema():
    document = docx.Document()
    r_pr = document.styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault")).find(qn("w:rPr"))
    for lang in r_pr.findall(qn("w:lang")):
        r_pr.remove(lang)
    r_pr.append(OxmlElement("w:eastAsianLayout"))  # as a reference.docx may have it
    oxml.set_proofing_language(document, "en-GB")
    names = [c.tag.split("}")[1] for c in r_pr]
    assert names[-2:] == ["lang", "eastAsianLayout"]


def test_a_style_font_set_leaves_no_theme_font_beside_it():
    """In Word a theme font (w:asciiTheme…) wins over the font named beside it."""
    document = docx.Document()
    style = document.styles["Heading 1"]  # python-docx's: the theme's heading font
    oxml.set_style_font(style, "Noto Sans")
    r_fonts = style.element.rPr.rFonts
    assert {k.split("}")[1]: v for k, v in r_fonts.attrib.items()} == {
        "ascii": "Noto Sans", "hAnsi": "Noto Sans", "cs": "Noto Sans", "eastAsia": "Noto Sans"}
