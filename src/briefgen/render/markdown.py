"""Markdown → HTML for content fields, with [@id] citations as numbered note calls.

markdown-it-py gives CommonMark with a real parser, so citations are found as
inline tokens (never inside code spans) and raw HTML stays off: content is data
written by many hands, not markup trusted to reach the page. The syntax itself
is the content's (content/markdown.py); this module decides how it renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..content.markdown import make_parser

CiteFn = Callable[[list[str]], str]


def _render_citation(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                     env: dict[str, Any]) -> str:
    cite: CiteFn | None = env.get("cite")
    ids = tokens[idx].meta["ids"]
    if env.get("drop_citations"):
        return ""
    if cite is None:
        return str(escape("[" + "; ".join("@" + i for i in ids) + "]"))
    return cite(ids)


def make_renderer() -> MarkdownIt:
    md = make_parser()
    md.add_render_rule("citation", _render_citation)
    return md


class MarkdownRenderer:
    """One parser per renderer; citation numbering comes from the caller's registry."""

    def __init__(self, cite: CiteFn | None = None) -> None:
        self._md = make_renderer()
        self._cite = cite

    def block(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        return Markup(self._md.render(text, {"cite": self._cite}))

    def inline(self, text: str | None, citations: bool = True) -> Markup:
        """For one-line fields (event text, asks): no wrapping <p>.

        citations=False leaves note calls out, for documents without a source list
        (the handout points to the full brief instead).
        """
        if not text:
            return Markup("")
        return Markup(self._md.renderInline(text, {"cite": self._cite,
                                                   "drop_citations": not citations}))
