"""Markdown → HTML for content fields, with [@id] citations as numbered note calls.

markdown-it-py gives CommonMark with a real parser, so citations are found as
inline tokens (never inside code spans) and raw HTML stays off: content is data
written by many hands, not markup trusted to reach the page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import Markup, escape

from ..content.citations import CITATION, split_ids

CiteFn = Callable[[list[str]], str]


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = CITATION.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        # "text [@id]" reads as "text¹": the space before a note call is dropped.
        state.pending = state.pending.rstrip(" ")
        if not state.pending and state.tokens and state.tokens[-1].type == "softbreak":
            state.tokens.pop()
            if state.tokens and state.tokens[-1].type == "text":
                state.tokens[-1].content = state.tokens[-1].content.rstrip(" ")
        token = state.push("citation", "", 0)
        token.meta = {"ids": split_ids(match.group(1))}
    state.pos = match.end()
    return True


def _render_citation(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    cite: CiteFn | None = env.get("cite")
    ids = tokens[idx].meta["ids"]
    if env.get("drop_citations"):
        return ""
    if cite is None:
        return escape("[" + "; ".join("@" + i for i in ids) + "]")
    return cite(ids)


LINK_SCHEMES = ("http", "https", "mailto")


def _validate_link(url: str) -> bool:
    """Links: web, email, in-brief anchors. Images: relative project paths (checked
    against the resource policy at load time) and data: URLs. Nothing else renders."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in (*LINK_SCHEMES, "data")


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.validateLink = _validate_link
    # smart quotes yes; "replacements" no: it turns "Article 1(c)" into "1©"
    md.enable(["table", "strikethrough", "smartquotes"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    return md


class MarkdownRenderer:
    """One parser per process; citation numbering comes from the caller's registry."""

    def __init__(self, cite: CiteFn | None = None) -> None:
        self._md = make_parser()
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
