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
    document = layout(doc)
    where = f"template '{doc.template.name}'"
    # attachments are fetched here, after layout
    with fetch_problems(where, TEMPLATE_ASKED), weasyprint_problems(where):
        return document.write_pdf(**PDF_OPTIONS)
