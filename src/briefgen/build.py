"""The pipeline: load → validate → render → write. The CLI and scripts call this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .content.loader import LoadedContent, load_content
from .errors import BriefgenError, Problem
from .output import write_outputs
from .project import Project, load_project
from .render.document import RenderOptions, render_document
from .render.fit import fit_to_page
from .render.templates import find_template
from .writers import FORMATS, get_writer


@dataclass(frozen=True)
class BuildRequest:
    project_dir: Path
    template: str | None = None
    formats: Sequence[str] | None = None
    out_dir: Path | None = None
    lang: str | None = None
    paper: str | None = None
    allow_network: bool = False
    split: bool = False


@dataclass(frozen=True)
class BuildResult:
    outputs: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. what fit-to-page shrank or dropped


def check(project_dir: Path, allow_network: bool = False) -> tuple[Project, LoadedContent]:
    """Validate only: everything a build would reject, without rendering."""
    project = load_project(project_dir)
    return project, load_content(project.root, policy=project.policy(allow_network))


def output_stem(template: str, lang: str, default_lang: str, paper: str) -> str:
    """brief, brief.fr, brief.letter: other variants never overwrite the default one."""
    stem = template
    if lang != default_lang:
        stem += f".{lang}"
    if paper != "a4":
        stem += f".{paper}"
    return stem


def default_options(project: Project, loaded: LoadedContent) -> RenderOptions:
    return RenderOptions(lang=project.config.lang or loaded.content.brief.language,
                         paper=project.config.paper, theme=project.config.theme)


def build(request: BuildRequest) -> BuildResult:
    project, loaded = check(request.project_dir, request.allow_network)
    config = project.config
    if request.template:
        spec = find_template(request.template, project.root)
    else:
        spec = find_template(config.template, project.root, project.setting_origin("template"))
    if spec.per == "recipient":
        raise BriefgenError([Problem("--template", None, None, f"template '{spec.name}' makes "
                                     "one document per recipient: run 'briefgen batch "
                                     f"{spec.name} --recipients FILE'")])
    formats = list(request.formats or config.formats)
    unknown = [f for f in formats if f not in FORMATS]
    unsupported = [f for f in formats if f in FORMATS and f not in spec.formats]
    if unknown or unsupported:
        raise BriefgenError(
            [Problem("--format", None, None, f"unknown format '{f}'; available: "
                     f"{', '.join(FORMATS)}") for f in unknown]
            + [Problem("--format", None, None, f"template '{spec.name}' does not produce "
                       f"{f}; it produces {', '.join(spec.formats)}") for f in unsupported])
    default_lang = config.lang or loaded.content.brief.language
    lang = request.lang or default_lang
    paper = request.paper or config.paper
    options = RenderOptions(lang=lang, paper=paper, theme=config.theme)
    policy = project.policy(request.allow_network)
    out_dir = request.out_dir or project.root / config.output
    stem = output_stem(spec.name, lang, default_lang, paper)

    if request.split and spec.split != "cases":
        raise BriefgenError([Problem("--split", None, None, f"template '{spec.name}' makes "
                                     "one document; --split works with case-sheet")])
    if request.split:
        variants = [(f"{stem}-{case.id}", replace(options, only_cases=(case.id,)))
                    for case in loaded.content.cases]
    else:
        variants = [(stem, options)]

    outputs: dict[Path, bytes] = {}
    notes: list[str] = []
    for name, variant in variants:  # everything renders before anything is written
        if spec.fit == "one-page":
            doc, report = fit_to_page(loaded, spec, variant, project.root, policy)
            notes += report
        else:
            doc = render_document(loaded, spec, variant, project.root, policy)
        for fmt in formats:
            outputs[out_dir / f"{name}.{fmt}"] = get_writer(fmt)(doc)
    return BuildResult(write_outputs(outputs), loaded.warnings, notes)
