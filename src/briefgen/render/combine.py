"""Documents that follow one another in one output: a letter with the handout behind it.

A PDF can copy each document's own laid-out pages (writers/pdf.py). The
writers that build from HTML instead (Word, the web page) need one HTML tree:
each following document's body becomes a section that starts a new page, its
ids and in-document links prefixed so that they cannot collide with the first
document's. What each writer does about the sections' looks is its own affair.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import lxml.html

from . import contract
from .document import RenderedDocument

FOLLOWING = "briefgen-following"  # class of a following document's section


def id_prefixes(following: tuple[RenderedDocument, ...]) -> list[str]:
    """'handout-' for the handout; 'handout-2-' for a second one."""
    counts: Counter[str] = Counter()
    prefixes = []
    for doc in following:
        counts[doc.template.name] += 1
        n = counts[doc.template.name]
        prefixes.append(f"{doc.template.name}-" if n == 1 else f"{doc.template.name}-{n}-")
    return prefixes


def following_section(doc: RenderedDocument, prefix: str,
                      lang: str | None = None) -> lxml.html.HtmlElement:
    """The body of `doc` as a <section> starting a new page; lang is set when it differs
    from the document it follows."""
    body = lxml.html.document_fromstring(doc.html).find("body")
    classes = " ".join([contract.NEW_PAGE, FOLLOWING, *(body.get("class") or "").split()])
    section = lxml.html.Element("section", {"class": classes})
    if lang is not None and lang != doc.lang:
        section.set("lang", doc.lang)
    for element in list(body):
        section.append(element)
    for element in section.iter():
        if element.get("id"):
            element.set("id", prefix + element.get("id"))
        href = element.get("href") or ""
        if href.startswith("#"):
            element.set("href", "#" + prefix + href[1:])
    return section


def followed_by(first: RenderedDocument, *following: RenderedDocument) -> RenderedDocument:
    """One document holding `first`, then each of `following` from a new page; the
    metadata, stylesheets and language are the first's."""
    if not following:
        return first
    page = lxml.html.document_fromstring(first.html)
    body = page.find("body")
    for doc, prefix in zip(following, id_prefixes(following), strict=True):
        body.append(following_section(doc, prefix, first.lang))
    html = lxml.html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode")
    return replace(first, html=html, layout=None)
