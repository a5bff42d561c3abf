"""Numbered source notes, numbered in the order a reader meets them."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..content.model import DEFAULT_LANGUAGE, Source
from ..i18n.typography import typographic
from . import contract


class NoteRegistry:
    """Hands out note numbers as the template renders citations, top to bottom.

    Because Jinja renders in document order, numbering on first use gives the
    reader 1, 2, 3 … down the page without a second pass.
    """

    def __init__(self, sources: list[Source], scope: str | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> None:
        self._sources = {s.id: s for s in sources}
        self.lang = lang  # the typography of the short forms (Markup: no finalize)
        self._order: list[str] = []
        self._short: dict[str, ShortForm] | None = None  # made when first asked for
        self.prefix = contract.note_prefix(scope)  # note-1, or note-<case>-1 on a case sheet

    def scope(self, name: str) -> NoteRegistry:
        """A separate numbering (1, 2, …) with its own anchors, e.g. per case sheet."""
        return NoteRegistry(list(self._sources.values()), scope=name, lang=self.lang)

    def number(self, source_id: str) -> int:
        if source_id not in self._sources:  # content is checked; a template may still ask
            raise ValueError(f"unknown source '{source_id}' in cite()")
        if source_id not in self._order:
            self._order.append(source_id)
        return self._order.index(source_id) + 1

    def cite(self, ids: list[str] | tuple[str, ...]) -> Markup:
        if not ids:
            return Markup("")
        numbers = sorted({self.number(i) for i in ids})
        links = ",".join(
            f'<a href="#{self.prefix}{n}" aria-label="note {n}">{n}</a>' for n in numbers)
        return Markup(f'<sup class="{contract.NOTE_CALL}">{links}</sup>')

    def note_short(self, source: Source) -> Markup:
        """The short form of a source (short_forms()) as a template puts it inside the
        source's note: hidden in the PDF and on the page, where the note itself is the
        full reference; a Word footnote citing the source again shows it."""
        if self._short is None:
            self._short = short_forms(list(self._sources.values()))
        form = self._short.get(source.id) or short_form(source)
        who = f"{escape(typographic(form.who, self.lang))}, " if form.who else ""
        title = escape(typographic(form.title, self.lang))
        return Markup(f'<span class="{contract.NOTE_SHORT}" hidden>{who}'
                      f"<cite>{title}</cite></span>")

    def notes(self, cited_only: bool = False) -> list[tuple[int, Source]]:
        """Every source (or only the cited ones): cited first in order, then the rest."""
        if not cited_only:
            for source_id in self._sources:
                self.number(source_id)
        return [(i + 1, self._sources[sid]) for i, sid in enumerate(self._order)]


# -- the short form of a repeated citation ----------------------------------------------

SHORT_FORM_LIMIT = 60  # characters of a short form, its closing full stop included
SHORT_TITLE_WORDS = 4  # "generally no more than four words" (Chicago Manual of Style)
MIN_SHORT_TITLE = 20  # a long publisher never leaves the title fewer characters
ELLIPSIS = "…"
# Words a cut title does not end on ("Sanctions in response…", not "…response to…").
_WEAK_ENDINGS = frozenset(
    "a an and as at be by for from in is of on or the to with "
    "à au aux dans de des du en et l’ l' la le les ou par pour sur un une".split())
_PAIRS = {"“": "”", "«": "»", "(": ")"}
_TRAILING = " ,;:–—-“«(‘"


@dataclass(frozen=True)
class ShortForm:
    """Who and what, as a repeated Word footnote names a source: "ODF, PACE Members…"."""

    who: str  # short_publisher, else publisher; may be empty
    title: str  # short_title, else the title, cut at a word with an ellipsis if too long

    @property
    def text(self) -> str:
        return f"{self.who}, {self.title}" if self.who else self.title


def short_form(source: Source, words: int = SHORT_TITLE_WORDS,
               limit: int = SHORT_FORM_LIMIT) -> ShortForm:
    """The short form of a source. The rule: the publisher's short name if the source
    gives one (`short_publisher:`), else the publisher; the source's `short_title:` if
    it has one, else its first `words` words, fewer if who, title, ellipsis and the
    closing full stop would not fit in `limit` characters (a long publisher still
    leaves the title MIN_SHORT_TITLE)."""
    who = source.short_publisher or source.publisher or ""
    if source.short_title:
        return ShortForm(who, source.short_title)
    room = limit - 1 - (len(who) + 2 if who else 0)  # 1: the closing full stop
    return ShortForm(who, cut_title(source.title, max(room, MIN_SHORT_TITLE), words))


def short_forms(sources: list[Source]) -> dict[str, ShortForm]:
    """The short form of each source (by id), told apart: sources whose cut titles
    would read the same keep a word more each until they differ (or cannot grow)."""
    by_id = {s.id: s for s in sources}
    words = dict.fromkeys(by_id, SHORT_TITLE_WORDS)
    forms = {i: short_form(s) for i, s in by_id.items()}
    while True:
        seen: dict[str, list[str]] = {}
        for i, form in forms.items():
            seen.setdefault(form.text, []).append(i)
        grown = False
        for i in (i for same in seen.values() if len(same) > 1 for i in same):
            words[i] += 1
            longer = short_form(by_id[i], words[i])
            grown = grown or longer != forms[i]
            forms[i] = longer
        if not grown:
            return forms


def cut_title(title: str, room: int, most: int = SHORT_TITLE_WORDS) -> str:
    """The title if it has at most `most` words and fits in `room` characters; else its
    longest beginning of at most `most` whole words that fits with an ellipsis (and the
    quotes or brackets it leaves open closed after it), not ending on a weak word such
    as "of" or "the"."""
    title = " ".join(title.split())
    words = title.split(" ")
    if len(words) <= most and len(title) <= room:
        return title
    for end in range(min(most, len(words) - 1), 0, -1):
        if words[end - 1].lower() in _WEAK_ENDINGS:
            continue
        cut = _ellipsis(" ".join(words[:end]))
        if len(cut) <= room:
            return cut
    return _ellipsis(title[: max(room - 2, 1)])  # one long first word: cut inside it


def _ellipsis(beginning: str) -> str:
    beginning = beginning.rstrip(_TRAILING)
    unclosed: list[str] = []
    for mark in beginning:
        if mark in _PAIRS:
            unclosed.append(_PAIRS[mark])
        elif unclosed and unclosed[-1] == mark:
            unclosed.pop()
    return beginning + ELLIPSIS + "".join(reversed(unclosed))
