"""Error reporting: every fault in a project is reported as file:line: field: message.

Each test copies the example project, introduces one fault (or a few), runs the
CLI and checks that the user is told where the problem is and what is expected,
without a Python traceback. Line numbers are computed from the text the test
wrote, never hard-coded.

With click's CliRunner an uncaught Python exception never prints "Traceback"
into result.output, so "no traceback" is checked by requiring that the command
ended through briefgen's own error exit (SystemExit(1)) rather than by a stray
exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.build_stamp import STATE_DIR
from briefgen.content.model import STATUSES
from briefgen.errors import BriefgenError

from .conftest import default_sigint, run_cli

CASE = "content/cases/02-saniya-toiken.md"


# --------------------------------------------------------------------------- helpers


def patch(project: Path, rel: str, old: str, new: str) -> Path:
    """Replace the single occurrence of `old` in a project file by `new`."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def write(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines_with(project: Path, rel: str, needle: str, *, start: bool = False) -> list[int]:
    """1-based numbers of the lines containing (or, with start, starting with) needle."""
    text = (project / rel).read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.split("\n"), start=1)
            if (line.startswith(needle) if start else needle in line)]


def line_of(project: Path, rel: str, needle: str, *, start: bool = False) -> int:
    """The line of the one line containing needle (fails if there is not exactly one)."""
    found = lines_with(project, rel, needle, start=start)
    assert len(found) == 1, f"{needle!r} is on lines {found} of {rel}, expected one"
    return found[0]


def first_field_line(project: Path, rel: str) -> int:
    """Line of the first YAML field (the top-level mapping starts there)."""
    text = (project / rel).read_text(encoding="utf-8")
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            return n
    raise AssertionError(f"no field in {rel}")


def assert_failed(result: Result) -> str:
    """The command failed cleanly: exit 1 through briefgen's error path, no traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), (
        f"expected a clean error exit, got {result.exception!r}")
    assert "Traceback" not in result.output
    return result.output


def check(project: Path) -> str:
    return assert_failed(run_cli("check", str(project)))


def build_html(project: Path, *args: str) -> str:
    return assert_failed(run_cli("build", str(project), "--format", "html", *args))


def known_source_ids(project: Path) -> list[str]:
    text = (project / "content/sources.yaml").read_text(encoding="utf-8")
    return [line.split(":", 1)[1].strip() for line in text.split("\n")
            if line.startswith("- id:")]


# ------------------------------------------------------------------ YAML and schema


def test_malformed_yaml(project: Path) -> None:
    patch(project, "content/brief.yaml", "language: en\n", "language: en\nkey_words: [a, b\n")
    opened = line_of(project, "content/brief.yaml", "key_words: [a, b")
    out = check(project)
    # The parser notices the missing ']' on the next line; the message points at the line
    # where the list began, and shows it closed.
    assert (f"content/brief.yaml:{opened}: key_words: the list that opens with [ on this "
            "line is not closed; end it with ]") in out
    assert "write:    key_words: [a, b]\n" in out
    assert "1 problem found" in out


def test_malformed_yaml_without_a_hint(project: Path) -> None:
    """A mistake briefgen has no words for is told in the parser's, at its line."""
    patch(project, "content/brief.yaml", "language: en\n", "language: en\n---\nb: 1\n")
    second = line_of(project, "content/brief.yaml", "---", start=True)
    out = check(project)
    assert (f"content/brief.yaml:{second}: malformed YAML: expected a single document in "
            "the stream") in out
    assert "1 problem found" in out


def test_malformed_yaml_in_front_matter_counts_the_dashes_line(project: Path) -> None:
    patch(project, CASE, "country: Kazakhstan\n", "country: [Kazakhstan\n")
    opened = line_of(project, CASE, "country: [Kazakhstan")
    out = check(project)
    assert f"{CASE}:{opened}: country: the list that opens with [" in out
    assert f"line {opened}:  country: [Kazakhstan\n" in out


