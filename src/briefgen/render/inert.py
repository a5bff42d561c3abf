"""The web page made inert: an allow-list over the final HTML, and a CSP as a second wall.

Projects come from strangers, and the HTML page goes to parliamentarians: when
it is opened it must run nothing and call no server. render/safety.py refuses
what it can recognise early, with the template's file and line; this module is
the guarantee. The writer's last step passes the whole page through it, and
what comes out holds only:

- **Elements** from a list: the document's sections, text, lists, tables, images,
  `<style>` and a conservative set of SVG drawing elements. `<script>`, frames,
  `<object>`/`<embed>`, forms and their controls, `<template>`, `<noscript>`,
  `<math>`, media elements, `<link>`, `<base>`, SVG `<style>`, `<foreignObject>`,
  `<feImage>` and animation elements go with all they contain; any other element
  (a custom or legacy one) is replaced by its content.
- **Attributes** from a list per element, plus `id`, `class`, `lang`, `dir`,
  `title`, `role`, `aria-*`, `data-*` and a CSS-checked `style` everywhere. No
  event handler (`on*`), no `<meta http-equiv>`: the only one is the CSP below.
- **URLs** by what the browser does with them. A link a reader clicks (`<a href>`,
  `cite`) may be http(s), mailto, tel or a #place in the page. Everything a browser
  would load by itself (`src`, `srcset`, `background`, SVG `<image href>`) must be a
  `data:` URL — the inliner (writers/html.py) has made every allowed file one —
  and SVG references (`<use href>`, gradients, `fill="url(#g)"`) a #fragment.
  Anything else is removed.
- **CSS** by the allow-list of render/inert_css.py (at-rules, functions, URLs).

Why an allow-list of our own over lxml's tree rather than nh3 (ammonia): nh3
cleans body fragments, not a document with its `<head>`, title and meta; it
passes the text of a `<style>` and the values of `style=""` through unread
(`filter_style_properties` looks only at property names), and its URL check is
one list of schemes for every attribute, where an image, a link and an SVG
reference each need their own. Wrapped with all that, little of the guarantee
would be nh3's.

Why the guarantee does not depend on lxml parsing like a browser (it does not:
lxml reads an SVG `<style>` as text where a browser parses tags — issue 11,
item 3): this module writes the page itself, and the writing leaves nothing for
a different parser to read differently. Every text is escaped (`&`, `<`, `>`), every
attribute value is quoted and escaped, comments and processing instructions are
dropped, and no raw-text element is written but `<style>`, whose CSS holds no `<`
that could open a tag (inert_css.py) — in HTML or, should a browser think it is
inside an SVG, as SVG text. So every element and attribute a browser builds
from the page is one written here from the lists, whatever tree lxml saw; and
each list entry is safe in either namespace (an SVG `<a>` follows the link rule,
an `<image>` outside SVG does nothing).

The page's first element in `<head>` is a Content-Security-Policy that forbids
scripts and every load but data: images and fonts (`PAGE_CSP`), then its one
`<meta charset="utf-8">`: should anything slip past the lists, the browser still
refuses to run or fetch it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import lxml.html
from lxml import etree

from .inert_css import clean_declarations, clean_stylesheet, value_safe

PAGE_CSP = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
            "base-uri 'none'; form-action 'none'")

# -- the lists ---------------------------------------------------------------------------

GLOBAL_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "role", "translate", "hidden",
                     "xml:lang", "xml:space"}
HTML_ELEMENTS: dict[str, set[str]] = {
    "html": set(), "head": set(), "body": {"background"}, "title": set(),
    "meta": {"name", "content", "charset"}, "style": {"media"},
    **dict.fromkeys(["article", "aside", "footer", "header", "main", "nav", "section",
                     "address", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "search",
                     "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "p", "pre",
                     "ul", "menu", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "dfn",
                     "em", "i", "kbd", "mark", "rp", "rt", "ruby", "s", "samp", "small",
                     "span", "strong", "sub", "sup", "u", "var", "wbr", "caption", "tbody",
                     "tfoot", "thead", "tr", "picture", "summary", "center", "font"], set()),
    "a": {"href", "name", "hreflang", "type", "rel"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "time": {"datetime"}, "data": {"value"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height"},
    "source": {"srcset", "sizes", "media", "type", "width", "height"},
    "table": {"background", "width", "border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan", "headers", "abbr", "align", "valign", "width", "height",
           "background"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "align", "valign", "width",
           "height", "background"},
    "col": {"span", "width"}, "colgroup": {"span", "width"}, "details": {"open"},
}
SVG_PRESENTATION = {
    "viewbox", "preserveaspectratio", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
    "ry", "fx", "fy", "fr", "width", "height", "d", "points", "pathlength", "transform",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "display", "visibility", "overflow", "clip-path",
    "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end", "paint-order",
    "vector-effect", "shape-rendering", "text-rendering", "image-rendering",
    "color-interpolation", "color-interpolation-filters", "font-family", "font-size",
    "font-weight", "font-style", "font-variant", "font-stretch", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi", "dx", "dy",
    "rotate", "textlength", "lengthadjust", "startoffset", "method", "spacing", "side",
    "gradientunits", "gradienttransform", "spreadmethod", "offset", "stop-color",
    "stop-opacity", "patternunits", "patterncontentunits", "patterntransform",
    "clippathunits", "maskunits", "maskcontentunits", "markerwidth", "markerheight",
    "markerunits", "refx", "refy", "orient", "filterunits", "primitiveunits", "in", "in2",
    "result", "stddeviation", "edgemode", "mode", "type", "values", "tablevalues", "slope",
    "intercept", "amplitude", "exponent", "operator", "k1", "k2", "k3", "k4", "radius", "scale",
    "xchannelselector", "ychannelselector", "flood-color", "flood-opacity", "lighting-color",
    "surfacescale", "diffuseconstant", "specularconstant", "specularexponent",
    "kernelmatrix", "kernelunitlength", "order", "divisor", "bias", "targetx", "targety",
    "preservealpha", "azimuth", "elevation", "pointsatx", "pointsaty", "pointsatz",
    "limitingconeangle", "basefrequency", "numoctaves", "seed", "stitchtiles", "z",
    "xmlns", "xmlns:xlink", "version", "focusable",
}
SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textpath", "title", "desc", "lineargradient",
    "radialgradient", "stop", "clippath", "mask", "pattern", "marker", "image", "a", "switch",
    "filter", "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite",
    "feconvolvematrix", "fediffuselighting", "fedisplacementmap", "fedistantlight",
    "fedropshadow", "feflood", "fefunca", "fefuncb", "fefuncg", "fefuncr", "fegaussianblur",
    "femerge", "femergenode", "femorphology", "feoffset", "fepointlight",
    "fespecularlighting", "fespotlight", "fetile", "feturbulence",
}
# Gone with everything inside: what runs, embeds, submits, plays, or hides markup in
# its text; in SVG also <style> (a browser parses tags in it) and what animates or
# loads (animation can set an href; <feImage> fetches).
DROPPED = {"script", "noscript", "template", "iframe", "frame", "frameset", "noframes",
           "object", "embed", "applet", "param", "noembed", "xmp", "plaintext", "textarea",
           "select", "option", "optgroup", "datalist", "input", "button", "math", "audio",
           "video", "track", "canvas", "map", "area", "base", "link", "portal", "fencedframe",
           "dialog", "slot", "foreignobject", "feimage", "animate", "animatemotion",
           "animatetransform", "animatecolor", "set", "discard", "mpath", "cursor", "handler",
           "listener"}
# No content and no end tag in HTML ("image" is read as "img"). lxml puts what follows
# some of them (embed, source, track, wbr) inside them: written after them, as a browser
# reads it.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "image", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr"}
RAW_TEXT = {"style"}  # written unescaped: its CSS, cleaned and without `<`

_LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_URL_SPACE = "".join(map(chr, range(33)))


def _url(value: str) -> str:
    """A URL as a browser reads it: tabs and newlines inside dropped, spaces and
    control characters around it stripped."""
    return re.sub(r"[\t\n\r]", "", value).strip(_URL_SPACE)


def link(value: str) -> str | None:
    """A link a reader may click: http(s), mailto, tel, or a place in the page."""
    url = _url(value)
    return url if url.startswith("#") or url.lower().startswith(_LINK_SCHEMES) else None


def data_url(value: str) -> str | None:
    """What a browser loads by itself: only an inlined data: URL."""
    url = _url(value)
    return url if url[:5].lower() == "data:" else None


def fragment(value: str) -> str | None:
    """An SVG reference: only to an element of the page itself."""
    url = _url(value)
    return url if url.startswith("#") else None


def srcset_candidates(value: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptors) of each image candidate, parsed as the HTML standard says:
    a URL runs to the next whitespace (a data: URL keeps its comma), its descriptors
    to the next comma outside parentheses."""
    pos, length = 0, len(value)
    while True:
        while pos < length and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        if pos >= length:
            return
        end = pos
        while end < length and not value[end].isspace():
            end += 1
        url, pos = value[pos:end], end
        if url.endswith(","):
            yield url.rstrip(","), ""
            continue
        depth, start = 0, pos
        while pos < length and (value[pos] != "," or depth):
            depth += {"(": 1, ")": -1}.get(value[pos], 0)
            pos += 1
        yield url, value[start:pos].strip()


