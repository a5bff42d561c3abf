"""Greetings and closings per language, title (gender) and office, written out by hand.

Every expected value below was copied from the sources the catalogs cite (the
reference note on assemblies, section 3), not computed from the catalogs: a catalog
edit that changes a greeting must change this table too, on purpose.

- en: "Dear Ms/Mr [Surname]", "Yours sincerely" (UK usage; the neutral form is the
  name without a title).
- fr: "Madame la Députée" / "Monsieur le Député", the senators' forms, and the
  closing that repeats the form of address.
- de: BMI Protokoll Inland, "Sehr geehrte/r" + "Frau Abgeordnete"; the closing
  "Mit freundlichen Grüßen" has no trailing punctuation.
- it: "Gentile Onorevole" for either gender (Accademia della Crusca on gentile);
  "Senatrice/Senatore"; "Distinti saluti".
- es: "Estimada señora diputada:" with a colon (RAE DPD); "Atentamente,".
- ru: GOST R 7.0.97-2016, "Уважаемая госпожа [Фамилия]!"; "С уважением,".
"""

from __future__ import annotations

import pytest

from briefgen.i18n.address import forms_of_address

SURNAME = "Petrova"
GIVEN = "Anna"

# language, title given in the recipients file, office → greeting, closing
TABLE: list[tuple[str, str | None, str, str, str]] = [
    # English
    ("en", "Ms", "deputy", "Dear Ms Petrova,", "Yours sincerely,"),
    ("en", "Mr", "deputy", "Dear Mr Petrova,", "Yours sincerely,"),
    ("en", None, "deputy", "Dear Anna Petrova,", "Yours sincerely,"),
    ("en", "Ms", "senator", "Dear Ms Petrova,", "Yours sincerely,"),
    ("en", "Mr", "senator", "Dear Mr Petrova,", "Yours sincerely,"),
    # French
    ("fr", "Ms", "deputy", "Madame la Députée,",
     "Je vous prie d’agréer, Madame la Députée, l’expression de ma haute considération."),
    ("fr", "Mr", "deputy", "Monsieur le Député,",
     "Je vous prie d’agréer, Monsieur le Député, l’expression de ma haute considération."),
    ("fr", None, "deputy", "Madame, Monsieur,",
     "Je vous prie d’agréer, Madame, Monsieur, l’expression de ma haute considération."),
    ("fr", "Mme", "senator", "Madame la Sénatrice,",
     "Je vous prie d’agréer, Madame la Sénatrice, l’expression de ma haute considération."),
    ("fr", "M.", "senator", "Monsieur le Sénateur,",
     "Je vous prie d’agréer, Monsieur le Sénateur, l’expression de ma haute considération."),
    # German
    ("de", "Ms", "deputy", "Sehr geehrte Frau Abgeordnete,", "Mit freundlichen Grüßen"),
    ("de", "Mr", "deputy", "Sehr geehrter Herr Abgeordneter,", "Mit freundlichen Grüßen"),
    ("de", "Frau", "deputy", "Sehr geehrte Frau Abgeordnete,", "Mit freundlichen Grüßen"),
    ("de", "Herr", "deputy", "Sehr geehrter Herr Abgeordneter,", "Mit freundlichen Grüßen"),
    ("de", None, "deputy", "Sehr geehrte Damen und Herren,", "Mit freundlichen Grüßen"),
    ("de", "Frau", "senator", "Sehr geehrte Frau Senatorin,", "Mit freundlichen Grüßen"),
    ("de", "Herr", "senator", "Sehr geehrter Herr Senator,", "Mit freundlichen Grüßen"),
    # Italian
    ("it", "Ms", "deputy", "Gentile Onorevole,", "Distinti saluti"),
    ("it", "Mr", "deputy", "Gentile Onorevole,", "Distinti saluti"),
    ("it", None, "deputy", "Gentile Onorevole,", "Distinti saluti"),
    ("it", "Ms", "senator", "Gentile Senatrice,", "Distinti saluti"),
    ("it", "Mr", "senator", "Gentile Senatore,", "Distinti saluti"),
    # Spanish
    ("es", "Ms", "deputy", "Estimada señora diputada:", "Atentamente,"),
    ("es", "Mr", "deputy", "Estimado señor diputado:", "Atentamente,"),
    ("es", "Sra.", "deputy", "Estimada señora diputada:", "Atentamente,"),
    ("es", None, "deputy", "Estimada señora, estimado señor:", "Atentamente,"),
    ("es", "Ms", "senator", "Estimada señora senadora:", "Atentamente,"),
    ("es", "Mr", "senator", "Estimado señor senador:", "Atentamente,"),
    # Russian
    ("ru", "Ms", "deputy", "Уважаемая госпожа Petrova!", "С уважением,"),
    ("ru", "Mr", "deputy", "Уважаемый господин Petrova!", "С уважением,"),
    ("ru", "госпожа", "deputy", "Уважаемая госпожа Petrova!", "С уважением,"),
    ("ru", None, "deputy", "Уважаемая госпожа / уважаемый господин Anna Petrova!",
     "С уважением,"),
    ("ru", "Mr", "senator", "Уважаемый господин Petrova!", "С уважением,"),
]


@pytest.mark.parametrize(("lang", "title", "office", "greeting", "closing"), TABLE,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in TABLE])
def test_greeting_and_closing(lang: str, title: str | None, office: str, greeting: str,
                              closing: str) -> None:
    forms = forms_of_address(lang, title, GIVEN, SURNAME, office=office)
    assert (forms.salutation, forms.closing) == (greeting, closing)


def test_every_shipped_language_is_in_the_table() -> None:
    """A language shipped without rows here would have greetings nobody checked."""
    from briefgen.content.languages import shipped_dir

    assert {p.stem for p in shipped_dir().glob("*.yaml")} == {row[0] for row in TABLE}


@pytest.mark.parametrize(("lang", "title", "name_line"), [
    ("de", "Ms", "Frau Anna Petrova"),
    ("de", "Mr", "Herr Anna Petrova"),
    ("it", "Ms", "On.le Anna Petrova"),
    ("es", "Ms", "Excma. Sra. Anna Petrova"),
    ("es", "Mr", "Excmo. Sr. Anna Petrova"),
    ("ru", "Mr", "Господин Anna Petrova"),
])
def test_the_name_line_takes_the_languages_title(lang: str, title: str, name_line: str
                                                 ) -> None:
    assert forms_of_address(lang, title, GIVEN, SURNAME).name_line == name_line


def test_a_title_a_language_gives_both_genders_says_nothing_of_gender() -> None:
    """Italian "On.le" is written for a woman and a man alike (the catalog's source)."""
    from briefgen.i18n.address import gender_of

    assert gender_of("On.le") == "neutral"
    assert gender_of("Excma. Sra.") == "f"
    assert gender_of("Herrn") == "m"
