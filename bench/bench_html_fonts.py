"""Print what subsetting the web page's fonts saves and costs. Not a test: figures vary
with the machine.

    python bench/bench_html_fonts.py [--runs N]

For every whole-document template in English and French, and for the case sheets
one page each (`--split`), prints the HTML page's size with the fonts whole (as
before issue 15) and subset (writers/webfonts.py), and the time the HTML writer
takes for the page either way: the difference is what subsetting adds to a build.
Subsets are made again on each run (their cache is cleared), as in a new build.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from example import copy_example

from briefgen.build import BuildRequest, build
from briefgen.pipeline import Pipeline
from briefgen.writers import webfonts

TEMPLATES = ("brief", "handout", "case-sheet", "dossier")


@contextmanager
def whole_fonts() -> Iterator[None]:
    """The writer as it was: every font inlined whole."""
    subset = webfonts.font_data_uri

    def whole(path: Path, data: bytes, characters: frozenset[str]) -> str:
        mime = webfonts._WHOLE_MIME[path.suffix.lower()]  # noqa: SLF001
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    webfonts.font_data_uri = whole  # type: ignore[assignment]
    try:
        yield
    finally:
        webfonts.font_data_uri = subset  # type: ignore[assignment]


def timed(write: Callable[[], bytes], runs: int) -> tuple[int, float]:
    """(size in bytes, median seconds) of a page written `runs` times."""
    times, size = [], 0
    for _ in range(runs):
        webfonts.subset_font.cache_clear()
        start = time.perf_counter()
        size = len(write())
        times.append(time.perf_counter() - start)
    return size, statistics.median(times)


def pages(project: Path, runs: int) -> None:
    session = Pipeline.open(project)
    print(f"{'page':<16}{'whole':>10}{'subset':>10}{'writer whole':>14}{'subset':>9}"
          f"{'added':>8}")
    for name in TEMPLATES:
        spec = session.template(name)
        for lang in ("en", "fr"):
            doc = session.render(spec, session.options(lang=lang))
            with whole_fonts():
                before, slow = timed(lambda d=doc: session.write("html", d), runs)
            after, fast = timed(lambda d=doc: session.write("html", d), runs)
            print(f"{name + '.' + lang:<16}{before / 1024:>8.0f}kB{after / 1024:>8.0f}kB"
                  f"{slow:>12.2f} s{fast:>7.2f} s{fast - slow:>6.2f} s")


def split(project: Path, out: Path) -> None:
    """The case sheets one page each: the whole build, timed, and the pages' total."""
    for label, context in (("whole", whole_fonts), ("subset", _nothing)):
        webfonts.subset_font.cache_clear()
        with context():
            start = time.perf_counter()
            result = build(BuildRequest(project_dir=project, template="case-sheet",
                                        formats=["html"], split=True, force=True,
                                        out_dir=out / label))
            took = time.perf_counter() - start
        files = [p for p in result.outputs if p.suffix == ".html"]
        sizes = [p.stat().st_size for p in files]
        print(f"case-sheet --split, fonts {label}: {len(files)} pages, "
              f"{sum(sizes) / 1024 / 1024:.1f} MB in all, largest {max(sizes) / 1024:.0f} kB, "
              f"build {took:.2f} s")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp) / "project")
        print(f"flavor: {webfonts.woff_flavor()}")
        pages(project, args.runs)
        split(project, Path(tmp) / "out")


if __name__ == "__main__":
    main()
