"""Print how the Word writer's time grows with the number of citations. Not a test:
figures vary with the machine.

    python bench/bench_docx_citations.py [--sizes 1000,2000,4000,8000] [--runs 1]

For each size N, one case of a copy of the example project gets a paragraph citing
[@odf-2019] N times ("Claim 1 [@odf-2019]. Claim 2 [@odf-2019]. ..."): N footnotes,
the first in the short form, the others "Ibid.". The project is loaded and rendered, and its
pages laid out (the Word table of contents takes its page numbers from that layout,
as a build of PDF and Word does) before the clock starts; the time printed is the
Word writer's alone. Linear growth shows as a steady time per citation.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from example import copy_example


def project_with_citations(target: Path, count: int) -> Path:
    root = copy_example(target)
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    claims = " ".join(f"Claim {i} [@odf-2019]." for i in range(count))
    case.write_text(case.read_text("utf-8") + "\n" + claims + "\n", "utf-8")
    return root


def measure(count: int, runs: int) -> tuple[list[float], int]:
    """Word writer times, and the footnotes written."""
    import io
    import zipfile

    from briefgen.pipeline import Pipeline
    from briefgen.render.paged import layout

    with tempfile.TemporaryDirectory() as tmp:
        session = Pipeline.open(project_with_citations(Path(tmp) / "p", count))
        doc = session.render(session.template("brief"))
        layout(doc)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            data = session.write("docx", doc)
            times.append(time.perf_counter() - start)
    notes = zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml")
    return times, notes.count(b"<w:footnote ") - 2  # less the two separators


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    measure(10, 1)  # imports and the reference document, outside the figures
    for count in (int(s) for s in args.sizes.split(",")):
        times, notes = measure(count, args.runs)
        best = min(times)
        print(f"{count:>6} citations: Word writer {statistics.median(times):6.2f} s "
              f"(min {best:.2f} s, {best / count * 1e6:6.0f} µs per citation), "
              f"{notes} footnotes")


if __name__ == "__main__":
    main()
