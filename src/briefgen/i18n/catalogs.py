"""Which languages exist: one catalog file each, shipped or the project's.

A language is data, never code: `briefgen/i18n/<code>.yaml` ships one, and a project
adds its own as `i18n/<code>.yaml` (as it adds an assembly as `assemblies/<id>.yaml`).
A project file with a shipped code extends that catalog key by key (its keys win).
So the set of languages is read from the folders, and no Python module names one.

A catalog says which babel locale dates are written in (`locale`) and which
hyphenation dictionary WeasyPrint should use (`hyphenation`, a pyphen name); a
language without one still builds, unhyphenated, and `check` says so.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import Problem

PROJECT_FOLDER = "i18n"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")  # BCP 47, as lang="" takes

_project: list[Path] = []  # the project's i18n folder, once a project is loaded


def shipped_dir() -> Path:
    return Path(str(resources.files(__package__)))


def use_project(project_dir: Path | None) -> None:
    """Make a project's own catalogs known (the loader calls this for each project)."""
    folder = project_dir / PROJECT_FOLDER if project_dir else None
    wanted = [folder] if folder is not None and folder.is_dir() else []
    if wanted != _project:
        _project[:] = wanted
        from . import reload_catalogs
        reload_catalogs()


def _files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for folder in (shipped_dir(), *_project):
        for path in sorted(folder.glob("*.yaml")):
            if LANGUAGE_CODE.match(path.stem):
                found.setdefault(path.stem, []).append(path)
    return found


@cache
def known_languages() -> tuple[str, ...]:
    """Every language a catalog file exists for, sorted by code."""
    return tuple(sorted(_files()))


def catalog_paths(lang: str) -> list[Path]:
    """The shipped catalog, then the project's, for one language (either may be absent)."""
    return _files().get(lang, [])


def unknown_language(lang: str, where: str = "--lang") -> Problem:
    """The error for a language no catalog defines, with the ones that exist."""
    return Problem(where, None, None,
                   f"unknown language '{lang}'; available: {', '.join(known_languages())} "
                   f"(a language is one catalog file: {PROJECT_FOLDER}/{lang}.yaml)")


def hyphenation_note(lang: str, dictionary: str | None) -> str | None:
    """None when WeasyPrint can hyphenate this language, else why it cannot."""
    import pyphen  # type: ignore[import-untyped]

    if dictionary and pyphen.language_fallback(dictionary):
        return None
    named = f"'{dictionary}'" if dictionary else "none named (hyphenation:)"
    return (f"no hyphenation dictionary for '{lang}' ({named}); its PDF is built "
            f"without hyphenation. Dictionaries: pyphen's, e.g. de_DE, it_IT")