def srcset(value: str) -> str | None:
    candidates = list(srcset_candidates(value))
    if not candidates or any(data_url(url) is None for url, _ in candidates):
        return None
    return ", ".join(f"{url} {desc}".strip() for url, desc in candidates)


def _url_rule(tag: str, name: str, in_svg: bool) -> Callable[[str], str | None] | None:
    """How an attribute that holds a URL is checked; None when it holds none."""
    if name in ("href", "xlink:href"):
        if tag == "a":
            return link
        if tag == "image" and in_svg:
            return data_url
        return fragment
    if name == "cite":
        return link
    if name in ("src", "background"):
        return data_url
    if name == "srcset":
        return srcset
    return None


def clean_attributes(tag: str, attributes: dict[str, str], in_svg: bool
                     ) -> list[tuple[str, str]]:
    """The attributes an element keeps, with their values as written."""
    allowed = (SVG_PRESENTATION | {"href", "xlink:href"}) if in_svg else \
        HTML_ELEMENTS.get(tag, set())
    kept: list[tuple[str, str]] = []
    for raw_name, value in attributes.items():
        name = raw_name.lower()
        if not re.fullmatch(r"[a-z][a-z0-9_.:-]*", name) or name.startswith("on"):
            continue
        if name == "style":
            css = clean_declarations(value)
            if css:
                kept.append((name, css))
            continue
        rule = _url_rule(tag, name, in_svg)
        if rule is not None:
            if name in allowed or (name in ("href", "xlink:href") and in_svg):
                checked = rule(value)
                if checked is not None:
                    kept.append((name, checked))
            continue
        if name in GLOBAL_ATTRIBUTES or name.startswith(("aria-", "data-")):
            kept.append((name, value))
        elif name in allowed and (not in_svg or value_safe(value)):
            kept.append((name, value))
    return kept


