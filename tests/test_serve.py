"""The live preview without a browser: which saves count, what one save re-renders,
how problems are shown, and what the server refuses to serve."""

from __future__ import annotations

import http.client
import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import pytest

from briefgen.errors import BriefgenError, Problem
from briefgen.serve.preview import Preview, Selection, locate
from briefgen.serve.server import HOST, bind
from briefgen.serve.watch import ProjectFilter, changes

from .conftest import copy_example, run_cli
from .serve_helpers import running_server

CASE = "content/cases/03-svetlana-glushkova.md"


# -- which saves count -------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kept"), [
    ("content/cases/03-svetlana-glushkova.md", True),
    ("content/brief.yaml", True),
    ("templates/brief/style.css", True),
    ("briefgen.yaml", True),
    ("content/cases/4913", False),  # vim's probe
    ("content/cases/.03-svetlana-glushkova.md.swp", False),
    ("content/brief.yaml~", False),
    ("content/.#brief.yaml", False),
    ("content/#brief.yaml#", False),
    ("content/.~lock.brief.yaml#", False),
    ("build/brief.pdf", False),  # our own output
    (".git/index", False),
    ("templates/brief/__pycache__/x.pyc", False),
    ("content/brief.yaml.tmp", False),
])
def test_only_inputs_of_the_brief_count_as_changes(tmp_path: Path, name: str,
                                                    kept: bool) -> None:
    keep = ProjectFilter([tmp_path], [tmp_path / "build"])
    assert keep(None, str(tmp_path / name)) is kept


def test_files_outside_the_watched_folders_do_not_count(tmp_path: Path) -> None:
    keep = ProjectFilter([tmp_path / "project"])
    assert not keep(None, str(tmp_path / "elsewhere" / "brief.yaml"))


def _collect(root: Path, writes: list[tuple[str, float]], settle: float = 0.8
             ) -> list[set[Path]]:
    """Watch `root`, make the writes (name, pause after it), return what was yielded."""

    for name, _pause in writes:  # a project's folders are there before the watch starts
        (root / name).parent.mkdir(parents=True, exist_ok=True)

    async def main() -> list[set[Path]]:
        stop = anyio.Event()
        batches: list[set[Path]] = []

        async def watch() -> None:
            async for paths in changes([root], [root / "build"], stop=stop):
                batches.append({p.relative_to(root) for p in paths})

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch)
            await anyio.sleep(0.5)  # the watcher is in place
            for name, pause in writes:
                path = root / name
                path.write_text(f"{name} {time.time()}\n")
                await anyio.sleep(pause)
            await anyio.sleep(settle)
            stop.set()
        return batches

    return anyio.run(main)


def test_a_burst_of_saves_is_one_change(tmp_path: Path) -> None:
    """An editor saving (temporary file, backup, the file) or a `git checkout` touching
    several files: one render, not one per event."""
    burst = [(f"content/cases/0{i}.md", 0.005) for i in range(5)]
    burst += [("content/cases/4913", 0.005), ("content/cases/01.md~", 0.005),
              ("build/brief.pdf", 0.005)]
    batches = _collect(tmp_path, burst)
    assert batches == [{Path(f"content/cases/0{i}.md") for i in range(5)}]


def test_saves_apart_in_time_are_separate_changes(tmp_path: Path) -> None:
    batches = _collect(tmp_path, [("content/brief.yaml", 0.4), ("content/sources.yaml", 0.0)])
    assert batches == [{Path("content/brief.yaml")}, {Path("content/sources.yaml")}]


def test_only_droppings_are_no_change(tmp_path: Path) -> None:
    assert _collect(tmp_path, [("content/.brief.yaml.swp", 0.0), ("build/x.pdf", 0.0)]) == []


# -- what a save re-renders, and what a problem looks like ------------------------------

