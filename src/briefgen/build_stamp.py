"""Whether `briefgen build` has anything to do: a stamp of the last build of each variant.

A successful build leaves `.briefgen-state/build-<key>.json` beside its outputs
(the batch keeps its letters' stamps in the same folder), written after the
outputs are in place, under the folder's lock (output.py). The key names the
variant — the project, the output folder and every option that changes what is
made (template, formats, language, paper, --split, --allow-network) — and the
stamp holds:

- what the outputs were made with: briefgen's version, Python's and the
  installed packages' (WeasyPrint, python-docx… by the names of their
  .dist-info folders), SOURCE_DATE_EPOCH and today's date (a letter prints it);
- the inputs, listed conservatively rather than as the build read them: every
  file in the project folder but the output folder and hidden, cache and
  virtual-environment folders; every file of the briefgen package (built-in
  templates, fonts, label catalogs and the code itself, which an editable
  install lets change); every folder under `allow_paths`. Each with its size,
  modification time and SHA-256;
- the outputs with their sizes and modification times, and the warnings and
  notes the build printed, so that a run that finds nothing to do prints them
  again.

A build is up to date when all of that still holds: the same files, each with
its size and modification time, or, when only the time differs (a `touch`, a
checkout), the same bytes. Anything unreadable or unexpected — a damaged stamp,
a settings file this quick reading does not understand, a project that allows
the network (a web address can change with no file changing) — means "not up
to date", and the full build, which reports problems properly, runs.

This module is on the path of every `briefgen build`, so it imports only the
standard library, yaml and light briefgen modules: an up-to-date build never
loads pydantic, Jinja or WeasyPrint.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml

from . import __version__, clock
from .errors import BriefgenError, Problem
from .output import STATE_DIR, write_outputs
from .resources import MissingResource, RefusedResource, read_local

CONFIG_NAME = "briefgen.yaml"  # project.CONFIG_NAME, without importing pydantic
STAMP_FORMAT = 1
STAMP_BYTES = 64 * 1024 * 1024  # a stamp lists every input: ~150 bytes each
SKIPPED_FOLDERS = frozenset({"__pycache__", "venv", "node_modules"})  # and hidden ones
# A file modified this close to the listing may be modified again within the file
# system's timestamp resolution without its time changing: its time is not trusted.
RACY_NS = 2_000_000_000

FileState = list[Any]  # [size, mtime_ns (-1: not trusted), sha256 (None: unreadable)]


@dataclass(frozen=True)
class Variant:
    """What one build makes and where: the stamp's key and its file."""

    project_dir: Path
    out_dir: Path  # as the build names its outputs (relative if --out was)
    settings: dict[str, Any]  # every option that changes the outputs
    roots: tuple[Path, ...]  # the folders whose files are the inputs
    excluded: Path  # the output folder, resolved

    @property
    def stamp_path(self) -> Path:
        key = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode())
        return self.out_dir / STATE_DIR / f"build-{key.hexdigest()[:32]}.json"


@dataclass(frozen=True)
class Recorded:
    """What an up-to-date build returns: the last build's outputs, warnings and notes."""

    outputs: list[Path]
    warnings: list[Problem]
    notes: list[str]


@dataclass(frozen=True)
class Snapshot:
    """The inputs as a build is about to read them, to stamp once it has succeeded."""

    variant: Variant
    environment: dict[str, Any]
    inputs: dict[str, FileState | None]


def variant(project_dir: Path, out_dir: Path | None, options: dict[str, Any]) -> Variant | None:
    """The variant a build with these options makes, or None when it cannot be stamped
    (settings this module cannot read, the network allowed, the outputs among the inputs)."""
    root = project_dir.resolve()
    config = _config(root)
    if config is None or config.get("allow_network") or options.get("allow_network"):
        return None
    output, allow_paths = config.get("output", "build"), config.get("allow_paths") or []
    if not isinstance(output, str) or not _strings(allow_paths):
        return None
    shown = out_dir if out_dir is not None else root / output
    try:
        excluded = shown.resolve()
    except RuntimeError:  # a symbolic link loop: the full build reports it
        return None
    if out_dir is None and excluded != root and not excluded.is_relative_to(root):
        return None  # a link out of the project: the full build refuses it (project.py)
    package = Path(__file__).resolve().parent
    roots = (root, package, *((root / p).resolve() for p in allow_paths))
    if any(r == excluded or r.is_relative_to(excluded) for r in roots):
        return None  # the output folder holds inputs: nothing could be left out
    # as the stamp will hold it (JSON has no tuples), to compare with what it holds
    settings = json.loads(json.dumps({"project": str(root), "out_dir": str(excluded),
                                      **options}))
    return Variant(project_dir, shown, settings, roots, excluded)


def recorded_build(variant: Variant) -> Recorded | None:
    """The last build of this variant, if nothing it depends on has changed since."""
    stamp = _read(variant.stamp_path)
    if stamp is None or stamp.get("settings") != variant.settings:
        return None
    try:
        if stamp["environment"] != environment():
            return None
        outputs = [_output(variant.out_dir, entry) for entry in stamp["outputs"]]
        if None in outputs or not _inputs_unchanged(variant, stamp["inputs"]):
            return None
        warnings = [Problem(str(f), _line(line), None if w is None else str(w), str(m))
                    for f, line, w, m in stamp["warnings"]]
        notes = [str(note) for note in stamp["notes"]]
    except (KeyError, TypeError, ValueError):
        return None  # damaged: build again
    return Recorded([p for p in outputs if p is not None], warnings, notes)


