"""Print build timings for the example project. Not a test: figures vary with the machine.

    python bench/bench_build.py [--runs N]

Prints
- the cold whole-process time of `briefgen build` (PDF + HTML), as a user sees it:
  a new Python process each run, imports included;
- the PDF render alone, in one process: the first render (CSS parsed, fonts set up)
  and the following ones (parsed CSS and font configuration reused);
- the HTML and DOCX writers alone (the DOCX step reuses the PDF's page layout for its
  table of contents, as a build of both formats does) and the content load + render;
- a pipeline session kept open (as a preview server keeps one): opening it, refreshing
  it with nothing changed, and refreshing it after one case file was saved.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example import copy_example


def _fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):.2f} s  min {min(values):.2f} s  "
            f"max {max(values):.2f} s  (n={len(values)})")


def whole_process(project: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "briefgen", "build", str(project), "--force"],
                       check=True, stdout=subprocess.DEVNULL)  # --force: not "up to date"
        times.append(time.perf_counter() - start)
    return times


def in_process(project: Path, runs: int) -> dict[str, list[float]]:
    from briefgen.pipeline import Pipeline

    out: dict[str, list[float]] = {"load+render": [], "pdf first": [], "pdf reused": [],
                                   "html": [], "docx": []}
    start = time.perf_counter()
    session = Pipeline.open(project)
    doc = session.render(session.template("brief"))
    out["load+render"].append(time.perf_counter() - start)
    for i in range(runs + 1):
        doc.layout = None  # lay the pages out again: a whole PDF render each time
        start = time.perf_counter()
        session.write("pdf", doc)
        out["pdf first" if i == 0 else "pdf reused"].append(time.perf_counter() - start)
    for _ in range(runs):
        start = time.perf_counter()
        session.write("html", doc)
        out["html"].append(time.perf_counter() - start)
    for _ in range(runs):  # page numbers for the Word TOC come from the PDF layout above
        start = time.perf_counter()
        session.write("docx", doc)
        out["docx"].append(time.perf_counter() - start)
    return out


def session_refresh(project: Path, runs: int) -> dict[str, list[float]]:
    import os

    from briefgen.pipeline import Pipeline

    out: dict[str, list[float]] = {"open": [], "refresh, none changed": [],
                                   "refresh, one case saved": []}
    for _ in range(runs):
        start = time.perf_counter()
        session = Pipeline.open(project)
        out["open"].append(time.perf_counter() - start)
    case = next(p for p in sorted((project / "content" / "cases").glob("*.md"))
                if "." not in p.stem)  # a case, not a translation (NAME.fr.md)
    for i in range(runs):
        start = time.perf_counter()
        session.refresh()
        out["refresh, none changed"].append(time.perf_counter() - start)
        os.utime(case, ns=(time.time_ns(), time.time_ns() + i + 1))  # a save
        start = time.perf_counter()
        reread = session.refresh()
        out["refresh, one case saved"].append(time.perf_counter() - start)
        assert len(reread) == 1, reread
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from weasyprint.text.ffi import harfbuzz_subset

    subsetting = "yes" if harfbuzz_subset else "NO (install libharfbuzz-subset0)"
    print(f"HarfBuzz subsetting: {subsetting}")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp))
        whole = whole_process(project, args.runs)
        pages = _pages(project / "build" / "brief.pdf")
        print(f"example: {pages} pages")
        print(f"cold `briefgen build` (PDF + HTML), whole process: {_fmt(whole)}")
        for name, values in in_process(project, args.runs).items():
            print(f"{name:>12}: {_fmt(values)}")
        print("pipeline session (content load and validation only):")
        for name, values in session_refresh(project, args.runs).items():
            ms = [v * 1000 for v in values]
            print(f"{name:>25}: median {statistics.median(ms):.1f} ms  min {min(ms):.1f} ms  "
                  f"max {max(ms):.1f} ms  (n={len(ms)})")


def _pages(pdf: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return -1
    return len(PdfReader(pdf).pages)


if __name__ == "__main__":
    main()