def _wait(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Preview:
    project = copy_example(tmp_path_factory.mktemp("preview"))
    shown = Preview(project, Selection(None, None))
    shown.start()
    yield shown
    shown.stop()


def _edit(project: Path, name: str, old: str, new: str) -> Path:
    path = project / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_a_save_renders_the_html_and_then_the_pdf(preview: Preview) -> None:
    _wait(lambda: preview.state()["pdf"] is not None)
    state = preview.state()
    assert state["template"] == "brief" and state["lang"] == "en"
    assert state["problems"] == []
    first_pdf = state["pdf"]
    assert first_pdf["pages"] >= 10 and first_pdf["current"]
    assert b"Svetlana Glushkova" in preview.html
    version = state["html_version"]

    path = _edit(preview.root, CASE, "is one of two journalists",
                 "is one of two reporters")
    preview.update([path])
    assert preview.state()["html_version"] == version + 1
    assert b"is one of two reporters" in preview.html
    _wait(lambda: preview.state()["pdf"]["version"] > first_pdf["version"])
    pdf = preview.pdf()
    assert pdf is not None and pdf.html_version == version + 1
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "is one of two reporters" in " ".join(text.split())
    assert len(pdf.pages) == len(PdfReader(io.BytesIO(pdf.data)).pages)
    assert all(png.startswith(b"\x89PNG") for png in pdf.pages)


def test_a_problem_keeps_the_last_good_render_and_shows_the_line(preview: Preview) -> None:
    good, version = preview.html, preview.state()["html_version"]
    path = _edit(preview.root, CASE, "status: prosecuted", "status: jailed")
    broken = _edit(preview.root, "content/sources.yaml", "- id: odf-2019", "- id odf-2019")
    try:
        preview.update([path, broken])
        state = preview.state()
        assert preview.html == good and state["html_version"] == version
        where = {(p["file"], p["line"]) for p in state["problems"]}
        assert (CASE, 12) in where, state["problems"]
        jailed = next(p for p in state["problems"] if p["file"] == CASE)
        assert "got 'jailed'" in jailed["message"] and jailed["field"] == "status"
        assert {"line": 12, "text": "status: jailed", "here": True} in jailed["excerpt"]
        assert [e["line"] for e in jailed["excerpt"]] == [11, 12, 13]
        assert any(p["file"] == "content/sources.yaml" for p in state["problems"])
    finally:
        _edit(preview.root, CASE, "status: jailed", "status: prosecuted")
        _edit(preview.root, "content/sources.yaml", "- id odf-2019", "- id: odf-2019")
    preview.update([path, broken])
    assert preview.state()["problems"] == []
    assert preview.state()["html_version"] == version + 1


def test_another_template_and_language(preview: Preview) -> None:
    preview.select("handout", "fr")
    state = preview.state()
    assert (state["template"], state["lang"]) == ("handout", "fr")
    assert b'lang="fr"' in preview.html
    _wait(lambda: preview.state()["pdf"]["current"])
    assert preview.state()["pdf"]["pages"] == 1
    assert preview.state()["report"], "what fit-to-page did is reported"
    assert {t["name"] for t in state["templates"]} >= {"brief", "handout", "case-sheet"}
    assert "letter" not in {t["name"] for t in state["templates"]}  # needs a recipient
    preview.select("brief", "en")


def test_settings_and_stylesheets_are_inputs_too(tmp_path: Path) -> None:
    """briefgen.yaml and a theme stylesheet: saved, shown — in the HTML and in the PDF."""
    project = copy_example(tmp_path)
    shown = Preview(project, Selection(None, None))
    shown.update()
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  footer: Footer one\n"
                      "  stylesheets: [extra.css]\n", "utf-8")
    (project / "extra.css").write_text("h1 { letter-spacing: 0.011em; }\n", "utf-8")
    shown.update([config, project / "extra.css"])
    assert shown.state()["problems"] == []
    assert b"Footer one" in shown.html and b"0.011em" in shown.html
    (project / "extra.css").write_text("h1 { letter-spacing: 0.022em; }\n", "utf-8")
    shown.update([project / "extra.css"])
    assert b"0.022em" in shown.html and b"0.011em" not in shown.html
    config.write_text(config.read_text("utf-8").replace("Footer one", "Footer two"), "utf-8")
    shown.update([config])
    assert b"Footer two" in shown.html
    config.write_text(config.read_text("utf-8").replace("paper: a4", "paper: a5"), "utf-8")
    shown.update([config])
    problems = shown.state()["problems"]
    assert problems and problems[0]["file"] == "briefgen.yaml" and problems[0]["excerpt"]
    assert b"Footer two" in shown.html  # the last good render stays


