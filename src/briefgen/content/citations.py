"""The citation syntax shared by validation and rendering: [@id] or [@a; @b].

Pandoc users know this syntax; keeping its definition in one place means the
checker and the renderer can never disagree about what counts as a citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION = re.compile(r"\[(@[A-Za-z0-9][\w.-]*(?:\s*;\s*@[A-Za-z0-9][\w.-]*)*)\]")


def split_ids(group: str) -> list[str]:
    """'@a; @b' -> ['a', 'b']"""
    return [part.strip().lstrip("@") for part in group.split(";")]


def find_citations(text: str) -> Iterator[tuple[str, int]]:
    """Each cited id with its 0-based line within the text."""
    for match in CITATION.finditer(text):
        line = text.count("\n", 0, match.start())
        for source_id in split_ids(match.group(1)):
            yield source_id, line
