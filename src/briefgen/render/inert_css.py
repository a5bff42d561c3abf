"""CSS that can neither load nor run anything: the stylesheet half of the page's allow-list.

Stylesheets reach the web page from project templates and themes, so after
inlining (writers/html.py) every rule is read again here, with tinycss2 — the
CSS Syntax Level 3 tokenizer WeasyPrint uses too, which decodes escapes
(`u\\72l(` is `url(`) exactly as a browser does — and kept only when it passes:

- **At-rules** from a list (`@media`, `@supports`, `@font-face`, `@page` and its
  margin boxes, `@keyframes`, `@layer`, `@container`, `@counter-style`, …);
  `@import` (the inliner has put each imported stylesheet in its place),
  `@namespace`, `@charset` and anything unknown are left out.
- **URLs** — a URL token, `url()` or `src()` in any spelling — only as `data:` or a
  `#fragment` of the page itself; `image-set()` only with such URLs.
- **Functions** in values from a list (colours, gradients, maths, transforms,
  counters and WeasyPrint's paged-media functions); `attr()` only in `content`
  and the paged-media text properties (elsewhere a typed `attr()` can be a URL).
  Anything else — `expression()`, `image()`, `cross-fade()`, `paint()`, … — drops
  its declaration.

A declaration or rule that fails is left out alone; the rest of the stylesheet
stays. The text written back has no `<` that could open a tag (an HTML parser
in the wrong mode reads a `<style>`'s text as markup), so it cannot end its
`<style>` element early nor smuggle HTML.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from functools import lru_cache

import tinycss2
from tinycss2.ast import (
    AtRule,
    Declaration,
    FunctionBlock,
    Node,
    ParenthesesBlock,
    QualifiedRule,
    SquareBracketsBlock,
    StringToken,
    URLToken,
)
from tinycss2.ast import CurlyBracketsBlock as CurlyBlock

# Rules whose content is more rules (or, nested in a style rule, declarations too).
GROUP_RULES = {"media", "supports", "container", "layer", "scope", "starting-style",
               "keyframes", "-webkit-keyframes"}
# Rules whose content is declarations (and, for @page, its margin boxes).
DECLARATION_RULES = {"font-face", "page", "counter-style", "property", "font-palette-values",
                     "font-feature-values", "top-left-corner", "top-left", "top-center",
                     "top-right", "top-right-corner", "bottom-left-corner", "bottom-left",
                     "bottom-center", "bottom-right", "bottom-right-corner", "left-top",
                     "left-middle", "left-bottom", "right-top", "right-middle",
                     "right-bottom"}
FUNCTIONS = {
    # values and maths
    "var", "calc", "min", "max", "clamp", "abs", "sign", "round", "mod", "rem", "sin", "cos",
    "tan", "asin", "acos", "atan", "atan2", "pow", "sqrt", "hypot", "log", "exp",
    # colours
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
    "color-mix", "light-dark", "device-cmyk",
    # gradients (images drawn, not fetched)
    "linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient",
    "repeating-radial-gradient", "repeating-conic-gradient", "-webkit-linear-gradient",
    "-webkit-radial-gradient", "-webkit-repeating-linear-gradient",
    "-webkit-repeating-radial-gradient",
    # transforms, timing, grids, filters, shapes
    "translate", "translatex", "translatey", "translatez", "translate3d", "rotate", "rotatex",
    "rotatey", "rotatez", "rotate3d", "scale", "scalex", "scaley", "scalez", "scale3d",
    "skew", "skewx", "skewy", "matrix", "matrix3d", "perspective", "cubic-bezier", "steps",
    "linear", "minmax", "repeat", "fit-content", "blur", "brightness", "contrast",
    "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia",
    "inset", "circle", "ellipse", "polygon", "rect", "xywh",
    # generated content and paged media (WeasyPrint)
    "counter", "counters", "symbols", "string", "content", "leader", "target-counter",
    "target-counters", "target-text", "element", "running", "attr",
    # fonts; URLs and image-set are checked further below
    "format", "local", "tech", "url", "src", "image-set", "-webkit-image-set",
}
URL_FUNCTIONS = {"url", "src"}
IMAGE_SETS = {"image-set", "-webkit-image-set"}
ATTR_PROPERTIES = {"content", "string-set", "bookmark-label"}  # where attr() is text
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")  # `a < b` (media ranges) stays as it is


def url_allowed(url: str) -> bool:
    """A URL the page may hold in CSS: a data: URL or a #fragment of the page itself.
    Browsers drop tabs and newlines inside URLs and spaces around them; so does this."""
    value = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    return value.startswith("#") or value[:5].lower() == "data:"


def _url_of(node: Node) -> str | None:
    """The URL a URL token or url()/src() function holds; '' when it is not a plain
    string (e.g. src(var(--x)): refused as if it were any URL)."""
    if isinstance(node, URLToken):
        return node.value
    if isinstance(node, FunctionBlock) and node.lower_name in URL_FUNCTIONS:
        args = [a for a in node.arguments if a.type not in ("whitespace", "comment")]
        return args[0].value if args and isinstance(args[0], StringToken) else ""
    return None


def _image_set_ok(node: FunctionBlock) -> bool:
    """image-set("a.png" 1x, url(b.png) 2x): every image a data: URL, nothing computed."""
    for arg in node.arguments:
        if isinstance(arg, StringToken):
            if not url_allowed(arg.value):
                return False
        elif isinstance(arg, FunctionBlock | URLToken):
            url = _url_of(arg)
            if url is None and not (isinstance(arg, FunctionBlock) and arg.lower_name == "type"):
                return False
            if url is not None and not url_allowed(url):
                return False
        elif arg.type not in ("whitespace", "comment", "dimension", "number", "literal"):
            return False
    return True


def _children(node: Node) -> Sequence[Node]:
    if isinstance(node, FunctionBlock):
        return node.arguments
    if isinstance(node, ParenthesesBlock | SquareBracketsBlock | CurlyBlock):
        return node.content
    return ()


def tokens_safe(tokens: Iterable[Node], *, value_of: str | None = None) -> bool:
    """No URL but data: or #fragment anywhere in `tokens`; in a declaration's value
    (`value_of` its property), also no function outside the list."""
    for node in tokens:
        url = _url_of(node)
        if url is not None and not url_allowed(url):
            return False
        if node.type == "error" or (node.type == "at-keyword" and value_of is not None):
            return False
        if isinstance(node, FunctionBlock) and value_of is not None:
            name = node.lower_name
            if name not in FUNCTIONS or (name in IMAGE_SETS and not _image_set_ok(node)) \
                    or (name == "attr" and value_of not in ATTR_PROPERTIES):
                return False
        if not tokens_safe(_children(node), value_of=value_of):
            return False
    return True


def _declaration(node: Declaration) -> str | None:
    name = node.lower_name
    if not re.fullmatch(r"-?-?[a-z_][a-z0-9_-]*", name) and not name.startswith("--"):
        return None
    if not tokens_safe(node.value, value_of=name):
        return None
    important = " !important" if node.important else ""
    return f"{tinycss2.serialize_identifier(node.name)}:{tinycss2.serialize(node.value)}" \
           f"{important}"


def _at_rule(node: AtRule, nested: bool) -> str | None:
    keyword = node.lower_at_keyword
    if keyword not in GROUP_RULES | DECLARATION_RULES or not tokens_safe(node.prelude):
        return None
    head = f"@{tinycss2.serialize_identifier(node.at_keyword)}{tinycss2.serialize(node.prelude)}"
    if node.content is None:
        return f"{head};" if keyword == "layer" else None
    if keyword in DECLARATION_RULES:
        body = _block(node.content)
    elif nested:
        body = _block(node.content)
    else:
        body = _rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                               skip_whitespace=True))
    return f"{head}{{{body}}}"


def _qualified_rule(node: QualifiedRule) -> str | None:
    if not tokens_safe(node.prelude):
        return None
    return f"{tinycss2.serialize(node.prelude).strip()}{{{_block(node.content)}}}"


def _rules(nodes: Iterable[Node]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, QualifiedRule):
            kept = _qualified_rule(node)
        elif isinstance(node, AtRule):
            kept = _at_rule(node, nested=False)
        else:  # a parse error: its text is not kept
            kept = None
        if kept:
            out.append(kept)
    return "\n".join(out)


def _block(tokens: Sequence[Node], *, declarations_only: bool = False) -> str:
    """A block's contents: declarations, and (CSS nesting, @page margin boxes) rules."""
    out = []
    for node in tinycss2.parse_blocks_contents(tokens, skip_comments=True,
                                               skip_whitespace=True):
        kept: str | None = None
        if isinstance(node, Declaration):
            kept = _declaration(node)
            kept = f"{kept};" if kept else None
        elif declarations_only:
            kept = None
        elif isinstance(node, QualifiedRule):
            kept = _qualified_rule(node)
        elif isinstance(node, AtRule):
            kept = _at_rule(node, nested=True)
        if kept:
            out.append(kept)
    return "".join(out)


