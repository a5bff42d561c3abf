"""The pipeline session and the pieces every command shares through it: loading by file,
refreshing, the template and its kind, formats, options, fitting, writing a document
with others behind it, and the one resolution of resources."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from briefgen.clock import source_date_epoch, today
from briefgen.content.assembly import load_assemblies
from briefgen.content.validation import explain
from briefgen.errors import BriefgenError
from briefgen.pipeline import Pipeline
from briefgen.project import FORMATS
from briefgen.resources import MissingResource, RefusedResource, ResourcePolicy
from briefgen.writers import get_writer
from briefgen.writers.html import scoped_css
from briefgen.xmlchars import xml_safe

from .conftest import copy_example

CASE = "content/cases/03-svetlana-glushkova.md"


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Pipeline:
    """One session over the example, shared by the tests that only read it."""
    return Pipeline.open(copy_example(tmp_path_factory.mktemp("session")))


def touch(path: Path, text: str) -> None:
    """Write and move the modification time on, as an editor's save does."""
    path.write_text(text, "utf-8")
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    touch(path, text.replace(old, new, 1))


# -- opening and refreshing ----------------------------------------------------------------


def test_open_reports_every_problem_of_every_file(project):
    edit(project / CASE, "status: prosecuted", "status: jailed")
    brief = project / "content/brief.yaml"
    edit(brief, "title:", "titel:")
    with pytest.raises(BriefgenError) as failed:
        Pipeline.open(project)
    shown = str(failed.value)
    assert "content/brief.yaml" in shown and "titel: unknown field" in shown
    assert f"{CASE}:" in shown and "got 'jailed'" in shown


def test_a_session_is_not_open_until_it_is_refreshed(project):
    with pytest.raises(RuntimeError, match="refresh"):
        _ = Pipeline(project).content


def test_refresh_reads_only_the_files_that_changed(project):
    session = Pipeline.open(project)
    assert session.refresh() == []  # nothing changed: nothing read
    case = project / CASE
    edit(case, "was repeatedly arrested", "was arrested again and again")
    assert session.refresh() == [CASE]
    glushkova = next(c for c in session.content.cases if c.id == "svetlana-glushkova")
    assert "was arrested again and again" in glushkova.narrative
    assert session.refresh() == []


def test_refresh_sees_added_and_removed_cases(project):
    session = Pipeline.open(project)
    count = len(session.content.cases)
    added = project / "content/cases/90-test-person.md"
    touch(added, "---\nname: Test Person\nrole: other\nstatus: other\n---\nA test.\n")
    assert session.refresh() == ["content/cases/90-test-person.md"]
    assert len(session.content.cases) == count + 1
    added.unlink()
    assert session.refresh() == []
    assert "test-person" not in {c.id for c in session.content.cases}
    assert len(session.content.cases) == count


def test_a_failed_refresh_keeps_the_last_good_content(project):
    session = Pipeline.open(project)
    before = session.content
    case = project / CASE
    edit(case, "status: prosecuted", "status: jailed")
    with pytest.raises(BriefgenError, match="jailed"):
        session.refresh()
    assert session.content is before
    edit(case, "status: jailed", "status: detained")
    assert session.refresh() == [CASE]
    assert session.content is not before


def test_refresh_reads_the_settings_again(project):
    session = Pipeline.open(project)
    assert session.options().paper == "a4"
    edit(project / "briefgen.yaml", "paper: a4", "paper: letter")
    session.refresh()
    assert session.options().paper == "letter"


# -- what to make --------------------------------------------------------------------------


def test_the_default_template_comes_from_the_settings_and_is_located_there(project):
    session = Pipeline.open(project)
    assert session.template().name == "brief"
    edit(project / "briefgen.yaml", "template: brief", "template: leaflet")
    session.refresh()
    with pytest.raises(BriefgenError) as unknown:
        session.template()
    problem = unknown.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("briefgen.yaml", 2, "template")
    assert "unknown template 'leaflet'; available: brief, case-sheet" in problem.message


