"""What python-docx lacks, in one place: footnotes, fields, bookmarks, hyperlinks,
list restarts, repeated table headers, alt text, proofing language.

Layered like python-docx's own `docx.oxml`: element classes for the parts we own
(footnotes) are declared with its `xmlchemy` vocabulary and registered with its
parser, and the rest are small functions over `OxmlElement`. The DOCX writer
calls these by name and never builds XML strings itself, so every piece of
WordprocessingML knowledge is here, with tests of its own.
"""

from __future__ import annotations

import hashlib
import re

from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.oxml import parse_xml, register_element_cls
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.oxml.simpletypes import ST_DecimalNumber, ST_String
from docx.oxml.xmlchemy import BaseOxmlElement, OptionalAttribute, RequiredAttribute, ZeroOrMore
from docx.section import Section
from docx.shape import InlineShape
from docx.styles.style import BaseStyle
from docx.table import _Row
from docx.text.paragraph import Paragraph

# python-docx raises on characters XML cannot hold: every text goes through xml_safe
from ...xmlchars import xml_safe as xml_safe

# ----------------------------------------------------------------------------- footnotes


class CT_Footnote(BaseOxmlElement):  # noqa: N801 - python-docx naming for element classes
    """`<w:footnote>`: one note; separators have a `w:type`."""

    id: int = RequiredAttribute("w:id", ST_DecimalNumber)  # type: ignore[assignment]
    type: str | None = OptionalAttribute("w:type", ST_String)  # type: ignore[assignment]
    p = ZeroOrMore("w:p")


class CT_Footnotes(BaseOxmlElement):  # noqa: N801
    """`<w:footnotes>`, the root of the footnotes part."""

    footnote = ZeroOrMore("w:footnote")

    def next_id(self) -> int:
        ids = [int(f.get(qn("w:id"), "0")) for f in self.footnote_lst]
        return max([0, *ids]) + 1

    def new_footnote(self, footnote_id: int | None = None) -> CT_Footnote:
        """A footnote appended with `footnote_id`, by default the next free one (found by
        reading every footnote: a writer adding many keeps its own count instead)."""
        if footnote_id is None:
            footnote_id = self.next_id()
        note = self._add_footnote()
        note.id = footnote_id
        return note


register_element_cls("w:footnotes", CT_Footnotes)
register_element_cls("w:footnote", CT_Footnote)

_EMPTY_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


# Load an existing footnotes part (e.g. from a reference.docx) as XML, not as a blob.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)


def footnotes_part(document: DocumentObject) -> XmlPart:
    """The document's footnotes part, created (with Word's two separators) if missing."""
    main = document.part
    for rel in main.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                   parse_xml(_EMPTY_FOOTNOTES), main.package)
    main.relate_to(part, RT.FOOTNOTES)
    return part


def add_footnote(part: XmlPart, style: str = "FootnoteText",
                 ref_style: str = "FootnoteReference", footnote_id: int | None = None
                 ) -> tuple[int, BaseOxmlElement]:
    """A new footnote with its number mark; returns (id, the `w:p` to fill with runs).

    Without `footnote_id` the next free id is found by reading every footnote of the
    part; a writer adding thousands counts them itself and passes the id, or adding
    n footnotes would take time growing with n².
    """
    note = part.element.new_footnote(footnote_id)
    p = note._add_p()
    p_pr = OxmlElement("w:pPr")
    p_pr.append(_val("w:pStyle", style))
    p.append(p_pr)
    r = OxmlElement("w:r")
    r.append(_run_style(ref_style))
    r.append(OxmlElement("w:footnoteRef"))
    p.append(r)
    space = OxmlElement("w:r")
    space.append(text_element(" "))
    p.append(space)
    return note.id, p


def footnote_reference(footnote_id: int, ref_style: str = "FootnoteReference"
                       ) -> BaseOxmlElement:
    """The run that calls a footnote from the body text."""
    r = OxmlElement("w:r")
    r.append(_run_style(ref_style))
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(footnote_id))
    r.append(ref)
    return r


# ------------------------------------------------------------------------ small builders


