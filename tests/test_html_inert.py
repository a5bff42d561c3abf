"""The HTML page is inert by construction (issue 11, Deliver point 3): written from an
allow-list (render/inert.py) with a Content-Security-Policy first in <head>.

Two kinds of test. Without a browser: what an HTML5 parser — tinyhtml5, which
parses as browsers do (WeasyPrint's parser) — builds from the written page holds
nothing that runs or loads, for every reproducer of the attack report, for the
classic parser-differential tricks and for fuzzed markup. In headless Chromium:
every built-in template's page, and every hostile project, opened from disk next
to a logging HTTP server on 127.0.0.1 that the hostile inputs point at: the server
gets no request, the browser asks for no URL but data:, no script sets the title
and the page logs nothing to the console (not even a CSP refusal: the allow-list
has already removed what the CSP would block).
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tinycss2
import tinyhtml5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.render.inert import PAGE_CSP, inert_html, srcset_candidates

from .conftest import copy_example, run_cli
from .serve_helpers import chromium_or_skip

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
TITLE_SET = "document.title='RAN'"  # what every hostile handler tries
HOST = "http://127.0.0.1:{port}"

# -- what a browser would build from a page ----------------------------------------------

NEVER = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
         "link", "noscript", "template", "math", "foreignobject", "feimage", "animate", "set",
         "animatemotion", "animatetransform", "input", "button", "textarea", "select",
         "video", "audio", "track", "portal", "fencedframe", "xmp", "plaintext", "noembed"}
FETCHED = {"src", "background", "poster", "data", "action", "formaction", "imagesrcset",
           "ping", "manifest", "codebase", "archive", "lowsrc", "dynsrc", "longdesc"}


def _data(url: str) -> bool:
    return url.strip().lower().startswith("data:")


def _css_problems(css: str, *, declarations: bool = False) -> list[str]:
    """URLs other than data: or #fragment, @import and image-set() with a non-data image,
    read the way tinycss2 (and a browser) tokenize, escapes decoded."""
    problems: list[str] = []

    def walk(nodes: list[Any]) -> None:
        for node in nodes:
            if node.type == "url" and not (_data(node.value) or node.value.startswith("#")):
                problems.append(f"css url({node.value})")
            if (node.type, getattr(node, "lower_value", None)) == ("at-keyword", "import") or \
                    (node.type, getattr(node, "lower_at_keyword", None)) == ("at-rule", "import"):
                problems.append("css @import")
            if node.type == "function":
                if node.lower_name in ("url", "src", "image-set", "-webkit-image-set"):
                    for arg in node.arguments:
                        if arg.type == "string" and not (_data(arg.value)
                                                         or arg.value.startswith("#")):
                            problems.append(f"css {node.lower_name}({arg.value})")
                if node.lower_name in ("expression", "image", "cross-fade", "paint"):
                    problems.append(f"css {node.lower_name}()")
                walk(node.arguments)
            elif hasattr(node, "content") and isinstance(node.content, list):
                walk(node.content)
            if getattr(node, "prelude", None):
                walk(node.prelude)

    if declarations:
        walk(tinycss2.parse_component_value_list(css))
    else:
        walk(tinycss2.parse_stylesheet(css))
    return problems


def browser_view(page: str) -> list[str]:
    """Everything in what an HTML5 parser builds from `page` that could run or load."""
    root = tinyhtml5.parse(page)
    head = root.find(f"{HTML}head")
    problems = []
    first = head[0] if head is not None and len(head) else None
    if first is None or first.get("http-equiv") != "Content-Security-Policy" or \
            first.get("content") != PAGE_CSP:
        problems.append("the CSP is not the first element of <head>")
    for element in root.iter():
        namespace, _, name = str(element.tag).rpartition("}")
        name = name.lower()
        if name in NEVER or (name == "style" and namespace + "}" == SVG):
            problems.append(f"<{name}> in {namespace}")
        if name == "meta" and element.get("http-equiv") is not None and element is not first:
            problems.append("another <meta http-equiv>")
        if name == "style" and element.text:
            problems += _css_problems(element.text)
        for attribute, value in element.attrib.items():
            attr = attribute.rpartition("}")[2].lower()
            if attr.startswith("on"):
                problems.append(f"{attr}= on <{name}>")
            elif attr in FETCHED and not _data(value):
                problems.append(f"{attr}={value!r} on <{name}>")
            elif attr == "srcset" and not all(_data(u) for u, _ in srcset_candidates(value)):
                problems.append(f"srcset={value!r}")
            elif attr == "href":
                ok = (re.match(r"(https?|mailto|tel):|#", value.strip(), re.I) if name == "a"
                      else _data(value) if name == "image" else value.startswith("#"))
                if not ok:
                    problems.append(f"href={value!r} on <{name}>")
            elif attr == "style":
                problems += _css_problems(value, declarations=True)
            elif "url(" in value.lower() and not re.search(r"url\(\s*['\"]?#", value, re.I):
                problems.append(f"{attr}={value!r} on <{name}>")
    return problems


# -- the reproducers, as markup ------------------------------------------------------------

def hostile_markup(host: str) -> dict[str, str]:
    """Each reproducer of the attack report (items 3 and 4), and the parser-differential
    tricks a sanitiser must survive, pointing at `host`."""
    pixel = f"{host}/pixel.png"
    on = f'onload="{TITLE_SET}" onerror="{TITLE_SET}"'
    return {
        "svg-style-smuggles-img": f'<svg><style><img src="data:," {on}></style></svg>',
        "img-srcset": f'<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
                      f'srcset="{pixel} 1x, {pixel}?2 2x">',
        "picture-source-srcset": f'<picture><source srcset="{pixel}"><img alt="" '
                                 f'src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></picture>',
        "meta-refresh": f'<meta http-equiv="refresh" content="0;url={host}/refresh">',
        "background-attribute": f'<table background="{pixel}"><tr><td>x</td></tr></table>',
        "svg-feimage": f'<svg width="10" height="10"><filter id="f"><feImage href="{pixel}"/>'
                       f'</filter><rect width="10" height="10" filter="url(#f)"/></svg>',
        "svg-image-xlink": f'<svg><image width="5" height="5" xlink:href="{pixel}"/></svg>',
        "css-image-set": f'<style>p {{ background: image-set("{pixel}" 1x) }}</style><p>x</p>',
        "css-escaped-url": f"<style>p {{ background: u\\72l({pixel}) }}</style><p>x</p>",
        "css-import-no-space": f'<style>@import"{host}/import.css";</style>',
        "svg-fill-url": f'<svg><rect width="5" height="5" fill="url({host}/p.svg#p)"/></svg>',
        "link-preload-imagesrcset": f'<link rel="preload" as="image" imagesrcset="{pixel} 1x">',
        "noscript-differential": '<noscript><p title="</noscript><img src=x onerror='
                                 'document.title=&#39;RAN&#39;>"></p></noscript>',
        "math-style-differential": f"<math><mtext><table><mglyph><style><img src=x {on}>",
        "script-and-handlers": f'<script>{TITLE_SET}</script><p onclick="{TITLE_SET}">x</p>'
                               f'<body onload="{TITLE_SET}">',
        "javascript-links": f'<a href="javascript:{TITLE_SET}">a</a><a href=" java\tscript:1">'
                            f'b</a><svg><a xlink:href="javascript:{TITLE_SET}"><text>c</text>'
                            "</a></svg>",
        "frames-forms-base": f'<base href="{host}/"><iframe src="{host}/f"></iframe><object '
                             f'data="{host}/o"></object><embed src="{host}/e"><form action='
                             f'"{host}/a"><button formaction="{host}/b">b</button></form>',
        "svg-animate-href": f'<svg><a href="#x"><animate attributeName="href" to="javascript:'
                            f'{TITLE_SET}"/><text>t</text></a></svg>',
        "style-attribute": f'<p style="background:url({pixel}); color: red">x</p>',
        "css-style-end": '<style>p { content: "</style><img src=x ' + on + '>" }</style>',
        "video-poster": f'<video poster="{pixel}" src="{host}/v"></video>'
                        f'<audio src="{host}/a" autoplay></audio>',
        "anchor-ping": f'<a href="https://example.org/" ping="{host}/ping">p</a>',
    }


MARKUP = hostile_markup("http://127.0.0.1:9")


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_the_allow_list_leaves_nothing_a_browser_would_run_or_load(name: str) -> None:
    page = inert_html(f"<html><head><title>T</title></head><body><p>kept</p>{MARKUP[name]}"
                      "</body></html>")
    assert browser_view(page) == []
    assert "kept" in page and "<title>T</title>" in page
    assert inert_html(page) == page  # written once, it stays as it is


def test_the_checker_sees_what_the_allow_list_removes() -> None:
    """The check above is not blind: on the raw reproducers it finds each one."""
    for name, markup in MARKUP.items():
        assert browser_view(f"<html><head><meta http-equiv='Content-Security-Policy' "
                            f"content=\"{PAGE_CSP}\"></head><body>{markup}</body></html>"), name


def test_legitimate_markup_is_kept() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    page = inert_html(
        f'<html lang="fr"><body><a href="#n1" id="r1">1</a> <a href="https://x.org/a?b=1&amp;c">'
        f'w</a> <a href="mailto:a@b.org">m</a> <img src="{png}" alt="logo" width="83" '
        f'srcset="{png} 1x, {png} 2x"><table><tr><td colspan="2" style="color: red">c</td></tr>'
        f'</table><svg viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" '
        f'stop-color="#fff"/></linearGradient></defs><rect fill="url(#g)" width="10" '
        f'height="10"/><use href="#g"/><image href="{png}" width="2" height="2"/></svg>'
        '<style>@font-face { src: url("data:font/ttf;base64,AAEAAA") } @media screen { p { '
        'margin: calc(1rem + 2px) } } @page { @top-left { content: string(t) } } '
        'a::after { content: target-counter(attr(href url), page) }</style></body></html>')
    for kept in ('<a href="#n1" id="r1">', 'href="https://x.org/a?b=1&amp;c"',
                 'href="mailto:a@b.org"', f'src="{png}"', f'srcset="{png} 1x, {png} 2x"',
                 'colspan="2" style="color: red;"', 'viewbox="0 0 10 10"', 'fill="url(#g)"',
                 '<use href="#g">', f'<image href="{png}"', "calc(1rem + 2px)",
                 "@top-left", "target-counter(attr(href url), page)", "data:font/ttf",
                 '<html lang="fr">'):
        assert kept in page, kept
    assert browser_view(page) == []


PIECES = [
    "<svg>", "</svg>", "<style>", "</style>", "<math>", "<mtext>", "<mglyph>", "<table>",
    "</table>", "<noscript>", "</noscript>", "<template>", "<p>", "</p>", "<title>",
    "</title>", "<textarea>", "<select>", "<xmp>", "<iframe>", "<script>", "</script>",
    "<desc>", "<foreignObject>", '<annotation-xml encoding="text/html">', "<noembed>",
    "<plaintext>", "<!--", "-->", "<![CDATA[", "]]>", '"', "'", "<", ">", "</", "&lt;", "x ",
    f'<img src=x onerror="{TITLE_SET}">', '<a href="javascript:x">', "<a href='#a'>",
    '<image href="http://h/x">', '<div style="background:url(http://h/x)">',
    "@import 'http://h/x';", "a{background:u\\72l(http://h/x)}", "p{color:red}",
    "<meta http-equiv=refresh content='0;url=http://h/'>", "<base href=http://h/>",
    "<form action=http://h>", "<button formaction=http://h>", "<source srcset=http://h/x>",
    "<use href=http://h/x#a>", "<body background=http://h/x>", "<svg><style>", "<b>", "</b>",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_fuzzed_markup_is_inert_to_a_browser(pieces: list[str]) -> None:
    assert browser_view(inert_html("".join(pieces))) == []


# -- the built pages ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A letter, and a letter with the handout behind it, as HTML pages (the batch)."""
    root = copy_example(tmp_path_factory.mktemp("letters") / "project")
    recipients = root / "content" / "recipients.csv"
    pages = []
    for pack in ([], ["--pack"]):
        out = root / "build" / ("pack" if pack else "letter")
        result = run_cli("batch", "letter", "--recipients", str(recipients), "--project",
                         str(root), "--format", "html", "--out", str(out), *pack)
        assert result.exit_code == 0, result.output
        pages.append(out / "example-alex.html")  # the example's English member
    return pages