def test_a_template_of_the_other_kind_names_the_command_that_makes_it(session):
    with pytest.raises(BriefgenError, match="briefgen batch letter --recipients FILE"):
        session.template("letter")
    with pytest.raises(BriefgenError, match="build it with 'briefgen build --template brief'"):
        session.template("brief", makes="recipient", origin=("TEMPLATE", None, None))
    assert session.template("letter", makes="recipient").per == "recipient"


def test_formats_are_checked_together(session):
    letter = session.template("letter", makes="recipient")
    assert session.formats(letter, None, ["pdf", "docx"]) == ["pdf", "docx"]
    assert session.formats(session.template("brief")) == ["pdf", "html"]  # the settings'
    with pytest.raises(BriefgenError) as bad:
        session.formats(letter, ["pdf", "odt", "rtf"])
    assert [p.message for p in bad.value.problems] == [
        "unknown format 'odt'; available: pdf, html, docx",
        "unknown format 'rtf'; available: pdf, html, docx"]


def test_every_format_has_a_writer():
    assert all(callable(get_writer(fmt)) for fmt in FORMATS)
    with pytest.raises(KeyError):
        get_writer("odt")


def test_options_come_from_the_project_and_change_for_one_run(session):
    default = session.options()
    assert (default.lang, default.paper) == ("en", "a4")  # the brief's language, the settings'
    french = session.options(lang="fr", paper="letter", only_cases=("max-bokayev",))
    assert (french.lang, french.paper, french.only_cases) == ("fr", "letter", ("max-bokayev",))
    assert french.theme == default.theme


def test_one_page_templates_are_fitted_and_say_how(session):
    doc = session.render(session.template("handout"))
    assert session.page_count(doc) == 1
    assert any("to fit one page" in line for line in doc.report)
    brief = session.render(session.template("brief"))
    assert brief.report == () and session.page_count(brief) > 10


# -- a document with others behind it ------------------------------------------------------


@pytest.fixture(scope="module")
def pack(session):
    """A one-page handout followed by one case sheet: any two documents make a pack."""
    first = session.render(session.template("handout"))
    sheet = session.render(session.template("case-sheet"),
                           session.options(only_cases=("saniya-toiken",)))
    return first, sheet


def test_the_pdf_of_a_pack_has_each_documents_own_pages(session, pack):
    first, sheet = pack
    reader = PdfReader(io.BytesIO(session.write("pdf", first, sheet)))
    assert len(reader.pages) == session.page_count(first) + session.page_count(sheet)
    assert "Saniya Toiken" in reader.pages[-1].extract_text()
    assert reader.metadata.title == first.title  # metadata is the first document's


def test_the_word_file_of_a_pack_holds_both_after_a_page_break(session, pack):
    first, sheet = pack
    word = docx.Document(io.BytesIO(session.write("docx", first, sheet)))
    # every paragraph in order, also those in the cells of the handout's two columns
    paragraphs = [Paragraph(p, word) for p in word.element.body.iter(qn("w:p"))]
    texts = [p.text for p in paragraphs]
    start = next(i for i, t in enumerate(texts) if "Saniya Toiken" == t.strip())
    assert any("Svetlana Glushkova" in t for t in texts[:start])  # the handout first
    # the following document is a Word section of its own: its break starts a new page
    before = paragraphs[start - 3:start]
    assert any(p._p.pPr is not None and p._p.pPr.sectPr is not None for p in before)
    assert len(word.sections) == 2


def test_the_web_page_of_a_pack_scopes_the_following_documents_styles(session, pack):
    first, sheet = pack
    html = session.write("html", first, sheet).decode("utf-8")
    assert html.count("<body") == 1
    section = re.search(r'<section class="new-page briefgen-following case-sheets '
                        r'briefgen-following-1"', html)
    assert section, "the case sheet is a section of the page"
    assert 'id="case-sheet-case-saniya-toiken"' in html  # ids prefixed: no clash
    assert ".briefgen-following-1 .sheet" in html  # its styles apply in its section only