def test_missing_required_field(project: Path) -> None:
    rel = "content/declaration.yaml"
    path = project / rel
    lines = path.read_text("utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("title:")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept), "utf-8")
    assert not lines_with(project, rel, "title:", start=True)
    # A missing field has no line of its own: it points at the mapping that lacks it.
    line = first_field_line(project, rel)
    out = check(project)
    assert f"{rel}:{line}: title: required field is missing" in out


def test_missing_required_field_in_case(project: Path) -> None:
    patch(project, CASE, "role: journalist\n", "")
    line = line_of(project, CASE, "id: saniya-toiken")  # first field of the front matter
    out = check(project)
    assert f"{CASE}:{line}: role: required field is missing" in out


def test_wrong_type(project: Path) -> None:
    rel = "content/declaration.yaml"
    patch(project, rel, "  total: 25\n", "  total: many\n")
    line = line_of(project, rel, "  total: many")
    out = check(project)
    assert f"{rel}:{line}: signatories.total: expected a whole number, got str 'many'" in out


def test_wrong_type_nested_in_list(project: Path) -> None:
    rel = "content/declaration.yaml"
    patch(project, rel, "group: UEL}\n    - {title: Mr, name: Maurizio",
          "group: [UEL]}\n    - {title: Mr, name: Maurizio")
    line = line_of(project, rel, "group: [UEL]}")
    out = check(project)
    assert f"{rel}:{line}: signatories.listed[2].group: expected text, got a list" in out


def test_impossible_date(project: Path) -> None:
    patch(project, "content/brief.yaml", "date: 2026-11-28", "date: 2026-02-30")
    line = line_of(project, "content/brief.yaml", "date: 2026-02-30")
    out = check(project)
    assert f"content/brief.yaml:{line}" in out
    assert "2026-02-30" in out


def test_invalid_enum_in_case_front_matter(project: Path) -> None:
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    line = line_of(project, CASE, "status: jailed")
    # Front matter lines count the opening '---' as line 1.
    assert (project / CASE).read_text("utf-8").split("\n")[0] == "---"
    out = check(project)
    assert f"{CASE}:{line}: status: expected one of " in out
    assert "got 'jailed'" in out
    for status in STATUSES:
        assert f"'{status}'" in out


def test_unknown_field(project: Path) -> None:
    patch(project, CASE, "country: Kazakhstan\n",
          "country: Kazakhstan\nsentense: five years\n")
    line = line_of(project, CASE, "sentense:")
    out = check(project)
    assert f"{CASE}:{line}: sentense: unknown field" in out


def test_duplicate_key(project: Path) -> None:
    rel = "content/brief.yaml"
    patch(project, rel, "language: en\n", "language: en\nsubtitle: Another subtitle\n")
    first, second = lines_with(project, rel, "subtitle:", start=True)
    out = check(project)
    assert f"{rel}:{second}: duplicate key 'subtitle' (first given on line {first})" in out


def test_duplicate_key_in_front_matter(project: Path) -> None:
    patch(project, CASE, "country: Kazakhstan\n", "country: Kazakhstan\nrole: blogger\n")
    first, second = lines_with(project, CASE, "role:", start=True)
    out = check(project)
    assert f"{CASE}:{second}: duplicate key 'role' (first given on line {first})" in out


def test_not_utf8(project: Path) -> None:
    path = project / CASE
    text = path.read_text("utf-8").replace("Toiken was covering", "Toiken was at the café covering")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    line = next(n for n, raw in enumerate(path.read_bytes().split(b"\n"), start=1)
                if b"caf\xe9" in raw)
    out = check(project)
    assert f"{CASE}:{line}: file is not UTF-8" in out


# ------------------------------------------------------------------- cross-references


def test_unknown_source_in_sources_list(project: Path) -> None:
    patch(project, CASE, "sources: [pace-wd-675, odf-2019]", "sources: [pace-wd-675, nope-src]")
    line = line_of(project, CASE, "nope-src")
    out = check(project)
    assert f"{CASE}:{line}: sources[1]: unknown source 'nope-src'" in out
    for source_id in known_source_ids(project):
        assert source_id in out


def test_unknown_citation_in_optional_markdown_field(project: Path) -> None:
    rel = "content/sanctions.yaml"
    patch(project, rel, "protesters, including children, since the ban of the DCK",
          "protesters [@nope], including children, since the ban of the DCK")
    # Citations in a YAML text field are located at the field's key.
    field_lines = lines_with(project, rel, "    description: |")
    cited = line_of(project, rel, "[@nope]")
    line = max(n for n in field_lines if n < cited)
    out = check(project)
    assert f"{rel}:{line}: targets[0].description: citation [@nope]: unknown source" in out
    for source_id in known_source_ids(project):
        assert source_id in out


def test_unknown_citation_in_case_narrative(project: Path) -> None:
    patch(project, CASE, "Toiken was covering", "Toiken [@nope] was covering")
    line = line_of(project, CASE, "[@nope]")
    out = check(project)
    assert f"{CASE}:{line}: citation [@nope]: unknown source" in out
    for source_id in known_source_ids(project):
        assert source_id in out


def test_unknown_citation_in_case_narrative_on_build(project: Path) -> None:
    patch(project, CASE, "Toiken was covering", "Toiken [@nope] was covering")
    line = line_of(project, CASE, "[@nope]")
    out = build_html(project)
    assert f"{CASE}:{line}: citation [@nope]: unknown source" in out


def test_unknown_citation_line_after_blank_lines_below_front_matter(project: Path) -> None:
    patch(project, CASE, "---\nSaniya Toiken is", "---\n\n\nSaniya Toiken is")
    patch(project, CASE, "Toiken was covering", "Toiken [@nope] was covering")
    line = line_of(project, CASE, "[@nope]")
    out = check(project)
    assert f"{CASE}:{line}: citation [@nope]: unknown source" in out


def test_sanction_target_links_unknown_case(project: Path) -> None:
    rel = "content/sanctions.yaml"
    patch(project, rel, "cases: [protesters]", "cases: [protesters, no-such-case]")
    line = line_of(project, rel, "no-such-case")
    out = check(project)
    assert (f"{rel}:{line}: targets[0].cases[1]: target 'detention-of-protesters' "
            "links to unknown case 'no-such-case'") in out
    assert "saniya-toiken" in out  # the known case ids are listed


def test_duplicate_source_id(project: Path) -> None:
    rel = "content/sources.yaml"
    path = project / rel
    path.write_text(path.read_text("utf-8") + "\n- id: odf-2019\n  title: Again\n"
                    "  url: https://example.org/\n", "utf-8")
    first, second = lines_with(project, rel, "- id: odf-2019")
    index = len(known_source_ids(project)) - 1  # the entry just appended
    out = check(project)
    assert (f"{rel}:{second}: [{index}].id: duplicate source id 'odf-2019' "
            f"(first defined on line {first})") in out


def test_several_problems_in_different_files_are_listed_together(project: Path) -> None:
    patch(project, "content/declaration.yaml", "  total: 25\n", "  total: many\n")
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    patch(project, "content/brief.yaml", "language: en\n", "language: en\nsubtitle: Again\n")
    total = line_of(project, "content/declaration.yaml", "total: many")
    status = line_of(project, CASE, "status: jailed")
    dup = lines_with(project, "content/brief.yaml", "subtitle:", start=True)[1]
    out = check(project)
    assert out.startswith("3 problems found:")
    assert f"content/declaration.yaml:{total}: signatories.total:" in out
    assert f"{CASE}:{status}: status:" in out
    assert f"content/brief.yaml:{dup}: duplicate key 'subtitle'" in out


# -------------------------------------------------------------------------- images


def test_missing_image_in_optional_markdown_field(project: Path) -> None:
    rel = "content/brief.yaml"
    patch(project, rel, "      has none, and to use",
          "      has none ![A photo](images/missing.png), and to use")
    texts = lines_with(project, rel, "    text: |")
    image = line_of(project, rel, "missing.png")
    line = max(n for n in texts if n < image)
    out = check(project)
    assert f"{rel}:{line}: asks[1].text: image 'images/missing.png' not found" in out


def test_image_without_alt_in_optional_markdown_field(project: Path) -> None:
    rel = "content/brief.yaml"
    patch(project, rel, "      has none, and to use", "      has none ![](x.png), and to use")
    texts = lines_with(project, rel, "    text: |")
    image = line_of(project, rel, "![](x.png)")
    line = max(n for n in texts if n < image)
    out = check(project)
    assert f"{rel}:{line}: asks[1].text: image 'x.png' has no alt text" in out


def test_missing_logo(project: Path) -> None:
    rel = "content/brief.yaml"
    patch(project, rel, "      website: https://example.org\n",
          "      website: https://example.org\n    logo: images/logo.png\n"
          "    logo_alt: Our logo\n")
    line = line_of(project, rel, "logo: images/logo.png")
    out = check(project)
    assert f"{rel}:{line}: organisations[0].logo: image 'images/logo.png' not found" in out


def add_paragraph_after_first_one(project: Path, paragraph: str) -> None:
    """Give the case narrative a paragraph of its own after the first one."""
    end = "in Zhanaozen [@odf-2019].\n"
    patch(project, CASE, end, f"{end}\n{paragraph}\n")



def test_missing_image_in_case_narrative(project: Path) -> None:
    add_paragraph_after_first_one(project, "![A photo](images/missing.png)")
    line = line_of(project, CASE, "missing.png")
    out = check(project)
    assert f"{CASE}:{line}: image 'images/missing.png' not found" in out


def test_image_without_alt_in_case_narrative(project: Path) -> None:
    add_paragraph_after_first_one(project, "![](x.png)")
    line = line_of(project, CASE, "![](x.png)")
    out = check(project)
    assert f"{CASE}:{line}: image 'x.png' has no alt text" in out


def test_missing_image_line_inside_a_paragraph(project: Path) -> None:
    patch(project, CASE, "Toiken was covering",
          "Toiken ![A photo](images/missing.png) was covering")
    line = line_of(project, CASE, "missing.png")
    out = check(project)
    assert f"{CASE}:{line}: image 'images/missing.png' not found" in out


# ----------------------------------------------------------------------- templates


def test_unknown_template(project: Path) -> None:
    out = build_html(project, "--template", "nosuch")
    assert "unknown template 'nosuch'" in out
    assert "available: brief" in out


def test_unknown_template_from_settings_names_briefgen_yaml(project: Path) -> None:
    patch(project, "briefgen.yaml", "template: brief ", "template: nosuch ")
    line = line_of(project, "briefgen.yaml", "template: nosuch")
    out = build_html(project)
    assert f"briefgen.yaml:{line}: template: unknown template 'nosuch'" in out


OVERRIDE = "templates/brief/partials/summary.html.j2"


def test_template_syntax_error(project: Path) -> None:
    write(project, OVERRIDE, '<section id="summary">\n  <h2>Summary</h2>\n'
          "  {% if %}broken{% endif %}\n</section>\n")
    line = line_of(project, OVERRIDE, "{% if %}")
    out = build_html(project)
    assert f"{OVERRIDE}:{line}: template syntax error" in out


def test_template_undefined_variable(project: Path) -> None:
    write(project, OVERRIDE, '<section id="summary">\n  <h2>Summary</h2>\n'
          "  <p>{{ brief.nonexistent_field }}</p>\n</section>\n")
    line = line_of(project, OVERRIDE, "nonexistent_field")
    assert line == 3
    out = build_html(project)
    assert f"{OVERRIDE}:{line}: undefined variable" in out
    assert "nonexistent_field" in out


# ----------------------------------------------------------------- project settings


def test_not_a_project(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = check(empty)
    assert "not a briefgen project" in out
    assert str(empty.resolve()) in out


def test_missing_project_folder(tmp_path: Path) -> None:
    out = check(tmp_path / "nowhere")
    assert "project folder not found" in out


def test_invalid_settings_value(project: Path) -> None:
    patch(project, "briefgen.yaml", "paper: a4 ", "paper: a3 ")
    line = line_of(project, "briefgen.yaml", "paper: a3")
    out = check(project)
    assert f"briefgen.yaml:{line}: paper: expected one of 'a4' or 'letter', got 'a3'" in out


# ----------------------------------------------------- outputs, --debug, real process


@pytest.mark.parametrize("fault", ["content", "template"])
def test_failed_build_leaves_earlier_outputs_untouched(project: Path, fault: str) -> None:
    assert run_cli("build", str(project), "--format", "html").exit_code == 0
    out_dir = project / "build"
    html = out_dir / "brief.html"
    before = html.read_bytes()
    # An old, distinctive mtime: any rewrite, even within the same second, would change it.
    os.utime(html, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    listing = sorted(p.name for p in out_dir.iterdir())

    if fault == "content":
        patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    else:
        write(project, OVERRIDE, "<p>{{ brief.nonexistent_field }}</p>\n")
    build_html(project)

    assert html.read_bytes() == before
    assert html.stat().st_mtime_ns == 1_000_000_000_000_000_000
    assert sorted(p.name for p in out_dir.iterdir()) == listing
    assert not [p.name for p in out_dir.iterdir()
                if p.name.startswith(".") and p.name != STATE_DIR]
    assert not list(out_dir.rglob("*.tmp"))


def test_problems_go_to_stderr(project: Path) -> None:
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    result = run_cli("check", str(project))
    assert result.exit_code == 1
    assert f"{CASE}:" in result.stderr
    assert result.stdout == ""


def test_debug_lets_the_exception_propagate(project: Path) -> None:
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    line = line_of(project, CASE, "status: jailed")

    plain = run_cli("check", str(project))
    assert isinstance(plain.exception, SystemExit)
    assert "Traceback" not in plain.output

    debug = run_cli("--debug", "check", str(project))
    assert debug.exit_code != 0
    assert isinstance(debug.exception, BriefgenError)
    assert any(p.file == CASE and p.line == line and p.field == "status"
               for p in debug.exception.problems)


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, preexec_fn=default_sigint)


def test_real_process_reports_problem_without_traceback(project: Path) -> None:
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    line = line_of(project, CASE, "status: jailed")
    proc = run_module("check", str(project))
    assert proc.returncode == 1
    assert f"{CASE}:{line}: status: expected one of" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_real_process_debug_shows_traceback(project: Path) -> None:
    patch(project, CASE, "status: prosecuted\n", "status: jailed\n")
    proc = run_module("--debug", "check", str(project))
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr
    assert "BriefgenError" in proc.stderr
