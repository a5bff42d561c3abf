"""What a template needs of the content, declared in its template.yaml.

A template shows a section only when the content has something for it: the brief
leaves out "The cases" without cases, the dossier's "Legal basis" without regimes.
Left unsaid, that is a brief that quietly lacks a section, or a sanctions
submission of two pages with nothing in it. So each template lists its sections
with the content they need and what to add (`sections:` in template.yaml):
`briefgen check` warns about a section that would be empty, and a section marked
`required` — the template has nothing to show without it — stops the build with
the same message. The template says this, not code that names templates, so a
project's own template declares its needs the same way.

A need is a path into the content model, `sanctions.targets`, or into each item of
a list, `sanctions.targets[].evidence`; a section lists one or more and any one
that is not empty will do. Paths are checked against the model when template.yaml
is read, so a misspelt one is a problem at its line there.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..content.loader import LoadedContent
from ..content.model import Content
from ..content.source_file import FieldPath, format_loc
from ..content.validation import pattern
from ..errors import Problem

NEED_PATH = pattern(r"^[a-z_]+(?:\[\])?(?:\.[a-z_]+(?:\[\])?)*$",
                    "a path into the content such as sanctions.targets or "
                    "sanctions.targets[].evidence")
NeedPath = Annotated[str, Field(pattern=NEED_PATH)]
_STEP = re.compile(r"([a-z_]+)(\[\])?")
LIST_FILES = ("events", "sources")  # content files that are a list of entries


class SectionNeed(BaseModel):
    """One entry of `sections:` in template.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    section: str = Field(min_length=1, description="the section as a reader knows it")
    needs: list[NeedPath] = Field(min_length=1, description="content fields, any one of "
                                                            "which will do")
    add: str = Field(min_length=1, description="what to add, and where")
    required: bool = Field(False, description="without it the build stops")

    @field_validator("needs")
    @classmethod
    def _known_paths(cls, value: list[str]) -> list[str]:
        for path in value:
            problem = _unknown_step(path)
            if problem:
                raise ValueError(problem)
        prefixes = {path.split("[]")[0] for path in value if "[]" in path}
        if len(prefixes) > 1 or any(path.count("[]") > 1 for path in value):
            raise ValueError("paths with [] must all go through the same one list, e.g. "
                             "[sanctions.targets[].conduct, sanctions.targets[].description]")
        return value


def _steps(path: str) -> list[tuple[str, bool]]:
    """'sanctions.targets[].evidence' -> [('sanctions', False), ('targets', True), …]"""
    steps: list[tuple[str, bool]] = []
    for part in filter(None, path.split(".")):
        match = _STEP.fullmatch(part)
        assert match is not None  # the pattern has been checked
        steps.append((match.group(1), bool(match.group(2))))
    return steps


def _names(path: str) -> FieldPath:
    return tuple(name for name, _each in _steps(path))


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The model a field holds, and whether it holds a list of them."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is list and args:
        return _unwrap(args[0])[0], True
    if origin is not None and len(args) == 1:  # X | None
        return _unwrap(args[0])
    return annotation, False


def _unknown_step(path: str) -> str | None:
    model: Any = Content
    for i, (name, each) in enumerate(_steps(path)):
        fields = model.model_fields if isinstance(model, type) and \
            issubclass(model, BaseModel) else {}
        if name not in fields:
            where = ".".join(n for n, _ in _steps(path)[:i]) or "the content"
            known = ", ".join(fields) or "none: it is not a mapping of fields"
            return f"'{path}': {where} has no field '{name}' (fields: {known})"
        model, is_list = _unwrap(fields[name].annotation)
        if each and not is_list:
            return f"'{path}': '{name}' is not a list, so '{name}[]' means nothing"
    return None


# -- evaluating the needs against one project's content ----------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _get(value: Any, steps: list[tuple[str, bool]]) -> Any:
    for name, _each in steps:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


@dataclass(frozen=True)
class Gap:
    """A section the content leaves empty: the need, and where to add what it lacks."""

    need: SectionNeed
    template: str
    file: str
    line: int | None
    field: str | None
    missing_file: bool = False

    def problem(self) -> Problem:
        need = self.need
        if need.required:
            what = (f"template '{self.template}' cannot be made with nothing for "
                    f"'{need.section}': add {need.add}")
        else:
            what = (f"template '{self.template}' will show nothing for '{need.section}': "
                    f"add {need.add}")
        if self.missing_file:
            what += f" ({self.file} does not exist yet: create it)"
        return Problem(self.file, self.line, self.field, what)


def _place(loaded: LoadedContent, loc: FieldPath, project_shown: str = "content"
           ) -> tuple[str, int | None, str | None, bool]:
    """(file, line, field, file missing) of a content location such as
    ('sanctions', 'targets', 2, 'evidence') or ('cases', 0, 'asks')."""
    head, rest = str(loc[0]), loc[1:]
    if head == "cases":
        if not rest:
            return f"{project_shown}/cases/", None, None, False
        case = loaded.content.cases[int(rest[0])]
        source = loaded.files.get(f"case:{case.id}")
        rest = rest[1:]
    else:
        source = loaded.files.get(head)
    if source is None:
        return f"{project_shown}/{head}.yaml", None, format_loc(rest), True
    # the field's line, else its parent's; not the file's first field, which says nothing
    line = source.lines.get(rest) or (source.lines.get(rest[:-1]) if len(rest) > 1 else None)
    return source.shown, line, format_loc(rest), False


def gaps(sections: tuple[SectionNeed, ...], template: str, loaded: LoadedContent
         ) -> Iterator[Gap]:
    """Each section of the template that the content leaves empty: once for a section
    of the whole document, once per item for a need through a list (`[]`)."""
    content = loaded.content
    for need in sections:
        whole = [p for p in need.needs if "[]" not in p]
        each = [p for p in need.needs if "[]" in p]
        if any(not _empty(_get(content, _steps(p))) for p in whole):
            continue
        if not each:
            yield Gap(need, template, *_place(loaded, _names(need.needs[0])))
            continue
        prefix = each[0].partition("[]")[0]
        rests = [_steps(p.partition("[]")[2]) for p in each]
        for i, item in enumerate(_get(content, _steps(prefix)) or []):
            if all(_empty(_get(item, rest)) for rest in rests):
                loc: FieldPath = (*_names(prefix), i, *(name for name, _ in rests[0]))
                yield Gap(need, template, *_place(loaded, loc))


def required_problems(sections: tuple[SectionNeed, ...], template: str,
                      loaded: LoadedContent) -> list[Problem]:
    """What stops the build: a required section with nothing in it."""
    return [gap.problem() for gap in gaps(sections, template, loaded) if gap.need.required]
