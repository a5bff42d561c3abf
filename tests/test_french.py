"""French output: agreement of role and status, the date a status is true as of, and
French typography in what briefgen writes (never in the content's own text).

The catalogs give a role or status as one string, or as its forms (f, m, neutral,
plural); dates, quotation marks and the space before a colon come from them too.
The last tests build a copy of the example in French and read the PDF and Word text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefgen.build import BuildRequest, build
from briefgen.content.model import ROLES, STATUSES, Case, PartialDate
from briefgen.i18n import Labels, format_partial_date, format_period, labels
from briefgen.parity import read_docx, read_pdf

from .conftest import copy_example

NNBSP = "\u202f"  # narrow no-break space: before : ; ? ! and inside « »
NBSP = "\u00a0"   # no-break space: inside a date


def case(**fields) -> Case:
    return Case(id="x", name="X", **({"role": "journalist", "status": "detained"} | fields))


# --- role and status agree with the case -------------------------------------------------

@pytest.mark.parametrize("lang, group, value, gender, plural, expected", [
    # French: neutral (inclusive) form unless the gender is given; plural for a group
    ("fr", "roles", "journalist", None, False, "journaliste"),
    ("fr", "roles", "journalist", "f", False, "journaliste"),
    ("fr", "roles", "journalist", None, True, "journalistes"),
    ("fr", "roles", "activist", None, False, "militant·e"),
    ("fr", "roles", "activist", "x", False, "militant·e"),
    ("fr", "roles", "activist", "f", False, "militante"),
    ("fr", "roles", "activist", "m", False, "militant"),
    ("fr", "roles", "protester", None, True, "manifestants"),
    ("fr", "roles", "monitor", None, True, "observateurs des droits humains"),
    ("fr", "roles", "political-prisoner", "f", False, "prisonnière politique"),
    ("fr", "roles", "human-rights-defender", "m", False, "défenseur des droits humains"),
    ("fr", "roles", "organisation", None, True, "organisation"),  # no plural: neutral
    ("fr", "statuses", "detained", None, False, "détenu·e"),
    ("fr", "statuses", "detained", "f", False, "détenue"),
    ("fr", "statuses", "detained", "m", False, "détenu"),
    ("fr", "statuses", "detained", None, True, "détenus"),
    ("fr", "statuses", "detained", "f", True, "détenus"),  # a group: plural wins
    ("fr", "statuses", "released", "f", False, "libérée"),
    ("fr", "statuses", "released", "m", False, "libéré"),
    ("fr", "statuses", "expelled", None, True, "expulsés"),
    ("fr", "statuses", "prosecuted", "f", False, "détenue et poursuivie"),
    ("fr", "statuses", "imprisoned", "f", False, "en prison"),  # one string: every case
    # English: statuses are one string; a noun has a plural for a group
    ("en", "roles", "journalist", "f", False, "journalist"),
    ("en", "roles", "journalist", None, True, "journalists"),
    ("en", "roles", "protester", None, False, "protester"),
    ("en", "roles", "protester", None, True, "protesters"),
    ("en", "roles", "monitor", None, True, "human rights monitors"),
    ("en", "statuses", "detained", "f", False, "detained"),
    ("en", "statuses", "released", "m", True, "released"),
])
def test_role_and_status_agree_with_gender_and_plurality(lang, group, value, gender,
                                                         plural, expected):
    assert labels(lang).choice(group, value, gender, plural) == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_role_and_status_has_every_form(lang):
    t = labels(lang)
    for group, values in (("roles", ROLES), ("statuses", STATUSES)):
        for value in values:
            neutral = t.choice(group, value)
            assert neutral, (group, value)
            for gender in ("f", "m"):
                form = t.choice(group, value, gender)
                # only the neutral form writes both genders at once (militant·e)
                assert "·" not in form or form == neutral, (group, value, gender, form)
            assert "·" not in t.choice(group, value, plural=True), (group, value)


def test_a_form_left_out_is_the_neutral_one_and_never_another_languages():
    fallback = {"statuses.detained": "detained", "statuses.released": "released"}
    t = Labels("xx", {"statuses.detained.f": "détenue", "statuses.detained.neutral": "détenu·e",
                      "statuses.released": "libéré·e"}, fallback)
    assert t.choice("statuses", "detained", "f") == "détenue"
    assert t.choice("statuses", "detained", "m") == "détenu·e"
    assert t.choice("statuses", "detained", plural=True) == "détenu·e"
    assert t.choice("statuses", "released", "f") == "libéré·e"


def test_a_case_role_and_status_with_the_date_it_is_true_as_of():
    fr, en = labels("fr"), labels("en")
    bilash = case(role="human-rights-defender", status="released", gender="m",
                  status_as_of=PartialDate(2019, 8, 1))
    assert fr.case_role(bilash) == "défenseur des droits humains"
    assert fr.case_status(bilash) == f"libéré (au 1er{NBSP}août{NBSP}2019)"
    assert en.case_status(bilash) == "released (as of 1 August 2019)"
    # a month or a year is "en août 2019", never "au août 2019"
    assert fr.case_status(case(status="released", gender="f",
                               status_as_of=PartialDate(2019, 8))) == \
        f"libérée (en août{NBSP}2019)"
    assert fr.case_status(case(status="released", status_as_of=PartialDate(2019))) == \
        "libéré·e (en 2019)"
    assert en.case_status(case(status="detained", status_as_of=PartialDate(2019, 8))) == \
        "detained (as of August 2019)"
    group = case(kind="group", role="protester", status="detained")
    assert (fr.case_role(group), fr.case_status(group)) == ("manifestants", "détenus")
    assert (en.case_role(group), en.case_status(group)) == ("protesters", "detained")


# --- dates ---------------------------------------------------------------------------------

def test_french_dates_write_1er_and_never_break():
    assert format_partial_date(PartialDate(2026, 12, 1), "fr") == f"1er{NBSP}décembre{NBSP}2026"
    assert format_partial_date(PartialDate(2019, 4, 11), "fr") == f"11{NBSP}avril{NBSP}2019"
    assert format_partial_date(PartialDate(2019, 3), "fr") == f"mars{NBSP}2019"
    assert format_partial_date(PartialDate(2019), "fr") == "2019"
    # a period: what both ends share written once, the dash as the catalog writes it
    assert format_period(PartialDate(2019, 2), PartialDate(2019, 3), "fr") == \
        f"février–mars{NBSP}2019"


def test_english_dates_are_unchanged():
    assert format_partial_date(PartialDate(2026, 12, 1), "en") == "1 December 2026"
    assert format_partial_date(PartialDate(2019, 4, 11), "en") == "11 April 2019"
    assert format_partial_date(PartialDate(2019, 3), "en") == "March 2019"


def test_french_labels_put_a_narrow_no_break_space_before_high_punctuation():
    t = labels("fr")
    assert t("colon") == f"{NNBSP}:" and t("semicolon") == f"{NNBSP};"
    assert (t("quote_open"), t("quote_close")) == (f"«{NNBSP}", f"{NNBSP}»")
    catalog = yaml.safe_load((Path(__file__).parents[1] / "src/briefgen/i18n/fr.yaml")
                             .read_text("utf-8"))

    def strings(data):
        for value in data.values():
            yield from strings(value) if isinstance(value, dict) else [str(value)]

    # no ordinary or no-break space (or none at all) before : ; ? ! in any French label
    bad = [s for s in strings(catalog) if re.search(r"(?:[ \u00a0]|\w)[:;?!](?:\s|$)", s)]
    assert not bad, bad


# --- the example, built in French ----------------------------------------------------------

@pytest.fixture(scope="module")
def french(tmp_path_factory) -> dict[str, dict[str, str]]:
    """A copy of the example published on the first of a month, one case given as
    "she" and Bilash's status dated to the day; the brief, handout, case sheets and
    dossier in French, as PDF and Word text. Without the example's French
    translation: these tests are about the labels meeting English content (each text
    then printed as written, marked); the translated example has its own tests
    (test_example_translation.py)."""
    root = copy_example(tmp_path_factory.mktemp("french"))
    for translation in (root / "content").rglob("*.fr.*"):
        translation.unlink()
    brief = root / "content" / "brief.yaml"
    brief.write_text(brief.read_text("utf-8").replace("date: 2026-11-28", "date: 2026-12-01"),
                     "utf-8")
    akberdieva = root / "content" / "cases" / "06-aigul-akberdieva.md"
    akberdieva.write_text(akberdieva.read_text("utf-8").replace(
        "role: opposition-activist", "gender: f\nrole: opposition-activist"), "utf-8")
    bilash = root / "content" / "cases" / "04-serikzhan-bilash.md"
    bilash.write_text(bilash.read_text("utf-8").replace(
        'status_as_of: "2019-08"', "status_as_of: 2019-08-01"), "utf-8")
    out = root / "out"
    texts: dict[str, dict[str, str]] = {}
    for template in ("brief", "handout", "case-sheet", "dossier"):
        result = build(BuildRequest(project_dir=root, template=template, lang="fr",
                                    formats=["pdf", "docx"], out_dir=out))
        files = {p.suffix[1:]: p for p in result.outputs}
        texts[template] = {
            # PDF line breaks become spaces; no-break spaces stay what they are
            "pdf": re.sub(r"[ \t\r\n]+", " ", read_pdf(files["pdf"].read_bytes()).text),
            "docx": re.sub(r"[ \t\r\n]+", " ", read_docx(files["docx"].read_bytes()).text),
            "path": str(files["pdf"]),
        }
    return texts


def both(french, template):
    return [(fmt, french[template][fmt]) for fmt in ("pdf", "docx")]


def test_first_of_the_month_is_1er_and_the_date_does_not_break(french):
    for template in ("brief", "handout", "dossier"):
        for fmt, text in both(french, template):
            assert f"1er{NBSP}décembre{NBSP}2026" in text, (template, fmt)
            assert "1 décembre" not in text.replace(NBSP, " "), (template, fmt)
    for fmt, text in both(french, "brief"):
        assert f"11{NBSP}avril{NBSP}2019" in text, fmt


def test_role_and_status_agree_in_every_template(french):
    for template in ("brief", "handout", "case-sheet", "dossier"):
        for fmt, text in both(french, template):
            where = (template, fmt)
            # Aigul Akberdieva, "she" in this copy; the example gives no gender: neutral
            assert "militante de l’opposition" in text, where
            assert "acquittée" in text, where
            assert "militant·e de l’opposition" not in text, where
            # Serikzhan Bilash, "he" in his sources; released as of a date
            assert "défenseur des droits humains" in text, where
            assert f"libéré (au 1er{NBSP}août{NBSP}2019)" in text, where
            # the two groups: plural, never the inclusive singular
            assert "manifestants" in text and "observateurs des droits humains" in text, where
            assert "détenus" in text and "expulsés" in text, where
            assert "détenu·e," not in text and "expulsé·e" not in text, where
            # no gender given: the inclusive form
            assert "prisonnier·ère politique" in text, where


def test_labels_meet_content_with_a_narrow_no_break_space(french):
    for fmt, text in both(french, "handout"):
        # the groups as PACE abbreviates them in French (ALDE → ADLE: the assembly file)
        assert f"groupes politiques{NNBSP}: ADLE, PPE/DC, GUE, SOC, CE" in text, fmt
        # an ask's title and its text (the brief's asks missed it before)
        assert f"Support targeted sanctions{NNBSP}: PACE Resolution" in text, fmt
    for fmt, text in both(french, "brief"):
        assert f"Support targeted sanctions{NNBSP}: PACE Resolution" in text, fmt
        assert f"(France{NNBSP}; NR)" in text, fmt
        assert "sanctions: " not in text, fmt
    for fmt, text in both(french, "dossier"):
        assert f"Serikzhan Bilash{NNBSP}: défenseur des droits humains" in text, fmt
        assert f"Chefs d’accusation{NNBSP}: extremism{NNBSP}; Peine{NNBSP}:" in text, fmt
    for fmt, text in both(french, "case-sheet"):
        assert f"Fiche de cas{NNBSP}:" not in text  # several cases: no name in the title
        assert " : " not in text.replace(NNBSP, "_"), fmt  # no ordinary space before ':'


def test_case_sheet_header_of_one_case(tmp_path):
    root = copy_example(tmp_path / "project")
    result = build(BuildRequest(project_dir=root, template="case-sheet", lang="fr",
                                formats=["pdf"], split=True, out_dir=root / "out"))
    sheet = next(p for p in result.outputs if "serikzhan-bilash" in p.name)
    text = read_pdf(sheet.read_bytes()).text
    assert f"Fiche de cas{NNBSP}: Serikzhan Bilash" in re.sub(r"[ \r\n]+", " ", text)


def test_key_quotes_in_french_quotation_marks(french):
    quote = "the systemic prosecution of peaceful protesters"
    for template in ("brief", "handout"):
        for fmt, text in both(french, template):
            assert f"«{NNBSP}{quote}" in text, (template, fmt)
    for fmt, text in both(french, "handout"):
        assert f"“{quote}" not in text, fmt
    for fmt, text in both(french, "brief"):
        assert f"(whom he had never met){NNBSP}»" in text, fmt
        # the narratives' quotation marks are their own language's (the content is
        # English: “ ”), whatever the labels' language
        assert f"“{quote}" in text, fmt
    for fmt, text in both(french, "case-sheet"):  # the case sheets' narratives too
        assert "“who has been kept in custody" in text, fmt
        assert f"«{NNBSP}who has been kept" not in text, fmt


def test_french_pdfs_use_only_the_shipped_fonts(french):
    """U+202F, « » and the 'nº' of the handout are in the shipped Noto fonts: no glyph
    falls back to a font of the machine (or to a box where it has none)."""
    from pypdf import PdfReader

    for template in ("brief", "handout", "case-sheet", "dossier"):
        reader = PdfReader(french[template]["path"])
        names = {str(font.get_object()["/BaseFont"])
                 for page in reader.pages
                 for font in (page["/Resources"].get("/Font") or {}).values()}
        assert names and all(re.match(r"/[A-Z]{6}\+Brief-(Serif|Sans)", n) for n in names), \
            (template, names)
