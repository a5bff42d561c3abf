"""The one place that writes outputs: a run's files all at once, or not at all.

A build renders every format in memory first; only then are its files written.
Renaming several files is not one atomic step on POSIX (no file system offers
that), so this is what briefgen guarantees, and how:

- **One run per folder.** A run that writes to an output folder holds its lock,
  `.briefgen-state/lock` (flock; released by the kernel when the process ends,
  however it ends). A second build or batch on the same folder waits for it,
  saying so, rather than failing: it then finds the first one's work done.
- **Stage.** Every file is written to a temporary name in the folder's
  `.briefgen-state/` (`.<name>.<8 random characters>.tmp`) and flushed to disk.
  An error or Ctrl-C here removes them: the previous outputs are untouched.
- **Journal.** When every file is staged, a journal
  (`.briefgen-state/pending-<random>.journal`) lists each temporary file and
  the output it replaces, and is flushed to disk.
- **Switch.** The temporary files are renamed over their targets in a tight
  loop, with Ctrl-C and SIGTERM held until the loop has ended (then they take
  effect); the folder is flushed and the journal removed. A single file needs
  no journal: one rename is atomic.
- **Recovery.** A process killed in the switch (SIGKILL, a power cut) or a
  rename that fails half-way leaves the journal. The next run that takes the
  folder's lock — every build and batch does before it reads or writes the
  folder's state — finishes that switch from it (the staged files are complete:
  the journal is written only after them), then removes temporary files left
  by killed runs: only names of the pattern above, only regular files, only in
  the folder and its `.briefgen-state/`.

So after any interruption each set of files written together (a build's PDF,
HTML and Word file, its --split files; a letter's PDF and Word file) is either
all old or all new: at once for Ctrl-C and SIGTERM, and from the next build or
batch in that folder for a killed process or a failed rename. What a run cannot
write (a read-only folder, a full disk) is a Problem naming the folder, never a
traceback; if it happens before the switch, the previous outputs are untouched.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import FrameType

from .errors import BriefgenError, Problem

if sys.platform != "win32":
    import fcntl

STATE_DIR = ".briefgen-state"  # beside the outputs: stamps, the lock, staged files, journals
LOCK = "lock"
JOURNAL_PREFIX, JOURNAL_SUFFIX = "pending-", ".journal"
JOURNAL_FORMAT = 1
# How a staged file is named (as tempfile.mkstemp names them, which earlier versions used);
# nothing else is ever removed as a temporary file.
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_RANDOM = "abcdefghijklmnopqrstuvwxyz0123456789_"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # neither is on Windows
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_REASONS = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "read-only file system", errno.ENOSPC: "no space left on device",
            errno.EDQUOT: "disk quota exceeded"}

Waiting = Callable[[Path], None]  # told the folder when another run holds its lock


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped a run writing to `folder`; `written`: whether the
    run's new outputs were all in place by then (a signal that comes during the
    switch waits for it to end)."""

    def __init__(self, folder: Path, written: bool) -> None:
        super().__init__(folder, written)
        self.folder = folder
        self.written = written


# -- the folder: lock, recovery --------------------------------------------------------


@contextmanager
def locked(folder: Path, waiting: Waiting | None = None) -> Iterator[Path]:
    """Hold `folder`'s lock while a run writes there, creating the folder if need be.
    On entry, an interrupted switch is finished and stale temporary files removed."""
    _make_folders(folder)
    fd = _lock(folder, waiting)
    try:
        _tidy(folder)
        yield folder
    finally:
        os.close(fd)  # releases the lock


def tidy(folder: Path, waiting: Waiting | None = None) -> None:
    """What `locked` does on entry, for a run about to read the folder's state (a build
    checking whether it is up to date). Nothing if the folder has no state folder (no
    run of this version has written there: nothing to finish, and a build that then
    fails leaves nothing behind); a problem (e.g. a read-only folder) is left for the
    write, if any, to report."""
    if not (folder / STATE_DIR).is_dir():
        return
    try:
        with locked(folder, waiting):
            pass
    except BriefgenError:
        pass


