"""Property-based fuzzing: whatever a content file holds, briefgen answers with problems.

The loaders get arbitrary text (control characters, YAML fragments, damaged copies of
the example's own files) and the renderers get arbitrary Markdown. The property is
the promise of errors.py: `check` and `build` either succeed or raise BriefgenError,
never any other exception; and content never puts a script, an event handler or a
javascript: address into the HTML.

Any exception other than BriefgenError fails the property (the bugs these tests found
are fixed; their inputs are pinned as cases in tests/bad_inputs/).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from briefgen.build import BuildRequest, build, check
from briefgen.errors import BriefgenError

from .conftest import REPO, copy_example

# BRIEFGEN_FUZZ_SCALE=20 pytest tests/test_fuzz.py  runs twenty times as many examples.
SCALE = max(1, int(os.environ.get("BRIEFGEN_FUZZ_SCALE", "1")))
SETTINGS = dict(
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repository; failures print their input
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_CASE = "content/cases/90-fuzz.md"


def succeeds_or_reports(action, project: Path) -> BriefgenError | None:
    """Run action(); a BriefgenError is the only acceptable failure, and must read well."""
    try:
        action()
    except BriefgenError as exc:
        assert exc.problems, "a BriefgenError without problems"
        text = str(exc)
        assert "Traceback" not in text
        assert str(project) not in text, f"message shows the absolute project path:\n{text}"
        return exc
    return None  # any other exception propagates: that is the property under test


# --------------------------------------------------------------------- strategies

YAML_BITS = st.sampled_from([
    "---\n", "...\n", ": ", "- ", "-\n", "[", "]", "{", "}", ", ", "&a ", "*a", "<<: *a\n",
    "? ", "|\n", ">-\n", "# note\n", "'", '"', "\n", "  ", "    ", "\t", "\r\n", "\r", "\x00",
    "\x0b", "\x1b", "\ufeff", "\u2028", "\x85", "!!binary ", "!!set ", "!!omap ", "!!str ",
    "!!python/object/apply:os.system ['true']", "!local ", "%YAML 1.1\n", "~", "null",
    "yes", "no", "1e400", ".inf", ".nan", "0x1F", "0o17", "-0", "2019-02-30", "2019-13",
    "2019", '"2019-03"', "@", "`", "\\", "é", "Ә", "[@odf-2019]", "[@nope]", "odf-2019",
    "![alt](x.png)", "![](../../etc/passwd)", "[a](javascript:alert(1))",
])
FIELDS = st.sampled_from([
    "title", "subtitle", "date", "language", "organisations", "summary", "key_asks", "asks",
    "keywords", "url", "name", "id", "role", "status", "kind", "members", "events", "sources",
    "publisher", "note", "text", "until", "contact", "logo", "logo_alt", "narrative",
    "other_names", "charges", "sentence", "bodies", "related_people", "country", "1", "<<",
])
FIELD_LINE = st.builds(
    lambda indent, dash, key, value: f"{'  ' * indent}{dash}{key}: {value}\n",
    st.integers(0, 3), st.sampled_from(["", "- "]), FIELDS,
    st.one_of(YAML_BITS, st.text(max_size=12)))
YAML_ISH = st.lists(
    st.one_of(YAML_BITS, FIELD_LINE, st.text(max_size=8),
              st.from_regex(r"[ -]{0,4}[a-z_]{1,8}: [^\n]{0,16}\n", fullmatch=True)),
    max_size=25).map("".join)


def _splice(text: str, at: int, cut: int, insert: str) -> str:
    at = min(at, len(text))
    return text[:at] + insert + text[at + cut:]


def damaged(original: str) -> st.SearchStrategy[str]:
    """The example's own file with a piece cut out and/or something pasted in."""
    return st.builds(_splice, st.just(original), st.integers(0, len(original)),
                     st.integers(0, 60), st.one_of(YAML_BITS, FIELD_LINE, st.text(max_size=20)))


def content_text(rel: str) -> st.SearchStrategy[str]:
    return st.one_of(st.text(), YAML_ISH, damaged((REPO / rel).read_text("utf-8")))


