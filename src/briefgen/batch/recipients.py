"""The recipients file: one row per parliamentarian, from a spreadsheet (CSV) or YAML.

Rows are validated one by one so that a bad row costs only that row: the batch
reports it with the row number a spreadsheet shows (the header is row 1) and
goes on, or stops before building anything with --strict. Column names are
matched loosely ("Given name", "given_name", "First name") because rosters come
from other people's spreadsheets; columns briefgen does not know are kept and
reach templates as `recipient.<column>`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from ..content.assembly import Assembly
from ..content.model import DEFAULT_LANGUAGE, ID_PATTERN, Language
from ..content.source_file import SourceFile, TextRules, parse_yaml, read_text
from ..content.validation import explain
from ..errors import BriefgenError, Problem, display_path
from ..i18n.address import OFFICES

REQUIRED_COLUMNS = ("surname", "country", "group", "language")
COLUMNS = ("id", "title", "given_name", "surname", "country", "role", "group", "language",
           "email", "address", "office", "salutation", "signed")
_HEADER_ALIASES = {
    "first_name": "given_name", "firstname": "given_name", "given": "given_name",
    "forename": "given_name", "prenom": "given_name", "prénom": "given_name",
    "last_name": "surname", "lastname": "surname", "family_name": "surname",
    "name": "surname", "nom": "surname",
    "political_group": "group", "lang": "language", "e_mail": "email", "mail": "email",
    "postal_address": "address", "pays": "country", "status": "role",
}
EMPTY = "required, but empty"  # a blank cell reads the same as a missing column
MAX_ROWS = 100_000
# A file name holds at most 255 bytes (Linux, macOS; not characters). The longest name a
# batch makes from a stem is output.py's temporary one, "." + stem + ".docx" + "." + 8
# random characters + ".tmp": the stem plus 19 bytes. 100 bytes leaves room for that,
# for longer suffixes and for tools that add their own (zip, mail, "(1)" copies).
MAX_STEM_BYTES = 100
RECIPIENTS_FILES = TextRules("recipients files", 20 * 1024 * 1024,
                             "not UTF-8 text; in a spreadsheet, save as 'CSV UTF-8'")


def column_name(header: str) -> str:
    """'Given name', 'given-name' and 'GIVEN_NAME' are the same column."""
    key = re.sub(r"[\s\-]+", "_", header.strip().casefold())
    return _HEADER_ALIASES.get(key, key)


class Recipient(BaseModel):
    """One row. `row` is where it came from: the spreadsheet row, or the YAML line."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, frozen=True)
    row: int
    id: str | None = Field(None, pattern=ID_PATTERN)
    title: str | None = None
    given_name: str | None = None
    surname: str = Field(min_length=1)
    country: str = Field(min_length=1)
    role: str | None = None  # one of the assembly's roles (checked against it: assembly.py)
    group: str = Field(min_length=1)  # one of the assembly's groups, by any of its names
    language: Language  # any language with a catalog, shipped or the project's
    email: str | None = None
    address: str | None = None
    office: Literal[OFFICES] | None = None  # type: ignore[valid-type]
    salutation: str | None = None
    signed: bool | None = None

    @field_validator("id")
    @classmethod
    def _id_fits(cls, value: str | None) -> str | None:
        """An id is used as it is, so it must fit in a file name (it is ASCII: its
        pattern says so, and a character is a byte)."""
        if value is not None and len(value.encode("utf-8")) > MAX_STEM_BYTES:
            raise ValueError(f"{len(value)} characters, too long for a file name; ids name "
                             f"the output files and may have at most {MAX_STEM_BYTES}")
        return value

    @field_validator("role", "language", "office", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("group")
    @classmethod
    def _assembly_group(cls, value: str, info: ValidationInfo) -> str:
        assembly = (info.context or {}).get("assembly")
        if assembly is None:
            return value
        found = assembly.find(value)
        if found is None:
            raise ValueError(f"unknown political group {value!r}; the "
                             f"{assembly.title(DEFAULT_LANGUAGE)} has "
                             f"{', '.join(g.code for g in assembly.current())} (its groups "
                             f"and their earlier names are in {assembly.source})")
        return str(found[0].code)

    @field_validator("role")
    @classmethod
    def _assembly_role(cls, value: str | None, info: ValidationInfo) -> str | None:
        assembly = (info.context or {}).get("assembly")
        if assembly is None or value is None:
            return value
        if value not in assembly.roles:
            names = [f"'{r}'" for r in assembly.roles]
            listed = (", ".join(names[:-1]) + " or " + names[-1]) if len(names) > 1 else (
                "".join(names))
            raise ValueError(f"expected one of {listed}, got {value!r}"
                             if assembly.roles else
                             f"{value!r}, but the {assembly.title(DEFAULT_LANGUAGE)}'s file "
                             "names no roles for its members; leave the column empty")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value):
            raise ValueError(f"expected an email address like name@example.org, got {value!r}")
        return value

    @field_validator("signed", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().casefold()
            if word in ("yes", "y", "true", "1", "x", "oui"):
                return True
            if word in ("no", "n", "false", "0", "non"):
                return False
            raise ValueError(f"expected yes or no, got {value!r}")
        return value

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.surname) if p)

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.address or "").splitlines() if line.strip()]

    @property
    def extra(self) -> dict[str, Any]:
        """Columns briefgen does not know, for templates."""
        return dict(self.model_extra or {})


