"""Fields for lists of contents: TC entries, PAGEREF page numbers, and their cached
results, which Word shows until the fields are updated.

The table of contents is a `TOC \\f C \\l "1-N"` field built from TC fields: one in
each heading the PDF's contents list, at its level, so that updating the field in
Word (F9) lists exactly what the PDF lists, no more. A link to a place whose page
the PDF prints beside it (`page-ref`) is followed by a PAGEREF field to the
place's bookmark.
"""

from __future__ import annotations

from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement

from . import oxml

TOC_ENTRIES = "C"  # the TC fields' identifier the TOC field lists


def toc_instruction(levels: int) -> str:
    """The TOC field: its own TC entries, at levels 1 to `levels`, as links."""
    return f'TOC \\f {TOC_ENTRIES} \\l "1-{max(levels, 1)}" \\h \\z'


def _quoted(text: str) -> str:
    return '"' + oxml.xml_safe(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def tc_field(text: str, level: int) -> list[BaseOxmlElement]:
    """A TC field (a table-of-contents entry; it shows nothing) for a heading."""
    instruction = f"TC {_quoted(text)} \\f {TOC_ENTRIES} \\l {level}"
    return [oxml.fld_char("begin"), oxml.instr_text(instruction), oxml.fld_char("end")]


def pageref_field(bookmark: str, cached: str) -> tuple[list[BaseOxmlElement],
                                                       BaseOxmlElement]:
    """A PAGEREF field to a bookmark, showing `cached` until updated: its runs, and the
    `w:t` holding the cached page number (to correct it once the pages are known)."""
    result = OxmlElement("w:r")
    t = oxml.text_element(cached)
    result.append(t)
    return ([oxml.fld_char("begin"), oxml.instr_text(f"PAGEREF {bookmark} \\h"),
             oxml.fld_char("separate"), result, oxml.fld_char("end")], t)
