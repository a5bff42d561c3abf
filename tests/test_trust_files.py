"""One gate for every file a build reads (issue 11, items 1 and 2): content, settings,
template manifests, stylesheets and their imports, images, reference.docx — resolved
with symlinks followed, inside the project or briefgen's assets, regular files only,
sized by the bytes read. Each reproducer of the attack report is here."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build import BuildRequest, build
from briefgen.errors import BriefgenError

from .conftest import REPO, run_cli

SECRET = "root:x:0:0:SECRET-LINE:/root:/bin/bash\n"
BRIEF_TEMPLATE = REPO / "src" / "briefgen" / "templates" / "brief"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file elsewhere on the machine that no build may read."""
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET, "utf-8")
    return path


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A FIFO or /dev/zero read by mistake would hang or exhaust memory: fail instead."""

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError("the build read a special file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _refused(project: Path, formats: list[str] | None = None, **options: object) -> str:
    with pytest.raises(BriefgenError) as failed:
        build(BuildRequest(project_dir=project, formats=formats, **options))  # type: ignore[arg-type]
    message = str(failed.value)
    assert "SECRET-LINE" not in message
    return message


def _no_outputs(project: Path) -> None:
    build_dir = project / "build"
    made = [p for p in build_dir.rglob("*") if p.is_file()] if build_dir.exists() else []
    assert all("SECRET-LINE" not in p.read_text("utf-8", "replace") for p in made)


# -- templates and stylesheets ---------------------------------------------------------

def test_a_symlinked_template_stylesheet_is_refused(project: Path, outside: Path) -> None:
    override = project / "templates" / "brief"
    override.mkdir(parents=True)
    (override / "style.css").symlink_to(outside)
    message = _refused(project, ["html"])
    assert "templates/brief/style.css: refused: leads outside its template folder" in message
    _refused(project, ["pdf"])
    _no_outputs(project)


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../etc/passwd", "x/../../style.css"])
def test_a_stylesheet_path_out_of_the_template_is_refused_at_its_line(
        project: Path, name: str) -> None:
    override = project / "templates" / "flyer"
    override.mkdir(parents=True)
    (override / "template.yaml").write_text(
        f"description: A flyer\nformats: [pdf, html]\nstylesheets:\n  - style.css\n"
        f"  - {name}\n", "utf-8")
    (override / "flyer.html.j2").write_text("<html><body>x</body></html>", "utf-8")
    message = _refused(project, template="flyer")
    assert "templates/flyer/template.yaml:5: stylesheets[1]: expected a file name inside " \
           "the template folder" in message


def test_a_symlinked_theme_stylesheet_is_refused(project: Path, outside: Path) -> None:
    css = outside.with_name("evil.css")
    css.write_text('h1::after { content: "SECRET-LINE" }\n', "utf-8")
    (project / "extra.css").symlink_to(css)
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n")
    for formats in (["html"], ["pdf"]):
        message = _refused(project, formats)
        assert "extra.css" in message
    _no_outputs(project)


def test_an_import_of_a_file_outside_is_refused(project: Path, outside: Path) -> None:
    (project / "extra.css").write_text(f'@import "{os.path.relpath(outside, project)}";\n')
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n")
    for formats in (["html"], ["pdf"]):
        assert "refused" in _refused(project, formats)


def test_a_stylesheet_that_imports_itself_is_an_error_not_a_hang(project: Path) -> None:
    (project / "extra.css").write_text('@import "extra.css";\n@import "extra.css";\n'
                                       '@import "extra.css";\nh1 { color: red }\n')
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n")
    message = _refused(project, ["html"])
    assert "extra.css" in message and "in a circle" in message


def test_a_latin1_stylesheet_is_located_not_a_traceback(project: Path) -> None:
    (project / "extra.css").write_bytes(b"h1 { color: red }\n/* caf\xe9 */\n")
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n")
    for formats in (["html"], ["pdf"]):
        assert "extra.css:2: stylesheet is not UTF-8 text" in _refused(project, formats)


def test_a_symlinked_template_manifest_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "manifest.yaml"
    elsewhere.write_text("description: SECRET-LINE\n")
    override = project / "templates" / "brief"
    override.mkdir(parents=True)
    (override / "template.yaml").symlink_to(elsewhere)
    message = _refused(project)
    assert "templates/brief/template.yaml: refused: it leads outside the project" in message


def test_a_symlinked_reference_docx_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "reference.docx"
    elsewhere.write_bytes((REPO / "src/briefgen/templates/_shared/reference.docx").read_bytes())
    override = project / "templates" / "brief"
    override.mkdir(parents=True)
    (override / "reference.docx").symlink_to(elsewhere)
    message = _refused(project, ["docx"])
    assert "templates/brief/reference.docx: refused: leads outside" in message


# -- content and settings --------------------------------------------------------------

CASE = "content/cases/03-svetlana-glushkova.md"


def test_a_symlinked_case_file_is_refused(project: Path, outside: Path) -> None:
    case = project / CASE
    case.unlink()
    case.symlink_to(outside)
    message = _refused(project, ["html"])
    assert f"{CASE}: refused: it leads outside the project folder" in message


def test_a_symlinked_content_folder_is_refused(project: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved-content"
    (project / "content").rename(moved)
    (project / "content").symlink_to(moved)
    message = _refused(project, ["html"])
    assert "content/brief.yaml: refused: it leads outside the project folder" in message


def test_sources_linked_to_a_system_file_prints_none_of_it(project: Path,
                                                          outside: Path) -> None:
    sources = project / "content" / "sources.yaml"
    sources.unlink()
    sources.symlink_to(outside)
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert "content/sources.yaml: refused: it leads outside" in result.output
    assert "SECRET-LINE" not in result.output and "root:" not in result.output


def test_a_case_linked_to_dev_zero_is_refused_at_once(project: Path) -> None:
    case = project / CASE
    case.unlink()
    case.symlink_to("/dev/zero")
    assert f"{CASE}: refused: it" in _refused(project, ["html"])


def test_a_fifo_as_a_case_file_is_refused_not_waited_on(project: Path) -> None:
    case = project / CASE
    case.unlink()
    os.mkfifo(case)
    assert f"{CASE}: refused: it is not a regular file" in _refused(project, ["html"])


def test_a_symlinked_settings_file_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "settings.yaml"
    elsewhere.write_text((project / "briefgen.yaml").read_text("utf-8"))
    (project / "briefgen.yaml").unlink()
    (project / "briefgen.yaml").symlink_to(elsewhere)
    assert "briefgen.yaml: refused: it leads outside" in _refused(project, ["html"])


def test_a_symlink_inside_the_project_still_works(project: Path) -> None:
    """Links are not refused as such: one to a file of the project is that file."""
    case = project / CASE
    real = project / "drafts" / "glushkova.md"
    real.parent.mkdir()
    case.rename(real)
    case.symlink_to(real)
    result = build(BuildRequest(project_dir=project, formats=["html"]))
    html = result.outputs[0].read_text("utf-8")
    assert "Svetlana Glushkova" in html


def test_a_decompression_bomb_is_refused_at_check(project: Path) -> None:
    """A 20000×20000 PNG is a few kilobytes and 400 megapixels once decoded."""
    from PIL import Image

    bomb = project / "content" / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb, optimize=True)
    assert bomb.stat().st_size < 200_000
    case = project / CASE
    case.write_text(case.read_text("utf-8") + "\n![A map](content/bomb.png)\n", "utf-8")
    result = run_cli("check", str(project))
    assert result.exit_code == 1, result.output
    line = len(case.read_text("utf-8").splitlines())
    assert f"content/cases/03-svetlana-glushkova.md:{line}: image 'content/bomb.png' has too " \
           "many pixels to open; images are limited to 50 megapixels" in result.output
    assert "Traceback" not in result.output


def test_an_unexpected_error_is_one_line_asking_for_a_report(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug, not bad input: no traceback without --debug, the traceback with it."""
    import sys

    import briefgen.build
    from briefgen.cli import main

    def broken(_request: object, **_options: object) -> None:
        raise RuntimeError("something inside briefgen broke")

    monkeypatch.setattr(briefgen.build, "build", broken)
    monkeypatch.setattr(sys, "argv", ["briefgen", "build", str(project)])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "error: briefgen stopped on an unexpected RuntimeError (something inside " \
           "briefgen broke). Please report it as a bug" in err
    assert "Traceback" not in err
    monkeypatch.setattr(sys, "argv", ["briefgen", "build", str(project), "--debug"])
    with pytest.raises(RuntimeError):
        main()


