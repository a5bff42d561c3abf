"""Reading content files while remembering where every value came from.

PyYAML's `safe_load` forgets line numbers, but an error such as "status: expected
one of …" is only useful with the line it refers to. So each file is composed
into a node tree once, turned into plain data, and a map from field path to
line is kept beside it. Markdown files with YAML front matter go through the
same path with a line offset.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..resources import MissingResource, OversizedResource, RefusedResource, read_local
from ..xmlchars import XML_ILLEGAL
from .yaml_hints import TOKENS_KEPT, Hint, explain, new_entry_hint

FieldPath = tuple[str | int, ...]


@dataclass
class SourceFile:
    """Plain data read from one file, with the line of each field path."""

    path: Path
    shown: str  # the path as shown to the user (relative to the project)
    data: Any = None
    lines: dict[FieldPath, int] = field(default_factory=dict)
    body: str | None = None  # Markdown after the front matter
    body_line: int = 1  # first line of the body
    warnings: list[Problem] = field(default_factory=list)
    text_lines: list[str] = field(default_factory=list)  # the YAML, at its lines' index - 1

    def line_of(self, loc: FieldPath) -> int | None:
        """Line of the deepest known prefix of loc: a missing field points at its parent."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def problem(self, loc: FieldPath, message: str) -> Problem:
        return Problem(self.shown, self.line_of(loc), format_loc(loc), message)


def format_loc(loc: FieldPath) -> str | None:
    """('cases', 0, 'name') -> 'cases[0].name', the way users read nested YAML."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or None


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's C parser when PyYAML has it (PyPI wheels do), else pure Python; safe either way.

    Dates are left as text: the content model parses them (including partial dates
    such as "2019-03"), so an impossible date like 2019-02-30 becomes a located field
    error instead of PyYAML's unlocated ValueError.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


# Content files are small; these limits refuse hostile or broken input (an "alias
# bomb" that expands a few lines into billions of values, a self-referencing
# alias, a pasted 5 MB document) with a message instead of exhausting the machine.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 50_000
MAX_NUMBER_CHARS = 40
_NUMBERS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class _TooBig(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class _Duplicate:
    """A key given twice in one mapping (lines are 0-based in the YAML text)."""

    mapping: FieldPath
    first_key: bool  # the key is the mapping's first one (a new list entry starting?)
    key: str
    line: int
    column: int
    earlier: int


class _Walk:
    """One pass over the composed node tree: line numbers, duplicate keys, limits."""

    def __init__(self, lines: dict[FieldPath, int], offset: int, strings: bool = False) -> None:
        self.lines = lines
        self.offset = offset
        self.strings = strings
        self.duplicates: list[_Duplicate] = []
        self.count = 0

    def __call__(self, node: yaml.Node, path: FieldPath) -> None:
        line = node.start_mark.line + 1 + self.offset
        self.count += 1
        if len(path) > MAX_DEPTH:
            raise _TooBig(line, f"values nested more than {MAX_DEPTH} levels deep "
                                "(or an alias that refers to itself)")
        if self.count > MAX_VALUES:
            raise _TooBig(line, f"more than {MAX_VALUES:,} values (YAML aliases expanding "
                                "too far?)")
        self.lines.setdefault(path, line)
        if self.strings and isinstance(node, yaml.ScalarNode):
            node.tag = "tag:yaml.org,2002:str"  # NO stays "NO" (Norway), not false
        elif isinstance(node, yaml.ScalarNode) and node.tag in _NUMBERS \
                and len(node.value) > MAX_NUMBER_CHARS:
            # Python refuses to read an integer of more than 4,300 digits (ValueError);
            # no field of a brief needs more than a few
            raise _TooBig(line, f"a number of {len(node.value):,} characters; numbers are "
                                f"limited to {MAX_NUMBER_CHARS} (put text in quotes)")
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1 + self.offset
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _TooBig(key_line, "malformed YAML: a field name must be text, not a "
                                            "list or mapping")
                key_node.tag = "tag:yaml.org,2002:str"  # `1:` or `yes:` is the name "1", "yes"
                key = key_node.value
                if key in seen:
                    self.duplicates.append(_Duplicate(
                        path, key == node.value[0][0].value, key, key_line - 1 - self.offset,
                        key_node.start_mark.column, seen[key] - 1 - self.offset))
                seen[key] = key_line
                self.lines[path + (key,)] = key_line
                self(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self(item, path + (i,))


def parse_yaml(text: str, source: SourceFile, offset: int = 0,
               strings: bool = False) -> list[Problem]:
    """Fill source.data and source.lines from YAML text; return problems instead of raising.

    strings: every value as written (no booleans, numbers or nulls), for tables
    such as a recipients file where `NO` is a country code.
    """
    source.text_lines = [""] * offset + text.split("\n")
    loader = _Loader(text)
    walk = _Walk(source.lines, offset, strings)
    try:
        # One parse: compose the node tree (it has the line marks), check it, then
        # construct the data from it.
        node = loader.get_single_node()
        if node is not None:
            walk(node, ())
        data = loader.construct_document(node) if node is not None else None
    except _TooBig as exc:
        message = str(exc) if str(exc).startswith("malformed") else f"refused: {exc}"
        return [Problem(source.shown, exc.line, None, message)]
    except (yaml.scanner.ScannerError, yaml.parser.ParserError) as exc:
        return _syntax_problems(text, exc, source.shown, offset)
    except yaml.composer.ComposerError as exc:
        if not (exc.problem or "").startswith("found undefined alias"):
            return [_malformed(exc, source.shown, offset)]
        return _syntax_problems(text, exc, source.shown, offset)  # `*Emphasis*` in text
    except yaml.MarkedYAMLError as exc:
        return [_malformed(exc, source.shown, offset)]
    except yaml.YAMLError as exc:
        return [Problem(source.shown, None, None, f"malformed YAML: {exc}")]
    except RecursionError:
        return [Problem(source.shown, None, None, "refused: YAML nested too deeply")]
    finally:
        loader.dispose()
    source.data = data
    return _duplicate_problems(walk.duplicates, text.split("\n"), source.shown, offset)


def _duplicate_problems(duplicates: list[_Duplicate], lines: list[str], shown: str,
                        offset: int) -> list[Problem]:
    """Each key given twice, at its line; but when a list entry's first field comes
    again, with the ones after it, the likelier mistake is a new entry without its
    dash (see yaml_hints.new_entry_hint), told once."""
    problems = []
    grouped: set[FieldPath] = set()
    for duplicate in duplicates:
        if duplicate.mapping in grouped:
            continue
        hint = None
        if duplicate.first_key and duplicate.mapping \
                and isinstance(duplicate.mapping[-1], int):
            again = [(d.key, d.earlier) for d in duplicates
                     if d.mapping == duplicate.mapping and d.line >= duplicate.line]
            hint = new_entry_hint(lines, duplicate.line, duplicate.column, again)
        if hint is None:
            problems.append(Problem(shown, duplicate.line + 1 + offset, None,
                                    f"duplicate key '{duplicate.key}' (first given on line "
                                    f"{duplicate.earlier + 1 + offset})"))
            continue
        grouped.add(duplicate.mapping)
        problems.append(Problem(shown, duplicate.line + 1 + offset,
                                format_loc(duplicate.mapping),
                                _with_lines(hint, offset, hint.message)))
    return problems




def _malformed(exc: yaml.MarkedYAMLError, shown: str, offset: int) -> Problem:
    """PyYAML's own words, at its line: for a mistake briefgen has no hint for."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + offset if mark else None
    context = exc.context or ""
    if exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        context += f" (started on line {exc.context_mark.line + 1 + offset})"
    detail = "; ".join(x for x in (context.strip(), exc.problem) if x)
    return Problem(shown, line, None, f"malformed YAML: {detail}")


