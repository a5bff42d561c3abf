"""PDF through WeasyPrint: tagged PDF/UA-1, bookmarks, links and metadata.

The pages are laid out by render.paged (shared with other writers that need
page numbers); this module only serialises them.
"""

from __future__ import annotations

from ..render.document import RenderedDocument
from ..render.paged import PDF_OPTIONS, layout, weasyprint_problems


def write_pdf(doc: RenderedDocument) -> bytes:
    document = layout(doc)
    with weasyprint_problems(f"template '{doc.template.name}'"):
        return document.write_pdf(**PDF_OPTIONS)
