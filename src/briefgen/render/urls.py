"""Web addresses as printed: where a line may end inside one, and how it shows.

A long address in a list of sources must wrap, and a reader copying it by hand
must see where it really goes on: a line ending at "https:/" or "in-re" reads as
a typo or a hyphenated word. So an address breaks only after / . or - past its
host, each part kept whole, and is shown without "https://", which the link keeps.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# where a printed address may break: after / . or - past its host (never inside
# "https://", a host or a word)
_URL_HEAD = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^/]*/?", re.I)
_URL_BREAK = re.compile(r"(?<=[/.-])(?=.)")


def url_parts(url: str) -> list[str]:
    """A web address cut where a line may end: its scheme and host whole, then after
    each / . or - of the rest."""
    head = _URL_HEAD.match(url)
    first = head.group(0) if head else ""
    return [first, *_URL_BREAK.split(url[len(first):])] if url[len(first):] else [first]


def url_text(url: object, scheme: bool = False) -> Markup:
    """A web address as printed, breakable only after / . or - (url_parts): each part
    in a span that does not break (white-space: nowrap, common.css), a <wbr> between
    them, so a line never ends at "https:/", inside a host, after ? or inside a word,
    whatever the link's own stylesheet says; the link target is never touched.
    Without "https://" unless scheme=True: the link keeps the full address. Word
    gets a zero-width space at each <wbr> (writers/docx)."""
    text = str(url)
    if not scheme:
        text = text.removeprefix("https://")
    parts = Markup("<wbr>").join(Markup("<span>{}</span>").format(part)
                                 for part in url_parts(text))
    return Markup('<span class="url-text">{}</span>').format(parts)
