"""Images and links in content: images exist inside the project and carry alt text;
links go only to the web, email or a place in the brief.

Checked at load time, with file and line, because a PDF/UA document with an
image lacking alternative text is not accessible, and a missing image found
only by the renderer would be reported without saying which content file asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, display_path
from ..resources import RefusedResource, ResourcePolicy
from .markdown import allowed_link, make_parser
from .references import walk_markdown
from .source_file import SourceFile

if TYPE_CHECKING:
    from .loader import LoadedContent

# Every link and image target: the renderer drops what it does not allow (it stays as
# plain text), and here the writer is told why.
_md = make_parser(every_target=True)


def _references(text: str) -> Iterator[tuple[str, str, str, int]]:
    """(kind, target, alt, 0-based line) of each Markdown image and link."""
    for block in _md.parse(text):
        if block.children is None:
            continue
        line = block.map[0] if block.map else 0
        for token in block.children:
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # an image on a paragraph's third line is reported there
            elif token.type == "image":
                yield "image", str(token.attrs.get("src", "")), token.content, line
            elif token.type == "link_open":
                yield "link", str(token.attrs.get("href", "")), "", line


def _check(src: str, alt: str, project_dir: Path, policy: ResourcePolicy) -> str | None:
    if not alt.strip():
        return f"image '{src}' has no alt text; describe it for readers who cannot see it"
    try:
        target = policy.resolve(src, project_dir)
    except RefusedResource as exc:
        return f"image refused: {exc}"
    if isinstance(target, Path):
        if not target.is_file():
            return f"image '{src}' not found (looked for {display_path(target, project_dir)})"
        if target.suffix.lower() != ".svg" and not _readable_image(target):
            return f"image '{src}' is not an image file briefgen can read"
    return None


def _readable_image(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return False
    return True


def _link_problem(href: str) -> str | None:
    """Links may go to the web, to an email address or to a place in the brief."""
    if allowed_link(href):
        return None
    return (f"link '{href}' is not allowed: use an http(s):// or mailto: address or "
            "an #anchor in the brief")


def check_images(loaded: LoadedContent, project_dir: Path,
                 policy: ResourcePolicy) -> list[Problem]:
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
            for kind, src, alt, line in _references(text):
                message = (_check(src, alt, project_dir, policy) if kind == "image"
                           else _link_problem(src))
                if message is None:
                    continue
                if body_field and where[-1] == body_field:
                    problems.append(Problem(file.shown, file.body_line + line, None, message))
                else:
                    problems.append(file.problem(where, message))
    for case in content.cases:
        case_file = files.get(f"case:{case.id}")
        if case.photo and case_file is not None:
            message = _check(case.photo, case.photo_alt or "", project_dir, policy)
            if message:
                problems.append(case_file.problem(("photo",),
                                                  message.replace("alt text", "photo_alt")))
    brief_file = files.get("brief")
    for i, org in enumerate(content.brief.organisations):
        if org.logo and brief_file is not None:
            message = _check(org.logo, org.logo_alt or "", project_dir, policy)
            if message:
                problems.append(brief_file.problem(("organisations", i, "logo"),
                                                   message.replace("alt text", "logo_alt")))
    return problems
