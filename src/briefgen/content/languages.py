"""Which languages exist: one catalog file each, shipped or the project's.

A language is data, never code: `briefgen/i18n/<code>.yaml` ships one, and a project
adds its own as `i18n/<code>.yaml` (as it adds an assembly as `assemblies/<id>.yaml`);
a project file with a shipped code extends that catalog key by key. So the set of
languages is read from the folders, and no Python module names one but the default
below. This lives with the content model, which validates a brief's `language` and a
recipient's against it; what a catalog says is the i18n package's business.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import Problem

# The one language named in code: what a brief is written in when it says nothing,
# and whose catalog answers a label another catalog lacks.
DEFAULT_LANGUAGE = "en"

PROJECT_FOLDER = "i18n"
# a BCP 47 tag as HTML's lang="" takes it: the file's name is the language's code
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_CATALOG_FILES = 200

_project: list[Path] = []  # the loaded project's i18n folder, if it has one


@cache
def shipped_dir() -> Path:
    return Path(str(resources.files("briefgen") / "i18n"))


def use_project(project_dir: Path | None) -> None:
    """Make a project's own catalogs known: loading a project calls this first, so its
    `lang:` and its content may name the languages it adds."""
    folder = project_dir / PROJECT_FOLDER if project_dir else None
    _project[:] = [folder] if folder is not None and folder.is_dir() else []


def project_catalogs() -> list[Path]:
    """The project's catalog files (`check` validates them)."""
    return [p for folder in _project for p in sorted(folder.glob("*.y*ml"))]


@cache
def _files(folders: tuple[Path, ...]) -> dict[str, tuple[Path, ...]]:
    found: dict[str, tuple[Path, ...]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml"))[:MAX_CATALOG_FILES]:
            if LANGUAGE_CODE.match(path.stem):
                found[path.stem] = (*found.get(path.stem, ()), path)
    return found


def forget() -> None:
    """Look at the folders again (the live preview, after a catalog was added)."""
    _files.cache_clear()


def _current() -> dict[str, tuple[Path, ...]]:
    return _files((shipped_dir(), *_project))


def known_languages() -> tuple[str, ...]:
    """Every language a catalog file exists for, sorted by code."""
    return tuple(sorted(_current()))


def is_known(lang: str) -> bool:
    return lang in _current()


def catalog_paths(lang: str) -> tuple[Path, ...]:
    """The shipped catalog, then the project's, for one language (either may be absent)."""
    return _current().get(lang, ())


def known_language(value: str) -> str:
    """A language with a catalog, else a ValueError listing the ones there are."""
    if not is_known(value):
        raise ValueError(f"unknown language '{value}'; available: "
                         f"{', '.join(known_languages())} (a language is one catalog "
                         f"file: {PROJECT_FOLDER}/{value}.yaml)")
    return value


def unknown_language(lang: str, where: str = "--lang") -> Problem | None:
    """The error for a language no catalog defines, naming the ones that exist."""
    try:
        known_language(lang)
    except ValueError as exc:
        return Problem(where, None, None, str(exc))
    return None
