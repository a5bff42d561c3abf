"""Problems are values: every stage collects them and the CLI prints them together.

An advocacy officer fixing a content file wants the whole list at once, each
with the file, the line and the field, the way a compiler reports errors; a
Python traceback tells them nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the format allows."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"

    def as_warning(self) -> str:
        """The same, marked as a warning where a compiler marks it:
        `file:line: warning: field: message`."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: warning: {what}"


class BriefgenError(Exception):
    """Raised once a stage has found problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BriefgenError], tuple[list[Problem]]]:
        """Picklable with its problems (a batch's worker process sends it to the parent)."""
        return (BriefgenError, (self.problems,))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def display_path(path: Path | str, root: Path | None = None) -> str:
    """Paths relative to the project read better in messages and keep outputs portable."""
    p = Path(path)
    if root is not None:
        # as written first (a symlink is shown where it is, not where it points)
        for candidate, base in ((Path(os.path.abspath(p)), Path(os.path.abspath(root))),
                                (p.resolve(), root.resolve())):
            try:
                return candidate.relative_to(base).as_posix()
            except ValueError:
                continue
    return p.as_posix()