MD_BITS = st.sampled_from([
    "*", "_", "**", "__", "~~", "[", "]", "](", "![", "(", ")", "`", "```\n", "<", ">", "&",
    "&amp;", "&#0;", "&#x6a;", "\\", "#", "# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "|",
    "| a | b |\n| --- | --- |\n", "\n", "\n\n", "  \n", "\t", "---\n", "***\n", "<!-- x -->",
    "<script>alert(1)</script>", "<SCRIPT SRC=x>", "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>', "javascript:alert(1)", "JaVaScRiPt:x",
    "java\tscript:x", "[x]: javascript:alert(1)\n", "[x]", "[x][]", " onerror=", '"', "'",
    "[@odf-2019]", "[@odf-2019; @pace-wd-675]", "[@nope]", "@odf-2019", "https://example.org",
    "<https://example.org>", "mailto:a@example.org", "#anchor", "data:image/png;base64,AAAA",
    "http://example.org/x.png", "file:///etc/passwd", "../../etc/hostname", "/etc/passwd",
    "\x00", "\x0c", "\u202e", "\ufffe", "Ә", "é",
])
MARKDOWN = st.lists(st.one_of(MD_BITS, st.text(max_size=10)), max_size=40).map("".join)


# --------------------------------------------------------------------- projects

@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example; each test puts a file back as it found it."""
    return copy_example(tmp_path_factory.mktemp("fuzz-example") / "project")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example cut down to one case, so a PDF or Word build takes well under a second.

    It keeps the example's briefgen.yaml and sources.yaml, so citations resolve.
    """
    root = tmp_path_factory.mktemp("fuzz-small") / "project"
    (root / "content" / "cases").mkdir(parents=True)
    shutil.copyfile(REPO / "briefgen.yaml", root / "briefgen.yaml")
    shutil.copyfile(REPO / "content" / "sources.yaml", root / "content" / "sources.yaml")
    (root / "content" / "brief.yaml").write_text(
        "title: Fuzz\ndate: 2019-07-03\norganisations:\n  - name: An organisation\n"
        "summary: A summary [@odf-2019].\n", "utf-8")
    (root / "content" / "declaration.yaml").write_text(
        "kind: PACE written declaration\ntitle: A declaration\ntabled_by:\n"
        "  name: A Person\nsummary: A summary.\n", "utf-8")
    return root


def write_back(project: Path, rel: str, text: str | None):
    """Write text to rel (None: delete it) and return a function that undoes it."""
    path = project / rel
    before = path.read_bytes() if path.exists() else None

    def undo() -> None:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)

    if text is None:
        path.unlink()
    else:
        path.write_bytes(text.encode("utf-8"))
    return undo


def check_with(project: Path, rel: str, text: str) -> None:
    undo = write_back(project, rel, text)
    try:
        succeeds_or_reports(lambda: check(project), project)
    finally:
        undo()


# --------------------------------------------------------------------- loaders

@settings(max_examples=120 * SCALE, **SETTINGS)
@given(text=content_text("content/brief.yaml"))
@example(text="title: [unclosed\n")
@example(text="\ufefftitle: x\r\ndate: 2019-02-30\r\n")
def test_any_brief_yaml_is_checked_or_reported(full: Path, text: str) -> None:
    check_with(full, "content/brief.yaml", text)


@settings(max_examples=120 * SCALE, **SETTINGS)
@given(text=content_text("content/sources.yaml"))
@example(text="a: &a [*a]\n")
@example(text="- id: x\n  title: y\n" * 3)
def test_any_sources_yaml_is_checked_or_reported(full: Path, text: str) -> None:
    check_with(full, "content/sources.yaml", text)


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(text=content_text("briefgen.yaml"))
@example(text="output: ../outside\nformats: pdf\n")
def test_any_settings_file_is_checked_or_reported(full: Path, text: str) -> None:
    check_with(full, "briefgen.yaml", text)


@settings(max_examples=120 * SCALE, **SETTINGS)
@given(front=st.one_of(YAML_ISH, damaged(
           (REPO / "content/cases/02-saniya-toiken.md").read_text("utf-8").split("---")[1])),
       body=st.one_of(st.text(), MARKDOWN), closing=st.sampled_from(["---", "...", "--- "]))
@example(front="name: x\nrole: judge\nstatus: other\n", body="[@nope]", closing="---")
def test_any_case_front_matter_is_checked_or_reported(full: Path, front: str, body: str,
                                                      closing: str) -> None:
    check_with(full, FUZZ_CASE, f"---\n{front}\n{closing}\n{body}")


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(text=st.one_of(st.text(), YAML_ISH, MARKDOWN))
def test_any_case_file_without_front_matter_is_checked_or_reported(full: Path,
                                                                   text: str) -> None:
    check_with(full, FUZZ_CASE, text)


# --------------------------------------------------------------------- Markdown → outputs

