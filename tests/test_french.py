"""French output: agreement of role and status, the date a status is true as of, and
French typography in what briefgen writes (never in the content's own text).

The catalogs give a role or status as one string, or as its forms (f, m, neutral,
plural); dates, quotation marks and the space before a colon come from them too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from briefgen.content.model import ROLES, STATUSES, Case, PartialDate
from briefgen.i18n import Labels, format_partial_date, format_period, labels

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
    ("en", "roles", "monitor", None, True, "human-rights monitors"),
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
    # a period: each date kept whole, the range as the catalog writes it
    assert format_period(PartialDate(2019, 2), PartialDate(2019, 3), "fr") == \
        f"février{NBSP}2019 – mars{NBSP}2019"


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
