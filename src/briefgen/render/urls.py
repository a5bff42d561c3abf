"""Web addresses as printed: where a line may end inside one.

A long address in a list of sources must wrap, and a reader copying it by hand
must see where it really goes on: a line ending at "https:/" or "in-re" reads as
a typo or a hyphenated word. So an address breaks only after / . or - past its
host, each part kept whole. It is printed in full, "https://" included: the
reader of a printed list types what is printed.

The break marks are characters, not elements: WeasyPrint (70) does not tag a
link holding any element (<wbr>, a <span>) as a Link structure element, which
PDF/UA-1 requires. A zero-width space (U+200B) marks each break; a word joiner
(U+2060) follows each character after which Unicode's line breaking (UAX #14)
would otherwise break (- / ? !) inside a part. Both are invisible, ignored by
text extraction (pypdf, pdftotext) and honoured by Word and LibreOffice; the
parity check ignores them.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

ZWSP = "\u200b"  # a line may break here
WORD_JOINER = "\u2060"  # a line may not break here
_NATURAL_BREAKS = "-/?!"  # where UAX #14 breaks inside an address (after these)
# the scheme and host, kept whole; then a break after / . or - of the rest
_URL_HEAD = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^/]*/?", re.I)
_URL_BREAK = re.compile(r"(?<=[/.-])(?=.)")


def url_parts(url: str) -> list[str]:
    """A web address cut where a line may end: its scheme and host whole, then after
    each / . or - of the rest."""
    head = _URL_HEAD.match(url)
    first = head.group(0) if head else ""
    return [first, *_URL_BREAK.split(url[len(first):])] if url[len(first):] else [first]


def _whole(part: str) -> str:
    """A part no line breaks inside: a word joiner after each natural break in it."""
    return "".join(c + WORD_JOINER if c in _NATURAL_BREAKS else c for c in part[:-1]) \
        + part[-1:]


def url_text(url: object) -> Markup:
    """A web address as printed (the `url_text` filter), breakable only between its
    url_parts; the link target (href) is never touched."""
    return Markup(escape(ZWSP.join(_whole(part) for part in url_parts(str(url)))))
