"""Byte-identical .docx files: same content, same bytes.

python-docx stamps each zip member with the current time; rewriting the archive
with a fixed timestamp and member order means a changed file always means
changed content, which is what reviewers of a brief need to trust.
"""

from __future__ import annotations

import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_package(blob: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    names = source.namelist()
    # [Content_Types].xml first, as Word writes it; then a stable order.
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name))
    return out.getvalue()
