"""Print how many Word footnotes each template of the example writes, and how much text
they hold. Not a test; the figures depend only on the content and the writer.

    python bench/bench_footnotes.py [--templates brief,handout,case-sheet,dossier]

Each template is built as .docx from a copy of the example project (all the cases in
one file, as `briefgen build` writes without --split). Counted from word/footnotes.xml:
the footnotes less Word's two separators, the characters of their text (every w:t,
the number mark excepted: it is a field, not text), the longest one and how many
footnotes repeat one seen before word for word.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from example import copy_example
from lxml import etree

TEMPLATES = ("brief", "handout", "case-sheet", "dossier")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def footnote_texts(docx: bytes) -> list[str]:
    """The text of each footnote of a .docx, in order; separators left out."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/footnotes.xml"))
    return ["".join(t.text or "" for t in note.iter(f"{W}t"))
            for note in root.iter(f"{W}footnote") if note.get(f"{W}type") is None]


def build(template: str) -> bytes:
    from briefgen.pipeline import Pipeline
    from briefgen.render.paged import layout

    with tempfile.TemporaryDirectory() as tmp:
        session = Pipeline.open(copy_example(Path(tmp) / "p"))
        doc = session.render(session.template(template))
        layout(doc)  # as a build of PDF and Word does: the TOC takes its page numbers
        return session.write("docx", doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", default=",".join(TEMPLATES))
    args = parser.parse_args()
    print(f"{'template':<12}{'footnotes':>10}{'characters':>12}{'longest':>9}{'repeats':>9}")
    for template in args.templates.split(","):
        texts = footnote_texts(build(template))
        repeats = sum(n - 1 for n in Counter(texts).values())
        print(f"{template:<12}{len(texts):>10}{sum(map(len, texts)):>12}"
              f"{max(map(len, texts), default=0):>9}{repeats:>9}")


if __name__ == "__main__":
    main()
