"""Which saves the preview reacts to, grouped so that one save is one re-render.

Editors do not save a file in one step: vim writes a probe file `4913` and a
backup `name~`, others write `.name.swp`, `.#name` or a temporary file that is
renamed over the original. watchfiles (Rust's notify underneath) collects the
events and yields them once the folder has been quiet for `step` milliseconds;
this module drops what is not an input of the brief (editor droppings, hidden
folders, the output folder, Python caches) so those never trigger a render.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import anyio

QUIET_MS = 20  # a burst of events ends after this much quiet; then it is one change
LONGEST_MS = 1000  # never wait longer than this to report a change, even in a stream
_SKIPPED_DIRS = {"__pycache__", "node_modules", "venv", "build-backup"}
_EDITOR_FILES = re.compile(r"""
    ^(?:4913                  # vim's probe for a writable folder
    |\.\#.*                   # emacs lock
    |\#.*\#                   # emacs autosave
    |\..*\.sw[a-p]            # vim swap
    |.*~                      # backups
    |.*\.(?:tmp|temp|part|crdownload|bak|orig)
    |\.~lock\..*\#            # LibreOffice lock
    |~\$.*                    # Word lock
    )$""", re.VERBOSE)


class ProjectFilter:
    """True for a path whose change may change what the preview shows."""

    def __init__(self, roots: Iterable[Path], ignored: Iterable[Path] = ()) -> None:
        self.roots = [r.resolve() for r in roots]
        self.ignored = [i.resolve() for i in ignored]

    def __call__(self, _change: object, path: str) -> bool:
        target = Path(path)
        if _EDITOR_FILES.match(target.name):
            return False
        if any(target == i or target.is_relative_to(i) for i in self.ignored):
            return False
        for root in self.roots:
            if target.is_relative_to(root):
                inside = target.relative_to(root).parts
                return not any(p.startswith(".") or p in _SKIPPED_DIRS for p in inside)
        return False


async def changes(roots: Iterable[Path], ignored: Iterable[Path] = (), *,
                  stop: anyio.Event | None = None, quiet_ms: int = QUIET_MS,
                  longest_ms: int = LONGEST_MS) -> AsyncIterator[set[Path]]:
    """Each burst of relevant saves under `roots`, as one set of paths."""
    from watchfiles import awatch

    roots = [r.resolve() for r in roots if r.is_dir()]
    keep = ProjectFilter(roots, ignored)
    async for batch in awatch(*roots, watch_filter=keep, stop_event=stop,
                              step=quiet_ms, debounce=longest_ms, recursive=True):
        paths = {Path(p) for _change, p in batch}
        if paths:
            yield paths
