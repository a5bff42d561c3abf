"""Letters in each member's language (issue 16, item 4).

The letter's text in a language comes from `content/letter.<lang>.yaml` (or from
`text:` in letter.yaml); a member whose language has none gets the assembly's
fallback language, reported in the manifest, or with --strict no letter. Every
assertion reads the files a batch made: the text extracted from the PDF and the
Word letter, the PDF's and the Word file's language, the manifest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
import yaml
from pypdf import PdfReader

from briefgen.batch.run import BatchRequest, run_batch
from briefgen.content.languages import use_project
from briefgen.content.loader import load_content
from briefgen.content.model import Letter
from briefgen.errors import BriefgenError, Problem

from .conftest import REPO, copy_example, run_cli

HEADER = "title,given_name,surname,country,role,group,language\n"
ROSTER = HEADER + (
    "Frau,Erika,Beispiel,Austria,representative,SOC,de\n"
    "г-жа,Анна,Петрова,Republic of Moldova,substitute,NR,ru\n"
)
# Written out by hand from the sources the catalogs cite (see test_address_table.py),
# not read from the catalogs.
EXPECTED = {
    "beispiel-erika": ("de", "Sehr geehrte Frau Abgeordnete,", "Mit freundlichen Grüßen",
                       "Betreff:"),
    "petrova-anna": ("ru", "Уважаемая госпожа Петрова!", "С уважением,", "Тема:"),
}


def wording(lang: str) -> dict[str, object]:
    """The example's letter text in one language, as its file has it."""
    data = yaml.safe_load((REPO / "content" / f"letter.{lang}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def flat(text: str) -> str:
    """Extracted text on one line; a word the PDF hyphenated at a line end is whole again."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()
    return re.sub(r"(?<=\w)- (?=\w)", "", text)


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    return flat(" ".join(p.text for p in docx.Document(str(path)).paragraphs))


def first_words(text: object, count: int = 6) -> str:
    return " ".join(str(text).split()[:count])


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("letter-languages"))
    (root / "recipients.csv").write_text(ROSTER, "utf-8")
    result = run_batch(BatchRequest(root, "letter", root / "recipients.csv",
                                    formats=["pdf", "docx"], jobs=1))
    assert result.count("built") == 2, [e.message for e in result.entries]
    assert not result.fell_back
    return result.out_dir


@pytest.mark.parametrize("stem", list(EXPECTED))
def test_letter_greets_and_closes_in_the_members_language(letters: Path, stem: str) -> None:
    lang, greeting, closing, subject_label = EXPECTED[stem]
    text = wording(lang)
    for whole in (pdf_text(letters / f"{stem}.pdf"), docx_text(letters / f"{stem}.docx")):
        assert greeting in whole
        assert whole.index(greeting) < whole.index(closing)
        assert f"{subject_label} {first_words(text['subject'])}" in whole
        assert first_words(text["opening"], 8) in whole
        assert first_words(text["closing"], 4) in whole
        # wholly in one language: nothing of the English letter
        assert first_words(wording_en()["opening"], 4) not in whole
        assert "Yours sincerely" not in whole and "Subject:" not in whole


def wording_en() -> dict[str, object]:
    data = yaml.safe_load((REPO / "content" / "letter.yaml").read_text("utf-8"))
    return data["text"]["en"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("stem", list(EXPECTED))
def test_pdf_and_word_letters_say_their_language(letters: Path, stem: str) -> None:
    lang = EXPECTED[stem][0]
    reader = PdfReader(letters / f"{stem}.pdf")
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata.title.startswith(first_words(wording(lang)["subject"], 3))
    assert docx.Document(str(letters / f"{stem}.docx")).core_properties.language == lang


@pytest.mark.parametrize("stem", list(EXPECTED))
def test_letters_in_german_and_russian_are_pdf_ua(letters: Path, stem: str) -> None:
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(letters / f"{stem}.pdf"), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_the_manifest_lists_each_letter_in_its_own_language(letters: Path) -> None:
    manifest = json.loads((letters / "manifest.json").read_text("utf-8"))
    assert [(e["language"], e["language_asked"], e["message"])
            for e in manifest["letters"]] == [("de", "de", ""), ("ru", "ru", "")]
    assert manifest["fallback_language"] == 0


# --- a language the letter has no text in ----------------------------------------------


FALLBACK_ROSTER = HEADER + (
    "Ms,Alex,Roe,Ukraine,representative,EPP/CD,en\n"
    "Sig.ra,Giulia,Esempio,Italy,substitute,EPP/CD,it\n"
)


@pytest.fixture(scope="module")
def no_italian(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The example without its Italian letter, and a roster with an Italian member."""
    root = copy_example(tmp_path_factory.mktemp("no-italian"))
    (root / "content" / "letter.it.yaml").unlink()
    roster = root / "recipients.csv"
    roster.write_text(FALLBACK_ROSTER, "utf-8")
    return SimpleNamespace(root=root, roster=roster)


def manifest_of(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_member_without_letter_text_gets_the_assemblys_fallback(no_italian) -> None:
    out = no_italian.root / "out-fallback"
    result = run_cli("batch", "letter", "-r", str(no_italian.roster), "--project",
                     str(no_italian.root), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    assert "2 made, 0 unchanged, 0 skipped, 0 failed; 1 in a fallback language" \
        in result.stderr
    assert "fallback: row 3 (Giulia Esempio): no it text in the letter: written in en " \
           "(the assembly's fallback language)" in result.stderr
    manifest = manifest_of(out)
    italian = manifest["letters"][1]  # type: ignore[index]
    assert (italian["status"], italian["language_asked"], italian["language"]) == (
        "built", "it", "en")
    assert "no it text" in italian["message"] and "content/letter.it.yaml" in italian["message"]
    assert manifest["fallback_language"] == 1
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text("utf-8-sig"))))
    assert [(r["language_asked"], r["language"]) for r in rows] == [("en", "en"), ("it", "en")]
    # the whole letter in English, greeting and closing included, and said to be English
    text = pdf_text(out / "esempio-giulia.pdf")
    assert "Dear Ms Esempio," in text and "Yours sincerely," in text
    assert "Subject: " + first_words(wording_en()["subject"]) in text
    assert "Gentile" not in text and "Distinti saluti" not in text
    assert PdfReader(out / "esempio-giulia.pdf").trailer["/Root"]["/Lang"] == "en"


def test_strict_skips_a_member_without_letter_text_and_says_why(no_italian) -> None:
    out = no_italian.root / "out-strict"
    result = run_cli("batch", "letter", "-r", str(no_italian.roster), "--project",
                     str(no_italian.root), "-o", str(out), "-j", "1", "--strict")
    assert result.exit_code == 0, result.output
    assert "1 made, 0 unchanged, 1 skipped, 0 failed" in result.stderr
    assert "fallback language" not in result.stderr.splitlines()[-1]
    manifest = manifest_of(out)
    italian = manifest["letters"][1]  # type: ignore[index]
    assert (italian["status"], italian["language"], italian["language_asked"],
            italian["files"]) == ("skipped", "it", "it", {})
    assert italian["message"].startswith("language: 'it', but the letter has no it text")
    assert "--strict" in italian["message"]
    assert manifest["fallback_language"] == 0
    assert not (out / "esempio-giulia.pdf").exists()
    assert (out / "roe-alex.pdf").is_file()


# --- letter.<lang>.yaml: read, and refused with file and line ---------------------------


def loaded_letter(root: Path) -> Letter:
    use_project(root)  # as loading a project does: its own catalogs are languages too
    letter = load_content(root).content.letter
    assert letter is not None
    return letter


def problems_of(root: Path) -> list[Problem]:
    use_project(root)
    with pytest.raises(BriefgenError) as caught:
        load_content(root)
    return caught.value.problems


def test_a_letter_text_file_is_the_letter_in_that_language(project: Path) -> None:
    """letter.yaml may keep no text of its own; `translated_from:` is the tool's, not text."""
    letter_yaml = project / "content" / "letter.yaml"
    data = yaml.safe_load(letter_yaml.read_text("utf-8"))
    english = data.pop("text")["en"]
    letter_yaml.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    (project / "content" / "letter.en.yaml").write_text(yaml.safe_dump(
        {**english, "translated_from": {"file": "content/letter.yaml", "sha256": "0" * 64}},
        allow_unicode=True), "utf-8")
    (project / "content" / "letter.fr.yaml").unlink(missing_ok=True)
    letter = loaded_letter(project)
    assert sorted(letter.text) == ["de", "en", "es", "it", "ru"]
    assert letter.text["en"].subject == english["subject"]
    assert letter.text["de"].subject == wording("de")["subject"]


def test_a_project_language_may_have_letter_text(project: Path) -> None:
    (project / "i18n").mkdir()
    (project / "i18n" / "gsw.yaml").write_text("locale: de_CH\nhyphenation: gsw\n", "utf-8")
    (project / "content" / "letter.gsw.yaml").write_text(
        "subject: Schriftlichi Erklärig\nopening: Grüezi.\n", "utf-8")
    assert loaded_letter(project).text["gsw"].opening == "Grüezi."


BAD_FIELD = """\
subject: Betreff
opening: |
  Text.
greeting: Hallo
asks:
  - eins {nme}
"""


def test_bad_letter_text_files_are_located(project: Path) -> None:
    content = project / "content"
    (content / "letter.de.yaml").write_text(BAD_FIELD, "utf-8")
    (content / "letter.xx.yaml").write_text("subject: x\nopening: y\n", "utf-8")
    (content / "letter.it.yaml").write_text(
        (content / "letter.it.yaml").read_text("utf-8").replace(
            "Le scrivo", "Le scrivo [@no-such-source]"), "utf-8")
    found = problems_of(project)
    problems = {p.file: p for p in found}
    errors = [str(p) for p in found]
    assert "content/letter.de.yaml:4: greeting: unknown field" in "\n".join(errors)
    assert "content/letter.de.yaml:5: asks: unknown placeholder {nme}" in "\n".join(errors)
    unknown = problems["content/letter.xx.yaml"]
    assert "unknown language 'xx'" in unknown.message
    assert "available: de, en, es, fr, it, ru" in unknown.message
    cited = problems["content/letter.it.yaml"]
    assert cited.line == 8 and "[@no-such-source]" in cited.message


def test_one_language_in_two_places_is_refused(project: Path) -> None:
    (project / "content" / "letter.fr.yaml").write_text("subject: Objet\nopening: Texte.\n",
                                                         "utf-8")
    line = next(i for i, text in enumerate(
        (project / "content" / "letter.yaml").read_text("utf-8").splitlines(), start=1)
        if text == "  fr:")
    (problem,) = problems_of(project)
    assert problem.file == "content/letter.fr.yaml"
    assert f"also in content/letter.yaml (text.fr, line {line})" in problem.message


def test_a_pack_has_the_handout_in_each_letters_language_only(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    roster = root / "recipients.csv"
    roster.write_text(HEADER + "Ms,Alex,Roe,Ukraine,representative,EPP/CD,en\n"
                      "Frau,Erika,Beispiel,Österreich,representative,SOC,de\n", "utf-8")
    result = run_batch(BatchRequest(root, "letter", roster, formats=["pdf"], pack=True,
                                    jobs=1))
    out = result.out_dir
    assert sorted(p.name for p in out.glob("_handout*")) == ["_handout.de.pdf",
                                                             "_handout.pdf"]
    letter = PdfReader(out / "beispiel-erika.pdf")
    handout = PdfReader(out / "_handout.de.pdf")
    (entry,) = [e for e in result.entries if e.id == "beispiel-erika"]
    behind = letter.pages[entry.pages:]
    assert len(behind) == len(handout.pages) == 1
    assert flat(behind[0].extract_text()) == flat(handout.pages[0].extract_text())
