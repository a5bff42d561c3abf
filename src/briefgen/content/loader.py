"""Load a project's content folder into one validated `Content`.

Every file is read and validated even when an earlier one failed, so the user
sees all problems in one run; cross-references are checked only once each file
is individually sound, since a broken file cannot be trusted for its ids.

Loading is split by file: each file is read and validated on its own and kept
with the file's size and modification time, so a `ContentLoader` that loads
again (the live preview, after a save) reads only the files that changed. The
checks across files (references, images) are cheap and always run in full.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import BriefgenError, Problem, display_path
from ..resources import ResourcePolicy
from .assembly import Assembly, AssemblyEntry, anachronisms, check_assembly, load_assemblies
from .languages import LANGUAGE_CODE, is_known, unknown_language
from .letter_texts import LetterTexts, add_letter_texts, read_letter_text
from .links import check_links_and_images
from .localized import SHAPES, Localized, Original, localize
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
from .translation import TranslationFile, read_translation
from .validation import describe, pydantic_problems

CASE_PREFIX = re.compile(r"^\d+[-_]")
T = TypeVar("T")
R = TypeVar("R")  # what reading one file gives (a _Read, a letter_texts.LetterTextRead)


@dataclass
class LoadedContent:
    """The content plus where each part came from, for later problems (e.g. template errors)."""

    content: Content
    files: dict[str, SourceFile] = field(default_factory=dict)
    assemblies: dict[str, AssemblyEntry] = field(default_factory=dict)
    assembly: Assembly | None = None  # the declaration's, when it names one
    notices: list[Problem] = field(default_factory=list)  # warnings about the whole content
    originals: list[Original] = field(default_factory=list)  # files translations sit beside
    translations: dict[str, dict[str, TranslationFile]] = field(default_factory=dict)
    by_language: dict[str, Localized] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The language the content files are written in."""
        return self.content.brief.language

    def localized(self, lang: str) -> Localized | None:
        """The content in `lang` (its translations laid over the originals, the rest
        marked as untranslated); None in the originals' own language."""
        if lang == self.language:
            return None
        if lang not in self.by_language:
            self.by_language[lang], _ = localize(self.content, self.originals,
                                                self.translations.get(lang, {}), lang,
                                                self.language)
        return self.by_language[lang]

    def in_language(self, lang: str) -> LoadedContent:
        """This content as a template sees it in `lang`."""
        localized = self.localized(lang)
        if localized is None:
            return self
        view = copy.copy(self)
        view.content = localized.content
        return view

    @property
    def warnings(self) -> list[Problem]:
        return [w for source in self.files.values() for w in source.warnings] + self.notices

    def letter_assembly(self) -> Assembly | None:
        """The assembly the letters' recipients sit in: the letter's, else the declaration's."""
        letter = self.content.letter
        if letter is not None and letter.assembly:
            return self.assemblies[letter.assembly].assembly
        return self.assembly


# -- one file at a time --------------------------------------------------------------------


def _validate(model: type[BaseModel], source: SourceFile, data: Any,
              problems: list[Problem], prefix: FieldPath = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(source, exc, prefix))
        return None


def _validate_list(model: type[BaseModel], source: SourceFile, data: Any,
                   problems: list[Problem]) -> list[Any]:
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


@dataclass(frozen=True)
class Part(Generic[T]):
    """One YAML file of the content folder and how it validates."""

    stem: str  # content/<stem>.yaml (or .yml)
    validate: Callable[[SourceFile, list[Problem]], T]
    absent: Callable[[], T]  # the value when the file is not there
    required: bool = False
    other_stem: str | None = None  # another name the file may have


def _one(model: type[BaseModel], empty: Any = None) -> Callable[[SourceFile, list[Problem]], Any]:
    """A file holding one mapping; `empty` stands in for an empty file, if it may be."""
    return lambda source, problems: _validate(
        model, source, source.data if empty is None else (source.data or empty), problems)


def _many(model: type[BaseModel]) -> Callable[[SourceFile, list[Problem]], Any]:
    """A file holding a list of entries."""
    return lambda source, problems: _validate_list(model, source, source.data, problems)