def _syntax_error(text: str) -> yaml.MarkedYAMLError | None:
    """The first mistake in a text's YAML syntax, or None (values are not built)."""
    try:
        for _event in yaml.parse(text, Loader=_Loader):
            pass
    except yaml.MarkedYAMLError as exc:
        return exc
    return None


def _tokens(text: str, until: tuple[int, int]) -> list[yaml.Token]:
    """The last tokens the scanner reads that start before `until` (a 0-based line and
    column), or before its own first error."""
    tokens: deque[yaml.Token] = deque(maxlen=TOKENS_KEPT)
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) > until:
                break
            tokens.append(token)
    except yaml.MarkedYAMLError:
        pass
    return list(tokens)


def _syntax_problems(text: str, exc: yaml.MarkedYAMLError, shown: str, offset: int
                     ) -> list[Problem]:
    """Every known mistake in the text, each at its own line with its fix (see
    yaml_hints), then whatever mistake is left that briefgen has no words for."""
    explained = explain(text, exc, _syntax_error, _tokens,
                        "the front matter" if offset else "the file")
    if not explained.hints:
        return [_malformed(exc, shown, offset)]
    walk = _fields_by_line(explained.text, explained.left)
    # a key given twice is at both its lines (walk.lines keeps the later one)
    fields = [*walk.lines.items(),
              *((d.mapping + (d.key,), d.earlier + 1) for d in walk.duplicates)]
    problems = []
    for hint in explained.hints:
        message = hint.message
        if hint.also:
            lines = [str(n + 1 + offset) for n in hint.also]
            listed = ", ".join(lines[:-1]) + f" and {lines[-1]}" if len(lines) > 1 \
                else lines[0]
            message += f" (so {'are lines' if len(lines) > 1 else 'is line'} {listed})"
        field_line = (hint.line if hint.at is None else hint.at) + 1
        problems.append(Problem(shown, hint.line + 1 + offset,
                                _field_at(fields, field_line, hint.outer),
                                _with_lines(hint, offset, message)))
    if explained.unknown and explained.left is not None:
        problems.append(_malformed(explained.left, shown, offset))
    elif explained.left is None:  # the fixed text parses: what else is wrong in it
        problems += _duplicate_problems(walk.duplicates, explained.text.split("\n"), shown,
                                        offset)
        problems.sort(key=lambda p: p.line or 0)
    if explained.capped:
        last = max(n for hint in explained.hints for n in (hint.line, *hint.also))
        problems.append(Problem(shown, None, None, f"more YAML mistakes after line "
                                f"{last + 1 + offset}: fix the ones above, then run again"))
    return problems