@dataclass
class RejectedRow:
    row: int
    data: dict[str, Any]  # the cells as read, for the manifest
    problems: list[Problem]

    @property
    def name(self) -> str:
        return " ".join(str(self.data.get(k) or "") for k in ("given_name", "surname")).strip()


@dataclass
class Roster:
    recipients: list[Recipient]
    rejected: list[RejectedRow] = field(default_factory=list)  # bad rows, each skipped
    source: str = ""  # the file as shown to the user
    by_line: bool = False  # YAML: problems point at lines, CSV: at spreadsheet rows
    warnings: list[Problem] = field(default_factory=list)  # e.g. control characters removed

    @property
    def problems(self) -> list[Problem]:
        return [p for row in sorted(self.rejected, key=lambda r: r.row) for p in row.problems]

    def where(self, row: int) -> tuple[str, int | None]:
        return (self.source, row) if self.by_line else (f"{self.source}, row {row}", None)

    def reject(self, recipient: Recipient, column: str, message: str) -> None:
        """Drop a valid-looking row that cannot be made (e.g. no text in its language)."""
        self.recipients.remove(recipient)
        file, line = self.where(recipient.row)
        data = recipient.model_dump(exclude={"row"})
        self.rejected.append(RejectedRow(recipient.row, data,
                                         [Problem(file, line, column, message)]))


def load_recipients(path: Path, project_dir: Path | None = None,
                    assembly: Assembly | None = None) -> Roster:
    """Read and validate every row; raise only for problems with the file as a whole.

    With the assembly the members sit in, each row's group and role must be the
    assembly's: a group is kept by its current code (an old 'GUE/NGL' row is
    today's 'The Left'), and a group the assembly does not have is refused, never
    guessed."""
    shown = display_path(path, project_dir)
    if not path.is_file():
        raise BriefgenError([Problem(shown, None, None, "recipients file not found")])
    warnings: list[Problem] = []
    text, problems = read_text(path, shown, warnings, RECIPIENTS_FILES)
    if text is None:
        raise BriefgenError(problems)
    yaml_file = path.suffix.lower() in (".yaml", ".yml")
    rows = _yaml_rows(path, shown, text) if yaml_file else _csv_rows(text, shown)
    roster = Roster([], [], shown, by_line=yaml_file, warnings=warnings)
    for number, data, field_lines in rows:
        _add_row(roster, number, data, field_lines, assembly)
    _reject_duplicate_ids(roster)
    if not roster.recipients and not roster.rejected:
        raise BriefgenError([Problem(shown, None, None, "no recipients: the file has a "
                                     "header but no rows")])
    return roster


def _add_row(roster: Roster, number: int, data: dict[str, Any],
             field_lines: dict[str, int], assembly: Assembly | None) -> None:
    """Validate one row: a recipient, or a rejected row with every problem it has."""
    file, line = roster.where(number)
    problems: list[Problem] = []
    if "__not_a_mapping__" in data:
        problems.append(Problem(file, line, None, "expected a mapping of columns "
                                "(surname: …, country: …)"))
    elif data.pop("__extra_cells__", None):
        problems.append(Problem(file, line, None, "more cells than the header has "
                                "columns (a separator inside an unquoted cell?)"))
    else:
        try:
            roster.recipients.append(Recipient.model_validate(
                {**data, "row": number}, context={"assembly": assembly}))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in err["loc"]) or None
                at = field_lines.get(str(err["loc"][0]), line) if err["loc"] else line
                problems.append(Problem(file, at, loc, explain(err, empty=EMPTY)))
    if problems:
        roster.rejected.append(RejectedRow(number, data, problems))


def _reject_duplicate_ids(roster: Roster) -> None:
    seen: dict[str, int] = {}
    for r in list(roster.recipients):
        if r.id is None:
            continue
        if r.id in seen:
            where = "line" if roster.by_line else "row"
            roster.reject(r, "id", f"'{r.id}' is also the id of {where} {seen[r.id]}; ids "
                                   "name the output files")
        else:
            seen[r.id] = r.row


