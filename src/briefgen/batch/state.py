"""What a batch has already made, so that a re-run makes only what is missing or changed.

Each finished letter leaves a small stamp in `.briefgen-state/` beside the
outputs, written after its files are in place: the fingerprint of everything
that went into it (briefgen's version, the content, templates and settings, the
recipient's row, the options) and the files with their sizes. A letter whose
stamp matches and whose files are all there is not made again. An interrupted
run (Ctrl-C, a crash, a power cut) therefore loses at most the letters that
were being written, and those never reach their final name half-written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..output import STATE_DIR, write_outputs
from ..resources import MissingResource, RefusedResource, read_local

# A spreadsheet reads a cell that starts with one of these as a formula (or, for a tab or
# a carriage return, may strip it and read what follows): =HYPERLINK(...) in a surname
# must stay text. OWASP's advice: prefix such a cell with a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MANIFEST_FIELDS = ("row", "id", "title", "given_name", "surname", "country", "group",
                   "language", "language_asked", "email", "status", "pdf", "docx", "html",
                   "pages", "message")


def hash_files(paths: Iterable[Path], root: Path,
               exclude: AbstractSet[Path] = frozenset()) -> str:
    """One digest over files (name and bytes), in a stable order; folders recursively.
    `exclude`: files or folders to leave out (the recipients file, the output folder)."""
    digest = hashlib.sha256(__version__.encode())
    files: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files.update(p for p in path.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts)
        elif path.is_file():
            files.add(path)
    for path in sorted(files):
        real = path.resolve()
        if any(real == e or real.is_relative_to(e) for e in exclude):
            continue
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@dataclass
class Stamp:
    fingerprint: str
    files: dict[str, int]  # file name → size in bytes
    pages: int = 0  # pages of the letter itself (without an appended handout)

    def matches(self, fingerprint: str, folder: Path) -> bool:
        if fingerprint != self.fingerprint:
            return False
        for name, size in self.files.items():
            path = folder / name
            if not path.is_file() or path.stat().st_size != size:
                return False
        return True


def read_stamp(folder: Path, stem: str) -> Stamp | None:
    path = folder / STATE_DIR / f"{stem}.json"
    try:  # through the one gate: a FIFO named like a stamp must not hang the batch
        data = json.loads(read_local(path, limit=1024 * 1024))
        return Stamp(data["fingerprint"], dict(data["files"]), int(data.get("pages", 0)))
    except (RefusedResource, MissingResource, ValueError, KeyError, TypeError):
        return None  # missing or damaged: the letter is made again


def write_stamp(folder: Path, stem: str, stamp: Stamp) -> None:
    data = json.dumps(asdict(stamp), sort_keys=True).encode()
    write_files({folder / STATE_DIR / f"{stem}.json": data}, folder)


def write_files(outputs: dict[Path, bytes], folder: Path) -> list[Path]:
    """output.write_outputs: staged in the state folder, not among the letters."""
    return write_outputs(outputs, folder)


def stamped_stems(folder: Path) -> set[str]:
    state = folder / STATE_DIR
    return {p.stem for p in state.glob("*.json")} if state.is_dir() else set()


def remove_outputs(folder: Path, stem: str) -> list[Path]:
    """Delete what an earlier run made under this stamp: the letters of a recipient no
    longer in the file, or a shared file (the print file) no longer made."""
    stamp = read_stamp(folder, stem)
    removed = []
    for name in stamp.files if stamp else ():
        path = folder / name
        if path.is_file() and path.parent == folder:
            path.unlink()
            removed.append(path)
    (folder / STATE_DIR / f"{stem}.json").unlink(missing_ok=True)
    return removed


@dataclass
class ManifestEntry:
    row: int
    id: str
    name: str
    language: str  # the letter's: the member's, or a fallback when the letter lacks theirs
    status: str  # built, unchanged, skipped, failed, interrupted
    files: dict[str, str] = field(default_factory=dict)  # format → file name
    pages: int = 0
    message: str = ""
    recipient: dict[str, object] = field(default_factory=dict)
    language_asked: str = ""  # the recipients file's language column

    @property
    def fell_back(self) -> bool:
        """A letter made in another language than the member's (the letter lacks it)."""
        return (self.status in ("built", "unchanged") and bool(self.language_asked)
                and self.language_asked != self.language)


def spreadsheet_text(value: object) -> str:
    """A manifest.csv cell: a cell a spreadsheet would read as a formula gets a leading
    single quote, which makes it text (manifest.json keeps the value as it is)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def manifest_bytes(entries: list[ManifestEntry], printed: list[str], template: str,
                   recipients: str) -> dict[str, bytes]:
    """manifest.json for scripts (e.g. a mail merge), exact; manifest.csv for spreadsheets,
    every cell safe to open (cells come from the recipients file and from messages
    that quote it)."""
    data = {
        "template": template,
        "recipients": recipients,
        "combined": printed[0] if printed else None,  # the print file (its first part)
        "print_files": printed,  # every part: one per 1,000 letters
        "counts": {status: sum(e.status == status for e in entries)
                   for status in ("built", "unchanged", "skipped", "failed", "interrupted")},
        "fallback_language": sum(e.fell_back for e in entries),  # letters not in theirs
        "letters": [asdict(e) for e in entries],
    }
    as_json = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode() + b"\n"
    buffer = io.StringIO()
    # every cell quoted: Python's csv would leave a carriage return in a cell unquoted
    # (the line ends are "\n"), and a spreadsheet would start a new row there
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, extrasaction="ignore",
                            lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for e in entries:
        row = {k: e.recipient.get(k, "") for k in MANIFEST_FIELDS}
        row.update(row=e.row, id=e.id, language=e.language,
                   language_asked=e.language_asked or e.language, status=e.status,
                   pages=e.pages or "", message=e.message,
                   **{fmt: e.files.get(fmt, "") for fmt in ("pdf", "docx", "html")})
        writer.writerow({k: spreadsheet_text(v) for k, v in row.items()})
    return {"manifest.json": as_json, "manifest.csv": buffer.getvalue().encode("utf-8-sig")}
