"""A briefing pack: the letter with the one-page handout behind it.

The PDF gets the handout's own laid-out pages (writers.pdf.write_pdf_with), so
it looks exactly like the handout printed alone. Word has no pages to copy: its
pack is one document made from the letter's HTML with the handout's body added
after a page break, so the recipient's Word file holds the whole pack too.
"""

from __future__ import annotations

from dataclasses import replace

import lxml.html

from ..render.document import RenderedDocument

PREFIX = "handout-"  # the handout's anchors must not collide with the letter's


def with_handout(letter: RenderedDocument, handout: RenderedDocument) -> RenderedDocument:
    page = lxml.html.document_fromstring(letter.html)
    extra = lxml.html.document_fromstring(handout.html).find("body")
    section = lxml.html.Element("div", {"class": "new-page handout-pack"})
    for element in list(extra):
        section.append(element)
    for element in section.iter():
        if element.get("id"):
            element.set("id", PREFIX + element.get("id"))
        href = element.get("href") or ""
        if href.startswith("#"):
            element.set("href", "#" + PREFIX + href[1:])
    page.find("body").append(section)
    html = lxml.html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode")
    return replace(letter, html=html, layout=None)
