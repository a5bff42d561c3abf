"""The one place that writes files: atomically, and only after every output rendered.

A build renders all formats in memory first; only then is each file written to
a temporary name beside its target and renamed over it. A failure at any point
leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _stage(path: Path, data: bytes, staging: Path | None = None) -> Path:
    """Write data to a temporary file beside path (or in `staging`, a folder on the same
    file system); the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = staging or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    write_outputs({path: data})


def write_outputs(outputs: dict[Path, bytes], staging: Path | None = None) -> list[Path]:
    """Stage every file first, then rename them all: the slow part (writing) happens
    before any old output is touched, so an error or Ctrl-C while writing leaves the
    previous build as it was, and never a partial file.

    staging: where the temporary files go, if not beside their targets; a batch
    keeps them in its hidden state folder, so that even a killed run leaves
    nothing partial among the files people open, zip or mail."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            staged[path] = _stage(path, data, staging)
        for path, tmp in list(staged.items()):
            os.replace(tmp, path)
            del staged[path]
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return list(outputs)