def _make_folders(folder: Path) -> None:
    state = folder / STATE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if state.is_symlink():
            raise BriefgenError([Problem(str(state), None, None, "is a symbolic link; briefgen "
                                         "keeps its own state there and does not follow "
                                         "links: remove it")])
        state.mkdir(exist_ok=True)
    except FileExistsError as exc:
        raise BriefgenError([Problem(str(exc.filename or folder), None, None,
                                     "exists and is not a folder")]) from None
    except OSError as exc:
        raise _cannot_write(folder, exc) from None


def _lock(folder: Path, waiting: Waiting | None) -> int:
    path = folder / STATE_DIR / LOCK
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | _CLOEXEC | _NOFOLLOW, 0o644)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    if sys.platform == "win32":  # no flock: runs on one folder are not serialised
        return fd
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(folder)
            fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _tidy(folder: Path) -> None:
    """Finish every switch a killed run left half-done, then remove temporary files."""
    try:
        with _signals_held():
            _finish_switches(folder)
        _remove_temporary_files(folder)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None


def _finish_switches(folder: Path) -> None:
    for journal in sorted((folder / STATE_DIR).glob(f"{JOURNAL_PREFIX}*{JOURNAL_SUFFIX}")):
        if not _regular(journal):
            continue  # not ours
        renames = _read_journal(journal, folder)
        for tmp, target in renames:
            if _regular(tmp):  # else renamed before the interruption
                os.replace(tmp, target)
        _sync({target.parent for _, target in renames})
        journal.unlink()


def _remove_temporary_files(folder: Path) -> None:
    """Only names of _stage's pattern, only regular files (a link is not followed)."""
    for sub in (folder, folder / STATE_DIR):
        with os.scandir(sub) as entries:
            stale = [entry.path for entry in entries if TEMPORARY.fullmatch(entry.name)
                     and entry.is_file(follow_symlinks=False)]
        for path in stale:
            os.unlink(path)


