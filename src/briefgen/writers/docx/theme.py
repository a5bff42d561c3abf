"""The theme's colours in Word: accent, accent light, ink and muted, as the PDF has them.

The PDF takes its colours from four CSS variables: common.css gives the default
palette, a template's stylesheet may give its own (the dossier's burgundy) and the
theme in briefgen.yaml overrides both (`html:root` in the page's own <style>).
They are read here the same way, from `:root` rules, in that order.

The shared reference.docx was made in the default palette: wherever one of its
styles carries a default colour (a heading's colour, its rule, a box's shading,
a table header), the document's own colour of the same name replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import lxml.html
import tinycss2
import tinycss2.color3
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from ...errors import BriefgenError
from ...render.paged import stylesheet_text
from ...render.templates import THEME_COLOURS
from ...resources import MissingResource, RefusedResource

if TYPE_CHECKING:
    from ...render.document import RenderedDocument

# common.css's palette, in which the shared reference.docx was made
DEFAULT_PALETTE = {"accent": "1F4E79", "accent-light": "E8EEF5", "ink": "1A1A1A",
                   "muted": "555555"}
_ROOTS = {":root", "html", "html:root"}
_COLOUR_ATTRIBUTES = (qn("w:color"), qn("w:fill"))  # a border's, a shading's
_COLOR, _VAL = qn("w:color"), qn("w:val")  # a text colour: <w:color w:val="…"/>


def css_colours(css_texts: Iterable[str]) -> dict[str, str]:
    """The theme colours the stylesheets set on the root element, later ones winning,
    as RRGGBB (a value that is not a plain colour, e.g. var(), is skipped)."""
    found: dict[str, str] = {}
    for text in css_texts:
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() \
                    not in _ROOTS:
                continue
            for declaration in tinycss2.parse_blocks_contents(rule.content,
                                                              skip_comments=True,
                                                              skip_whitespace=True):
                if declaration.type != "declaration" or not declaration.name.startswith("--"):
                    continue
                name = declaration.name[2:]
                colour = _rgb(tinycss2.serialize(declaration.value).strip())
                if name in THEME_COLOURS and colour:
                    found[name] = colour
    return found


def _rgb(value: str) -> str | None:
    parsed = tinycss2.color3.parse_color(value)
    if parsed is None or isinstance(parsed, str):  # "currentColor"
        return None
    red, green, blue = (round(c * 255) for c in parsed[:3])
    return f"{red:02X}{green:02X}{blue:02X}"


def theme_colours(doc: RenderedDocument) -> dict[str, str]:
    """The document's four theme colours (RRGGBB): the default palette, then the
    template's stylesheets, then the page's own <style> (the theme in briefgen.yaml)."""
    texts = []
    for path in doc.stylesheets:
        try:
            texts.append(stylesheet_text(path, doc.policy, str(path)))
        except (RefusedResource, MissingResource, BriefgenError):
            continue  # the PDF writer reports an unreadable stylesheet
    page = lxml.html.document_fromstring(doc.html)
    texts += [style.text or "" for style in page.iter("style")]
    return {**DEFAULT_PALETTE, **css_colours(texts)}


def recolour(elements: Iterable[BaseOxmlElement], colours: dict[str, str]) -> None:
    """Every default-palette colour (text, border, shading) in these elements → the
    document's colour of the same name."""
    swap = {DEFAULT_PALETTE[name]: value for name, value in colours.items()
            if name in DEFAULT_PALETTE and DEFAULT_PALETTE[name] != value}
    if not swap:
        return
    for root in elements:
        for element in root.iter():
            attributes = (_VAL, *_COLOUR_ATTRIBUTES) if element.tag == _COLOR \
                else _COLOUR_ATTRIBUTES
            for attribute in attributes:
                value = element.get(attribute)
                if value and value.upper() in swap:
                    element.set(attribute, swap[value.upper()])
