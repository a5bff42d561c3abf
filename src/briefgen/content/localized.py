"""The content in one language: the originals with their translations laid over.

One content model, one set of facts: a French build reads the same `Content`
as the English one, with the texts the French files give in place of the
English ones. A text no translation gives stays in the original's language and
is wrapped as `Untranslated`, which keeps its language with it through the
templates (render/lang_marks.py), so the HTML and the PDF say `lang="…"` around
it and a screen reader switches voice. What is missing or changed since it was
translated is listed per file and field (`status`), for `check --lang` and for
the build's warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .languages import DEFAULT_LANGUAGE
from .model import Brief, Case, Content, Declaration, Event, Sanctions, Source
from .source_file import FieldPath, SourceFile
from .translation import (
    FieldStatus,
    Merged,
    TranslationFile,
    field_status,
    merge,
    within,
)
from .validation import pydantic_problems

# The content files a translation may sit beside: stem → (model, a list of entries?)
SHAPES: dict[str, tuple[type[BaseModel], bool]] = {
    "brief": (Brief, False),
    "declaration": (Declaration, False),
    "events": (Event, True),
    "sanctions": (Sanctions, False),
    "sources": (Source, True),
}


class Untranslated(str):
    """A text printed in another language than the document's, as its original says
    it: the templates mark it with its language, and a build warns about each one a
    document prints (`gap`), so the warnings list what the reader sees untranslated."""

    lang: str
    gap: Problem | None  # None for a text kept in the original on purpose

    def __new__(cls, value: str, lang: str, gap: Problem | None = None) -> Untranslated:
        text = super().__new__(cls, value)
        text.lang, text.gap = lang, gap
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Untranslated, (str(self), self.lang, self.gap))


@dataclass(frozen=True)
class Original:
    """A content file that translations may sit beside."""

    key: str  # "brief", "case:<id>"
    model: type[BaseModel]
    many: bool
    source: SourceFile
    data: Any  # as validated (a case: front matter, id and narrative)


@dataclass
class Localized:
    """The content in one language, with what it lacks."""

    lang: str
    content: Content
    status: list[FieldStatus] = field(default_factory=list)
    outdated: list[Problem] = field(default_factory=list)  # texts the originals no longer have

    def missing(self) -> list[FieldStatus]:
        return [s for s in self.status if s.state == "missing"]

    def changed(self) -> list[FieldStatus]:
        return [s for s in self.status if s.state == "changed"]


def language_name(lang: str) -> str:
    """'French' for fr: messages (in English, the default language) name the
    language, not its code."""
    try:
        return str(Locale.parse(lang, sep="-").get_language_name(DEFAULT_LANGUAGE))
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return lang


def localize(content: Content, originals: list[Original],
             translations: dict[str, TranslationFile], lang: str, source_lang: str
             ) -> tuple[Localized, list[Problem]]:
    """The content in `lang`: each original merged with its translation (by the
    original's key), validated again; problems are the translations' own."""
    problems: list[Problem] = []
    outdated: list[Problem] = []
    merged_data: dict[str, Any] = {}
    status: list[FieldStatus] = []
    for original in originals:
        translation = translations.get(original.key)
        merged = None
        if translation is not None:
            problems += translation.problems
            merged = merge(original.model, original.many, original.source, original.data,
                           translation)
            problems += merged.problems
            outdated += merged.outdated
        texts = field_status(original.model, original.many, original.source,
                             original.data, translation, merged)
        outdated += _unused_keeps(translation, texts)
        status += texts
        merged_data[original.key] = merged
    if problems:
        return Localized(lang, content, status, outdated), problems
    localized, found = _rebuild(content, originals, merged_data, translations)
    _mark(localized, status, originals, lang, source_lang)
    return Localized(lang, localized, status, outdated), found


def _unused_keeps(translation: TranslationFile | None, status: list[FieldStatus]
                  ) -> list[Problem]:
    """A `keep_original` entry naming no text of the original (a misspelt key)."""
    if translation is None:
        return []
    return [translation.source.problem(("keep_original", key), f"ignored: '{key}' is no "
                                       "text of "
                                       f"{status[0].original.shown if status else 'the original'}"
                                       " to keep")
            for key in translation.keep
            if not any(within(s.key, key) for s in status)]


def _rebuild(content: Content, originals: list[Original], merged: dict[str, Merged | None],
             translations: dict[str, TranslationFile]) -> tuple[Content, list[Problem]]:
    """A Content whose translated files are validated again from the merged data."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    cases: list[Case] = []
    copied = content.model_copy(deep=True)  # marking a text must not touch the original's
    for original in originals:
        result = merged[original.key]
        value: Any = _current(copied, original)
        if result is not None:
            value = _validated(original, result, translations[original.key], problems)
        if original.key.startswith("case:"):
            cases.append(value)
        else:
            values[original.key] = value
    return copied.model_copy(update={**values, "cases": cases}), problems


def _current(content: Content, original: Original) -> Any:
    if original.key.startswith("case:"):
        return next(c for c in content.cases if f"case:{c.id}" == original.key)
    return getattr(content, original.key)


def _validated(original: Original, merged: Merged, translation: TranslationFile,
               problems: list[Problem]) -> Any:
    try:
        if original.many:
            return [original.model.model_validate(item) for item in merged.data]
        return original.model.model_validate(merged.data)
    except ValidationError as exc:  # a translated text the model refuses (too long…)
        problems += pydantic_problems(translation.source, exc)
        return None


def missing_problem(item: FieldStatus, lang: str, source_lang: str) -> Problem:
    """The warning for a text printed untranslated, at the original's line."""
    original = item.original
    return Problem(original.shown, original.line_of(item.original_loc), item.key,
                   f"not translated into {language_name(lang)}: printed in "
                   f"{language_name(source_lang)}, marked as such")


def _mark(content: Content, status: list[FieldStatus], originals: list[Original],
          lang: str, source_lang: str) -> None:
    """Wrap every text no translation gives as Untranslated in the original's language."""
    by_source = {id(o.source): o for o in originals}
    for item in status:
        if item.state not in ("missing", "kept"):
            continue
        target: Any = _current(content, by_source[id(item.original)])
        gap = missing_problem(item, lang, source_lang) if item.state == "missing" else None
        _wrap(target, item.original_loc, Untranslated("", source_lang, gap))


def _wrap(target: Any, loc: FieldPath, like: Untranslated) -> None:
    for part in loc[:-1]:
        target = target[part] if isinstance(part, int) else _attr(target, part)
    last = loc[-1]
    if isinstance(last, int):
        if isinstance(target[last], str):
            target[last] = Untranslated(target[last], like.lang, like.gap)
        return
    name = _attr_name(target, last)
    value = getattr(target, name)
    if isinstance(value, str):
        object.__setattr__(target, name, Untranslated(value, like.lang, like.gap))


def _attr(target: Any, key: str) -> Any:
    return getattr(target, _attr_name(target, key))


def _attr_name(target: Any, key: str) -> str:
    if isinstance(target, BaseModel):
        for name, info in type(target).model_fields.items():
            if key in (name, info.alias):
                return name
    return key
