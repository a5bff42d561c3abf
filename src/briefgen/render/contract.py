"""The names templates and writers share: the whole contract between them, in one place.

A template says what things are; each writer decides how they look in its
format. They agree through the names below and nothing else: a class on an
element, a `data-` attribute, an element id, a `<meta>` in the page head. A
designer reads docs/templates.md (which explains every name here, with an
example); a developer adding a writer reads this module. Nothing else in
briefgen may spell these names out.
"""

from __future__ import annotations

from collections.abc import Mapping

# -- classes ----------------------------------------------------------------------------

NEW_PAGE = "new-page"  # the element starts a new page, in the PDF (CSS) and in Word
NOTE_CALL = "note-call"  # <sup class="note-call"><a href="#note-3">3</a></sup>: a citation
NOTE_SHORT = "note-short"  # inside a source note: what a repeated Word footnote shows
#   (hidden, as notes.note_short() writes it, it is left out of the full reference)
TOC = "toc"  # <nav class="toc">: the table of contents (a TOC field in Word)
NUMBER_CELL = "num"  # a table cell holding a number, right-aligned in Word
FLOAT_RIGHT = "float-right"  # <img class="float-right">: beside the text that follows it
SIDE_BY_SIDE = "side-by-side"  # its child blocks side by side: a CSS grid, a table in Word
PAGE_REF = "page-ref"  # <a class="page-ref" href="#id">: the page of #id follows the link
BAND = "band"  # a colour field: the accent colour behind it, its text white (a cover's)
SHADED = "shaded"  # a box on the accent's light tint (paragraphs or a table's cells)

# -- attributes -------------------------------------------------------------------------

WORD_STYLE = "data-docx-style"  # names a Word style for one element, overriding the class map
SIDE_WIDTHS = "data-docx-widths"  # on a side-by-side: the columns' shares in Word ("66 34")
NOTE_IBID = "data-note-ibid"  # on a list of source notes: a repeat of the note before ("Ibid.")

# -- ids --------------------------------------------------------------------------------

NOTE_ID_PREFIX = "note-"  # <li id="note-3">: source note 3, the target of its calls


def note_prefix(scope: str | None = None) -> str:
    """note-, or note-<scope>- for a part numbered on its own (a case sheet): ids are
    the prefix and the note's number."""
    return f"{NOTE_ID_PREFIX}{scope}-" if scope else NOTE_ID_PREFIX


# -- <meta name="…" content="…"> in the page head -----------------------------------------

RUNNING_HEADER = "briefgen:running-header"  # text of the page header (not on the cover)
FOOTER = "briefgen:footer"  # page footer; {page} and {pages} become page-number fields
FOOTER_NOTE = "briefgen:footer-note"  # the theme's footer line, left of the page numbers
ACCENT = "briefgen:accent"  # the theme's accent colour (#rrggbb) for titles and headings
FONT_SERIF = "briefgen:font-serif"  # the theme's text font family
FONT_SANS = "briefgen:font-sans"  # the theme's heading font family
META_NAMES = (RUNNING_HEADER, FOOTER, FOOTER_NOTE, ACCENT, FONT_SERIF, FONT_SANS)
PAGE, PAGES = "{page}", "{pages}"  # placeholders in FOOTER

# -- Word styles --------------------------------------------------------------------------

HEADING_STYLES: Mapping[str, str] = {
    "h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3",
    "h5": "Heading 3", "h6": "Heading 3"}

# Class → Word style (paragraph, character or table style: the element decides which
# kind is used). A template adds its own in template.yaml (`docx_styles:`).
STYLE_MAP: Mapping[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "org-name": "Organisation",
    "cover-date": "Cover Date",
    "box-title": "Box Title",
    "summary-box": "Box Text",
    "doc-title": "Document Title",
    "related-title": "Item Title",
    "meta": "Meta",
    "note": "Note",
    "case-sources": "Meta",
    "timeline-title": "Item Title",
    "label": "Label",
    "when": "Timeline Date",
    "signatories": "Brief Table",
    "facts": "Facts Table",
    "toc-title": "TOC Heading",
    "recipient-name": "Address",
    "recipient-role": "Address",
    "recipient-line": "Address",
    "letter-date": "Letter Date",
    "signature-name": "Signature",
    "signature-role": "Address",
    "signature-org": "Address",
}


# The table style of a side-by-side's table in Word: a layout, not a table of data (the
# writer adds it, without borders, where reference.docx has none).
LAYOUT_TABLE = "Layout Table"


def heading_levels() -> dict[str, int]:
    """Word style → outline level (Title 1, Heading 1 → 2 …), as a reader of a .docx sees it."""
    levels: dict[str, int] = {}
    for tag, style in HEADING_STYLES.items():
        levels.setdefault(style, int(tag[1]))
    return levels
