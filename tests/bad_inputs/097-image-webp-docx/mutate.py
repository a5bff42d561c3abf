"""A WebP picture in a case: WeasyPrint draws it, Word cannot embed it."""

import io
from pathlib import Path

from PIL import Image


def mutate(project: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "WEBP")
    (project / "content/red.webp").write_bytes(buffer.getvalue())
    (project / "content/cases/90-test-person.md").write_text(
        "---\nname: Test Person\nrole: journalist\nstatus: detained\n---\n"
        "A first paragraph.\n\n![A red square](content/red.webp)\n", "utf-8")
