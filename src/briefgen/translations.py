"""Translation status and its upkeep, as `check`, `build` and `translated` use them.

The status is per file and field, like a compiler's warnings: a text no
translation gives points at the original's line (what to translate), a text
changed since it was translated points at the translation's line (what to
update) and names the original's. `briefgen translated FILE` records, in the
translation, what each of its texts was made from: the one step a translator
takes after bringing a translation up to date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from .content.loader import LoadedContent
from .content.localized import language_name, missing_problem
from .content.model import LetterText
from .content.source_file import FieldPath, SourceFile
from .content.translation import (
    ENTRIES,
    MARKS,
    FieldStatus,
    Merged,
    TranslationFile,
    field_status,
    marks_for,
    merge,
)
from .errors import BriefgenError, Problem, display_path
from .output import atomic_write

STATES = ("missing", "changed", "unchecked")
SHOWN = 6  # fields named for a file with no translation at all


def status_problems(loaded: LoadedContent, lang: str,
                    states: tuple[str, ...] = ("missing", "changed"),
                    letters: bool = False) -> list[Problem]:
    """What `lang` lacks, one problem per file and field (in the file's order); with
    `letters`, the letter's text in `lang` too."""
    localized = loaded.localized(lang)
    if localized is None:
        return []
    found = _grouped([item for item in localized.status if item.state in states], lang,
                     loaded.language)
    if letters:
        found += _letter_problems(loaded, lang, states)
    return found


def _grouped(items: list[FieldStatus], lang: str, source_lang: str) -> list[Problem]:
    """One problem per field; a file with no translation at all is one problem naming
    its fields (the file to write is the news, not its 20 fields)."""
    found: list[Problem] = []
    files: dict[str, list[FieldStatus]] = {}
    for item in items:
        if item.state == "missing" and item.no_file:
            if item.original.shown not in files:
                files[item.original.shown] = []
                found.append(Problem(item.original.shown, None, None, ""))  # placeholder
            files[item.original.shown].append(item)
        else:
            found.append(_problem(item, lang, source_lang))
    return [_untranslated_file(files[p.file], lang, source_lang) if not p.message else p
            for p in found]


def _untranslated_file(items: list[FieldStatus], lang: str, source_lang: str) -> Problem:
    path = items[0].original.path
    wanted = path.with_name(f"{path.stem}.{lang}{path.suffix}").name
    keys = ", ".join(item.key for item in items[:SHOWN])
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return Problem(items[0].original.shown, None, None,
                   f"not translated into {language_name(lang)} (no {wanted} beside it): "
                   f"{len(items)} text{'s' if len(items) != 1 else ''} ({keys}{more}) "
                   f"printed in {language_name(source_lang)}, marked as such")


def _letter_problems(loaded: LoadedContent, lang: str, states: tuple[str, ...]
                     ) -> list[Problem]:
    """The letter's text in `lang` against the letter in the content's language: a
    missing language is one problem (its members get the fallback), a missing or
    changed text one per field."""
    original = letter_text(loaded, loaded.language)
    if original is None:
        return []
    translation = letter_text(loaded, lang)
    if translation is None:
        if "missing" not in states:
            return []
        return [Problem(original[0].shown, None, None, f"no letter text in "
                        f"{language_name(lang)}: members who read it get the letter in "
                        f"their assembly's fallback language (content/letter.{lang}.yaml "
                        "gives it)")]
    # a text kept in letter.yaml itself cannot hold its record: only its gaps count
    kept_inline = bool(translation[1])
    return [_problem(item, lang, loaded.language)
            for item in letter_status(original, translation) if item.state in states
            and not (kept_inline and item.state == "unchecked")]


LetterSide = tuple[SourceFile, FieldPath, Any]  # the file, where the text is in it, the text


def letter_text(loaded: LoadedContent, lang: str) -> LetterSide | None:
    """The letter's text in one language: letter.<lang>.yaml, else letter.yaml's."""
    own = loaded.files.get(f"letter.{lang}")
    if own is not None and isinstance(own.data, dict):
        return own, (), {k: v for k, v in own.data.items() if k != MARKS}
    letter = loaded.files.get("letter")
    texts = letter.data.get("text") if letter is not None and isinstance(letter.data, dict) \
        else None
    if isinstance(texts, dict) and isinstance(texts.get(lang), dict):
        return letter, ("text", lang), texts[lang]  # type: ignore[return-value]
    return None


def _letter_merge(original: LetterSide, translation: LetterSide
                  ) -> tuple[TranslationFile, Merged]:
    """A letter's text in one language laid over the original's, as a content
    translation is (translation.merge)."""
    source, prefix, data = translation
    marks = source.data.get(MARKS) if not prefix and isinstance(source.data, dict) else None
    read = TranslationFile("", source, data=data,
                           marks=marks if isinstance(marks, dict) else {})
    return read, merge(LetterText, False, original[0], original[2], read)


def letter_status(original: LetterSide, translation: LetterSide) -> list[FieldStatus]:
    """The letter's texts in one language, as the content's are (field_status)."""
    read, merged = _letter_merge(original, translation)
    found = field_status(LetterText, False, original[0], original[2], read, merged)
    return [replace(item, original_loc=(*original[1], *item.original_loc),
                    translation_loc=None if item.translation_loc is None
                    else (*translation[1], *item.translation_loc)) for item in found]


def _problem(item: FieldStatus, lang: str, source_lang: str) -> Problem:
    original, name = item.original, language_name(lang)
    if item.state == "missing":
        return missing_problem(item, lang, source_lang)
    assert item.translation is not None and item.translation_loc is not None
    where = item.translation.shown
    line = item.translation.line_of(item.translation_loc)
    if item.state == "changed":
        said = f"{original.shown}:{original.line_of(item.original_loc)}"
        return Problem(where, line, item.key, f"the original ({said}) changed since it was "
                       f"translated: update the {name}, then run 'briefgen translated {where}'")
    return Problem(where, line, item.key, "not yet checked against the original: run "
                   f"'briefgen translated {where}' once it is")


def summary(loaded: LoadedContent) -> list[str]:
    """One line per language the project translates into."""
    lines = []
    for lang in sorted(loaded.translations):
        localized = loaded.localized(lang)
        if localized is None:
            continue
        counts = Counter(item.state for item in localized.status)
        done = counts["current"] + counts["unchecked"] + counts["changed"]
        kept = f", {counts['kept']} kept in the original on purpose" if counts["kept"] else ""
        lines.append(f"{language_name(lang)} ({lang}): {done} of {len(localized.status)} "
                     f"texts translated{kept}, {counts['changed']} changed since "
                     f"(check --lang {lang} lists them)")
    return lines


# -- briefgen translated ---------------------------------------------------------------


def mark_translated(project_dir: Path, paths: list[Path]) -> list[tuple[str, int]]:
    """Record in each translation what its texts were translated from, as the
    originals say it now: (file as shown, texts recorded). The project must load:
    a translation that contradicts its original is not recorded as up to date."""
    from .pipeline import Pipeline

    session = Pipeline.open(project_dir)
    loaded, project_dir = session.loaded, session.project.root
    found = {t.source.path.resolve(): (lang, key, t)
             for lang, files in loaded.translations.items() for key, t in files.items()}
    originals = {o.key: o for o in loaded.originals}
    problems, done = [], []
    for path in paths:
        shown = display_path(path, project_dir)
        hit = found.get(path.resolve())
        letter = _letter_marks(loaded, path)
        if letter is not None:
            atomic_write(path, with_marks(path.read_text("utf-8"), letter,
                                          markdown=False).encode("utf-8"))
            done.append((shown, len(letter)))
            continue
        if hit is None:
            problems.append(Problem(shown, None, None, "not a translation of this project's "
                                    "content (NAME.LANG.yaml beside NAME.yaml, or "
                                    "cases/NAME.LANG.md beside cases/NAME.md)"))
            continue
        _lang, key, translation = hit
        original = originals[key]
        if original.many and isinstance(translation.source.data, list):
            problems.append(Problem(shown, 1, None, f"to record what it was translated from, "
                                    f"put the list under '{ENTRIES}:' (indented), with "
                                    f"'{MARKS}:' beside it"))
            continue
        merged = merge(original.model, original.many, original.source, original.data,
                       translation)
        marks = marks_for(original.model, original.many, original.data, merged)
        text = path.read_text("utf-8")
        atomic_write(path, with_marks(text, marks, markdown=path.suffix == ".md")
                     .encode("utf-8"))
        done.append((shown, len(marks)))
    if problems:
        raise BriefgenError(problems)
    return done


def _letter_marks(loaded: LoadedContent, path: Path) -> dict[str, str] | None:
    """What letter.<lang>.yaml records: a hash of each letter text it translates."""
    lang = next((key.removeprefix("letter.") for key, source in loaded.files.items()
                 if key.startswith("letter.") and source.path.resolve() == path.resolve()),
                None)
    original = letter_text(loaded, loaded.language)
    translation = letter_text(loaded, lang) if lang else None
    if original is None or translation is None or lang == loaded.language:
        return None
    _read, merged = _letter_merge(original, translation)
    return marks_for(LetterText, False, original[2], merged)


def with_marks(text: str, marks: dict[str, str], markdown: bool) -> str:
    """The file with its `translated_from:` block replaced (or added at the end of
    the YAML); every other line stays as written, comments included."""
    if markdown:
        lines = text.split("\n")
        if lines and lines[0].strip() == "---" and "---" in (x.strip() for x in lines[1:]):
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
            front = with_marks("\n".join(lines[1:end]) + "\n", marks, markdown=False)
            return "\n".join(["---", front.rstrip("\n"), *lines[end:]])
        front = with_marks("", marks, markdown=False)
        return f"---\n{front.rstrip()}\n---\n{text}"
    kept, skipping = [], False
    for line in text.split("\n"):
        if line.startswith(f"{MARKS}:"):
            skipping = True
            continue
        if skipping and (not line.strip() or line[:1].isspace()):
            continue
        skipping = False
        kept.append(line)
    body = "\n".join(kept).rstrip("\n")
    block = [f"{MARKS}:  # written by 'briefgen translated': what each text was "
             "translated from"]
    block += [f"  {_quoted(key)}: \"{value}\"" for key, value in sorted(marks.items())]
    return (body + "\n" if body else "") + "\n".join(block) + "\n"


def _quoted(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
