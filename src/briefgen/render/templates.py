"""Finding templates: a project's own folder first, then the built-in set.

As in MkDocs' `custom_dir`, the lookup is a chain of folders, so a project can
replace one partial or stylesheet of a built-in template without copying the
rest, or add a whole template of its own: a folder with a `template.yaml`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

import jinja2
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..assets import builtin_root
from ..content.model import DEFAULT_LANGUAGE
from ..content.source_file import FieldPath, SourceFile, format_loc, load_yaml_file
from ..content.validation import pattern, pydantic_problems
from ..errors import BriefgenError, Problem, display_path
from ..i18n.typography import typographic
from ..project import DEFAULT_FORMATS, TEMPLATE_NAME, Format
from . import lang_marks
from .needs import SectionNeed

# Where a template's name was given, for problems about it: (file or option, line, field).
Origin = tuple[str, int | None, str | None]
MANIFEST = "template.yaml"
CLASS_NAME = pattern(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$",
                     "a CSS class name (letters, digits, '-' or '_', not first a digit)")
SHARED = "_shared"
# a file of the template's folders: a relative path without '..' (no way out of them)
FILE_IN_TEMPLATE = pattern(r"^(?!.*(?:^|/)\.\.(?:/|$))[^/\\][^\\]*$",
                           "a file name inside the template folder (no '/' at the start, "
                           "no '..')")


# A value printed as it is: one word holding / : or @ (a web address, a path, an email).
_ADDRESS = re.compile(r"^\S*[/:@]\S*$")


@jinja2.pass_context
def typeset(context: jinja2.runtime.Context, value: object) -> object:
    """Every `{{ value }}` a template prints (Jinja's finalize): plain text from the
    content or the catalogs gets the output language's quotes and spacing, so a
    title, a name or a case field reads as the Markdown around it does, in any
    template, a project's own included. Markup (Markdown already set, a filter's
    HTML) and addresses are left as they are: an apostrophe in a link target or a
    file name is part of it. The language is the text's (`text_lang`: the content's,
    a letter's own); the catalogs' labels are typographic already."""
    return _typeset(value, context)


def _typeset(value: object, context: jinja2.runtime.Context) -> object:
    if isinstance(value, str) and not isinstance(value, Markup) \
            and not _ADDRESS.match(value):
        own = getattr(value, "lang", None)  # an original's text in a translated document
        lang = own or context.get("text_lang") or context.get("lang") or DEFAULT_LANGUAGE
        text = typographic(value, str(lang))
        if not own:
            return text
        lang_marks.printed(value)
        return lang_marks.mark(text, own)
    return value


@jinja2.pass_context
def typeset_join(context: jinja2.runtime.Context, value: Iterable[object], d: str = "",
                 attribute: str | int | None = None) -> str:
    """Jinja's `join`, its items typeset as `typeset` does a value: with autoescape the
    built-in join returns Markup, which finalize would leave as it is."""
    if attribute is not None:
        value = map(jinja2.filters.make_attrgetter(context.environment, attribute), value)
    items = [_typeset(item, context) for item in value]
    return jinja2.filters.do_join(context.eval_ctx, items, d)


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    description: str
    formats: tuple[str, ...]
    entry: str
    stylesheets: tuple[str, ...]
    search_path: tuple[Path, ...] = field(default=())
    builtin: bool = True
    project_dir: Path | None = None
    split: str | None = None
    fit: str | None = None
    fit_levels: int = 0
    optional: tuple[str, ...] = ()
    per: str | None = None  # "recipient": one document per row of a recipients file
    docx_styles: Mapping[str, str] = field(default_factory=dict)  # class → Word style
    docx_layout: DocxLayout = field(default_factory=lambda: DocxLayout())
    sections: tuple[SectionNeed, ...] = ()  # what each section needs of the content
    manifest_file: SourceFile | None = None  # template.yaml, to locate problems with it

    def setting_problem(self, loc: FieldPath, message: str) -> Problem:
        """A problem with a template.yaml setting, at its line."""
        if self.manifest_file is None:
            return Problem(f"template '{self.name}'", None, format_loc(loc), message)
        return self.manifest_file.problem(loc, message)

    def find(self, relative: str) -> Path | None:
        """The first file of that name along the search path. A name is a path inside
        the template folders (never absolute, never '..'), and a file found must stay
        inside its folder with symlinks followed: a project's template may not pull a
        file of the machine into the brief (raises BriefgenError)."""
        name = PurePosixPath(relative)
        if name.is_absolute() or ".." in name.parts or "\\" in relative:
            return None
        for folder in self.search_path:
            candidate = folder / name
            if not candidate.exists() and not candidate.is_symlink():
                continue
            real = candidate.resolve()
            if not real.is_relative_to(folder.resolve()) or not real.is_file():
                shown = shown_template_path(candidate, self.project_dir)
                why = "is not a regular file" if real.is_relative_to(folder.resolve()) \
                    else "leads outside its template folder (a symbolic link?)"
                raise BriefgenError([Problem(shown, None, None, f"refused: {why}")])
            return candidate
        return None

    def reference_docx(self) -> Path:
        """The Word styles: the template's own reference.docx, else the shared one."""
        path = self.find("reference.docx")
        if path is None:
            raise BriefgenError([Problem(f"template '{self.name}'", None, None,
                                         "no reference.docx found for Word output")])
        return path

    def stylesheet_paths(self) -> list[Path]:
        paths = []
        for name in self.stylesheets:
            path = self.find(name)
            if path is None:
                folders = ", ".join(shown_template_path(p, self.project_dir)
                                    for p in self.search_path)
                raise BriefgenError([Problem(f"template '{self.name}'", None, "stylesheets",
                                             f"stylesheet '{name}' not found in {folders}")])
            paths.append(path)
        return paths


