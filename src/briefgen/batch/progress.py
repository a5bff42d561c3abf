"""Progress of a batch: a bar on a terminal, one plain line per letter in a log."""

from __future__ import annotations

import sys
from typing import TextIO

import click
from click._termui_impl import ProgressBar

from .state import ManifestEntry


class Reporter:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.total = 0
        self.done = 0
        self._bar: ProgressBar[int] | None = None

    def planned(self, to_make: int, unchanged: int, skipped: int) -> None:
        self.total = to_make
        click.echo(f"{to_make} to make, {unchanged} unchanged, {skipped} skipped",
                   file=self.stream)
        if self.tty and to_make:
            self._bar = click.progressbar(length=to_make, file=self.stream, label="Making",
                                          show_pos=True, show_eta=True)
            self._bar.__enter__()

    def progress(self, entry: ManifestEntry, done: int, total: int) -> None:
        self.done = done
        if self._bar is not None:
            self._bar.update(1)
            return
        width = len(str(total))
        line = f"[{done:>{width}}/{total}] {entry.status} {entry.id}"
        if entry.message:
            line += f": {entry.message}"
        click.echo(line, file=self.stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
