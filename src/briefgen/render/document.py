"""Content + template → one HTML document, the single intermediate every writer consumes."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from babel.lists import format_list
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..content.assembly import Assembly
from ..content.loader import LoadedContent
from ..content.model import DEFAULT_LANGUAGE, PLACEHOLDER, Brief, Person
from ..errors import BriefgenError, Problem
from ..i18n import UnknownLabel, format_partial_date, format_period, labels, locale_of
from ..i18n.instrument import instrument_words
from ..project import Theme, WordSettings
from ..resources import MissingResource, RefusedResource, ResourcePolicy, read_local
from . import lang_marks
from .markdown import MarkdownRenderer
from .names import CaseNames
from .notes import NoteRegistry
from .safety import active_content
from .templates import TemplateSpec, shown_template_path, typeset, typeset_join
from .urls import url_text

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
TEMPLATE_BYTES = 2 * 1024 * 1024  # a template file read again to locate a problem in it


@dataclass(frozen=True)
class RenderOptions:
    lang: str = DEFAULT_LANGUAGE
    paper: str = "a4"
    theme: Theme = field(default_factory=Theme)
    docx: WordSettings = field(default_factory=WordSettings)  # how the Word output is made
    only_cases: tuple[str, ...] | None = None  # one case sheet per file (--split)
    fit: FitState | None = None  # fit-to-page adjustments (render/fit.py)
    # more template variables, e.g. `recipient` and `facts` for one letter of a batch
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FitState:
    """What fit-to-page has changed so far: a tightening level and dropped blocks."""

    level: int = 0
    dropped: tuple[str, ...] = ()


@dataclass
class RenderedDocument:
    """What writers receive: HTML plus the facts they need for metadata and assets."""

    html: str
    title: str
    lang: str
    base_dir: Path  # content-relative resources (images) resolve against this
    stylesheets: list[Path]
    template: TemplateSpec
    policy: ResourcePolicy  # what writers may read (resources.py)
    paper: str = "a4"
    metadata: dict[str, str] = field(default_factory=dict)
    layout: Any = None  # WeasyPrint's laid-out pages, cached by render.paged
    report: tuple[str, ...] = ()  # what rendering adjusted to fit, for the user to read
    # what a writer reports without failing (e.g. what it dropped from a template's
    # reference.docx); the pipeline session adds these to its warnings
    warnings: list[Problem] = field(default_factory=list)
    # the texts it prints in the original's language for want of a translation
    untranslated: list[Problem] = field(default_factory=list)
    docx: WordSettings = field(default_factory=WordSettings)  # briefgen.yaml's `docx:`
    # the web page's fonts cut to the characters it shows (writers/webfonts.py); the live
    # preview turns it off: it serves each font once by its hash, and cutting would cost
    # it two seconds whenever an edit brings a new character
    subset_fonts: bool = True


class NoteScope:
    """Citations numbered on their own, for one part of a document (a case sheet):
    `scope.md(text)`, `scope.cite(ids)`, then `scope.notes()` lists what was cited."""

    def __init__(self, registry: NoteRegistry, lang: str = DEFAULT_LANGUAGE) -> None:
        self.registry = registry
        self.prefix = registry.prefix
        self._md = MarkdownRenderer(cite=lambda ids: str(registry.cite(ids)), lang=lang)

    def md(self, text: str | None) -> Markup:
        return self._md.block(text)

    def md_inline(self, text: str | None) -> Markup:
        return self._md.inline(text)

    def cite(self, ids: list[str]) -> Markup:
        return self.registry.cite(ids)

    def notes(self) -> list:
        return self.registry.notes(cited_only=True)


def cover_variant(theme: Theme, brief: Brief, warnings: list[Problem]) -> str:
    """The cover the theme asks for (band, image, plain). A template with a cover calls
    this, so only a document that has one hears that an image cover has no image: it
    then has the colour band, which needs nothing the content may lack."""
    if theme.cover == "image" and brief.cover_image is None:
        problem = Problem("briefgen.yaml", None, "theme.cover",
                          "the cover is 'image' but content/brief.yaml has no cover_image "
                          "(file, alt, credit); the cover shows the colour band instead")
        if problem not in warnings:
            warnings.append(problem)
        return "band"
    return theme.cover


def _css_string(value: str) -> Markup:
    """Text for a CSS string literal, e.g. a footer line from briefgen.yaml."""
    escaped = "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} "
                      for c in str(value))
    return Markup(f'"{escaped}"')


def _no_widow(text: str) -> str:
    """A title's last two words joined by a no-break space, so that no line of a heading
    holds a lone word (WeasyPrint has no `text-wrap: balance`; Word keeps the space too).
    A title of one or two words, or whose last word is long, is left as it is, and so
    is markup a filter made (a name with its original in brackets holds its own
    no-break spaces)."""
    if isinstance(text, Markup):
        return text
    head, _, last = str(text).rstrip().rpartition(" ")
    if not head or " " not in head.strip() or len(last) > 16:
        return str(text)
    return f"{head}\u00a0{last}"


def _end_sentence(text: str) -> Markup:
    """What the block holds, ended by a full stop unless it ends with one already: a
    date in Russian ends with the abbreviation "г." (and an abbreviation's full stop
    also ends the sentence), a title may end with "?" or "!"."""
    body = escape(text).rstrip()
    return body if body.endswith((".", "!", "?", "…")) else body + Markup(".")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


def _fill(text: str | None, **values: object) -> str:
    """Put values into {placeholders} of Markdown text, escaped so that a name
    from a recipients file stays text (no links, no emphasis)."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return _MARKDOWN_SPECIAL.sub(r"\\\1", str(values[name]))

    return PLACEHOLDER.sub(value, text or "")


