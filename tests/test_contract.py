"""The template ↔ writer contract: written down for designers, used by the built-in
templates, and extensible by a template of one's own (docx_styles in template.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE

from briefgen.assets import builtin_root
from briefgen.build import BuildRequest, build
from briefgen.errors import BriefgenError
from briefgen.render import contract

from .conftest import REPO

DOCS = (REPO / "docs" / "templates.md").read_text("utf-8")
NAMES = [contract.NEW_PAGE, contract.NOTE_CALL, contract.NOTE_SHORT, contract.NOTE_IBID,
         contract.TOC, contract.BAND, contract.SHADED,
         contract.NUMBER_CELL, contract.WORD_STYLE, contract.NOTE_ID_PREFIX,
         contract.SIDE_BY_SIDE, contract.SIDE_WIDTHS, contract.LAYOUT_TABLE,
         *contract.META_NAMES, contract.PAGE, contract.PAGES]


@pytest.mark.parametrize("name", NAMES)
def test_the_designers_page_explains_every_name_the_writers_read(name):
    assert f"`{name}" in DOCS or f"{name}`" in DOCS or f'"{name}' in DOCS, name


def test_the_designers_page_lists_the_whole_class_map():
    for cls, style in contract.STYLE_MAP.items():
        assert re.search(rf"\| `{re.escape(cls)}`( \(\w+\))? \| {re.escape(style)} \|", DOCS), cls
    for tag in ("h1", "h2", "h3", "h4"):
        assert f"`<{tag}>`" in DOCS


def test_the_built_in_templates_use_only_meta_names_of_the_contract():
    used = set()
    for path in builtin_root().rglob("*.j2"):
        used |= set(re.findall(r'name="(briefgen:[\w-]+)"', path.read_text("utf-8")))
    assert used and used <= set(contract.META_NAMES)


def test_every_mapped_word_style_is_in_the_shared_reference_document():
    styles = {s.name for s in Document(str(builtin_root() / "_shared" / "reference.docx")).styles}
    assert set(contract.STYLE_MAP.values()) <= styles
    assert set(contract.HEADING_STYLES.values()) <= styles


def flyer(project: Path, docx_styles: str) -> Path:
    """The docs' example: a template of one's own with a pull quote."""
    folder = project / "templates" / "flyer"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text(
        "name: flyer\ndescription: A flyer.\nformats: [pdf, html, docx]\n"
        "entry: flyer.html.j2\nstylesheets: [fonts.css, common.css, flyer.css]\n"
        + docx_styles, "utf-8")
    (folder / "flyer.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block body %}\n<h1>{{ brief.title }}</h1>\n'
        '<blockquote class="pull-quote"><p>Free them now.</p></blockquote>\n'
        "<p>Plain text.</p>\n{% endblock %}\n", "utf-8")
    (folder / "flyer.css").write_text(".pull-quote { font-size: 14pt; }\n", "utf-8")
    reference = Document(str(builtin_root() / "_shared" / "reference.docx"))
    reference.styles.add_style("Pull Quote", WD_STYLE_TYPE.PARAGRAPH).base_style = \
        reference.styles["Quote"]
    reference.save(str(folder / "reference.docx"))
    return folder


def test_a_template_maps_its_own_class_to_a_word_style(project):
    flyer(project, "docx_styles:\n  pull-quote: Pull Quote\n")
    result = build(BuildRequest(project_dir=project, template="flyer", formats=["docx"]))
    word = Document(str(result.outputs[0]))
    styles = {p.text: p.style.name for p in word.paragraphs if p.text}
    assert styles["Free them now."] == "Pull Quote"
    assert styles["Plain text."] == "Normal"


def test_a_mapped_style_missing_from_the_reference_document_is_named(project):
    flyer(project, "docx_styles:\n  pull-quote: Pull Qoute\n")
    with pytest.raises(BriefgenError) as failed:
        build(BuildRequest(project_dir=project, template="flyer", formats=["docx"]))
    (problem,) = failed.value.problems
    assert (problem.file, problem.line) == ("templates/flyer/template.yaml", 7)
    assert problem.field == "docx_styles.pull-quote"
    assert "Word style 'Pull Qoute' is not in the template's reference.docx" in problem.message


def test_a_class_name_in_docx_styles_must_be_a_css_class(project):
    flyer(project, "docx_styles:\n  pull quote!: Pull Quote\n")
    with pytest.raises(BriefgenError) as failed:
        build(BuildRequest(project_dir=project, template="flyer", formats=["docx"]))
    (problem,) = failed.value.problems
    assert (problem.file, problem.line) == ("templates/flyer/template.yaml", 7)
    assert problem.field == "docx_styles.pull quote!"
    assert problem.message.startswith("not an allowed key: expected a CSS class name")