PARTS: tuple[Part[Any], ...] = (
    Part("brief", _one(Brief), lambda: None, required=True),
    # The instrument: projects started from the example name it declaration.yaml.
    Part("declaration", _one(Declaration), lambda: None, required=True,
         other_stem="instrument"),
    Part("events", _many(Event), list),
    Part("sanctions", _one(Sanctions, empty={}), Sanctions),
    Part("sources", _many(Source), list),
    Part("letter", _one(Letter), lambda: None),
)


@dataclass
class _Read:
    """One file read and validated on its own: what may be kept until the file changes."""

    source: SourceFile
    read_problems: list[Problem]  # the file could not be read or parsed
    problems: list[Problem] = field(default_factory=list)  # its fields did not validate
    value: Any = None
    case_id: str | None = None  # case files: the id, taken from the file name if not given
    raw: Any = None  # case files: the data validated (front matter, id, narrative)
    unreadable: bool = False  # not read or parsed at all, so the file may still hold a case


def _read_part(part: Part[Any], path: Path, shown: str, within: Sequence[Path]) -> _Read:
    source, found = load_yaml_file(path, shown, within=within)
    read = _Read(source, found)
    read.value = part.absent() if found else part.validate(source, read.problems)
    return read


def _read_case(path: Path, shown: str, within: Sequence[Path]) -> _Read:
    source, found = load_markdown_file(path, shown, within=within)
    file_id = CASE_PREFIX.sub("", path.stem)
    read = _Read(source, found, case_id=file_id, unreadable=bool(found))
    if found:
        return read
    data = source.data if source.data is not None else {}
    if not isinstance(data, dict):
        read.read_problems.append(source.problem((), "front matter must be a mapping of "
                                                     "fields"))
    elif "narrative" in data:
        read.read_problems.append(source.problem(("narrative",), "the narrative is the "
                                                 "Markdown after the front matter, not a "
                                                 "field"))
    elif "id" not in data and not re.match(ID_PATTERN, file_id):
        read.read_problems.append(Problem(
            source.shown, None, "id",
            "expected an id of lower-case letters, digits, '.', '_' or '-', got "
            f"'{file_id}' (taken from the file name; rename the file or add an id: field)"))
    else:
        data = {"id": file_id, **data, "narrative": source.body or ""}
        source.lines.setdefault(("narrative",), source.body_line)
        read.case_id, read.raw = str(data["id"]), data
        read.value = _validate(Case, source, data, read.problems)
    return read


# -- the folder ----------------------------------------------------------------------------


MAX_CASES = 1_000  # the example has 13; thousands take minutes and gigabytes to lay out
FileKey = tuple[int, int, int]  # inode, size, modification time (ns)