THEME_COLOURS = ("accent", "accent-light", "ink", "muted")  # the CSS variables of a theme
WORD_COLOUR = pattern(r"^(#[0-9A-Fa-f]{6}|accent|accent-light|ink|muted)$",
                      "a colour such as #1f4e79, or a theme colour: accent, accent-light, ink "
                      "or muted")
Points = Annotated[float, Field(ge=0, le=400)]


class DocxStyle(BaseModel):
    """How a template changes one Word style of its reference.docx, when it writes a
    document (docs/templates.md, "Word layout"): sizes and spacing in points."""

    model_config = ConfigDict(extra="forbid")
    size: Annotated[float, Field(ge=1, le=400)] | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: Annotated[str, Field(pattern=WORD_COLOUR)] | None = None
    space_before: Points | None = None
    space_after: Points | None = None
    line_spacing: Annotated[float, Field(gt=0, le=5)] | None = None  # Word's "multiple"
    keep_with_next: bool | None = None
    cell_padding: Points | None = None  # a table style's cells: above and below the text
    shading: Annotated[str, Field(pattern=WORD_COLOUR)] | None = None  # a background


class DocxLayout(BaseModel):
    """The template's page and styles in Word, where they differ from reference.docx:
    the PDF's page margins (mm: top, right, bottom, left, as CSS @page) and styles."""

    model_config = ConfigDict(extra="forbid")
    margins: tuple[Annotated[float, Field(ge=0, le=100)], ...] | None = Field(
        None, min_length=4, max_length=4)
    running_header: bool = True  # a header line on the pages after the first
    styles: dict[Annotated[str, Field(min_length=1, max_length=253)], DocxStyle] = Field(
        default_factory=dict)


class Manifest(BaseModel):
    """template.yaml: what a template is and produces (see README, Customising)."""

    # python-re: FILE_IN_TEMPLATE looks ahead, which pydantic's default engine cannot
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")
    name: str | None = None
    description: str = ""
    formats: list[Format] = Field(default_factory=lambda: list(DEFAULT_FORMATS))
    entry: str | None = None
    stylesheets: list[Annotated[str, Field(pattern=FILE_IN_TEMPLATE)]] = Field(
        default_factory=lambda: ["style.css"])
    split: Literal["cases"] | None = None  # `build --split`: one file per case
    fit: Literal["one-page"] | None = None  # shrink, then drop optional blocks, to fit
    fit_levels: int = Field(0, ge=0, le=10)  # CSS classes fit-1 … fit-N tighten the layout
    optional: list[str] = Field(default_factory=list)  # blocks fit may drop, first dropped first
    per: Literal["recipient"] | None = None  # `briefgen batch`: one document per recipient
    # the template's own classes → Word styles, beside the shared ones (render/contract.py)
    docx_styles: dict[Annotated[str, Field(pattern=CLASS_NAME)],
                      Annotated[str, Field(min_length=1, max_length=253)]] = Field(
        default_factory=dict)
    # the page and Word styles where they differ from reference.docx (writers/docx)
    docx_layout: DocxLayout = Field(default_factory=DocxLayout)
    # the sections shown only when the content has something for them (render/needs.py)
    sections: list[SectionNeed] = Field(default_factory=list)


