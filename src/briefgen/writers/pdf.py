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


def write_pdf(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    """One tagged PDF; documents that follow add their own laid-out pages, so a
    handout behind a letter looks exactly as it does printed alone. Metadata and
    language come from the first. Each document is laid out once, however many
    others it follows."""
    document = layout(doc)
    if following:
        document = document.copy([*document.pages,
                                  *(page for other in following for page in layout(other).pages)])
    where = f"template '{doc.template.name}'"
    # attachments are fetched here, after layout
    with fetch_problems(where, TEMPLATE_ASKED), \
            weasyprint_problems(where, doc.policy.project_root):
        return bytes(document.write_pdf(**PDF_OPTIONS))
