"""One module per output format; each turns rendered documents into the bytes of one file.

A writer takes a document and, optionally, documents that follow it in the same
file (a letter with the handout behind it): every format can make a pack.
Writers never import each other and never write files: the caller decides
where bytes go, so every format gets the same atomic write for free.
"""

from __future__ import annotations

from typing import Protocol

from ..project import FORMATS
from ..render.document import RenderedDocument


class Writer(Protocol):
    def __call__(self, doc: RenderedDocument, *following: RenderedDocument) -> bytes: ...


__all__ = ["FORMATS", "Writer", "get_writer"]


def get_writer(fmt: str) -> Writer:
    """The writer of a format; imported on first use (WeasyPrint alone takes 0.9 s)."""
    if fmt == "pdf":
        from .pdf import write_pdf

        return write_pdf
    if fmt == "html":
        from .html import write_html

        return write_html
    if fmt == "docx":
        from .docx import write_docx

        return write_docx
    raise KeyError(fmt)
