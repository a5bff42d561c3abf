"""Forms of address: how a letter greets, names and takes leave of a parliamentarian.

These are rules of each language rather than single words, so they live here and
not in a template: English greets by title and surname ("Dear Ms Sotnyk,", but
"Dear Sir John," for a knight), French by office and gender ("Madame la
Députée,") and repeats that form in its closing formula. The words themselves
come from the label catalogs, so a new language is a catalog plus, at most, a
rule here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import labels

# Titles whose gender is known; any other title (Dr, Prof, Mx, Senator…) is kept
# as written and greeted without a gendered form.
_FEMININE = {"ms", "mrs", "miss", "mme", "madame", "mlle", "mademoiselle", "lady",
             "baroness", "dame", "frau", "sra", "signora"}
_MASCULINE = {"mr", "m", "monsieur", "lord", "sir", "baron", "herr", "sr", "signor"}
# Peers and knights keep their title in every language and are not "Député(e)".
_PEERAGE = {"lord", "lady", "baroness", "baron", "sir", "dame"}
_GIVEN_NAME_TITLES = {"sir", "dame"}  # "Dear Sir John", not "Dear Sir Smith"

OFFICES = ("deputy", "senator", "member")


def _key(title: str | None) -> str:
    return (title or "").strip().rstrip(".").casefold()


def gender_of(title: str | None) -> str:
    """'f', 'm' or 'neutral', from the title alone: names say nothing reliable."""
    key = _key(title)
    if key in _FEMININE:
        return "f"
    if key in _MASCULINE:
        return "m"
    return "neutral"


@dataclass(frozen=True)
class FormsOfAddress:
    salutation: str  # "Dear Ms Sotnyk," / "Madame la Députée,"
    closing: str  # "Yours sincerely," / "Je vous prie d'agréer, Madame la Députée, …"
    name_line: str  # the name as the address block prints it: "Mme Olena Sotnyk"
    role_line: str  # "Substitute member of the Parliamentary Assembly…"


def forms_of_address(lang: str, title: str | None, given_name: str | None, surname: str,
                     role: str | None = None, office: str | None = None,
                     salutation: str | None = None) -> FormsOfAddress:
    t = labels(lang)
    gender = gender_of(title)
    key = _key(title)
    shown_title = (title or "").strip()
    if gender != "neutral" and key not in _PEERAGE and f"letter.title.{gender}" in t.keys():
        shown_title = t(f"letter.title.{gender}")  # Ms → Mme, Mr → M. in French
    full_name = " ".join(p for p in (given_name, surname) if p)
    name_line = " ".join(p for p in (shown_title, full_name) if p)

    if "letter.form.neutral" in t.keys():  # languages that greet by office (French)
        if gender == "neutral":
            form = t("letter.form.neutral")
        else:
            office = office or ("member" if key in _PEERAGE else "deputy")
            form = t(f"letter.form.{gender}.{office}")
    elif shown_title:
        name = given_name if key in _GIVEN_NAME_TITLES and given_name else surname
        form = f"{shown_title} {name}"
    else:
        form = full_name
    if salutation:  # the recipients file's own greeting wins
        greeting = salutation.strip()
        form = greeting.rstrip(",").strip()
        form = form.removeprefix("Dear ").strip() if lang == "en" else form
    else:
        greeting = t("letter.dear", name=form, form=form)
    closing = t("letter.yours", form=form)
    if role:
        role_line = t.first(f"letter.role.{role}.{gender}", f"letter.role.{role}")
    else:
        role_line = t("letter.member")
    return FormsOfAddress(greeting, closing, name_line, role_line)