# -- writing the page --------------------------------------------------------------------

def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


def _meta(csp: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{_escape_attribute(csp)}">'


CSP_META = _meta(PAGE_CSP)


def _dropped(tag: str, element: etree._Element, in_svg: bool) -> bool:
    """Left out with all it holds."""
    if tag == "image":  # SVG's image (its href checked); outside SVG, an <img> alias
        return not in_svg
    if tag == "style":  # in SVG, a browser parses tags in it
        return in_svg
    if tag == "meta":  # the page's only http-equiv is its CSP, its charset written once
        return element.get("http-equiv") is not None or element.get("charset") is not None
    return tag in DROPPED or not re.fullmatch(r"[a-z][a-z0-9-]*", tag)


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def text(self, text: str | None) -> None:
        if text:
            self.out.append(_escape_text(text))

    def children(self, element: etree._Element, in_svg: bool) -> None:
        self.text(element.text)
        for child in element:
            self.element(child, in_svg)
            self.text(child.tail)

    def element(self, element: etree._Element, in_svg: bool) -> None:
        """One element and its content, as the lists allow (its tail is the caller's)."""
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return
        tag = element.tag.lower()
        svg = in_svg or tag == "svg"
        void = tag in VOID and not in_svg
        if _dropped(tag, element, in_svg):
            if void:  # what lxml put inside follows it
                self.children(element, in_svg)
            return
        known = tag in SVG_ELEMENTS if svg else tag in HTML_ELEMENTS
        if not known:
            self.children(element, svg)  # unknown: its content, without the element
            return
        attributes = "".join(f' {name}="{_escape_attribute(value)}"' for name, value
                             in clean_attributes(tag, dict(element.attrib), svg))
        self.out.append(f"<{tag}{attributes}>")
        if tag == "head":
            self.out.append(CSP_META + '<meta charset="utf-8">')
        if void:
            self.children(element, svg)
            return
        if tag in RAW_TEXT:
            self.out.append(clean_stylesheet(element.text or ""))
        else:
            self.children(element, svg)
        self.out.append(f"</{tag}>")

    def page(self, root: etree._Element) -> str:
        self.out.append("<!DOCTYPE html>\n")
        if root.find("head") is None:
            root.insert(0, lxml.html.Element("head"))
        self.element(root, False)
        return "".join(self.out) + "\n"


def inert_page(root: etree._Element) -> str:
    """The page's HTML, written from the allow-list (see the module docstring)."""
    return _Writer().page(root)


def inert_html(html: str) -> str:
    """Any HTML text as an inert page: parsed with lxml, written from the allow-list."""
    try:
        root = lxml.html.document_fromstring(html)
    except etree.ParserError:  # nothing in it
        root = lxml.html.document_fromstring("<html></html>")
    return inert_page(root)
