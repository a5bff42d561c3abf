"""What a catalog must hold, checked like any content file (file, line, field).

Which languages exist is read from the folders (content/languages.py); here a
catalog is checked: it is a mapping, it names a babel locale (`locale: de_CH`) that
babel knows, its labels are text or forms of text, and it says which hyphenation
dictionary the PDF uses (`hyphenation`, a pyphen name). A language without one still
builds, unhyphenated, and `check` says so. A project's language that leaves labels
out gets the default language's for them, and `check` lists which.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODE,
    catalog_paths,
    project_catalogs,
    shipped_dir,
)
from ..content.source_file import SourceFile, load_yaml_file
from ..errors import Problem, display_path

# Forms of one label (a role's f/m/neutral/plural, status_as_of's day/month/year): a
# catalog gives them as its grammar needs, so they count as one label. A noun's
# grammatical gender (instrument_kinds.*.gender) is grammar, not a label.
FORMS = frozenset({"f", "m", "n", "neutral", "plural", "day", "month", "year"})
GRAMMAR = frozenset({"gender"})


def label_keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    """The labels a catalog gives, forms folded into their label."""
    keys: set[str] = set()
    for key, value in data.items():
        if prefix and key in GRAMMAR:
            continue
        if prefix and key in FORMS:
            keys.add(prefix.rstrip("."))
        elif isinstance(value, dict):
            keys |= label_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def hyphenation_note(lang: str, dictionary: str | None) -> str | None:
    """None when WeasyPrint can hyphenate this language (the dictionary the catalog
    names, else the one pyphen finds for its code), else why it cannot."""
    import pyphen  # type: ignore[import-untyped]

    if pyphen.language_fallback(str(dictionary) if dictionary else lang):
        return None
    named = f"'{dictionary}' is not one of pyphen's" if dictionary else "none is named"
    return (f"no hyphenation dictionary for '{lang}' ({named}, e.g. de_DE); its PDF "
            f"is built without hyphenation")


_aliases: dict[str, str] = {}  # language code → pyphen dictionary, added for a project


def _use_hyphenation(lang: str, dictionary: Any) -> None:
    """WeasyPrint picks a dictionary by the `lang` attribute alone: a project language
    whose code pyphen does not know (gsw) but whose catalog names one (de_CH) gets it
    under its code, for as long as the project is the one loaded."""
    import pyphen

    target = pyphen.language_fallback(str(dictionary)) if dictionary else None
    if target and not pyphen.language_fallback(lang):
        pyphen.LANGUAGES_LOWERCASE[lang.lower()] = target
        _aliases[lang.lower()] = target


def forget_hyphenation() -> None:
    """Undo the project's dictionary aliases (the next project may not have them)."""
    import pyphen

    for code in _aliases:
        pyphen.LANGUAGES_LOWERCASE.pop(code, None)
    _aliases.clear()


def _bad_locale(value: Any) -> str | None:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(str(value))
    except (ValueError, TypeError, UnknownLocaleError):
        return f"'{value}' is not a locale babel knows (e.g. de_DE, pt_BR)"
    return None


def _english_keys() -> set[str]:
    import yaml

    path = shipped_dir() / f"{DEFAULT_LANGUAGE}.yaml"
    return label_keys(yaml.safe_load(path.read_text("utf-8")))


def _check_one(source: SourceFile, shipped: bool) -> tuple[list[Problem], list[Problem]]:
    data = source.data
    if not isinstance(data, dict):
        return [source.problem((), "expected a mapping of labels (locale, summary, …)")], []
    problems, notes = [], []
    if "locale" in data and _bad_locale(data["locale"]):
        problems.append(source.problem(("locale",), str(_bad_locale(data["locale"]))))
    if not shipped:
        if "locale" not in data:
            problems.append(source.problem((), "a new language needs `locale:` (babel's, "
                                               "e.g. de_CH) for its dates"))
        note = hyphenation_note(source.path.stem, data.get("hyphenation"))
        if note:
            notes.append(source.problem(("hyphenation",), note))
        else:
            _use_hyphenation(source.path.stem, data.get("hyphenation"))
        missing = sorted(_english_keys() - label_keys(data))
        if missing:
            notes.append(source.problem((), f"{len(missing)} labels not given, shown in "
                                            f"the default language: {', '.join(missing[:8])}"
                                            + ("…" if len(missing) > 8 else "")))
    return problems, notes


def check_catalogs(project_dir: Path) -> tuple[list[Problem], list[Problem]]:
    """The project's catalogs: problems (a build stops) and notes (warnings)."""
    problems: list[Problem] = []
    notes: list[Problem] = []
    forget_hyphenation()
    for path in project_catalogs():
        shown = display_path(path, project_dir)
        if path.suffix != ".yaml" or not LANGUAGE_CODE.match(path.stem):
            problems.append(Problem(shown, None, None, "a catalog is named after its "
                                    "language's code, e.g. i18n/de.yaml or i18n/pt-BR.yaml"))
            continue
        source, found = load_yaml_file(path, shown, within=(project_dir,))
        if found:
            problems += found
            continue
        shipped = len(catalog_paths(path.stem)) > 1
        more, other = _check_one(source, shipped)
        problems += more
        notes += other
    return problems, notes
