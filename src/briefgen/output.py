"""The one place that writes files: atomically, and only after every output rendered.

A build renders all formats in memory first; only then is each file written to
a temporary name beside its target and renamed over it. A failure at any point
leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(outputs: dict[Path, bytes]) -> list[Path]:
    for path, data in outputs.items():
        atomic_write(path, data)
    return list(outputs)
