"""Translation status and its upkeep, as `check`, `build` and `translated` use them.

The status is per file and field, like a compiler's warnings: a text no
translation gives points at the original's line (what to translate), a text
changed since it was translated points at the translation's line (what to
update) and names the original's. `briefgen translated FILE` records, in the
translation, what each of its texts was made from: the one step a translator
takes after bringing a translation up to date.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .content.loader import LoadedContent
from .content.localized import language_name, missing_problem
from .content.translation import ENTRIES, MARKS, FieldStatus, marks_for, merge
from .errors import BriefgenError, Problem, display_path

STATES = ("missing", "changed", "unchecked")


def status_problems(loaded: LoadedContent, lang: str,
                    states: tuple[str, ...] = ("missing", "changed")) -> list[Problem]:
    """What `lang` lacks, one problem per file and field (in the file's order)."""
    localized = loaded.localized(lang)
    if localized is None:
        return []
    return [_problem(item, lang, loaded.language) for item in localized.status
            if item.state in states]


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
        path.write_text(with_marks(text, marks, markdown=path.suffix == ".md"), "utf-8")
        done.append((shown, len(marks)))
    if problems:
        raise BriefgenError(problems)
    return done


_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


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
