"""The web page's fonts cut down to the characters the page shows (writers/html.py).

A page carries its fonts inline so that it stands alone; whole, the shipped faces
weigh about 1.7 MB a page (22 MB for a case sheet split into 13 files), which
is what makes a brief too heavy to email. A page uses a few hundred characters,
so each font is subset to them (fontTools) and stored as WOFF2 when Brotli is
installed, WOFF otherwise: about a tenth of the size.

What the page shows is its text (in both cases, since CSS may set it in
capitals), its alternative texts, the strings of its stylesheets (generated
content: quotes, separators, list markers written as strings) and the values of
the attributes those stylesheets print with attr(); on top of that a generous
set of punctuation, digits and spaces, for the counters and quotes a browser
generates itself and for what a reader types into the page's search box.

The subset keeps the font's names, among them the copyright and the licence
(the SIL Open Font License allows subsetting, and asks that the licence stays
with the font), and every OpenType feature, so small capitals or old-style
figures a stylesheet asks for still work.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import lxml.html
import tinycss2

from .font_subset import subset_font as cut_font

FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
# Always kept: Basic Latin (digits and letters for counters, the punctuation of any
# language using it), Latin-1's punctuation and spaces, the general punctuation block
# (dashes, quotes, spaces of every width, bullets, ellipsis, per mille, guillemets),
# the minus sign and the euro.
ALWAYS = frozenset(
    chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0xC0), *range(0x2000, 0x2065),
                     0x2212, 0x20AC))
_NOT_SHOWN = ("Cc",)  # control characters: no glyph is ever drawn for them
_URL_FUNCTIONS = {"url", "src", "image-set", "-webkit-image-set"}


def woff_flavor() -> str:
    """WOFF2 (about a quarter smaller than WOFF) when fontTools finds Brotli to write it."""
    return "woff2" if importlib.util.find_spec("brotli") is not None else "woff"


# font-variant / font-feature-settings a designer may use in a restyled template
STYLE_FEATURES = ("smcp", "c2sc", "onum", "lnum", "tnum", "pnum", "frac", "sups", "subs",
                  "ordn", "case", "zero")
MIME = {"woff2": "font/woff2", "woff": "font/woff"}


def _css_strings(nodes: Iterable[tinycss2.ast.Node], strings: set[str],
                 attributes: set[str]) -> None:
    """Every string of the CSS but URLs (generated content, quotes, list markers), and
    the names of the attributes it prints with attr()."""
    for node in nodes:
        if node.type == "string" and not node.value.startswith("data:"):
            strings.add(node.value)
        elif node.type == "function":
            if node.lower_name == "attr":
                attributes.update(a.lower_value for a in node.arguments if a.type == "ident")
            elif node.lower_name not in _URL_FUNCTIONS:
                _css_strings(node.arguments, strings, attributes)
        elif node.type in ("() block", "[] block", "{} block"):
            _css_strings(node.content, strings, attributes)


def _styles(element: lxml.html.HtmlElement) -> Iterator[str]:
    """The CSS an element holds: a <style>'s text, a style="" attribute."""
    if element.tag.lower() == "style" and element.text:
        yield element.text
    if element.get("style"):
        yield element.get("style")


def _text(element: lxml.html.HtmlElement) -> str:
    """The text of the element (not of a comment, a <style> or a <script>), and its tail."""
    shown = isinstance(element.tag, str) and element.tag.lower() not in ("style", "script")
    return (element.text or "" if shown else "") + (element.tail or "")


def page_characters(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The characters the page may show: see the module's docstring."""
    shown: set[str] = set(ALWAYS)
    strings: set[str] = set()
    attributes = {"alt"}
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for element in root.iter():
        shown.update(_text(element))
    for element in elements:
        for css in _styles(element):
            _css_strings(tinycss2.parse_component_value_list(css), strings, attributes)
    for element in elements:
        for name in attributes & set(element.attrib):
            shown.update(element.get(name) or "")
    shown.update(*strings)
    return _in_both_cases(shown)


def _in_both_cases(chars: set[str]) -> frozenset[str]:
    """The characters, each also in capitals and in small letters (text-transform), but
    control characters, which no glyph draws."""
    cased = {c for ch in chars for c in (ch.upper(), ch.lower()) if len(c) == 1}
    return frozenset(c for c in chars | cased if unicodedata.category(c) not in _NOT_SHOWN)


@lru_cache(maxsize=64)
def subset_font(data: bytes, characters: frozenset[str], flavor: str) -> bytes:
    """The font in `data`, with only the glyphs `characters` need, as `flavor` ("woff2"
    or "woff"). Shaping features: fontTools' defaults plus those a stylesheet can ask
    for (small capitals, figure styles, fractions), not every feature ("*"), which
    doubles the time and a third of the size for features no stylesheet names."""
    return cut_font(data, characters, flavor=flavor, extra_features=STYLE_FEATURES)


_WHOLE_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
               ".woff2": "font/woff2"}
_NO_SUBSETTING = 0x0100  # OS/2 fsType: the font's licence forbids subsetting it


def _subsettable(data: bytes) -> bool:
    """Whether fontTools reads the font and its licence lets it be subset."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        return not font["OS/2"].fsType & _NO_SUBSETTING if "OS/2" in font else True
    except (OSError, TTLibError, KeyError, ImportError, ValueError):
        # unreadable here (a WOFF2 without Brotli, say): the browser may still read it
        return False


def font_data_uri(path: Path, data: bytes, characters: frozenset[str] | None) -> str:
    """The font as a data: URL, subset to `characters` when it can be (None: whole)."""
    mime = _WHOLE_MIME.get(path.suffix.lower(), "application/octet-stream")
    if characters is not None and _subsettable(data):
        flavor = woff_flavor()
        try:
            data, mime = subset_font(data, characters, flavor), MIME[flavor]
        except Exception:  # noqa: BLE001 — a font fontTools cannot cut (damaged, unusual)
            pass  # is inlined whole, as before subsetting: a browser may still read it
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class PageFonts:
    """The font files a page inlines, held back (as placeholders in its CSS) until the
    whole page, following sections included, is there to say which characters it
    shows. The placeholders carry a random token, so no stylesheet can forge one."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.fonts: dict[Path, tuple[str, bytes]] = {}  # file → (placeholder, bytes)

    def placeholder(self, path: Path, data: bytes) -> str:
        if path not in self.fonts:
            self.fonts[path] = (f"briefgen-font-{self.token}-{len(self.fonts)}", data)
        return self.fonts[path][0]

    def inline(self, root: lxml.html.HtmlElement, subset: bool = True) -> None:
        """Each placeholder in the page's styles made the (subset) font's data: URL."""
        if not self.fonts:
            return
        characters = page_characters(root) if subset else None
        uris = {key: font_data_uri(path, data, characters)
                for path, (key, data) in self.fonts.items()}
        pattern = re.compile(f"briefgen-font-{self.token}-[0-9]+")

        def swap(text: str) -> str:
            return pattern.sub(lambda m: uris[m[0]], text)

        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() == "style" and element.text:
                element.text = swap(element.text)
            for name, value in element.attrib.items():
                if self.token in value:
                    element.set(name, swap(value))
