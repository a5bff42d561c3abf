"""Numbered source notes, numbered in the order a reader meets them."""

from __future__ import annotations

from markupsafe import Markup

from ..content.model import Source
from . import contract


class NoteRegistry:
    """Hands out note numbers as the template renders citations, top to bottom.

    Because Jinja renders in document order, numbering on first use gives the
    reader 1, 2, 3 … down the page without a second pass.
    """

    def __init__(self, sources: list[Source], scope: str | None = None) -> None:
        self._sources = {s.id: s for s in sources}
        self._order: list[str] = []
        self.prefix = contract.note_prefix(scope)  # note-1, or note-<case>-1 on a case sheet

    def scope(self, name: str) -> NoteRegistry:
        """A separate numbering (1, 2, …) with its own anchors, e.g. per case sheet."""
        return NoteRegistry(list(self._sources.values()), scope=name)

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

    def notes(self, cited_only: bool = False) -> list[tuple[int, Source]]:
        """Every source (or only the cited ones): cited first in order, then the rest."""
        if not cited_only:
            for source_id in self._sources:
                self.number(source_id)
        return [(i + 1, self._sources[sid]) for i, sid in enumerate(self._order)]
