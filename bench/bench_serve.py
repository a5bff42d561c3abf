"""Print how fast the live preview follows a save. Not a test: figures vary with the machine.

    python bench/bench_serve.py [--runs N] [--template brief]

Starts `briefgen serve` on a copy of the example, opens it in headless Chromium
(the system's, driven by Playwright), then N times: saves a case file with a new
word in it and times, from the save,
- until the browser shows the new word in the web page (the watcher's wait for
  quiet, refresh, render, the push, the fetch and the swap of the frame);
- until the browser shows the new PDF's pages (laid out, rasterised, loaded).
Also prints the server's own render times, read from its state.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from example import copy_example

CASE = "content/cases/03-svetlana-glushkova.md"
FRONT = "document.querySelector('iframe.front')"



def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"median {statistics.median(values) * 1000:.0f} ms  p90 {p90 * 1000:.0f} ms  "
            f"min {min(values) * 1000:.0f} ms  max {max(values) * 1000:.0f} ms  "
            f"(n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--template", default="brief")
    args = parser.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Debian's chromium")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp))
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", str(project),
                                   "-t", args.template], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            url = (server.stdout.readline() if server.stdout else "").strip()
            print(f"server up (first render done) after {time.perf_counter() - started:.2f} s")
            _measure(url, project, chromium, args.runs)
        finally:
            server.terminate()
            server.wait()


def _measure(url: str, project: Path, chromium: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    case = project / CASE
    original = case.read_text("utf-8")
    html_times, pdf_times, server_html, server_pdf = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(bypass_csp=True, viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.wait_for_function("document.body.dataset.pdfVersion !== '0'", timeout=60_000)
        for run in range(runs):
            pdf_before = int(page.evaluate("document.body.dataset.pdfVersion"))
            word = f"edit{run}x"
            start = time.perf_counter()
            case.write_text(original.replace("two journalists", f"two {word} journalists"),
                            "utf-8")
            page.wait_for_function(f"{FRONT}.contentDocument.body.innerText.includes("
                                   f"'{word}')", polling=5, timeout=10_000)
            html_times.append(time.perf_counter() - start)
            page.wait_for_function(f"Number(document.body.dataset.pdfVersion) > {pdf_before}"
                                   " && !document.querySelector('.pdf-pane')"
                                   ".classList.contains('stale')", polling=10,
                                   timeout=30_000)
            pdf_times.append(time.perf_counter() - start)
            with urllib.request.urlopen(url + "state") as response:
                state = json.load(response)
            server_html.append(state["html_ms"] / 1000)
            server_pdf.append(state["pdf"]["seconds"])
            time.sleep(0.3)  # a person does not save twice within the same second
        browser.close()
    case.write_text(original, "utf-8")
    print(f"save -> new text in the browser's web page:  {_ms(html_times)}")
    print(f"save -> new PDF pages in the browser:        {_ms(pdf_times)}")
    print(f"  server: refresh + render + HTML writer:    {_ms(server_html)}")
    print(f"  server: PDF layout + page images:          {_ms(server_pdf)}")


if __name__ == "__main__":
    main()
