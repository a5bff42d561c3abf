"""What went wrong in a YAML file, said the way its author can fix it.

PyYAML reports where its parser gave up ("mapping values are not allowed in this
context"), which is often not where the mistake is and never says what to do.
The people who edit briefgen's files make a handful of mistakes again and again:
a colon followed by a space inside text (French typography puts one before every
colon), a tab in the indentation, a quote opened and never closed, a list item
without its dash, a line indented one space too far, a bracket left open, a text
that starts with @ or * (Markdown emphasis). For each, this module finds
the line where the mistake is, says in plain words how to fix it and shows the
line as written and as it should be.

A hint is only given when it is true: each candidate fix is applied to a copy of
the text, which is parsed again, and the hint is kept only if the parser then
gets past the mistake. The repaired copy is then read on, so that every mistake
in a file is reported at once, not one per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

MAX_HINTS = 20  # per file; a file that is all mistakes gets the first twenty
MAX_SHOWN = 300  # characters of a line shown in a message
SHOWN_LINES = 4  # a fix over more lines shows its first and last two

Lines = list[str]
# The parse of a text: its error (None when it parses); the last tokens scanned up to a
# (0-based line, column), the scanner's own error if any.
Parser = Callable[[str], "yaml.MarkedYAMLError | None"]
Scanner = Callable[[str, "tuple[int, int]"], "list[yaml.Token]"]
TOKENS_KEPT = 64  # enough to look back from the mistake to the field it is in


@dataclass(frozen=True)
class Hint:
    """One mistake: where it is, what to do, the lines as written and as corrected."""

    kind: str  # tab, colon, quote, bracket, dash, indent, special
    line: int  # 0-based line of the mistake
    message: str
    first: int  # 0-based first line of the fix (the shown lines start here)
    before: tuple[str, ...]
    after: tuple[str, ...]
    outer: bool = False  # the field is the outermost on the line (a list item), not the last
    at: int | None = None  # 0-based line of the field, if not the mistake's line
    also: tuple[int, ...] = ()  # 0-based lines with the same mistake (tabs)

    def shown(self) -> str:
        """The lines as written and as they should be (when that is known), under the
        message."""
        labels = [f"line {self.first + 1}:", "write:"]
        width = max(len(label) for label in labels) + 2
        out = []
        for label, lines in zip(labels, (self.before, self.after), strict=True):
            for i, text in enumerate(_elided(lines)):
                out.append(f"      {(label if i == 0 else ''):<{width}}{text}")
        return "\n".join(out)


def _elided(lines: tuple[str, ...]) -> list[str]:
    shown = [_visible(line) for line in lines]
    if len(shown) > SHOWN_LINES:
        shown = [*shown[:2], "…", *shown[-2:]]
    return shown


def _visible(line: str) -> str:
    line = line.replace("\t", "[tab]")
    return line if len(line) <= MAX_SHOWN else line[:MAX_SHOWN] + "…"


@dataclass(frozen=True)
class _Fix:
    hint: Hint
    text: str  # the whole text with the fix applied
    last: int  # 0-based last line the fix changed: the parse must now get past it
    final: bool = False  # a mistake for sure, but no fix was found to read on with
    # where on its last line the fix ends, if a mistake after it on that line may be
    # another one (a dash added before `Sanctions : …`); None: the whole line
    until: int | None = None


@dataclass(frozen=True)
class Explained:
    """What is known of a text whose parse failed."""

    hints: list[Hint]  # none if the first mistake is not one of the known ones
    left: yaml.MarkedYAMLError | None  # the mistake left once they are fixed, if any
    text: str  # the text with every hinted fix applied
    unknown: bool  # `left` is a mistake of its own, to report (not one past the last hint)
    capped: bool = False  # MAX_HINTS were found and the text is not read further


# Characters YAML reads as line breaks besides "\n" (a lone "\r", NEL, the Unicode line
# and paragraph separators): with them, YAML's line numbers are not the text's lines.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def explain(text: str, error: yaml.MarkedYAMLError, parse: Parser, scan: Scanner,
            whole: str = "the file") -> Explained:
    """The hints for a text whose parse failed with `error`; `whole` names the text
    (a Markdown file's front matter is not the whole file)."""
    hints: list[Hint] = []
    if _OTHER_BREAKS.search(text):  # YAML's lines are not the text's: no line to point at
        return Explained(hints, error, text, unknown=True)
    written = text.split("\n")  # fixes keep the lines where they are: shown as written
    current: yaml.MarkedYAMLError | None = error
    while current is not None and len(hints) < MAX_HINTS:
        fix = _diagnose(text, current, parse, scan, whole)
        if fix is None:
            return Explained(_merge_tabs(hints), current, text, unknown=True)
        first = fix.hint.first
        hints.append(replace(fix.hint, before=tuple(
            written[first:first + len(fix.hint.before)])))
        if fix.final:  # the rest of the text is not read on from a guess
            return Explained(_merge_tabs(hints), current, text, unknown=False)
        text = fix.text
        current = parse(text)
    return Explained(_merge_tabs(hints), current, text, unknown=False,
                     capped=current is not None)


def _merge_tabs(hints: list[Hint]) -> list[Hint]:
    """A file indented with tabs is one mistake, told once with all its lines."""
    tabs = [h for h in hints if h.kind == "tab"]
    if len(tabs) < 2:
        return hints
    first = replace(tabs[0], also=tuple(h.line for h in tabs[1:]))
    return [first if h is tabs[0] else h for h in hints if h.kind != "tab" or h is tabs[0]]


# -- reading a line --------------------------------------------------------------------------


# `title:`, `  - name:` (a field name followed by a colon); group 2 is the name
_KEY = re.compile(r"^( *(?:- +)*)([A-Za-z_][\w.-]*|\"[^\"]*\"|'[^']*') *:(?= |$)")
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _meaningful(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _content_column(line: str) -> int:
    """Where a line's content starts, after its indentation and any list dashes."""
    match = re.match(r"^[ \t]*(?:-[ \t]+)*", line)
    return match.end() if match else 0


def _previous(lines: Lines, index: int) -> Iterator[int]:
    """Indexes of the meaningful lines before `index`, nearest first."""
    for i in range(index - 1, -1, -1):
        if _meaningful(lines[i]):
            yield i


def _quoted(text: str) -> str:
    """Text in double quotes, as YAML reads it back: a backslash or a quote escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _replace_lines(lines: Lines, first: int, new: list[str]) -> str:
    return "\n".join([*lines[:first], *new, *lines[first + len(new):]])


def _mark(error: yaml.MarkedYAMLError, which: str) -> tuple[int, int] | None:
    mark = error.problem_mark if which == "problem" else error.context_mark
    return (mark.line, mark.column) if mark is not None else None


# -- telling a fix true from a guess -----------------------------------------------------------


def _gets_past(fix: _Fix, parse: Parser) -> bool:
    """The fixed text parses, or fails only after the fix's last line."""
    error = parse(fix.text)
    if error is None:
        return True
    problem = _mark(error, "problem")
    if problem is None or problem[0] < fix.last or problem[0] == fix.last and (
            fix.until is None or problem[1] < fix.until):
        return False
    context = _mark(error, "context")
    # "while scanning a simple key / a quoted scalar (started on line n)": the
    # mistake is where it started; "while parsing a block mapping" is only the
    # mapping it is in, which may well start before the fix.
    started = (error.context or "") in ("while scanning a simple key",
                                        "while scanning a quoted scalar")
    return not (started and context is not None and context[0] <= fix.last)


def _diagnose(text: str, error: yaml.MarkedYAMLError, parse: Parser, scan: Scanner,
              whole: str) -> _Fix | None:
    lines = text.split("\n")
    tokens: list[yaml.Token] | None = None

    def scanned() -> list[yaml.Token]:
        nonlocal tokens
        if tokens is None:
            mark = error.problem_mark or error.context_mark
            tokens = scan(text, (mark.line, mark.column) if mark else (len(lines), 0))
        return tokens

    tab = _tab(lines, error, parse)
    if tab is not None:
        return tab
    for candidates in (_unclosed_quote(lines, error, scanned, whole),
                       _unclosed_bracket(lines, error),
                       _first_item_dash(lines, error, scanned),
                       _continued_field(lines, error, scanned),
                       _colon(lines, error, scanned),
                       _missing_dash(lines, error),
                       _misaligned(lines, error),
                       _stray_text(lines, error),
                       _special_start(lines, error)):
        for fix in candidates:
            if _gets_past(fix, parse):
                return fix
    return _open_quote(lines, error, whole)


def _open_quote(lines: Lines, error: yaml.MarkedYAMLError, whole: str) -> _Fix | None:
    """A quote that runs to the end is a mistake for sure, even where closing it at the
    end of its line does not make the rest readable: said, with no fix to show, and
    the text is not read on from a guess."""
    context = _mark(error, "context")
    if "quoted scalar" not in (error.context or "") or context is None \
            or "end of stream" not in (error.problem or ""):
        return None
    fix = next(_close_quote(lines, context, f"to the end of {whole}"), None)
    if fix is None:
        return None
    hint = replace(fix.hint, after=(), message=fix.hint.message.replace(
        "close the quote at the end of the text", "close the quote where the text ends"))
    return replace(fix, hint=hint, final=True)


# -- a tab in the indentation -------------------------------------------------------------------


def _tab_column(line: str) -> int | None:
    """0-based column of the first tab among the line's indentation and dashes."""
    lead = re.match(r"^[ \t-]*", line)
    prefix = lead.group() if lead else ""
    return prefix.index("\t") if "\t" in prefix else None


def _tab(lines: Lines, error: yaml.MarkedYAMLError, parse: Parser) -> _Fix | None:
    """Tabs are never allowed in indentation; the hint stands even when no fix parses."""
    for which in ("problem", "context"):
        mark = _mark(error, which)
        if mark is None or not 0 <= mark[0] < len(lines):
            continue
        index = mark[0]
        line = lines[index]
        column = _tab_column(line)
        if column is None:
            continue
        lead = re.match(r"^[ \t-]*", line)
        prefix = lead.group() if lead else ""
        rest = line[len(prefix):]
        message = (f"this line is indented with a tab (column {column + 1}); YAML accepts "
                   "only spaces: use spaces, not tabs")
        # two or four spaces for each tab, or the indentation of the lines around it
        around = [_indent(lines[k]) for k in (index - 1, index + 1)
                  if 0 <= k < len(lines) and "\t" not in lines[k][:_content_column(lines[k])]]
        dashes = prefix.lstrip(" \t").replace("\t", " ")
        candidates = [prefix.expandtabs(2) + rest, prefix.expandtabs(4) + rest,
                      *(" " * n + dashes + rest for n in around), prefix.expandtabs(8) + rest]
        fixes = []
        for fixed in dict.fromkeys(candidates):
            hint = Hint("tab", index, message, index, (line,), (fixed,),
                        outer=rest.startswith("- ") or "-" in prefix)
            fixes.append(_Fix(hint, _replace_lines(lines, index, [fixed]), index))
        for fix in fixes:
            if _gets_past(fix, parse):
                return fix
        # Still a tab, and still the mistake: said, but the rest of the file is not read
        # on with a guessed indentation.
        return replace(fixes[0], final=True)
    return None


# -- a quote opened and not closed ------------------------------------------------------------


def _quote_name(char: str) -> str:
    return "double quote (\")" if char == '"' else "single quote (')"


def _unclosed_quote(lines: Lines, error: yaml.MarkedYAMLError,
                    scanned: Callable[[], list[yaml.Token]], whole: str) -> Iterator[_Fix]:
    context = _mark(error, "context")
    problem = _mark(error, "problem")
    if "quoted scalar" in (error.context or "") and context is not None \
            and "end of stream" in (error.problem or ""):
        # The quote runs to the end of the file: it opened at the context mark.
        yield from _close_quote(lines, context, f"to the end of {whole}")
        return
    if error.context and error.context.startswith("while scanning") or problem is None:
        return
    # The parser stopped just after a quoted text: either that text ran over lines to
    # a quote meant to open another one, or it was closed early by a quote inside it.
    token = _last_token_before(scanned(), problem)
    if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
        return
    start = (token.start_mark.line, token.start_mark.column)
    end = (token.end_mark.line, token.end_mark.column)
    if end[0] != problem[0]:
        return
    if start[0] < end[0]:
        yield from _close_quote(lines, start, f"up to the quote on line {end[0] + 1}")
    else:
        yield from _quote_inside(lines, start, end)


def _last_token_before(tokens: list[yaml.Token], position: tuple[int, int]
                       ) -> yaml.Token | None:
    """The last token of some width that ends at or before `position`."""
    for token in reversed(tokens):
        start = (token.start_mark.line, token.start_mark.column)
        end = (token.end_mark.line, token.end_mark.column)
        if end <= position and end != start:
            return token
    return None


def _close_quote(lines: Lines, start: tuple[int, int], until: str) -> Iterator[_Fix]:
    index, column = start
    if not 0 <= index < len(lines) or column >= len(lines[index]):
        return
    line = lines[index]
    char = line[column]
    if char not in "\"'":
        return
    fixed = line.rstrip() + char
    message = (f"the {_quote_name(char)} that opens this text is never closed, so YAML "
               f"reads all the lines after it as part of the text, {until}; close the "
               "quote at the end of the text")
    hint = Hint("quote", index, message, index, (line,), (fixed,))
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


def _quote_inside(lines: Lines, start: tuple[int, int], end: tuple[int, int]
                  ) -> Iterator[_Fix]:
    """`title: "Magnitsky laws" sanctions…`, `title: 'L'analyse…'`: a quote closes the
    text before its end. The whole text goes in double quotes."""
    index, column = start
    line = lines[index]
    char = line[column]
    whole = line[column:].rstrip()
    inner = whole[1:-1] if len(whole) > 1 and whole.endswith(char) else whole
    fixed = line[:column] + _quoted(inner)
    if char == "'" and "'" in inner:
        message = ("the apostrophe in this text closes the single quotes around it; put "
                   "the text in double quotes instead")
    else:
        message = (f"the {_quote_name(char)} at column {end[1]} closes the quoted text "
                   "before the end of the line; put the whole text in double quotes, "
                   "writing each \" inside it as \\\"")
    hint = Hint("quote", index, message, index, (line,), (fixed,))
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


def _unclosed_bracket(lines: Lines, error: yaml.MarkedYAMLError) -> Iterator[_Fix]:
    """`formats: [pdf, html` or `- {id: a, title: b`: the bracket is never closed."""
    context = _mark(error, "context")
    kind = error.context or ""
    if context is None or not kind.startswith("while parsing a flow ") \
            or not 0 <= context[0] < len(lines):
        return
    index, column = context
    line = lines[index]
    opening = line[column:column + 1]
    closing = {"[": "]", "{": "}"}.get(opening)
    if closing is None:
        return
    fixed = line.rstrip() + closing
    what = "list" if opening == "[" else "mapping"
    message = (f"the {what} that opens with {opening} on this line is not closed; end it "
               f"with {closing}")
    hint = Hint("bracket", index, message, index, (line,), (fixed,), outer=True)
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


# -- a colon followed by a space inside text --------------------------------------------------


def _plain_before(tokens: list[yaml.Token], problem: tuple[int, int]
                  ) -> tuple[int, yaml.ScalarToken] | None:
    """The last plain text scanned before the parser's complaint, with its index."""
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if isinstance(token, yaml.ScalarToken):
            end = (token.end_mark.line, token.end_mark.column)
            if token.style in (None, "") and end <= problem:
                return i, token
            return None
    return None


def _text_owner(tokens: list[yaml.Token], i: int) -> tuple[int, int, str | None] | None:
    """Where the text at tokens[i] belongs: (0-based line, column) of its field name or
    list dash, and the field name (None for a list item)."""
    before = tokens[i - 1] if i > 0 else None
    if isinstance(before, yaml.BlockEntryToken):
        return before.start_mark.line, before.start_mark.column, None
    if isinstance(before, yaml.ValueToken) and i >= 2 \
            and isinstance(tokens[i - 2], yaml.ScalarToken):
        key = tokens[i - 2]
        return key.start_mark.line, key.start_mark.column, str(key.value)
    return None


_Owner = tuple[int, int, str | None]  # the line, column and name of the field text is in
_Colon = tuple[tuple[int, int], list[yaml.Token], int, yaml.Token, _Owner | None]


def _colon_in_text(error: yaml.MarkedYAMLError, scanned: Callable[[], list[yaml.Token]]
                   ) -> _Colon | None:
    """Where YAML met ": " it could not take as a field, the plain text just before it,
    and the field that text belongs to (both hints about such a colon start here)."""
    problem = _mark(error, "problem")
    if problem is None or not (error.problem or "").startswith("mapping values are not "
                                                                 "allowed"):
        return None
    tokens = scanned()
    found = _plain_before(tokens, problem)
    if found is None:
        return None
    i, token = found
    return problem, tokens, i, token, _text_owner(tokens, i)


def _colon(lines: Lines, error: yaml.MarkedYAMLError,
           scanned: Callable[[], list[yaml.Token]]) -> Iterator[_Fix]:
    context = _colon_in_text(error, scanned)
    if context is None:
        return
    problem, tokens, i, token, owner = context
    if owner is None:
        return
    start = (token.start_mark.line, token.start_mark.column)
    # `- Note: the group said: no` is one text, not a field "Note": quote all of it,
    # unless the list is one of entries with fields (`- name: …`).
    dash = _dash_before_key(tokens, i - 2)
    if owner[2] is not None and dash is not None \
            and not _list_of_entries(lines, dash.start_mark.line, dash.start_mark.column,
                                     _FIELD_NAME.match(owner[2]) is not None):
        start = owner[:2]
        owner = (dash.start_mark.line, dash.start_mark.column, None)
    yield from _quote_text(lines, start, owner, problem)


def _list_of_entries(lines: Lines, index: int, column: int, default: bool) -> bool:
    """Whether the list whose item has its dash at (index, column) holds entries of
    fields; `default` when the item has no sibling to tell by."""
    first = _block_of(lines, index, column)
    end = next((k for k in range(index + 1, len(lines))
                if _meaningful(lines[k]) and _indent(lines[k]) < column), len(lines))
    siblings = [k for k in range(first, end) if k != index and _indent(lines[k]) == column
                and lines[k][column:].startswith("- ")]
    below = index + 1 < len(lines) and _indent(lines[index + 1]) == column + 2 \
        and _KEY.match(lines[index + 1]) is not None
    if below:
        return True
    keys = [_KEY.match(lines[k]) for k in siblings]
    if any(key is None for key in keys):
        return False  # a sibling is plain text: a list of texts
    if any(key is not None and _FIELD_NAME.match(key.group(2)) for key in keys):
        return True
    return default


def _block_of(lines: Lines, index: int, column: int) -> int:
    """The first line of the run of lines at `column` or deeper that holds line `index`."""
    while index > 0 and (not _meaningful(lines[index - 1])
                         or _indent(lines[index - 1]) >= column):
        index -= 1
    return index


def _dash_before_key(tokens: list[yaml.Token], key: int) -> yaml.Token | None:
    """The list dash a key is written after on the same line (`- Note: …`), if any."""
    line = tokens[key].start_mark.line
    for k in range(key - 1, -1, -1):
        token = tokens[k]
        if isinstance(token, yaml.BlockEntryToken) and token.start_mark.line == line:
            return token
        if not isinstance(token, (yaml.KeyToken, yaml.BlockMappingStartToken)):
            return None
    return None


def _quote_text(lines: Lines, start: tuple[int, int], owner: tuple[int, int, str | None],
                colon: tuple[int, int]) -> Iterator[_Fix]:
    """Put in double quotes the plain text that starts at `start` and holds `colon`,
    with the lines that continue it (indented more than its field or dash, `owner`)."""
    first = start[0]
    before, new = _in_quotes(lines, start, owner[1], colon)
    text = lines[colon[0]]
    spaced = colon[1] > 0 and text[colon[1] - 1] == " "
    shown = '" : "' if spaced else '": "'
    message = (f"a colon followed by a space ({shown}) inside text makes YAML read a new "
               "field name; put the text in quotes")
    if first != colon[0]:
        message = (f"the text that starts on line {first + 1} holds a colon followed by a "
                   f"space ({shown}), which makes YAML read a new field name; put the whole "
                   "text in quotes")
    hint = Hint("colon", colon[0], message, first, tuple(before), tuple(new),
                outer=owner[2] is None, at=owner[0])
    yield _Fix(hint, _replace_lines(lines, first, new), first + len(new) - 1)


def _in_quotes(lines: Lines, start: tuple[int, int], parent: int, within: tuple[int, int]
               ) -> tuple[list[str], list[str]]:
    """The lines of the plain text that starts at `start`, holds the place `within` and
    goes on over the lines indented more than `parent`: as written, and in quotes
    (a comment after it stays out of the quotes)."""
    first, column = start
    last = within[0]
    while last + 1 < len(lines) and _meaningful(lines[last + 1]) \
            and _indent(lines[last + 1]) > parent:
        last += 1
    before = lines[first:last + 1]
    comment = ""
    tail = before[-1]
    at = tail.find(" #", within[1] if last == within[0] else 0)
    if at >= 0:
        tail, comment = tail[:at].rstrip(), tail[at:]
        comment = before[-1][len(tail):at] + comment  # the spaces before it, as written
    new = list(before)
    new[-1] = tail
    if len(new) == 1:
        new[0] = new[0][:column] + _quoted(new[0][column:].rstrip()) + comment
    else:
        new[0] = new[0][:column] + '"' + _escaped(new[0][column:].rstrip())
        for k in range(1, len(new)):
            lead = _indent(new[k])
            new[k] = new[k][:lead] + _escaped(new[k][lead:].rstrip())
        new[-1] += '"' + comment
    return before, new


# What a text may not start with unquoted, and why.
_SPECIAL = {"@": "YAML keeps @ for itself", "`": "YAML keeps ` for itself",
            "%": "YAML reads % as a directive",
            "*": "YAML reads * as a reference to another value",
            "&": "YAML reads & as a name given to the value"}


def _special_start(lines: Lines, error: yaml.MarkedYAMLError) -> Iterator[_Fix]:
    """`twitter: @ngo`, `summary: *Important* news`: a text that starts with a character
    YAML reads as its own."""
    kind, problem = error.context or "", error.problem or ""
    if "cannot start any token" in problem:
        mark = _mark(error, "problem")
    elif kind in ("while scanning an alias", "while scanning an anchor"):
        mark = _mark(error, "context")
    elif problem.startswith("found undefined alias"):
        mark = _mark(error, "problem")
    else:
        return
    if mark is None or not 0 <= mark[0] < len(lines) or mark[1] >= len(lines[mark[0]]):
        return
    index, column = mark
    line = lines[index]
    char = line[column]
    lead = line[:column].rstrip()
    if char not in _SPECIAL or not (lead.endswith((":", "-")) or not lead):
        return
    before, new = _in_quotes(lines, mark, _indent(line), mark)
    message = (f"text cannot start with {char} unless it is in quotes ({_SPECIAL[char]}); "
               "put the text in quotes")
    hint = Hint("special", index, message, index, tuple(before), tuple(new))
    yield _Fix(hint, _replace_lines(lines, index, new), index + len(new) - 1)


def _continued_field(lines: Lines, error: yaml.MarkedYAMLError,
                     scanned: Callable[[], list[yaml.Token]]) -> Iterator[_Fix]:
    """`title: A` then `  subtitle: B` indented under it: YAML reads "A subtitle" as
    text with a colon in it; the field below was meant to line up with the one above."""
    context = _colon_in_text(error, scanned)
    if context is None:
        return
    problem, tokens, i, token, owner = context
    index = problem[0]
    line = lines[index]
    name = re.match(r"^ *([a-z_][a-z0-9_]*):", line)  # a field name, the colon right after
    if owner is None or owner[2] is None or token.start_mark.line == index \
            or name is None or name.end() != problem[1] + 1:
        return
    column = owner[1]
    fixed = " " * column + line.lstrip(" ")
    message = (f"this line is indented by {_indent(line)} spaces, more than the field "
               f"{owner[2]} on line {owner[0] + 1}, so YAML reads it as more text of "
               f"{owner[2]}; if {name.group(1)} is a field of its own, line it up with "
               f"{owner[2]}; if it is text, put the whole text in quotes")
    hint = Hint("indent", index, message, index, (line,), (fixed,))
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


# -- a list item without its dash ---------------------------------------------------------------


def _sibling_dash(lines: Lines, index: int, column: int) -> int | None:
    """The line of a list item beside line `index` whose dash is at `column`."""
    for i in _previous(lines, index):
        indent = _indent(lines[i])
        if indent < column:
            break
        if indent == column and lines[i].lstrip(" ").startswith("- "):
            return i
        if indent == column:
            break
    for i in range(index + 1, len(lines)):
        if not _meaningful(lines[i]):
            continue
        if _indent(lines[i]) == column and lines[i].lstrip(" ").startswith("- "):
            return i
        break
    return None


def _dashless_line(lines: Lines, error: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """Where the parser stopped at a line that may be a list item without its dash."""
    problem = error.problem or ""
    if "could not find expected ':'" in problem:
        mark = _mark(error, "context")  # "while scanning a simple key": the line of text
    elif "expected '-' indicator" in problem or "expected <block end>, but found '?'" \
            in problem:
        mark = _mark(error, "problem")
    else:
        return None
    if mark is None or not 0 <= mark[0] < len(lines):
        return None
    line = lines[mark[0]]
    if _indent(line) != mark[1] or line[mark[1]:].startswith("- "):
        return None
    return mark


def _missing_dash(lines: Lines, error: yaml.MarkedYAMLError) -> Iterator[_Fix]:
    mark = _dashless_line(lines, error)
    sibling = _sibling_dash(lines, *mark) if mark is not None else None
    if mark is None or sibling is None:
        return
    index, column = mark
    line = lines[index]
    key = _KEY.match(line)
    keys = _item_keys(lines, sibling)
    fixed = [line[:column] + "- " + line[column:]]
    until = None
    if key is None or not keys:  # an item of text (`Sanctions : …` is text too)
        until = column + 2
    elif key.group(2) not in keys:
        return  # a field of the item above, not indented enough: see _misaligned
    elif not _entry_lined_up(lines, index, column):
        fixed += _rest_of_entry(lines, index, column)
    last = index + len(fixed) - 1
    before = tuple(lines[index:last + 1])
    message = (f"this line is part of a list (like line {sibling + 1}) but does not start "
               "with a dash; start it with \"- \" like the other items")
    if len(fixed) > 1:
        message += f" (and indent the lines of its entry, to line {last + 1}, to match)"
    hint = Hint("dash", index, message, index, before, tuple(fixed), outer=True)
    yield _Fix(hint, _replace_lines(lines, index, fixed), last, until=until)


def _rest_of_entry(lines: Lines, index: int, column: int) -> list[str]:
    """An entry of fields whose dash goes before its first (on line `index`): its other
    lines, moved with it by the dash's two columns."""
    moved = []
    for k in range(index + 1, len(lines)):
        if _meaningful(lines[k]) and (_indent(lines[k]) < column or (
                _indent(lines[k]) == column and lines[k].lstrip(" ").startswith("-"))):
            break
        moved.append("  " + lines[k] if lines[k].strip() else lines[k])
    while moved and not _meaningful(moved[-1]):
        moved.pop()
    return moved


def _first_item_dash(lines: Lines, error: yaml.MarkedYAMLError,
                     scanned: Callable[[], list[yaml.Token]]) -> Iterator[_Fix]:
    """`key_asks:` then `  Raise the cases` then `  - Support sanctions`: the first item
    has no dash, so YAML reads it and the items below as one text, up to a mistake."""
    problem = _mark(error, "problem")
    if problem is None:
        return
    token = _last_token_before(scanned(), problem)
    if not isinstance(token, yaml.ScalarToken) or token.style not in (None, ""):
        return
    index, column = token.start_mark.line, token.start_mark.column
    line = lines[index]
    if _indent(line) != column or token.end_mark.line == index:
        return
    if not any(lines[k].startswith(" " * column + "- ")
               for k in range(index + 1, token.end_mark.line + 1)):
        return
    fixed = line[:column] + "- " + line[column:]
    message = ("this line is the first item of a list but does not start with a dash; "
               "start it with \"- \" like the other items")
    hint = Hint("dash", index, message, index, (line,), (fixed,), outer=True)
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


def _entry_lined_up(lines: Lines, index: int, column: int) -> bool:
    """The fields after the first one of an entry already stand where the dash will put
    the first (`id: b` then `  title: y`)."""
    following = next((k for k in range(index + 1, len(lines)) if _meaningful(lines[k])), None)
    return following is not None and _indent(lines[following]) == column + 2 \
        and _KEY.match(lines[following]) is not None \
        and not lines[following][column + 2:].startswith("-")


def _item_keys(lines: Lines, dash: int) -> set[str]:
    """The field names of the list item whose dash is on line `dash`."""
    column = _content_column(lines[dash])
    keys = set()
    for k in range(dash, len(lines)):
        if k > dash and _meaningful(lines[k]) and _indent(lines[k]) < column:
            break
        key = _KEY.match(lines[k])
        if key is not None and _content_column(lines[k]) == column:
            keys.add(key.group(2))
    return keys


# -- a field indented one space too far or too near --------------------------------------------


def _misaligned(lines: Lines, error: yaml.MarkedYAMLError) -> Iterator[_Fix]:
    problem = _mark(error, "problem")
    if problem is None or (error.context or "").startswith("while scanning"):
        return
    index = problem[0]
    if not 0 <= index < len(lines):
        return
    line = lines[index]
    indent = _indent(line)
    if _KEY.match(line) is None or indent != problem[1]:
        return
    tried = {indent}
    for i in _previous(lines, index):
        if _indent(lines[i]) < indent - 2:
            break
        above = _KEY.match(lines[i])
        column = _content_column(lines[i])
        if above is None or column in tried or abs(column - indent) > 2:
            continue
        tried.add(column)
        fixed = " " * column + line.lstrip(" ")
        message = (f"this field is indented by {indent} spaces, the field "
                   f"{above.group(2)} above it (line {i + 1}) by {column}; line it up with "
                   "the fields of its entry")
        hint = Hint("indent", index, message, index, (line,), (fixed,))
        yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


# -- a line of text that belongs to the field above ---------------------------------------------


def _stray_text(lines: Lines, error: yaml.MarkedYAMLError) -> Iterator[_Fix]:
    """`summary: One sentence` then `Another sentence` at the margin: a line with no field
    name, which was meant to continue the text above it."""
    mark = _mark(error, "context")
    if mark is None or "could not find expected ':'" not in (error.problem or ""):
        return
    index, column = mark
    if not 0 <= index < len(lines) or _indent(lines[index]) != column:
        return
    above = next(_previous(lines, index), None)
    key = _KEY.match(lines[above]) if above is not None else None
    if above is None or key is None or _indent(lines[above]) != column \
            or not lines[above][key.end():].strip():
        return
    line = lines[index]
    fixed = " " * (_content_column(lines[above]) + 2) + line.lstrip(" ")
    message = (f"this line has no field name and is not a list item; if it continues the "
               f"text of {key.group(2)} on line {above + 1}, indent it more than "
               f"{key.group(2)}; if it is a field, write it as name: value")
    hint = Hint("indent", index, message, index, (line,), (fixed,), at=above)
    yield _Fix(hint, _replace_lines(lines, index, [fixed]), index)


def new_entry_hint(lines: Lines, index: int, column: int, again: list[tuple[str, int]]
                   ) -> Hint | None:
    """A list entry whose first field comes again at (index, column), with the fields
    in `again` (name, 0-based line first given): a new entry, its dash forgotten, if
    the place of the dash, two columns to the left, holds spaces."""
    line = lines[index] if 0 <= index < len(lines) else ""
    if column < 2 or line[column - 2:column] != "  " or _indent(line) != column:
        return None
    fixed = line[:column - 2] + "- " + line[column:]
    names = [name for name, _ in again]
    firsts = [str(first + 1) for _, first in again]
    if len(names) == 1:
        said = f"field {names[0]} is given twice (first on line {firsts[0]})"
    else:
        said = (f"fields {', '.join(names[:-1])} and {names[-1]} are given twice (first on "
                f"lines {', '.join(firsts[:-1])} and {firsts[-1]})")
    message = (f"{said}; if a new entry of the list starts here, start its line with "
               "\"- \" like the other entries")
    return Hint("dash", index, message, index, (line,), (fixed,))


# -- mistakes YAML reads without complaint --------------------------------------------------------


def value_hint(lines: Sequence[str], line: int | None, kind: str, value: Any
               ) -> Hint | None:
    """Why a field holds the wrong kind of value, when a known mistake made it so.

    lines: the file's lines; line: the 1-based line of the field; kind: pydantic's
    error type. Two mistakes parse as valid YAML: a list item of text with a colon
    in it (`- Demand: release them`) becomes a mapping, and a list whose first item
    has no dash becomes one text.
    """
    if line is None or not 0 < line <= len(lines):
        return None
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        return _colon_made_mapping(lines, line - 1, value)
    if kind == "list_type" and isinstance(value, str):
        return _first_item_without_dash(lines, line - 1)
    return None


def _colon_made_mapping(lines: Sequence[str], index: int, value: dict[Any, Any]
                        ) -> Hint | None:
    ((key, text),) = value.items()
    if not isinstance(key, str) or not isinstance(text, (str, type(None))):
        return None
    for k in (index, index + 1):
        if k >= len(lines):
            return None
        line = lines[k]
        column = _content_column(line)
        rest = line[column:]
        name = re.match(re.escape(key) + r"( *):", rest)
        if name is None:
            continue
        comment = ""
        at = rest.find(" #")
        if at >= 0:
            rest, comment = rest[:at].rstrip(), rest[len(rest[:at].rstrip()):]
        if (rest[name.end():].strip() or None) != text:
            return None
        fixed = line[:column] + _quoted(rest.rstrip()) + comment
        shown = '" : "' if name.group(1) else '": "'
        message = (f"a colon followed by a space ({shown}) inside text makes YAML read "
                   f"\"{key}\" as a field name; put the text in quotes")
        return Hint("colon", k, message, k, (line,), (fixed,))
    return None


def _first_item_without_dash(lines: Sequence[str], index: int) -> Hint | None:
    key = _KEY.match(lines[index])
    if key is None or lines[index][key.end():].strip():
        return None
    first = next((k for k in range(index + 1, len(lines)) if _meaningful(lines[k])), None)
    if first is None:
        return None
    column = _indent(lines[first])
    if column <= _indent(lines[index]) or lines[first][column:].startswith("-"):
        return None
    for k in range(first + 1, len(lines)):
        if not _meaningful(lines[k]):
            continue
        if _indent(lines[k]) < column:
            return None
        if _indent(lines[k]) == column and lines[k][column:].startswith("- "):
            line = lines[first]
            fixed = line[:column] + "- " + line[column:]
            message = ("the first item of this list does not start with a dash, so YAML "
                       "reads the list as one text; start it with \"- \" like the other "
                       "items")
            return Hint("dash", first, message, first, (line,), (fixed,))
    return None