def _val(tag: str, value: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    return el


def _run_style(style_id: str) -> BaseOxmlElement:
    r_pr = OxmlElement("w:rPr")
    r_pr.append(_val("w:rStyle", style_id))
    return r_pr


def text_element(text: str) -> BaseOxmlElement:
    """A `w:t` keeping its spaces (Word drops leading/trailing ones otherwise)."""
    t = OxmlElement("w:t")
    t.text = xml_safe(text)
    t.set(qn("xml:space"), "preserve")
    return t


# -------------------------------------------------------------------------------- fields


def fld_char(kind: str, dirty: bool = False) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if dirty:
        fld.set(qn("w:dirty"), "true")
    r.append(fld)
    return r


def instr_text(instruction: str) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    return r


def add_simple_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES…) with a cached result, as Word itself writes them."""
    p = paragraph._p
    p.append(fld_char("begin"))
    p.append(instr_text(instruction))
    p.append(fld_char("separate"))
    r = OxmlElement("w:r")
    r.append(text_element(cached))
    p.append(r)
    p.append(fld_char("end"))


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a field whose result spans paragraphs (a TOC); close it with end_field."""
    p = paragraph._p
    p.append(fld_char("begin"))
    p.append(instr_text(instruction))
    p.append(fld_char("separate"))


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(fld_char("end"))


# ------------------------------------------------------------------ bookmarks and links


_BOOKMARK_SAFE = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML id: letters, digits, '_', at most 40 characters.

    A short hash is added when the id had to be changed or shortened, so that
    'a-b' and 'a_b' stay two different bookmarks.
    """
    safe = _BOOKMARK_SAFE.sub("_", anchor)
    name = "bg_" + safe
    if safe != anchor or len(name) > 40:
        digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
        name = name[:31] + "_" + digest
    return name


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Bookmark the whole paragraph (start before its first run, end after its last)."""
    p = paragraph._p
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p_pr = p.find(qn("w:pPr"))
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def hyperlink(part: Part, *, url: str | None = None, anchor: str | None = None
              ) -> BaseOxmlElement:
    """A `w:hyperlink` to fill with runs: external (relationship in `part`) or internal."""
    link = OxmlElement("w:hyperlink")
    if url is not None:
        r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), r_id)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


# ----------------------------------------------------------------------------- numbering


def restart_numbering(document: DocumentObject, style: BaseStyle) -> int:
    """A new w:num for the list style's abstract numbering, starting again at 1.

    Word continues a numbered style across the whole document; each list in the
    brief must restart, and every item of it must carry the new numId (on the
    first item alone pandoc and LibreOffice number on from the previous list).
    """
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        raise ValueError(f"style '{style.name}' has no numbering")
    numbering = document.part.numbering_part.element
    try:
        abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
    except (KeyError, AttributeError):  # a numId the numbering part does not define
        raise ValueError(f"style '{style.name}' has no numbering") from None
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def set_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


# ------------------------------------------------------------------ tables, pictures, pages


def repeat_as_header(row: _Row) -> None:
    """Mark a table row to repeat at the top of every page the table spans."""
    _row_flag(row, "w:tblHeader")


def keep_row_together(row: _Row) -> None:
    _row_flag(row, "w:cantSplit")


def _row_flag(row: _Row, tag: str) -> None:
    """A row property that is on when present: written bare, as Word writes it (the
    Open XML SDK, and so Word's validation, knows only "on"/"off" for these two, where
    ECMA-376's transitional schema also allows "true")."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))  # w:trPr's children are a choice: any order


def set_alt_text(inline_shape: InlineShape, text: str, title: str = "") -> None:
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", xml_safe(text))
    if title:
        doc_pr.set("title", xml_safe(title))


def page_break_before(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def set_title_page(section: Section) -> None:
    """No header or footer on the first page (the cover)."""
    section.different_first_page_header_footer = True


# ------------------------------------------------------------------------------ settings


FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")


def set_fonts(r_fonts: BaseOxmlElement, family: str) -> None:
    """All four font slots of a `w:rFonts` set to `family`, and its theme fonts removed:
    in Word a theme attribute beside an explicit font wins over it."""
    for attr in THEME_SLOTS:
        r_fonts.attrib.pop(qn(attr), None)
    for attr in FONT_SLOTS:
        r_fonts.set(qn(attr), family)


def default_run_properties(document: DocumentObject) -> BaseOxmlElement:
    """The styles' `w:docDefaults/w:rPrDefault/w:rPr`, made where a reference lacks it:
    what every run inherits (the default font, the proofing language)."""
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    r_pr = rpr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        rpr_default.append(r_pr)
    return r_pr


def set_proofing_language(document: DocumentObject, lang: str) -> None:
    """`w:lang` in the style defaults: python-docx's core_properties.language does not."""
    set_language(default_run_properties(document), lang)


def set_language(r_pr: BaseOxmlElement, lang: str) -> None:
    """`w:lang` in run properties (the defaults' or one run's), e.g. "ru-RU": Word then
    checks the spelling, and a screen reader reads the text, in that language."""
    lang_el = r_pr.find(qn("w:lang"))
    if lang_el is None:  # in schema order: a reference's defaults may have more after it
        lang_el = OxmlElement("w:lang")
        insert_in_order(r_pr, lang_el, RPR_ORDER)
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), lang)
    lang_el.set(qn("w:bidi"), lang)


