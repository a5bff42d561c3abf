"""Command line: parse options, call the library, print paths or problems.

No logic lives here (compare MkDocs' __main__.py): everything a command does is
a library call that scripts can make too.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import BriefgenError, Problem

Command = TypeVar("Command", bound=Callable[..., Any])

EPILOG = """\b
Examples:
  briefgen build                      build the project in this folder (PDF + HTML)
  briefgen build --lang fr            in French: labels, dates and the translations
                                      (content/*.fr.yaml, cases/*.fr.md)
                                      -> build/brief.fr.pdf (French project: brief.pdf)
  briefgen build --lang en,fr         both languages in one run
  briefgen check --lang fr            what the French translation lacks, per field
  briefgen translated content/brief.fr.yaml
                                      record that a translation is up to date
  briefgen build --paper letter       US Letter -> build/brief.letter.pdf
  briefgen build my-project --format pdf --out /tmp/out
  briefgen check                      validate content only, list every problem,
                                      then a reviewer's warnings (--strict: errors)
  briefgen serve --open               live preview in the browser, updated on every save
  briefgen init my-project            start a new project from the built-in example
  briefgen build --format docx        an editable Word file -> build/brief.docx
  briefgen build --template handout   the one-page handout -> build/handout.pdf
  briefgen build -t case-sheet --split
                                      one case sheet per person -> build/case-sheet-ID.pdf
  briefgen check --parity             build PDF and Word in memory and compare them
  briefgen batch letter --recipients recipients.csv
                                      one letter per member (PDF + Word), a print
                                      file and a manifest -> build/letter/
  briefgen batch letter -r recipients.csv --pack
                                      each letter with the handout behind it
  briefgen template reference-docx brief my-styles.docx
                                      the Word styles to edit; save it as
                                      templates/brief/reference.docx in your project
"""


def _fail(exc: BriefgenError, debug: bool) -> None:
    if debug:
        raise exc
    click.secho(str(exc), fg="red", err=True)
    sys.exit(1)


def _stop_on_sigterm() -> None:
    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # `kill` stops a run as cleanly as Ctrl-C

    signal.signal(signal.SIGTERM, stop)


def _waiting(folder: Path) -> None:
    click.echo(f"waiting for another briefgen run in {folder}…", err=True)


def _warn(warnings: Iterable[Problem]) -> None:
    for warning in warnings:
        click.secho(warning.as_warning(), fg="yellow", err=True)


def _formats(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [f.strip().lower() for f in value.split(",") if f.strip()]


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for developers).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn advocacy content (YAML + Markdown) into print-quality briefs."""
    ctx.obj = {"debug": debug}


def debug_option(command: Command) -> Command:
    """--debug is accepted after the command name too (briefgen build --debug)."""

    def set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(dict)["debug"] = True

    return click.option("--debug", is_flag=True, expose_value=False, callback=set_debug,
                        help="Show Python tracebacks (for developers).")(command)


def trust_option(command: Command) -> Command:
    """--trust-project: the person running the command lets the project's own
    allow_paths / allow_network settings count."""
    return click.option("--trust-project", is_flag=True,
                        help="Let briefgen.yaml's allow_paths and allow_network widen what "
                        "the project may read (ignored otherwise: a project you received "
                        "cannot grant itself access).")(command)


@cli.command(epilog=EPILOG)
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@debug_option
@trust_option
@click.option("--template", "-t", help="Template name (default: from briefgen.yaml, else "
              "'brief').")
@click.option("--format", "-f", "formats", help="Comma-separated formats: pdf,html,docx.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the project).")
@click.option("--lang", "-l", metavar="CODE[,CODE…]",
              help="Language(s) to build, e.g. fr or en,fr: labels, dates and the content's "
              "translations (NAME.CODE.yaml beside NAME.yaml); a text with no translation "
              "is printed as written, marked, with a warning. Named in the output file "
              "unless it is the project's own.")
@click.option("--strict", is_flag=True,
              help="Fail instead of printing an untranslated or out-of-date text.")
@click.option("--paper", "-p", type=click.Choice(["a4", "letter"]),
              help="Paper size; named in the output file unless it is the project's own.")
@click.option("--allow-network", is_flag=True,
              help="Let content and templates use http(s) resources (off by default).")
@click.option("--split", is_flag=True,
              help="One file per case (templates that allow it, e.g. case-sheet).")
@click.option("--force", is_flag=True, help="Rebuild even if the outputs are up to date.")
@click.pass_context
def build(ctx: click.Context, project: Path, template: str | None, formats: str | None,
          out: Path | None, lang: str | None, strict: bool, paper: str | None,
          allow_network: bool, split: bool, force: bool, trust_project: bool) -> None:
    """Build PROJECT (default: the current folder) into PDF, HTML and/or Word.

    Output names: build/TEMPLATE.FORMAT (build/brief.pdf), with the language, then
    the paper, added only when they are not the project's own (the language of
    content/brief.yaml, or lang: in briefgen.yaml; paper: in briefgen.yaml, else
    A4). A plain build always writes brief.pdf and a variant never overwrites it:
    --lang fr writes brief.fr.pdf in an English project, brief.pdf in a French one,
    where --lang en writes brief.en.pdf; --split writes case-sheet-CASE-ID.pdf
    (case-sheet-CASE-ID.fr.pdf).

    With nothing changed since the last build of the same options, nothing is
    written and the files are listed again."""
    from .build import BuildRequest
    from .build import build as run_build
    from .output import Interrupted

    _stop_on_sigterm()
    try:
        result = run_build(BuildRequest(project_dir=project, template=template,
                                        formats=_formats(formats), out_dir=out, lang=lang,
                                        paper=paper, allow_network=allow_network,
                                        split=split, force=force, strict=strict,
                                        trust_project=trust_project), waiting=_waiting)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    except KeyboardInterrupt as exc:
        if not isinstance(exc, Interrupted):
            message = "interrupted: nothing was written"
        elif exc.written:
            message = (f"interrupted after the new outputs were written: {exc.folder} holds "
                       "all of them")
        else:
            message = (f"interrupted: nothing was written; the files in {exc.folder} are as "
                       "the previous build left them")
        click.secho(message, fg="yellow", err=True)
        sys.exit(130)
    _warn(result.warnings)
    for note in result.notes:
        click.echo(note, err=True)
    if result.up_to_date:
        click.echo("up to date: nothing changed since the last build (use --force to "
                   "rebuild)", err=True)
    for path in result.outputs:
        click.echo(str(path))


@cli.command(epilog=EPILOG)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--project", "-C", "project", type=click.Path(file_okay=False, path_type=Path),
              default=".", help="The project the files belong to (default: this folder).")
@debug_option
@click.pass_context
def translated(ctx: click.Context, files: tuple[Path, ...], project: Path) -> None:
    """Record that each translation FILE is up to date with its original: from now on,
    `check --lang` and `build --lang` report a text whose original changes."""
    from .translations import mark_translated as run_mark

    try:
        done = run_mark(project, list(files))
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    for shown, count in done:
        click.echo(f"{shown}: {count} text{'s' if count != 1 else ''} recorded as "
                   "translated from the original as it is now")


@cli.command(epilog=EPILOG)
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@debug_option
@trust_option
@click.option("--parity", is_flag=True,
              help="Also build PDF and Word in memory and compare what each carries.")
@click.option("--template", "-t", help="Template whose sections to review, and to compare "
              "with --parity (default: from briefgen.yaml).")
@click.option("--recipients", "-r", type=click.Path(dir_okay=False, path_type=Path),
              help="Recipients file to review (default: content/recipients.csv if any).")
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors: any warning fails the check.")
@click.option("--lang", "-l", metavar="CODE[,CODE…]",
              help="List, per file and field, what the translations into these languages "
              "lack or have not caught up with.")
@click.option("--allow-network", is_flag=True,
              help="Accept http(s) resources in content (off by default).")
@click.pass_context
def check(ctx: click.Context, project: Path, parity: bool, template: str | None,
          recipients: Path | None, strict: bool, lang: str | None, allow_network: bool,
          trust_project: bool) -> None:
    """Validate PROJECT's content and cross-references without building, then review
    it: placeholders and example rows left in, uncited sources, out-of-date statuses,
    sections the template would leave empty (warnings; errors with --strict)."""
    from .build import check as run_check

    try:
        result = run_check(project, allow_network=allow_network, parity=parity,
                           template=template, trust_project=trust_project, strict=strict,
                           recipients=recipients, lang=lang)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    _warn(result.warnings)
    count = len(result.warnings)
    notes = f"; {count} warning{'s' if count != 1 else ''} (--strict fails on them)" \
        if count else ""
    click.echo(f"OK: {result.summary}{notes}")
    for line in result.translations:
        click.echo(line)
    if result.parity is not None:
        click.echo(result.parity.summary())
        if result.parity.differences:
            sys.exit(1)


@cli.command(epilog=EPILOG)
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@debug_option
@trust_option
@click.option("--template", "-t", help="Template to show first (default: from briefgen.yaml); "
              "the page switches between them.")
@click.option("--lang", "-l", metavar="CODE",
              help="Language to show first (default: the project's).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the browser.")
@click.option("--allow-network", is_flag=True,
              help="Let content and templates use http(s) resources (off by default).")
@click.pass_context
def serve(ctx: click.Context, project: Path, template: str | None, lang: str | None,
          port: int, open_browser: bool, allow_network: bool, trust_project: bool) -> None:
    """Live preview of PROJECT in the browser, re-rendered on every save.

    Shows the web page and the PDF's pages side by side; a problem is shown over
    the last good version with its file, line and the line itself. Serves on
    127.0.0.1 only. Stop with Ctrl-C.
    """
    import logging

    from .serve.server import ServeRequest
    from .serve.server import serve as run_server

    logging.basicConfig(format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("briefgen.serve").setLevel(logging.INFO)

    def ready(url: str) -> None:
        click.echo(f"Preview of {project} at {url} (Ctrl-C to stop)", err=True)
        click.echo(url)

    try:
        run_server(ServeRequest(project_dir=project, template=template, lang=lang, port=port,
                                allow_network=allow_network, trust_project=trust_project),
                   ready=ready, open_browser=open_browser)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
    except KeyboardInterrupt:
        click.echo("preview stopped", err=True)  # Ctrl-C is how a preview ends


@cli.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--blank", is_flag=True,
              help="Start from an empty project (one case, one source, a short letter) "
                   "instead of the example.")
@click.option("--lang", "language", metavar="CODE",
              help="With --blank: the brief's and the letter's language "
                   "(default: the default catalog's, English).")
@click.option("--assembly", help="With --blank: the assembly, an id from "
                                 "`briefgen assembly list`.")
@debug_option
@click.pass_context
def init(ctx: click.Context, directory: Path, blank: bool, language: str | None,
         assembly: str | None) -> None:
    """Create a project in DIRECTORY from the built-in example, or blank."""
    from .example import init_project, next_steps

    try:
        created = init_project(directory, blank=blank, language=language, assembly=assembly)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    for path in created:
        click.echo(str(path))
    click.echo(next_steps(directory, blank))


@cli.command(epilog=EPILOG)
@click.argument("template_name", metavar="TEMPLATE")
@click.option("--recipients", "-r", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="CSV or YAML file, one row per recipient (columns: see README).")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project folder (default: this folder).")
@debug_option
@trust_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/TEMPLATE, or build/TEMPLATE-pack).")
@click.option("--format", "-f", "formats", help="Comma-separated formats (default: pdf,docx).")
@click.option("--pack", is_flag=True, help="Put the one-page handout behind each letter.")
@click.option("--strict", is_flag=True,
              help="Fail on any bad row instead of skipping it; nothing is made. Skip "
                   "members whose language the letter lacks, instead of writing to them "
                   "in the assembly's fallback language.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes (default: one per CPU core).")
@click.option("--paper", "-p", type=click.Choice(["a4", "letter"]), help="Paper size.")
@click.option("--allow-network", is_flag=True,
              help="Let content and templates use http(s) resources (off by default).")
@click.pass_context
def batch(ctx: click.Context, template_name: str, recipients: Path, project: Path,
          out: Path | None, formats: str | None, pack: bool, strict: bool, jobs: int | None,
          paper: str | None, allow_network: bool, trust_project: bool) -> None:
    """One TEMPLATE document per recipient (e.g. letter), made in parallel.

    Also writes a print file with every letter starting on an odd page and a
    bookmark per recipient, and a manifest (CSV and JSON). Bad rows are reported
    with their row number and skipped. Running it again makes only what is
    missing or changed, so an interrupted run simply goes on.
    """
    from .batch.progress import Reporter
    from .batch.run import BatchRequest, run_batch

    _stop_on_sigterm()
    reporter = Reporter()
    request = BatchRequest(project_dir=project, template=template_name,
                           recipients=recipients, out_dir=out, formats=_formats(formats),
                           pack=pack, strict=strict, jobs=jobs, paper=paper,
                           allow_network=allow_network, trust_project=trust_project)
    try:
        result = run_batch(request, progress=reporter.progress, planned=reporter.planned,
                           waiting=_waiting)
    except BriefgenError as exc:
        reporter.close()
        _fail(exc, ctx.obj["debug"])
        return
    except KeyboardInterrupt:
        reporter.close()
        click.secho(f"interrupted: {reporter.done} of {reporter.total} made; run the same "
                    "command again to make the rest", fg="yellow", err=True)
        sys.exit(130)
    except BrokenPipeError:
        raise
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool

        if not isinstance(exc, BrokenProcessPool) or ctx.obj["debug"]:
            raise
        reporter.close()
        click.secho(f"a worker process stopped unexpectedly ({exc}); {reporter.done} of "
                    f"{reporter.total} made; run the same command again to make the rest",
                    fg="red", err=True)
        sys.exit(1)
    reporter.close()
    _warn(result.warnings)
    for problem in result.problems:
        click.secho(f"skipped: {problem}", fg="yellow", err=True)
    failed = [e for e in result.entries if e.status == "failed"]
    for entry in failed:
        click.secho(f"failed: row {entry.row} ({entry.name}): {entry.message}", fg="red",
                    err=True)
    for path in result.removed:
        click.echo(f"removed (no longer in the recipients file): {path}", err=True)
    for entry in result.fell_back:
        click.secho(f"fallback: row {entry.row} ({entry.name}): {entry.message}",
                    fg="yellow", err=True)
    fell_back = (f"; {len(result.fell_back)} in a fallback language (the letter lacks "
                 "theirs; see the manifest)" if result.fell_back else "")
    click.echo(f"{result.count('built')} made, {result.count('unchanged')} unchanged, "
               f"{result.count('skipped')} skipped, {len(failed)} failed{fell_back}",
               err=True)
    click.echo(str(result.out_dir))
    for path in result.outputs:
        click.echo(str(path))
    if failed:
        sys.exit(1)


@cli.group()
def template() -> None:
    """List templates and export their Word reference document."""


@template.command("list")
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
def template_list(project: Path) -> None:
    """Templates available to PROJECT: its own first, then the built-in ones."""
    from .render.templates import list_templates

    for spec in list_templates(project.resolve()):
        origin = "built-in" if spec.builtin else "project"
        click.echo(f"{spec.name:<12} {','.join(spec.formats):<16} {origin:<9} "
                   f"{spec.description}")


@cli.group()
def assembly() -> None:
    """List the assemblies a project can brief on and write to."""


@assembly.command("list")
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@debug_option
@click.pass_context
def assembly_list(ctx: click.Context, project: Path) -> None:
    """Built-in assemblies and PROJECT's own (assemblies/*.yaml), with their groups."""
    from .content.assembly import describe_assemblies

    try:
        lines = describe_assemblies(project.resolve())
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    for line in lines:
        click.echo(line)


@template.command("eject")
@click.argument("name")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project to copy the template into (default: this folder).")
@debug_option
@click.pass_context
def template_eject(ctx: click.Context, name: str, project: Path) -> None:
    """Copy built-in template NAME into the project's templates/ for full control."""
    from .render.templates import eject_template

    try:
        target = eject_template(name, project.resolve())
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(str(target))
    click.echo("Edit the copy; the project's build now uses it instead of the built-in one.")


@template.command("reference-docx")
@click.argument("name")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project whose override, if any, is exported (default: this folder).")
@debug_option
@click.pass_context
def template_reference_docx(ctx: click.Context, name: str, target: Path, project: Path) -> None:
    """Write template NAME's reference.docx (its Word styles) to TARGET, to edit in Word."""
    from .output import atomic_write
    from .render.templates import find_template

    try:
        source = find_template(name, project.resolve(), ("NAME", None, None)).reference_docx()
        atomic_write(target, source.read_bytes())
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    click.echo(str(target))
    click.echo(f"Edit its styles in Word or LibreOffice, then save it as "
               f"templates/{name}/reference.docx in your project.")


def main() -> None:
    """The `briefgen` command. A bug in briefgen (any exception that is not a problem
    with the input, already reported as such) ends in one line that asks for a report,
    not a Python traceback; `--debug` shows the traceback."""
    try:
        cli(prog_name="briefgen")
    except Exception as exc:
        if "--debug" in sys.argv[1:]:
            raise
        detail = str(exc).splitlines()[0][:300] if str(exc).strip() else "no message"
        click.secho(f"error: briefgen stopped on an unexpected {type(exc).__name__} "
                    f"({detail}). Please report it as a bug, with the output of the same "
                    "command run again with --debug.", fg="red", err=True)
        sys.exit(2)
