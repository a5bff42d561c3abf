"""A template's Word layout (template.yaml's `docx_layout`): the PDF's page margins and
the Word styles it changes, so that the .docx runs to about as many pages as the PDF.

The styles come from the template's reference.docx; a template whose PDF differs
(a one-page handout's compact type, a case sheet's small title line) changes them
when the document is written. A document that follows another in the same file (a
pack's handout behind a letter) is written in the first one's styles: it gets a
Word section of its own, in its own margins, and its template's changes as direct
formatting of its paragraphs.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.parfmt import ParagraphFormat

from ...render.templates import DocxLayout, DocxStyle


def word_size(points: float) -> Pt:
    """A type size as Word holds it, in half points: the nearest, where python-docx would
    cut 8.33 pt (the type scale's small size) down to 8 rather than round it to 8.5."""
    return Pt(round(points * 2) / 2)


def set_margins(section: Section, layout: DocxLayout) -> None:
    """The PDF's @page margins: top, right, bottom, left (mm)."""
    if layout.margins:
        (section.top_margin, section.right_margin, section.bottom_margin,
         section.left_margin) = (Mm(m) for m in layout.margins)


def _colour(value: str, colours: Mapping[str, str]) -> RGBColor:
    return RGBColor.from_string(colours.get(value, value.lstrip("#")).upper())


def change_styles(word: DocumentObject, layout: DocxLayout, colours: Mapping[str, str],
                  kinds: Mapping[str, str | None]) -> None:
    """Change the document's styles as the layout says."""
    for name, change in layout.styles.items():
        style = word.styles[name]
        font = style.font
        if change.size is not None:
            font.size = word_size(change.size)
        if change.bold is not None:
            font.bold = change.bold
        if change.italic is not None:
            font.italic = change.italic
        if change.colour is not None:
            font.color.rgb = _colour(change.colour, colours)
        if kinds.get(name) == "paragraph":
            _paragraph_format(style.paragraph_format, change)
        elif kinds.get(name) == "table" and change.cell_padding is not None:
            _cell_padding(style.element, change.cell_padding)
        if kinds.get(name) == "table" and change.shading is not None:
            _shading(style.element, str(_colour(change.shading, colours)))


def _paragraph_format(fmt: object, change: DocxStyle) -> None:
    """Spacing of a style's or a paragraph's ParagraphFormat."""
    if change.space_before is not None:
        fmt.space_before = Pt(change.space_before)  # type: ignore[attr-defined]
    if change.space_after is not None:
        fmt.space_after = Pt(change.space_after)  # type: ignore[attr-defined]
    if change.line_spacing is not None:
        fmt.line_spacing = change.line_spacing  # type: ignore[attr-defined]
    if change.keep_with_next is not None:
        fmt.keep_with_next = change.keep_with_next  # type: ignore[attr-defined]


def _shading(style: BaseOxmlElement, fill: str) -> None:
    """Every cell's background, in a table style (its w:tcPr follows w:tblPr and
    w:trPr, before any w:tblStylePr)."""
    container = style.find(qn("w:tcPr"))
    if container is None:
        container = OxmlElement("w:tcPr")
        before = style.find(qn("w:trPr"))
        if before is None:
            before = style.find(qn("w:tblPr"))
        if before is not None:
            before.addnext(container)
        else:
            style.append(container)
    shd = container.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        container.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _cell_padding(style: BaseOxmlElement, points: float) -> None:
    """The space above and below the text of a table style's cells."""
    tbl_pr = style.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.append(tbl_pr)  # a w:style's tblPr follows its rPr, as here
    margins = tbl_pr.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        tbl_pr.append(margins)
    for side in ("top", "bottom"):
        edge = margins.find(qn(f"w:{side}"))
        if edge is None:
            edge = OxmlElement(f"w:{side}")
            margins.insert(0 if side == "top" else len(margins), edge)
        edge.set(qn("w:w"), str(round(points * 20)))
        edge.set(qn("w:type"), "dxa")


def section_break(word: DocumentObject) -> None:
    """End the current Word section at the last paragraph (what follows starts a new
    page), in the current page setup; the body's own section is then the next one's."""
    body = word.element.body
    last = body[-2] if len(body) > 1 else None  # body[-1] is the body's w:sectPr
    if last is None or last.tag != qn("w:p"):
        last = word.add_paragraph()._p
    p_pr = last.get_or_add_pPr()
    p_pr.append(copy.deepcopy(body.sectPr))


def restyle(word: DocumentObject, elements: Iterable[BaseOxmlElement], layout: DocxLayout,
            colours: Mapping[str, str]) -> None:
    """Format the paragraphs of a following document as its layout changes styles."""
    if not layout.styles:
        return
    styles = word.styles
    by_id = {s.style_id: s for s in styles}
    default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    for element in elements:
        for p in element.iter(qn("w:p")):
            style_id = p.pPr.style if p.pPr is not None and p.pPr.style else None
            style = by_id.get(style_id) if style_id else default
            change = _merged(style, layout.styles)
            if change is None:
                continue
            _paragraph_format(ParagraphFormat(p), change)
            for r in p.iter(qn("w:r")):
                _run(r, change, colours)


def _merged(style: object, changes: Mapping[str, DocxStyle]) -> DocxStyle | None:
    """What the layout changes of a style and the styles it is based on (the nearest
    wins), or None for nothing."""
    chain = []
    while style is not None:
        chain.append(style)
        style = getattr(style, "base_style", None)
    values: dict[str, object] = {}
    for link in reversed(chain):
        change = changes.get(getattr(link, "name", "") or "")
        if change is not None:
            values.update(change.model_dump(exclude_none=True))
    return DocxStyle.model_validate(values) if values else None


def _run(r: BaseOxmlElement, change: DocxStyle, colours: Mapping[str, str]) -> None:
    """A run's size and colour, unless a character style (a note mark, a label) or the
    run itself says otherwise."""
    r_pr = r.find(qn("w:rPr"))
    if r_pr is not None and r_pr.find(qn("w:rStyle")) is not None and \
            r_pr.find(qn("w:rStyle")).get(qn("w:val")) != "Hyperlink":
        return
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r.insert(0, r_pr)
    if change.size is not None and r_pr.find(qn("w:sz")) is None:
        r_pr.get_or_add_sz().val = word_size(change.size)
    if change.colour is not None and r_pr.find(qn("w:color")) is None:
        r_pr.get_or_add_color().val = _colour(change.colour, colours)
