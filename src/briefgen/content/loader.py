"""Load a project's content folder into one validated `Content`.

Every file is read and validated even when an earlier one failed, so the user
sees all problems in one run; cross-references are checked only once each file
is individually sound, since a broken file cannot be trusted for its ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import BriefgenError, Problem, display_path
from ..resources import ResourcePolicy
from .images import check_images
from .model import (
    ID_PATTERN,
    Brief,
    Case,
    Content,
    Declaration,
    Event,
    Letter,
    Sanctions,
    Source,
)
from .references import Parts, check_references
from .source_file import FieldPath, SourceFile, load_markdown_file, load_yaml_file
from .validation import describe, pydantic_problems

CASE_PREFIX = re.compile(r"^\d+[-_]")


@dataclass
class LoadedContent:
    """The content plus where each part came from, for later problems (e.g. template errors)."""

    content: Content
    files: dict[str, SourceFile] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Problem]:
        return [w for source in self.files.values() for w in source.warnings]


def _validate(model: type[BaseModel], source: SourceFile, data: Any,
              problems: list[Problem], prefix: FieldPath = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(source, exc, prefix))
        return None


def _validate_list(model: type[BaseModel], source: SourceFile,
                   problems: list[Problem]) -> list[Any]:
    data = source.data
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(source.problem((), f"expected a list of entries, got {describe(data)}"))
        return []
    items = []
    for i, item in enumerate(data):
        value = _validate(model, source, item, problems, prefix=(i,))
        if value is not None:
            items.append(value)
    return items


def _find(content_dir: Path, stem: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = content_dir / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def load_content(project_dir: Path, content_dir: Path | None = None,
                 policy: ResourcePolicy | None = None) -> LoadedContent:
    """Read and validate every content file; raise BriefgenError listing all problems."""
    content_dir = content_dir or project_dir / "content"
    policy = policy or ResourcePolicy(project_root=project_dir)
    problems: list[Problem] = []
    files: dict[str, SourceFile] = {}

    def shown(path: Path) -> str:
        return display_path(path, project_dir)

    if not content_dir.is_dir():
        raise BriefgenError([Problem(shown(content_dir), None, None,
                                     "content folder not found; create it (see the content "
                                     "format in README.md), or run 'briefgen init DIR' to "
                                     "start a new project")])

    def read_yaml(stem: str, required: bool) -> SourceFile | None:
        path = _find(content_dir, stem)
        if path is None:
            if required:
                problems.append(Problem(shown(content_dir / f"{stem}.yaml"), None, None,
                                        "required file is missing"))
            return None
        source, found = load_yaml_file(path, shown(path))
        problems.extend(found)
        files[stem] = source
        return None if found else source

    brief_src = read_yaml("brief", required=True)
    decl_src = read_yaml("declaration", required=True)
    events_src = read_yaml("events", required=False)
    sanctions_src = read_yaml("sanctions", required=False)
    sources_src = read_yaml("sources", required=False)
    letter_src = read_yaml("letter", required=False)

    brief = _validate(Brief, brief_src, brief_src.data, problems) if brief_src else None
    declaration = (_validate(Declaration, decl_src, decl_src.data, problems)
                   if decl_src else None)
    events = _validate_list(Event, events_src, problems) if events_src else []
    sanctions = (_validate(Sanctions, sanctions_src, sanctions_src.data or {}, problems)
                 if sanctions_src else Sanctions())
    sources = _validate_list(Source, sources_src, problems) if sources_src else []
    letter = (_validate(Letter, letter_src, letter_src.data, problems)
              if letter_src else None)
    cases = _load_cases(content_dir / "cases", shown, files, problems)

    # A sources.yaml that cannot be read (or is not a list) makes citations unverifiable,
    # not unknown: its own problem is reported, not one per citation.
    sources_readable = ("sources" not in files
                        or (sources_src is not None
                            and isinstance(sources_src.data, (list, type(None)))))
    parts = Parts(brief=brief, declaration=declaration, events=events, cases=cases,
                  sanctions=sanctions, sources=sources, letter=letter,
                  known_sources=_raw_ids(sources_src) if sources_readable else None,
                  known_cases={key.removeprefix("case:") for key in files
                               if key.startswith("case:")},
                  unvalidated_cases=[source for key, source in files.items()
                                     if key.startswith("case:") and source.data is not None
                                     and key.removeprefix("case:") not in
                                     {c.id for c in cases}])
    problems.extend(check_references(parts, files))
    if problems or brief is None or declaration is None or sanctions is None:
        raise BriefgenError(problems)

    content = Content(brief=brief, declaration=declaration, events=events, cases=cases,
                      sanctions=sanctions, sources=sources, letter=letter)
    loaded = LoadedContent(content, files)
    problems.extend(check_images(loaded, project_dir, policy))
    if problems:
        raise BriefgenError(problems)
    return loaded


def _raw_ids(source: SourceFile | None) -> set[str]:
    """Ids as written, valid entries or not (see references.Parts)."""
    if source is None or not isinstance(source.data, list):
        return set()
    return {str(item["id"]) for item in source.data if isinstance(item, dict) and "id" in item}


def _load_cases(cases_dir: Path, shown, files: dict[str, SourceFile],
                problems: list[Problem]) -> list[Case]:
    if not cases_dir.is_dir():
        return []
    cases: list[Case] = []
    for path in sorted(cases_dir.glob("*.md")):
        source, found = load_markdown_file(path, shown(path))
        problems.extend(found)
        if found:
            # Unreadable, but the case still exists: links to it are not also errors.
            files.setdefault(f"case:{CASE_PREFIX.sub('', path.stem)}", source)
            continue
        data = source.data if source.data is not None else {}
        if not isinstance(data, dict):
            problems.append(source.problem((), "front matter must be a mapping of fields"))
            continue
        if "narrative" in data:
            problems.append(source.problem(("narrative",), "the narrative is the Markdown "
                                           "after the front matter, not a field"))
            continue
        if "id" not in data:
            file_id = CASE_PREFIX.sub("", path.stem)
            if not re.match(ID_PATTERN, file_id):
                problems.append(Problem(
                    source.shown, None, "id",
                    "expected an id of lower-case letters, digits, '.', '_' or '-', got "
                    f"'{file_id}' (taken from the file name; rename the file or add an id: "
                    "field)"))
                continue
        data = {"id": CASE_PREFIX.sub("", path.stem), **data, "narrative": source.body or ""}
        key = f"case:{data['id']}"
        if key in files:
            problems.append(source.problem(("id",), f"duplicate case id '{data['id']}'; also "
                                           f"used by {files[key].shown}"))
            continue
        files[key] = source
        case = _validate(Case, source, data, problems)
        if case is not None:
            cases.append(case)
    return cases

