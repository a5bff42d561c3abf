"""The rendered HTML carries no active content, whatever a project template says.

Markdown in content cannot produce scripts (raw HTML is off), but project
templates are written by other people too. Before any writer sees the document,
scripts, embedded frames, event-handler attributes and javascript:-style links
are refused, so neither the HTML page nor the PDF's links can run code.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html

from ..content.markdown import LINK_SCHEMES
from ..errors import Problem

FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset",
                      "base", "form"}
# What an href or src in the rendered page may use: content's link schemes, a phone
# number, no scheme (an #anchor or a relative file), inline data, a checked local file.
URL_SCHEMES = {"", *LINK_SCHEMES, "tel", "data", "file"}


def active_content(html: str, where: str) -> list[Problem]:
    problems: list[Problem] = []
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(Problem(where, None, None,
                                    f"<{tag}> is not allowed in a brief (no active content)"))
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(Problem(where, None, None,
                                        f"event handler {name}=\"…\" on <{tag}> is not allowed"))
            elif name.lower() in ("href", "src", "action", "formaction", "xlink:href") and \
                    urlsplit(value.strip()).scheme.lower() not in URL_SCHEMES:
                problems.append(Problem(where, None, None,
                                        f"{name}=\"{value[:60]}\" on <{tag}> is not allowed: "
                                        "links use http(s), mailto or #anchors"))
    return problems