def test_an_image_just_over_the_pixel_limit_says_its_size(project: Path) -> None:
    from PIL import Image

    big = project / "content" / "big.png"
    Image.new("1", (10_000, 6_000)).save(big, optimize=True)
    case = project / CASE
    case.write_text(case.read_text("utf-8") + "\n![A map](content/big.png)\n", "utf-8")
    result = run_cli("check", str(project))
    assert "image 'content/big.png' is 10000×6000 pixels (60 megapixels); images are " \
           "limited to 50 megapixels: scale it down" in result.output


@pytest.mark.parametrize("url", [
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "javascript:alert(1)", "docs/declaration.pdf", "//evil.example/x", "https://",
    "https://example.org/a b",
])
def test_a_source_url_is_a_full_web_address(project: Path, url: str) -> None:
    """Item 7: a url field takes http(s) or mailto, written in full, checked at load."""
    sources = project / "content" / "sources.yaml"
    text = sources.read_text("utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("url:"))
    sources.write_text(text.replace(first, first.split("url:")[0] + f"url: '{url}'", 1))
    line = text.splitlines().index(first) + 1
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert f"content/sources.yaml:{line}: [0].url: expected a full address starting with " \
           "https:// or http:// (or mailto:)" in result.output


def test_web_and_mail_addresses_are_accepted(project: Path) -> None:
    brief = project / "content" / "brief.yaml"
    text = brief.read_text("utf-8")
    brief.write_text(text.replace("url: https://example.org/briefs/kazakhstan-magnitsky",
                                  "url: mailto:advocacy@example.org"), "utf-8")
    assert run_cli("check", str(project)).exit_code == 0


@pytest.mark.parametrize(("expression", "message"), [
    ("'x' * 10**12", "repeating a text or list 1,000,000,000,000 times"),
    ("'x' * 1000000000", "repeating a text or list 1,000,000,000 times"),
    ("[1] * 100000000", "repeating a text or list 100,000,000 times"),
    ("7 ** 999999", "a power of 999999"),
])
def test_a_template_cannot_make_a_huge_value(project: Path, expression: str,
                                             message: str) -> None:
    """Small input, huge cost: one expression must not take the machine's memory."""
    override = project / "templates" / "brief" / "partials"
    override.mkdir(parents=True)
    (override / "summary.html.j2").write_text(
        f'<section id="summary">\n<h2>x</h2>\n{{{{ {expression} }}}}\n</section>\n', "utf-8")
    result = run_cli("build", str(project), "--format", "html")
    assert result.exit_code == 1
    assert "templates/brief/partials/summary.html.j2:3: not allowed in a template: " \
           f"{message}" in result.output, result.output


def test_same_bytes_from_two_folders_with_an_image_and_an_attachment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 8: image names in the PDF do not carry the project's folder, and an
    attachment's date is the brief's, not the file's or the build's."""
    from PIL import Image

    from .conftest import copy_example

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    made = []
    for name, mtime in (("one", 1_000_000_000), ("two", 1_600_000_000)):
        project = copy_example(tmp_path / name)
        Image.new("RGB", (40, 20), (200, 0, 0)).save(project / "content" / "flag.png")
        case = project / CASE
        case.write_text(case.read_text("utf-8") + "\n![A red flag](content/flag.png)\n")
        notes = project / "content" / "notes.txt"
        notes.write_text("Notes for the brief.\n", "utf-8")
        for path in (notes, project / "content" / "flag.png"):
            os.utime(path, (mtime, mtime))
        partial = project / "templates" / "brief" / "partials"
        partial.mkdir(parents=True)
        (partial / "summary.html.j2").write_text(
            '<section id="summary"><h2>x</h2>'
            '<link rel="attachment" href="content/notes.txt" title="Notes"></section>\n')
        result = build(BuildRequest(project_dir=project, formats=["pdf", "html", "docx"]))
        made.append({p.name: p.read_bytes() for p in result.outputs})
    first, second = made
    assert b"/EmbeddedFile" in first["brief.pdf"] and b"/XObject" in first["brief.pdf"]
    for name in first:
        assert first[name] == second[name], f"{name} differs between the two folders"


def test_a_document_over_the_page_limit_is_refused(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is 2,000 pages; lowered here so the example (14 pages) is over it."""
    import re

    from briefgen.render import paged

    monkeypatch.setattr(paged, "MAX_PAGES", 5)
    message = _refused(project, ["pdf"])
    assert re.search(r"template 'brief': the document runs to \d\d pages; documents are "
                     r"limited to 5", message), message
    assert not (project / "build" / "brief.pdf").exists()


def test_the_attack_table_names_only_tests_that_exist() -> None:
    """docs/security.md maps each attack class to its tests: a renamed or deleted test
    must not leave the table claiming coverage that is gone."""
    import re

    doc = (REPO / "docs" / "security.md").read_text("utf-8")
    table = doc.split("## Attacks and the tests that hold them", 1)[1].split("\n## ", 1)[0]
    sources = "".join(p.read_text("utf-8") for p in (REPO / "tests").glob("*.py"))
    named = set(re.findall(r"\b(test_[a-z0-9_]+)\b(?!\.py)", table))
    assert named, "the table names no test"
    assert sorted(n for n in named if f"def {n}(" not in sources) == []
    corpus = {p.name[:3] for p in (REPO / "tests" / "bad_inputs").iterdir() if p.is_dir()}
    for first, last in re.findall(r"corpus (\d{3})(?:–(\d{3}))?", table):
        for number in range(int(first), int(last or first) + 1):
            assert f"{number:03d}" in corpus, f"corpus {number} named but missing"