def test_a_template_error_is_located_in_the_template(tmp_path: Path) -> None:
    project = copy_example(tmp_path)
    shown = Preview(project, Selection(None, None))
    shown.update()
    override = project / "templates" / "brief"
    override.mkdir(parents=True)
    (override / "template.yaml").write_text(
        (Path(__file__).parents[1] / "src/briefgen/templates/brief/template.yaml")
        .read_text("utf-8"), "utf-8")
    shown.update([override / "template.yaml"])
    assert shown.state()["problems"] == []
    (override / "brief.html.j2").write_text("{% extends 'base.html.j2' %}\n{% block x %}\n"
                                           "{{ nothing_here( }}\n{% endblock %}\n", "utf-8")
    shown.update([override / "brief.html.j2"])
    problems = shown.state()["problems"]
    assert problems and problems[0]["file"] == "templates/brief/brief.html.j2"
    assert problems[0]["line"] == 3
    assert any(e["here"] and "nothing_here(" in e["text"] for e in problems[0]["excerpt"])


def test_the_preview_reads_no_file_a_build_may_not(tmp_path: Path) -> None:
    """The same resource policy as a build: an image outside the project is a problem."""
    project = copy_example(tmp_path / "project")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    _edit(project, CASE, "sources: [pace-wd-675, odf-2019]",
          "sources: [pace-wd-675, odf-2019]\nphoto: ../../../secret.png\nphoto_alt: x")
    shown = Preview(project, Selection("case-sheet", None))
    shown.update()
    problems = shown.state()["problems"]
    assert problems and any("outside" in p["message"] or "not allowed" in p["message"]
                            for p in problems), problems
    assert shown.html == b""


def test_an_excerpt_is_never_read_outside_the_project(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("secret line\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.yaml").symlink_to(tmp_path / "outside.txt")
    assert locate(Problem("../outside.txt", 1, None, "x"), project).excerpt == ()
    assert locate(Problem("link.yaml", 1, None, "x"), project).excerpt == ()
    (project / "ok.yaml").write_text("a: 1\nb: 2\n")
    assert locate(Problem("ok.yaml", 2, None, "x"), project).excerpt == (
        (1, "a: 1"), (2, "b: 2"))


# -- the server ------------------------------------------------------------------------

def _request(url: str, path: str, *, method: str = "GET", host: str | None = None,
             headers: dict[str, str] | None = None, body: bytes | None = None
             ) -> tuple[int, bytes, dict[str, str]]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or parts.netloc)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data, {k.lower(): v for k, v in response.getheaders()}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    project = copy_example(tmp_path_factory.mktemp("served"))
    with running_server(project) as url:
        yield url


