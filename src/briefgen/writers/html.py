"""The brief as one self-contained web page: styles, fonts and images inlined.

A single file survives being emailed or put on a USB stick, which is how briefs
travel; linking to a folder of assets would break on the first forward. Every
reference a browser would load — `src`, `srcset`, `background`, SVG `href`,
stylesheet links, and in styles `url()` in any spelling (CSS escapes decoded by
tinycss2, as a browser decodes them), `image-set()` and `@import` — is checked
against the project's resource policy and inlined, so the page neither leaks a
local file nor calls a server when it is opened; an imported stylesheet takes
the place of its `@import`. The page is then written from an allow-list
(render/inert.py), which removes whatever else could load or run.

Fonts are inlined last, once the whole page is there: each is cut down to the
characters the page shows (writers/webfonts.py), which takes a page from about
1.7 MB to about 0.2 MB.

Documents that follow the first (a handout behind a letter) are sections of the
same page, each with its own stylesheets scoped to its section, so the letter
and the handout keep their own looks side by side.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import tinycss2

from ..errors import BriefgenError, Problem, display_path
from ..render.combine import FOLLOWING, following_section, id_prefixes
from ..render.document import RenderedDocument
from ..render.inert import inert_page, srcset_candidates
from ..render.inert_css import IMAGE_SETS, URL_FUNCTIONS
from ..resources import (
    MissingResource,
    RefusedResource,
    ResourcePolicy,
    resource_problem,
    utf8_text,
)
from .webfonts import FONT_SUFFIXES, PageFonts

_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
         ".svg": "image/svg+xml", ".css": "text/css"}
MAX_IMPORT_DEPTH = 8
MAX_PAGE_BYTES = 64 * 1024 * 1024  # everything one page inlines
# Attributes a browser fetches by itself (links a reader clicks, <a href>, are not here),
# and the elements whose href (or SVG's xlink:href) it fetches.
_FETCHED = {"src", "data", "poster", "background"}
_FETCHED_HREF = {"image", "use", "feimage", "link"}
_HREFS = ("href", "xlink:href", "{http://www.w3.org/1999/xlink}href")


def _data_uri(path: Path, body: bytes) -> str:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(body).decode('ascii')}"


def _style(text: str) -> lxml.html.HtmlElement:
    element = lxml.html.Element("style")
    element.text = text
    return element


class _Inliner:
    """Inlines what one rendered document refers to, as its policy allows."""

    def __init__(self, doc: RenderedDocument, fonts: PageFonts) -> None:
        self.doc = doc
        self.fonts = fonts  # font files wait for the page's text, to be subset to it
        self.policy: ResourcePolicy = doc.policy
        self.inlined = 0  # bytes of local files inlined so far
        self.where = f"template '{doc.template.name}'"

    def local(self, target: str, base: Path, where: str) -> Path | str:
        """A checked local file, or a URL left as it is (data:, or allowed network)."""
        if target.startswith("#"):
            return target
        try:
            return self.policy.locate(target, base)
        except (RefusedResource, MissingResource) as exc:
            raise resource_problem(where, exc) from None

    def read(self, path: Path, where: str) -> bytes:
        """A local file's bytes, through the resource policy's one gate; the page's
        total is capped (a stylesheet importing itself would otherwise grow it without
        end)."""
        try:
            data = self.policy.read(path)
        except (RefusedResource, MissingResource) as exc:
            raise resource_problem(where, exc) from None
        self.inlined += len(data)
        if self.inlined > MAX_PAGE_BYTES:
            raise BriefgenError([Problem(where, None, None, (
                f"the page's stylesheets, fonts and images exceed "
                f"{MAX_PAGE_BYTES // (1024 * 1024)} MB once inlined; is a stylesheet "
                "imported many times?"))])
        return data

    def url(self, target: str, base: Path, where: str, line: int | None = None) -> str:
        try:
            found = self.local(target, base, where)
        except BriefgenError as exc:  # a stylesheet's refusal at its line
            if line is None:
                raise
            raise BriefgenError([replace(p, line=line) for p in exc.problems]) from None
        if not isinstance(found, Path):
            return found
        if found.suffix.lower() in FONT_SUFFIXES:
            return self.fonts.placeholder(found, self.read(found, where))
        return _data_uri(found, self.read(found, where))

    def srcset(self, value: str, base: Path, where: str) -> str:
        return ", ".join(f"{self.url(url, base, where)} {descriptors}".strip()
                         for url, descriptors in srcset_candidates(value))

    def css(self, text: str, base: Path, where: str, importing: tuple[Path, ...] = (),
            *, located: bool = False, sheet: bool = True) -> str:
        """CSS with every URL it loads inlined and each @import replaced by its stylesheet.
        `located`: `where` is the CSS's own file, so a refusal names the line; `sheet`:
        a whole stylesheet (False for the declarations of a style="")."""
        nodes = tinycss2.parse_component_value_list(text)
        if not sheet:
            self.tokens(nodes, base, where, located)
            return tinycss2.serialize(nodes)
        out: list[str] = []
        rule: list[tinycss2.ast.Node] | None = None  # the @import being read
        for node in nodes:
            if rule is not None:
                if node.type == "literal" and node.value == ";":
                    out.append(self.imported(rule, base, where, importing, located))
                    rule = None
                else:
                    rule.append(node)
            elif node.type == "at-keyword" and node.lower_value == "import":
                rule = []
            else:
                one = [node]
                self.tokens(one, base, where, located)
                out.append(tinycss2.serialize(one))
        if rule is not None:
            out.append(self.imported(rule, base, where, importing, located))
        return "".join(out)

    def tokens(self, nodes: list[tinycss2.ast.Node], base: Path, where: str,
               located: bool) -> None:
        """Each URL in `nodes` (and the blocks and functions inside) made a data: URL:
        url(…) and src("…"), in any spelling, and the images of image-set()."""
        for i, node in enumerate(nodes):
            line = node.source_line if located else None
            if node.type == "url":
                nodes[i] = _url_token(node, self.url(node.value, base, where, line))
            elif node.type == "function":
                name = node.lower_name
                if name in URL_FUNCTIONS | IMAGE_SETS:
                    for j, arg in enumerate(node.arguments):
                        if arg.type == "string":
                            node.arguments[j] = _string_token(
                                arg, self.url(arg.value, base, where, line))
                            if name in URL_FUNCTIONS:
                                break
                self.tokens(node.arguments, base, where, located)
            elif node.type in ("() block", "[] block", "{} block"):
                self.tokens(node.content, base, where, located)

    def imported(self, rule: list[tinycss2.ast.Node], base: Path, where: str,
                 importing: tuple[Path, ...], located: bool) -> str:
        """The stylesheet an @import names, in its place (inside @media when the rule
        has media queries); an @import of a data: URL is left as it is (and then removed
        with every @import, by the page's allow-list)."""
        target = next((n for n in rule if n.type not in ("whitespace", "comment")), None)
        url = target.value if target is not None and target.type in ("string", "url") else \
            _function_url(target)
        if url is None:
            return ""
        line = target.source_line if located and target is not None else None
        try:
            found = self.local(url, base, where)
        except BriefgenError as exc:
            raise BriefgenError([replace(p, line=line) for p in exc.problems]) from None
        media = tinycss2.serialize(rule[rule.index(target) + 1:]).strip()
        if not isinstance(found, Path):
            return f"@import {tinycss2.serialize([target])} {media};"
        if found.resolve() in importing or len(importing) >= MAX_IMPORT_DEPTH:
            raise BriefgenError([Problem(where, line, None, (
                f"@import '{url}': stylesheets import one another in a circle or "
                f"more than {MAX_IMPORT_DEPTH} deep"))])
        inner = self.css(self.text(found), found.parent, self.shown(found),
                         (*importing, found.resolve()), located=True)
        return f"@media {media} {{\n{inner}\n}}\n" if media else f"{inner}\n"

    def shown(self, path: Path) -> str:
        return display_path(path, self.policy.project_root)

    def text(self, path: Path) -> str:
        shown = self.shown(path)
        return utf8_text(self.read(path, shown), shown)

    def stylesheet(self, path: Path) -> str:
        return self.css(self.text(path), path.parent, self.shown(path), (path.resolve(),),
                        located=True)

    def styles(self, root: lxml.html.HtmlElement) -> None:
        """The template's own <style> and style="" (the stylesheets come separately)."""
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() == "style" and element.text:
                element.text = self.css(element.text, self.doc.base_dir, self.where)
            if element.get("style"):
                element.set("style", self.css(element.get("style"), self.doc.base_dir,
                                              self.where, sheet=False))

    def references(self, root: lxml.html.HtmlElement) -> None:
        """Every address a browser would load by itself, inlined or refused."""
        base = self.doc.base_dir
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            for attribute in _FETCHED & set(element.attrib):
                element.set(attribute, self.url(element.get(attribute), base, self.where))
            if element.get("srcset") is not None:
                element.set("srcset", self.srcset(element.get("srcset"), base, self.where))
            if tag not in _FETCHED_HREF:
                continue
            for attribute in (a for a in _HREFS if element.get(a)):
                if tag == "link" and "stylesheet" in (element.get("rel") or "").lower():
                    found = self.local(element.get(attribute), base, self.where)
                    if isinstance(found, Path):  # a local stylesheet becomes a <style>
                        element.addprevious(_style(self.stylesheet(found)))
                        element.getparent().remove(element)
                        break
                element.set(attribute, self.url(element.get(attribute), base, self.where))

    def page(self) -> lxml.html.HtmlElement:
        root = lxml.html.document_fromstring(self.doc.html)
        head = root.find("head")
        # the template's own <style> and style="" first, then the stylesheets appended
        self.styles(root)
        for path in self.doc.stylesheets:
            head.append(_style(f"/* {path.name} */\n" + self.stylesheet(path)))
        self.references(root)
        return root

    def section(self, prefix: str, scope: str, lang: str) -> tuple[lxml.html.HtmlElement, str]:
        """This document as a section of another page, and its styles scoped to it."""
        section = following_section(self.doc, prefix, lang)
        section.set("class", f"{section.get('class')} {scope}")
        self.styles(section)
        self.references(section)
        head = lxml.html.document_fromstring(self.doc.html).find("head")
        css = [self.css(s.text, self.doc.base_dir, self.where)
               for s in head.iter("style") if s.text]
        css += [f"/* {path.name} */\n" + self.stylesheet(path) for path in self.doc.stylesheets]
        return section, "\n".join(scoped_css(text, "." + scope) for text in css)


def _url_token(old: tinycss2.ast.Node, url: str) -> tinycss2.ast.Node:
    return tinycss2.ast.URLToken(old.source_line, old.source_column, url,
                                 f'url("{tinycss2.serializer.serialize_string_value(url)}")')


def _string_token(old: tinycss2.ast.Node, value: str) -> tinycss2.ast.Node:
    return tinycss2.ast.StringToken(
        old.source_line, old.source_column, value,
        f'"{tinycss2.serializer.serialize_string_value(value)}"')


def _function_url(node: tinycss2.ast.Node | None) -> str | None:
    """The URL of url("…") (an @import's target written as a function)."""
    if node is None or node.type != "function" or node.lower_name not in URL_FUNCTIONS:
        return None
    args = [a for a in node.arguments if a.type not in ("whitespace", "comment")]
    return args[0].value if args and args[0].type == "string" else None


def write_html(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    fonts = PageFonts()
    root = _Inliner(doc, fonts).page()
    for i, (other, prefix) in enumerate(zip(following, id_prefixes(following), strict=True),
                                        start=1):
        section, css = _Inliner(other, fonts).section(prefix, f"{FOLLOWING}-{i}", doc.lang)
        root.find("head").append(_style(css))
        root.find("body").append(section)
    fonts.inline(root, subset=doc.subset_fonts)  # cut to the whole page's characters
    return inert_page(root).encode("utf-8")


# -- styles of a following document, confined to its section ---------------------------

_PAGE_WIDE = re.compile(r"^\s*(?:html)?(?::root)?\s*(?:body)?(?![\w-])", re.IGNORECASE)


def _scoped_selector(selector: str, scope: str) -> str:
    """`body.fit-2 h1` → `.scope.fit-2 h1`; `:root` → `.scope`; `p` → `.scope p`."""
    match = _PAGE_WIDE.match(selector)
    if match and match.group(0).strip():
        rest = selector[match.end():]
        return scope + rest if not rest or rest[0] in ".#:[" else f"{scope} {rest.lstrip()}"
    return f"{scope} {selector.strip()}"


def _split_selectors(prelude: list[tinycss2.ast.Node]) -> list[str]:
    """A selector list, split at its top-level commas (not those inside :is(…))."""
    parts: list[list[tinycss2.ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tinycss2.serialize(p).strip() for p in parts if tinycss2.serialize(p).strip()]


def scoped_css(css: str, scope: str) -> str:
    """A stylesheet that styles only inside `scope`. Page rules (@page) are left out:
    the page belongs to the first document."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = ", ".join(_scoped_selector(s, scope)
                                  for s in _split_selectors(rule.prelude))
            out.append(f"{selectors} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") \
                and rule.content is not None:
            inner = scoped_css(tinycss2.serialize(rule.content), scope)
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword != "page":
            out.append(tinycss2.serialize([rule]))  # @font-face, an inlined @import …
        elif rule.type == "error":
            continue
    return "\n".join(out)

