"""PDF through WeasyPrint: tagged PDF/UA-1, bookmarks, links and metadata.

The pages are laid out by render.paged (shared with other writers that need
page numbers); this module only serialises them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

from ..render.document import RenderedDocument
from ..render.paged import (
    PDF_OPTIONS,
    TEMPLATE_ASKED,
    fetch_problems,
    layout,
    weasyprint_problems,
)


def _tag_languages() -> None:
    """Give each structure element the language of an element marked `lang` (an
    original's text in a translated brief, a name in another script): WeasyPrint 70
    sets only the document's /Lang, and PDF/UA wants a change of language said where
    it happens, so a screen reader switches voice. Installed once, around
    WeasyPrint's own builder of the tag tree, which calls itself for every box."""
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "briefgen_lang", False):  # noqa: SLF001
        return
    build = tags._build_box_tree  # noqa: SLF001

    def with_language(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None \
            and getattr(box, "element_tag", None) not in ("html", "body") else None
        for structure in build(box, *args):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    with_language.briefgen_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = with_language  # noqa: SLF001


def write_pdf(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    """One tagged PDF; documents that follow add their own laid-out pages, so a
    handout behind a letter looks exactly as it does printed alone. Metadata and
    language come from the first. Each document is laid out once, however many
    others it follows."""
    _tag_languages()
    document = layout(doc)
    if following:
        document = document.copy([*document.pages,
                                  *(page for other in following for page in layout(other).pages)])
    where = f"template '{doc.template.name}'"
    # attachments are fetched here, after layout
    with fetch_problems(where, TEMPLATE_ASKED), \
            weasyprint_problems(where, doc.policy.project_root):
        return bytes(document.write_pdf(**PDF_OPTIONS))
