"""Per-language label catalogs and locale-aware dates.

Templates never hard-code a word a reader sees: they ask for a label by key, so
a new language is one YAML file and no template edits. Content text is left as
written; only the furniture around it is translated, and set in the language's
typography: its quotation marks, the spaces before its punctuation and inside its
dates, all from the catalog.

A role or status is one string in a language whose words do not change with the
person (`detained: detained`), or its forms (`detained: {f: détenue, m: détenu,
neutral: détenu·e, plural: détenus}`): `f` and `m` for a case's `gender`, `plural`
for a case of `kind: group`, `neutral` otherwise; a form not given is the neutral
one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton, get_date_format

from ..content.languages import (
    DEFAULT_LANGUAGE,
    catalog_paths,
    forget,
    is_known,
    known_languages,
)
from ..content.model import PartialDate

if TYPE_CHECKING:
    from ..content.model import Case


class UnknownLabel(KeyError):
    """A template asked for a label no catalog defines."""


class Labels:
    """Callable from templates: t('sources'), t('page_of', page=1, pages=4)."""

    def __init__(self, lang: str, catalog: dict[str, str], fallback: dict[str, str]) -> None:
        self.lang = lang
        self._catalog = catalog
        self._fallback = fallback

    def __call__(self, key: str, **values: object) -> str:
        text = self._catalog.get(key, self._fallback.get(key))
        if text is None:
            raise UnknownLabel(f"no label '{key}' in the '{self.lang}' catalog")
        return text.format(**values) if values else text

    def _first(self, keys: list[str]) -> str:
        """The first of these keys the catalog has, else the first the fallback has: a
        language that gives forms is never answered from another language's string."""
        for catalog in (self._catalog, self._fallback):
            for key in keys:
                if key in catalog:
                    return catalog[key]
        raise UnknownLabel(f"no label '{keys[-1]}' in the '{self.lang}' catalog")

    def choice(self, group: str, value: str, gender: str | None = None,
               plural: bool = False) -> str:
        """A controlled-vocabulary value (role, status) in this language, in the form
        that agrees with a person's gender (f, m; x or none: the neutral form) or with
        a group (plural), where the catalog gives forms."""
        key = f"{group}.{value}"
        form = "plural" if plural else gender if gender in ("f", "m") else None
        return self._first([*([f"{key}.{form}"] if form else []), f"{key}.neutral", key])

    def case_role(self, case: Case) -> str:
        """The case's role, agreeing with its gender or plurality."""
        return self.choice("roles", case.role, case.gender, case.kind == "group")

    def case_status(self, case: Case) -> str:
        """The case's status, agreeing as its role does, with the date it is true as of
        when the case gives one: "released (as of August 2019)"."""
        status = self.choice("statuses", case.status, case.gender, case.kind == "group")
        if case.status_as_of is None:
            return status
        return self("dated_status", status=status, as_of=self.as_of(case.status_as_of))

    def as_of(self, date: PartialDate) -> str:
        """"as of 1 August 2019" / "au 1er août 2019", "en août 2019": a catalog may word
        it by what the date gives (status_as_of.day, .month, .year)."""
        precision = "day" if date.is_full else "month" if date.month else "year"
        text = self._first([f"status_as_of.{precision}", "status_as_of"])
        return text.format(date=format_partial_date(date, self.lang))


def _catalog(lang: str) -> dict[str, str]:
    return _read(catalog_paths(lang))


@cache
def _read(paths: tuple[Path, ...]) -> dict[str, str]:
    """The shipped catalog, extended by the project's file of the same code."""
    merged: dict[str, str] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text("utf-8"))
        merged.update(_flatten(data if isinstance(data, dict) else {}))
    return merged


def reload_catalogs() -> None:
    """Read the catalogs again on next use (the live preview, after one was edited)."""
    _read.cache_clear()
    forget()


def locale_of(lang: str) -> str:
    """The catalog's babel locale (`locale: en_GB`): dates, lists and country names."""
    return labels(lang)("locale")


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


def labels(lang: str) -> Labels:
    """A language's labels; a key it lacks is the default language's (never silent:
    `check_catalogs` and the tests report the missing keys)."""
    if not is_known(lang):
        raise ValueError(f"unknown language '{lang}'; available: "
                         f"{', '.join(known_languages())}")
    return Labels(lang, _catalog(lang), _catalog(DEFAULT_LANGUAGE))


_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")  # the day in a CLDR pattern, unpadded
# the day with what is written on to it ("d." in German), up to the next space
_DAY_ALONE = re.compile(r"(?<![d'])d(?![d'])[^\s']*")


def _formatted(value: PartialDate, pattern: str, lang: str) -> str:
    """A date in a CLDR pattern, with the catalog's first day of a month ('1er') and
    its space inside a date."""
    t = labels(lang)
    if value.day == 1:
        first = t("date_first_day").replace("'", "''")
        pattern = _DAY_FIELD.sub(f"'{first}'", pattern)
    text = format_date(value.first_day(), format=pattern, locale=locale_of(lang))
    return text.replace(" ", t("date_space"))


def format_partial_date(value: PartialDate | None, lang: str) -> str:
    """'3 July 2019' / '3 juillet 2019', '1er décembre 2026'; 'March 2019' / 'mars 2019';
    '2019'. The catalog gives the first of a month ('1er') and the space inside a date
    (a no-break space in French: a date never breaks across lines)."""
    if value is None:
        return ""
    if value.is_full:
        return _formatted(value, get_date_format("long", locale=locale_of(lang)).pattern,
                          lang)
    if value.month:
        text = format_skeleton("yMMMM", value.first_day(), locale=locale_of(lang))
        return text.replace(" ", labels(lang)("date_space"))
    return str(value.year)


def format_period(start: PartialDate, end: PartialDate | None, lang: str) -> str:
    """A period as a reader says it: what both ends share is written once, at the end.

    "February–March 2019", "4–6 March 2019", "4 March–6 April 2019",
    "December 2019–January 2020" ("février–mars 2019", "1er–6 mars 2019"), joined by
    the catalog's `date_range` (an unspaced en dash in both languages, as the
    Imprimerie nationale also writes intervals). Babel has CLDR's interval formats
    (`format_interval`), but they are not the house style: they put thin spaces
    around the dash, shorten the months of a day-precise range ("1 févr. – 1 mars"),
    lose the catalog's "1er" and no-break date spaces, and know nothing of a range
    whose ends are not equally precise (that one is written in full at both ends)."""
    if end is None or end == start:
        return format_partial_date(start, lang)
    first = _range_start(start, end, lang)
    return labels(lang)("date_range", start=first, end=format_partial_date(end, lang))


def _range_start(start: PartialDate, end: PartialDate, lang: str) -> str:
    """The start of a range without what its end repeats: the year, and the month too
    when both ends fall in one month. Written in CLDR's own patterns without the year,
    not cut out of the whole date: "febrero–marzo de 2019", "февраль–март 2019 г.",
    "4.–6. März 2019", "4 de marzo–6 de abril de 2019"."""
    same_precision = (start.month is None) == (end.month is None) and \
        start.is_full == end.is_full
    if not same_precision or start.month is None or start.year != end.year:
        return format_partial_date(start, lang)
    locale = Locale.parse(locale_of(lang))
    if not start.is_full:
        pattern = "LLLL"  # the month's name standing alone (Russian: nominative)
    elif start.month == end.month:
        found = _DAY_ALONE.search(get_date_format("long", locale=locale).pattern)
        pattern = found.group(0) if found else "d"
    else:
        pattern = locale.datetime_skeletons["MMMMd"].pattern
    return _formatted(start, pattern, lang)
