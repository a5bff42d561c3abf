"""`briefgen build` and `briefgen check` as library calls: what to make, and where.

Everything about making it — the template, the formats, the options, rendering
and writing — is the pipeline session's (pipeline.py); a build only chooses
the variants (a language, a paper size, one file per case) and writes every
file at once, after everything has rendered, into an output folder that stays
inside the project unless --out names another (output.py). A build whose inputs,
settings and version have not changed since its last success makes nothing and
says so (build_stamp.py); importing this module is light so that saying so is
quick: the pipeline is imported only to build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefgenError, Problem

if TYPE_CHECKING:
    from .build_stamp import Snapshot
    from .output import Waiting
    from .parity import ParityReport
    from .pipeline import Pipeline
    from .render.document import RenderOptions
    from .render.templates import TemplateSpec


@dataclass(frozen=True)
class BuildRequest:
    project_dir: Path
    template: str | None = None
    formats: Sequence[str] | None = None
    out_dir: Path | None = None
    lang: str | None = None
    paper: str | None = None
    allow_network: bool = False
    trust_project: bool = False  # the project's own allow_paths/allow_network count
    split: bool = False
    force: bool = False  # build even if the outputs are up to date
    strict: bool = False  # a text left untranslated fails the build

    def languages(self) -> list[str | None]:
        """`--lang en,fr` builds each language in one run."""
        if self.lang is None:
            return [None]
        return list(dict.fromkeys(x.strip() for x in self.lang.split(",") if x.strip()))

    def settings(self) -> dict[str, object]:
        """The options that change what is made (the stamp's key, with the folders)."""
        return {"template": self.template,
                "formats": None if self.formats is None else list(self.formats),
                "lang": self.lang, "paper": self.paper, "split": self.split,
                "strict": self.strict,
                "allow_network": self.allow_network, "trust_project": self.trust_project}


@dataclass(frozen=True)
class BuildResult:
    outputs: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. what fit-to-page shrank or dropped
    up_to_date: bool = False  # nothing changed since the last build: nothing was written


def output_stem(name: str, lang: str, default_lang: str, paper: str,
                default_paper: str = "a4") -> str:
    """The one rule for output names: NAME[.LANG][.PAPER], the language and the paper
    added only when they differ from the project's own (briefgen.yaml's `lang`, else
    brief.yaml's `language`; briefgen.yaml's `paper`, else A4). The default build is
    always brief.pdf, and a variant never overwrites it: an English project's
    `--lang fr` writes brief.fr.pdf, a French project's `--lang en` brief.en.pdf.
    NAME is the template's, with the case's id for one file per case
    (case-sheet-saniya-toiken.fr.pdf)."""
    stem = name
    if lang != default_lang:
        stem += f".{lang}"
    if paper != default_paper:
        stem += f".{paper}"
    return stem


def _variants(session: Pipeline, spec: TemplateSpec, options: RenderOptions,
              split: bool) -> list[tuple[str, RenderOptions]]:
    """(file stem, options) of each file set to make: one, or one per case (--split)."""
    def stem(name: str) -> str:
        return output_stem(name, options.lang, session.default_lang, options.paper,
                           session.project.config.paper)

    if not split:
        return [(stem(spec.name), options)]
    if spec.split != "cases":
        raise BriefgenError([Problem("--split", None, None, f"template '{spec.name}' makes "
                                     "one document; --split works with case-sheet")])
    return [(stem(f"{spec.name}-{case.id}"),
             session.options(lang=options.lang, paper=options.paper, only_cases=(case.id,)))
            for case in session.content.cases]


def build(request: BuildRequest, waiting: Waiting | None = None) -> BuildResult:
    """Make the request's files, unless the last build of the same variant is still up
    to date (then its outputs, warnings and notes are returned, and nothing is written).

    `waiting(folder)` is called if another build or batch is writing to the output
    folder: this one waits for it. Ctrl-C raises output.Interrupted, which says whether
    the new outputs were in place."""
    from . import build_stamp
    from .output import tidy

    variant = build_stamp.variant(request.project_dir, request.out_dir, request.settings())
    if variant is None:
        return _build(request, None, waiting)
    tidy(variant.out_dir, waiting)  # an interrupted run finished first: compare what is there
    if not request.force:
        recorded = build_stamp.recorded_build(variant)
        if recorded is not None:
            return BuildResult(recorded.outputs, recorded.warnings, recorded.notes,
                               up_to_date=True)
    return _build(request, build_stamp.snapshot(variant), waiting)  # inputs before reading


def _build(request: BuildRequest, inputs: Snapshot | None,
           waiting: Waiting | None) -> BuildResult:
    """Render everything, then write it all at once (and stamp it) under the output
    folder's lock."""
    from . import build_stamp
    from .output import Interrupted, locked, write_outputs
    from .pipeline import Pipeline

    session = Pipeline.open(request.project_dir, allow_network=request.allow_network,
                            trust_project=request.trust_project)
    spec = session.template(request.template)
    unmet = session.unmet(spec)  # also when --split would make no file at all
    if unmet:
        raise BriefgenError(unmet)
    formats = session.formats(spec, request.formats)
    languages = [session.options(lang=lang, paper=request.paper)
                 for lang in request.languages()]
    out_dir = session.output_dir(request.out_dir)
    outputs: dict[Path, bytes] = {}
    notes: list[str] = []
    untranslated: list[Problem] = []
    written: list[Path] | None = None
    try:
        for options in languages:
            for stem, variant in _variants(session, spec, options, request.split):
                doc = session.render(spec, variant)  # all renders before anything is written
                notes += doc.report
                untranslated += [p for p in doc.untranslated if p not in untranslated]
                for fmt in formats:
                    outputs[out_dir / f"{stem}.{fmt}"] = session.write(fmt, doc)
        untranslated += _changed(session, [o.lang for o in languages])
        if request.strict and untranslated:
            raise BriefgenError(untranslated)
        warnings = session.warnings + untranslated
        with locked(out_dir, waiting):
            written = write_outputs(outputs, out_dir)
            if inputs is not None:
                build_stamp.record(inputs, written, warnings, notes)
    except Interrupted:
        raise
    except KeyboardInterrupt:
        raise Interrupted(out_dir, written=written is not None) from None
    return BuildResult(written, warnings, notes)


def _changed(session: Pipeline, languages: list[str]) -> list[Problem]:
    """Translated texts whose original changed since: the reader gets an outdated one.
    (A text printed untranslated is the document's own warning: RenderedDocument.
    untranslated, so the list names what the reader sees, not what other templates
    would print.)"""
    from .translations import status_problems

    return [p for lang in languages for p in status_problems(session.loaded, lang,
                                                              ("changed",))]


@dataclass(frozen=True)
class CheckResult:
    summary: str  # "13 cases, 21 sources, 7 sanction targets"
    warnings: list[Problem]  # the session's (e.g. control characters removed), then review's
    parity: ParityReport | None = None
    translations: list[str] = field(default_factory=list)  # a line per language translated


def check(project_dir: Path, *, allow_network: bool = False, parity: bool = False,
          template: str | None = None, trust_project: bool = False, strict: bool = False,
          recipients: Path | None = None, lang: str | None = None) -> CheckResult:
    """Everything a build would reject, without writing, then a reviewer's warnings
    (review.py) for the template (`template`, else the project's) and the recipients
    file (`recipients`, else the project's content/recipients.csv if any); with
    `lang` (one or "en,fr"), each text those languages lack, per file and field. With
    `strict`, any warning is a problem: BriefgenError lists them all. With `parity`,
    also build the PDF and the Word file in memory and compare what each carries."""
    from .pipeline import Pipeline
    from .review import review
    from .translations import STATES, status_problems
    from .translations import summary as translation_summary

    session = Pipeline.open(project_dir, allow_network=allow_network,
                            trust_project=trust_project)
    languages = BuildRequest(project_dir, lang=lang).languages() if lang else []
    for code in languages:
        session.options(lang=code)  # an unknown language is an error naming the known ones
    spec = session.template(template, makes=None)
    unmet = session.unmet(spec)
    if unmet:
        raise BriefgenError(unmet)
    content = session.content
    summary = (f"{len(content.cases)} cases, {len(content.sources)} sources, "
               f"{len(content.sanctions.targets)} sanction targets")
    project = session.project
    warnings = session.warnings + review(session.loaded, project.root, spec, recipients,
                                         project.config_file)
    warnings += [p for code in languages if code
                 for p in status_problems(session.loaded, code, STATES, letters=True)]
    if strict and warnings:
        raise BriefgenError(warnings)
    report = None
    if parity:
        from .parity import parity_report

        report = parity_report(session, template, next(iter(languages), None))
        warnings += [w for w in session.warnings if w not in warnings]  # the writers'
    return CheckResult(summary, warnings, report, translation_summary(session.loaded))
