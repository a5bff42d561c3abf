"""Translations beside their originals: `brief.fr.yaml`, `cases/04-….fr.md`.

A translation is read like any content file (lines kept for every field), then
laid over a copy of its original's data: texts replace texts, list entries are
matched by id where the original's have one and by position where they have
none, and every other value must be the original's own (facts are not
translated: a different date in a translation is a contradiction, reported at
its line with the original's). The merged data is validated by the same model
as the original, so one content model serves every language.

What a translation was made from is recorded in it, per text, as a short hash
of the original's words (`translated_from:`, written by `briefgen translated`):
an original edited since shows as "changed since it was translated", in any
clone, whatever the files' dates say.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from .source_file import FieldPath, SourceFile, load_markdown_file, load_yaml_file
from .translatable import field_names, has_id, is_list_field, is_translatable, leaves, nested_model
from .validation import describe

MARKS = "translated_from"  # the translation's record of what it was made from
ENTRIES = "entries"  # a file of entries written as a mapping, to hold the marks too
KEEP = "keep_original"  # texts left in the original's language on purpose


def fingerprint(text: Any) -> str:
    """A short hash of an original's words: what `translated_from` records."""
    return hashlib.sha256(str(text).strip().encode("utf-8")).hexdigest()[:10]


@dataclass
class TranslationFile:
    """One translation as read, before it meets its original."""

    lang: str
    source: SourceFile
    problems: list[Problem] = field(default_factory=list)
    data: Any = None  # the translated fields (the marks taken out)
    marks: dict[str, str] = field(default_factory=dict)
    keep: dict[str, str] = field(default_factory=dict)  # text (or prefix) → why it is kept

    def kept(self, key: str) -> bool:
        return any(within(key, k) for k in self.keep)


def within(key: str, prefix: str) -> bool:
    """A text's key is the prefix or lies under it: quotes[2].text under quotes."""
    return key == prefix or key.startswith((f"{prefix}.", f"{prefix}["))


def read_translation(path: Path, shown: str, within: Sequence[Path], lang: str,
                     markdown: bool) -> TranslationFile:
    """A translation file's fields and its marks; a case's body is its narrative."""
    if markdown:
        source, found = load_markdown_file(path, shown, within=within)
    else:
        source, found = load_yaml_file(path, shown, within=within)
    read = TranslationFile(lang, source, list(found))
    if found:
        return read
    data = source.data if source.data is not None else {}
    if isinstance(data, list):  # a file of entries (sources, events), as the original
        read.data = data
        return read
    if isinstance(data, dict) and ENTRIES in data:  # the same, with room for the marks
        data = dict(data)
        read.marks = _marks(data.pop(MARKS, None), source, read.problems)
        read.data = data.pop(ENTRIES)
        source.lines = {(k[1:] if k[:1] == (ENTRIES,) else k): v
                        for k, v in source.lines.items()}
        read.problems += [source.problem((k,), f"unknown field '{k}'; a file of entries "
                                               f"holds only {ENTRIES} and {MARKS}")
                          for k in data]
        return read
    if not isinstance(data, dict):
        read.problems.append(source.problem((), "expected the translated fields, as in the "
                                                "original, got " + describe(data)))
        return read
    data = dict(data)
    marks = _marks(data.pop(MARKS, None), source, read.problems)
    read.keep = _keep(data.pop(KEEP, None), source, read.problems)
    if markdown and (source.body or "").strip():
        data["narrative"] = source.body
        source.lines.setdefault(("narrative",), source.body_line)
    read.data, read.marks = data, marks
    return read


