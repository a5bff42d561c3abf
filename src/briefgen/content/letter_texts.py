"""The letter in more languages: `content/letter.<lang>.yaml` beside `content/letter.yaml`.

A letter goes to members in their own language, and a translator works on one
language at a time: so each language may have a file of its own, holding the
fields of one entry of letter.yaml's `text:` (subject, opening, thanks, …) at top
level, and nothing else. What does not change with the language (the date, the
signatures, the assembly) stays in letter.yaml alone. The language is the file's
name, so it must be one with a catalog (shipped or the project's); a language
written both in letter.yaml and in a file of its own is refused rather than one of
the two silently winning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import Problem, display_path
from .languages import known_language
from .model import Letter, LetterText
from .references import cited_sources
from .source_file import SourceFile, load_yaml_file
from .validation import pydantic_problems

FILE_NAME = re.compile(r"^letter\.(?P<lang>[^.]+)\.ya?ml$")
IGNORED = ("translated_from",)  # written by the tool for the translation status, not text


@dataclass
class LetterTextRead:
    """One letter.<lang>.yaml read and validated on its own (kept until the file changes)."""

    source: SourceFile
    problems: list[Problem] = field(default_factory=list)
    value: LetterText | None = None


def read_letter_text(path: Path, shown: str, within: Sequence[Path]) -> LetterTextRead:
    """The file's fields as one LetterText; every problem located at its line."""
    source, found = load_yaml_file(path, shown, within=within)
    read = LetterTextRead(source, found)
    if found:
        return read
    data = source.data
    if not isinstance(data, dict):
        read.problems.append(source.problem((), "expected the letter's fields in this "
                                                "language (subject, opening, …) at top level"))
        return read
    try:
        read.value = LetterText.model_validate({k: v for k, v in data.items()
                                                if k not in IGNORED})
    except ValidationError as exc:
        read.problems += pydantic_problems(source, exc)
    return read


def letter_text_files(content_dir: Path, project_dir: Path
                      ) -> tuple[dict[str, Path], list[Problem]]:
    """content/letter.<lang>.yaml by language; a language in two files is a problem."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(content_dir.glob("letter.*.y*ml")):
        match = FILE_NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        lang = match["lang"]
        if lang in found:
            problems.append(Problem(display_path(path, project_dir), None, None,
                                    f"also {found[lang].name}: keep one of the two files"))
            continue
        found[lang] = path
    return found, problems


Reader = Callable[[Path], LetterTextRead]  # the loader's per-file cache around read_letter_text


@dataclass
class LetterTexts:
    """What the loader passes in: the letter as letter.yaml has it, and where things are."""

    letter: Letter | None
    letter_file: SourceFile | None
    content_dir: Path
    project_dir: Path
    known_sources: set[str] | None  # None: sources.yaml unreadable, citations unverifiable


def add_letter_texts(given: LetterTexts, read: Reader, files: dict[str, SourceFile],
                     problems: list[Problem]) -> Letter | None:
    """The letter with every letter.<lang>.yaml in its `text`; each file is also kept in
    `files` (as "letter.<lang>", for warnings and reviews) and its problems reported."""
    paths, found = letter_text_files(given.content_dir, given.project_dir)
    problems += found
    texts = {}
    for lang, path in paths.items():
        text = _one_text(given, lang, path, read, files, problems)
        if text is not None:
            texts[lang] = text
    letter = given.letter
    if letter is None:
        return None
    if not letter.text and not paths and given.letter_file is not None:
        problems.append(given.letter_file.problem(("text",), "the letter has no text: add "
                                                  "`text:` with one entry per language, or "
                                                  "a file content/letter.<language>.yaml "
                                                  "(see README, Letters)"))
    return letter.model_copy(update={"text": {**letter.text, **texts}}) if texts else letter


def _one_text(given: LetterTexts, lang: str, path: Path, read: Reader,
              files: dict[str, SourceFile], problems: list[Problem]) -> LetterText | None:
    shown = display_path(path, given.project_dir)
    try:
        known_language(lang)
    except ValueError as exc:
        problems.append(Problem(shown, None, None, f"{exc}; the file's name gives the "
                                                   "letter's language: letter.<language>.yaml"))
        return None
    result = read(path)
    files[f"letter.{lang}"] = result.source
    problems += result.problems
    if given.letter_file is None:  # no letter: a template that needs one says so
        return None
    letter = given.letter
    if letter is not None and lang in letter.text:
        line = given.letter_file.line_of(("text", lang))
        problems.append(Problem(shown, None, None, f"the {lang} text is also in "
                                f"{given.letter_file.shown} (text.{lang}, line {line}): keep "
                                "one of the two"))
        return None
    if result.value is not None and given.known_sources is not None:
        problems += _unknown_citations(result.value, result.source, given.known_sources)
    return result.value


def _unknown_citations(text: LetterText, source: SourceFile, known: set[str]) -> list[Problem]:
    """A [@citation] in this file names a source in sources.yaml (letter.yaml's own text
    is checked with the rest of the content, references.py)."""
    listed = ", ".join(sorted(known)) or "none defined"
    return [source.problem(where, f"citation [@{source_id}]: unknown source (sources.yaml "
                                  f"defines: {listed})")
            for source_id, where in cited_sources(text) if source_id not in known]
