"""A briefgen project: a folder with `briefgen.yaml`, `content/` and optionally `templates/`.

The settings file holds defaults a team shares (template, language, paper,
formats, output folder) so that `briefgen build` with no options does the
right thing; command-line options override it for one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, field_validator, model_validator

from .assets import builtin_root
from .content.languages import use_project
from .content.model import Language, Model
from .content.source_file import SourceFile, load_yaml_file
from .content.validation import pattern, pydantic_problems
from .errors import BriefgenError, Problem, display_path
from .resources import ResourcePolicy

CONFIG_NAME = "briefgen.yaml"
# The output formats, one writer each (writers/); settings and templates name them.
Format = Literal["pdf", "html", "docx"]
FORMATS: tuple[Format, ...] = get_args(Format)
DEFAULT_FORMATS: tuple[Format, ...] = ("pdf", "html")


COLOUR = pattern(r"^(#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[a-z]+)$",
                 "a colour such as #1f4e79, #fff or navy")
FONT = pattern(r"^[^;{}\"\\]+$", "a font family name (without ; { } \" or \\)")
TEMPLATE_NAME = pattern(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                        "a template name of letters, digits, '.', '_' or '-'")


class ThemeColours(Model):
    accent: str | None = Field(None, pattern=COLOUR)
    accent_light: str | None = Field(None, pattern=COLOUR)
    ink: str | None = Field(None, pattern=COLOUR)
    muted: str | None = Field(None, pattern=COLOUR)


class ThemeFonts(Model):
    """Font family names; a family that is not installed is declared with @font-face
    in one of the theme's stylesheets (its files inside the project)."""

    serif: str | None = Field(None, pattern=FONT)
    sans: str | None = Field(None, pattern=FONT)