def set_style_font(style: BaseStyle, family: str) -> None:
    """All four font slots (ASCII, high ANSI, complex script, East Asian) of a style, and
    no theme font beside them (in Word the theme's would win)."""
    set_fonts(style.element.get_or_add_rPr().get_or_add_rFonts(), family)


# -------------------------------------------------------------------------- schema order

# CT_PPrBase's children in ECMA-376's order. python-docx knows it, but adds only some of
# them in it: a border appended to a style's w:pPr lands after its w:outlineLvl, where
# Word's schema does not allow it.
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
             "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
             "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
             "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
             "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
             "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
             "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# CT_RPr's children (EG_RPrBase, then its change record) in ECMA-376's order
RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
             "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
             "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
             "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
             "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
             "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


def insert_in_order(parent: BaseOxmlElement, child: BaseOxmlElement,
                    order: tuple[str, ...]) -> None:
    """`child` where the schema's sequence `order` puts it in `parent`, replacing a child
    of the same name."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    names = [qn(tag) for tag in order]
    later = set(names[names.index(child.tag) + 1:])
    follower = next((el for el in parent if el.tag in later), None)
    if follower is None:
        parent.append(child)
    else:
        follower.addprevious(child)


def paragraph_border(style: BaseStyle, side: str = "bottom", size: int = 8,
                     color: str = "1F4E79", space: int = 1) -> None:
    """A line on one side of a paragraph style (`w:pBdr`)."""
    border = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for attr, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)),
                        ("w:color", color)):
        line.set(qn(attr), value)
    border.append(line)
    insert_in_order(style.element.get_or_add_pPr(), border, PPR_ORDER)


def paragraph_shading(style: BaseStyle, fill: str) -> None:
    """A paragraph style's background (`w:shd`)."""
    shade = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shade.set(qn(attr), value)
    insert_in_order(style.element.get_or_add_pPr(), shade, PPR_ORDER)


# CT_TcPr's children in ECMA-376's order
TCPR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
              "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
              "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
              "w:tcPrChange")


def _shd(fill: str) -> BaseOxmlElement:
    shade = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shade.set(qn(attr), value)
    return shade


def _padding(fill: str, points: int = 8) -> BaseOxmlElement:
    """Borders in the background's own colour: Word's only padding for a paragraph's
    shading (its text would touch the edge of the colour). Paragraphs with the same
    borders form one box, so a run of them is padded as one."""
    border = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", str(points)),
                            ("w:color", fill)):
            line.set(qn(attr), value)
        border.append(line)
    return border


def shade(element: BaseOxmlElement, fill: str, ink: str | None = None) -> None:
    """A background behind a block of the body, as CSS paints one: a paragraph's
    (`w:shd`), or every cell's of a table; `ink`, the colour of its text on it."""
    if element.tag == qn("w:p"):
        insert_in_order(element.get_or_add_pPr(), _shd(fill), PPR_ORDER)
        insert_in_order(element.get_or_add_pPr(), _padding(fill), PPR_ORDER)
    for tc in element.iter(qn("w:tc")):
        insert_in_order(tc.get_or_add_tcPr(), _shd(fill), TCPR_ORDER)
    if ink is not None:
        for run in element.iter(qn("w:r")):
            colour = _val("w:color", ink)
            insert_in_order(run.get_or_add_rPr(), colour, RPR_ORDER)


def drop_part(document: DocumentObject, partname: str) -> None:
    """Remove a part (e.g. python-docx's default thumbnail) by dropping its relationship."""
    for source in (document.part.package, document.part):
        for rel_id, rel in list(source.rels.items()):
            if not rel.is_external and rel.target_part.partname == partname:
                del source.rels[rel_id]


def tidy_cell(tc: BaseOxmlElement) -> None:
    """A table cell as Word wants it after blocks were added to it: without the empty
    paragraph it was created with (when it holds more), ending in a paragraph (a cell
    that ends in a table is an error to Word)."""
    blocks = [c for c in tc if c.tag in (qn("w:p"), qn("w:tbl"))]
    first = blocks[0] if blocks else None
    if len(blocks) > 1 and first is not None and first.tag == qn("w:p") and \
            not any(c.tag != qn("w:pPr") for c in first):
        tc.remove(first)
        blocks = blocks[1:]
    if not blocks or blocks[-1].tag == qn("w:tbl"):
        tc.append(OxmlElement("w:p"))
