"""The template kit: every built-in template in every format, fit-to-page, split,
and the three customisation layers (theme, overrides, eject)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from briefgen.build import BuildRequest, build
from briefgen.errors import BriefgenError
from briefgen.render.templates import list_templates

from .conftest import WHOLE_DOCUMENT_TEMPLATES, copy_example, run_cli

# whole-document templates; per-recipient ones (letter) are tested in test_batch.py
BUILTIN = [spec.name for spec in list_templates(None) if spec.per is None]
FORMATS = ["pdf", "html", "docx"]


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


# `kit` (conftest.py): every built-in template built from the example in every format


def test_the_kit_has_the_four_templates_and_the_letter():
    assert set(BUILTIN) == {"brief", "handout", "case-sheet", "dossier"}
    assert set(BUILTIN) == set(WHOLE_DOCUMENT_TEMPLATES)  # the shared kit builds them all
    result = run_cli("template", "list")
    assert re.search(r"^letter\s+pdf,docx,html\s+built-in", result.output, re.M)
    for name in BUILTIN:
        assert re.search(rf"^{name}\s+pdf,html,docx\s+built-in", result.output, re.M), name


@pytest.mark.parametrize("name", BUILTIN)
def test_every_template_builds_every_format_from_the_example(kit, name):
    files = kit[name]
    assert set(files) == set(FORMATS)
    text = pdf_text(files["pdf"])
    assert "Saniya Toiken" in text
    html = files["html"].read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Saniya Toiken" in html
    word = Document(str(files["docx"]))
    assert any("Saniya Toiken" in p.text for p in word.paragraphs) or any(
        "Saniya Toiken" in c.text for t in word.tables for r in t.rows for c in r.cells)


@pytest.mark.parametrize("name", BUILTIN)
def test_every_template_pdf_is_pdf_ua(kit, name):
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(kit[name]["pdf"]), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


@pytest.mark.parametrize("name", BUILTIN)
def test_every_template_has_word_parity(kit, name):
    result = run_cli("check", str(kit["root"]), "--parity", "--template", name)
    assert result.exit_code == 0, result.output
    assert "0 differences" in result.output


def test_handout_is_one_page_with_every_case_and_a_qr_code(kit):
    reader = PdfReader(kit["handout"]["pdf"])
    assert len(reader.pages) == 1
    text = pdf_text(kit["handout"]["pdf"])
    for name in ("More than 700 protesters", "Svetlana Glushkova", "Max Bokayev"):
        assert name in text
    assert "https://example.org/briefs/kazakhstan-magnitsky" in text
    assert [img.name for img in reader.pages[0].images]  # the QR code


def _many_cases(root: Path, copies: int) -> None:
    cases = root / "content" / "cases"
    for path in sorted(cases.glob("*.md")):
        if "." in path.stem:  # a translation (NAME.fr.md), not a case
            continue
        text = path.read_text("utf-8")
        for k in range(2, copies + 1):
            copy = re.sub(r"^id: (.+)$", rf"id: \1-{k}", text, count=1, flags=re.M)
            copy = re.sub(r"^name: (.+)$", rf"name: \1 ({k})", copy, count=1, flags=re.M)
            (cases / f"{path.stem}-{k}.md").write_text(copy, "utf-8")


def test_handout_fits_three_times_as_many_cases_and_says_how(tmp_path):
    root = copy_example(tmp_path / "p")
    _many_cases(root, 3)
    result = build(BuildRequest(project_dir=root, template="handout", formats=["pdf"]))
    (pdf,) = result.outputs
    assert len(PdfReader(pdf).pages) == 1
    assert "Max Bokayev (3)" in pdf_text(pdf)
    report = " ".join(result.notes)
    assert "tightened type and spacing to step" in report
    assert "left out" in report


def test_handout_that_cannot_fit_fails_and_says_by_how_much(tmp_path):
    root = copy_example(tmp_path / "p")
    _many_cases(root, 12)
    (root / "build").mkdir()
    with pytest.raises(BriefgenError) as failed:
        build(BuildRequest(project_dir=root, template="handout", formats=["pdf"]))
    message = str(failed.value)
    assert re.search(r"does not fit on one page: it runs over by about \d+ mm \(\d+% of a page\)",
                     message), message
    assert not list((root / "build").iterdir())  # nothing written


def test_case_sheets_one_page_per_case_and_split(kit, tmp_path):
    reader = PdfReader(kit["case-sheet"]["pdf"])
    names = [re.search(r"^name: (.+)$", p.read_text("utf-8"), re.M).group(1)
             for p in sorted((kit["root"] / "content" / "cases").glob("*.md"))
             if "." not in p.stem]  # not a translation
    assert len(reader.pages) == len(names)
    for page, name in zip(reader.pages, names, strict=True):
        assert name in re.sub(r"\s+", " ", page.extract_text())
    root = copy_example(tmp_path / "p")
    result = build(BuildRequest(project_dir=root, template="case-sheet", formats=["pdf", "docx"],
                                split=True))
    pdfs = sorted(p for p in result.outputs if p.suffix == ".pdf")
    assert len(pdfs) == len(names)
    toiken = root / "build" / "case-sheet-saniya-toiken.pdf"
    assert toiken in pdfs and len(PdfReader(toiken).pages) == 1
    text = pdf_text(toiken)
    assert "Saniya Toiken" in text and "Svetlana Glushkova" not in text.split("Sources")[0]


def test_split_is_refused_for_a_one_document_template(project):
    result = run_cli("build", str(project), "--split")
    assert result.exit_code == 1 and "--split works with case-sheet" in result.output


def test_overriding_one_partial_changes_only_that_piece(tmp_path):
    plain = copy_example(tmp_path / "plain")
    custom = copy_example(tmp_path / "custom")
    partial = custom / "templates" / "brief" / "partials" / "summary.html.j2"
    partial.parent.mkdir(parents=True)
    from briefgen.assets import builtin_root

    original = (builtin_root() / "brief" / "partials" / "summary.html.j2").read_text("utf-8")
    partial.write_text(original.replace("{{ brief.summary | md }}",
                                        "<p>Coalition note.</p>\n  {{ brief.summary | md }}"),
                       "utf-8")
    before = build(BuildRequest(project_dir=plain, formats=["html"])).outputs[0]
    after = build(BuildRequest(project_dir=custom, formats=["html"])).outputs[0]
    old, new = before.read_text("utf-8"), after.read_text("utf-8")
    assert "Coalition note." in new and "Coalition note." not in old
    assert new.replace("<p>Coalition note.</p>\n  ", "") == old


def test_an_ejected_template_builds_identical_outputs(tmp_path):
    root = copy_example(tmp_path / "p")
    first = build(BuildRequest(project_dir=root, template="handout", formats=FORMATS))
    before = {p.name: p.read_bytes() for p in first.outputs}
    result = run_cli("template", "eject", "handout", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "templates" / "handout" / "template.yaml").is_file()
    listing = run_cli("template", "list", str(root)).output
    assert re.search(r"^handout\s+pdf,html,docx\s+project", listing, re.M)
    second = build(BuildRequest(project_dir=root, template="handout", formats=FORMATS))
    assert {p.name: p.read_bytes() for p in second.outputs} == before
    again = run_cli("template", "eject", "handout", "--project", str(root))
    assert again.exit_code == 1 and "never overwrites" in again.output


def test_theme_settings_restyle_without_template_edits(tmp_path):
    from PIL import Image

    root = copy_example(tmp_path / "p")
    (root / "images").mkdir()
    Image.new("RGB", (120, 40), (122, 31, 61)).save(root / "images" / "logo.png")
    (root / "styles").mkdir()
    (root / "styles" / "extra.css").write_text(".summary-box { border-left-width: 6pt; }\n")
    config = root / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + (
        "theme:\n  organisation: Coalition for Justice\n  logo: images/logo.png\n"
        "  logo_alt: Coalition logo\n  colours:\n    accent: \"#7a1f3d\"\n"
        "  fonts:\n    serif: DejaVu Serif\n  footer: For parliamentary use\n"
        "  stylesheets: [styles/extra.css]\n"), "utf-8")
    result = build(BuildRequest(project_dir=root, formats=FORMATS))
    files = {p.suffix[1:]: p for p in result.outputs}
    html = files["html"].read_text("utf-8")
    assert "--accent: #7a1f3d" in html and "border-left-width: 6pt" in html
    assert 'alt="Coalition logo"' in html
    reader = PdfReader(files["pdf"])
    assert "COALITION FOR JUSTICE" in reader.pages[0].extract_text().upper()
    assert "For parliamentary use" in reader.pages[2].extract_text()
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages
             for f in (p["/Resources"].get("/Font") or {}).values()}
    assert any("DejaVu-Serif" in f for f in fonts)
    word = Document(str(files["docx"]))
    assert str(word.styles["Heading 1"].font.color.rgb) == "7A1F3D"
    assert "For parliamentary use" in word.sections[0].footer.paragraphs[0].text


def test_theme_errors_are_located(project):
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  logo: images/x.png\n"
                      "  colours:\n    accent: red;}\n", "utf-8")
    result = run_cli("build", str(project), "--format", "html")
    assert result.exit_code == 1
    assert re.search(r"briefgen.yaml:\d+: theme.colours.accent: ", result.output)


def test_eject_copies_nothing_for_an_unknown_template(project):
    result = run_cli("template", "eject", "nosuch", "--project", str(project))
    assert result.exit_code == 1 and "unknown built-in template 'nosuch'" in result.output
    assert not (project / "templates").exists() or not any((project / "templates").iterdir())


def test_kit_outputs_do_not_leak_into_each_other(kit):
    # each template writes its own files: brief.*, handout.*, case-sheet.*, dossier.*
    names = {p.name for p in (kit["root"] / "build").iterdir()}
    for name in BUILTIN:
        assert {f"{name}.{fmt}" for fmt in FORMATS} <= names
