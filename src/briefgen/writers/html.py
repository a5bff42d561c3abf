"""The brief as one self-contained web page: styles, fonts and images inlined.

A single file survives being emailed or put on a USB stick, which is how briefs
travel; linking to a folder of assets would break on the first forward. Every
reference a browser would load — `src`, stylesheet links, `url()` and `@import`
in styles — is checked against the project's resource policy and inlined, so the
page neither leaks a local file nor calls a server when it is opened. The page is
then written from an allow-list (render/inert.py), which removes whatever else
could load or run.

Documents that follow the first (a handout behind a letter) are sections of the
same page, each with its own stylesheets scoped to its section, so the letter
and the handout keep their own looks side by side.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import lxml.html
import tinycss2

from ..errors import BriefgenError, Problem, display_path
from ..render.combine import FOLLOWING, following_section, id_prefixes
from ..render.document import RenderedDocument
from ..render.inert import inert_page
from ..resources import MissingResource, RefusedResource, ResourcePolicy, resource_problem

_CSS_REF = re.compile(
    r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
         ".svg": "image/svg+xml", ".css": "text/css"}
# Attributes a browser fetches by itself (links a reader clicks, <a href>, are not here).
MAX_IMPORT_DEPTH = 8
MAX_PAGE_BYTES = 64 * 1024 * 1024  # everything one page inlines
_FETCHED = {"src", "data", "poster"}
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


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

    def __init__(self, doc: RenderedDocument) -> None:
        self.doc = doc
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

    def url(self, target: str, base: Path, where: str) -> str:
        found = self.local(target, base, where)
        return _data_uri(found, self.read(found, where)) if isinstance(found, Path) else found

    def css(self, text: str, base: Path, where: str, importing: tuple[Path, ...] = ()) -> str:
        def replace(match: re.Match[str]) -> str:
            if match.group(2) is not None:  # url(...)
                return f'url("{self.url(match.group(2), base, where)}")'
            target = match.group(4)  # @import "..."
            found = self.local(target, base, where)
            if not isinstance(found, Path):
                return f'@import "{found}"'
            if found.resolve() in importing or len(importing) >= MAX_IMPORT_DEPTH:
                raise BriefgenError([Problem(where, None, None, (
                    f"@import '{target}': stylesheets import one another in a circle or "
                    f"more than {MAX_IMPORT_DEPTH} deep"))])
            inner = self.css(self.text(found), found.parent, self.shown(found),
                             (*importing, found.resolve()))
            return f'@import "{_data_uri(found, inner.encode("utf-8"))}"'

        return _CSS_REF.sub(replace, text)

    def shown(self, path: Path) -> str:
        return display_path(path, self.policy.project_root)

    def text(self, path: Path) -> str:
        shown = self.shown(path)
        data = self.read(path, shown)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise BriefgenError([Problem(shown, line, None, "stylesheet is not UTF-8 text; "
                                         "save it as UTF-8")]) from None

    def stylesheet(self, path: Path) -> str:
        return self.css(self.text(path), path.parent, self.shown(path), (path.resolve(),))

    def styles(self, root: lxml.html.HtmlElement) -> None:
        """The template's own <style> and style="" (the stylesheets come separately)."""
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() == "style" and element.text:
                element.text = self.css(element.text, self.doc.base_dir, self.where)
            if element.get("style"):
                element.set("style", self.css(element.get("style"), self.doc.base_dir,
                                              self.where))

    def references(self, root: lxml.html.HtmlElement) -> None:
        """Every address a browser would load by itself, inlined or refused."""
        base = self.doc.base_dir
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            for attribute in _FETCHED & set(element.attrib):
                element.set(attribute, self.url(element.get(attribute), base, self.where))
            if tag in ("image", "use") and element.get(_XLINK_HREF):
                element.set(_XLINK_HREF, self.url(element.get(_XLINK_HREF), base, self.where))
            if tag in ("image", "use", "link") and element.get("href"):
                if tag == "link" and "stylesheet" in (element.get("rel") or "").lower():
                    found = self.local(element.get("href"), base, self.where)
                    if isinstance(found, Path):  # a local stylesheet becomes a <style>
                        element.addprevious(_style(self.stylesheet(found)))
                        element.getparent().remove(element)
                        continue
                element.set("href", self.url(element.get("href"), base, self.where))

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


def write_html(doc: RenderedDocument, *following: RenderedDocument) -> bytes:
    root = _Inliner(doc).page()
    for i, (other, prefix) in enumerate(zip(following, id_prefixes(following), strict=True),
                                        start=1):
        section, css = _Inliner(other).section(prefix, f"{FOLLOWING}-{i}", doc.lang)
        root.find("head").append(_style(css))
        root.find("body").append(section)
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