def _qr_data_uri(url: str) -> str:
    """A QR code as a PNG data: URL; PNG so that Word shows it as well as the PDF."""
    import segno

    return segno.make(str(url), error="m").png_data_uri(scale=8, border=2)


def _theme_stylesheets(theme: Theme, project_dir: Path) -> list[Path]:
    """The theme's own stylesheets, after the template's: they extend and override it."""
    paths, problems = [], []
    for i, name in enumerate(theme.stylesheets):
        path = (project_dir / name).resolve()
        if not path.is_relative_to(project_dir.resolve()) or not path.is_file():
            problems.append(Problem("briefgen.yaml", None, f"theme.stylesheets[{i}]",
                                    f"stylesheet '{name}' not found inside the project"))
        paths.append(path)
    if problems:
        raise BriefgenError(problems)
    return paths


def group_counts(people: list[Person], assembly: Assembly | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, int, list[Person]]]:
    """Signatories by political group, most first. Names of one group written
    differently ("EC" in 2019, "EC/DA" today) count as one, shown as the output
    language writes the first of them (the assembly's file knows the French "CE")."""
    def key(person: Person) -> str:
        found = assembly.find(person.group) if assembly and person.group else None
        return found[0].code if found else (person.group or "—")

    members: dict[str, list[Person]] = {}
    for person in people:
        members.setdefault(key(person), []).append(person)
    ranked = sorted(members.values(), key=len, reverse=True)
    return [(_group_label(group[0].group, assembly, lang), len(group), group)
            for group in ranked]


def _group_label(text: str | None, assembly: Assembly | None, lang: str) -> str:
    if not text:
        return "—"
    return assembly.label(text, lang) if assembly else text


class _OutsideTemplate(jinja2.TemplateNotFound):
    """Reported at the offending project file, not at the include that reached it."""

    def __init__(self, template: str, filename: str) -> None:
        super().__init__(template, f"template '{template}' is a link leading out of its folder")
        self.filename = filename


