"""Images named in content: each must exist inside the project and carry alt text.

Checked at load time, with file and line, because a PDF/UA document with an
image lacking alternative text is not accessible, and a missing image found
only by the renderer would be reported without saying which content file asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from ..errors import Problem
from .references import walk_markdown
from .source_file import SourceFile

if TYPE_CHECKING:
    from .loader import LoadedContent

_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _images(text: str) -> Iterator[tuple[str, str, int]]:
    """(src, alt, 0-based line) of each Markdown image."""
    for block in _md.parse(text):
        if block.children is None:
            continue
        line = block.map[0] if block.map else 0
        for token in block.children:
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # an image on a paragraph's third line is reported there
            elif token.type == "image":
                yield str(token.attrs.get("src", "")), token.content, line


def _check(src: str, alt: str, project_dir: Path) -> str | None:
    if not alt.strip():
        return f"image '{src}' has no alt text; describe it for readers who cannot see it"
    if urlsplit(src).scheme in ("data",):
        return None
    if urlsplit(src).scheme:
        return f"image '{src}' must be a file inside the project, not a web address"
    path = (project_dir / unquote(src)).resolve()
    if not path.is_file():
        return f"image '{src}' not found (looked for {path})"
    return None


def check_images(loaded: LoadedContent, project_dir: Path) -> list[Problem]:
    content, files = loaded.content, loaded.files
    problems: list[Problem] = []
    groups: list[tuple[SourceFile | None, object, tuple, str | None]] = [
        (files.get("brief"), content.brief, (), None),
        (files.get("declaration"), content.declaration, (), None),
        (files.get("sanctions"), content.sanctions, (), None),
    ]
    groups += [(files.get("events"), e, (i,), None) for i, e in enumerate(content.events)]
    groups += [(files.get(f"case:{c.id}"), c, (), "narrative") for c in content.cases]
    for file, model, loc, body_field in groups:
        if file is None:
            continue
        for where, text in walk_markdown(model, loc):
            for src, alt, line in _images(text):
                message = _check(src, alt, project_dir)
                if message is None:
                    continue
                if body_field and where[-1] == body_field:
                    problems.append(Problem(file.shown, file.body_line + line, None, message))
                else:
                    problems.append(file.problem(where, message))
    brief_file = files.get("brief")
    for i, org in enumerate(content.brief.organisations):
        if org.logo and brief_file is not None:
            message = _check(org.logo, org.logo_alt or "", project_dir)
            if message:
                problems.append(brief_file.problem(("organisations", i, "logo"),
                                                   message.replace("alt text", "logo_alt")))
    return problems
