"""A briefgen project: a folder with `briefgen.yaml`, `content/` and optionally `templates/`.

The settings file holds defaults a team shares (template, language, paper,
formats, output folder) so that `briefgen build` with no options does the
right thing; command-line options override it for one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .content.loader import _pydantic_problems
from .content.model import Language, Model
from .content.source_file import SourceFile, load_yaml_file
from .errors import BriefgenError, Problem, display_path

CONFIG_NAME = "briefgen.yaml"


class ProjectConfig(Model):
    template: str = "brief"
    formats: list[Literal["pdf", "html", "docx"]] = Field(default_factory=lambda: ["pdf", "html"])
    lang: Language | None = None
    paper: Literal["a4", "letter"] = "a4"
    output: str = "build"


@dataclass(frozen=True)
class Project:
    root: Path
    config: ProjectConfig
    config_file: SourceFile | None = None  # to locate a bad setting by line

    def setting_origin(self, name: str) -> tuple[str, int | None, str]:
        """Where a setting was given, for messages about its value."""
        line = self.config_file.lines.get((name,)) if self.config_file else None
        return (CONFIG_NAME, line, name)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"


def load_project(root: Path) -> Project:
    root = root.resolve()
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
    source, problems = load_yaml_file(path, CONFIG_NAME)
    if problems:
        raise BriefgenError(problems)
    try:
        config = ProjectConfig.model_validate(source.data or {})
    except ValidationError as exc:
        raise BriefgenError(_pydantic_problems(source, exc)) from None
    return Project(root, config, source)
