"""One module per output format; each turns a RenderedDocument into bytes.

Writers never import each other and never write files: the build decides where
bytes go, so every format gets the same atomic write for free.
"""

from __future__ import annotations

from collections.abc import Callable

from ..render.document import RenderedDocument

Writer = Callable[[RenderedDocument], bytes]


def get_writer(fmt: str) -> Writer:
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


FORMATS = ("pdf", "html", "docx")
