"""Languages are data: one catalog file each, shipped or the project's.

What a language must hold (every label en.yaml has, its locale, its marks), that no
Python module names one, that a project adds or extends one with a file, and that
the PDF is hyphenated with the language's dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel import Locale
from pypdf import PdfReader

from briefgen.build import BuildRequest, build
from briefgen.content.languages import known_languages, shipped_dir, use_project
from briefgen.content.model import PartialDate
from briefgen.i18n import format_partial_date, format_period, labels, reload_catalogs
from briefgen.i18n.catalogs import forget_hyphenation, hyphenation_note, label_keys
from briefgen.i18n.typography import NNBSP, typographic

from .conftest import REPO, run_cli

SHIPPED = ("de", "en", "es", "fr", "it", "ru")


@pytest.fixture(autouse=True)
def _no_project_languages_after() -> Iterator[None]:
    """A test project's languages end with the test (they are the process's until the
    next project is loaded)."""
    yield
    use_project(None)
    reload_catalogs()
    forget_hyphenation()


def catalog(lang: str) -> dict:
    return yaml.safe_load((shipped_dir() / f"{lang}.yaml").read_text("utf-8"))


def test_the_shipped_languages_are_the_catalog_files() -> None:
    assert set(SHIPPED) <= set(known_languages())


def test_every_shipped_catalog_has_exactly_the_english_keys() -> None:
    """A key added to en.yaml and forgotten elsewhere is named, with its catalog."""
    english = label_keys(catalog("en"))
    wrong = {}
    for lang in known_languages():
        keys = label_keys(catalog(lang))
        missing, extra = sorted(english - keys), sorted(keys - english)
        if missing or extra:
            wrong[f"{lang}.yaml"] = {"missing": missing, "not in en.yaml": extra}
    assert not wrong, "\n".join(f"{name}: {problem}" for name, problem in wrong.items())


@pytest.mark.parametrize("lang", SHIPPED)
def test_a_catalog_names_its_locale_and_hyphenation_dictionary(lang: str) -> None:
    data = catalog(lang)
    assert Locale.parse(data["locale"]).language == lang
    assert hyphenation_note(lang, data["hyphenation"]) is None


def test_no_language_is_named_in_the_code() -> None:
    """Only the documented default (content/languages.py's DEFAULT_LANGUAGE) may name one;
    inert.py's "fr" is SVG's focal-radius attribute, not French."""
    codes = "|".join(sorted(set(SHIPPED) | {"nl", "pl", "pt"}))
    literal = re.compile(rf"""(["'])({codes})\1""")
    allowed = {("content/languages.py", 'DEFAULT_LANGUAGE = "en"'),
               ("render/inert.py", '"fr"')}
    found = []
    root = REPO / "src" / "briefgen"
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for match in literal.finditer(line):
                where = path.relative_to(root).as_posix()
                if not any(where == f and text in line for f, text in allowed):
                    found.append(f"{where}:{number}: {match.group(0)}")
    assert not found


@pytest.mark.parametrize(("lang", "day", "first", "month"), [
    ("en", "11 April 2019", "1 April 2019", "April 2019"),
    ("fr", "11 avril 2019", "1er avril 2019", "avril 2019"),
    ("de", "11. April 2019", "1. April 2019", "April 2019"),
    ("it", "11 aprile 2019", "1º aprile 2019", "aprile 2019"),
    ("es", "11 de abril de 2019", "1 de abril de 2019", "abril de 2019"),
    ("ru", "11 апреля 2019 г.", "1 апреля 2019 г.", "апрель 2019 г."),
])
def test_dates_in_each_language(lang: str, day: str, first: str, month: str) -> None:
    """Russian writes a day's month in the genitive (апреля), a month alone in the
    nominative (апрель)."""
    def shown(value: PartialDate) -> str:
        return re.sub("[\u00a0\u202f]", " ", format_partial_date(value, lang))

    assert shown(PartialDate.parse("2019-04-11")) == day
    assert shown(PartialDate.parse("2019-04-01")) == first
    assert shown(PartialDate.parse("2019-04")) == month


@pytest.mark.parametrize(("lang", "months", "days", "across"), [
    ("de", "Februar–März 2019", "4.–6. März 2019", "4. März–6. April 2019"),
    ("it", "febbraio–marzo 2019", "1º–6 marzo 2019", "4 marzo–6 aprile 2019"),
    ("es", "febrero–marzo de 2019", "1–6 de marzo de 2019", "4 de marzo–6 de abril de 2019"),
    ("ru", "февраль–март 2019 г.", "1–6 марта 2019 г.", "4 марта–6 апреля 2019 г."),
])
def test_periods_write_what_their_ends_share_once(lang: str, months: str, days: str,
                                                  across: str) -> None:
    """The start is written in the language's own pattern without the year, not cut
    out of the whole date (which left "febrero de–" and "февраль г.–")."""
    def shown(start: PartialDate, end: PartialDate) -> str:
        return re.sub("[\u00a0\u202f]", " ", format_period(start, end, lang))

    assert shown(PartialDate(2019, 2), PartialDate(2019, 3)) == months
    first = 1 if lang != "de" else 4
    assert shown(PartialDate(2019, 3, first), PartialDate(2019, 3, 6)) == days
    assert shown(PartialDate(2019, 3, 4), PartialDate(2019, 4, 6)) == across


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "“Free them” isn’t ‘enough’ : now"),
    ("fr", f"«{NNBSP}Free them{NNBSP}» isn’t “enough”{NNBSP}: now"),
    ("de", "„Free them“ isn’t ‚enough‘ : now"),
    ("it", "«Free them» isn’t “enough” : now"),
    ("es", "«Free them» isn’t “enough” : now"),
    ("ru", "«Free them» isn’t „enough“ : now"),
])
def test_content_takes_the_languages_quotation_marks(lang: str, expected: str) -> None:
    assert typographic('"Free them" isn\'t \'enough\' : now', lang) == expected


