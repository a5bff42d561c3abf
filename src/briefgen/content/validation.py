"""Pydantic's validation errors, reworded for people who edit YAML and spreadsheets.

Every file briefgen validates (content, briefgen.yaml, template.yaml, a
recipients file) reports its problems in the same words, so "expected one of
…, got …" means the same thing wherever it appears.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem
from .source_file import FieldPath, SourceFile, format_loc
from .yaml_hints import value_hint

_MEANINGS: dict[str, str] = {}


def pattern(regex: str, meaning: str) -> str:
    """A regular expression a text field must match, registered with what it asks for
    in words, so that a mismatch says "expected an id of …", not the expression."""
    _MEANINGS[regex] = meaning
    return regex


_EXPECTED = {"string_type": "text", "int_type": "a whole number",
             "int_parsing": "a whole number", "list_type": "a list",
             "dict_type": "a mapping", "model_type": "a mapping of fields",
             "bool_type": "true or false"}


def describe(value: Any) -> str:
    """A value as a reader of the file would name it."""
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _empty(err: ErrorDetails) -> bool:
    kind = err["type"]
    return (kind in ("missing", "string_too_short")
            or (err.get("input", "") is None and kind.endswith("_type")))


def explain(err: ErrorDetails, empty: str | None = None) -> str:
    """One error in plain words.

    empty: the wording for a value that is missing or blank, for tables (a
    recipients file) where an empty cell and a missing column mean the same.
    """
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if empty is not None and _empty(err):
        return empty
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see the content format in README.md)"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}, got {err['input']!r}"
    if kind == "string_pattern_mismatch":
        meaning = _MEANINGS.get(str(ctx.get("pattern")), "text of another form")
        return f"expected {meaning}, got {err['input']!r}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe(err['input'])}"
    return str(err["msg"]).removeprefix("Value error, ")


def pydantic_problems(source: SourceFile, exc: ValidationError,
                      prefix: FieldPath = ()) -> list[Problem]:
    """Each error located at its field's line in the file; when a known YAML mistake
    gave the field its wrong kind of value, with the fix (see yaml_hints)."""
    problems = []
    for err in exc.errors(include_url=False):
        loc: FieldPath = (*prefix, *err["loc"])
        message = explain(err)
        if loc and loc[-1] == "[key]":  # a mapping key that is not allowed (text: {de: …})
            loc, message = loc[:-1], f"not an allowed key: {message}"
        hint = value_hint(source.text_lines, source.line_of(loc), err["type"],
                          err.get("input"))
        if hint is None:
            problems.append(source.problem(loc, message))
        else:
            if hint.kind == "dash":  # the whole list as one text: too long to repeat
                message = "expected a list, got one text"
            problems.append(Problem(source.shown, hint.line + 1, format_loc(loc),
                                    f"{message}: {hint.message}\n{hint.shown()}"))
    return problems