def _keep(value: Any, source: SourceFile, problems: list[Problem]) -> dict[str, str]:
    """`keep_original: {title: no official French title in the sources}`: a text the
    translation leaves as the original says it, and why (an official title a source
    does not give, a quotation): printed marked with its language, not warned about."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip()
                                              for v in value.values()):
        problems.append(source.problem((KEEP,), "expected the texts kept in the original's "
                                                "language, each with the reason: "
                                                "{title: no official translation}"))
        return {}
    return {str(k): v for k, v in value.items()}


def _marks(value: Any, source: SourceFile, problems: list[Problem]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems.append(source.problem((MARKS,), "written by 'briefgen translated': delete "
                                                 "it and run that command again"))
        return {}
    return {str(k): v for k, v in value.items()}


@dataclass
class Merged:
    """An original's data with a translation's texts in it."""

    data: Any
    given: dict[str, FieldPath] = field(default_factory=dict)  # leaf key → its translation loc
    problems: list[Problem] = field(default_factory=list)
    # texts for which the original has nothing (any more): ignored, with a warning, as an
    # edited original leaves them; only a contradiction or a mistake stops a build
    outdated: list[Problem] = field(default_factory=list)


@dataclass
class _Merge:
    original: SourceFile
    translation: SourceFile
    out: Merged

    def problem(self, loc: FieldPath, message: str) -> None:
        self.out.problems.append(self.translation.problem(loc, message))

    def outdated(self, loc: FieldPath, message: str) -> None:
        self.out.outdated.append(self.translation.problem(loc, f"ignored: {message}"))

    def where(self, loc: FieldPath) -> str:
        line = self.original.line_of(loc)
        return f"{self.original.shown}:{line}" if line else self.original.shown


def merge(model: type[BaseModel], many: bool, original: SourceFile, original_data: Any,
          translation: TranslationFile) -> Merged:
    """The original's data with the translation's texts; `many` for a file holding a
    list of entries (events, sources)."""
    out = Merged(copy.deepcopy(original_data))
    state = _Merge(original, translation.source, out)
    if translation.data is None:
        return out
    if many:
        _entries(state, model, original_data, out.data, translation.data, (), (), "")
    else:
        _mapping(state, model, original_data, out.data, translation.data, (), (), "")
    return out


def _mapping(m: _Merge, model: type[BaseModel], orig: Any, merged: Any, trans: Any,
             oloc: FieldPath, tloc: FieldPath, key: str) -> None:
    if not isinstance(trans, dict):
        m.problem(tloc, f"expected the translated fields, as in the original, got "
                        f"{describe(trans)}")
        return
    names = field_names(model)
    for raw, value in trans.items():
        name = names.get(raw)
        here, at = (f"{key}.{raw}" if key else raw), (*tloc, raw)
        if name is None:
            known = ", ".join(sorted(n for n in names if is_translatable(model, names[n], orig)))
            m.problem(at, f"unknown field '{raw}'" + (f"; translatable here: {known}"
                                                      if known else ""))
        elif is_translatable(model, name, orig):
            _text(m, model, name, orig, merged, value, (*oloc, raw), at, here)
        elif (nested := nested_model(model, name)) is not None:
            _nested(m, nested, orig.get(raw), merged.get(raw) if isinstance(merged, dict)
                    else None, value, (*oloc, raw), at, here)
        elif raw != "id":
            _fact(m, orig.get(raw), value, (*oloc, raw), at, raw)


def _nested(m: _Merge, nested: tuple[type[BaseModel], bool], orig: Any, merged: Any,
            trans: Any, oloc: FieldPath, tloc: FieldPath, key: str) -> None:
    sub, many = nested
    if orig is None:
        m.outdated(tloc, f"the original ({m.original.shown}) has no {tloc[-1]}: a "
                        "translation only gives what the original says")
    elif many:
        _entries(m, sub, orig, merged, trans, oloc, tloc, key)
    else:
        _mapping(m, sub, orig, merged, trans, oloc, tloc, key)


def _entries(m: _Merge, model: type[BaseModel], orig: Any, merged: Any, trans: Any,
             oloc: FieldPath, tloc: FieldPath, key: str) -> None:
    """List entries: by id where the original's have ids, else by position."""
    if not isinstance(trans, list) or not isinstance(orig, list):
        m.problem(tloc, f"expected a list of entries, as in the original, got "
                        f"{describe(trans)}")
        return
    ids = [e.get("id") if isinstance(e, dict) else None for e in orig]
    seen: set[Any] = set()
    for i, entry in enumerate(trans):
        if has_id(model):
            wanted = entry.get("id") if isinstance(entry, dict) else None
            if wanted is None:
                m.problem((*tloc, i), "give the id of the entry this translates")
                continue
            if wanted in seen:
                m.problem((*tloc, i, "id"), f"'{wanted}' is translated twice")
                continue
            if wanted not in ids:
                m.outdated((*tloc, i, "id"), f"'{wanted}' is not an entry of "
                           f"{m.original.shown}; its ids: "
                           + ", ".join(str(x) for x in ids if x is not None))
                continue
            seen.add(wanted)
            j, label = ids.index(wanted), str(wanted)
        else:
            if i >= len(orig):
                m.outdated((*tloc, i), f"the original has {len(orig)} entries here; entry "
                                      f"{i + 1} translates nothing")
                continue
            j, label = i, str(i)
        _mapping(m, model, orig[j], merged[j], entry, (*oloc, j), (*tloc, i), f"{key}[{label}]")