def test_the_server_listens_on_loopback_only(server: str) -> None:
    assert urlsplit(server).hostname == HOST == "127.0.0.1"
    status, body, headers = _request(server, "/")
    assert status == 200 and b"briefgen preview" in body
    assert "script-src 'self'" in headers["content-security-policy"]
    sock = bind(0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


@pytest.mark.parametrize("host", ["evil.example:80", "attacker.test", "127.0.0.1.nip.io"])
def test_a_foreign_host_header_is_refused(server: str, host: str) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing."""
    status, body, _ = _request(server, "/state", host=host)
    assert status == 400 and b"Svetlana" not in body


def test_localhost_by_name_is_served(server: str) -> None:
    assert _request(server, "/state", host=f"localhost:{urlsplit(server).port}")[0] == 200


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/_/../../briefgen.yaml",
    "/_/..%2fapp.py", "/_/app.py", "/content/brief.yaml", "/briefgen.yaml",
    "/_/static/preview.js", "/pdf/1/0.png", "/pdf/999/1.png", "/pdf/x/1.png",
])
def test_no_file_is_served_by_name(server: str, path: str) -> None:
    status, body, _ = _request(server, path)
    assert status == 404, (path, body[:200])
    assert b"root:" not in body and b"template:" not in body


def test_the_preview_html_may_run_no_script(server: str) -> None:
    status, body, headers = _request(server, "/html")
    assert status == 200 and b"<html" in body
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_select_takes_only_a_json_post_from_its_own_page(server: str) -> None:
    body = json.dumps({"template": "handout"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert _request(server, "/select", method="POST", body=body, headers=form)[0] == 415
    foreign = {"Content-Type": "application/json", "Origin": "http://evil.example"}
    assert _request(server, "/select", method="POST", body=body, headers=foreign)[0] == 403
    assert _request(server, "/select", method="GET")[0] == 405
    own = {"Content-Type": "application/json", "Origin": server.rstrip("/")}
    bad = json.dumps({"template": "../../etc"}).encode()
    status, message, _ = _request(server, "/select", method="POST", body=bad, headers=own)
    assert status == 400 and b"unknown template" in message
    assert _request(server, "/select", method="POST", body=b"{", headers=own)[0] == 400
    assert json.loads(_request(server, "/state")[1])["template"] == "brief"


def test_the_pdf_and_its_pages(server: str) -> None:
    _wait(lambda: json.loads(_request(server, "/state")[1])["pdf"] is not None)
    state = json.loads(_request(server, "/state")[1])
    status, data, headers = _request(server, "/pdf")
    assert status == 200 and data.startswith(b"%PDF") and headers["content-type"] == (
        "application/pdf")
    version, pages = state["pdf"]["version"], state["pdf"]["pages"]
    status, image, _ = _request(server, f"/pdf/{version}/{pages}.png")
    assert status == 200 and image.startswith(b"\x89PNG")
    assert _request(server, f"/pdf/{version}/{pages + 1}.png")[0] == 404


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    project = copy_example(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        result = run_cli("serve", str(project), "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert result.exit_code == 1
    assert "--port: cannot listen on 127.0.0.1" in result.output
    assert "Traceback" not in result.output


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("serve", str(tmp_path))
    assert result.exit_code == 1 and "not a briefgen project" in result.output


def test_errors_raise_nothing_through_the_preview(tmp_path: Path) -> None:
    """A project broken from the start: the server still starts and shows why."""
    project = copy_example(tmp_path)
    (project / "content" / "brief.yaml").write_text("title: [unclosed\n", "utf-8")
    shown = Preview(project, Selection(None, None))
    shown.update()
    problems = shown.state()["problems"]
    assert problems and problems[0]["file"] == "content/brief.yaml"
    assert shown.html == b"" and shown.state()["html_version"] == 0
    with pytest.raises(BriefgenError):
        from briefgen.pipeline import Pipeline

        Pipeline.open(project)


def test_ctrl_c_stops_at_once_with_a_page_open(tmp_path: Path) -> None:
    """An open page holds an event stream; Ctrl-C must not wait on it or print a trace."""
    import signal
    import subprocess
    import sys
    import threading
    import urllib.request

    from .conftest import default_sigint

    project = copy_example(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", str(project)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_sigint)
    url = (process.stdout.readline() if process.stdout else "").strip()
    stream = urllib.request.urlopen(url + "events", timeout=30)
    threading.Thread(target=stream.read, daemon=True).start()
    time.sleep(0.3)
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert process.returncode == 0, err
    assert "Traceback" not in err and "ERROR" not in err
    assert "preview stopped" in err


def test_large_data_urls_are_served_once_and_small_ones_stay() -> None:
    import base64

    from briefgen.serve.assets import ASSET_PREFIX, split_assets

    font = bytes(range(256)) * 40
    small = base64.b64encode(b"tiny").decode()
    html = (f'<style>@font-face{{src:url(data:font/woff2;base64,'
            f'{base64.b64encode(font).decode()}) format("woff2")}}</style>'
            f'<img src="data:image/png;base64,{small}" alt="x">').encode()
    page, assets = split_assets(html)
    (name, asset), = assets.items()
    assert asset.data == font and asset.media_type == "font/woff2"
    assert f"url({ASSET_PREFIX}{name})".encode() in page
    assert f"data:image/png;base64,{small}".encode() in page
    assert len(page) < 200


def test_the_page_fonts_come_from_the_server_with_no_script_allowed(server: str) -> None:
    import re

    status, page, _ = _request(server, "/html")
    names = re.findall(rb"/asset/([0-9a-f]{32})", page)
    assert names, "the fonts are served, not inlined"
    status, data, headers = _request(server, f"/asset/{names[0].decode()}")
    assert status == 200 and len(data) > 4096
    assert "sandbox" in headers["content-security-policy"]
    assert _request(server, "/asset/" + "0" * 32)[0] == 404