def test_scoped_css_confines_each_rule_and_drops_page_rules():
    css = """@page { size: A4 } @font-face { font-family: X; src: url(x.ttf) }
    html:root { --accent: red } body.fit-2 h1, .a:is(.b, .c) { color: red }
    html body p > a { color: blue } @media print { .qr { display: none } }"""
    scoped = scoped_css(css, ".s")
    assert "@page" not in scoped and "@font-face" in scoped
    assert ".s { --accent: red }" in scoped
    assert ".s.fit-2 h1, .s .a:is(.b, .c) { color: red }" in scoped
    assert ".s p > a { color: blue }" in scoped
    assert "@media print {.s .qr { display: none }}" in scoped


# -- one definition of each shared rule ----------------------------------------------------


def test_the_policy_locates_every_reference_one_way(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"png")
    policy = ResourcePolicy(project_root=tmp_path)
    assert policy.locate("images/a.png", tmp_path) == tmp_path / "images" / "a.png"
    assert policy.locate((tmp_path / "images/a.png").as_uri(), tmp_path) \
        == tmp_path / "images" / "a.png"
    assert policy.locate("data:image/png;base64,AA==", tmp_path).startswith("data:")
    with pytest.raises(MissingResource, match=r"image 'images/b.png' not found"):
        policy.locate("images/b.png", tmp_path)
    with pytest.raises(MissingResource, match=r"file 'x.css' not found"):
        policy.locate("x.css", tmp_path)
    with pytest.raises(RefusedResource, match="outside the project"):
        policy.locate("../secret.png", tmp_path)
    with pytest.raises(RefusedResource, match="on the network"):
        policy.locate("https://example.org/a.png", tmp_path)
    allowed = ResourcePolicy(project_root=tmp_path, allow_network=True)
    assert allowed.locate("https://example.org/a.png", tmp_path) == "https://example.org/a.png"


def test_the_clock_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch().isoformat() == "2023-11-14T22:13:20"
    assert today().isoformat() == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # not a number: the real clock
    assert source_date_epoch() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch() is None


def test_political_groups_are_found_by_any_of_their_names():
    assemblies = load_assemblies(None)
    pace = assemblies["pace"].assembly
    ep = assemblies["european-parliament"].assembly
    assert pace.find(" ec ")[0].code == "EC/DA" and pace.find("EPP/CD")[0].code == "EPP/CD"
    assert pace.find("E P P")[0].code == "EPP/CD" and pace.find("PPE/DC")[0].code == "EPP/CD"
    assert pace.find("S&D") is None  # a European Parliament group, not PACE's
    assert ep.find("EPP")[0].code == "EPP"  # not rewritten to PACE's EPP/CD
    assert ep.find("gue/ngl")[0].code == "The Left" and ep.find("Verts/ALE")[0].code == "Greens/EFA"
    assert ep.label("Greens/EFA", "fr") == "Verts/ALE" and pace.label("EC", "fr") == "CE"


def test_one_wording_for_validation_errors():
    missing = {"type": "missing", "loc": ("surname",), "msg": "Field required", "input": {}}
    assert explain(missing) == "required field is missing"
    assert explain(missing, empty="required, but empty") == "required, but empty"
    wrong = {"type": "literal_error", "loc": ("status",), "msg": "",
             "input": "jailed", "ctx": {"expected": "'a' or 'b'"}}
    assert explain(wrong) == "expected one of 'a' or 'b', got 'jailed'"


def test_one_set_of_characters_xml_cannot_hold():
    assert xml_safe("a\x00b\x0bc\x7fd\ud800e\ufffff\tg\nh") == "abcdef\tg\nh"
