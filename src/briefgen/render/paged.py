"""Paged layout with WeasyPrint: shared by the PDF writer and anyone needing page numbers.

Laying out pages is the expensive part of a build (about 0.1 s a page), so it is
done once per rendered document and cached on it: the PDF writer serialises the
laid-out pages, and the DOCX writer reads the page on which each heading starts
to fill its table of contents. WeasyPrint's parsed CSS and font configuration
are kept for the life of the process (shared/reference notes §1.3).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import posixpath
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit

from ..clock import source_date_epoch
from ..errors import BriefgenError, Problem, display_path
from ..resources import (
    MissingResource,
    RefusedResource,
    ResourcePolicy,
    resource_problem,
    utf8_text,
)
from ..svg import declares_dtd, looks_like_svg, svg_refusal

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from .document import RenderedDocument

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

_LOG = logging.getLogger("weasyprint")


class _Warm:
    """What stays loaded for the life of the process: the fonts and parsed stylesheets."""

    font_config: FontConfiguration | None = None
    css: ClassVar[dict[tuple[object, ...], CSS]] = {}

    @classmethod
    def clear(cls) -> None:
        cls.font_config = None
        cls.css.clear()


# Drop WeasyPrint objects before interpreter shutdown tears down the modules their
# __del__ needs (otherwise "Exception ignored in FontConfiguration.__del__" at exit).
atexit.register(_Warm.clear)
_FATAL = ("Failed to load", "has no required alt", "Error ")


def _import_weasyprint() -> None:
    """Import WeasyPrint without ctypes.util.find_library: about 0.3 s less at start-up.

    WeasyPrint tries several names per system library; for a bare name cffi falls
    back to find_library, which runs ldconfig (and gcc) in subprocesses, a dozen
    times. Each list also holds the library's soname ('libpango-1.0.so.0', or the
    .dylib/.dll name), which the dynamic loader finds directly, so the lookups
    only cost time. The patch lasts for this one import.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = original


def font_config() -> FontConfiguration:
    _import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    if _Warm.font_config is None:
        _Warm.font_config = FontConfiguration()
    return _Warm.font_config


# The document's base URL as WeasyPrint sees it. WeasyPrint names each image in the PDF
# after the hash of its URL: with the project's real folder in it, the same brief
# built in two folders would differ. The fetcher maps this back to the real folder.
# It is a few folders deep so that `../` (a folder allowed beside the project) stays
# inside it and can be mapped back too.
_VIRTUAL_ROOT = "/briefgen-project"
_VIRTUAL_DIR = _VIRTUAL_ROOT + "/up" * 12
VIRTUAL_BASE = f"file://{_VIRTUAL_DIR}/"


def _real_url(url: str, base: Path) -> str:
    """A URL under the virtual base → the same place under the real document folder."""
    parts = urlsplit(url)
    if parts.scheme != "file" or not parts.path.startswith(_VIRTUAL_ROOT + "/"):
        return url
    relative = posixpath.relpath(unquote(parts.path), _VIRTUAL_DIR)
    return Path(os.path.normpath(base / relative)).as_uri()


def _fetcher(policy: ResourcePolicy, base: Path | None = None) -> URLFetcher:
    """WeasyPrint's fetcher, asking the project's resource policy before every read.

    Failures are raised as WeasyPrint's FatalURLFetchingError carrying the whole
    message for the user, so rendering stops at the first refused or missing file
    instead of printing a PDF with a hole in it.
    """
    _import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class PolicyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            asked = url
            if base is not None:
                url = _real_url(url, base)
            try:
                found = policy.locate(url, policy.project_root)
                if isinstance(found, Path):  # a local file: through the one gate; no
                    # file name or date goes with it (they would change the PDF)
                    body = policy.read(found)
                    _refuse_svg_dtd(display_path(found, policy.project_root), body)
                    return URLFetcherResponse(asked, body=body)
            except RefusedResource as exc:
                raise FatalURLFetchingError(f"resource refused: {exc}") from None
            except MissingResource as exc:
                raise FatalURLFetchingError(str(exc)) from None
            try:
                response = super().fetch(url, headers)
            except FatalURLFetchingError:
                raise
            except Exception as exc:  # noqa: BLE001 - unreadable resource: say which
                raise FatalURLFetchingError(f"cannot read '{url}': {exc}") from None
            body = response.read()  # a data: URL, or an allowed web address
            _refuse_svg_dtd(url if len(url) <= 60 else url[:59] + "…", body)
            return URLFetcherResponse(response.url, body=body, headers=response.headers,
                                      status=response.status)

    def _refuse_svg_dtd(shown: str, body: bytes) -> None:
        """WeasyPrint expands an SVG's entities (or fails with no reason): an image that
        is XML with a DTD is refused before it parses it (svg.py)."""
        if looks_like_svg(body) and declares_dtd(body):
            raise FatalURLFetchingError(svg_refusal(shown))

    return PolicyFetcher(allowed_protocols=("file", "data", "http", "https"),
                         allow_redirects=False, fail_on_errors=True)


MAX_PAGES = 2_000  # a brief is tens of pages; a letters pack is laid out letter by letter
STYLESHEET_BYTES = 2 * 1024 * 1024  # a stylesheet is text: 2 MB is far more than any
TEMPLATE_ASKED = " (asked for by the template or its stylesheets)"


