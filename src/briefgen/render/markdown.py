"""Markdown → HTML for content fields, with [@id] citations as numbered note calls.

markdown-it-py gives CommonMark with a real parser, so citations are found as
inline tokens (never inside code spans) and raw HTML stays off: content is data
written by many hands, not markup trusted to reach the page. The syntax itself
is the content's (content/markdown.py); this module decides how it renders,
in the output language's typography (i18n/typography.py): its quotation marks
from smartquotes, then what smartquotes leaves (a quote never closed) and the
catalog's spacing (French: narrow no-break spaces).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..content.markdown import make_parser
from ..content.model import DEFAULT_LANGUAGE
from ..i18n.typography import finish, quotes
from . import lang_marks
from .urls import url_text

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


def _typography(lang: str) -> Callable[[StateCore], None]:
    """A core rule after smartquotes: the text it leaves, set in the language's style
    (text tokens only: code spans and URLs in link targets are not text)."""
    def rule(state: StateCore) -> None:
        for block in state.tokens:
            for token in block.children or ():
                if token.type == "text":
                    token.content = finish(token.content, lang)
    return rule


def _autolinks(state: StateCore) -> None:
    """An address written as <https://…> prints as the templates print one (url_text):
    breakable only after / . or -. Before smartquotes, which leaves HTML alone (the
    text is escaped by url_text)."""
    for block in state.tokens:
        children = block.children or []
        for before, token in zip(children, children[1:], strict=False):
            if before.type == "link_open" and before.markup == "autolink" \
                    and token.type == "text":
                token.type = "html_inline"
                token.content = str(url_text(token.content))


def make_renderer(lang: str = DEFAULT_LANGUAGE) -> MarkdownIt:
    md = make_parser()
    md.options["quotes"] = quotes(lang)
    md.core.ruler.before("smartquotes", "autolinks", _autolinks)
    md.core.ruler.after("smartquotes", "typography", _typography(lang))
    md.add_render_rule("citation", _render_citation)
    return md


class MarkdownRenderer:
    """One parser per renderer, in the output language; citation numbering comes from
    the caller's registry."""

    def __init__(self, cite: CiteFn | None = None, lang: str = DEFAULT_LANGUAGE) -> None:
        self._md = make_renderer(lang)
        self._lang = lang
        self._others: dict[str, MarkdownIt] = {}
        self._cite = cite

    def block(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        own = self._own_language(text)
        html = self._parser(own).render(text, {"cite": self._cite})
        return Markup(f'<div lang="{own}">{html}</div>' if own else html)

    def inline(self, text: str | None, citations: bool = True) -> Markup:
        """For one-line fields (event text, asks): no wrapping <p>.

        citations=False leaves note calls out, for documents without a source list
        (the handout points to the full brief instead).
        """
        if not text:
            return Markup("")
        own = self._own_language(text)
        html = self._parser(own).renderInline(text, {"cite": self._cite,
                                                     "drop_citations": not citations})
        return Markup(f'<span lang="{own}">{html}</span>' if own else html)

    def _own_language(self, text: str) -> str | None:
        """The language of an original's text printed untranslated (content/localized.py),
        when it is not the renderer's: the text is set in its own typography and marked."""
        own = getattr(text, "lang", None)
        if not own or own == self._lang:
            return None
        lang_marks.printed(text)
        return str(own)

    def _parser(self, lang: str | None) -> MarkdownIt:
        if lang is None:
            return self._md
        if lang not in self._others:
            self._others[lang] = make_renderer(lang)
        return self._others[lang]