class _ContainedLoader(jinja2.FileSystemLoader):
    """Jinja already refuses '..' in template names; this also refuses a template file
    that is a symlink leading out of its folder (a project's templates are not trusted)."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(p).resolve()) for p in self.searchpath):
            raise _OutsideTemplate(template, filename)
        return source, filename, uptodate


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process.

    Each render needs its own environment (its filters number that document's
    notes), but parsing and compiling the templates again costs 20–30 ms, which
    is most of a letter's render time in a batch. Jinja keys each entry by
    template file and a checksum of its source, so an edited template is
    compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, object] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.code = self._code[bucket.key]  # type: ignore[assignment]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.code


_COMPILED = _CompiledTemplates()


# What one `*` or `**` in a template may make: a template is small, its output too.
MAX_PRODUCT = 1_000_000  # characters or items of a repeated string or list
MAX_POWER = 10_000  # the largest exponent, and a power's result is limited like a product


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where `{{ 'x' * 10**12 }}` is refused rather than
    allowed to take the machine's memory (Jinja limits range(), not these)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int) and abs(right) > MAX_POWER:
                raise SecurityError(f"a power of {right} is larger than templates may compute")
            if isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > 64 * 64:
                raise SecurityError("a power too large for a template")
        if operator == "*":
            for count, other in ((left, right), (right, left)):
                if isinstance(count, int) and isinstance(other, (str, list, tuple)) \
                        and count * len(other) > MAX_PRODUCT:
                    raise SecurityError(f"repeating a text or list {count:,} times makes "
                                        f"more than {MAX_PRODUCT:,} items")
        return super().call_binop(context, operator, left, right)


def make_environment(spec: TemplateSpec) -> jinja2.Environment:
    """A sandboxed environment: templates reach data, never Python internals."""
    env = _Sandbox(
        bytecode_cache=_COMPILED,
        loader=_ContainedLoader([str(p) for p in spec.search_path]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=typeset,
    )
    env.filters["join"] = typeset_join
    return env


def _template_path(filename: str, project_dir: Path) -> str:
    return shown_template_path(Path(filename), project_dir)


def _template_problem(exc: BaseException, project_dir: Path) -> Problem:
    """Locate a Jinja error in the template file, not in briefgen's Python."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(_template_path(exc.filename or exc.name or "template", project_dir),
                       exc.lineno, None, f"template syntax error: {exc.message or exc}")
    if isinstance(exc, _OutsideTemplate):
        return Problem(_template_path(exc.filename, project_dir), None, None, str(exc))
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".j2", ".html", ".jinja"))]
    where = _template_path(frames[-1].filename, project_dir) if frames else "template"
    line = frames[-1].lineno if frames else None
    return Problem(where, line, None, _template_message(exc))


# What a template error says, by its kind (the message of each, in words)
_PLAIN: dict[type[BaseException], str] = {
    RecursionError: "template error: templates include each other without end",
    ZeroDivisionError: "template error: division by zero",
    MemoryError: "template error: the template needed more memory than this machine has "
                 "(a loop or repetition that grows without end?)",
}