@contextmanager
def fetch_problems(where: str, note: str = "") -> Iterator[None]:
    """A fetch failure anywhere in WeasyPrint (layout, fonts, attachments) → a problem."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as exc:
        message = str(exc) + (note if str(exc).startswith("resource refused") else "")
        raise BriefgenError([Problem(where, None, None, message)]) from None


def stylesheet(path: Path, policy: ResourcePolicy) -> CSS:
    _import_weasyprint()
    from weasyprint import CSS

    key = (str(path), path.stat().st_mtime_ns, policy.project_root, policy.allow_network,
           policy.allowed_paths)
    cache = _Warm.css
    if key not in cache:
        shown = display_path(path, policy.project_root)
        text = stylesheet_text(path, policy, shown)
        with fetch_problems(shown):
            cache[key] = CSS(string=text, base_url=path.as_uri(), font_config=font_config(),
                             url_fetcher=_fetcher(policy))
    return cache[key]


def stylesheet_text(path: Path, policy: ResourcePolicy, shown: str) -> str:
    """A stylesheet's text, read through the resource policy (WeasyPrint's own
    `CSS(filename=)` would open any path it is given)."""
    try:
        data = policy.read(path, STYLESHEET_BYTES)
    except (RefusedResource, MissingResource) as exc:
        raise resource_problem(shown, exc) from None
    return utf8_text(data, shown)


def forget_stylesheets() -> None:
    """Parse every stylesheet again on next use: the cache knows when a stylesheet
    changed, not when a file it @imports did (the live preview calls this on any save
    of a .css file)."""
    _Warm.css.clear()


class _Collect(logging.Handler):
    """WeasyPrint reports unloadable resources only as log lines; keep them as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_IMAGE_FAILED = re.compile(r"^Failed to load image at '(.*)': ?(.*)$", re.DOTALL)


def _readable(message: str, root: Path | None) -> str:
    """WeasyPrint's "Failed to load image at 'file:///…/x.svg': " names the image by its
    absolute address and often gives no reason: the project path, and a reason."""
    match = _IMAGE_FAILED.match(message)
    if match is None:
        return message
    url, reason = match.groups()
    shown = url if len(url) <= 60 else url[:59] + "…"
    if url.startswith("file://"):
        if root is not None:  # the document's own folder is named virtually (see above)
            url = _real_url(url, root)
        shown = display_path(Path(unquote(urlsplit(url).path)), root)
    return (f"image '{shown}' cannot be read: "
            f"{reason.strip() or 'it is not an image file briefgen can read'}")


@contextmanager
def weasyprint_problems(where: str, root: Path | None = None) -> Iterator[None]:
    """Turn WeasyPrint's warnings about missing resources into a failed build (image
    addresses shown relative to `root`, the project)."""
    handler = _Collect()
    _LOG.addHandler(handler)
    old = _LOG.propagate
    _LOG.propagate = False
    try:
        yield
    finally:
        _LOG.removeHandler(handler)
        _LOG.propagate = old
    fatal = [m for m in handler.messages if any(f in m for f in _FATAL)]
    if fatal:
        raise BriefgenError(Problem(where, None, None, f"PDF rendering: {_readable(m, root)}")
                            for m in fatal)


def layout(doc: RenderedDocument) -> Document:
    if doc.layout is None:
        _import_weasyprint()
        from weasyprint import HTML

        policy = doc.policy
        html = HTML(string=doc.html, base_url=VIRTUAL_BASE,
                    url_fetcher=_fetcher(policy, doc.base_dir))
        stylesheets = [stylesheet(p, policy) for p in doc.stylesheets]
        where = f"template '{doc.template.name}'"
        with fetch_problems(where, TEMPLATE_ASKED), \
                weasyprint_problems(where, policy.project_root):
            doc.layout = html.render(stylesheets=stylesheets, font_config=font_config(),
                                     **PDF_OPTIONS)
        if len(doc.layout.pages) > MAX_PAGES:
            count = len(doc.layout.pages)
            doc.layout = None
            raise BriefgenError([Problem(where, None, None, (
                f"the document runs to {count:,} pages; documents are limited to "
                f"{MAX_PAGES:,}"))])
        _date_attachments(doc.layout.metadata)
    return doc.layout


def _date_attachments(metadata: Any) -> None:
    """Attached files carry the document's date, not the time of the build (WeasyPrint's
    default): the same brief gives the same bytes tomorrow."""
    fixed = source_date_epoch()
    if fixed is None:
        for written in (metadata.modified, metadata.created):
            try:
                fixed = dt.datetime.fromisoformat(str(written).replace("Z", "+00:00"))
                break
            except ValueError:
                continue
    fixed = (fixed or dt.datetime(1970, 1, 1)).replace(tzinfo=None)
    for attachment in metadata.attachments:
        attachment.created = attachment.modified = fixed


def anchor_pages(doc: RenderedDocument) -> dict[str, int]:
    """1-based page of every element id, as printed in the PDF."""
    pages: dict[str, int] = {}
    for number, page in enumerate(layout(doc).pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages
