"""One way into the pipeline: a session over one project.

load → validate → render → write. `briefgen build`, `check`, `check --parity`,
the letters batch (and each of its worker processes) and the live preview all
go through a `Pipeline`: it opens the project once — settings, content,
resource policy — and then answers every question a command has: which
template, which formats, which render options, the rendered document (fitted
to its page if the template asks), the bytes of any format. The commands only
decide what to make and where to put it.

A session is meant to live: `refresh()` re-reads the settings and only the
content files that changed since the last load, so a server can keep one warm
while someone edits. A failed refresh raises, and the session keeps its last
good state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from .content.languages import unknown_language
from .content.loader import ContentLoader, LoadedContent
from .content.model import Content
from .errors import BriefgenError, Problem
from .i18n import reload_catalogs
from .i18n.catalogs import check_catalogs
from .project import Project, load_project
from .render.document import RenderedDocument, RenderOptions, render_document
from .render.fit import fit_to_page
from .render.needs import required_problems
from .render.paged import layout
from .render.templates import Origin, TemplateSpec, find_template
from .resources import ResourcePolicy
from .writers import FORMATS, get_writer

Makes = Literal["document", "recipient"]  # what a command makes from a template


class Pipeline:
    """A project opened once: its settings, content and resource policy."""

    def __init__(self, project_dir: Path, *, allow_network: bool = False,
                 trust_project: bool = False) -> None:
        self.project_dir = project_dir
        self.allow_network = allow_network
        self.trust_project = trust_project  # the command, not the project, says so
        self._loader: ContentLoader | None = None
        self._project: Project | None = None
        self._policy: ResourcePolicy | None = None
        self._loaded: LoadedContent | None = None
        self._written: list[Problem] = []  # writers' warnings (RenderedDocument.warnings)
        self._catalog_notes: list[Problem] = []  # the project's catalogs (i18n/catalogs.py)

    @classmethod
    def open(cls, project_dir: Path, *, allow_network: bool = False,
             trust_project: bool = False) -> Pipeline:
        """Open and validate a project; BriefgenError lists every problem it has."""
        session = cls(project_dir, allow_network=allow_network, trust_project=trust_project)
        session.refresh()
        return session

    # -- load and validate -----------------------------------------------------------

    def refresh(self) -> list[str]:
        """Bring the session up to date with the files; returns the content files read
        again (as shown to users). Unchanged content files are not read."""
        project = load_project(self.project_dir)
        reload_catalogs()  # the project's own (i18n/*.yaml) may have changed
        problems, self._catalog_notes = check_catalogs(project.root)
        if problems:
            raise BriefgenError(problems)
        if self._loader is None or self._loader.project_dir != project.root:
            self._loader = ContentLoader(project.root)
        policy = project.policy(self.allow_network, self.trust_project)
        with self._explained(project):
            loaded = self._loader.load(policy)
        self._project, self._policy, self._loaded = project, policy, loaded
        self._written = []
        return list(self._loader.reloaded)

    @contextmanager
    def _explained(self, project: Project | None = None) -> Iterator[None]:
        """A refused resource may be what the project's ignored allow_paths or
        allow_network were for: the failure says so beside its problems."""
        try:
            yield
        except BriefgenError as exc:
            ignored = (project or self.project).ignored_permissions(self.trust_project)
            if not ignored:
                raise
            raise BriefgenError([*exc.problems, *ignored]) from None

    def _opened(self) -> tuple[Project, ResourcePolicy, LoadedContent]:
        if self._project is None or self._policy is None or self._loaded is None:
            raise RuntimeError("the session is not open: call refresh() first")
        return self._project, self._policy, self._loaded

    @property
    def project(self) -> Project:
        return self._opened()[0]

    @property
    def policy(self) -> ResourcePolicy:
        """What this project's build may read (resources.py)."""
        return self._opened()[1]

    @property
    def loaded(self) -> LoadedContent:
        return self._opened()[2]

    @property
    def content(self) -> Content:
        return self.loaded.content

    @property
    def warnings(self) -> list[Problem]:
        """Problems that do not stop a build (e.g. control characters removed, a
        permission the project gives itself ignored, what a writer dropped from a
        template's reference.docx)."""
        return (self.project.ignored_permissions(self.trust_project) + self._catalog_notes
                + self.loaded.warnings + self._written)

    @property
    def default_lang(self) -> str:
        """briefgen.yaml's language, else the brief's own."""
        return self.project.config.lang or self.content.brief.language

    # -- what to make ----------------------------------------------------------------

    def template(self, name: str | None = None, *, makes: Makes | None = "document",
                 origin: Origin = ("--template", None, None)) -> TemplateSpec:
        """A template by name, or the project's own (problems then point at its line in
        briefgen.yaml). `makes` is what the caller produces from it: one document
        (build, parity) or one per recipient (batch); the other kind is refused with
        the command that makes it; None takes either (a review of the content)."""
        project = self.project
        if name is None:
            name, origin = project.config.template, project.setting_origin("template")
        spec = find_template(name, project.root, origin)
        per = spec.per or "document"
        if makes is not None and per != makes:
            raise BriefgenError([Problem(*origin, _wrong_kind(spec.name, makes))])
        return spec

    def formats(self, spec: TemplateSpec, requested: Sequence[str] | None = None,
                default: Sequence[str] | None = None) -> list[str]:
        """The formats to write: as asked, else `default`, else the project's; each one
        known and produced by the template."""
        formats = list(requested or default or self.project.config.formats)
        problems = [Problem("--format", None, None, f"unknown format '{f}'; available: "
                            f"{', '.join(FORMATS)}") for f in formats if f not in FORMATS]
        problems += [Problem("--format", None, None, f"template '{spec.name}' does not "
                             f"produce {f}; it produces {', '.join(spec.formats)}")
                     for f in formats if f in FORMATS and f not in spec.formats]
        if problems:
            raise BriefgenError(problems)
        return formats

    def options(self, *, lang: str | None = None, paper: str | None = None,
                **changes: Any) -> RenderOptions:
        """The project's render options (language, paper, theme) with some changed for
        one run or one document, e.g. `extra=` variables for one letter."""
        config = self.project.config
        unknown = unknown_language(lang) if lang is not None else None
        if unknown is not None:
            raise BriefgenError([unknown])
        options = RenderOptions(lang=lang or self.default_lang, paper=paper or config.paper,
                                theme=config.theme, docx=config.docx)
        return replace(options, **changes) if changes else options

    # -- render and write --------------------------------------------------------------

    def render(self, spec: TemplateSpec, options: RenderOptions | None = None
               ) -> RenderedDocument:
        """Content + template → the one HTML document every writer reads. A one-page
        template is fitted to its page; `doc.report` says what that took."""
        project, policy, loaded = self._opened()
        options = options or self.options()
        unmet = self.unmet(spec)
        if unmet:
            raise BriefgenError(unmet)
        with self._explained():
            if spec.fit == "one-page":
                return fit_to_page(loaded, spec, options, project.root, policy)
            return render_document(loaded, spec, options, project.root, policy)

    def unmet(self, spec: TemplateSpec) -> list[Problem]:
        """What the template cannot be made without and the content lacks (a `required`
        section of its template.yaml, e.g. the dossier's targets): render refuses it."""
        return required_problems(spec.sections, spec.name, self.loaded)

    def write(self, fmt: str, doc: RenderedDocument, *following: RenderedDocument) -> bytes:
        """The bytes of one file in `fmt`: `doc`, then any documents that follow it in
        the same file (a letter with the handout behind it)."""
        with self._explained():
            data = get_writer(fmt)(doc, *following)
        self._written += [w for w in dict.fromkeys(doc.warnings) if w not in self._written]
        return data

    def page_count(self, doc: RenderedDocument) -> int:
        """Pages of `doc` as the PDF prints them (the layout is kept for the PDF writer)."""
        return len(layout(doc).pages)

    def output_dir(self, out: Path | None = None, *within: str) -> Path:
        """Where outputs go: as asked, else the project's output folder (or a folder
        `within` it), which must lead nowhere outside the project (Project.output_dir)."""
        return self.project.output_dir(out, *within)


def _wrong_kind(name: str, makes: Makes) -> str:
    if makes == "document":
        return (f"template '{name}' makes one document per recipient: run 'briefgen batch "
                f"{name} --recipients FILE'")
    return (f"template '{name}' makes one document, not one per recipient: build it with "
            f"'briefgen build --template {name}'")
