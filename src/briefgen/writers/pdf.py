"""PDF through WeasyPrint: tagged PDF/UA-1, bookmarks, links and metadata.

WeasyPrint's fixed costs are parsing CSS and setting up fonts (see
shared/reference/weasyprint-docx-notes.md §1.3), so both are kept for the life
of the process: a batch of letters pays them once.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from ..errors import BriefgenError, Problem
from ..render.document import RenderedDocument

_LOG = logging.getLogger("weasyprint")
_state: dict[str, object] = {}


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if "font_config" not in _state:
        _state["font_config"] = FontConfiguration()
    return _state["font_config"]


def _stylesheet(path: Path):
    from weasyprint import CSS

    key = (str(path), path.stat().st_mtime_ns)
    cache: dict = _state.setdefault("css", {})  # type: ignore[assignment]
    if key not in cache:
        cache[key] = CSS(filename=str(path), font_config=_font_config())
    return cache[key]


class _Collect(logging.Handler):
    """WeasyPrint reports unloadable resources only as log lines; keep them as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings():
    handler = _Collect()
    _LOG.addHandler(handler)
    old = _LOG.propagate
    _LOG.propagate = False
    try:
        yield handler
    finally:
        _LOG.removeHandler(handler)
        _LOG.propagate = old


_FATAL = ("Failed to load", "has no required alt", "Failed to load image", "Error ")


def write_pdf(doc: RenderedDocument) -> bytes:
    from weasyprint import HTML

    html = HTML(string=doc.html, base_url=doc.base_dir.as_uri() + "/")
    stylesheets = [_stylesheet(p) for p in doc.stylesheets]
    with _collect_warnings() as log:
        pdf = html.write_pdf(
            stylesheets=stylesheets,
            font_config=_font_config(),
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
        )
    fatal = [m for m in log.messages if any(m.startswith(f) or f in m for f in _FATAL)]
    if fatal:
        raise BriefgenError(Problem(f"template '{doc.template.name}'", None, None,
                                    f"PDF rendering: {m}") for m in fatal)
    return pdf
