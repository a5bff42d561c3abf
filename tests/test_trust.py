"""Untrusted input handled safely, outputs reproducible and never half-written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from briefgen.build import BuildRequest, build, check
from briefgen.errors import BriefgenError
from briefgen.pipeline import Pipeline

from .conftest import copy_example, run_cli

CASE = Path("content/cases/02-saniya-toiken.md")
FORMATS = ["pdf", "html", "docx"]


def append(project: Path, rel: Path, text: str) -> None:
    path = project / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def outputs(project: Path) -> dict[str, bytes]:
    """The files in build/ (temporary ones included), not the build's state folder."""
    return {p.name: p.read_bytes() for p in sorted((project / "build").iterdir())
            if p.is_file()}


def test_builds_in_two_folders_are_byte_identical(tmp_path):
    first = copy_example(tmp_path / "a")
    second = copy_example(tmp_path / "somewhere" / "else" / "entirely")
    build(BuildRequest(project_dir=first, formats=FORMATS))
    build(BuildRequest(project_dir=second, formats=FORMATS))
    one, two = outputs(first), outputs(second)
    assert set(one) == {"brief.pdf", "brief.html", "brief.docx"}
    assert one == two
    for name, data in one.items():
        assert str(tmp_path).encode() not in data, f"{name} contains a local path"
    with zipfile.ZipFile(first / "build" / "brief.docx") as archive:
        for member in archive.namelist():
            assert str(tmp_path).encode() not in archive.read(member), member


def test_ctrl_c_while_writing_leaves_the_previous_build(project, monkeypatch):
    build(BuildRequest(project_dir=project, formats=["pdf", "html"]))
    before = outputs(project)
    append(project, CASE, "\nA change that would alter the outputs.\n")
    calls = {"n": 0}
    real_fsync = __import__("os").fsync

    def interrupted_fsync(fd):  # the second file is being written when Ctrl-C comes
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_fsync(fd)

    monkeypatch.setattr("briefgen.output.os.fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        build(BuildRequest(project_dir=project, formats=["pdf", "html"]))
    assert outputs(project) == before  # no new file replaced an old one, no temp file left


def test_utf8_bom_and_windows_line_ends_are_accepted(project):
    path = project / "content" / "brief.yaml"
    text = path.read_text("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    loaded = Pipeline.open(project).loaded
    assert loaded.content.brief.title == (
        "Magnitsky sanctions for political prosecution in Kazakhstan")


def test_content_is_data_never_template_code_or_markup(project):
    append(project, CASE, "\nInjected {{ 7*7 }} and {% if x %} and <script>alert(1)</script>"
                          " <img src=x onerror=alert(1)>\n")
    result = build(BuildRequest(project_dir=project, formats=FORMATS))
    html = (project / "build" / "brief.html").read_text("utf-8")
    assert "Injected {{ 7*7 }} and {% if x %}" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Injected {{ 7*7 }}" in text
    word = Document(str(project / "build" / "brief.docx"))
    assert any("Injected {{ 7*7 }}" in p.text for p in word.paragraphs)


def test_network_resources_need_an_explicit_permission(project):
    append(project, CASE, "\n![A chart](https://example.org/chart.png)\n")
    with pytest.raises(BriefgenError) as refused:
        check(project)
    assert "is on the network" in str(refused.value)
    assert "--allow-network" in str(refused.value)
    check(project, allow_network=True)  # allowed when asked for: no error


def test_allow_paths_opens_one_more_folder(tmp_path):
    from PIL import Image

    project = copy_example(tmp_path / "project")
    shared = tmp_path / "shared-images"
    shared.mkdir()
    Image.new("RGB", (20, 10), (200, 0, 0)).save(shared / "flag.png")
    append(project, CASE, "\n![A red flag](../shared-images/flag.png)\n")
    result = run_cli("build", str(project), "--format", "html")
    assert result.exit_code == 1 and "leads outside the project folder" in result.output
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "allow_paths: [../shared-images]\n", "utf-8")
    # the project cannot grant itself access: the person running the command does
    result = run_cli("build", str(project), "--format", "html")
    assert result.exit_code == 1 and "leads outside the project folder" in result.output
    line = config.read_text("utf-8").count("\n")
    assert (f"briefgen.yaml:{line}: allow_paths: ignored: a project cannot widen "
            "what it may read; if you trust this project, run the command with "
            "--trust-project") in result.output
    result = run_cli("build", str(project), "--format", "pdf,html,docx", "--trust-project")
    assert result.exit_code == 0, result.output
    assert "ignored" not in result.output
    html = (project / "build" / "brief.html").read_text("utf-8")
    assert 'src="data:image/png;base64,' in html and 'alt="A red flag"' in html


def test_template_sandbox_refuses_python_internals(project):
    override = project / "templates" / "brief" / "partials"
    override.mkdir(parents=True)
    (override / "summary.html.j2").write_text(
        "<section id=\"summary\">\n<h2>x</h2>\n{{ cite.__globals__ }}\n</section>\n", "utf-8")
    result = run_cli("build", str(project), "--format", "html")
    assert result.exit_code == 1
    assert "templates/brief/partials/summary.html.j2:3: not allowed in a template" in (
        result.output)
    assert "__globals__" in result.output and "Traceback" not in result.output


def test_a_project_cannot_grant_itself_the_machine(tmp_path):
    """allow_paths: ["/"] and allow_network: true in a received briefgen.yaml are reported
    and ignored; a template attachment of a system file stays refused."""
    project = copy_example(tmp_path / "project")
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + 'allow_paths: ["/"]\nallow_network: true\n',
                      "utf-8")
    override = project / "templates" / "brief" / "partials"
    override.mkdir(parents=True)
    (override / "summary.html.j2").write_text(
        '<section id="summary"><h2>x</h2>'
        '<link rel="attachment" href="file:///etc/passwd"></section>\n', "utf-8")
    result = run_cli("check", str(project))
    lines = config.read_text("utf-8").count("\n")
    assert f"briefgen.yaml:{lines - 1}: warning: allow_paths: ignored" in result.output
    assert f"briefgen.yaml:{lines}: warning: allow_network: ignored" in result.output
    result = run_cli("build", str(project), "--format", "pdf")
    assert result.exit_code == 1
    assert "file:///etc/passwd" in result.output and "outside the project" in result.output
    assert not (project / "build" / "brief.pdf").exists()
