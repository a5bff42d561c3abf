"""The Word file laid out by LibreOffice: how many pages, and on which page each text is.

Word lays a .docx out itself, when it opens it; briefgen cannot ask Word. LibreOffice
(`soffice --headless --convert-to pdf`) lays it out much as Word does, so when it is
installed it is the measuring stick: the Word writer reads the page of each heading
from its layout to fill the table of contents (convert.py), and the benchmark and
tests compare the number of pages with the PDF's.

The .docx names the shipped Noto fonts; when fontconfig does not know them, LibreOffice
would lay the text out in a substitute of other widths. The conversion then runs with a
private fontconfig file that adds the shipped fonts' folder to the system's
configuration (FONTCONFIG_FILE, for the soffice process only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ...assets import builtin_root

FONTS = builtin_root() / "_shared" / "fonts"
TIMEOUT = 180  # seconds for one conversion run
SOFFICE_ENV = "BRIEFGEN_SOFFICE"  # "0": never use LibreOffice; a path: that soffice


def installed() -> str | None:
    """The soffice program (BRIEFGEN_SOFFICE may name it), or None."""
    chosen = os.environ.get(SOFFICE_ENV, "")
    return shutil.which(chosen if chosen not in ("", "0") else "soffice")


def soffice() -> str | None:
    """The soffice program the Word writer may use to measure pages: None when
    LibreOffice is not installed or BRIEFGEN_SOFFICE=0 turns the measurement off."""
    return None if os.environ.get(SOFFICE_ENV) == "0" else installed()


def _fonts_known() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True,
                                timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Noto Serif" in listed and "Noto Sans" in listed


def _font_env(folder: Path) -> tuple[dict[str, str], str]:
    """The environment for soffice, and a sentence on which fonts it lays out with."""
    env = dict(os.environ)
    if _fonts_known():
        return env, "fonts: Noto Serif and Noto Sans as installed on the system"
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n", "utf-8")
    env["FONTCONFIG_FILE"] = str(conf)
    return env, (f"fonts: the shipped Noto fonts ({FONTS}) through a private fontconfig "
                 "file (they are not installed system-wide)")


# LibreOffice's PDF export, with each Word bookmark as a named destination in the PDF
PDF_WITH_BOOKMARKS = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
                      '{"type":"boolean","value":"true"}}')


def bookmark_pages(docx: bytes) -> dict[str, int]:
    """The page on which each bookmark of a .docx starts, as LibreOffice lays it out;
    {} when LibreOffice is not installed or cannot convert it."""
    if soffice() is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="briefgen-pages-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        converted, _ = convert([source], Path(tmp) / "out", PDF_WITH_BOOKMARKS)
        if source not in converted:
            return {}
        return destination_pages(converted[source])


def destination_pages(pdf: Path) -> dict[str, int]:
    """{bookmark: 1-based page} from a PDF's named destinations. LibreOffice writes a
    '_' in a name as '#5F'; some readers keep the '5F'."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(pdf)
        pages: dict[str, int] = {}
        for name, destination in reader.named_destinations.items():
            number = reader.get_destination_page_number(destination)
            if number is None:
                continue
            page = number + 1
            for form in {name.lstrip("/"), name.lstrip("/").replace("#5F", "_"),
                         name.lstrip("/").replace("5F", "_")}:
                pages.setdefault(form, page)
        return pages
    except (PyPdfError, ValueError, KeyError, OSError):
        return {}


def convert(documents: Sequence[Path], out_dir: Path, target: str = "pdf"
            ) -> tuple[dict[Path, Path], str]:
    """Each .docx laid out by LibreOffice as a PDF in out_dir: {docx: pdf} (a document
    LibreOffice could not convert is left out), and a sentence on the fonts used.
    Documents with the same file name are converted in separate runs."""
    program = installed()
    if program is None:
        return {}, "LibreOffice (soffice) is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    converted: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="briefgen-lo-") as tmp:
        folder = Path(tmp)
        env, note = _font_env(folder)
        batches: list[list[Path]] = []
        for doc in documents:  # one soffice run per batch of distinct names
            free = next((b for b in batches if doc.name not in {d.name for d in b}), None)
            if free is None:
                batches.append([doc])
            else:
                free.append(doc)
        for i, batch in enumerate(batches):
            where = out_dir / str(i) if len(batches) > 1 else out_dir
            try:
                subprocess.run([program, "--headless", "--norestore",
                                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                                "--convert-to", target, "--outdir", str(where),
                                *map(str, batch)],
                               env=env, capture_output=True, timeout=TIMEOUT, check=False)
            except (OSError, subprocess.SubprocessError):
                continue
            for doc in batch:
                pdf = where / (doc.stem + ".pdf")
                if pdf.is_file() and pdf.stat().st_size:
                    converted[doc] = pdf
    return converted, note


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)