class Theme(Model):
    """The first customisation layer: a coalition's look without touching a template."""

    organisation: str | None = None  # shown as the brand on covers and in the footer
    logo: str | None = None  # image path inside the project
    logo_alt: str | None = None
    colours: ThemeColours = Field(default_factory=ThemeColours)
    fonts: ThemeFonts = Field(default_factory=ThemeFonts)
    footer: str | None = None  # a line of text at the foot of every page
    # the cover's design: a colour field, the brief's cover image, or type alone
    cover: Literal["band", "image", "plain"] = "band"
    stylesheets: list[str] = Field(default_factory=list)  # extend the template's CSS

    @field_validator("logo_alt")
    @classmethod
    def _alt_text(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("describe the logo for readers who cannot see it")
        return value


class WordSettings(Model):
    """How the Word output is made (`docx:` in briefgen.yaml)."""

    # the shipped fonts inside each .docx, subset to what it uses (see README, Word)
    embed_fonts: bool = True


class ProjectConfig(Model):
    template: str = Field("brief", pattern=TEMPLATE_NAME)
    formats: list[Format] = Field(default_factory=lambda: list(DEFAULT_FORMATS))
    lang: Language | None = None
    paper: Literal["a4", "letter"] = "a4"
    output: str = "build"
    allow_network: bool = False  # may templates and content read http(s) addresses?
    allow_paths: list[str] = Field(default_factory=list)  # extra folders resources may use
    theme: Theme = Field(default_factory=Theme)
    docx: WordSettings = Field(default_factory=WordSettings)

    @model_validator(mode="after")
    def _logo_needs_alt(self) -> ProjectConfig:
        if self.theme.logo and not self.theme.logo_alt:
            raise ValueError("theme.logo needs theme.logo_alt (the logo described in words)")
        return self

    @field_validator("output")
    @classmethod
    def _output_inside(cls, value: str) -> str:
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise ValueError("the output folder must be inside the project (a relative path "
                             "without '..'); use build --out for anywhere else")
        return value


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig
    config_file: SourceFile | None = None  # to locate a bad setting by line

    def setting_origin(self, name: str) -> tuple[str, int | None, str]:
        """Where a setting was given, for messages about its value."""
        line = self.config_file.lines.get((name,)) if self.config_file else None
        return (CONFIG_NAME, line, name)

    def output_dir(self, out: Path | None = None, *within: str) -> Path:
        """Where outputs go: `out` if the command line gave it (the person running the
        command chose it), else the project's output folder, or a folder `within` it (a
        batch's build/letter). That one must stay inside the project once every symbolic
        link is followed: a shared project cannot make a build write, or a batch delete,
        anywhere else."""
        if out is not None:
            return out
        folder = self.root.joinpath(self.config.output, *within)
        if not _inside(folder, self.root):
            raise BriefgenError([self._outside(folder)])
        return folder

    def _outside(self, folder: Path) -> Problem:
        """The problem with an output folder that leads out of the project: the link."""
        parts = folder.relative_to(self.root).parts
        link = next(p for p in (self.root.joinpath(*parts[:n]) for n in range(1, len(parts) + 1))
                    if not _inside(p, self.root))  # the first step out: a link
        where = link.relative_to(self.root).as_posix()
        try:
            why = f"{where} is a symbolic link to {link.resolve()}, outside the project"
        except RuntimeError:
            why = f"{where} is a symbolic link that leads back to itself"
        why += ("; briefgen writes only inside the project unless the output folder is given "
                "with --out")
        origin = self.setting_origin("output")
        if origin[1] is not None:  # set in briefgen.yaml: point at its line
            return Problem(*origin, f"'{self.config.output}' leads out of the project: {why}")
        return Problem(where, None, None, why)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def policy(self, allow_network: bool = False, trust_project: bool = False
               ) -> ResourcePolicy:
        """What this project's build may read (see resources.py). The project's own
        `allow_paths` and `allow_network` count only when the person running the
        command trusts it (--trust-project): a project received from someone else
        cannot widen what it may read by saying so."""
        trusted = self.config if trust_project else ProjectConfig()
        return ResourcePolicy(
            project_root=self.root,
            trusted_roots=(builtin_root(),),
            allowed_paths=tuple((self.root / p).resolve() for p in trusted.allow_paths),
            allow_network=allow_network or trusted.allow_network,
        )

    def ignored_permissions(self, trust_project: bool) -> list[Problem]:
        """Warnings for the permissions the project grants itself and that do not count
        because the command did not say --trust-project."""
        if trust_project:
            return []
        asked = [name for name, value in (("allow_paths", self.config.allow_paths),
                                          ("allow_network", self.config.allow_network))
                 if value]
        return [Problem(*self.setting_origin(name),
                        "ignored: a project cannot widen what it may read; if you trust "
                        "this project, run the command with --trust-project")
                for name in asked]


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, every symbolic link followed, is `root` or in it (a loop is not)."""
    try:
        real = path.resolve()
    except RuntimeError:  # a symbolic link loop
        return False
    return real == root or real.is_relative_to(root)


def load_project(root: Path) -> Project:
    root = root.resolve()
    use_project(root)  # its own languages (i18n/*.yaml) are known before `lang:` is read
    if not root.is_dir():
        raise BriefgenError([Problem(str(root), None, None, "project folder not found")])
    path = root / CONFIG_NAME
    if not path.is_file():
        if not (root / "content").is_dir():
            raise BriefgenError([Problem(display_path(root), None, None,
                                         f"not a briefgen project (no {CONFIG_NAME} and no "
                                         "content/ folder); run 'briefgen init DIR' to "
                                         "start one")])
        return Project(root, ProjectConfig())
    source, problems = load_yaml_file(path, CONFIG_NAME, within=(root,))
    if problems:
        raise BriefgenError(problems)
    try:
        config = ProjectConfig.model_validate(source.data or {})
    except ValidationError as exc:
        raise BriefgenError(pydantic_problems(source, exc)) from None
    return Project(root, config, source)
