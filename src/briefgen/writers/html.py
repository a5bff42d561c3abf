"""The brief as one self-contained web page: styles, fonts and images inlined.

A single file survives being emailed or put on a USB stick, which is how briefs
travel; linking to a folder of assets would break on the first forward. Every
reference a browser would load — `src`, stylesheet links, `url()` and `@import`
in styles — is checked against the project's resource policy and inlined, so the
page neither leaks a local file nor calls a server when it is opened.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import lxml.html

from ..errors import display_path
from ..render.document import RenderedDocument
from ..resources import MissingResource, RefusedResource, ResourcePolicy, resource_problem

_CSS_REF = re.compile(
    r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
         ".svg": "image/svg+xml", ".css": "text/css"}
# Attributes a browser fetches by itself (links a reader clicks, <a href>, are not here).
_FETCHED = {"src", "data", "poster"}
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _data_uri(path: Path, body: bytes | None = None) -> str:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    payload = body if body is not None else path.read_bytes()
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


class _Inliner:
    def __init__(self, doc: RenderedDocument) -> None:
        self.doc = doc
        self.policy: ResourcePolicy = doc.policy

    def shown(self, path: Path) -> str:
        return display_path(path, self.policy.project_root)

    def local(self, target: str, base: Path, where: str) -> Path | str:
        """A checked local file, or a URL left as it is (data:, or allowed network)."""
        if target.startswith("#"):
            return target
        try:
            return self.policy.locate(target, base)
        except (RefusedResource, MissingResource) as exc:
            raise resource_problem(where, exc) from None

    def url(self, target: str, base: Path, where: str) -> str:
        found = self.local(target, base, where)
        return _data_uri(found) if isinstance(found, Path) else found

    def css(self, text: str, base: Path, where: str, depth: int = 0) -> str:
        def replace(match: re.Match) -> str:
            if match.group(2) is not None:  # url(...)
                return f'url("{self.url(match.group(2), base, where)}")'
            target = match.group(4)  # @import "..."
            found = self.local(target, base, where)
            if isinstance(found, Path) and depth < 8:
                inner = self.css(found.read_text("utf-8"), found.parent, self.shown(found),
                                 depth + 1)
                return f'@import "{_data_uri(found, inner.encode("utf-8"))}"'
            return f'@import "{found}"'

        return _CSS_REF.sub(replace, text)

    def page(self) -> bytes:
        root = lxml.html.document_fromstring(self.doc.html)
        template = f"template '{self.doc.template.name}'"
        base = self.doc.base_dir
        head = root.find("head")
        # the template's own <style> and style="" first, then the stylesheets appended
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() == "style" and element.text:
                element.text = self.css(element.text, base, template)
            if element.get("style"):
                element.set("style", self.css(element.get("style"), base, template))
        for path in self.doc.stylesheets:
            style = lxml.html.Element("style")
            style.text = f"/* {path.name} */\n" + self.css(path.read_text("utf-8"), path.parent,
                                                          self.shown(path))
            head.append(style)
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            for attribute in _FETCHED & set(element.attrib):
                element.set(attribute, self.url(element.get(attribute), base, template))
            if tag in ("image", "use") and element.get(_XLINK_HREF):
                element.set(_XLINK_HREF, self.url(element.get(_XLINK_HREF), base, template))
            if tag in ("image", "use", "link") and element.get("href"):
                if tag == "link" and "stylesheet" in (element.get("rel") or "").lower():
                    found = self.local(element.get("href"), base, template)
                    if isinstance(found, Path):  # a local stylesheet becomes a <style>
                        style = lxml.html.Element("style")
                        style.text = self.css(found.read_text("utf-8"), found.parent,
                                              self.shown(found))
                        element.addprevious(style)
                        element.getparent().remove(element)
                        continue
                element.set("href", self.url(element.get("href"), base, template))
        html = lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode",
                                  method="html")
        return (html + "\n").encode("utf-8")


def write_html(doc: RenderedDocument) -> bytes:
    return _Inliner(doc).page()
