"""The one place that writes files: atomically, and only after every output rendered.

A build renders all formats in memory first; only then is each file written to
a temporary name beside its target and renamed over it. A failure at any point
leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _stage(path: Path, data: bytes) -> Path:
    """Write data to a temporary file beside path; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def write_outputs(outputs: dict[Path, bytes]) -> list[Path]:
    """Stage every file first, then rename them all: the slow part (writing) happens
    before any old output is touched, so an error or Ctrl-C while writing leaves the
    previous build as it was, and never a partial file."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            staged[path] = _stage(path, data)
        for path, tmp in list(staged.items()):
            os.replace(tmp, path)
            del staged[path]
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return list(outputs)
