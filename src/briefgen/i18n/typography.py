"""Typographic quotes, apostrophes and French spacing, in the output language.

Content is written with the keyboard's straight ' and "; a printed brief uses the
language's marks: “ ” ‘ ’ and ’ in English, « » with narrow no-break spaces
inside (and “ ” within them) and ’ in French. The Markdown renderer applies this
to content paragraphs (markdown-it's smartquotes rule, which never touches code
spans, with the language's marks); plain-text fields (titles, names, case
fields) get the same treatment where they print, through `typographic`.

French also sets a narrow no-break space (U+202F) before ; : ! ? and inside « »,
as the label catalogs already do for the text briefgen writes: here an ordinary
space written there becomes a narrow no-break one, so a line never starts with
a colon. A missing space is not added before ; : ! ? (“10:30”, “https:” have
none), only inside « ».

Only quotes are changed: markdown-it's "replacements" rule stays off, since it
would turn a legal “(c)” into ©.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import cast

from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

NNBSP = "\u202f"
APOSTROPHE = "\u2019"

# double open, double close, single open, single close (markdown-it's `quotes`)
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "fr": ("«" + NNBSP, NNBSP + "»", "“", "”"),
}

_SPACES = "[ \u00a0\u2009\u202f]"
_FRENCH_BEFORE = re.compile(_SPACES + r"+(?=[;:!?])")  # only where a space was written
_FRENCH_AFTER = re.compile("«" + _SPACES + "*")
_FRENCH_CLOSE = re.compile(_SPACES + "*»")
_OPENS_AFTER = " \t\n\u00a0([{—–-/"  # a " after these opens a quotation


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The language's quotation marks, English's for a language without its own."""
    return QUOTES.get(lang, QUOTES["en"])


def french_spacing(text: str) -> str:
    """A narrow no-break space before ; : ! ? where a space was written, and inside
    « » always."""
    text = _FRENCH_AFTER.sub("«" + NNBSP, text)
    text = _FRENCH_CLOSE.sub(NNBSP + "»", text)
    return _FRENCH_BEFORE.sub(NNBSP, text)


def _leftovers(text: str, lang: str) -> str:
    """Quotes the pairing left straight (one never closed): an apostrophe for ',
    an opening or closing mark for " by what stands before it."""
    marks = quotes(lang)
    text = text.replace("'", APOSTROPHE)
    return "".join(
        (marks[0] if i == 0 or text[i - 1] in _OPENS_AFTER else marks[1]) if c == '"' else c
        for i, c in enumerate(text))


def finish(text: str, lang: str) -> str:
    """What follows the pairing of quotes: leftovers, then the language's spacing."""
    if "'" in text or '"' in text:
        text = _leftovers(text, lang)
    return french_spacing(text) if lang == "fr" else text


def typographic(text: str, lang: str) -> str:
    """Plain text (no Markdown) with the language's quotes, apostrophes and spacing."""
    if "'" in text or '"' in text:
        token = Token("text", "", 0)
        token.content = text
        state = SimpleNamespace(md=SimpleNamespace(options=SimpleNamespace(
            quotes=quotes(lang))))
        process_inlines([token], cast(StateCore, state))
        text = token.content
    return finish(text, lang)
