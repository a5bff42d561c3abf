"""Which files and addresses a build may read: the project, briefgen's own assets, data: URLs.

Content comes from coalition partners and volunteers and templates from
designers; a pasted `<img src="file:///etc/passwd">` or a stylesheet pointing at
a web server must not pull a file of this machine, or a tracking request, into
a brief. Every resource any stage reads (content images, stylesheet fonts, a
template's images) is checked here, the way Pandoc's --sandbox does it. The
network and other folders are reachable only when the project or the command
line allows them explicitly.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BriefgenError, Problem, display_path


class RefusedResource(ValueError):
    """A resource outside what the policy allows; the message says why and what to do."""


class OversizedResource(RefusedResource):
    """A file over the size limit of its kind."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"it is larger than {_size(limit)}, the limit for such files")
        self.size, self.limit = size, limit


class MissingResource(LookupError):
    """An allowed local file that does not exist."""

    def __init__(self, path: Path, project_root: Path) -> None:
        shown = display_path(path, project_root)
        kind = "image" if path.suffix.lower() in IMAGE_SUFFIXES else "file"
        super().__init__(f"{kind} '{shown}' not found (looked for {shown})")
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])


# What one resource a build reads may weigh: fonts and photos are a few MB at most.
MAX_RESOURCE_BYTES = 50 * 1024 * 1024


def read_local(path: Path, *, limit: int, within: Sequence[Path] = ()) -> bytes:
    """The one way briefgen opens a file of a project: with symlinks followed, it must
    lie inside one of `within` (when given) and be a regular file — not a FIFO that
    blocks, not /dev/zero that never ends — and it is read only up to `limit` bytes
    (a size from stat() says nothing for special files). Raises RefusedResource or
    MissingResource; the message never quotes the file."""
    real = path.resolve()
    if within and not any(real.is_relative_to(root.resolve()) for root in within):
        raise RefusedResource("it leads outside the project folder (a symbolic link?); "
                              "put the file itself in the project")
    try:
        info = os.stat(real)
    except OSError:
        raise MissingResource(path, within[0] if within else path.parent) from None
    if not stat.S_ISREG(info.st_mode):
        raise RefusedResource("it is not a regular file")
    try:
        with open(real, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise RefusedResource(f"it cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise OversizedResource(max(info.st_size, len(data)), limit)
    return data


def utf8_text(data: bytes, shown: str, kind: str = "stylesheet") -> str:
    """A text file's bytes as text (a BOM allowed); not UTF-8 is a problem at its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BriefgenError([Problem(shown, line, None, f"{kind} is not UTF-8 text; save "
                                     "it as UTF-8")]) from None


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff")


@dataclass(frozen=True)
class ResourcePolicy:
    project_root: Path
    trusted_roots: tuple[Path, ...] = ()  # briefgen's own templates and fonts
    allowed_paths: tuple[Path, ...] = ()  # extra folders the project allows
    allow_network: bool = False

    def roots(self) -> tuple[Path, ...]:
        return (self.project_root, *self.trusted_roots, *self.allowed_paths)

    def inside(self, path: Path) -> bool:
        """True when path, with symlinks resolved, lies inside an allowed folder."""
        real = path.resolve()
        return any(real.is_relative_to(root.resolve()) for root in self.roots())

    def read(self, path: Path, limit: int = MAX_RESOURCE_BYTES) -> bytes:
        """The bytes of a local file this policy allows (see read_local)."""
        return read_local(path, limit=limit, within=self.roots())

    def _check_url(self, url: str) -> str:
        """Return the URL if it may be fetched; raise RefusedResource otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return url
        if scheme in ("http", "https"):
            if self.allow_network:
                return url
            raise RefusedResource(
                f"'{_short(url)}' is on the network; briefgen reads no web address unless "
                "allowed (build --allow-network, or allow_network: true in briefgen.yaml "
                "with --trust-project)")
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path))
            if self.inside(path):
                return url
            raise RefusedResource(
                f"'{_short(url)}' is outside the project; put the file in the project "
                "folder, or list its folder under allow_paths in briefgen.yaml and run "
                "with --trust-project")
        raise RefusedResource(f"'{_short(url)}' uses the scheme '{scheme}:', which briefgen "
                              "does not read (only project files and data: URLs)")

    def _resolve(self, src: str, base: Path) -> Path | str:
        """A reference written in content or templates → a checked local path or URL."""
        if urlsplit(src).scheme:
            return self._check_url(src)
        if src.startswith("/") or src.startswith("\\"):
            raise RefusedResource(f"'{src}' is an absolute path; write it relative to the "
                                  "project folder")
        path = base / unquote(src)
        if not self.inside(path):
            raise RefusedResource(f"'{src}' leads outside the project folder")
        return path

    def locate(self, ref: str, base: Path) -> Path | str:
        """What a reader of `ref` should open: an existing local file inside the allowed
        folders, or a URL it may read as it is (data:, or a web address the project
        allows). The one place every stage (layout, HTML inlining, Word images) asks.

        Raises RefusedResource when the policy forbids it, MissingResource when an
        allowed local file is not there.
        """
        target = self._resolve(ref, base)
        if isinstance(target, str):
            if urlsplit(target).scheme.lower() != "file":
                return target
            target = Path(unquote(urlsplit(target).path))
        if not target.is_file():
            raise MissingResource(target, self.project_root)
        return target


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def resource_problem(where: str, exc: RefusedResource | MissingResource,
                     line: int | None = None) -> BriefgenError:
    """A refused or missing resource as the problem a user reads (at `line` of `where`
    when known)."""
    if isinstance(exc, MissingResource):
        return BriefgenError([Problem(where, line, None, str(exc))])
    return BriefgenError([Problem(where, line, None, f"resource refused: {exc}")])


def decode_data_url(url: str) -> tuple[bytes, str]:
    """The bytes and media type of a data: URL."""
    header, _, payload = url.partition(",")
    data = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
    return data, header[5:].split(";")[0]