class _SetAside:
    """Long base64 payloads of data: URLs (fonts, images) taken out while the CSS is
    read, and put back after: tinycss2 reads a 1 MB font character by character.
    What is decided depends only on the `data:` before the payload; the payload is
    made of base64 characters, which can open no token, so putting it back changes
    nothing that was checked. The placeholders carry a random part no input can
    guess."""

    PAYLOAD = re.compile(r"(data:[a-z0-9.+/-]*(?:;[a-z0-9.+=-]*)*;base64,)"
                         r"([A-Za-z0-9+/]{256,}={0,2})(?=[\"')\s,;])", re.IGNORECASE)

    def __init__(self) -> None:
        self.payloads: list[str] = []
        self.mark = f"P{secrets.token_hex(8)}N"

    def take(self, css: str) -> str:
        def swap(match: re.Match[str]) -> str:
            self.payloads.append(match.group(2))
            return f"{match.group(1)}{self.mark}{len(self.payloads) - 1}E"

        return self.PAYLOAD.sub(swap, css)

    def restore(self, css: str) -> str:
        if not self.payloads:
            return css
        return re.sub(re.escape(self.mark) + r"(\d+)E",
                      lambda m: self.payloads[int(m.group(1))], css)


def _no_tags(css: str) -> str:
    r"""`<` before a letter, `/`, `!` or `?` written as the CSS escape `\3c `: the
    same text to CSS, no tag to an HTML parser."""
    return _TAG_OPEN.sub(r"\\3c ", css)


@lru_cache(maxsize=64)
def clean_stylesheet(css: str) -> str:
    """A stylesheet with only what the allow-list keeps (see the module docstring).
    Kept per text: a batch's letters and a preview's saves clean the same stylesheets
    again and again (about 7 ms each)."""
    aside = _SetAside()
    rules = tinycss2.parse_stylesheet(aside.take(css), skip_comments=True,
                                      skip_whitespace=True)
    return aside.restore(_no_tags(_rules(rules)))


def clean_declarations(css: str) -> str:
    """A style="" attribute's declarations, with only what the allow-list keeps."""
    aside = _SetAside()
    tokens = tinycss2.parse_component_value_list(aside.take(css), skip_comments=True)
    return aside.restore(_no_tags(_block(tokens, declarations_only=True)))


def value_safe(value: str) -> bool:
    """An SVG presentation attribute (fill="url(#g)") is a CSS value: the same rules."""
    if "(" not in value and "\\" not in value:
        return True
    return tokens_safe(tinycss2.parse_component_value_list(value), value_of="")
