"""`briefgen check` as a reviewer: what is valid but not yet right.

Validation (content/) stops on what cannot be built. A project can build and
still not be ready to send: the publisher is still "Your Organisation", the
letters would go to "Alex Example", the letter still speaks of the example's
declaration, a source is listed that nothing cites, a case reads "detained" while
its own timeline says "released", a template would leave out a section for lack
of content. A newcomer who started from the example (`briefgen init`) has all of
these at once and no one to read over their shoulder, so `check` lists them as a
colleague would, each with its file, line and field, saying what to replace or
add. They are warnings: the build goes on (`check --strict` makes them errors,
for a script that must not send an unfinished brief).

Each review reads the content as loaded and validated; none of them changes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .content.loader import LoadedContent
from .content.model import Case, PartialDate
from .content.references import cited_sources
from .content.source_file import FieldPath, SourceFile, format_loc, load_yaml_file
from .errors import BriefgenError, Problem
from .render.needs import gaps
from .render.templates import TemplateSpec

# -- placeholders --------------------------------------------------------------------------

# Text the example marks as to be replaced, and names no real publisher has.
_PLACEHOLDER_TEXT = re.compile(
    r"\((?:replace|remplacez|remplacer)\b[^)]*\)"
    r"|\b(?:Your (?:Organisation|Organization|Name|coalition)|Votre (?:organisation|nom))\b")
# example.org, .com and .net are reserved for examples (RFC 2606): no reader reaches them.
_EXAMPLE_ADDRESS = re.compile(
    r"[^\s<>()\[\]{}\"'`,;]*\bexample\.(?:org|com|net)\b[^\s<>()\[\]{}\"'`,;]*", re.I)
_ADVICE = {
    "email": "your own email address",
    "website": "your own web address",
    "url": "the real web address, or remove the line",
    "name": "the real name",
    "report_number": "your own report number, or remove the line",
    "licence": "the terms on which you publish it (e.g. CC BY 4.0), or remove the line",
}


def _advice(loc: FieldPath) -> str:
    names = [part for part in loc if isinstance(part, str)]
    if "signatures" in names and names[-1] == "name":
        return "the name of the person who signs"
    if ("organisations" in names and names[-1] == "name") or names[-1:] == ["organisation"]:
        return "the name of the publishing organisation"
    return _ADVICE.get(names[-1] if names else "", "your own text")


def _strings(value: Any, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i))


def _placeholder(text: str) -> str | None:
    """What in the text is a placeholder, as a message; None when nothing is."""
    found = _PLACEHOLDER_TEXT.search(text)
    if found:
        whole = text.strip() if len(text.strip()) <= 80 else found.group(0)
        return f"placeholder '{whole}' left in"
    address = _EXAMPLE_ADDRESS.search(text)
    if address:
        shown = address.group(0).rstrip(".:!?")
        kind = "email address" if "@" in shown else "web address"
        domain = re.search(r"example\.(?:org|com|net)", shown, re.I)
        reserved = domain.group(0).lower() if domain else "example.org"
        return f"'{shown}' is an example {kind} ({reserved} is reserved for examples)"
    return None


def placeholders(files: Iterable[SourceFile]) -> list[Problem]:
    """Placeholder text and example addresses in any field or narrative (not in
    comments: the example's comments may speak of placeholders)."""
    problems = []
    for source in files:
        for loc, text in _strings(source.data):
            found = _placeholder(text)
            if found:
                problems.append(source.problem(loc, f"{found}: put {_advice(loc)}"))
        for i, line in enumerate((source.body or "").split("\n")):
            found = _placeholder(line)
            if found:
                problems.append(Problem(source.shown, source.body_line + i, None,
                                        f"{found}: replace it with your own text"))
    return problems


# -- what was copied from the example ---------------------------------------------------------


def _example_root() -> Path | None:
    from .example import example_dir

    try:
        return example_dir()
    except BriefgenError:
        return None  # an installation without the example: nothing to compare with


def _raw(root: Path, stem: str) -> Any:
    """A content file of the example as plain data (None if it cannot be read)."""
    path = root / "content" / f"{stem}.yaml"
    if not path.is_file():
        return None
    source, problems = load_yaml_file(path, stem, within=(root,))
    return None if problems else source.data


def _words(text: Any) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _another_declaration(declaration: SourceFile, example: Path, project_root: Path) -> bool:
    """Whether the project's declaration is not the example's (by its title as written)."""
    if example.resolve() == project_root.resolve():
        return False
    theirs = _raw(example, "declaration")
    if not isinstance(theirs, dict) or not isinstance(declaration.data, dict):
        return False
    return _words(theirs.get("title")) != _words(declaration.data.get("title"))


_Compared = tuple[SourceFile, FieldPath, dict[str, Any], dict[str, Any]]


def _letter_texts(loaded: LoadedContent, example: Path) -> Iterator[_Compared]:
    """(file, where in it, the project's text, the example's text) for each language both
    have: in letter.yaml's `text:`, and in each content/letter.<lang>.yaml."""
    letter = loaded.files["letter"]
    raw = _raw(example, "letter")
    ours = letter.data.get("text") if isinstance(letter.data, dict) else None
    theirs = raw.get("text") if isinstance(raw, dict) else None
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for lang, text in ours.items():
            if isinstance(text, dict) and isinstance(theirs.get(lang), dict):
                yield letter, ("text", lang), text, theirs[lang]
    for key, source in loaded.files.items():
        example_text = _raw(example, key) if key.startswith("letter.") else None
        if isinstance(source.data, dict) and isinstance(example_text, dict):
            yield source, (), source.data, example_text


def example_letter(loaded: LoadedContent, project_root: Path) -> list[Problem]:
    """The letter still in the example's words while the declaration is another: every
    member would receive a letter about the example's declaration. (While the project's
    declaration is still the example's, the example's letter is the right one.)"""
    letter = loaded.files.get("letter")
    declaration = loaded.files.get("declaration")
    example = _example_root()
    if letter is None or declaration is None or example is None \
            or not _another_declaration(declaration, example, project_root):
        return []
    problems = []
    for source, where, text, theirs in _letter_texts(loaded, example):
        same = [name for name in ("subject", "opening") if _words(text.get(name))
                and _words(text.get(name)) == _words(theirs.get(name))]
        if same:
            problems.append(Problem(
                source.shown, source.line_of((*where, same[0])), format_loc(where),
                f"still the example's letter (its {' and '.join(same)}), which names the "
                f"example's declaration, while {declaration.shown} holds another: write "
                "the letter for yours"))
    return problems


RECIPIENTS_FILES = ("recipients.csv", "recipients.yaml", "recipients.yml")


def default_recipients(project_root: Path) -> Path | None:
    """The recipients file a project keeps beside its content, if it has one."""
    for name in RECIPIENTS_FILES:
        path = project_root / "content" / name
        if path.is_file():
            return path
    return None


Row = tuple[int, dict[str, Any], tuple[str, int | None]]  # number, cells, (file, line)


def _rows(path: Path, root: Path) -> list[Row]:
    """Every row of a recipients file, valid or not, where the batch would name it
    ("recipients.csv, row 3", or the YAML file and line)."""
    from .batch.recipients import load_recipients

    roster = load_recipients(path, root)
    rows = [(r.row, r.model_dump(), roster.where(r.row)) for r in roster.recipients]
    rows += [(r.row, r.data, roster.where(r.row)) for r in roster.rejected]
    return sorted(rows, key=lambda row: row[0])


def _who(cells: dict[str, Any]) -> str:
    return " ".join(str(cells.get(k) or "") for k in ("given_name", "surname")).strip()


def _example_people() -> tuple[set[str], set[str]]:
    """The names and emails of the example's recipients."""
    example = _example_root()
    sample = default_recipients(example) if example is not None else None
    if example is None or sample is None:
        return set(), set()
    try:
        rows = _rows(sample, example)
    except BriefgenError:
        return set(), set()
    names = {_who(cells).casefold() for _row, cells, _where in rows}
    emails = {str(cells.get("email") or "").casefold() for _row, cells, _where in rows}
    return names - {""}, emails - {""}


def example_recipients(path: Path, project_root: Path, given: bool) -> list[Problem]:
    """Rows of the example's recipients file still in this one, one warning per row:
    a batch would write to them. A file named on the command line must be readable;
    the project's own is only reviewed (`batch` reports its problems)."""
    try:
        rows = _rows(path, project_root)
    except BriefgenError as exc:
        if given:
            raise
        return [Problem(p.file, p.line, p.field, f"{p.message} (the letters batch reads "
                        "this file)") for p in exc.problems]
    names, emails = _example_people()
    problems = []
    for _row, cells, (where, line) in rows:
        who, email = _who(cells), str(cells.get("email") or "")
        if who.casefold() in names or email.casefold() in emails:
            problems.append(Problem(where, line, None, f"example recipient {who!r} "
                                    f"({email or 'no email'}) is still in the file: "
                                    "replace the example rows with the members you write to"))
        elif _EXAMPLE_ADDRESS.fullmatch(email):
            problems.append(Problem(where, line, "email", f"'{email}' is an example email "
                                    "address: put the member's own, or leave the cell empty"))
    return problems


# -- sources ----------------------------------------------------------------------------------


def uncited_sources(loaded: LoadedContent) -> list[Problem]:
    """A source in sources.yaml that nothing cites: the file's own rule is that every
    source listed is cited somewhere."""
    content = loaded.content
    models: list[Any] = [content.brief, content.declaration, *content.events,
                         *content.cases, content.sanctions, content.letter]
    cited = {source_id for model in models if model is not None
             for source_id, _where in cited_sources(model)}
    file = loaded.files.get("sources")
    if file is None:
        return []
    return [file.problem((i, "id"), f"source '{source.id}' is cited nowhere: cite it as "
                                    f"[@{source.id}] where the text relies on it, or remove "
                                    "it (every source listed must be cited)")
            for i, source in enumerate(content.sources) if source.id not in cited]


# -- case statuses ------------------------------------------------------------------------------


def _last_day(date: PartialDate) -> tuple[int, int, int]:
    """The end of the period a partial date names: '2019-08' ends on 31 August."""
    import calendar

    month = date.month or 12
    day = date.day or calendar.monthrange(date.year, month)[1]
    return date.year, month, day


def _first_day(date: PartialDate) -> tuple[int, int, int]:
    return date.year, date.month or 1, date.day or 1


def stale_status(case: Case, source: SourceFile) -> Problem | None:
    """The case's status, against the status its own timeline gives after its latest
    event that gives one. An event is later than `status_as_of` only if it begins after
    the whole period status_as_of names (2019-08-20 is not later than "2019-08")."""
    dated = [(i, event) for i, event in enumerate(case.events) if event.status is not None]
    if not dated:
        return None
    i, latest = max(dated, key=lambda pair: (_first_day(pair[1].date), pair[0]))
    if latest.status == case.status:
        return None
    as_of = case.status_as_of
    if as_of is not None and _first_day(latest.date) <= _last_day(as_of):
        return None
    event_line = source.line_of(("events", i, "status"))
    since = f"later than status_as_of {as_of}" if as_of else "and no status_as_of is given"
    return source.problem(
        ("status",), f"'{case.status}', but the timeline says '{latest.status}' after the "
                     f"event of {latest.date} (line {event_line}), {since}: set status: "
                     f"{latest.status} and status_as_of: {latest.date.iso()} if that is still "
                     "so, or correct the event's status")


def stale_statuses(loaded: LoadedContent) -> list[Problem]:
    problems = []
    for case in loaded.content.cases:
        source = loaded.files.get(f"case:{case.id}")
        problem = stale_status(case, source) if source is not None else None
        if problem is not None:
            problems.append(problem)
    return problems


# -- all together ---------------------------------------------------------------------------------


def review(loaded: LoadedContent, project_root: Path, spec: TemplateSpec | None = None,
           recipients: Path | None = None, settings: SourceFile | None = None
           ) -> list[Problem]:
    """Every warning a reviewer would write on the project, by file and line.

    `spec`: the template whose empty sections to report (its required ones are
    errors, reported by the build, not here). `recipients`: the recipients file to
    review, else the project's content/recipients.csv (or .yaml) if there is one.
    `settings`: briefgen.yaml as read (its theme prints an organisation's name)."""
    files = [*loaded.files.values(), *([settings] if settings is not None else [])]
    problems = placeholders(files) + example_letter(loaded, project_root)
    problems += uncited_sources(loaded) + stale_statuses(loaded)
    path = recipients or default_recipients(project_root)
    if path is not None:
        problems += example_recipients(path, project_root, given=recipients is not None)
    if spec is not None:
        problems += [gap.problem() for gap in gaps(spec.sections, spec.name, loaded)
                     if not gap.need.required]
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line or 0))
