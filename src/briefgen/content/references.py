"""Cross-reference checks over the whole content set.

Each broken reference names both ends: where the reference is written and what
it points to, with the ids that do exist, so the fix is obvious.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from .citations import find_citations
from .model import (
    Brief,
    Case,
    Declaration,
    Event,
    Letter,
    MarkdownText,
    Sanctions,
    Source,
)
from .source_file import FieldPath, SourceFile


def _is_markdown(annotation: Any, metadata: list[Any] | None = None) -> bool:
    """True for `Markdown` and `Markdown | None` fields.

    Pydantic moves the marker of a plain `Markdown` field into FieldInfo.metadata,
    but leaves it inside the annotation of an optional one: look in both.
    """
    if any(isinstance(m, MarkdownText) for m in metadata or ()):
        return True
    if any(isinstance(m, MarkdownText) for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_is_markdown(arg) for arg in typing.get_args(annotation))


def _walk(value: Any, loc: FieldPath) -> Iterator[tuple[FieldPath, str, Any]]:
    """Yield (location, kind, value) for markdown text and 'sources' id lists."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item is None:
                continue
            if _is_markdown(info.annotation, info.metadata):
                if isinstance(item, list):  # list[Markdown], e.g. key_asks
                    for i, text in enumerate(item):
                        yield (*loc, name, i), "markdown", text
                else:
                    yield (*loc, name), "markdown", item
            elif name == "sources" and isinstance(item, list):
                for i, source_id in enumerate(item):
                    yield (*loc, name, i), "source", source_id
            else:
                yield from _walk(item, (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*loc, i))
    elif isinstance(value, dict):  # e.g. a letter's text per language
        for key, item in value.items():
            yield from _walk(item, (*loc, key))


