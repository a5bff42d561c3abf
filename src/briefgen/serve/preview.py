"""What the live preview shows, kept up to date: the brief's HTML, its PDF pages, its problems.

One warm pipeline session lives for the life of the server. A save refreshes
it (only the content files that changed are read again) and re-renders the
HTML at once — tens of milliseconds — while the PDF, which takes WeasyPrint
about a second, is laid out afterwards on its own thread, always from the
newest render (saves that arrive meanwhile are not queued up, only the last
one is laid out). A failed refresh or render keeps the last good HTML and PDF
on screen and records every problem with the offending line of its file, as
`mkdocs serve` and Vite's error overlay do.

Nothing here knows about HTTP: the web app (app.py) reads `state()` and the
bytes, and is told of every change through `on_change`.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..content.languages import known_languages
from ..errors import BriefgenError, Problem, display_path
from ..pipeline import Pipeline
from ..render.document import RenderedDocument
from ..render.templates import TemplateSpec, list_templates
from .assets import Asset, split_assets

LOG = logging.getLogger("briefgen.serve")
EXCERPT_CONTEXT = 1  # lines shown above and below the offending line
EXCERPT_LIMIT = 2_000_000  # bytes of a file read to show an excerpt; larger files show none
PAGE_SCALE = 1.25  # page images at 90 dpi: sharp enough to read body text on screen


@dataclass(frozen=True)
class Located:
    """A problem as the overlay shows it: where, what, and the line it is about."""

    file: str
    line: int | None
    field: str | None
    message: str
    excerpt: tuple[tuple[int, str], ...] = ()  # (line number, text) around `line`

    @property
    def text(self) -> str:
        return str(Problem(self.file, self.line, self.field, self.message))

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "file": self.file, "line": self.line,
                "field": self.field, "message": self.message,
                "excerpt": [{"line": n, "text": t, "here": n == self.line}
                            for n, t in self.excerpt]}


def locate(problem: Problem, root: Path) -> Located:
    """The problem with the lines of its file around it, if it names a file of the
    project by line. Only files inside the project are read: the names come from
    our own messages, but a problem about a symlink must not show what it points at."""
    return Located(problem.file, problem.line, problem.field, problem.message,
                   _excerpt(root, problem.file, problem.line))


def _excerpt(root: Path, name: str, line: int | None) -> tuple[tuple[int, str], ...]:
    if not line or line < 1:
        return ()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return ()
    try:
        if path.stat().st_size > EXCERPT_LIMIT:
            return ()
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first, last = max(1, line - EXCERPT_CONTEXT), min(len(lines), line + EXCERPT_CONTEXT)
    return tuple((n, lines[n - 1][:300]) for n in range(first, last + 1))


@dataclass(frozen=True)
class PdfPreview:
    """One laid-out PDF and its pages as images, made from HTML version `html_version`."""

    version: int
    html_version: int
    data: bytes
    pages: tuple[bytes, ...]  # PNG per page
    seconds: float


@dataclass(frozen=True)
class Selection:
    template: str | None  # None: the project's own (briefgen.yaml)
    lang: str | None  # None: the project's language


@dataclass
class _Shown:
    """The last good render and everything said about the newest attempt."""

    template: str = ""
    lang: str = ""
    html: bytes = b""  # with its large data: URLs taken out, see assets.py
    assets: dict[str, Asset] = field(default_factory=dict)
    html_version: int = 0
    doc: RenderedDocument | None = None
    report: list[str] = field(default_factory=list)  # what fit-to-page did
    problems: list[Located] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    html_ms: float = 0.0


class Preview:
    """The preview of one project, for one template and language at a time."""

    def __init__(self, project_dir: Path, selection: Selection, *,
                 allow_network: bool = False, trust_project: bool = False,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.root = project_dir.resolve()
        self.selection = selection
        self.on_change = on_change
        self._session = Pipeline(self.root, allow_network=allow_network,
                                 trust_project=trust_project)
        self._lock = threading.Lock()  # the session and _shown
        self._layout = threading.Lock()  # WeasyPrint: its caches are shared, not locked
        self._shown = _Shown()
        self._assets: dict[str, Asset] = {}
        self._templates: list[TemplateSpec] = []
        self._pdf: PdfPreview | None = None
        self._pdf_busy = False
        self._pdf_problems: list[Located] = []
        self._pdf_wanted = threading.Condition()
        self._pdf_thread: threading.Thread | None = None
        self._stopping = False

    # -- the HTML: at once, on every change ----------------------------------------------

    def update(self, changed: Iterable[Path] = ()) -> None:
        """Bring the preview up to date after `changed` files were saved (or at start)."""
        changed = list(changed)
        if any(p.suffix in {".yaml", ".yml"} and "i18n" in p.parts for p in changed):
            from ..i18n import reload_catalogs

            reload_catalogs()
        if any(p.suffix == ".css" for p in changed):
            from ..render.paged import forget_stylesheets

            forget_stylesheets()
        with self._lock:
            self._render()
        self.on_change()
        self._want_pdf()

    def select(self, template: str | None, lang: str | None) -> None:
        """Show another template or language of the project."""
        with self._lock:
            self.selection = Selection(template or self.selection.template,
                                       lang or self.selection.lang)
            self._render()
        self.on_change()
        self._want_pdf()

    def _render(self) -> None:
        start = time.perf_counter()
        shown = self._shown
        try:
            self._templates = [s for s in list_templates(self.root)
                               if (s.per or "document") == "document"]
        except BriefgenError:
            pass  # a broken template.yaml: the render below says where
        try:
            self._session.refresh()
            spec = self._session.template(self.selection.template)
            options = self._session.options(lang=self.selection.lang)
            # fitting to a page lays it out: WeasyPrint runs on one thread at a time
            with self._layout if spec.fit else nullcontext():
                doc = self._session.render(spec, options)
            whole = replace(doc, subset_fonts=False)  # each font is sent once, by its hash
            html, assets = split_assets(self._session.write("html", whole))
        except BriefgenError as exc:
            shown.problems = [locate(p, self.root) for p in exc.problems]
            LOG.warning("%d problem%s: %s", len(exc.problems),
                        "s" if len(exc.problems) != 1 else "", "; ".join(map(str, exc.problems)))
            return
        except Exception as exc:  # noqa: BLE001 — the server must outlive a bug
            LOG.error("unexpected error while rendering:\n%s", traceback.format_exc())
            shown.problems = [Located("briefgen", None, None,
                                      f"unexpected error ({type(exc).__name__}: {exc}); "
                                      "please report it with the terminal's output")]
            return
        # the previous page's assets too: a browser may still be loading it
        self._assets = {**self._shown.assets, **assets}
        self._shown = _Shown(
            template=spec.name, lang=options.lang, html=html, assets=assets,
            html_version=shown.html_version + 1, doc=doc, report=list(doc.report),
            warnings=[str(w) for w in self._session.warnings],
            html_ms=(time.perf_counter() - start) * 1000)
        LOG.info("HTML of %s (%s) in %.0f ms", spec.name, options.lang, self._shown.html_ms)

    # -- the PDF: afterwards, in the background ------------------------------------------

    def start(self) -> None:
        """Render at once and start the PDF thread."""
        self._pdf_thread = threading.Thread(target=self._pdf_loop, name="briefgen-pdf",
                                            daemon=True)
        self._pdf_thread.start()
        self.update()

    def stop(self) -> None:
        with self._pdf_wanted:
            self._stopping = True
            self._pdf_wanted.notify_all()

    def _want_pdf(self) -> None:
        with self._pdf_wanted:
            self._pdf_wanted.notify_all()

    def _next_pdf_job(self) -> tuple[int, RenderedDocument] | None:
        """Wait until the newest HTML has no PDF yet; None when stopping."""
        with self._pdf_wanted:
            while True:
                if self._stopping:
                    return None
                shown, pdf = self._shown, self._pdf
                if shown.doc is not None and (pdf is None
                                              or pdf.html_version != shown.html_version):
                    self._pdf_busy = True
                    return shown.html_version, shown.doc
                self._pdf_wanted.wait()

    def _pdf_loop(self) -> None:
        while (job := self._next_pdf_job()) is not None:
            html_version, doc = job
            start = time.perf_counter()
            try:
                with self._layout:
                    data = self._session.write("pdf", doc)
                pages = tuple(_page_images(data))
            except BriefgenError as exc:
                self._pdf_problems = [locate(p, self.root) for p in exc.problems]
                pdf = self._pdf
                # remember that this version was tried, so that it is not tried again
                self._pdf = replace(pdf, html_version=html_version) if pdf else PdfPreview(
                    0, html_version, b"", (), 0.0)
            except Exception as exc:  # noqa: BLE001 — the server must outlive a bug
                LOG.error("unexpected error while laying out the PDF:\n%s",
                          traceback.format_exc())
                self._pdf_problems = [Located("briefgen", None, None,
                                              f"unexpected error in the PDF ({exc}); please "
                                              "report it with the terminal's output")]
                self._pdf = PdfPreview(self._pdf.version if self._pdf else 0, html_version,
                                       self._pdf.data if self._pdf else b"",
                                       self._pdf.pages if self._pdf else (), 0.0)
            else:
                seconds = time.perf_counter() - start
                version = (self._pdf.version if self._pdf else 0) + 1
                self._pdf = PdfPreview(version, html_version, data, pages, seconds)
                self._pdf_problems = []
                LOG.info("PDF: %d page%s in %.2f s", len(pages),
                         "s" if len(pages) != 1 else "", seconds)
            finally:
                self._pdf_busy = False
            self.on_change()

    # -- what the web app reads ----------------------------------------------------------

    @property
    def html(self) -> bytes:
        return self._shown.html

    def asset(self, name: str) -> Asset | None:
        """A font or image of the current (or the previous) page, by its name."""
        return self._assets.get(name)

    def pdf(self) -> PdfPreview | None:
        return self._pdf

    def templates(self) -> list[TemplateSpec]:
        """The project's templates that make one document (letters need a recipient),
        as of the last change (reading them all costs more than a render)."""
        return self._templates

    def state(self) -> dict[str, Any]:
        """Everything the page needs to draw itself, as JSON."""
        shown, pdf = self._shown, self._pdf
        problems = shown.problems or self._pdf_problems
        return {
            "project": display_path(self.root),
            "template": shown.template or self.selection.template or "",
            "lang": shown.lang or self.selection.lang or "",
            "templates": [{"name": s.name, "description": s.description}
                          for s in self.templates()],
            "languages": list(known_languages()),
            "html_version": shown.html_version,
            "html_ms": round(shown.html_ms),
            "problems": [p.as_json() for p in problems],
            "warnings": shown.warnings,
            "report": shown.report,
            "pdf": None if pdf is None or not pdf.pages else {
                "version": pdf.version, "pages": len(pdf.pages),
                "seconds": round(pdf.seconds, 2),
                "current": pdf.html_version == shown.html_version},
            "pdf_busy": self._pdf_busy or (shown.doc is not None and (
                pdf is None or pdf.html_version != shown.html_version)),
        }


def _page_images(pdf: bytes) -> Iterable[bytes]:
    """Each page of the PDF as a PNG (pdfium: no system tools needed)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=PAGE_SCALE).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False, compress_level=1)
            page.close()
            yield buffer.getvalue()
    finally:
        document.close()
