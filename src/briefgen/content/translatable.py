"""Which fields of the content model change with language, and which are facts.

A translation beside an original (`brief.fr.yaml` beside `brief.yaml`) carries
only words: a date, an id, a status, a person's name or a source's address is
the same fact in every language, so it is read from the original alone and a
translation that gives another value contradicts it. The split is declared
here, per model, next to nothing else: the model owns what a field holds, this
table owns whether it is said differently in another language.

Names are facts: a person is written as the sources write them (other scripts
go in `other_names`). A source's title is the title it was published under, so
only its note translates. Fields of a model not listed here are facts; a nested
model (a case's events, a target's evidence) is walked into.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .model import (
    Ask,
    Brief,
    Case,
    CaseEvent,
    CoverImage,
    Declaration,
    Event,
    Evidence,
    Instrument,
    LetterText,
    Measure,
    Person,
    Quote,
    Regime,
    RelatedDocument,
    Sanctions,
    Signatories,
    Source,
    TabledBy,
    TargetCategory,
    TargetCriterion,
    Vote,
)
from .source_file import FieldPath

TRANSLATABLE: dict[type[BaseModel], frozenset[str]] = {
    Brief: frozenset({"title", "subtitle", "method", "summary", "key_asks", "keywords"}),
    Ask: frozenset({"title", "text"}),
    CoverImage: frozenset({"alt"}),
    # the countries that supported it are named for the reader; a person's country is
    # a fact a letter matches against the recipients file
    Declaration: frozenset({"title", "kind_name", "heading", "summary", "text", "session",
                            "supporting_countries"}),
    TabledBy: frozenset({"committee"}),
    Person: frozenset({"position"}),
    Quote: frozenset({"text"}),
    Signatories: frozenset({"note"}),
    Vote: frozenset({"note"}),
    RelatedDocument: frozenset({"kind", "title", "summary"}),
    Event: frozenset({"title", "period", "place", "description"}),
    Case: frozenset({"country", "charges", "sentence", "bodies", "asks", "photo_alt",
                     "narrative"}),
    CaseEvent: frozenset({"text"}),
    Sanctions: frozenset({"summary"}),
    Measure: frozenset({"title", "description"}),
    Instrument: frozenset({"title", "jurisdiction", "description"}),
    Regime: frozenset({"title", "short_title", "jurisdiction", "authority", "criteria",
                       "measures"}),
    TargetCategory: frozenset({"category", "description", "identity", "position",
                               "institution", "conduct"}),
    TargetCriterion: frozenset({"text"}),
    Evidence: frozenset({"text"}),
    Source: frozenset({"note"}),
    LetterText: frozenset({"subject", "opening", "thanks", "delegation", "group",
                           "asks_intro", "asks", "closing"}),
}


def field_names(model: type[BaseModel]) -> dict[str, str]:
    """The keys a content file writes (a field's alias, e.g. a vote's `for`) → the
    field's name."""
    return {info.alias or name: name for name, info in model.model_fields.items()}


def nested_model(model: type[BaseModel], name: str) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds, one or a list of (True), when the walk goes into it."""
    annotation = model.model_fields[name].annotation
    return _find_model(annotation, False)


def _find_model(annotation: Any, in_list: bool) -> tuple[type[BaseModel], bool] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation, in_list) if _translates(annotation) else None
    is_list = typing.get_origin(annotation) is list
    for arg in typing.get_args(annotation):
        found = _find_model(arg, in_list or is_list)
        if found is not None:
            return found
    return None


def _translates(model: type[BaseModel]) -> bool:
    """A model with words in it, here or in a model it holds."""
    if model in TRANSLATABLE:
        return True
    return any(_find_model(info.annotation, False) is not None
               for info in model.model_fields.values())


# A group's name describes it ("More than 700 protesters, including children"): words,
# unlike a person's name, which is written as the sources write it in every language.
WORDS_WHEN: dict[tuple[type[BaseModel], str], tuple[str, str]] = {
    (Case, "name"): ("kind", "group"),
}


def is_translatable(model: type[BaseModel], name: str, data: Any = None) -> bool:
    if name in TRANSLATABLE.get(model, frozenset()):
        return True
    when = WORDS_WHEN.get((model, name))
    return when is not None and isinstance(data, dict) and data.get(when[0]) == when[1]


def is_list_field(model: type[BaseModel], name: str) -> bool:
    """A list of texts (key asks, charges): each entry translates on its own."""
    annotation = model.model_fields[name].annotation
    return typing.get_origin(annotation) is list or any(
        typing.get_origin(arg) is list for arg in typing.get_args(annotation))


def has_id(model: type[BaseModel]) -> bool:
    """Entries with an id are matched by it; others by their position."""
    return "id" in model.model_fields


@dataclass(frozen=True)
class Leaf:
    """One text of an original that a translation may give."""

    key: str  # stable name across edits that reorder nothing: 'targets[officials].conduct'
    loc: FieldPath  # where it is in the original's data (indexes, for its line)
    value: Any


def leaves(model: type[BaseModel], data: Any, loc: FieldPath = (), key: str = ""
           ) -> Iterator[Leaf]:
    """Every translatable text an original file holds (empty values have nothing to
    translate)."""
    if not isinstance(data, dict):
        return
    names = field_names(model)
    for raw, value in data.items():
        name = names.get(raw)
        if name is None or value is None or value == "":
            continue
        here = f"{key}.{raw}" if key else raw
        if is_translatable(model, name, data):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item not in (None, ""):
                        yield Leaf(f"{here}[{i}]", (*loc, raw, i), item)
            else:
                yield Leaf(here, (*loc, raw), value)
            continue
        nested = nested_model(model, name)
        if nested is None:
            continue
        sub, many = nested
        if not many:
            yield from leaves(sub, value, (*loc, raw), here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                entry = item.get("id") if has_id(sub) and isinstance(item, dict) else None
                yield from leaves(sub, item, (*loc, raw, i), f"{here}[{entry or i}]")