def _template_message(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        message = (exc.message or "").replace("briefgen.content.model.", "")
        return f"undefined variable: {message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        found = exc.message if exc.message and exc.message != exc.name else None
        return found or f"template file not found: {exc.name}"
    if isinstance(exc, UnknownLabel):
        return str(exc.args[0])
    plain = next((text for kind, text in _PLAIN.items() if isinstance(exc, kind)), None)
    return plain or f"template error: {str(exc) or type(exc).__name__}"


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _title_of(html: str) -> str:
    """The template's <title>: what WeasyPrint puts in the PDF, so Word gets it too.
    Only HTML's whitespace collapses: a no-break space (French « », a date) stays."""
    import html as html_module

    match = _TITLE.search(html)
    return _HTML_SPACE.sub(" ", html_module.unescape(match.group(1))).strip(" ") \
        if match else ""


def _project_sources(env: jinja2.Environment, project_dir: Path) -> list[tuple[str, str]]:
    """(shown path, text) of the project's own template files this render read, to
    locate a problem in them; briefgen's built-in templates are not searched."""
    sources = []
    for template in list((env.cache or {}).values()):
        path = Path(template.filename or "")
        if not template.filename or not path.resolve().is_relative_to(project_dir.resolve()):
            continue
        try:
            text = read_local(path, limit=TEMPLATE_BYTES, within=(project_dir,))
        except (RefusedResource, MissingResource):
            continue
        sources.append((_template_path(str(path), project_dir),
                        text.decode("utf-8", "replace")))
    return sorted(sources)


def render_document(loaded: LoadedContent, spec: TemplateSpec, options: RenderOptions,
                    project_dir: Path, policy: ResourcePolicy) -> RenderedDocument:
    lang = options.lang
    # The content in the document's language: its translations, else the originals'
    # texts marked with their own language (content/localized.py), so every text is
    # set in the typography of the language it is written in.
    loaded = loaded.in_language(lang)
    content = loaded.content
    t = labels(lang)
    text_lang = lang
    notes = NoteRegistry(content.sources, lang=text_lang)
    md = MarkdownRenderer(cite=lambda ids: str(notes.cite(ids)), lang=text_lang)

    env = make_environment(spec)
    case_names = CaseNames(lang, content.brief.language)
    env.filters.update(
        case_name=case_names.name,
        also_written=case_names.also_written,
        css_string=_css_string,
        qr=_qr_data_uri,
        md=md.block,
        md_inline=md.inline,
        date=lambda d: format_partial_date(d, lang),
        fill=_fill,
        url_text=url_text,
        no_widow=_no_widow,
        end_sentence=_end_sentence,
        join_names=lambda names: format_list([str(n) for n in names], locale=locale_of(lang)),
        group_label=lambda text: _group_label(text, loaded.assembly, lang),
    )
    warnings: list[Problem] = []
    cases = content.cases
    if options.only_cases is not None:
        cases = [c for c in cases if c.id in options.only_cases]
    context = dict(
        content=content,
        brief=content.brief,
        declaration=content.declaration,
        events=content.events,
        cases=cases,
        theme=options.theme,
        cover_variant=lambda: cover_variant(options.theme, content.brief, warnings),
        fit=options.fit or FitState(),
        sanctions=content.sanctions,
        sources=content.sources,
        lang=lang,
        text_lang=text_lang,
        paper=PAPER_SIZES[options.paper],
        t=t,
        cite=notes.cite,
        notes=notes.notes,
        note_short=notes.note_short,
        notes_scope=lambda name: NoteScope(notes.scope(str(name)), text_lang),
        period=lambda start, end=None: format_period(start, end, lang),
        group_counts=lambda people: group_counts(people, loaded.assembly, lang),
        group_label=lambda text: _group_label(text, loaded.assembly, lang),
        assembly=loaded.assembly,
        instrument=content.declaration,
        words=instrument_words(content.declaration, lang),
        case_by_id={c.id: c for c in content.cases},
        measure_by_id={m.id: m for m in content.sanctions.measures},
        instrument_by_id={i.id: i for i in content.sanctions.instruments},
        **options.extra,
    )
    try:
        template = env.get_template(spec.entry)
        with lang_marks.collecting() as untranslated:
            html = lang_marks.apply(template.render(context))
    except BriefgenError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's
        raise BriefgenError([_template_problem(exc, project_dir)]) from None

    unsafe = active_content(html, f"template '{spec.name}' (rendered)",
                            lambda: _project_sources(env, project_dir))
    if unsafe:
        raise BriefgenError(unsafe)

    brief = content.brief
    metadata = {
        "author": ", ".join(o.name for o in brief.organisations),
        "description": brief.subtitle or brief.title,
        "keywords": ", ".join(brief.keywords),
        "created": brief.date.first_day().isoformat(),
    }
    stylesheets = spec.stylesheet_paths() + _theme_stylesheets(options.theme, project_dir)
    return RenderedDocument(html=html, title=_title_of(html) or brief.title, lang=lang,
                            base_dir=project_dir,
                            stylesheets=stylesheets, template=spec,
                            paper=options.paper, metadata=metadata, policy=policy,
                            docx=options.docx, warnings=warnings,
                            untranslated=untranslated)