def test_an_unknown_language_is_refused_with_the_known_ones(project: Path) -> None:
    result = run_cli("build", str(project), "--lang", "xx", "-f", "html")
    assert result.exit_code != 0
    assert "unknown language 'xx'; available: de, en, es, fr, it, ru" in result.output
    assert "Traceback" not in result.output


def test_the_brief_builds_in_a_new_language_with_its_labels(project: Path,
                                                            tmp_path: Path) -> None:
    result = build(BuildRequest(project_dir=project, lang="de", formats=["html"],
                                out_dir=tmp_path / "out"))
    html = result.outputs[0].read_text("utf-8")
    assert '<html lang="de">' in html
    assert "Zusammenfassung" in html and "Die Fälle" in html
    assert "11. April 2019" in html.replace("\u00a0", " ")


def test_a_date_ending_in_an_abbreviation_ends_the_sentence_once(project: Path,
                                                                 tmp_path: Path) -> None:
    """Russian dates end in "г.": a source's line or the handout's facts line that ends
    on a date takes no second full stop ("2019 г.." was printed before)."""
    for template in ("brief", "handout"):
        result = build(BuildRequest(project_dir=project, template=template, lang="ru",
                                    formats=["html"], out_dir=tmp_path / template))
        html = result.outputs[0].read_text("utf-8")
        assert "2019\u202fг." in html, template
        assert "г.." not in html, template
    english = build(BuildRequest(project_dir=project, formats=["html"],
                                 out_dir=tmp_path / "en")).outputs[0].read_text("utf-8")
    assert "</cite>, 11 April 2019.\n" in english  # elsewhere, the full stop stays


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_a_project_adds_a_language_with_one_file(project: Path, tmp_path: Path) -> None:
    """A project's i18n/<code>.yaml: a language briefgen does not ship (labels it leaves
    out are English ones) — and a shipped one extended (its keys win)."""
    write(project / "i18n" / "gsw.yaml",
          "locale: de_CH\nhyphenation: gsw\nsummary: Zämefassig\n")
    write(project / "i18n" / "fr.yaml", "summary: Synthèse\n")
    result = run_cli("build", str(project), "--lang", "gsw", "-f", "html",
                     "-o", str(tmp_path / "gsw"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "gsw" / "brief.gsw.html").read_text("utf-8")
    assert "Zämefassig" in html and "11. April 2019" in html.replace("\u00a0", " ")
    result = run_cli("build", str(project), "--lang", "fr", "-f", "html",
                     "-o", str(tmp_path / "fr"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "fr" / "brief.fr.html").read_text("utf-8")
    assert "Synthèse" in html and "Les cas" in html
    assert "gsw" in labels("gsw").lang


# A long German paragraph (Article 1 of the Basic Law and compound words of the sort
# the Bundestag writes), set narrow and justified so that lines must break inside words.
GERMAN = ("Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist "
          "Verpflichtung aller staatlichen Gewalt. Die Bundesverfassungsgerichtsentscheidung "
          "über Menschenrechtsverteidigerinnen und Oppositionsaktivisten verlangt "
          "Aufmerksamkeit; Abgeordnetenbüros, Parlamentsausschüsse und "
          "Regierungsvertreterinnen beantworten Informationsfreiheitsanfragen, "
          "Untersuchungshaftbedingungen und Verfahrensverzögerungen gründlich. ") * 3


def hyphen_template(project: Path) -> None:
    folder = project / "templates" / "narrow"
    write(folder / "template.yaml", "name: narrow\ndescription: A narrow column.\n"
          "formats: [pdf]\nentry: narrow.html.j2\nstylesheets: [fonts.css, narrow.css]\n")
    write(folder / "narrow.html.j2", '{% extends "base.html.j2" %}{% block body %}'
          f"<p>{GERMAN}</p>{{% endblock %}}")
    write(folder / "narrow.css", "p { width: 45mm; text-align: justify; hyphens: auto; "
          "font-size: 11pt; }\n")


def line_ends(pdf: Path) -> list[str]:
    lines = [line.rstrip() for page in PdfReader(pdf).pages
             for line in page.extract_text().splitlines()]
    return [line.split()[-1] for line in lines if line.split()]


def hyphenated(pdf: Path) -> list[str]:
    return [end for end in line_ends(pdf) if re.search(r"\w[-\u2010]$", end)]


def test_the_pdf_is_hyphenated_with_the_languages_dictionary(project: Path,
                                                              tmp_path: Path) -> None:
    hyphen_template(project)
    # two languages pyphen has no dictionary for: one names a dictionary, one does not
    write(project / "i18n" / "gsw.yaml", "locale: de_CH\nhyphenation: de_CH\n")
    write(project / "i18n" / "bar.yaml", "locale: de_AT\n")
    made = {}
    for lang in ("de", "gsw", "bar"):
        result = build(BuildRequest(project_dir=project, template="narrow", lang=lang,
                                    formats=["pdf"], out_dir=tmp_path / lang))
        made[lang] = result.outputs[0]
    german = hyphenated(made["de"])
    assert len(german) >= 5, line_ends(made["de"])
    # the breaks fall inside the paragraph's words, where pyphen's German dictionary
    # allows one ("Verpflich-tung", never "Verpfl-ichtung")
    import pyphen  # type: ignore[import-untyped]

    allowed = {w[:at] for w in re.findall(r"\w+", GERMAN)
               for at in pyphen.Pyphen(lang="de_DE").positions(w)}
    assert any(end[:-1] in allowed for end in german), german
    assert all(any(end[:-1] in w for w in re.findall(r"\w+", GERMAN)) for end in german)
    # a language without a dictionary builds, without hyphenation (check says why)
    assert hyphenated(made["bar"]) == []
    assert "no hyphenation dictionary for 'bar'" in str(hyphenation_note("bar", None))
    # a project's language is hyphenated with the dictionary its catalog names
    assert len(hyphenated(made["gsw"])) >= 5


def test_check_reads_a_projects_catalogs_with_their_lines(project: Path) -> None:
    write(project / "i18n" / "pt.yaml", "# Portuguese\nlocale: xx_YY\nsummary: Resumo\n")
    write(project / "i18n" / "Deutsch.yaml", "summary: Zusammenfassung\n")
    result = run_cli("check", str(project))
    assert result.exit_code != 0
    assert "i18n/pt.yaml:2: locale: 'xx_YY' is not a locale babel knows" in result.output
    assert "i18n/Deutsch.yaml: a catalog is named after its language's code" \
        in result.output
    assert "Traceback" not in result.output


def test_check_warns_of_labels_left_out_and_no_hyphenation(project: Path) -> None:
    write(project / "i18n" / "gsw.yaml", "locale: de_CH\nsummary: Zämefassig\n")
    result = run_cli("check", str(project))
    assert result.exit_code == 0, result.output
    assert re.search(r"i18n/gsw\.yaml:1: warning: \d+ labels not given, shown in the "
                     r"default language: about_publication, accessed_source, ", result.output)
    assert "no hyphenation dictionary for 'gsw'" in result.output


def test_a_recipient_may_write_in_any_known_language(project: Path) -> None:
    rows = (project / "content" / "recipients.csv").read_text("utf-8")
    write(project / "content" / "recipients.csv", rows.replace(",fr,", ",xx,", 1))
    result = run_cli("batch", "letter", "-r", str(project / "content" / "recipients.csv"),
                     "--project", str(project), "-f", "pdf", "--strict")
    assert result.exit_code != 0
    assert "unknown language 'xx'; available: de, en, es, fr, it, ru" in result.output


LETTER = """\
signatures: [{name: Test Signatory, role: Advocacy officer}]
text:
  en:
    subject: About the declaration
    opening: "A test letter to the {group} group."
  de:
    subject: Zur Erklärung
    opening: "Ein Testbrief an die Fraktion {group}."
  ru:
    subject: О декларации
    opening: "Тестовое письмо группе {group}."
"""
RECIPIENTS = """\
title,given_name,surname,country,role,group,language
Frau,Erika,Muster,Germany,representative,SOC,de
Mr,Ivan,Petrov,Ukraine,substitute,EPP/CD,ru
"""


def test_letters_in_german_and_russian_greet_and_close_in_their_language(
        project: Path) -> None:
    for translated in (project / "content").glob("letter.*.yaml"):
        translated.unlink()  # the example's German and Russian texts: these tests' own here
    write(project / "content" / "letter.yaml", LETTER)
    write(project / "members.csv", RECIPIENTS)
    result = run_cli("batch", "letter", "-r", str(project / "members.csv"), "--project",
                     str(project), "-f", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    out = project / "build" / "letter"

    def text(name: str) -> str:
        return re.sub(r"\s+", " ", " ".join(
            p.extract_text() for p in PdfReader(out / name).pages).replace("\u00a0", " "))

    german, russian = text("muster-erika.pdf"), text("petrov-ivan.pdf")
    assert "Sehr geehrte Frau Abgeordnete," in german
    assert "Mit freundlichen Grüßen Test Signatory" in german
    assert "Betreff: Zur Erklärung" in german
    assert "Уважаемый господин Petrov!" in russian
    assert "С уважением, Test Signatory" in russian
    assert "Тема: О декларации" in russian
