"""The Markdown content is written in: CommonMark, tables, smart quotes and [@id] citations.

Syntax belongs to the content: the checks that run at load time (every citation
names a source, every image has alt text, links go only where they may) and
the renderer must read a text the same way, so both take their parser from
here. How a citation looks on the page is the renderer's business
(render/markdown.py); here it is only a token carrying the cited ids.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .citations import CITATION, split_ids

# Where a link in content may go (besides an #anchor in the document).
LINK_SCHEMES = ("http", "https", "mailto")


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


def allowed_target(url: str) -> bool:
    """Links: web, email, in-document anchors. Images: relative project paths (checked
    against the resource policy at load time) and data: URLs. Nothing else renders."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in (*LINK_SCHEMES, "data")


def allowed_link(href: str) -> bool:
    """What a reader may be sent to: the web, an email address or a place in the document."""
    return href.startswith("#") or urlsplit(href).scheme.lower() in LINK_SCHEMES


def make_parser(*, every_target: bool = False) -> MarkdownIt:
    """The content's Markdown parser.

    every_target: keep links and images whatever their target, for checks that
    report a disallowed one (the renderer leaves it out as plain text).
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.validateLink = (lambda url: True) if every_target else allowed_target  # type: ignore[method-assign]
    # smart quotes yes; "replacements" no: it turns "Article 1(c)" into "1©"
    md.enable(["table", "strikethrough", "smartquotes"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md