Rows = list[tuple[int, dict[str, Any], dict[str, int]]]  # number, cells, line per column


def _csv_rows(text: str, shown: str) -> Rows:
    """Rows as dicts, numbered as a spreadsheet numbers them (header = row 1)."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel in much of Europe uses ';'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = text.split("\n")  # read_text made every line end "\n"; csv counts the same
    try:
        header = next(reader, None)
        last = len(lines) - 1 if text.endswith("\n") else len(lines)  # the file's last line
        names = _header(header, shown, delimiter, _quote_left_open(
            text, lines, 1, delimiter) if reader.line_num == last else None)
        required = [names.index(c) for c in REQUIRED_COLUMNS]
        rows: Rows = []
        problems: list[Problem] = []
        start = reader.line_num + 1  # the line the next row starts on
        for number, cells in enumerate(reader, start=2):
            if number > MAX_ROWS:
                raise BriefgenError([Problem(shown, None, None, f"more than {MAX_ROWS} rows")])
            record = lines[start - 1:reader.line_num]
            column = _swallowing(cells, record, delimiter, len(names), required)
            left_open = (_quote_left_open(text, lines, start, delimiter)
                         if reader.line_num == last else None)
            to_end = left_open is not None
            column = left_open if to_end else column
            if column is not None:
                problems.append(_unbalanced(shown, start, names, cells, column, to_end))
            elif any(c.strip() for c in cells):  # blank lines between blocks of a roster
                rows.append((number, _cells(names, cells), {}))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BriefgenError([Problem(shown, reader.line_num, None,
                                     f"not readable as CSV: {exc}")]) from None
    if problems:
        raise BriefgenError(problems)
    return rows


# A quote that opens a cell and is never closed, or closed only by some quote further
# down, makes the csv module read every line up to there into that one cell: those
# recipients vanish and one letter prints raw CSV lines. Two signs tell it from a
# legitimate cell of several lines (an address):
# - the quote is still open at the end of the file;
# - the row's lines include complete rows of the file (as many separators as the
#   header, a value in every required column). A real multi-line cell splits its
#   row's cells between its first and last line, so at most one of those two is a
#   complete row, and the lines between hold only the cell's text.


def _complete_row(line: str, delimiter: str, columns: int, required: list[int]) -> bool:
    """Whether a line, read alone and with quotes taken as plain characters, has the
    header's number of cells and a value in every required column."""
    cells = line.split(delimiter)
    return len(cells) >= columns and all(cells[i].strip(' "') for i in required)


def _swallowing(cells: list[str], record: list[str], delimiter: str, columns: int,
                required: list[int]) -> int | None:
    """The column of the cell that ran over rows of the file, if this row's lines
    show it: a complete row between its first and last line, or at both ends."""
    if len(record) < 2:
        return None
    complete = [_complete_row(line, delimiter, columns, required) for line in record]
    if not (any(complete[1:-1]) or (complete[0] and complete[-1])):
        return None
    return next((i for i, cell in enumerate(cells) if "\n" in cell), 0)


def _quote_left_open(text: str, lines: list[str], start: int, delimiter: str) -> int | None:
    """The column of a quoted cell that the record from line `start` to the end of the
    file opens and never closes, read as the csv module reads it; None if all close."""
    raw = text[sum(len(line) + 1 for line in lines[:start - 1]):]
    column, field_start, quoted = 0, 0, False
    tokens = re.finditer(f'["\n]|{re.escape(delimiter)}', raw)
    for match in tokens:
        token, at = match.group(), match.start()
        if quoted:
            if token == '"':
                if raw.startswith('"', match.end()):  # "" is a quote inside the cell
                    next(tokens)
                else:
                    quoted = False
        elif token == '"':
            quoted = at == field_start  # elsewhere, a quote is a plain character
        else:  # the cell ends; a line end outside quotes also ends the record
            column = column + 1 if token == delimiter else 0
            field_start = match.end()
    return column if quoted else None


def _unbalanced(shown: str, start: int, names: list[str], cells: list[str],
                column: int, to_end: bool) -> Problem:
    """Located where the row starts, named by the cell's column."""
    cell = cells[column] if column < len(cells) else ""
    count = len(cell.rstrip("\n").split("\n"))
    name = names[column] if column < len(names) and names[column] else None
    end = ", to the end of the file" if to_end else ""
    return Problem(shown, start, name, f"unbalanced quote: this cell runs over {count} "
                   f"line{'s' if count != 1 else ''}{end}; close the quote")


