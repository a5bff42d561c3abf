"""Edits a bad-input case's mutate.py makes to its copy of the example project."""

from __future__ import annotations

from pathlib import Path


def patch(project: Path, rel: str, old: str, new: str) -> None:
    """Replace text that occurs exactly once, so a case fails loudly when the example
    changes under it instead of silently testing nothing."""
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
    path.write_text(text.replace(old, new), "utf-8")
