"""Command line: parse options, call the library, print paths or problems.

No logic lives here (compare MkDocs' __main__.py): everything a command does is
a library call that scripts can make too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import BriefgenError

EPILOG = """\b
Examples:
  briefgen build                      build the project in this folder (PDF + HTML)
  briefgen build --lang fr            French labels and dates -> build/brief.fr.pdf
  briefgen build --paper letter       US Letter -> build/brief.letter.pdf
  briefgen build my-project --format pdf --out /tmp/out
  briefgen check                      validate content only, list every problem
  briefgen init my-project            start a new project from the built-in example
"""


def _fail(exc: BriefgenError, debug: bool) -> None:
    if debug:
        raise exc
    click.secho(str(exc), fg="red", err=True)
    sys.exit(1)


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


@cli.command(epilog=EPILOG)
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--template", "-t", help="Template name (default: from briefgen.yaml, else "
              "'brief').")
@click.option("--format", "-f", "formats", help="Comma-separated formats: pdf,html.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the project).")
@click.option("--lang", "-l", type=click.Choice(["en", "fr"]),
              help="Language of labels and dates (content text stays as written).")
@click.option("--paper", "-p", type=click.Choice(["a4", "letter"]), help="Paper size.")
@click.pass_context
def build(ctx: click.Context, project: Path, template: str | None, formats: str | None,
          out: Path | None, lang: str | None, paper: str | None) -> None:
    """Build PROJECT (default: the current folder) into PDF and HTML."""
    from .build import BuildRequest
    from .build import build as run_build

    try:
        result = run_build(BuildRequest(project_dir=project, template=template,
                                        formats=_formats(formats), out_dir=out, lang=lang,
                                        paper=paper))
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    for path in result.outputs:
        click.echo(str(path))


@cli.command(epilog=EPILOG)
@click.argument("project", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.pass_context
def check(ctx: click.Context, project: Path) -> None:
    """Validate PROJECT's content and cross-references without building."""
    from .build import check as run_check

    try:
        _, loaded = run_check(project)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    content = loaded.content
    click.echo(f"OK: {len(content.cases)} cases, {len(content.sources)} sources, "
               f"{len(content.sanctions.targets)} sanction targets")


@cli.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path) -> None:
    """Create a project in DIRECTORY from the built-in example."""
    from .example import init_project

    try:
        created = init_project(directory)
    except BriefgenError as exc:
        _fail(exc, ctx.obj["debug"])
        return
    for path in created:
        click.echo(str(path))
    click.echo(f"Next: cd {directory} && briefgen build")


def main() -> None:
    cli(prog_name="briefgen")
