"""Text in another language than the page's, marked with `lang` where it is printed.

A French brief prints the English original of a text no translation gives; a
screen reader must read it with an English voice, and hyphenation must use
English rules, so the text goes out as `<span lang="…">`. Markdown fields are
wrapped by the Markdown filters; a plain value (`{{ ask.title }}`) passes
Jinja's finalize hook, which cannot know whether it is printing into text, an
attribute or the `<title>`. So finalize brackets the value with three private-use
characters, and once the page is rendered `apply` turns the brackets into a span
where they stand in text and drops them in a tag, the title, a style or script.
Content that holds these characters cannot do more than finalize does: only the
exact form it writes (open, a language code of letters, digits and '-',
separator, escaped text, close) becomes a span, and any stray one is removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..errors import Problem

OPEN, SEP, CLOSE = "\ue0f0", "\ue0f1", "\ue0f2"
_MARK = re.compile(f"{OPEN}([a-zA-Z0-9-]{{1,35}}){SEP}([^{OPEN}{SEP}{CLOSE}]*){CLOSE}")
_STRAY = re.compile(f"[{OPEN}{SEP}{CLOSE}]")
_PIECES = re.compile(r"(<[^>]*>)")
_LINK = re.compile(r"^<a\s(?![^>]*\slang=)[^>]*>$")
_RAW = re.compile(r"^<(title|style|script|textarea)\b", re.I)


def mark(text: str, lang: str) -> str:
    """Text to be printed with its own language."""
    return f"{OPEN}{lang}{SEP}{text}{CLOSE}"


def strip(text: str) -> str:
    """The text without any bracket (an attribute, the title)."""
    return _STRAY.sub("", _MARK.sub(r"\2", text))


def apply(html: str) -> str:
    """Brackets in text become `<span lang>`; anywhere else they go."""
    if OPEN not in html and SEP not in html and CLOSE not in html:
        return html
    out: list[str] = []
    raw_until: str | None = None  # inside <title>…</title>: text, but not markup
    for piece in _PIECES.split(html):
        if piece.startswith("<"):
            out.append(strip(piece))
            opened = _RAW.match(piece)
            if opened and not piece.endswith("/>"):
                raw_until = f"</{opened.group(1).lower()}"
            elif raw_until and piece.lower().startswith(raw_until):
                raw_until = None
            continue
        if raw_until:
            out.append(strip(piece))
        elif (whole := _MARK.fullmatch(piece)) and out and _LINK.match(out[-1]):
            # a link's whole text: the link takes the language (WeasyPrint 70 does not tag
            # a link holding an element as a Link, which PDF/UA-1 requires)
            out[-1] = out[-1][:2] + f' lang="{whole.group(1)}"' + out[-1][2:]
            out.append(whole.group(2))
        else:
            out.append(_STRAY.sub("", _MARK.sub(r'<span lang="\1">\2</span>', piece)))
    return "".join(out)


# The gaps a render prints: an untranslated text says why it is one (Untranslated.gap)
_PRINTED: ContextVar[list[Problem] | None] = ContextVar("printed_gaps", default=None)


@contextmanager
def collecting() -> Iterator[list[Problem]]:
    """Note each untranslated text printed while rendering, once."""
    found: list[Problem] = []
    token = _PRINTED.set(found)
    try:
        yield found
    finally:
        _PRINTED.reset(token)


def printed(text: str) -> None:
    gap = getattr(text, "gap", None)
    found = _PRINTED.get()
    if gap is not None and found is not None and gap not in found:
        found.append(gap)
