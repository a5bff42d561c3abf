"""The live preview in a real browser: headless Chromium (the system's), driven by
Playwright, against `briefgen serve` running as its own process on a copy of the
example. What a person editing the example sees: a save shows up without a reload,
a mistake shows over the page with its file and line and goes when fixed, the
template switch shows the handout."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, copy_example
from .serve_helpers import chromium_or_skip, running_server

CASE = "content/cases/03-svetlana-glushkova.md"
FRONT = "document.querySelector('iframe.front')"
SHOWN_TEXT = f"{FRONT}.contentDocument.body.innerText"
# The README's screenshot: written by test_the_readme_screenshot when this is set.
SCREENSHOT = REPO / "docs" / "preview.png"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    chromium_or_skip()
    project = copy_example(tmp_path_factory.mktemp("browser"))
    with running_server(project) as url:
        yield url, project


@pytest.fixture(scope="module")
def browser(served: tuple[str, Path]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_or_skip(),
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, served: tuple[str, Path]) -> Iterator[Any]:
    # the page's CSP forbids eval; Playwright's wait_for_function needs it
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(served[0])
    tab.wait_for_function("document.body.dataset.htmlVersion !== '0' && "
                          "document.body.dataset.pdfVersion !== '0'", timeout=30_000)
    yield tab
    context.close()
    assert errors == [], errors


def _until(page: Any, expression: str, timeout: float = 30_000) -> None:
    """page.wait_for_function, failing with what the page showed instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(expression, timeout=timeout)
    except PlaywrightTimeout:
        shown = page.evaluate(
            "({data: {...document.body.dataset}, template: document.querySelector("
            "'#template').value, lang: document.querySelector('#lang').value, status: "
            "document.querySelector('#status').textContent, pdf: document.querySelector("
            "'#pdf-summary').textContent, images: document.querySelectorAll('#pages img')"
            ".length, frame: document.querySelector('iframe.front').contentDocument"
            ".documentElement.lang})")
        state = page.evaluate("fetch('/state').then(r => r.json())")
        state.pop("templates", None)
        pytest.fail(f"timed out waiting for {expression}\npage: {shown}\nserver: {state}")


def _edit(project: Path, old: str, new: str, name: str = CASE) -> None:
    path = project / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_save_shows_without_a_reload_and_keeps_the_place(
        page: Any, served: tuple[str, Path]) -> None:
    _url, project = served
    page.evaluate("window.notReloaded = true")
    page.evaluate(f"{FRONT}.contentWindow.scrollTo(0, 1500)")
    before = page.evaluate(f"{FRONT}.contentWindow.scrollY")
    assert before > 1000  # the brief is long enough to scroll
    pdf_before = int(page.evaluate("document.body.dataset.pdfVersion"))
    _edit(project, "is one of two journalists", "is one of two reporters (saved)")
    try:
        _until(page, f"{SHOWN_TEXT}.includes('one of two reporters (saved)')",
                               10_000)
        assert page.evaluate("window.notReloaded") is True
        assert page.evaluate(f"{FRONT}.contentWindow.scrollY") == before
        # then the PDF's pages follow, and say how many there are
        _until(page, f"Number(document.body.dataset.pdfVersion) > {pdf_before}"
                               " && document.querySelectorAll('#pages img').length > 10",
                               30_000)
        assert "pages, laid out in" in page.inner_text("#pdf-summary")
    finally:
        _edit(project, "is one of two reporters (saved)", "is one of two journalists")


def test_a_mistake_shows_its_file_and_line_until_it_is_fixed(
        page: Any, served: tuple[str, Path]) -> None:
    _url, project = served
    _edit(project, "status: prosecuted", "status: jailed")
    try:
        page.wait_for_selector("#problems:not([hidden])", timeout=10_000)
        overlay = page.inner_text("#problems")
        assert f"{CASE}:12" in overlay
        assert "got 'jailed'" in overlay
        assert "status: jailed" in page.inner_text("#problems .excerpt .here")
        # the last good version stays underneath
        assert "Svetlana Glushkova" in page.evaluate(SHOWN_TEXT)
    finally:
        _edit(project, "status: jailed", "status: prosecuted")
    page.wait_for_selector("#problems", state="hidden", timeout=10_000)
    assert page.evaluate("document.body.dataset.problems") == "0"


def test_broken_yaml_shows_where(page: Any, served: tuple[str, Path]) -> None:
    _url, project = served
    _edit(project, "- id: odf-2019", "- id: [odf-2019", name="content/sources.yaml")
    try:
        page.wait_for_selector("#problems:not([hidden])", timeout=10_000)
        where = page.inner_text("#problems .where")
        assert where.startswith("content/sources.yaml:"), where
    finally:
        _edit(project, "- id: [odf-2019", "- id: odf-2019", name="content/sources.yaml")
    page.wait_for_selector("#problems", state="hidden", timeout=10_000)


def test_the_switch_shows_the_handout(page: Any) -> None:
    page.select_option("#template", "handout")
    try:
        # the summary comes with the state; the page images once they have loaded
        _until(page,
               "document.querySelector('#pdf-summary').textContent.includes('1 page,') && "
               "document.querySelectorAll('#pages img').length === 1", 30_000)
        assert page.evaluate(f"{FRONT}.contentDocument.title")
        assert "fit one page" in page.inner_text("#fit-report") or page.inner_text(
            "#fit-report") == ""
        page.select_option("#lang", "fr")
        _until(page, f"{FRONT}.contentDocument.documentElement.lang === 'fr'",
                               30_000)
    finally:
        page.select_option("#template", "brief")
        page.select_option("#lang", "en")
        _until(page, f"{FRONT}.contentDocument.documentElement.lang === 'en' && "
                               f"{SHOWN_TEXT}.includes('Contents')", 30_000)


def test_the_readme_screenshot(page: Any, tmp_path: Path) -> None:
    """The README shows the preview as this test sees it. Set BRIEFGEN_SCREENSHOT=1 to
    write docs/preview.png again."""
    _until(page, "document.querySelectorAll('#pages img').length > 10 && "
                           "!document.querySelector('.pdf-pane').classList.contains('stale')"
                           " && !document.querySelector('#status').classList.contains('busy')",
                           30_000)
    shot = tmp_path / "preview.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    if os.environ.get("BRIEFGEN_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
