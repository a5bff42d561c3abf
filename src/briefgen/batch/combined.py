"""The print file: every letter of a batch in one PDF, ready for a duplex printer.

Each letter (and the handout behind it, in a pack) starts on an odd page, so no
sheet carries the end of one letter and the start of the next; a bookmark per
recipient lets whoever prints find and reprint one letter. Pages are copied
from the letters' own PDF files with pikepdf (qpdf): about 1 s for 612 letters,
where pure-Python merging took 9 s.

Memory stays flat however many letters there are: letters are opened from their
files, not read into memory (qpdf reads a page's streams from its source file only
while writing), in chunks of a few hundred so as not to hold thousands of files
open at once; each chunk is written to a temporary file and the chunks are then
joined the same way, straight into the print file's staging file.

The print file is tagged as the letters are (PDF/UA-1): their structure trees are
merged into one (tagged_merge.py), each letter one Part in its own language, the
inserted blank pages left without content; the file carries the title, language and
metadata a PDF/UA reader asks for. The merge costs about 1 s of CPU for 612 letters
(`bench/batch.py --print-file-from`) and doubles the join's memory (480 MB for the
1,000 letters of a print file's part). The letters' links to notes keep leading to
the notes: the named destinations are copied with the pages (pikepdf's
`add_pages_from`; `pages.extend` left them dangling and printed a PageCopyWarning
to the user), about 0.2 s more for 612 letters.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .tagged_merge import StructureMerge

CHUNK = 250  # letters joined per step: far below the usual limit of 1,024 open files


@dataclass(frozen=True)
class PrintItem:
    title: str  # the bookmark: "Ms Olena Sotnyk (Ukraine)"
    pdf: Path
    letter_pages: int  # the handout, if any, starts after these


def combined_pdf(items: list[PrintItem], title: str, lang: str, target: Path,
                 staging: Path) -> int:
    """Write the print file to `target` (through a temporary file in `staging`, renamed
    into place at the end); return its page count."""
    staging.mkdir(parents=True, exist_ok=True)
    bookmarks: list[tuple[str, int]] = []
    with ExitStack() as chunks:
        parts: list[tuple[Path, int]] = []
        for first in range(0, len(items), CHUNK):
            part = chunks.enter_context(_temporary(staging, target.name))
            start = sum(pages for _path, pages in parts)
            pages = _join_letters(items[first:first + CHUNK], part, start, bookmarks)
            parts.append((part, pages))
        with _temporary(staging, target.name) as whole:
            total = _join_parts([p for p, _ in parts], whole, title, lang, bookmarks)
            os.chmod(whole, 0o644)  # as every output (mkstemp makes it private)
            os.replace(whole, target)
    return total


def _join_letters(items: list[PrintItem], path: Path, start: int,
                  bookmarks: list[tuple[str, int]]) -> int:
    """One chunk: each letter (and handout) starting on an odd page."""
    import pikepdf

    out = pikepdf.new()
    tree = StructureMerge(out)
    with ExitStack() as sources:
        for item in items:
            source = sources.enter_context(pikepdf.open(item.pdf))
            bookmarks.append((item.title, start + len(out.pages)))
            count = len(source.pages)
            parts = [range(count)]
            if 0 < item.letter_pages < count:  # letter, then handout
                parts = [range(item.letter_pages), range(item.letter_pages, count)]
            for part in parts:
                _append(out, source, part)
                if len(out.pages) % 2:  # the next part starts on an odd page
                    box = out.pages[-1].mediabox
                    out.add_blank_page(page_size=(float(box[2]), float(box[3])))
            tree.add(source, item.title)
        tree.finish()
        out.save(path, **_save_options())
    return len(out.pages)


def _join_parts(parts: list[Path], path: Path, title: str, lang: str,
                bookmarks: list[tuple[str, int]]) -> int:
    import pikepdf

    out = pikepdf.new()
    tree = StructureMerge(out)
    with ExitStack() as sources:
        for part in parts:
            source = sources.enter_context(pikepdf.open(part))
            _append(out, source, range(len(source.pages)))
            tree.add(source)
        tree.finish()
        with out.open_outline() as outline:
            for name, page in bookmarks:
                outline.root.append(pikepdf.OutlineItem(name, page))
        _describe(out, title, lang)
        out.save(path, **_save_options())
    return len(out.pages)


def _describe(out: Any, title: str, lang: str) -> None:
    """What PDF/UA-1 asks of the document besides its tags: a title, shown by the
    viewer in place of the file name, in the Info and the XMP metadata (which also
    says which part of PDF/UA the file claims), and its language."""
    import pikepdf

    out.docinfo["/Title"] = title
    out.Root.Lang = pikepdf.String(lang)
    out.Root.PageMode = pikepdf.Name.UseOutlines  # open with the bookmarks showing
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    # not pikepdf as editor: it would stamp the time, and the file is reproducible
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = [lang]
        meta["pdfuaid:part"] = "1"


def _append(out: Any, source: Any, pages: range) -> None:
    """Copy pages with the named destinations their links lead to (a note call to its
    note), which pikepdf's `pages.extend` leaves behind, warning the user with a
    PageCopyWarning each time; the letters' own bookmarks are not carried (the print
    file has one per recipient). pikepdf before `add_pages_from` (10) neither carried
    them nor warned."""
    add_pages_from = getattr(out, "add_pages_from", None)
    if add_pages_from is None:
        out.pages.extend([source.pages[i] for i in pages])
        return
    add_pages_from(source, pages, layers="ignore", outlines="ignore")


def _save_options() -> dict[str, Any]:
    import pikepdf

    return {"deterministic_id": True, "compress_streams": True, "min_version": "1.7",
            "object_stream_mode": pikepdf.ObjectStreamMode.generate}


@contextmanager
def _temporary(folder: Path, name: str) -> Iterator[Path]:
    """A staging file named as output.py names them (.<name>.<random>.tmp), so that a
    killed run's leftovers are found and removed by the next one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