class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    cleaned = "".join(ch for ch in url if ord(ch) > 0x20 and ch != "\x7f")
    return urlsplit(cleaned).scheme.lower()


def assert_safe_html(html: str) -> None:
    assert "<script" not in html.lower()
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag != "script"
        for name, value in attrs:
            assert not name.startswith("on"), f"<{tag} {name}=…> in the HTML"
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                assert _scheme(value) not in ("javascript", "vbscript"), f"<{tag} {name}={value!r}>"


def assert_safe_docx(data: bytes) -> None:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        for name in docx.namelist():
            if name.endswith(".rels"):
                rels = docx.read(name).decode("utf-8").lower()
                assert 'target="javascript:' not in rels, name


def build_case(project: Path, body: str, formats: list[str]) -> None:
    undo = write_back(project, "content/cases/01-fuzz.md",
                      "---\nname: Fuzz Person\nrole: journalist\nstatus: detained\n---\n" + body)
    out = project / "out"
    shutil.rmtree(out, ignore_errors=True)
    try:
        request = BuildRequest(project_dir=project, formats=formats, out_dir=out)
        failed = succeeds_or_reports(lambda: build(request), project)
        event("built" if failed is None else f"reported: {failed.problems[0].message[:40]}")
        if failed is None and (out / "brief.html").is_file():
            assert_safe_html((out / "brief.html").read_text("utf-8"))
        if failed is None and (out / "brief.docx").is_file():
            assert_safe_docx((out / "brief.docx").read_bytes())
    finally:
        undo()
        shutil.rmtree(out, ignore_errors=True)


@settings(max_examples=25 * SCALE, **SETTINGS)
@given(body=MARKDOWN)
@example(body="<script>alert(1)</script> <img src=x onerror=alert(1)> "
              "[x](javascript:alert(1)) [y][x]\n\n[x]: JaVaScRiPt:alert(1)\n")
@example(body="| a | b |\n| --- | --- |\n| `[@nope]` | [@odf-2019] |\n\n> 1. - [@pace-wd-675]\n")
def test_any_markdown_builds_html_and_word_or_is_reported(small: Path, body: str) -> None:
    build_case(small, body, ["html", "docx"])


@settings(max_examples=5 * SCALE, **SETTINGS)
@given(body=MARKDOWN)
@example(body="# Heading\n\n**bold** _it_ `code` [@odf-2019; @pace-wd-675]\n\n- a\n- b\n")
def test_any_markdown_builds_pdf_or_is_reported(small: Path, body: str) -> None:
    build_case(small, body, ["pdf"])


# --------------------------------------------------------------------- recipients files

CSV_BITS = st.sampled_from([
    ",", ";", "\t", '"', '""', "\n", "\r\n", "\r", "\x00", "\ufeff", " ", "EPP/CD", "SOC",
    "EC", "NR", "xyz", "en", "fr", "de", "Ms", "Mme", "Lord", "yes", "maybe", "a@b.c", "@",
    "Ђорђевић", "Zoë", "[x](javascript:alert(1))", "<script>", "{names}", "{{ 7*7 }}",
])
ROSTER_HEADER = "title,given_name,surname,country,role,group,language,email,address,signed\n"


@settings(max_examples=150 * SCALE, **SETTINGS)
@given(body=st.lists(st.one_of(CSV_BITS, YAML_BITS, st.text(max_size=8)),
                    max_size=60).map("".join),
       header=st.one_of(st.just(ROSTER_HEADER), st.text(max_size=40)),
       suffix=st.sampled_from([".csv", ".yaml"]))
def test_any_recipients_file_is_read_or_reported(tmp_path_factory, body: str, header: str,
                                                  suffix: str) -> None:
    """Rows are read, rejected with a located problem, or the file is refused as a
    whole; never another exception."""
    from briefgen.batch.recipients import file_stems, load_recipients

    folder = tmp_path_factory.mktemp("roster")
    path = folder / f"recipients{suffix}"
    path.write_bytes((header + body).encode("utf-8", "surrogatepass"))
    try:
        roster = load_recipients(path, folder)
    except BriefgenError as exc:
        assert exc.problems and "Traceback" not in str(exc)
        return
    for rejected in roster.rejected:
        assert rejected.problems
        for problem in rejected.problems:
            assert problem.file.startswith("recipients") and problem.message
    stems = file_stems(roster.recipients)
    assert len(set(stems.values())) == len(roster.recipients)  # one file per recipient
    assert all(stem and "/" not in stem and not stem.startswith(".")
               for stem in stems.values())
