"""Forms of address: how a letter greets, names and takes leave of a parliamentarian.

These are rules of each language rather than single words, so they live here and
not in a template: English greets by title and surname ("Dear Ms Sotnyk,", but
"Dear Sir John," for a knight), French by office and gender ("Madame la
Députée,") and repeats that form in its closing formula. The forms themselves
are in the label catalogs (letter.form.<gender>.<office>, with the greeting's and
the closing's punctuation in letter.dear and letter.yours: a colon in Spanish,
"!" in Russian, nothing after the German closing), so a new language is a
catalog; what stays here is reading a title's gender, which also knows every
catalog's own titles (letter.title.f, letter.title.m).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.languages import known_languages
from . import Labels, labels

if TYPE_CHECKING:
    from ..content.assembly import Assembly

# Titles whose gender is known; any other title (Dr, Prof, Mx, Senator…) is kept
# as written and greeted without a gendered form.
_FEMININE = {"ms", "mrs", "miss", "mme", "madame", "mlle", "mademoiselle", "lady",
             "baroness", "dame", "frau", "sra", "signora", "sig.ra", "señora", "госпожа",
             "г-жа"}
_MASCULINE = {"mr", "m", "monsieur", "lord", "sir", "baron", "herr", "herrn", "sr",
              "signor", "sig", "señor", "господин", "г-н"}
# Peers and knights keep their title in every language and are not "Député(e)".
_PEERAGE = {"lord", "lady", "baroness", "baron", "sir", "dame"}
_GIVEN_NAME_TITLES = {"sir", "dame"}  # "Dear Sir John", not "Dear Sir Smith"

OFFICES = ("deputy", "senator", "member")


def _key(title: str | None) -> str:
    return (title or "").strip().rstrip(".").casefold()


def _catalog_titles(languages: tuple[str, ...]) -> dict[str, str]:
    """Each catalog's gendered titles ('Excma. Sra.' → f): a language added as a
    catalog has its titles read like the ones above. A title a catalog gives both
    genders (Italian "On.le") says nothing of the person's."""
    found: dict[str, str] = {}
    for lang in languages:
        t = labels(lang)
        for gender in ("f", "m"):
            key = _key(t(f"letter.title.{gender}"))
            found[key] = gender if found.get(key, gender) == gender else "neutral"
    return found


def gender_of(title: str | None) -> str:
    """'f', 'm' or 'neutral', from the title alone: names say nothing reliable."""
    key = _key(title)
    if key in _FEMININE:
        return "f"
    if key in _MASCULINE:
        return "m"
    return _catalog_titles(known_languages()).get(key, "neutral")


@dataclass(frozen=True)
class FormsOfAddress:
    salutation: str  # "Dear Ms Sotnyk," / "Madame la Députée,"
    closing: str  # "Yours sincerely," / "Je vous prie d'agréer, Madame la Députée, …"
    name_line: str  # the name as the address block prints it: "Mme Olena Sotnyk"
    role_line: str  # "Member of the European Parliament", from the assembly's file


def _shown_title(t: Labels, title: str | None, gender: str) -> str:
    """The title as this language writes it: Ms → Mme in French, Mme → Ms in English;
    peers' and other titles as written."""
    key = _key(title)
    native = {_key(n) for n in t("letter.titles").split(",")}
    if gender != "neutral" and key not in _PEERAGE and key not in native:
        return t(f"letter.title.{gender}")
    return " ".join((title or "").split())


def _called(key: str, shown_title: str, given_name: str | None, surname: str) -> str:
    """The name a greeting uses: "Dear Alex Roe," without a title, "Dear Sir John,"."""
    if not shown_title:
        return " ".join(p for p in (given_name, surname) if p)
    if key in _GIVEN_NAME_TITLES and given_name:
        return given_name
    return surname


def _own_greeting(t: Labels, salutation: str) -> tuple[str, str]:
    """The recipients file's greeting, and the form it gives the closing formula."""
    greeting = " ".join(salutation.split())
    form = greeting.rstrip(",").strip()
    dear = t("letter.dear", form="").rstrip(",").strip()
    if dear and form.startswith(dear + " "):
        form = form[len(dear):].strip()  # "Dear Anna," → Anna, for the closing
    return greeting, form


def forms_of_address(lang: str, title: str | None, given_name: str | None, surname: str,
                     role: str | None = None, office: str | None = None,
                     salutation: str | None = None,
                     assembly: Assembly | None = None) -> FormsOfAddress:
    t = labels(lang)
    gender = gender_of(title)
    key = _key(title)
    shown_title = _shown_title(t, title, gender)
    full_name = " ".join(p for p in (given_name, surname) if p)
    name_line = " ".join(p for p in (shown_title, full_name) if p)
    name = _called(key, shown_title, given_name, surname)
    office = office or ("member" if key in _PEERAGE else
                        assembly.office if assembly else "deputy")
    pattern = "letter.form.neutral" if gender == "neutral" else f"letter.form.{gender}.{office}"
    own = assembly.forms_of_address.get(lang, {}).get(gender) if assembly else None
    form = " ".join((own or t(pattern)).format(title=shown_title, name=name).split())
    if salutation:  # the recipients file's own greeting wins
        greeting, form = _own_greeting(t, salutation)
    else:
        greeting = t("letter.dear", form=form)
    closing = t("letter.yours", form=form)
    role_line = assembly.member_line(lang, role, gender) if assembly else ""
    return FormsOfAddress(greeting, closing, name_line, role_line)
