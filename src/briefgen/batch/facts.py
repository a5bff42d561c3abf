"""What a letter may say about its recipient, derived from the declaration's facts.

A letter that names the member's own colleagues gets read; one that thanks a
signatory by mistake, or names a colleague who did not sign, discredits the
sender. So matching is conservative: countries compare by ISO code whatever the
language they are written in ("Allemagne" = "Germany" = "DE"), groups by their
current code (the declaration's "EC" is today's EC/DA), and a recipient counts
as a signatory only if the recipients file says so or their full name matches a
listed signatory exactly (ignoring case and accents).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from ..content.assembly import Assembly
from ..content.languages import known_languages
from ..content.model import Declaration, Person
from ..i18n import locale_of
from .recipients import Recipient


def _territory_codes() -> dict[str, str]:
    """Country names in every known language (the catalogs' locales) → ISO codes."""
    return _codes_in(tuple(sorted({locale_of(lang) for lang in known_languages()})))


@cache
def _codes_in(locales: tuple[str, ...]) -> dict[str, str]:
    from babel import Locale

    codes: dict[str, str] = {}
    for locale in locales:
        for code, name in Locale.parse(locale).territories.items():
            if code.isalpha():
                codes.setdefault(_fold(name), code)
    for code in list(codes.values()):
        codes.setdefault(code.casefold(), code)
    codes.update({"uk": "GB", "great britain": "GB", "turkey": "TR", "the netherlands": "NL",
                  "republic of moldova": "MD", "czech republic": "CZ"})
    return codes


@cache
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def same_country(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    codes = _territory_codes()
    return codes.get(_fold(a), _fold(a)) == codes.get(_fold(b), _fold(b))


def same_group(a: str | None, b: str | None, assembly: Assembly) -> bool:
    """One group under any of its names; members of no group are no one's group."""
    found_a, found_b = assembly.find(a), assembly.find(b)
    return (found_a is not None and found_b is not None and found_a[0] is found_b[0]
            and not found_a[0].non_attached)


@dataclass(frozen=True)
class LetterFacts:
    signed: bool
    delegation: list[Person] = field(default_factory=list)  # signatories from their country
    group: list[Person] = field(default_factory=list)  # from their group, not named above


def letter_facts(recipient: Recipient, declaration: Declaration,
                 assembly: Assembly) -> LetterFacts:
    listed = declaration.signatories.listed
    me = {_fold(recipient.full_name), _fold(f"{recipient.surname} {recipient.given_name or ''}")}
    is_me = [_fold(p.name) in me for p in listed]
    signed = recipient.signed if recipient.signed is not None else any(is_me)
    others = [p for p, mine in zip(listed, is_me, strict=True) if not mine]
    delegation = ([p for p in others if same_country(p.country, recipient.country)]
                  if assembly.delegations == "country" else [])
    group = [p for p in others
             if same_group(p.group, recipient.group, assembly) and p not in delegation]
    return LetterFacts(signed, delegation, group)
