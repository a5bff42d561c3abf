"""SVG images are XML: one that declares a DTD of its own is refused before any parser
that would act on it sees it.

An SVG's `<!DOCTYPE svg [ ... ]>` can declare entities: `<!ENTITY x SYSTEM
"file:///etc/passwd">` reads a file of this machine into the picture (XXE), nested
internal entities blow up in memory (billion laughs). WeasyPrint (PDF) expands
internal entities and fails on external ones with an empty reason; cairosvg (the
Word writer's rasteriser) refuses both with a traceback. No drawing needs one, so
every SVG a build uses — content images at load, template images in the PDF and
Word writers — is checked here and refused with one message. So is a DOCTYPE that
only names an external DTD (as some older editors write it): it declares nothing by
itself, but telling the two apart means trusting one more parser, and deleting the
line is all it takes to use the file.
"""

from __future__ import annotations

import io
import re

from lxml import etree

REFUSED = "SVG with a DTD/entities is refused"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                          dtd_validation=False, huge_tree=False)
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)\b", re.IGNORECASE)


def looks_like_svg(data: bytes) -> bool:
    """XML text (as WeasyPrint would try it when the file is not a raster image)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<svg", b"<!DOCTYPE", b"<!--")) or \
        head.startswith((b"\xff\xfe", b"\xfe\xff"))


def declares_dtd(data: bytes) -> bool:
    """True when the XML in `data` has a document type declaration (`<!DOCTYPE`), with
    or without entities, however it is encoded. Nothing is expanded, loaded or fetched
    to find out."""
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError:
        # not well-formed (the renderer will say so): look for it as bytes, in UTF-8
        # and in UTF-16 with its zero bytes removed
        return bool(_DOCTYPE.search(data) or _DOCTYPE.search(data.replace(b"\0", b"")))
    return tree.docinfo.internalDTD is not None or bool(tree.docinfo.doctype)


def svg_refusal(src: str) -> str:
    """The message for an SVG image refused by declares_dtd."""
    return (f"image '{src}': {REFUSED} (entities can read this machine's files or exhaust "
            "its memory); remove the <!DOCTYPE …> from the file")