def shown_template_path(path: Path, project_dir: Path | None) -> str:
    """Project files relative to the project; built-in ones marked as such."""
    root = builtin_root().resolve()
    if path.resolve().is_relative_to(root):
        return f"(built-in) {path.resolve().relative_to(root).as_posix()}"
    return display_path(path, project_dir)


def _read_manifest(path: Path, project_dir: Path | None) -> tuple[Manifest, SourceFile]:
    within = (builtin_root(), *((project_dir,) if project_dir else ()))
    source, problems = load_yaml_file(path, shown_template_path(path, project_dir),
                                      within=within)
    if problems:
        raise BriefgenError(problems)
    try:
        return Manifest.model_validate(source.data or {}), source
    except ValidationError as exc:
        raise BriefgenError(pydantic_problems(source, exc)) from None


_TEMPLATE_NAME = re.compile(TEMPLATE_NAME)


def _spec(name: str, project_dir: Path | None) -> TemplateSpec | None:
    if not _TEMPLATE_NAME.match(name) or ".." in name:
        return None  # no paths: a template name never leads out of the template folders
    builtin = builtin_root() / name
    project = project_dir / "templates" / name if project_dir else None
    folders = [p for p in (project, builtin) if p is not None and p.is_dir()
               and (p is builtin or _inside(p, project_dir))]
    manifests = [p / MANIFEST for p in folders if (p / MANIFEST).is_file()]
    if not manifests or name.startswith(("_", ".")):
        return None
    manifest, manifest_file = _read_manifest(manifests[0], project_dir)
    search = (*folders, builtin_root() / SHARED)
    return TemplateSpec(
        name=name,
        description=manifest.description,
        formats=tuple(manifest.formats),
        entry=manifest.entry or f"{name}.html.j2",
        stylesheets=tuple(manifest.stylesheets),
        search_path=search,
        project_dir=project_dir,
        split=manifest.split,
        fit=manifest.fit,
        fit_levels=manifest.fit_levels,
        optional=tuple(manifest.optional),
        per=manifest.per,
        docx_styles=dict(manifest.docx_styles),
        docx_layout=manifest.docx_layout,
        sections=tuple(manifest.sections),
        manifest_file=manifest_file,
        builtin=builtin.is_dir() and not (project is not None and (project / MANIFEST).is_file()),
    )


def _inside(path: Path, root: Path | None) -> bool:
    """A project template folder that is a symlink out of the project is not used."""
    return root is not None and path.resolve().is_relative_to(root.resolve())


def list_templates(project_dir: Path | None) -> list[TemplateSpec]:
    names = {p.name for p in builtin_root().iterdir() if p.is_dir()}
    if project_dir and (project_dir / "templates").is_dir():
        names |= {p.name for p in (project_dir / "templates").iterdir() if p.is_dir()}
    specs = (_spec(n, project_dir) for n in sorted(names))
    return [s for s in specs if s is not None]


def eject_template(name: str, project_dir: Path) -> Path:
    """Copy a built-in template into the project for full control.

    The copy is found before the built-in one, so the project's build is unchanged
    until someone edits it; shared files (base page, fonts, reference.docx) stay
    shared and can be overridden one by one in the same folder.
    """
    source = builtin_root() / name
    if not _TEMPLATE_NAME.match(name) or not (source / MANIFEST).is_file():
        known = ", ".join(s.name for s in list_templates(None)) or "none"
        raise BriefgenError([Problem("NAME", None, None, f"unknown built-in template "
                                                         f"'{name}'; available: {known}")])
    target = project_dir / "templates" / name
    if target.exists():
        raise BriefgenError([Problem(display_path(target, project_dir), None, None,
                                     "already exists; eject never overwrites a template")])
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def find_template(name: str, project_dir: Path | None,
                  origin: Origin = ("--template", None, None)) -> TemplateSpec:
    """origin: where the name was given (the option, or a line of briefgen.yaml)."""
    spec = _spec(name, project_dir)
    if spec is None:
        known = ", ".join(s.name for s in list_templates(project_dir)) or "none"
        raise BriefgenError([Problem(*origin, f"unknown template '{name}'; available: {known}")])
    return spec