def walk_markdown(model: Any, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every Markdown field of a model, with its location."""
    for where, kind, value in _walk(model, loc):
        if kind == "markdown":
            yield where, value


def _known(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) if ids else "none defined"


def _source_refs(model: Any, file: SourceFile, known: set[str], loc: FieldPath = (),
                 body_field: str | None = None) -> list[Problem]:
    problems = []
    for where, kind, value in _walk(model, loc):
        if kind == "source":
            if value not in known:
                problems.append(file.problem(
                    where, f"unknown source '{value}' (sources.yaml defines: {_known(known)})"))
            continue
        for source_id, line in find_citations(value):
            if source_id in known:
                continue
            if body_field and where[-1] == body_field:
                problem = Problem(file.shown, file.body_line + line, None,
                                  f"citation [@{source_id}]: unknown source "
                                  f"(sources.yaml defines: {_known(known)})")
            else:
                problem = file.problem(where, f"citation [@{source_id}]: unknown source "
                                              f"(sources.yaml defines: {_known(known)})")
            problems.append(problem)
    return problems


def _raw_case_refs(source: SourceFile, known: set[str]) -> list[Problem]:
    """Sources cited by a case file whose fields did not validate, read from its raw data."""
    problems = []
    raw = source.data.get("sources") if isinstance(source.data, dict) else None
    if isinstance(raw, list):
        for i, value in enumerate(raw):
            if isinstance(value, str) and value not in known:
                problems.append(source.problem(("sources", i), f"unknown source '{value}' "
                                               f"(sources.yaml defines: {_known(known)})"))
    for source_id, line in find_citations(source.body or ""):
        if source_id not in known:
            problems.append(Problem(source.shown, source.body_line + line, None,
                                    f"citation [@{source_id}]: unknown source "
                                    f"(sources.yaml defines: {_known(known)})"))
    return problems


def _duplicates(items: list[Any], file: SourceFile, loc: FieldPath, what: str) -> list[Problem]:
    problems = []
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in first:
            earlier = file.line_of((*loc, first[item.id], "id"))
            problems.append(file.problem((*loc, i, "id"),
                                         f"duplicate {what} id '{item.id}' "
                                         f"(first defined on line {earlier})"))
        else:
            first[item.id] = i
    return problems


@dataclass
class Parts:
    """Whatever validated, so references are checked even when other files have problems.

    `known_*` hold the ids written in the files, valid entries or not: a case whose
    status is misspelt still exists, and links to it are not also reported.
    `known_sources` is None when sources.yaml could not be read at all, which
    makes every citation unverifiable rather than unknown.
    """

    brief: Brief | None
    declaration: Declaration | None
    events: list[Event]
    cases: list[Case]
    sanctions: Sanctions | None
    sources: list[Source]
    known_sources: set[str] | None
    known_cases: set[str]
    letter: Letter | None = None
    unvalidated_cases: list[SourceFile] = field(default_factory=list)


def check_references(parts: Parts, files: dict[str, SourceFile]) -> list[Problem]:
    empty = SourceFile(path=Path("content"), shown="content")
    located = {name: files.get(name, empty)
               for name in ("brief", "declaration", "events", "sanctions", "sources", "letter")}
    problems = _duplicate_ids(parts, located) + _too_many(parts, located)
    if parts.known_sources is not None:
        problems += _unknown_sources(parts, files, located, parts.known_sources)
    if parts.sanctions is not None:
        problems += _target_links(parts.sanctions, located["sanctions"], parts.known_cases)
    return problems


# Far above any real brief (the example: 13 cases, 21 sources, 154 citations); a
# project over them is a mistake or an attack that would take minutes and gigabytes.
MAX_SOURCES = 5_000
MAX_CITATIONS = 20_000


def _too_many(parts: Parts, files: dict[str, SourceFile]) -> list[Problem]:
    problems = []
    if parts.known_sources is not None and len(parts.known_sources) > MAX_SOURCES:
        problems.append(Problem(files["sources"].shown, None, None,
                                f"{len(parts.known_sources):,} sources; a brief may list at "
                                f"most {MAX_SOURCES:,}"))
    models: list[Any] = [parts.brief, parts.declaration, *parts.events, parts.sanctions,
                         parts.letter, *parts.cases]
    citations = sum(sum(1 for _ in find_citations(text)) for model in models if model
                    is not None for _where, kind, text in _walk(model, ()) if kind != "source")
    if citations > MAX_CITATIONS:
        problems.append(Problem("content", None, None,
                                f"{citations:,} citations; a brief may hold at most "
                                f"{MAX_CITATIONS:,} (each [@id] becomes a note)"))
    return problems


def _duplicate_ids(parts: Parts, files: dict[str, SourceFile]) -> list[Problem]:
    problems = _duplicates(parts.sources, files["sources"], (), "source")
    if parts.declaration is not None:
        problems += _duplicates(parts.declaration.related, files["declaration"], ("related",),
                                "document")
    problems += _duplicates(parts.events, files["events"], (), "event")
    sanctions = parts.sanctions
    if sanctions is not None:
        for name, items, what in (("measures", sanctions.measures, "measure"),
                                  ("instruments", sanctions.instruments, "instrument"),
                                  ("regimes", sanctions.regimes, "regime"),
                                  ("targets", sanctions.targets, "target")):
            problems += _duplicates(items, files["sanctions"], (name,), what)
    return problems


def _unknown_sources(parts: Parts, files: dict[str, SourceFile],
                     located: dict[str, SourceFile], known: set[str]) -> list[Problem]:
    """Every `sources:` id and [@citation] names a source in sources.yaml."""
    models: list[tuple[Any, str, FieldPath]] = [
        (parts.brief, "brief", ()), (parts.declaration, "declaration", ())]
    models += [(event, "events", (i,)) for i, event in enumerate(parts.events)]
    models += [(parts.sanctions, "sanctions", ()), (parts.letter, "letter", ())]
    problems = [problem for model, name, loc in models if model is not None
                for problem in _source_refs(model, located[name], known, loc)]
    for case in parts.cases:
        problems += _source_refs(case, files[f"case:{case.id}"], known, body_field="narrative")
    for source in parts.unvalidated_cases:  # a bad field elsewhere hides nothing here
        problems += _raw_case_refs(source, known)
    return problems


def _target_links(sanctions: Sanctions, file: SourceFile, known_cases: set[str]) -> list[Problem]:
    """A target's cases, measures, instruments and regimes exist."""
    problems = []
    measure_ids = {m.id for m in sanctions.measures}
    instrument_ids = {m.id for m in sanctions.instruments}
    regime_ids = {r.id for r in sanctions.regimes}
    for i, target in enumerate(sanctions.targets):
        for name, ids, what, known_ids in (
                ("cases", target.cases, "case", known_cases),
                ("measures", target.measures, "measure", measure_ids),
                ("instruments", target.instruments, "instrument", instrument_ids)):
            problems += [file.problem(("targets", i, name, j),
                                      f"target '{target.id}' links to unknown {what} '{ref}' "
                                      f"(known: {_known(known_ids)})")
                         for j, ref in enumerate(ids) if ref not in known_ids]
        problems += [file.problem(("targets", i, "criteria", j, "regime"),
                                  f"target '{target.id}' links to unknown regime "
                                  f"'{criterion.regime}' (known: {_known(regime_ids)})")
                     for j, criterion in enumerate(target.criteria)
                     if criterion.regime not in regime_ids]
    return problems


def cited_sources(model: Any, loc: FieldPath = ()) -> Iterator[tuple[str, FieldPath]]:
    """Every source id a model cites, in a `sources:` list or as [@id] in its Markdown,
    with where (the id's list entry, or the Markdown field)."""
    for where, kind, value in _walk(model, loc):
        if kind == "source":
            yield value, where
        else:
            for source_id, _line in find_citations(value):
                yield source_id, where