def _file_key(path: Path) -> FileKey | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class ContentLoader:
    """Loads the content folder, keeping each file's result until the file changes."""

    def __init__(self, project_dir: Path, content_dir: Path | None = None) -> None:
        self.project_dir = project_dir
        self.content_dir = content_dir or project_dir / "content"
        self._cache: dict[Path, tuple[FileKey, Any]] = {}
        self.reloaded: list[str] = []  # files read by the last load, as shown to users
        self._originals: list[Original] = []

    def _cached(self, path: Path, read: Callable[[Path, str, Sequence[Path]], R]) -> R:
        """A content file's result, read again only when the file changed; every file is
        read from inside the project (a symlink out of it is refused, not followed)."""
        key = _file_key(path)
        hit = self._cache.get(path)
        if key is not None and hit is not None and hit[0] == key:
            return hit[1]
        shown = display_path(path, self.project_dir)
        result = read(path, shown, (self.project_dir,))
        self.reloaded.append(shown)
        if key is not None:
            self._cache[path] = (key, result)
        return result

    def load(self, policy: ResourcePolicy | None = None) -> LoadedContent:
        """Read what changed, validate everything; raise BriefgenError listing all problems."""
        policy = policy or ResourcePolicy(project_root=self.project_dir)
        self.reloaded = []
        if not self.content_dir.is_dir():
            raise BriefgenError([Problem(display_path(self.content_dir, self.project_dir),
                                         None, None, "content folder not found; create it "
                                         "(see the content format in README.md), or run "
                                         "'briefgen init DIR' to start a new project")])
        problems: list[Problem] = []
        files: dict[str, SourceFile] = {}
        self._originals = []
        reads = self._parts(files, problems)
        values = {part.stem: (reads[part.stem].value if part.stem in reads else part.absent())
                  for part in PARTS}
        for part in PARTS:
            if part.stem in reads:
                problems += reads[part.stem].problems
        cases = self._cases(files, problems)
        parts = _parts(values, cases, reads, files)
        problems += check_references(parts, files)
        values["letter"] = add_letter_texts(
            LetterTexts(values["letter"], files.get("letter"), self.content_dir,
                        self.project_dir, parts.known_sources),
            partial(self._cached, read=read_letter_text), files, problems)
        assemblies = load_assemblies(self.project_dir)
        assembly, found = check_assembly(values["declaration"], files.get("declaration"),
                                         values["letter"], files.get("letter"), assemblies)
        problems += found
        if problems or values["brief"] is None or values["declaration"] is None:
            raise BriefgenError(problems)
        loaded = LoadedContent(Content(cases=cases, **values), files, assemblies, assembly,
                               anachronisms(values["declaration"], files.get("declaration"),
                                            assembly))
        problems += check_links_and_images(loaded, self.project_dir, policy)
        problems += self._translations(loaded, reads)
        if problems:
            raise BriefgenError(problems)
        self._forget_removed()
        return loaded

    def _parts(self, files: dict[str, SourceFile], problems: list[Problem]) -> dict[str, _Read]:
        reads: dict[str, _Read] = {}
        for part in PARTS:
            path = _find(self.content_dir, part.stem)
            other = _find(self.content_dir, part.other_stem) if part.other_stem else None
            if path is not None and other is not None:
                problems.append(Problem(display_path(other, self.project_dir), None, None,
                                        f"also {path.name}: keep one of the two files"))
                continue
            path = path or other
            if path is None:
                if part.required:
                    shown = display_path(self.content_dir / f"{part.stem}.yaml",
                                         self.project_dir)
                    also = f" (or {part.other_stem}.yaml)" if part.other_stem else ""
                    problems.append(Problem(shown, None, None,
                                            f"required file is missing{also}"))
                continue
            read = self._cached(path, partial(_read_part, part))
            files[part.stem] = read.source
            problems += read.read_problems
            reads[part.stem] = read
        return reads

    def _cases(self, files: dict[str, SourceFile], problems: list[Problem]) -> list[Case]:
        cases_dir = self.content_dir / "cases"
        cases: list[Case] = []
        paths = [p for p in sorted(cases_dir.glob("*.md")) if translated_original(p) is None] \
            if cases_dir.is_dir() else []
        if len(paths) > MAX_CASES:  # alone: what would follow from it is noise
            raise BriefgenError([Problem(display_path(cases_dir, self.project_dir), None, None,
                                         f"{len(paths):,} case files; a brief holds at most "
                                         f"{MAX_CASES:,} (split it into several projects)")])
        for path in paths:
            read = self._cached(path, _read_case)
            key = f"case:{read.case_id}"
            problems += read.read_problems
            if read.unreadable:  # the case still exists: links to it are not also errors
                files.setdefault(key, read.source)
            if read.read_problems:
                continue
            if key in files:
                problems.append(read.source.problem(("id",), f"duplicate case id "
                                                    f"'{read.case_id}'; also used by "
                                                    f"{files[key].shown}"))
                continue
            files[key] = read.source
            problems += read.problems
            if read.value is not None:
                cases.append(read.value)
                self._originals.append(Original(key, Case, False, read.source, read.raw))
        return cases

    def _translations(self, loaded: LoadedContent, reads: dict[str, _Read]) -> list[Problem]:
        """Read every translation beside an original and lay each language's over the
        content once: a translation's problems are the project's, whatever the build's
        language."""
        originals = [Original(stem, *SHAPES[stem], reads[stem].source,
                              reads[stem].source.data) for stem in SHAPES if stem in reads]
        loaded.originals = originals + self._originals
        by_path = {o.source.path: o.key for o in loaded.originals}
        problems: list[Problem] = []
        for path, original_path, lang in self._translation_paths():
            shown = display_path(path, self.project_dir)
            unknown = unknown_language(lang, shown)
            if unknown is not None:
                problems.append(replace(unknown, message=f"a translation into {unknown.message}"))
                continue
            key = by_path.get(original_path)
            if key is None:  # e.g. the original deleted: the translation waits, unread
                loaded.notices.append(Problem(shown, None, None, "ignored: a translation of "
                                              f"{display_path(original_path, self.project_dir)}"
                                              ", which does not exist"))
                continue
            read = self._cached(path, partial(_read_translation, lang=lang))
            loaded.translations.setdefault(lang, {})[key] = read.value
        for lang, files in sorted(loaded.translations.items()):
            if lang == loaded.language:  # e.g. brief.yaml's language changed: not fatal
                loaded.notices += [Problem(t.source.shown, None, None, "ignored: the content "
                                           f"is written in this language ({lang}) already")
                                   for t in files.values()]
                continue
            loaded.by_language[lang], found = localize(loaded.content, loaded.originals, files,
                                                      lang, loaded.language)
            problems += found
            loaded.notices += loaded.by_language[lang].outdated
        return problems

    def _translation_paths(self) -> list[tuple[Path, Path, str]]:
        """(translation, original, language) of every translation file: NAME.LANG.yaml
        beside NAME.yaml, cases/NAME.LANG.md beside cases/NAME.md."""
        found = []
        for stem in SHAPES:
            for path in sorted(self.content_dir.glob(f"{stem}.*.y*ml")):
                lang = path.name[len(stem) + 1:].rsplit(".", 1)[0]
                if path.suffix in (".yaml", ".yml") and LANGUAGE_CODE.match(lang):
                    original = _find(self.content_dir, stem) or path.with_name(f"{stem}.yaml")
                    found.append((path, original, lang))
        cases_dir = self.content_dir / "cases"
        for path in sorted(cases_dir.glob("*.md")) if cases_dir.is_dir() else []:
            pair = translated_original(path)
            if pair is not None:
                found.append((path, *pair))
        return found

    def _forget_removed(self) -> None:
        for path in [p for p in self._cache if not p.exists()]:
            del self._cache[path]


