"""A picture floated to the right of the text beside it, as CSS `float: right` does.

python-docx writes pictures inline (`wp:inline`, a character in the line); a floating
one is a `wp:anchor` with the same extent, description and graphic, placed at the
right edge of the column, level with the top of its paragraph, the text wrapping
round it on the left.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shape import InlineShape
from docx.shared import Length

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def float_right(shape: InlineShape, gap: Length) -> None:
    """Turn an inline picture into one floating at the right of the column; `gap` is
    the space kept between it and the text."""
    inline = shape._inline
    anchor = OxmlElement("wp:anchor")
    for name, value in (("distT", "0"), ("distB", "0"), ("distL", str(int(gap))),
                        ("distR", "0"), ("simplePos", "0"), ("relativeHeight", "1"),
                        ("behindDoc", "0"), ("locked", "0"), ("layoutInCell", "1"),
                        ("allowOverlap", "0")):
        anchor.set(name, value)
    simple = OxmlElement("wp:simplePos")
    simple.set("x", "0")
    simple.set("y", "0")
    anchor.append(simple)
    horizontal = OxmlElement("wp:positionH")
    horizontal.set("relativeFrom", "column")
    align = OxmlElement("wp:align")
    align.text = "right"
    horizontal.append(align)
    anchor.append(horizontal)
    vertical = OxmlElement("wp:positionV")
    vertical.set("relativeFrom", "paragraph")
    offset = OxmlElement("wp:posOffset")
    offset.text = "0"
    vertical.append(offset)
    anchor.append(vertical)
    anchor.append(inline.find(qn("wp:extent")))
    effect = inline.find(qn("wp:effectExtent"))
    if effect is None:
        effect = OxmlElement("wp:effectExtent")
        for side in ("l", "t", "r", "b"):
            effect.set(side, "0")
    anchor.append(effect)
    wrap = OxmlElement("wp:wrapSquare")
    wrap.set("wrapText", "left")
    anchor.append(wrap)
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        child = inline.find(qn(tag))
        if child is not None:
            anchor.append(child)
    inline.addprevious(anchor)
    inline.getparent().remove(inline)
