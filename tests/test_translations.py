"""Translations beside their originals (issue 16, items 1, 2 and 7).

Every test works on a copy of the example with translation files written here,
so what is asserted is the pipeline's behaviour, not the example's French (that
one is checked in test_example_translation.py). Outputs are read back: the PDF's
text and structure tree, the Word file's runs, the HTML's lang attributes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from briefgen.build import BuildRequest, build, check
from briefgen.errors import BriefgenError
from briefgen.parity import parity_report
from briefgen.pipeline import Pipeline

from .conftest import run_cli

BRIEF_FR = """\
# a French translation of brief.yaml: texts only
summary: |
  La déclaration écrite no 675 demande des sanctions ciblées.
key_asks:
  - Signez la déclaration écrite.
asks:
  - title: Demandez des sanctions ciblées
    text: Écrivez au gouvernement.
"""

CASE_FR = """\
---
events:
  - text: Arrêtée à son domicile.
---
Récit traduit de l'affaire de Saniya Toiken.
"""


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def _struct_languages(path: Path) -> dict[str, int]:
    """How many structure elements carry each /Lang."""
    found: dict[str, int] = {}
    with pikepdf.open(path) as pdf:
        todo = [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if "/Lang" in node:
                found[str(node.Lang)] = found.get(str(node.Lang), 0) + 1
            kids = node.get("/K")
            todo += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return found


def _without_translations(project: Path) -> Path:
    """The example without its own French, so each test says what is translated."""
    for path in (project / "content").rglob("*.fr.*"):
        path.unlink()
    return project


@pytest.fixture
def translated(project: Path) -> Path:
    _without_translations(project)
    (project / "content" / "brief.fr.yaml").write_text(BRIEF_FR, "utf-8")
    (project / "content" / "cases" / "02-saniya-toiken.fr.md").write_text(CASE_FR, "utf-8")
    return project


def _error(project: Path, lang: str = "fr") -> str:
    with pytest.raises(BriefgenError) as caught:
        Pipeline.open(project)
    return "\n".join(str(p) for p in caught.value.problems)


# -- a bilingual build -------------------------------------------------------------------


def test_one_run_builds_both_languages_with_their_texts(translated: Path) -> None:
    result = build(BuildRequest(translated, lang="en,fr", formats=["pdf", "docx", "html"]))
    names = sorted(p.name for p in result.outputs)
    assert names == ["brief.docx", "brief.fr.docx", "brief.fr.html", "brief.fr.pdf",
                     "brief.html", "brief.pdf"]
    out = result.outputs[0].parent
    french, english = _pdf_text(out / "brief.fr.pdf"), _pdf_text(out / "brief.pdf")
    assert "La déclaration écrite no 675 demande des sanctions ciblées." in french
    assert "Récit traduit de l’affaire de Saniya Toiken." in french  # French apostrophe
    assert "Demandez des sanctions ciblées" in french
    assert "Récit traduit" not in english and "Written Declaration No. 675" in english
    # facts come from the original: the case's name and its event's date are the same
    assert "Saniya Toiken" in french and "Arrêtée à son domicile." in french
    word = _docx_xml(out / "brief.fr.docx")
    assert "Récit traduit de l’affaire de Saniya Toiken." in word
    assert "Demandez des sanctions ciblées" in word


def test_an_untranslated_text_is_printed_as_written_and_marked(translated: Path) -> None:
    result = build(BuildRequest(translated, lang="fr", formats=["pdf", "docx", "html"]))
    files = {p.suffix: p for p in result.outputs}
    html = files[".html"].read_text("utf-8")
    assert re.search(r'<html[^>]* lang="fr"', html)
    # the English narrative of an untranslated case, marked as English…
    bilash = re.search(r'<div lang="en">((?:(?!</div>).)*?Bilash(?:(?!</div>).)*)</div>',
                       html, re.S)
    assert bilash is not None
    # …and the translated one not
    assert re.search(r'lang="en">[^<]*Récit traduit', html) is None
    languages = _struct_languages(files[".pdf"])
    assert languages.get("en", 0) > 20 and "fr" not in languages  # fr is the catalog's
    with pikepdf.open(files[".pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "fr"
    runs = re.findall(r'<w:lang w:val="([^"]+)"', _docx_xml(files[".docx"]))
    assert "en-GB" in runs
    warnings = [str(w) for w in result.warnings]
    assert any(w.startswith("content/cases/04-serikzhan-bilash.md:") and "narrative: not "
               "translated into French: printed in English" in w for w in warnings)
    assert not any("02-saniya-toiken.md" in w and "narrative" in w for w in warnings)


@pytest.mark.parametrize("template", ["brief", "handout", "case-sheet", "dossier"])
def test_pdf_of_a_partly_translated_document_is_pdf_ua(translated: Path,
                                                         template: str) -> None:
    """Marked texts inside links, headings, tables and the contents included."""
    page = pytest.importorskip("page")
    result = build(BuildRequest(translated, template=template, lang="fr", formats=["pdf"]))
    assert any(w.message.startswith("not translated") for w in result.warnings)
    report = page.validate_pdf(str(result.outputs[0]), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_word_carries_what_the_pdf_carries_in_each_language(translated: Path,
                                                            lang: str) -> None:
    report = parity_report(Pipeline.open(translated), "brief", lang)
    assert not report.differences, report.differences


def test_strict_build_fails_listing_every_untranslated_text(translated: Path) -> None:
    out = translated / "build"
    with pytest.raises(BriefgenError) as caught:
        build(BuildRequest(translated, lang="fr", strict=True, formats=["pdf"]))
    problems = [str(p) for p in caught.value.problems]
    assert any("04-serikzhan-bilash.md" in p and "narrative" in p for p in problems)
    assert any(p.startswith("content/brief.yaml:") and "title: not translated" in p
               for p in problems)
    assert not (out / "brief.fr.pdf").exists()


# -- translation status ----------------------------------------------------------------------


def _status(project: Path, lang: str = "fr") -> list[str]:
    return [str(w) for w in check(project, lang=lang).warnings
            if "translat" in w.message or "original" in w.message
            or "letter text" in w.message]


def test_status_follows_an_edit_of_the_original(translated: Path) -> None:
    brief_fr = translated / "content" / "brief.fr.yaml"
    before = _status(translated)
    assert any(w.startswith("content/brief.fr.yaml:2: summary: not yet checked against "
                            "the original") for w in before)

    result = run_cli("translated", "-C", str(translated), str(brief_fr))
    assert result.exit_code == 0, result.output
    assert "content/brief.fr.yaml: 4 texts recorded" in result.output
    text = brief_fr.read_text("utf-8")
    assert text.startswith("# a French translation of brief.yaml")  # comments kept
    assert not [w for w in _status(translated) if "brief.fr.yaml" in w]

    original = translated / "content" / "brief.yaml"
    source = original.read_text("utf-8")
    original.write_text(source.replace("Written Declaration No. 675 of 11 April 2019",
                                       "Written Declaration No. 675, of 11 April 2019", 1),
                        "utf-8")
    changed = [w for w in _status(translated) if "changed since" in w]
    assert len(changed) == 1
    assert changed[0].startswith("content/brief.fr.yaml:2: summary: the original "
                                 "(content/brief.yaml:")
    assert "run 'briefgen translated content/brief.fr.yaml'" in changed[0]
    # a build in French says so too
    built = build(BuildRequest(translated, lang="fr", formats=["html"]))
    assert any("changed since it was translated" in w.message for w in built.warnings)

    assert run_cli("translated", "-C", str(translated), str(brief_fr)).exit_code == 0
    assert not [w for w in _status(translated) if "changed since" in w]


def test_check_lists_untranslated_fields_per_file(translated: Path) -> None:
    result = run_cli("check", str(translated), "--lang", "fr")
    assert result.exit_code == 0, result.output
    # a file with no translation at all: one line naming it and its texts
    assert "content/cases/04-serikzhan-bilash.md: warning: not translated into French (no " \
           "04-serikzhan-bilash.fr.md beside it): 5 texts (country, events[0].text, " \
           "charges[0], related_people[0].position, narrative) printed in English" \
        in result.output
    # a translation that leaves texts out: one line per text, at the original's line
    assert re.search(r"content/brief.yaml:\d+: warning: title: not translated into French: "
                     r"printed in English", result.output)
    assert re.search(r"French \(fr\): \d+ of \d+ texts translated, 0 changed since",
                     result.output)


# -- a translation that is wrong --------------------------------------------------------------


def test_a_translation_contradicting_the_original_is_an_error_at_its_line(
        project: Path) -> None:
    (project / "content" / "brief.fr.yaml").write_text(
        "summary: Résumé.\ndate: 2019-04-12\nlanguage: fr\nsubtitel: Sous-titre\n"
        "asks:\n  - title: Un\n  - title: Deux\n  - title: Trois\n  - title: Quatre\n"
        "  - title: Cinq\n  - title: Six\n", "utf-8")
    (project / "content" / "sanctions.fr.yaml").write_text(
        "targets:\n  - id: no-such-target\n    category: Catégorie\n", "utf-8")
    (project / "content" / "cases" / "04-serikzhan-bilash.fr.md").write_text(
        "---\nstatus: sentenced\nname: Serikjan Bilache\n---\nRécit.\n", "utf-8")
    errors = _error(project)
    assert re.search(r"content/brief.fr.yaml:2: date: contradicts the original: "
                     r"content/brief.yaml:\d+ says '\d{4}-\d{2}-\d{2}'", errors)
    assert "content/brief.fr.yaml:4: subtitel: unknown field 'subtitel'; translatable " \
           "here: key_asks, keywords, method, subtitle, summary, title" in errors
    assert "asks[5]" not in errors and "no-such-target" not in errors  # warnings, below
    assert re.search(r"04-serikzhan-bilash.fr.md:2: status: contradicts the original: "
                     r"content/cases/04-serikzhan-bilash.md:\d+ says", errors)
    assert re.search(r"04-serikzhan-bilash.fr.md:3: name: contradicts the original", errors)
    # the language is what the file name says; saying it again is a contradiction
    assert "content/brief.fr.yaml:3: language: contradicts the original" in errors


def test_a_text_the_original_no_longer_has_is_ignored_with_a_warning(project: Path) -> None:
    """An original edited after its translation (an ask or a target removed) leaves
    texts with nothing to translate: a warning, not a broken build."""
    (project / "content" / "brief.fr.yaml").write_text(
        "summary: Résumé.\nasks:\n  - title: Un\n  - title: Deux\n  - title: Trois\n"
        "  - title: Quatre\n  - title: Cinq\n  - title: Six\n", "utf-8")
    (project / "content" / "sanctions.fr.yaml").write_text(
        "targets:\n  - id: no-such-target\n    category: Catégorie\n", "utf-8")
    warnings = [str(w) for w in Pipeline.open(project).warnings]
    assert "content/brief.fr.yaml:8: asks[5]: ignored: the original has 5 entries here; " \
           "entry 6 translates nothing" in warnings
    assert any(w.startswith("content/sanctions.fr.yaml:2: targets[0].id: ignored: "
                            "'no-such-target' is not an entry of content/sanctions.yaml")
               for w in warnings)


def test_a_translation_into_an_unknown_language_names_the_known_ones(project: Path) -> None:
    (project / "content" / "brief.xx.yaml").write_text("summary: x\n", "utf-8")
    errors = _error(project)
    assert "content/brief.xx.yaml: a translation into unknown language 'xx'; available: " \
           "de, en, es, fr, it, ru" in errors


def test_a_translation_without_its_original_is_ignored_with_a_warning(project: Path) -> None:
    (project / "content" / "cases" / "99-nobody.fr.md").write_text("---\n---\nRécit.\n",
                                                                      "utf-8")
    (project / "content" / "sanctions.yaml").unlink()
    warnings = [str(w) for w in Pipeline.open(project).warnings]
    assert "content/cases/99-nobody.fr.md: ignored: a translation of " \
           "content/cases/99-nobody.md, which does not exist" in warnings
    assert "content/sanctions.fr.yaml: ignored: a translation of content/sanctions.yaml, " \
           "which does not exist" in warnings


def test_a_translation_into_the_content_language_is_ignored_with_a_warning(
        project: Path) -> None:
    (project / "content" / "brief.en.yaml").write_text("summary: x\n", "utf-8")
    warnings = [str(w) for w in Pipeline.open(project).warnings]
    assert "content/brief.en.yaml: ignored: the content is written in this language (en) " \
           "already" in warnings


def test_a_file_of_entries_translates_by_id_and_records_its_marks(project: Path) -> None:
    sources = project / "content" / "sources.fr.yaml"
    sources.write_text("entries:\n  - id: pace-wd-675\n    note: Note traduite.\n", "utf-8")
    if "pace-wd-675" not in (project / "content" / "sources.yaml").read_text("utf-8"):
        pytest.skip("the example's sources changed ids")
    session = Pipeline.open(project)
    localized = session.loaded.localized("fr")
    assert localized is not None
    note = next(s.note for s in localized.content.sources if s.id == "pace-wd-675")
    assert note == "Note traduite."
    result = run_cli("translated", "-C", str(project), str(sources))
    assert result.exit_code == 0, result.output
    assert "translated_from:" in sources.read_text("utf-8")
    assert not [w for w in _status(project) if "sources.fr.yaml" in w]


# -- every shipped language ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr", "de", "it", "es", "ru"])
def test_the_example_in_each_language_is_pdf_ua_and_word_carries_the_same(
        example_root: Path, tmp_path: Path, lang: str) -> None:
    """French is translated; the other languages print the English texts, marked."""
    session = Pipeline.open(example_root)
    report = parity_report(session, "brief", lang)
    assert not report.differences, report.differences
    page = pytest.importorskip("page")
    doc = session.render(session.template("brief"), session.options(lang=lang))
    pdf = tmp_path / f"brief.{lang}.pdf"
    pdf.write_bytes(session.write("pdf", doc))
    result = page.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, [(f.rule_id, f.message) for f in result.failures]
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang).split("-")[0] == lang
        marked = _struct_languages(pdf)
    if lang not in ("en", "fr"):
        assert marked.get("en", 0) > 20  # the English texts say they are English


def test_a_letter_translation_reports_an_edit_of_the_english(project: Path) -> None:
    letter = project / "content" / "letter.yaml"
    assert not [w for w in _status(project, "de") if "letter.de.yaml" in w]
    text = letter.read_text("utf-8")
    assert "our brief sets out what is known" in text
    letter.write_text(text.replace("our brief sets out what is known",
                                   "our brief sets out all that is known"), "utf-8")
    changed = [w for w in _status(project, "de") if "changed since" in w]
    assert len(changed) == 1
    assert re.match(r"content/letter.de.yaml:\d+: opening: the original "
                    r"\(content/letter.yaml:\d+\) changed since it was translated", changed[0])
    (project / "content" / "letter.it.yaml").unlink()
    missing = [w for w in _status(project, "it") if "no letter text" in w]
    assert missing == ["content/letter.yaml: no letter text in Italian: members who read it "
                       "get the letter in their assembly's fallback language "
                       "(content/letter.it.yaml gives it)"]