@pytest.fixture(scope="module")
def built_pages(kit: dict[str, Any], letters: list[Path]) -> dict[str, Path]:
    pages = {name: kit[name]["html"] for name in ("brief", "handout", "case-sheet", "dossier")}
    return pages | {"letter": letters[0], "letter-pack": letters[1]}


def test_every_built_page_is_inert_and_starts_with_its_csp(built_pages: dict[str, Path]
                                                           ) -> None:
    for name, path in built_pages.items():
        page = path.read_text("utf-8")
        assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head><meta http-equiv="'
                               f'Content-Security-Policy" content="{PAGE_CSP}"><meta '
                               'charset="utf-8">'), name
        assert browser_view(page) == [], name
        assert inert_html(page) == page, name


# -- in Chromium, next to a server that counts requests ---------------------------------------

class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    """A logging HTTP server on 127.0.0.1 (a free port), in a thread; its list of paths."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield HOST.format(port=httpd.server_address[1]), hits
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@dataclass
class Opened:
    title: str
    requests: list[str]  # every URL the page asked for, but data: and the page itself
    console: list[str]  # console messages and uncaught errors of the page
    hits: list[str]  # what the logging server received meanwhile


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(browser: Any, server: tuple[str, list[str]]) -> Any:
    host, hits = server

    def open_file(path: Path) -> Opened:
        hits.clear()
        page = browser.new_page()
        url = path.resolve().as_uri()
        requests: list[str] = []
        console: list[str] = []
        page.on("request", lambda r: requests.append(r.url)
                if not r.url.startswith("data:") and r.url != url else None)
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"error: {e}"))
        try:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(300)  # a refresh, a lazy image, a late handler
            title = page.title()
        finally:
            page.close()
        return Opened(title, requests, console, list(hits))

    return open_file


@pytest.mark.parametrize(("name", "sign"), [
    ("img-srcset", "request"), ("css-escaped-url", "request"),
    ("link-preload-imagesrcset", "request"), ("svg-style-smuggles-img", "script"),
    ("noscript-differential", "script"), ("css-style-end", "script")])
def test_without_the_allow_list_the_reproducers_do_work(
        name: str, sign: str, open_page: Any, server: tuple[str, list[str]],
        tmp_path: Path) -> None:
    """Control: raw, without the allow-list and its CSP, a reproducer calls the logging
    server or runs its handler in this Chromium — so the silence above means something."""
    raw = tmp_path / "raw.html"
    raw.write_text(f"<!DOCTYPE html><title>T</title>{hostile_markup(server[0])[name]}",
                   "utf-8")
    opened = open_page(raw)
    if sign == "request":
        assert opened.hits and opened.requests
    else:
        assert opened.title == "RAN"


@pytest.mark.parametrize("name", ["brief", "handout", "case-sheet", "dossier", "letter",
                                  "letter-pack"])
def test_built_pages_open_with_no_request_and_no_script(
        name: str, built_pages: dict[str, Path], open_page: Any) -> None:
    opened = open_page(built_pages[name])
    assert (opened.hits, opened.requests, opened.console) == ([], [], [])
    assert opened.title and opened.title != "RAN"


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_the_allow_list_alone_makes_each_reproducer_inert_in_chromium(
        name: str, open_page: Any, server: tuple[str, list[str]], tmp_path: Path) -> None:
    """Each reproducer pointing at the logging server, past no early check: only the
    allow-list stands between it and the browser."""
    page = tmp_path / f"{name}.html"
    page.write_text(inert_html(f"<html><head><title>T</title></head><body>"
                               f"{hostile_markup(server[0])[name]}</body></html>"), "utf-8")
    opened = open_page(page)
    assert (opened.hits, opened.requests, opened.console) == ([], [], [])
    assert opened.title == "T"


# -- hostile projects, built ------------------------------------------------------------------

SUMMARY = "templates/brief/partials/summary.html.j2"


def _summary(markup: str) -> dict[str, str]:
    return {SUMMARY: f'<section id="summary">\n  <h2>Summary</h2>\n  {markup}\n</section>\n'}


def _theme(css: str) -> dict[str, str]:
    return {"extra.css": css, "briefgen.yaml+": "theme:\n  stylesheets: [extra.css]\n"}


# name → (files of the project, the error the build stops with, or None when the build
# succeeds and the dangerous part is gone)
REFUSED_ON_THE_NETWORK = ("resource refused: '{host}/pixel.png' is on the network; briefgen "
                          "reads no web address unless allowed")


def hostile_projects(host: str) -> dict[str, tuple[dict[str, str], str | None]]:
    markup = hostile_markup(host)
    network = REFUSED_ON_THE_NETWORK.format(host=host)
    return {
        # item 3: refused at render, at its line, in every format
        "svg-style-smuggles-img": (_summary(markup["svg-style-smuggles-img"]),
                                   f"{SUMMARY}:3: <style> inside <svg> is not allowed"),
        # item 4: every address the page would load goes through the resource policy
        "img-srcset": (_summary(markup["img-srcset"]), f"template 'brief': {network}"),
        "picture-source-srcset": (_summary(markup["picture-source-srcset"]),
                                  f"template 'brief': {network}"),
        "meta-refresh": (_summary(markup["meta-refresh"]),
                         f'{SUMMARY}:3: <meta http-equiv="refresh"> is not allowed'),
        "background-attribute": (_summary(markup["background-attribute"]),
                                 f"template 'brief': {network}"),
        "svg-feimage": (_summary(markup["svg-feimage"]), f"template 'brief': {network}"),
        "svg-image-xlink": (_summary(markup["svg-image-xlink"]),
                            f"template 'brief': {network}"),
        "css-image-set": (_theme(f'h1 {{ color: red }}\nh2 {{ background: image-set('
                                 f'"{host}/pixel.png" 1x) }}\n'), f"extra.css:2: {network}"),
        "css-escaped-url": (_theme(f"h1 {{ color: red }}\nh2 {{ background: u\\72l("
                                   f"{host}/pixel.png) }}\n"), f"extra.css:2: {network}"),
        "css-import-no-space": (_theme(f'@import"{host}/pixel.png";\n'),
                                f"extra.css:1: {network}"),
        # no early check knows these: the build succeeds and the allow-list removes them
        "svg-fill-url": (_summary(markup["svg-fill-url"]), None),
        "link-preload-imagesrcset": (_summary(markup["link-preload-imagesrcset"]), None),
        "noscript-differential": (_summary(markup["noscript-differential"]), None),
        "math-style-differential": (_summary(markup["math-style-differential"]), None),
        "svg-animate-href": (_summary(markup["svg-animate-href"]), None),
        "anchor-ping": (_summary(markup["anchor-ping"]), None),
    }


PROJECTS = hostile_projects("http://127.0.0.1:9")
REMOVED = {  # what must be gone from the page of a project that builds
    "svg-fill-url": "fill=", "link-preload-imagesrcset": "<link",
    "noscript-differential": "<noscript", "math-style-differential": "<mglyph",
    "svg-animate-href": "<animate", "anchor-ping": "ping=",
}


def make_project(root: Path, files: dict[str, str]) -> Path:
    project = copy_example(root)
    for rel, text in files.items():
        if rel.endswith("+"):
            path = project / rel[:-1]
            path.write_text(path.read_text("utf-8") + text, "utf-8")
        else:
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(text, "utf-8")
    return project


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_each_hostile_project_fails_located_or_builds_inert(
        name: str, open_page: Any, server: tuple[str, list[str]], tmp_path: Path) -> None:
    files, error = hostile_projects(server[0])[name]
    project = make_project(tmp_path / "project", files)
    result = run_cli("build", str(project), "--format", "html")
    if error is not None:
        assert result.exit_code == 1, result.output
        assert error in result.output
        assert not (project / "build" / "brief.html").exists()
        return
    assert result.exit_code == 0, result.output
    page = project / "build" / "brief.html"
    text = page.read_text("utf-8")
    assert REMOVED[name] not in text and TITLE_SET not in text and "127.0.0.1" not in text
    assert browser_view(text) == []
    opened = open_page(page)
    assert (opened.hits, opened.requests, opened.console) == ([], [], [])
    assert opened.title != "RAN"


CORPUS_CASES = {  # the failing reproducers, as cases of tests/bad_inputs
    "svg-style-smuggles-img": "123-template-svg-style-smuggles-html",
    "img-srcset": "124-template-img-srcset-http-html",
    "picture-source-srcset": "125-template-picture-source-http-html",
    "meta-refresh": "126-template-meta-refresh",
    "background-attribute": "127-template-background-attribute-http-html",
    "svg-feimage": "128-template-svg-feimage-http-html",
    "svg-image-xlink": "129-template-svg-image-xlink-http-html",
    "css-image-set": "130-stylesheet-image-set-http-html",
    "css-escaped-url": "131-stylesheet-escaped-url-http-html",
    "css-import-no-space": "132-stylesheet-import-without-space-http-html",
}


def test_each_refused_reproducer_is_a_corpus_case() -> None:
    """The same input with example.org for the server, and its whole message."""
    corpus = Path(__file__).parent / "bad_inputs"
    projects = hostile_projects("http://example.org")
    assert sorted(CORPUS_CASES) == sorted(n for n, (_f, e) in projects.items() if e)
    for name, case in CORPUS_CASES.items():
        assert projects[name][1] in (corpus / case / "expected").read_text("utf-8"), name


def test_a_following_document_is_inert_too(tmp_path: Path) -> None:
    """The handout behind a letter (a section of the letter's page) goes through the same
    allow-list: a trick in its project override is gone from every letter."""
    project = copy_example(tmp_path / "project")
    builtin = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "templates"
    source = (builtin / "handout" / "handout.html.j2").read_text("utf-8")
    override = project / "templates" / "handout" / "handout.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(source.replace("{% block body %}", "{% block body %}"
                                       + MARKUP["math-style-differential"] + "</style>"
                                       + MARKUP["svg-animate-href"], 1), "utf-8")
    out = tmp_path / "letters"
    roster = project / "members.csv"  # an English and a French member: two handouts
    roster.write_text("surname,country,group,language\nExample,Ukraine,EPP/CD,en\n"
                      "Exemple,France,SOC,fr\n", "utf-8")
    result = run_cli("batch", "letter", "--recipients", str(roster), "--project", str(project),
                     "--format", "html", "--pack", "--out", str(out))
    assert result.exit_code == 0, result.output
    pages = sorted(out.glob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text("utf-8")
        assert "<mglyph" not in text and "<animate" not in text, page.name
        assert TITLE_SET not in text, page.name
        assert browser_view(text) == [], page.name


def test_the_early_check_names_the_line_or_else_the_template(tmp_path: Path) -> None:
    """render/safety.py reports what it recognises at the project template's line, and at
    the template's name when a variable wrote it; the allow-list is the guarantee."""
    project = make_project(tmp_path / "project", _summary(
        '<a href="data:text/html,x">d</a>\n  <svg><foreignObject><b>x</b></foreignObject>'
        "</svg>\n  {% set handler = 'onclick' %}<p {{ handler }}=\"x\">p</p>"))
    result = run_cli("build", str(project), "--format", "pdf")
    assert result.exit_code == 1
    assert result.output == (
        "3 problems found:\n"
        f'  {SUMMARY}:3: href="data:text/html,x" on <a> is not allowed: links use http(s), '
        "mailto or #anchors\n"
        f"  {SUMMARY}:4: <foreignObject> inside <svg> is not allowed: it carries HTML into "
        "the drawing; draw with SVG elements only\n"
        "  template 'brief' (rendered): event handler onclick=\"…\" on <p> is not allowed\n")
