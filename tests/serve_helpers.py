"""Starting `briefgen serve` for a test: the real command, in its own process."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import default_sigint

REQUIRE_TOOLS = os.environ.get("BRIEFGEN_REQUIRE_TOOLS") == "1"  # set by .ci/run
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def running_server(project: Path, *args: str, timeout: float = 60) -> Iterator[str]:
    """`briefgen serve PROJECT` on a free port; yields its URL once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(project), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=default_sigint)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()],
                     daemon=True).start()
    err: list[str] = []
    threading.Thread(target=lambda: err.extend(process.stderr or ()), daemon=True).start()
    try:
        try:
            url = lines.get(timeout=timeout).strip()
        except queue.Empty:
            pytest.fail(f"briefgen serve did not start: {''.join(err)}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        time.sleep(0.05)
    assert "Traceback" not in "".join(err), "".join(err)


def chromium_or_skip() -> str:
    """The system's Chromium for Playwright; the browser tests skip without it, except
    in CI (.ci/run installs it and sets BRIEFGEN_REQUIRE_TOOLS)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if REQUIRE_TOOLS:
            pytest.fail("playwright is required here (BRIEFGEN_REQUIRE_TOOLS=1)")
        pytest.skip("playwright not installed (pip install '.[test]')")
    if CHROMIUM is None:
        if REQUIRE_TOOLS:
            pytest.fail("chromium is required here (BRIEFGEN_REQUIRE_TOOLS=1)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return CHROMIUM