def _find(content_dir: Path, stem: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = content_dir / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def translated_original(path: Path) -> tuple[Path, str] | None:
    """(original, language) when a case file is a translation: NAME.LANG.md where
    NAME.md exists or LANG is a known language; otherwise it is a case of its own
    (an id may hold dots)."""
    base, _, lang = path.stem.rpartition(".")
    if not base or not LANGUAGE_CODE.match(lang):
        return None
    original = path.with_name(f"{base}.md")
    return (original, lang) if original.is_file() or is_known(lang) else None


def _read_translation(path: Path, shown: str, within: Sequence[Path], lang: str) -> _Read:
    translation = read_translation(path, shown, within, lang, markdown=path.suffix == ".md")
    read = _Read(translation.source, translation.problems)
    read.value = translation
    return read


def _raw_ids(source: SourceFile | None) -> set[str]:
    """Ids as written, valid entries or not (see references.Parts)."""
    if source is None or not isinstance(source.data, list):
        return set()
    return {str(item["id"]) for item in source.data if isinstance(item, dict) and "id" in item}


def _parts(values: dict[str, Any], cases: list[Case], reads: dict[str, _Read],
           files: dict[str, SourceFile]) -> Parts:
    # A sources.yaml that cannot be read (or is not a list) makes citations unverifiable,
    # not unknown: its own problem is reported, not one per citation.
    sources = reads.get("sources")
    readable = sources is None or (not sources.read_problems
                                   and isinstance(sources.source.data, (list, type(None))))
    case_ids = {c.id for c in cases}
    return Parts(**values, cases=cases,
                 known_sources=_raw_ids(sources.source if sources else None)
                 if readable else None,
                 known_cases={key.removeprefix("case:") for key in files
                              if key.startswith("case:")},
                 unvalidated_cases=[source for key, source in files.items()
                                    if key.startswith("case:") and source.data is not None
                                    and key.removeprefix("case:") not in case_ids])


def load_content(project_dir: Path, content_dir: Path | None = None,
                 policy: ResourcePolicy | None = None) -> LoadedContent:
    """Read and validate every content file once (a ContentLoader keeps them for reloads)."""
    return ContentLoader(project_dir, content_dir).load(policy)