def _read_journal(path: Path, folder: Path) -> list[tuple[Path, Path]]:
    """A journal's renames; none if it is not one of ours (a damaged or planted file:
    a project may ship anything in its build folder, so every name is checked)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return []
            data = json.loads(handle.read(1 << 20))
        if data["format"] != JOURNAL_FORMAT:
            return []
        renames = [(folder / tmp, folder / target) for tmp, target in data["files"]
                   if _staged_name(tmp) and _target_name(target)]
        if len(renames) != len(data["files"]):
            return []
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return renames


def _staged_name(value: object) -> bool:
    """A staged file, as a journal names it: in the state folder, named as _stage does."""
    if not isinstance(value, str):
        return False
    parts = PurePosixPath(value).parts
    return len(parts) == 2 and parts[0] == STATE_DIR and bool(TEMPORARY.fullmatch(parts[1]))


def _target_name(value: object) -> bool:
    """An output in the folder, or a stamp in its state folder; no hidden name, nothing
    elsewhere."""
    if not isinstance(value, str):
        return False
    parts = PurePosixPath(value).parts
    if not parts or parts[-1].startswith("."):
        return False
    return len(parts) == 1 or (len(parts) == 2 and parts[0] == STATE_DIR
                               and parts[1].endswith(".json"))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return False


# -- writing ---------------------------------------------------------------------------


def write_outputs(outputs: dict[Path, bytes], folder: Path) -> list[Path]:
    """Write files into `folder` (or its state folder, for stamps) all at once, while
    holding its lock (`locked`): stage every one, then switch them (see above).

    Raises BriefgenError naming the folder when it cannot be written (permissions, a
    read-only or full disk); Interrupted when Ctrl-C came during the switch (which
    was finished first)."""
    state = folder / STATE_DIR
    allowed = {os.path.abspath(folder), os.path.abspath(state)}
    for path in outputs:
        if os.path.abspath(path.parent) not in allowed:
            raise ValueError(f"{path} is not in {folder}")
    staged: list[tuple[Path, Path]] = []
    renamed: list[Path] = []  # the targets replaced so far
    try:
        for path, data in outputs.items():
            staged.append((_stage(path.name, data, state), path))
        _switch(folder, staged, renamed)
    except BaseException as exc:
        if not renamed:  # nothing replaced: as if the run had never started writing
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
        if isinstance(exc, KeyboardInterrupt) and staged and len(renamed) == len(staged):
            raise Interrupted(folder, written=True) from None  # a held Ctrl-C
        if isinstance(exc, OSError):
            raise _cannot_write(folder, exc, len(renamed), len(outputs)) from None
        raise
    return list(outputs)


def _stage(name: str, data: bytes, folder: Path) -> Path:
    """`data` in a new temporary file `.<name>.<random>.tmp` in `folder`, on disk."""
    tmp = _write_new(folder, f".{name}.", ".tmp", data)
    try:
        os.chmod(tmp, 0o644)  # as any file of the folder, whatever the umask
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write_new(folder: Path, prefix: str, suffix: str, data: bytes) -> Path:
    """A new file holding `data`, flushed to disk (removed again if that fails)."""
    fd, path = _new_file(folder, prefix, suffix)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _new_file(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """A file of a name no other has, `prefix` + 8 random characters + `suffix`, created
    and opened for writing (as tempfile.mkstemp, which costs the up-to-date build 2 ms
    to import)."""
    for _ in range(100):
        token = "".join(_RANDOM[byte % len(_RANDOM)] for byte in os.urandom(8))
        path = folder / f"{prefix}{token}{suffix}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _NOFOLLOW
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(folder))


def _switch(folder: Path, staged: list[tuple[Path, Path]], renamed: list[Path]) -> None:
    """Rename the staged files over their targets, Ctrl-C and SIGTERM held meanwhile;
    with more than one file, under a journal that lets the next run finish the job.
    `renamed` receives each target as it is replaced."""
    with _signals_held():
        if len(staged) <= 1:  # one rename is atomic: no journal
            for tmp, target in staged:
                os.replace(tmp, target)
                renamed.append(target)
            return
        journal = _write_journal(folder, staged)
        try:
            for tmp, target in staged:
                os.replace(tmp, target)
                renamed.append(target)
        except OSError:
            if not renamed:
                journal.unlink(missing_ok=True)  # nothing switched: nothing to finish
            raise
        _sync({target.parent for _, target in staged})
        journal.unlink()


def _write_journal(folder: Path, staged: list[tuple[Path, Path]]) -> Path:
    state = folder / STATE_DIR
    files = [[f"{STATE_DIR}/{tmp.name}", os.path.relpath(target, folder).replace(os.sep, "/")]
             for tmp, target in staged]
    data = json.dumps({"format": JOURNAL_FORMAT, "files": files}).encode()
    path = _write_new(state, JOURNAL_PREFIX, JOURNAL_SUFFIX, data)
    try:
        _sync([state])  # the journal is on disk before any output is replaced
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _sync(folders: Iterable[Path]) -> None:
    """Flush folders' entries (renames) to disk, where the system allows it."""
    if sys.platform == "win32":
        return
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        except OSError as exc:
            if exc.errno != errno.EINVAL:  # a file system without directory fsync
                raise
        finally:
            os.close(fd)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block has ended, then take effect as they
    would have (KeyboardInterrupt, the process ending, or nothing if ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are handled in the main thread only
        return
    caught: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    previous: dict[int, Callable[[int, FrameType | None], object] | int] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if handler is not None:  # None: set outside Python, cannot be put back
            previous[signum] = handler
            signal.signal(signum, hold)
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for number in dict.fromkeys(caught):  # once each, in the order they came
            signal.raise_signal(number)


def _cannot_write(folder: Path, exc: OSError, renamed: int = 0,
                  total: int = 0) -> BriefgenError:
    """The problem to report: the folder, why, and what state its files are in."""
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    if exc.errno not in _REASONS and exc.filename:
        reason += f" ({exc.filename})"
    if not renamed:
        state = "the files already in it are as they were"
    elif renamed < total:
        state = ("some outputs are new and some old: the next build or batch in this "
                 "folder completes the switch")
    else:
        state = "the new files are in place but may not be on disk yet"
    return BriefgenError([Problem(str(folder), None, None,
                                  f"cannot write to this folder: {reason}; {state}")])


def atomic_write(path: Path, data: bytes) -> None:
    """One file anywhere (a file the person running the command named): staged beside
    its target and renamed over it."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = _stage(path.name, data, folder)
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
