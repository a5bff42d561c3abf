"""The rendered HTML brief → a Word document with real Word features.

The DOCX is built from the same rendered HTML as the PDF, never from a second
copy of the templates, so a change to a template or to content shows in both.
Presentation decisions stay in the template: what this writer reads of it —
class names mapped to Word styles, page breaks, note calls, the page furniture
in `briefgen:*` meta elements — is the contract in render/contract.py,
explained to designers in docs/templates.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeAlias, cast
from urllib.parse import urlsplit

import lxml.html
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.exceptions import PythonDocxError
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shape import InlineShape
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ...clock import source_date_epoch
from ...content.languages import is_known
from ...content.links import MAX_IMAGE_PIXELS
from ...content.markdown import LINK_SCHEMES
from ...errors import BriefgenError, Problem
from ...i18n import locale_of
from ...render import contract
from ...render.combine import FOLLOWING, followed_by
from ...render.document import RenderedDocument
from ...render.paged import anchor_pages
from ...render.templates import TemplateSpec, shown_template_path
from ...resources import MissingResource, RefusedResource, decode_data_url, resource_problem
from ...svg import declares_dtd, svg_refusal
from . import drawing, fields, fonts, layout, libreoffice, oxml, theme
from .package import save_package
from .reference import MAX_REFERENCE_BYTES, BadReference, clean_reference

ACCENT_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "Organisation",
                 "Box Title", "Timeline Date", "Hyperlink")
INK_STYLES = ("Normal",)  # the text colour; Quote, tables… inherit it or name ink
MUTED_STYLES = ("Header", "Footer")  # the rest in muted carry its colour (theme.py)
SERIF_STYLES = ("Normal",)
SANS_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "Organisation",
               "Cover Date", "Box Title", "Meta", "Label", "Timeline Date", "toc 1", "toc 2")
# The page furniture (header, footer) in the type scale's smallest size (common.css
# --fs-small, 8.33 pt), as Word sets sizes: in whole half-points.
FURNITURE_PT = 8.5
PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
CORE_PROPERTY_CHARS = 255  # title, subject, keywords … in docProps/core.xml


Element: TypeAlias = lxml.html.HtmlElement  # an element of the rendered HTML


@dataclass(frozen=True)
class _Format:
    """How the runs of an inline element look: inherited by its children, changed by tags."""

    bold: bool = False
    italic: bool = False
    superscript: bool = False
    style: str | None = None  # a character style
    lang: str | None = None  # when not the document's (an element marked lang="…")


def _word_language(lang: str) -> str:
    """Word's spelling language for an HTML `lang`: the catalog's locale (ru → ru-RU),
    as for the whole document; a language without a catalog as HTML names it."""
    return locale_of(lang).replace("_", "-") if is_known(lang) else lang


def _classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


ZERO_WIDTH_SPACE = "\u200b"


def _word_breaks(root: Element) -> Element:
    """Each <wbr> (where a template lets a line break inside a word) as a
    zero-width space, the optional break Word and LibreOffice both honour. libxml2's
    HTML parser does not know <wbr> is empty and makes what follows its children:
    those stay, only the tag goes."""
    for wbr in list(root.iter("wbr")):
        wbr.text = ZERO_WIDTH_SPACE + (wbr.text or "")
        wbr.drop_tag()
    return root


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n\f]+", " ", text)


_KINDS = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character",
          WD_STYLE_TYPE.TABLE: "table"}
_Reference = tuple[DocumentObject, dict[str, str | None], dict[str, str], list[str]]
_REFERENCES: dict[bytes, _Reference] = {}


def _fresh_reference(path: Path, doc: RenderedDocument, warnings: list[Problem]
                     ) -> tuple[DocumentObject, dict[str, str | None], dict[str, str]]:
    """A private copy of the reference document, reduced to what the output takes from
    it (reference.py), with its style tables; what was dropped that the user should
    know about is added to `warnings`.

    Parsing the reference and indexing its styles costs about 12 ms, a third of
    a one-page letter's Word output; it is done once per content and process, and
    each document gets a deep copy (lxml copies trees in C).
    """
    shown = shown_template_path(path, doc.template.project_dir)
    try:
        data = doc.policy.read(path, limit=MAX_REFERENCE_BYTES)
    except (RefusedResource, MissingResource) as exc:
        raise resource_problem(shown, exc) from None
    key = hashlib.sha256(data).digest()
    if key not in _REFERENCES:
        try:
            clean = clean_reference(data)
            word = Document(io.BytesIO(clean.package))
            styles = [s for s in word.styles if s.name is not None]
            # python-docx resolves a style name by scanning every style on each assignment
            # (about 2 ms each); styles are set by id instead, looked up once here.
            kinds = {s.name: _KINDS.get(s.type) for s in styles if s.name}
            ids = {s.name: s.style_id for s in styles if s.name}
            _read_page_setup(word)
        except BadReference as exc:
            raise BriefgenError([Problem(shown, None, None,
                                         f"cannot be used for Word output: {exc}")]) from None
        except (ValueError, TypeError, KeyError, AttributeError, IndexError,
                PythonDocxError) as exc:  # a value python-docx cannot read
            raise BriefgenError([Problem(shown, None, None, "cannot be used for Word output: "
                                         f"its styles or page setup cannot be read ({exc})")]
                                ) from None
        _REFERENCES[key] = (word, kinds, ids, clean.dropped)
    word, kinds, ids, dropped = _REFERENCES[key]
    if dropped:
        warning = Problem(shown, None, None, "not used for Word output: " + "; ".join(dropped)
                          + " (only its styles, numbering, theme, settings, fonts and page "
                          "setup are used)")
        if warning not in warnings:
            warnings.append(warning)
    return copy.deepcopy(word), dict(kinds), dict(ids)  # a style added is this copy's


def _read_page_setup(word: DocumentObject) -> None:
    """Read what the writer will read of the reference's page setup, so that a value
    python-docx cannot parse fails here, as a problem with the reference."""
    section = word.sections[0]
    for name in ("page_width", "page_height", "left_margin", "right_margin", "top_margin",
                 "bottom_margin", "header_distance", "footer_distance", "gutter",
                 "orientation", "different_first_page_header_footer"):
        getattr(section, name)


class _Builder:
    def __init__(self, doc: RenderedDocument, reference: Path,
                 warnings: list[Problem], following: Sequence[TemplateSpec] = ()) -> None:
        self.doc = doc
        self.following = list(following)  # the templates of the documents that follow
        self.html = _word_breaks(lxml.html.document_fromstring(doc.html))
        self.reference = shown_template_path(reference, doc.template.project_dir)
        self.word, self.style_kinds, self.style_ids = _fresh_reference(reference, doc,
                                                                       warnings)
        self.style_map = {**contract.STYLE_MAP, **doc.template.docx_styles}
        self.colours = theme.theme_colours(doc)
        self.check_template_styles()
        self.footnotes = oxml.footnotes_part(self.word)
        self.next_footnote = self.footnotes.element.next_id()
        self.last_text = _LastText()
        self.notes = {li.get("id"): li for li in self.html.iter("li")
                      if (li.get("id") or "").startswith(contract.NOTE_ID_PREFIX)}
        self.cited: set[Element] = set()  # source notes a footnote has given in full
        self.last_cited: list[Element] = []  # the source notes of the footnote before
        self.pending_bookmarks: list[str] = []
        self.floats: list[Element] = []  # pictures to float beside the next paragraph
        self.bookmark_id = 0
        self.break_before = False
        self.after_facts = False  # the paragraph after a facts box keeps its distance
        # where blocks go: the document's body, or a cell of a side-by-side table
        self.container: DocumentObject | _Cell = self.word
        self.pages: dict[str, int] | None = None
        self.toc_entries: dict[str, tuple[str, int]] = {}  # anchor → (text, level)
        # (bookmark, the w:t of a page number shown for it), corrected from LibreOffice
        self.page_numbers: list[tuple[str, BaseOxmlElement | None]] = []

    # -- styles ---------------------------------------------------------------------

    def check_template_styles(self) -> None:
        """A style the template's own docx_styles names must exist: a designer who maps a
        class to a misspelt style hears about it instead of seeing Normal text."""
        template = self.doc.template
        missing: list[tuple[tuple[str, ...], str]] = [
            (("docx_styles", c), s) for c, s in template.docx_styles.items()
            if s not in self.style_kinds]
        missing += [(("docx_layout", "styles", s), s) for s in template.docx_layout.styles
                    if s not in self.style_kinds]
        if missing:
            raise BriefgenError([template.setting_problem(
                loc, f"Word style '{style}' is not in the template's reference.docx; add it "
                f"there (briefgen template reference-docx {template.name} FILE) or fix the "
                "name") for loc, style in sorted(missing)])

    def style_candidates(self, el: Element) -> list[str]:
        named = el.get(contract.WORD_STYLE)
        return ([named] if named else []) + [self.style_map[c] for c in _classes(el)
                                             if c in self.style_map]

    def style_for(self, el: Element, kind: str, default: str | None = None) -> str | None:
        """The first mapped style of the right kind that the reference document defines."""
        for name in self.style_candidates(el):
            if self.style_kinds.get(name) == kind:
                return name
        return default

    def set_paragraph_style(self, paragraph: Paragraph, name: str) -> None:
        if name not in self.style_ids:
            raise BriefgenError([Problem(self.reference, None, None,
                                         f"the reference document has no style '{name}'")])
        paragraph._p.get_or_add_pPr().style = self.style_ids[name]

    def set_table_style(self, table: Table, name: str | None) -> None:
        if name is not None and name in self.style_ids:
            table._tbl.tblPr.style = self.style_ids[name]

    # -- document -------------------------------------------------------------------

    def meta(self, name: str) -> str:
        found = self.html.xpath(f'//meta[@name="{name}"]/@content')
        return str(found[0]) if found else ""

    def build(self) -> bytes:
        self.setup_section()
        self.apply_theme()
        self.apply_layout()
        body = self.html.find("body")
        self.blocks(body, level=0)
        self.properties()
        if self.doc.docx.embed_fonts:
            fonts.embed_fonts(self.word)
        return self.word_page_numbers(save_package(self.word))

    def word_page_numbers(self, data: bytes) -> bytes:
        """The contents' page numbers as Word will lay the pages out, where LibreOffice
        can tell (libreoffice.py); else those of the PDF, until Word updates them."""
        if not self.page_numbers:
            return data
        pages = libreoffice.bookmark_pages(data)
        changed = False
        for bookmark, t in self.page_numbers:
            page = pages.get(bookmark)
            if t is not None and page and t.text != str(page):
                t.text = str(page)
                changed = True
        return save_package(self.word) if changed else data

    def setup_section(self) -> None:
        section = self.word.sections[0]
        width, height = PAPER.get(self.doc.paper, PAPER["a4"])
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        layout.set_margins(section, self.doc.template.docx_layout)
        self.text_width = Emu(width - (section.left_margin or 0) - (section.right_margin or 0))
        oxml.set_title_page(section)
        header = section.header.paragraphs[0]
        if self.doc.template.docx_layout.running_header:
            header.text = oxml.xml_safe(self.meta(contract.RUNNING_HEADER))
        self.set_paragraph_style(header, "Header")
        footer = section.footer.paragraphs[0]
        self.set_paragraph_style(footer, "Footer")
        note = self.meta(contract.FOOTER_NOTE)
        if note:  # the theme's footer line on the left, page numbers on the right
            footer.paragraph_format.tab_stops.add_tab_stop(self.text_width,
                                                           WD_TAB_ALIGNMENT.RIGHT)
            footer.add_run(oxml.xml_safe(note) + "\t")
        else:
            footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pattern = self.meta(contract.FOOTER) or f"{contract.PAGE} / {contract.PAGES}"
        pieces = f"({re.escape(contract.PAGE)}|{re.escape(contract.PAGES)})"
        for piece in re.split(pieces, pattern):
            if piece == contract.PAGE:
                oxml.add_simple_field(footer, "PAGE", "1")
            elif piece == contract.PAGES:
                oxml.add_simple_field(footer, "NUMPAGES", "1")
            elif piece:
                footer.add_run(piece)
        for paragraph in (header, footer):
            for run in paragraph.runs:
                run.font.size = Pt(FURNITURE_PT)

    def apply_theme(self) -> None:
        """The theme's colours (the template's CSS, then briefgen.yaml's theme) and fonts
        restyle Word too: see theme.py."""
        colours = self.colours
        accent = self.meta(contract.ACCENT)
        if accent and re.fullmatch(r"#[0-9A-Fa-f]{6}", accent):
            colours["accent"] = accent[1:].upper()
        theme.recolour([self.word.styles.element], colours)
        painted: tuple[tuple[tuple[str, ...], str], ...] = (
            (ACCENT_STYLES, "accent"), (INK_STYLES, "ink"), (MUTED_STYLES, "muted"))
        for names, colour in painted:
            for name in names:
                if name in self.style_ids:
                    self.word.styles[name].font.color.rgb = RGBColor.from_string(
                        colours[colour])
        for meta, names in ((contract.FONT_SERIF, SERIF_STYLES),
                            (contract.FONT_SANS, SANS_STYLES)):
            family = self.meta(meta)
            if family:
                for name in names:
                    if name in self.style_ids:
                        oxml.set_style_font(self.word.styles[name], family)

    def apply_layout(self) -> None:
        """The template's Word styles where they differ from reference.docx
        (template.yaml's docx_layout: styles), e.g. a one-page handout's title, which is
        not a cover's."""
        layout.change_styles(self.word, self.doc.template.docx_layout, self.colours,
                             self.style_kinds)

    def properties(self) -> None:
        props = self.word.core_properties
        props.title = _property(self.doc.title)
        props.author = _property(self.doc.metadata.get("author", ""))
        props.subject = _property(self.doc.metadata.get("description", ""))
        props.keywords = _property(self.doc.metadata.get("keywords", ""))
        props.language = self.doc.lang
        props.comments = ""
        props.category = ""
        props.last_modified_by = ""
        props.revision = 1
        stamp = _timestamp(self.doc.metadata.get("created"))
        props.created = props.modified = stamp
        props.last_printed = stamp
        # Word's spelling and grammar language: the catalog's locale (en_GB → en-GB)
        oxml.set_proofing_language(self.word, locale_of(self.doc.lang).replace("_", "-"))

    # -- blocks ---------------------------------------------------------------------

    def paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.container.add_paragraph()
        if style:
            self.set_paragraph_style(paragraph, style)
        if self.after_facts:
            self.space_after_facts(paragraph, style)
        if self.break_before:
            oxml.page_break_before(paragraph)
            self.break_before = False
        for anchor in self.pending_bookmarks:
            self.bookmark_id += 1
            oxml.add_bookmark(paragraph, oxml.bookmark_name(anchor), self.bookmark_id)
            if anchor in self.toc_entries:  # listed in the contents: a TC entry here
                paragraph._p.extend(fields.tc_field(*self.toc_entries[anchor]))
        self.pending_bookmarks = []
        for img in self.floats:
            drawing.float_right(self.picture(paragraph, img), Mm(4))
        self.floats = []
        return paragraph

    def blocks(self, el: Element, level: int, list_style: str | None = None) -> None:
        loose = _collapse(el.text or "").strip()
        if loose and el.tag not in ("ul", "ol", "table", "dl"):
            self.inline_paragraph_from_text(loose)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            self.block(child, level, list_style)
            tail = _collapse(child.tail or "").strip()
            if tail:
                self.inline_paragraph_from_text(tail)

    def inline_paragraph_from_text(self, text: str) -> None:
        paragraph = self.paragraph()
        paragraph.add_run(oxml.xml_safe(text))

    def block(self, el: Element, level: int, list_style: str | None) -> None:
        tag = el.tag
        if tag in ("script", "style", "template", "head", "meta", "title", "link"):
            return
        if el.get("id"):
            self.pending_bookmarks.append(el.get("id"))
        classes = _classes(el)
        if contract.NEW_PAGE in classes:
            self.break_before = True
        if contract.BAND in classes or contract.SHADED in classes:
            self.shaded(el, level, list_style, band=contract.BAND in classes)
        else:
            self.dispatch(el, level, list_style)

    def shaded(self, el: Element, level: int, list_style: str | None, *, band: bool) -> None:
        """What the element holds on a background, as its CSS paints it: a colour field
        (class band: the accent, white text, a cover's) or a light box (class shaded):
        its paragraphs shaded, or its tables' cells."""
        self.flush_anchor_paragraph()  # a page break or bookmark stays outside the box
        start = len(self.body_blocks())
        self.dispatch(el, level, list_style)
        fill = self.colours["accent" if band else "accent-light"]
        for element in self.body_blocks()[start:]:
            oxml.shade(element, fill, "FFFFFF" if band else None)

    def body_blocks(self) -> list[BaseOxmlElement]:
        """The body's paragraphs and tables, without its closing section properties."""
        return [child for child in self.word.element.body if child.tag != qn("w:sectPr")]

    def dispatch(self, el: Element, level: int, list_style: str | None) -> None:
        """The element as Word writes its kind: a heading, a paragraph, a list…"""
        tag = el.tag
        classes = _classes(el)
        if tag == "nav" and contract.TOC in classes:
            self.toc(el)
        elif tag in contract.HEADING_STYLES:
            style = self.style_for(el, "paragraph", contract.HEADING_STYLES[tag])
            self.inline_into(self.paragraph(style), el)
        elif tag == "p":
            self.inline_into(self.paragraph(self.style_for(el, "paragraph")), el)
        elif tag in ("ul", "ol"):
            self.list(el, level, self.style_for(el, "paragraph", list_style))
        elif tag == "dl":
            self.definition_table(el)
        elif tag == "table":
            self.table(el)
        elif tag == "blockquote":
            self.quote(el)
        elif tag == "img":
            self.image_block(el)
        elif contract.SIDE_BY_SIDE in classes:
            self.side_by_side(el, level, list_style)
        elif FOLLOWING in classes and self.following:
            self.following_document(el, level, list_style)
        elif tag != "br":  # sections, articles, divs, asides and unknown blocks
            self.blocks(el, level, self.style_for(el, "paragraph", list_style))

    def side_by_side(self, el: Element, level: int, list_style: str | None) -> None:
        """Blocks side by side (a CSS grid in the PDF): the cells of a one-row table
        without borders, each as wide as its share in data-docx-widths."""
        children = [c for c in el if isinstance(c.tag, str)]
        if not children:
            return
        self.flush_anchor_paragraph()
        table = self.container.add_table(1, len(children))
        self.set_table_style(table, self.layout_table_style())
        widths = _shares(el.get(contract.SIDE_WIDTHS), len(children), self.text_width)
        _column_widths(table, widths)
        outer = self.container, self.text_width
        for cell, child, width in zip(table.rows[0].cells, children, widths, strict=True):
            self.container, self.text_width = cell, Emu(width - Mm(4))  # less its padding
            self.block(child, level, list_style)
            oxml.tidy_cell(cell._tc)
        self.container, self.text_width = outer
        self.after_facts = False

    def layout_table_style(self) -> str:
        """The style that marks a table as a layout (contract.LAYOUT_TABLE): the
        reference document's, or a plain one added to it."""
        name = contract.LAYOUT_TABLE
        if name not in self.style_ids:
            style = self.word.styles.add_style(name, WD_STYLE_TYPE.TABLE)
            style.base_style = self.word.styles["Normal Table"] \
                if "Normal Table" in self.style_kinds else None
            self.style_ids[name] = style.style_id
            self.style_kinds[name] = "table"
        return name

    def space_after_facts(self, paragraph: Paragraph, style: str | None) -> None:
        """A paragraph right after a facts box stands off it as paragraphs do from each
        other (a table has no space after it in Word)."""
        self.after_facts = False
        styles = self.word.styles
        before = styles[style or "Normal"].paragraph_format.space_before or 0
        gap = styles["Normal"].paragraph_format.space_after or 0
        if before < gap:
            paragraph.paragraph_format.space_before = gap

    def quote(self, el: Element) -> None:
        """A blockquote's paragraphs take its style, unless they have their own."""
        quote = self.style_for(el, "paragraph", "Quote")
        for child in el:
            if isinstance(child.tag, str):
                self.inline_into(self.paragraph(self.style_for(child, "paragraph", quote)),
                                 child)

    def image_block(self, el: Element) -> None:
        if contract.FLOAT_RIGHT in _classes(el):
            self.floats.append(el)  # beside the next paragraph, as CSS floats it
        else:
            self.picture(self.paragraph(), el)

    def following_document(self, el: Element, level: int, list_style: str | None) -> None:
        """A document that follows the first (a pack's handout): a Word section of its
        own from a new page, in its template's page margins, its paragraphs formatted
        as its template's Word layout changes the shared styles (layout.py)."""
        template = self.following.pop(0)
        layout.section_break(self.word)
        self.break_before = False  # the section starts a new page
        section = self.word.sections[-1]
        layout.set_margins(section, template.docx_layout)
        self.text_width = Emu((section.page_width or 0) - (section.left_margin or 0)
                              - (section.right_margin or 0))
        body = self.word.element.body
        before = set(body)
        self.blocks(el, level, list_style)
        layout.restyle(self.word, [e for e in body if e not in before],
                       template.docx_layout, self.colours)

    def list(self, el: Element, level: int, style: str | None) -> None:
        ordered = el.tag == "ol"
        base = style or ("List Number" if ordered else "List Bullet")
        name = base if level == 0 or style else f"{base} {min(level + 1, 3)}"
        if name not in [s.name for s in self.word.styles]:
            name = base
        num_id = None
        if ordered:
            try:
                num_id = oxml.restart_numbering(self.word, self.word.styles[name])
            except ValueError:
                num_id = None
        for item in el:
            if item.tag != "li":
                continue
            if item.get("id"):
                self.pending_bookmarks.append(item.get("id"))
            paragraph = self.paragraph(name)
            if num_id is not None:
                oxml.set_numbering(paragraph, num_id)
            nested = [c for c in item if c.tag in ("ul", "ol")]
            self.inline_into(paragraph, item, skip=set(nested))
            for sub in nested:
                self.list(sub, level + 1, None)

    def definition_table(self, el: Element) -> None:
        pairs: list[tuple[Element, list[Element]]] = []
        for child in el:
            if child.tag == "dt":
                pairs.append((child, []))
            elif child.tag == "dd" and pairs:
                pairs[-1][1].append(child)
        if not pairs:
            return
        self.flush_anchor_paragraph()
        table = self.container.add_table(len(pairs), 2)
        self.set_table_style(table, self.style_for(el, "table", "Facts Table"))
        for row, (term, descs) in zip(table.rows, pairs, strict=False):
            oxml.keep_row_together(row)
            label = self.cell_paragraph(row.cells[0])
            self.inline_into(label, term, char_style="Label")
            cell = row.cells[1]
            for i, desc in enumerate(descs):
                paragraph = self.cell_paragraph(cell, new=i > 0)
                self.inline_into(paragraph, desc)
        for row in table.rows[:-1]:  # a list of facts is not split across pages
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        terms = min(Mm(40), Emu(int(self.text_width * 0.4)))  # narrower in a sidebar
        _column_widths(table, [terms, Emu(self.text_width - terms)])
        self.after_facts = True

    def cell_paragraph(self, cell: _Cell, new: bool = False) -> Paragraph:
        paragraph = cell.add_paragraph() if new else cell.paragraphs[0]
        if self.style_kinds.get("Table Text") == "paragraph":
            self.set_paragraph_style(paragraph, "Table Text")
        return paragraph

    def table(self, el: Element) -> None:
        head = [tr for tr in el.xpath("./thead/tr")]
        body = [tr for tr in el.xpath("./tbody/tr | ./tr")]
        rows = head + body
        if not rows:
            return
        columns = max(len([c for c in tr if c.tag in ("td", "th")]) for tr in rows)
        self.flush_anchor_paragraph()
        table = self.container.add_table(len(rows), columns)
        self.set_table_style(table, self.style_for(el, "table", "Brief Table"))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for i, (row, tr) in enumerate(zip(table.rows, rows, strict=False)):
            if i < len(head):
                oxml.repeat_as_header(row)
            oxml.keep_row_together(row)
            for cell, td in zip(row.cells, [c for c in tr if c.tag in ("td", "th")], strict=False):
                bold = td.tag == "th" and i >= len(head)
                paragraph = self.cell_paragraph(cell)
                if contract.NUMBER_CELL in _classes(td):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.inline_into(paragraph, td, bold=bold)
        _column_widths(table, _widths_from_text(rows, columns, self.text_width))

    def flush_anchor_paragraph(self) -> None:
        """Bookmarks and page breaks need a paragraph; a table cannot carry them."""
        if self.pending_bookmarks or self.break_before:
            self.paragraph()

    def toc(self, nav: Element) -> None:
        title = nav.find(".//h2")
        if title is not None:
            self.inline_into(self.paragraph(self.style_for(title, "paragraph", "TOC Heading")),
                             title)
        entries: list[tuple[int, Element]] = []

        def walk(ol: Element, depth: int) -> None:
            for li in ol.findall("li"):
                link = li.find("a")
                if link is not None:
                    entries.append((depth, link))
                for sub in li.findall("ol") + li.findall("ul"):
                    walk(sub, depth + 1)

        for ol in nav.findall("ol") + nav.findall("ul"):
            walk(ol, 1)
        if not entries:
            return
        levels = max(depth for depth, _ in entries)
        for i, (depth, link) in enumerate(entries):
            paragraph = self.paragraph(f"toc {min(depth, 3)}")  # Word's built-in name
            if i == 0:
                oxml.begin_field(paragraph, fields.toc_instruction(levels))
            anchor = (link.get("href") or "").lstrip("#")
            text = _collapse(link.text_content()).strip()
            self.toc_entries[anchor] = (text, depth)
            target = oxml.hyperlink(self.word.part, anchor=oxml.bookmark_name(anchor))
            paragraph._p.append(target)
            self.runs(paragraph, target, text, _Format())
            self.runs(paragraph, target, "\t", _Format(), raw=True)
            page = self.pdf_page(anchor)
            self.runs(paragraph, target, page or "", _Format())
            if page:
                self.page_numbers.append((oxml.bookmark_name(anchor), _last_t(target)))
            if i == len(entries) - 1:
                oxml.end_field(paragraph)

    def pdf_page(self, anchor: str) -> str:
        """The page of an element in the PDF (laid out once), as text; '' if unknown."""
        if self.pages is None:
            self.pages = anchor_pages(self.doc)
        page = self.pages.get(anchor)
        return str(page) if page else ""

    def page_ref(self, paragraph: Paragraph, a: Element) -> None:
        """The page of a link's target after it, at the right margin (`page-ref`)."""
        anchor = (a.get("href") or "")[1:]
        if not any(s.position == self.text_width for s in paragraph.paragraph_format.tab_stops):
            paragraph.paragraph_format.tab_stops.add_tab_stop(self.text_width,
                                                              WD_TAB_ALIGNMENT.RIGHT)
        self.runs(paragraph, paragraph._p, "\t", _Format(), raw=True)
        runs, cached = fields.pageref_field(oxml.bookmark_name(anchor), self.pdf_page(anchor))
        paragraph._p.extend(runs)
        self.page_numbers.append((oxml.bookmark_name(anchor), cached))

    # -- inline ---------------------------------------------------------------------

    def inline_into(self, paragraph: Paragraph, el: Element, *, bold: bool = False,
                    char_style: str | None = None, skip: set[Element] | None = None,
                    container: BaseOxmlElement | None = None, part: Part | None = None
                    ) -> None:
        fmt = _Format(bold=bold, style=char_style, lang=self.language_of(el))
        self._inline(paragraph, container if container is not None else paragraph._p, el,
                     fmt, skip or set(), part or self.word.part, top=True)
        _trim(paragraph._p if container is None else container)

    def _inline(self, paragraph: Paragraph, target: BaseOxmlElement, el: Element,
                fmt: _Format, skip: set[Element], part: Part, top: bool = False) -> None:
        if not top:
            fmt = self._element_format(el, fmt)
        if el.text:
            self.runs(paragraph, target, el.text, fmt)
        for child in el:
            if child in skip or not isinstance(child.tag, str) or \
                    child.get("hidden") is not None:  # e.g. the short form in a note
                pass
            elif child.tag == "br":
                r = OxmlElement("w:r")
                r.append(OxmlElement("w:br"))
                target.append(r)
            elif child.tag == "sup" and contract.NOTE_CALL in _classes(child):
                self.footnote_calls(paragraph, target, child)
            elif child.tag == "a":
                self.link(paragraph, target, child, fmt, part)
            elif child.tag == "img":
                self.picture(paragraph, child)
            elif child.tag in ("ul", "ol"):
                pass  # nested lists are blocks, handled by the caller
            else:
                self._inline(paragraph, target, child, fmt, skip, part)
            if child.tail:
                self.runs(paragraph, target, child.tail, fmt)

    def _element_format(self, el: Element, fmt: _Format) -> _Format:
        """The runs' look inside `el`: its tag's, its class's character style, its
        language."""
        tag = el.tag
        if tag in ("strong", "b", "th"):
            fmt = replace(fmt, bold=True)
        elif tag in ("em", "i", "cite"):
            fmt = replace(fmt, italic=True)
        elif tag == "sup":
            fmt = replace(fmt, superscript=True)
        char_style = self.style_for(el, "character")
        if char_style:
            fmt = replace(fmt, style=char_style)
        if el.get("lang"):
            fmt = replace(fmt, lang=self.language_of(el))
        return fmt

    def runs(self, paragraph: Paragraph, target: BaseOxmlElement, text: str, fmt: _Format,
             raw: bool = False) -> None:
        """Append text as runs; HTML whitespace collapses unless raw (e.g. a TOC tab)."""
        text = oxml.xml_safe(text if raw else _collapse(text))
        if not text:
            return
        previous = self.last_text(target)
        if previous is None or previous.endswith((" ", "\t")):
            text = text.lstrip(" ")
        if not text:
            return
        r = OxmlElement("w:r")
        target.append(r)
        run = Run(r, paragraph)
        if "\t" in text or "\n" in text:
            run.text = text  # python-docx turns these into w:tab / w:br
        else:
            r.append(oxml.text_element(text))  # one w:t, not python-docx's char-by-char
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.superscript:
            run.font.superscript = True
        if fmt.style and self.style_kinds.get(fmt.style) == "character":
            r.get_or_add_rPr().style = self.style_ids[fmt.style]
        if fmt.lang:
            oxml.set_language(r.get_or_add_rPr(), _word_language(fmt.lang))

    def language_of(self, el: Element) -> str | None:
        """The language an element's text is in (its own lang="…" or its nearest
        marked ancestor's), when it is not the document's."""
        node: Element | None = el
        while node is not None and node.tag != "html":
            lang = node.get("lang")
            if lang:
                return lang if lang != self.doc.lang else None
            node = node.getparent()
        return None

    def link(self, paragraph: Paragraph, target: BaseOxmlElement, a: Element, fmt: _Format,
             part: Part) -> None:
        href = a.get("href") or ""
        if href.startswith("#"):
            element = oxml.hyperlink(part, anchor=oxml.bookmark_name(href[1:]))
        elif urlsplit(href).scheme in LINK_SCHEMES:
            element = oxml.hyperlink(part, url=href)
        else:
            self._inline(paragraph, target, a, fmt, set(), part)
            return
        target.append(element)
        link_fmt = replace(fmt, style="Hyperlink")
        self._inline(paragraph, element, a, link_fmt, set(), part, top=True)
        if contract.PAGE_REF in _classes(a) and href.startswith("#") and \
                target is paragraph._p:
            self.page_ref(paragraph, a)

    def footnote_calls(self, paragraph: Paragraph, target: BaseOxmlElement,
                       sup: Element) -> None:
        """A citation becomes one real Word footnote naming each source it cites, "; "
        between them: the whole source note the first time a source is cited, its
        short form after that, and "Ibid." for the one source of the footnote just
        before. Each source's part links to its note in the list of sources."""
        notes: list[Element] = []
        for a in sup.iter("a"):
            href = a.get("href") or ""
            note = self.notes.get(href[1:]) if href.startswith(
                "#" + contract.NOTE_ID_PREFIX) else None
            if note is not None and note not in notes:
                notes.append(note)
        if not notes:
            return
        footnote_id, note_p = oxml.add_footnote(self.footnotes,
                                                footnote_id=self.next_footnote)
        self.next_footnote += 1
        note_paragraph = Paragraph(note_p, paragraph._parent)
        for i, note in enumerate(notes):
            if i:
                _end_part(note_p)
                self.runs(note_paragraph, note_p, "; ", _Format())
            self.footnote_part(note_paragraph, note_p, note,
                               ibid=len(notes) == 1 and notes == self.last_cited)
        _end_sentence(note_p)
        self.last_cited = notes
        target.append(oxml.footnote_reference(footnote_id))

    def footnote_part(self, paragraph: Paragraph, note_p: BaseOxmlElement, note: Element,
                      ibid: bool) -> None:
        """One source in a footnote, as a link to its note (bookmarked in the list)."""
        link = oxml.hyperlink(self.footnotes, anchor=oxml.bookmark_name(note.get("id")))
        label = (note.getparent().get(contract.NOTE_IBID) or "").strip()
        if ibid and label:
            note_p.append(link)
            self.runs(paragraph, link, label, _Format(italic=True))
            return
        short = note.find_class(contract.NOTE_SHORT)
        if note in self.cited and short:
            note_p.append(link)
            self.inline_into(paragraph, short[0], container=link, part=self.footnotes)
            return
        self.cited.add(note)
        start = len(note_p)
        self.inline_into(paragraph, note, container=note_p, part=self.footnotes)
        # the link holds the runs up to the note's first link of its own (its URL)
        leading = list(note_p[start:])
        ends = [i for i, child in enumerate(leading) if child.tag != _R]
        note_p.insert(start, link)
        link.extend(leading[:ends[0]] if ends else leading)

    def picture(self, paragraph: Paragraph, img: Element) -> InlineShape:
        alt = img.get("alt") or ""
        src = (img.get("src") or "").strip()
        if not src:  # e.g. srcset alone: the PDF shows its alt text, a browser guesses
            markup = lxml.html.tostring(img, encoding="unicode", with_tail=False)
            raise BriefgenError([Problem(
                f"template '{self.doc.template.name}'", None, None,
                f"image without a src: {_shorten(markup)}; give it a src (Word output reads "
                "no srcset)")])
        data = _image_bytes(src, self.doc)
        r = OxmlElement("w:r")
        paragraph._p.append(r)
        run = Run(r, paragraph)
        shape = run.add_picture(io.BytesIO(data))
        if (img.get("width") or "").isdigit():  # the template's size, in CSS px (1/96 in)
            width = Emu(int(img.get("width")) * 9525)
            shape.height = Emu(int(shape.height * width / shape.width))
            shape.width = width
        max_width = self.text_width
        if shape.width > max_width:
            shape.height = Emu(int(shape.height * max_width / shape.width))
            shape.width = max_width
        oxml.set_alt_text(shape, alt)
        return shape


class _LastText:
    """The text of the last non-empty `w:t` in each element that runs are appended to
    (a paragraph, a hyperlink, a footnote), for collapsing HTML whitespace across runs.

    Each question reads only the children appended since the last question about the
    same element: reading the whole paragraph each time made a paragraph of n
    citations (2n runs) cost time in n² — 4,000 citations took 26 s.
    """

    def __init__(self) -> None:
        # element → (its last child when last asked, the last non-empty w:t then)
        self.seen: dict[BaseOxmlElement, tuple[BaseOxmlElement, BaseOxmlElement | None]] = {}

    def __call__(self, element: BaseOxmlElement) -> str | None:
        known = self.seen.get(element)
        stop = known[0] if known else None
        found = None
        last = None
        for child in element.iterchildren(reversed=True):
            last = child if last is None else last
            if child is stop:
                break
            found = _last_t(child)
            if found is not None:
                break
        if found is None and known is not None:
            found = known[1]
            if found is not None and not found.text:  # trimmed away since: read it all
                found = _last_t(element)
        if last is not None:
            self.seen[element] = (last, found)
        return None if found is None else found.text


def _last_t(element: BaseOxmlElement) -> BaseOxmlElement | None:
    """The last non-empty `w:t` in element (itself included), read from the end."""
    if element.tag == _T:
        return element if element.text else None
    for child in element.iterchildren(reversed=True):
        found = _last_t(child)
        if found is not None:
            return found
    return None


_T = qn("w:t")
_R = qn("w:r")


def _end_sentence(element: BaseOxmlElement) -> None:
    """A short-form footnote ends with a full stop, as the full one does (not after an
    ellipsis, or the quote or bracket closed after one)."""
    texts = [t for t in element.xpath(".//w:t") if t.text and t.text.strip()]
    if texts and not re.search(r"([.!?/]|…[”»)]*)$", texts[-1].text.rstrip()):
        texts[-1].text = texts[-1].text.rstrip() + "."


def _end_part(element: BaseOxmlElement) -> None:
    """A source followed by another in the same footnote loses its full stop: the
    sources are separated by semicolons, the footnote ends with one full stop."""
    texts = [t for t in element.xpath(".//w:t") if t.text and t.text.strip()]
    if texts:
        texts[-1].text = re.sub(r"(?<!\.)\.\s*$", "", texts[-1].text.rstrip())


def _trim(element: BaseOxmlElement) -> None:
    """HTML collapses the space before a closing tag; so must we."""
    texts = [t for t in element.xpath(".//w:t") if t.text]
    if texts:
        texts[-1].text = texts[-1].text.rstrip(" ")
        if not texts[-1].text:
            texts[-1].getparent().remove(texts[-1])


CHAR_WIDTH = Pt(4.6)  # an average character of a table's 9 pt text, for column widths


def _widths_from_text(rows: list[Element], columns: int, total: int) -> list[Length]:
    """Column widths as a browser's automatic table layout shares the width: each
    column as wide as its text if all fit; else each at least as wide as its longest
    word, and the rest of the width shared in proportion to what each still lacks."""
    widest: list[float] = [10] * columns  # the whole text; room for a header ("Members")
    narrowest: list[float] = [4] * columns  # the longest word
    for tr in rows:
        for i, cell in enumerate([c for c in tr if c.tag in ("td", "th")][:columns]):
            text = _collapse(cell.text_content()).strip()
            widest[i] = max(widest[i], len(text) + 2)
            narrowest[i] = max(narrowest[i], max(map(len, text.split()), default=0) + 2)
    room = total / CHAR_WIDTH
    if sum(widest) > room > sum(narrowest):
        share = (room - sum(narrowest)) / (sum(widest) - sum(narrowest))
        widest = [n + (w - n) * share for n, w in zip(narrowest, widest, strict=True)]
    elif sum(widest) > room:
        widest = narrowest
    return [Emu(int(total * n / sum(widest))) for n in widest]


def _shares(spec: str | None, columns: int, total: int) -> list[Length]:
    """Column widths from shares such as "66 34" (equal shares if none or unreadable)."""
    parts = (spec or "").split()
    shares = [float(p) for p in parts if re.fullmatch(r"\d{1,3}(\.\d+)?", p) and float(p) > 0]
    if len(shares) != columns or len(parts) != columns:
        shares = [1.0] * columns
    return [Emu(int(total * share / sum(shares))) for share in shares]


def _column_widths(table: Table, widths: Sequence[Length]) -> None:
    """Both the grid (LibreOffice reads it) and each cell (Word reads these)."""
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
        grid_col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _property(text: str) -> str:
    """A document property as Word holds it: at most 255 characters (python-docx refuses
    more), e.g. a letter's title with a recipient's very long name."""
    return oxml.xml_safe(text)[:CORE_PROPERTY_CHARS]


def _timestamp(created: str | None) -> dt.datetime:
    """Document dates come from the content (or SOURCE_DATE_EPOCH), never from the clock."""
    fixed = source_date_epoch()
    if fixed is not None:
        return fixed
    if created:
        try:
            return dt.datetime.fromisoformat(created)
        except ValueError:
            pass
    return dt.datetime(2000, 1, 1)


def _image_bytes(src: str, doc: RenderedDocument) -> bytes:
    where = f"template '{doc.template.name}'"
    try:
        found = doc.policy.locate(src, doc.base_dir)
    except (RefusedResource, MissingResource) as exc:
        raise resource_problem(where, exc) from None
    if isinstance(found, Path):
        try:
            data = doc.policy.read(found)
        except (RefusedResource, MissingResource) as exc:
            raise resource_problem(where, exc) from None
        mime = "image/svg+xml" if found.suffix.lower() == ".svg" else ""
    elif found.startswith("data:"):
        try:
            data, mime = decode_data_url(found)
        except ValueError:  # binascii.Error: not base64
            raise BriefgenError([Problem(where, None, None, f"image '{_shorten(src)}' is not "
                                         "a valid data: URL")]) from None
    else:
        raise BriefgenError([Problem(where, None, None,
                                     f"image '{src}': Word output embeds only local images")])
    if mime == "image/svg+xml":
        return _rasterise_svg(data, src, where)
    return _word_compatible(data, src, doc)


_WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


def _word_compatible(data: bytes, src: str, doc: RenderedDocument) -> bytes:
    """Word embeds PNG, JPEG, GIF, BMP and TIFF; others (WebP…) are converted to PNG."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format in _WORD_FORMATS:
                return data
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            return buffer.getvalue()
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise BriefgenError([Problem(f"template '{doc.template.name}'", None, None,
                                     f"image '{src}' cannot be read: {exc}")]) from None


def _rasterise_svg(data: bytes, src: str, where: str) -> bytes:
    """Word cannot show SVG everywhere: rasterise at print resolution. An SVG with a
    DTD is refused before cairosvg parses it (svg.py), and so is a compressed one
    (cairosvg would unpack it whole) or one whose raster would be too large."""
    try:
        from cairosvg.surface import PNGSurface
    except (ImportError, OSError):  # OSError: the package is there but libcairo2 is not
        raise BriefgenError([Problem(src, None, None, "SVG images in Word output need the "
                                     "'cairosvg' package and libcairo2: pip install "
                                     "'briefgen[svg]'")]) from None
    if data[:2] == b"\x1f\x8b":
        raise BriefgenError([Problem(where, None, None, f"image '{_shorten(src)}' is a "
                                     "compressed SVG (.svgz); save it as plain SVG")])
    if declares_dtd(data):
        raise BriefgenError([Problem(where, None, None, svg_refusal(_shorten(src)))])

    class Bounded(PNGSurface):
        def _create_surface(self, width: float, height: float) -> tuple[object, int, int]:
            if round(width) * round(height) > MAX_IMAGE_PIXELS:
                raise _TooLarge(f"{round(width)}×{round(height)} pixels at print "
                                "resolution")
            return super()._create_surface(width, height)

    try:
        return cast(bytes, Bounded.convert(bytestring=data, dpi=192))
    except _TooLarge as exc:
        message = (f"image '{_shorten(src)}' would be {exc} in Word (the limit is "
                   f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels): give the SVG a smaller "
                   "width and height")
    except Exception as exc:  # noqa: BLE001 - cairosvg raises anything from any layer
        reason = str(exc) or type(exc).__name__
        message = f"image '{_shorten(src)}' cannot be drawn for Word: {reason}"
    raise BriefgenError([Problem(where, None, None, message)])


class _TooLarge(ValueError):
    """An SVG whose raster would exceed MAX_IMAGE_PIXELS."""


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_docx(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    """Word has no laid-out pages to copy: documents that follow become sections of
    one document from a new page, in the first one's styles."""
    return _Builder(followed_by(doc, *following), doc.template.reference_docx(),
                    doc.warnings, [d.template for d in following]).build()
