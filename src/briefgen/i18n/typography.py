"""Typographic quotes, apostrophes and spacing, in the output language.

Content is written with the keyboard's straight ' and "; a printed brief uses the
language's marks, which its catalog gives (quote_open, quote_close,
quote_inner_open, quote_inner_close, apostrophe): “ ” ‘ ’ and ’ in English, « » with
narrow no-break spaces inside (and “ ” within them) in French, „ “ in German. The
Markdown renderer applies this to content paragraphs (markdown-it's smartquotes
rule, which never touches code spans, with the language's marks); plain-text fields
(titles, names, case fields) get the same treatment where they print, through
`typographic`.

A catalog may also set a narrow no-break space (U+202F) before some punctuation
(`space_before: ";:!?"` in French) and inside its quotation marks (when its marks
carry one: French « »), as the catalogs already do for the text briefgen writes:
here an ordinary space written there becomes a narrow no-break one, so a line never
starts with a colon. A missing space is not added before the punctuation (“10:30”,
“https:” have none), only inside the marks.

Only quotes are changed: markdown-it's "replacements" rule stays off, since it
would turn a legal “(c)” into ©.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import cast

from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

NNBSP = "\u202f"

_SPACES = "[ \u00a0\u2009\u202f]"
_OPENS_AFTER = " \t\n\u00a0([{—–-/"  # a " after these opens a quotation


@dataclass(frozen=True)
class Marks:
    """One language's marks and spacing, from its catalog."""

    quotes: tuple[str, str, str, str]  # double open, double close, single open, single close
    apostrophe: str
    space_before: str  # punctuation that takes a narrow no-break space where one was written


def marks(lang: str) -> Marks:
    """Read from the catalog each time (a few dictionary look-ups): a project's own
    catalog may change them between builds."""
    from . import labels

    t = labels(lang)
    return Marks((t("quote_open"), t("quote_close"), t("quote_inner_open"),
                  t("quote_inner_close")), t("apostrophe"), t("space_before"))


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The language's quotation marks (markdown-it's `quotes` option)."""
    return marks(lang).quotes


@cache
def _spacing_rules(m: Marks) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Substitutions for the catalog's spacing: inside marks that carry a narrow
    no-break space, and before the punctuation it names."""
    opening, closing = m.quotes[0], m.quotes[1]
    rules = []
    if len(opening) > 1 and opening.endswith(NNBSP):
        rules.append((re.compile(re.escape(opening[0]) + _SPACES + "*"), opening))
    if len(closing) > 1 and closing.startswith(NNBSP):
        rules.append((re.compile(_SPACES + "*" + re.escape(closing[-1])), closing))
    if m.space_before:
        rules.append((re.compile(_SPACES + "+(?=[" + re.escape(m.space_before) + "])"),
                      NNBSP))
    return tuple(rules)


def spacing(text: str, lang: str) -> str:
    """The language's spacing: French puts a narrow no-break space before ; : ! ? where
    a space was written, and inside « » always; English changes nothing."""
    for found, replacement in _spacing_rules(marks(lang)):
        text = found.sub(replacement, text)
    return text


def _leftovers(text: str, lang: str) -> str:
    """Quotes the pairing left straight (one never closed): an apostrophe for ',
    an opening or closing mark for " by what stands before it."""
    double = quotes(lang)
    text = text.replace("'", marks(lang).apostrophe)
    return "".join(
        (double[0] if i == 0 or text[i - 1] in _OPENS_AFTER else double[1]) if c == '"'
        else c for i, c in enumerate(text))


def finish(text: str, lang: str) -> str:
    """What follows the pairing of quotes: leftovers, then the language's spacing."""
    if "'" in text or '"' in text:
        text = _leftovers(text, lang)
    return spacing(text, lang)


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