def _text(m: _Merge, model: type[BaseModel], name: str, orig: dict[str, Any],
          merged: dict[str, Any], value: Any, oloc: FieldPath, tloc: FieldPath,
          key: str) -> None:
    raw = str(oloc[-1])
    original = orig.get(raw)
    if original in (None, "", []):
        m.outdated(tloc, f"the original ({m.original.shown}) has no {raw}: a translation "
                        "only gives what the original says")
        return
    if is_list_field(model, name) and isinstance(original, list):
        if not isinstance(value, list):
            m.problem(tloc, f"expected a list, one entry per entry of the original "
                            f"({m.where(oloc)}), got {describe(value)}")
            return
        for i, item in enumerate(value):
            if i >= len(original):
                m.outdated((*tloc, i), f"the original has {len(original)} entries "
                                      f"({m.where(oloc)}); this one translates nothing")
            elif item is not None and _is_text(m, item, (*tloc, i)):
                merged[raw][i] = item
                m.out.given[f"{key}[{i}]"] = (*tloc, i)
        return
    if _is_text(m, value, tloc, allow_map=isinstance(original, dict)):
        merged[raw] = value
        m.out.given[key] = tloc


def _is_text(m: _Merge, value: Any, tloc: FieldPath, allow_map: bool = False) -> bool:
    if isinstance(value, str) and value.strip():
        return True
    if allow_map and isinstance(value, dict):
        return True
    m.problem(tloc, "expected the translated text, got " + describe(value)
              + ("; leave the field out to print the original's" if value in (None, "")
                 else ""))
    return False


def _fact(m: _Merge, original: Any, value: Any, oloc: FieldPath, tloc: FieldPath,
          raw: str) -> None:
    """A fact repeated in a translation must be the original's; better left out."""
    if _same(original, value):
        return
    said = "has none" if original is None else f"says {_short(original)}"
    m.problem(tloc, f"contradicts the original: {m.where(oloc)} {said}. '{raw}' is a fact, "
                    "the same in every language: leave it out of the translation (it is "
                    "read from the original)")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return a is not None and b is not None and str(a).strip() == str(b).strip()


def _short(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "…")


# -- status ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldStatus:
    """One text of an original, in one language."""

    key: str
    state: str  # "current", "changed", "unchecked" (no record), "missing", "kept"
    original: SourceFile
    original_loc: FieldPath
    translation: SourceFile | None = None
    translation_loc: FieldPath | None = None
    no_file: bool = False  # missing because the original has no translation at all


def field_status(model: type[BaseModel], many: bool, original: SourceFile,
                 original_data: Any, translation: TranslationFile | None,
                 merged: Merged | None) -> list[FieldStatus]:
    """Each text of the original: translated and current, changed since, or missing."""
    found = (_list_leaves(model, original_data) if many
             else leaves(model, original_data))
    out = []
    for leaf in found:
        given = merged.given.get(leaf.key) if merged is not None else None
        if translation is None or given is None:
            kept = translation is not None and translation.kept(leaf.key)
            out.append(FieldStatus(leaf.key, "kept" if kept else "missing", original,
                                   leaf.loc, no_file=translation is None))
            continue
        mark = translation.marks.get(leaf.key)
        state = ("unchecked" if mark is None else
                 "current" if mark == fingerprint(leaf.value) else "changed")
        out.append(FieldStatus(leaf.key, state, original, leaf.loc, translation.source,
                               given))
    return out


def _list_leaves(model: type[BaseModel], data: Any) -> list[Any]:
    if not isinstance(data, list):
        return []
    found = []
    for i, item in enumerate(data):
        label = item.get("id") if isinstance(item, dict) and has_id(model) else None
        found += list(leaves(model, item, (i,), f"[{label or i}]"))
    return found


def marks_for(model: type[BaseModel], many: bool, original_data: Any,
              merged: Merged) -> dict[str, str]:
    """What `translated_from` records for a translation checked against its original
    now: the hash of each original text it gives."""
    found = (_list_leaves(model, original_data) if many
             else leaves(model, original_data))
    return {leaf.key: fingerprint(leaf.value) for leaf in found if leaf.key in merged.given}
