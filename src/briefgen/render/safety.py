"""The rendered HTML carries no active content, whatever a project template says.

Markdown in content cannot produce scripts (raw HTML is off), but project
templates are written by other people too. Before any writer sees the document,
scripts, embedded frames, forms, event-handler attributes, javascript:-style
links, a `<meta http-equiv="refresh">`, and an SVG `<style>` or `<foreignObject>`
(a browser parses HTML in them, where a parser of this file may see text) are
refused, so neither the HTML page nor the PDF's links can run code. Each
problem is shown at the line of the project's template file that wrote it, when
the offending text is found there as written (a value that comes from a
variable is reported at the template's name).

This check is for clear messages; the HTML page's guarantee is its allow-list
(render/inert.py), which also removes what this check cannot recognise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import lxml.html

from ..content.markdown import LINK_SCHEMES
from ..errors import Problem

FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset",
                      "base", "form"}
# Inside <svg>: a browser parses tags in its <style> text and HTML in <foreignObject>.
FORBIDDEN_IN_SVG = {"style", "foreignobject"}
# What an href or src in the rendered page may use: content's link schemes, a phone
# number, no scheme (an #anchor or a relative file), inline data, a checked local file.
URL_SCHEMES = {"", *LINK_SCHEMES, "tel", "data", "file"}
# What a link a reader clicks may use.
LINK_TARGETS = {"", *LINK_SCHEMES, "tel"}

# (shown path, text) of each project template file the document was rendered from
Sources = Sequence[tuple[str, str]]
Finder = Callable[[str], int | None]  # the line of a source text that wrote the problem


def _pattern(regex: str) -> Finder:
    compiled = re.compile(regex, re.IGNORECASE)

    def find(text: str) -> int | None:
        match = compiled.search(text)
        return text.count("\n", 0, match.start()) + 1 if match else None

    return find


def _after_svg(tag: str) -> Finder:
    """The first <tag> written after an <svg>."""
    def find(text: str) -> int | None:
        svg = re.search(r"<svg\b", text, re.IGNORECASE)
        match = re.compile(rf"<{tag}\b", re.IGNORECASE).search(text, svg.end()) if svg else None
        return text.count("\n", 0, match.start()) + 1 if match else None

    return find


def _located(problems: list[tuple[Finder, str]], where: str, sources: Sources
             ) -> list[Problem]:
    located = []
    for find, message in problems:
        place = next(((shown, line) for shown, text in sources
                      if (line := find(text)) is not None), None)
        located.append(Problem(place[0], place[1], None, message) if place
                       else Problem(where, None, None, message))
    return located


def _element_problems(element: lxml.html.HtmlElement, tag: str, in_svg: bool
                      ) -> list[tuple[Finder, str]]:
    found: list[tuple[Finder, str]] = []
    if tag in FORBIDDEN_ELEMENTS:
        found.append((_pattern(rf"<\s*{tag}\b"),
                      f"<{tag}> is not allowed in a brief (no active content)"))
    elif in_svg and tag == "style":
        found.append((_after_svg(tag), "<style> inside <svg> is not allowed: a browser "
                      "reads HTML in it; style an SVG with its attributes or the "
                      "template's stylesheet, or use it as an image file"))
    elif in_svg and tag == "foreignobject":
        found.append((_after_svg(tag), "<foreignObject> inside <svg> is not allowed: it "
                      "carries HTML into the drawing; draw with SVG elements only"))
    if tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh":
        found.append((_pattern(r"http-equiv\s*=\s*[\"']?\s*refresh"),
                      '<meta http-equiv="refresh"> is not allowed: a brief does not '
                      "load or go elsewhere by itself"))
    for name, value in element.attrib.items():
        lower = name.lower()
        scheme = urlsplit(value.strip()).scheme.lower()
        allowed = LINK_TARGETS if lower in ("href", "xlink:href") and tag in ("a", "area") \
            else URL_SCHEMES
        if lower.startswith("on"):
            found.append((_pattern(rf"\s{re.escape(name)}\s*="),
                          f"event handler {name}=\"…\" on <{tag}> is not allowed"))
        elif lower in ("href", "src", "action", "formaction", "xlink:href") and \
                scheme not in allowed:
            found.append((_pattern(rf"{re.escape(name)}\s*=\s*[\"']?\s*{re.escape(scheme)}:"),
                          f"{name}=\"{value[:60]}\" on <{tag}> is not allowed: "
                          "links use http(s), mailto or #anchors"))
    return found


def active_content(html: str, where: str, sources: Sources | Callable[[], Sources] = ()
                   ) -> list[Problem]:
    """What in `html` could run or load by itself, each located in `sources` (read only
    when there is a problem, when given as a function) or else at `where`."""
    problems: list[tuple[Finder, str]] = []
    for element in lxml.html.document_fromstring(html).iter():
        if not isinstance(element.tag, str):
            continue
        in_svg = any(isinstance(a.tag, str) and a.tag.lower() == "svg"
                     for a in element.iterancestors())
        problems += _element_problems(element, element.tag.lower(), in_svg)
    if not problems:
        return []
    return _located(problems, where, sources() if callable(sources) else sources)
