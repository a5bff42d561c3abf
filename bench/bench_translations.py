"""What translations cost: loading the example with and without its French, laying a
language over the content, and building the brief in one language or two in one run.

    python bench/bench_translations.py [--runs N]

Figures, not a test. The example has a French translation of every text the brief
prints (18 files); German has none, so it measures a language printed wholly from
the English originals, each text marked.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.content.loader import ContentLoader
from briefgen.content.localized import localize
from briefgen.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]


def timed(what: Callable[[], object], runs: int) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        what()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def project(root: Path, translated: bool) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "briefgen.yaml", root / "briefgen.yaml")
    if not translated:
        for path in (root / "content").rglob("*.fr.*"):
            path.unlink()
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        plain = project(Path(tmp) / "plain", translated=False)
        french = project(Path(tmp) / "french", translated=True)
        Pipeline.open(plain)  # catalogs and imports warm
        print(f"load and validate, no translations:   "
              f"{timed(lambda: ContentLoader(plain).load(), runs) * 1000:7.1f} ms")
        print(f"load and validate, with the French:   "
              f"{timed(lambda: ContentLoader(french).load(), runs) * 1000:7.1f} ms")
        loaded = ContentLoader(french).load()
        for lang in ("fr", "de"):
            ms = timed(lambda lang=lang: localize(loaded.content, loaded.originals,
                                                  loaded.translations.get(lang, {}), lang,
                                                  loaded.language), runs) * 1000
            print(f"lay {lang} over the content:             {ms:7.1f} ms")
        # a build as a user runs it: a fresh process (in one process, fonts cut for
        # one build are reused by the next, which hides most of a second build's cost)
        for langs in ("en", "fr", "en,fr"):
            command = [sys.executable, "-m", "briefgen", "build", str(french), "--lang",
                       langs, "-f", "pdf,docx,html", "--force", "-o", str(Path(tmp) / "out")]
            seconds = timed(lambda command=command: subprocess.run(
                command, check=True, capture_output=True), max(1, runs // 2))
            print(f"briefgen build --lang {langs:6} -f pdf,docx,html: {seconds:6.2f} s")

if __name__ == "__main__":
    main()
