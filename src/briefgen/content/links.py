"""Links and images in content: images exist inside the project and carry alt text;
links go only to the web, email or a place in the brief.

Checked at load time, with file and line, because a PDF/UA document with an
image lacking alternative text is not accessible, and a missing image found
only by the renderer would be reported without saying which content file asked.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, display_path
from ..resources import MissingResource, RefusedResource, ResourcePolicy, decode_data_url
from ..svg import declares_dtd, looks_like_svg, svg_refusal
from .markdown import allowed_link, make_parser
from .references import walk_markdown
from .source_file import FieldPath, SourceFile

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


# A full-page photo at 600 dpi is about 35 megapixels; more is a mistake or an attack.
MAX_IMAGE_PIXELS = 50_000_000


def _check(src: str, alt: str, project_dir: Path, policy: ResourcePolicy) -> str | None:
    if not alt.strip():
        return f"image '{src}' has no alt text; describe it for readers who cannot see it"
    try:
        target = policy.locate(src, project_dir)
    except RefusedResource as exc:
        return f"image refused: {exc}"
    except MissingResource as exc:
        return f"image '{src}' not found (looked for {display_path(exc.path, project_dir)})"
    if isinstance(target, Path) and target.suffix.lower() != ".svg":
        return _raster_problem(src, target, policy)
    return _svg_problem(src, target, policy)


def _svg_problem(src: str, target: Path | str, policy: ResourcePolicy) -> str | None:
    """An SVG image (a file or a data: URL) that declares a DTD is refused (svg.py)."""
    if isinstance(target, Path):
        try:
            data = policy.read(target)
        except (RefusedResource, MissingResource) as exc:
            return f"image refused: {exc}"
    elif target.startswith("data:"):
        try:
            data, mime = decode_data_url(target)
        except ValueError:  # not base64: the renderer says so
            return None
        if mime != "image/svg+xml" and not looks_like_svg(data):
            return None
    else:
        return None
    return svg_refusal(src if len(src) <= 60 else src[:59] + "…") if declares_dtd(data) \
        else None


def _raster_problem(src: str, path: Path, policy: ResourcePolicy) -> str | None:
    """Why a raster image cannot go into a brief, if it cannot: unreadable, or so many
    pixels that decoding it would take gigabytes (a 76 KB PNG can hold 400 megapixels)."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = policy.read(path)
    except (RefusedResource, MissingResource) as exc:
        return f"image refused: {exc}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"image '{src}' is {width}×{height} pixels "
                            f"({width * height / 1e6:.0f} megapixels); images are limited to "
                            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels: scale it down")
                image.verify()
    except Image.DecompressionBombError:
        return (f"image '{src}' has too many pixels to open; images are limited to "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels: scale it down")
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return f"image '{src}' is not an image file briefgen can read"
    return None


def _link_problem(href: str) -> str | None:
    """Links may go to the web, to an email address or to a place in the brief."""
    if allowed_link(href):
        return None
    return (f"link '{href}' is not allowed: use an http(s):// or mailto: address or "
            "an #anchor in the brief")


def _text_problems(file: SourceFile, model: object, loc: FieldPath, body_field: str | None,
                   project_dir: Path, policy: ResourcePolicy) -> Iterator[Problem]:
    """Every image and link in one model's Markdown fields, located at its line."""
    for where, text in walk_markdown(model, loc):
        for kind, src, alt, line in _references(text):
            message = (_check(src, alt, project_dir, policy) if kind == "image"
                       else _link_problem(src))
            if message is None:
                continue
            if body_field and where[-1] == body_field:  # the Markdown after the front matter
                yield Problem(file.shown, file.body_line + line, None, message)
            else:
                yield file.problem(where, message)


def _picture_problem(file: SourceFile | None, loc: FieldPath, src: str | None, alt: str | None,
                     alt_field: str, project_dir: Path, policy: ResourcePolicy
                     ) -> Problem | None:
    """A picture named in a field of its own (a case's photo, an organisation's logo)."""
    if not src or file is None:
        return None
    message = _check(src, alt or "", project_dir, policy)
    return file.problem(loc, message.replace("alt text", alt_field)) if message else None


def check_links_and_images(loaded: LoadedContent, project_dir: Path,
                           policy: ResourcePolicy) -> list[Problem]:
    content, files = loaded.content, loaded.files
    texts: list[tuple[SourceFile | None, object, FieldPath, str | None]] = [
        (files.get("brief"), content.brief, (), None),
        (files.get("declaration"), content.declaration, (), None),
        (files.get("sanctions"), content.sanctions, (), None),
    ]
    texts += [(files.get("events"), e, (i,), None) for i, e in enumerate(content.events)]
    texts += [(files.get(f"case:{c.id}"), c, (), "narrative") for c in content.cases]
    problems = [problem for file, model, loc, body_field in texts if file is not None
                for problem in _text_problems(file, model, loc, body_field, project_dir, policy)]
    pictures = [_picture_problem(files.get(f"case:{c.id}"), ("photo",), c.photo, c.photo_alt,
                                 "photo_alt", project_dir, policy) for c in content.cases]
    pictures += [_picture_problem(files.get("brief"), ("organisations", i, "logo"), org.logo,
                                  org.logo_alt, "logo_alt", project_dir, policy)
                 for i, org in enumerate(content.brief.organisations)]
    cover = content.brief.cover_image
    if cover is not None:
        pictures.append(_picture_problem(files.get("brief"), ("cover_image", "file"), cover.file,
                                         cover.alt, "cover_image.alt", project_dir, policy))
    return problems + [p for p in pictures if p is not None]