def _header(header: list[str] | None, shown: str, delimiter: str = ",",
            open_column: int | None = None) -> list[str]:
    """The column names, checked: no quote left open, the required ones there, none
    twice."""
    if not header or not any(h.strip() for h in header):
        raise BriefgenError([Problem(shown, 1, None, "empty file: expected a header "
                                     f"row with the columns {', '.join(COLUMNS)}")])
    _check_header_quotes(header, shown, delimiter, open_column)
    names = [column_name(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise BriefgenError([Problem(shown, 1, None, f"missing column{plural} "
                                     f"{', '.join(missing)} (the header has: "
                                     f"{', '.join(h.strip() for h in header)})")])
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    if doubled:
        raise BriefgenError([Problem(shown, 1, None, f"column {', '.join(doubled)} "
                                     "appears more than once in the header")])
    return names


def _check_header_quotes(header: list[str], shown: str, delimiter: str,
                         open_column: int | None) -> None:
    """A column name over several lines is a quote left open if it never closes or
    holds a separator (it has swallowed rows); otherwise it is a name of two lines."""
    swallowed = [i for i, h in enumerate(header)
                 if "\n" in h and (i == open_column or delimiter in h)]
    if swallowed:
        count = len(header[swallowed[0]].rstrip("\n").split("\n"))
        raise BriefgenError([Problem(shown, 1, None, "unbalanced quote: header cell "
                                     f"{swallowed[0] + 1} runs over {count} lines; close "
                                     "the quote")])


def _cells(names: list[str], cells: list[str]) -> dict[str, Any]:
    """One row's cells by column; a short row has empty cells, a long one is marked."""
    data: dict[str, Any] = {name: cell.strip() or None
                            for name, cell in zip(names, cells, strict=False) if name}
    if len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
        data["__extra_cells__"] = ";".join(cells[len(names):])
    return data


def _yaml_rows(path: Path, shown: str, text: str) -> Rows:
    source = SourceFile(path, shown)
    problems = parse_yaml(text, source, strings=True)
    if problems:
        raise BriefgenError(problems)
    if not isinstance(source.data, list):
        raise BriefgenError([source.problem((), "expected a list of recipients, one "
                                                 "mapping of columns each")])
    rows: Rows = []
    for i, item in enumerate(source.data):
        line = source.line_of((i,)) or 0
        if not isinstance(item, dict):
            rows.append((line, {"__not_a_mapping__": item}, {}))
            continue
        rows.append((line, {column_name(str(k)): (None if v in ("", "~", "null") else v)
                            for k, v in item.items()},
                     {column_name(str(k)): source.line_of((i, k)) or line for k in item}))
    return rows


# Names become file names: ASCII, so that they survive zip files, mail attachments
# and every file system; Cyrillic and Greek are transliterated.
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўқғүұңөһәјђћљњџѓќѕ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "i", "yi", "ye", "g", "u", "k", "g", "u", "u", "n", "o", "h", "a", "j",
     "d", "c", "lj", "nj", "dz", "g", "k", "dz"], strict=True))
_TRANSLIT.update(dict(zip("αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώ",
                          ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n",
                           "x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o", "a",
                           "e", "i", "i", "o", "y", "o"], strict=True)))
_TRANSLIT.update({"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
                  "œ": "oe", "ı": "i"})


def slug(text: str) -> str:
    out = []
    for char in text.casefold():
        char = _TRANSLIT.get(char, char)
        out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    return re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")


def cut_to_bytes(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut between characters, never inside one."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _fit(base: str, suffix: str = "") -> str:
    """base + suffix within MAX_STEM_BYTES; a base that has to be cut ends in a short
    hash of the whole of it, so that two long names that begin alike stay apart, and
    the same name gives the same file name in every run whatever the other rows."""
    room = MAX_STEM_BYTES - len(suffix.encode("utf-8"))
    if len(base.encode("utf-8")) <= room:
        return base + suffix
    digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:8]
    return f"{cut_to_bytes(base, room - 9).rstrip('-')}-{digest}{suffix}"


def file_stems(recipients: list[Recipient]) -> dict[int, str]:
    """Output file name (without suffix) per row: the id column, else surname-given-name.

    Two people of the same name get -2, -3 in roster order; an id column keeps
    names stable when the roster is re-sorted. A name is cut to MAX_STEM_BYTES
    (ids are refused above it, see Recipient).
    """
    stems: dict[int, str] = {}
    used = {r.id for r in recipients if r.id}
    for r in recipients:
        if r.id:
            stems[r.row] = r.id
            continue
        base = slug(f"{r.surname} {r.given_name or ''}") or f"row-{r.row}"
        stem, n = _fit(base), 1
        while stem in used:
            n += 1
            stem = _fit(base, f"-{n}")
        used.add(stem)
        stems[r.row] = stem
    return stems
