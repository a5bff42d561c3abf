"""PDF through WeasyPrint: tagged PDF/UA-1, bookmarks, links and metadata.

The pages are laid out by render.paged (shared with other writers that need
page numbers); this module only serialises them.
"""

from __future__ import annotations

from ..render.document import RenderedDocument
from ..render.paged import (
    PDF_OPTIONS,
    TEMPLATE_ASKED,
    fetch_problems,
    layout,
    weasyprint_problems,
)


def write_pdf(doc: RenderedDocument) -> bytes:
    return write_pdf_with(doc)


def write_pdf_with(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    """One tagged PDF from several documents' pages, e.g. a letter with the handout
    behind it; metadata and language come from the first. The others are laid out
    once and their pages reused for every document they follow."""
    document = layout(doc)
    if following:
        document = document.copy([*document.pages,
                                  *(page for other in following for page in layout(other).pages)])
    where = f"template '{doc.template.name}'"
    # attachments are fetched here, after layout
    with fetch_problems(where, TEMPLATE_ASKED), weasyprint_problems(where):
        return document.write_pdf(**PDF_OPTIONS)