def _with_lines(hint: Hint, offset: int, message: str) -> str:
    """The message, then the lines as written and as they should be. The lines are
    numbered in the YAML text; a front matter's start lower in its file."""
    shown = hint.shown()
    if offset:
        shown = shown.replace(f"line {hint.first + 1}:", f"line {hint.first + 1 + offset}:", 1)
    return f"{message}\n{shown}"


def _fields_by_line(text: str, left: yaml.MarkedYAMLError | None) -> _Walk:
    """The line of each field of the text as its hints would fix it (when a mistake is
    left, of the lines before it), and the keys it gives twice."""
    if left is not None:
        marks = [m.line for m in (left.problem_mark, left.context_mark) if m is not None]
        text = "\n".join(text.split("\n")[:min(marks, default=0)])
    walk = _Walk({}, 0)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            walk(node, ())
    except (_TooBig, yaml.YAMLError, RecursionError):
        walk.duplicates = []
    finally:
        loader.dispose()
    return walk


def _field_at(fields: Sequence[tuple[FieldPath, int]], line: int, outer: bool
              ) -> str | None:
    """The field written on a line: the innermost, or the outermost (a list item)."""
    paths = [path for path, at in fields if at == line and path]
    if not paths:
        return None
    return format_loc((min if outer else max)(paths, key=len))


@dataclass(frozen=True)
class TextRules:
    """How one kind of file is read: its size limit, and the advice for a file that is
    not UTF-8 (a spreadsheet user needs different words from a text-editor user)."""

    kind: str = "content files"
    max_bytes: int = MAX_FILE_BYTES
    not_utf8: str = "file is not UTF-8 text; save it as UTF-8"


CONTENT_FILES = TextRules()


def read_text(path: Path, shown: str, warnings: list[Problem] | None = None,
              rules: TextRules = CONTENT_FILES, within: Sequence[Path] = ()
              ) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM), any line ending; anything else is a clear error.

    The file is read through resources.read_local: inside `within` (the project)
    with symlinks followed, a regular file, at most the rules' size. Control
    characters pasted in from other programs (a vertical tab, a NUL) are removed,
    each with a warning naming its line, instead of crashing a writer.
    """
    try:
        raw = read_local(path, limit=rules.max_bytes, within=within)
    except OversizedResource as exc:
        size = f"{exc.size / 1e6:.1f} MB" if exc.size > rules.max_bytes else "larger"
        return None, [Problem(shown, None, None,
                              f"refused: the file is {size}; {rules.kind} are limited to "
                              f"{rules.max_bytes // (1024 * 1024)} MB")]
    except RefusedResource as exc:
        return None, [Problem(shown, None, None, f"refused: {exc}")]
    except MissingResource:
        return None, [Problem(shown, None, None, "cannot read file: not found")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, None, rules.not_utf8)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_control(text, shown, warnings), []


def strip_control(text: str, shown: str, warnings: list[Problem] | None) -> str:
    """Remove the characters XML cannot hold, with a warning naming each line."""
    if warnings is not None:
        for match in XML_ILLEGAL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            warnings.append(Problem(shown, line, None,
                                    f"removed control character U+{ord(match.group()):04X}, "
                                    "which documents cannot hold"))
    return XML_ILLEGAL.sub("", text)


def load_yaml_file(path: Path, shown: str, strings: bool = False,
                   within: Sequence[Path] = ()) -> tuple[SourceFile, list[Problem]]:
    source = SourceFile(path, shown)
    text, problems = read_text(path, shown, source.warnings, within=within)
    if text is None:
        return source, problems
    return source, parse_yaml(text, source, strings=strings)


def load_markdown_file(path: Path, shown: str, within: Sequence[Path] = ()
                       ) -> tuple[SourceFile, list[Problem]]:
    """A Markdown file whose YAML front matter sits between two '---' lines."""
    source = SourceFile(path, shown)
    text, problems = read_text(path, shown, source.warnings, within=within)
    if text is None:
        return source, problems
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return source, [Problem(shown, 1, None,
                                "expected YAML front matter starting with a '---' line")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return source, [Problem(shown, 1, None,
                                "front matter is not closed: add a '---' line after it")]
    front = "\n".join(lines[1:end])
    problems = parse_yaml(front, source, offset=1)
    body = lines[end + 1:]
    blank = next((i for i, line in enumerate(body) if line.strip()), len(body))
    source.body = "\n".join(body[blank:]).rstrip("\n") + "\n"
    source.body_line = end + 2 + blank  # line numbers inside the body stay true
    return source, problems