def snapshot(variant: Variant) -> Snapshot:
    """List the inputs (hashing each) before the build reads them: a file saved during
    the build then differs from what the stamp says, and the next build runs again."""
    started = time.time_ns()
    inputs: dict[str, FileState | None] = {}
    for path in _listing(variant):
        inputs[path] = _state(path, started)
    return Snapshot(variant, environment(), inputs)


def record(snapshot: Snapshot, outputs: Sequence[Path], warnings: Iterable[Problem],
           notes: Iterable[str]) -> bool:
    """Write the stamp of a successful build; False if it could not be (then no stamp
    of this variant is left: the next build runs in full)."""
    variant = snapshot.variant
    entries = []
    for path in outputs:
        try:
            if path.parent.resolve() != variant.excluded:
                raise OSError(f"{path} is not in {variant.excluded}")
            stat = path.stat()
        except OSError:
            return _forget(variant)
        entries.append([path.name, stat.st_size, stat.st_mtime_ns])
    stamp = {
        "format": STAMP_FORMAT,
        "settings": variant.settings,
        "environment": snapshot.environment,
        "outputs": entries,
        "warnings": [[w.file, w.line, w.field, w.message] for w in warnings],
        "notes": list(notes),
        "inputs": snapshot.inputs,
    }
    data = json.dumps(stamp, ensure_ascii=False, indent=0, sort_keys=True).encode()
    try:
        write_outputs({variant.stamp_path: data}, variant.out_dir)
    except BriefgenError:
        return _forget(variant)
    return True


def _forget(variant: Variant) -> bool:
    """Remove the variant's stamp (an older build's); False, for record()."""
    try:
        variant.stamp_path.unlink(missing_ok=True)
    except OSError:
        pass  # its outputs' recorded times no longer match anyway
    return False


def environment() -> dict[str, Any]:
    """What outputs are made with besides the files: versions, the build's date."""
    epoch = clock.source_date_epoch()
    return {
        "briefgen": __version__,
        "python": sys.version,
        "packages": _installed_packages(),
        "source_date_epoch": None if epoch is None else epoch.isoformat(),
        "today": clock.today().isoformat(),
    }


# -- reading ---------------------------------------------------------------------------


def _config(root: Path) -> dict[str, Any] | None:
    """briefgen.yaml as plain data ({} when there is none); None when unreadable."""
    path = root / CONFIG_NAME
    if not path.exists():
        return {} if root.is_dir() else None
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _read(path: Path) -> dict[str, Any] | None:
    """A stamp, or None. Through the one gate: the state folder travels with a project
    too, and a FIFO named like a stamp would otherwise hang every build."""
    try:
        data = json.loads(read_local(path, limit=STAMP_BYTES))
    except (RefusedResource, MissingResource, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != STAMP_FORMAT:
        return None
    return data


def _line(value: Any) -> int | None:
    return None if value is None else int(value)


def _output(out_dir: Path, entry: list[Any]) -> Path | None:
    """The output as the build names it, if it is still as the build left it."""
    name, size, mtime_ns = entry
    if not isinstance(name, str) or "/" in name or name in ("", ".", ".."):
        return None
    path = out_dir / name
    try:
        stat = path.stat()
    except OSError:
        return None
    return path if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns) else None


def _installed_packages() -> list[str]:
    """The installed distributions with their versions (`WeasyPrint-62.3.dist-info`),
    from the names in sys.path's folders: importlib.metadata would cost 0.1 s."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


# -- the inputs ------------------------------------------------------------------------


def _listing(variant: Variant) -> Iterator[str]:
    """Every input file's path: each root walked without following folder links (the
    resource policy lets a build read only inside these roots anyway)."""
    excluded = str(variant.excluded)
    seen: set[str] = set()
    for root in variant.roots:
        if root.is_file() and str(root) not in seen:  # allow_paths may name a file
            seen.add(str(root))
            yield str(root)
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and d not in SKIPPED_FOLDERS
                             and os.path.join(folder, d) != excluded)
            for name in sorted(files):
                path = os.path.join(folder, name)
                if path not in seen:
                    seen.add(path)
                    yield path


def _state(path: str, started: int) -> FileState | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None  # e.g. a link to nothing: recorded as such
    racy = stat.st_mtime_ns >= started - RACY_NS and S_ISREG(stat.st_mode)
    mtime = -1 if racy else stat.st_mtime_ns  # not a regular file: its time is all we have
    return [stat.st_size, mtime, _sha256(path, stat)]


def _sha256(path: str, stat: os.stat_result) -> str | None:
    """The digest of a regular file, read in blocks. Anything else a hostile project
    may hold under an input's name (a FIFO, a link to /dev/zero) is never opened: it
    would block or never end. None: not hashed, so only its size and time count."""
    if not S_ISREG(stat.st_mode):
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _inputs_unchanged(variant: Variant, recorded: dict[str, Any]) -> bool:
    count = 0
    for path in _listing(variant):
        count += 1
        if path not in recorded or not _unchanged(path, recorded[path]):
            return False
    return count == len(recorded)


def _unchanged(path: str, recorded: FileState | None) -> bool:
    try:
        stat = os.stat(path)
    except OSError:
        return recorded is None
    if recorded is None:
        return False
    size, mtime_ns, digest = recorded
    if stat.st_size != size:
        return False
    if stat.st_mtime_ns == mtime_ns:
        return True
    return digest is not None and _sha256(path, stat) == digest  # touched: compare bytes
