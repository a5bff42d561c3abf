"""Assemblies as data: names, political groups over time, members' title lines.

Users brief on instruments of many assemblies (international and regional
assemblies, national parliaments) and write to their members. What differs between them —
the groups and their abbreviations as they changed over time, the words under a
member's name, whether members sit in national delegations — is a fact about
the assembly, so it lives in one YAML file per assembly (built in:
`briefgen/assemblies/*.yaml`; a project adds `assemblies/<id>.yaml`), never in
code or templates. The file reads like a reference note, with its sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import BriefgenError, Problem, display_path
from .model import DEFAULT_LANGUAGE, Date, Declaration, Id, Letter, Model, PartialDate
from .source_file import SourceFile, load_yaml_file
from .validation import pydantic_problems

GENDERED = ("f", "m", "neutral")
ByGender = dict[Literal[GENDERED], str]  # type: ignore[valid-type]
# A text in several languages: {en: …, fr: …}; where it agrees with the member's
# gender, {fr: {f: …, m: …, neutral: …}}.
LocalText = dict[str, str | ByGender]
PROJECT_FOLDER = "assemblies"


def local(text: LocalText | None, lang: str, gender: str = "neutral",
          fallback: str | None = None) -> str | None:
    """The text in `lang` (else the fallback language), in the form for `gender`."""
    if not text:
        return None
    value = text.get(lang) or (text.get(fallback) if fallback else None)
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(gender) or value.get("neutral") or next(iter(value.values()))
    return value


def _fold(code: str) -> str:
    """'s&d', ' S&D ' and 'S & D' are the same abbreviation."""
    return "".join(code.split()).casefold()


class GroupName(Model):
    """A group's name over one period: its code, full name and other abbreviations."""

    code: str = Field(min_length=1, description="the abbreviation, e.g. 'EC/DA'")
    name: dict[str, str] = Field(default_factory=dict, description="full name per language")
    abbreviation: dict[str, str] = Field(
        default_factory=dict, description="the abbreviation in languages that write it "
                                          "differently, e.g. {fr: PPE/DC}")
    from_: Date | None = Field(None, alias="from")
    until: Date | None = None

    def label(self, lang: str) -> str:
        return self.abbreviation.get(lang, self.code)

    def covers(self, day: PartialDate | None) -> bool:
        """Whether the name was in use on `day` (as far as both are known)."""
        if day is None:
            return True
        if self.from_ is not None and _last_day(day) < self.from_.first_day():
            return False
        return self.until is None or day.first_day() <= _last_day(self.until)


def _last_day(value: PartialDate) -> dt.date:
    if value.is_full:
        return value.first_day()
    if value.month:
        next_month = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)
    return dt.date(value.year, 12, 31)


class Group(GroupName):
    """A political group: today's name, and the names it had before (`former`)."""

    former: list[GroupName] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list,
                               description="other ways people write the code")
    non_attached: bool = Field(False, description="the members in no group (NI, NR): "
                                                  "they are not one another's group")
    sources: list[str] = Field(default_factory=list)

    def names(self) -> list[GroupName]:
        return [self, *self.former]


class Assembly(Model):
    id: Id
    name: dict[str, str] = Field(min_length=1)
    short_name: dict[str, str] = Field(default_factory=dict)
    languages: list[str] = Field(min_length=1)
    fallback_language: str
    delegations: Literal["country", "none"] = Field(
        "country", description="whether members sit in national delegations, so that a "
                               "letter may name the signatories of the member's country")
    member_title: LocalText = Field(description="the line under a member's name")
    roles: dict[str, LocalText] = Field(
        default_factory=dict, description="categories of members (e.g. representative, "
                                          "substitute) and the title line of each")
    office: Literal["deputy", "senator", "member"] = Field(
        "deputy", description="how letters greet members by default (forms of address)")
    forms_of_address: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="per language, greetings that replace the "
                                          "language's own ({f, m, neutral}; {title}, {name})")
    groups: list[Group] = Field(default_factory=list)
    source: str = Field("", exclude=True, description="the file, as shown to users")

    @field_validator("forms_of_address")
    @classmethod
    def _genders(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for forms in value.values():
            wrong = set(forms) - set(GENDERED)
            if wrong:
                raise ValueError(f"expected the keys f, m and neutral, got {sorted(wrong)}")
        return value

    @model_validator(mode="after")
    def _distinct_codes(self) -> Assembly:
        seen: dict[str, str] = {}
        for group in self.groups:
            for text in _spellings(group):
                other = seen.setdefault(_fold(text), group.code)
                if other != group.code:
                    raise ValueError(f"'{text}' names both the {other} and the {group.code} "
                                     "groups; each abbreviation must name one group")
        return self

    # -- what templates and letters ask ------------------------------------------------

    def title(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get(self.fallback_language) or self.id

    def short(self, lang: str) -> str:
        return (self.short_name.get(lang) or self.short_name.get(self.fallback_language)
                or self.title(lang))

    def member_line(self, lang: str, role: str | None = None, gender: str = "neutral") -> str:
        """'Member of the European Parliament', 'Députée au Parlement européen'."""
        text = self.roles.get(role or "") or self.member_title
        return (local(text, lang, gender, self.fallback_language)
                or local(self.member_title, lang, gender, self.fallback_language) or "")

    def find(self, text: str | None) -> tuple[Group, GroupName] | None:
        """The group a code, former code, alias or translated abbreviation names."""
        if not text:
            return None
        key = _fold(text)
        for group in self.groups:
            for name in group.names():
                if key in {_fold(s) for s in (name.code, *name.abbreviation.values())}:
                    return group, name
            if key in {_fold(a) for a in group.aliases}:
                return group, group
        return None

    def label(self, text: str, lang: str) -> str:
        """A group as written in content, in the output language's abbreviation."""
        found = self.find(text)
        if found is None:
            return text
        group, name = found
        if _fold(text) in {_fold(a) for a in group.aliases}:
            return text
        return name.label(lang)

    def current(self, on: PartialDate | None = None) -> list[Group]:
        """The groups on a day; without one, today's (those with no end date)."""
        if on is None:
            return [g for g in self.groups if g.until is None]
        return [g for g in self.groups if g.covers(on)]

    def codes(self, on: PartialDate | None = None) -> str:
        """The groups as a reader would list them: 'EPP, S&D, …'."""
        return ", ".join(n.code for g in self.groups for n in g.names() if n.covers(on))


def _spellings(group: Group) -> list[str]:
    return [s for n in group.names() for s in (n.code, *n.abbreviation.values())] + group.aliases


# -- loading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssemblyEntry:
    assembly: Assembly
    origin: Literal["built-in", "project"]
    replaces_builtin: bool = False


def builtin_dir() -> Path:
    return Path(str(resources.files("briefgen") / "assemblies"))


def _read(path: Path, shown: str, within: tuple[Path, ...],
          problems: list[Problem]) -> Assembly | None:
    source: SourceFile
    source, found = load_yaml_file(path, shown, within=within)
    if found:
        problems += found
        return None
    if not isinstance(source.data, dict):
        problems.append(source.problem((), "expected a mapping of fields (id, name, …)"))
        return None
    try:
        assembly = Assembly.model_validate(source.data)
    except ValidationError as exc:
        problems += pydantic_problems(source, exc)
        return None
    if assembly.id != path.stem:
        problems.append(source.problem(("id",), f"'{assembly.id}', but the file is named "
                                                f"'{path.name}': name it {assembly.id}.yaml"))
        return None
    return assembly.model_copy(update={"source": shown})


MAX_ASSEMBLY_FILES = 200


def load_assemblies(project_dir: Path | None) -> dict[str, AssemblyEntry]:
    """Built-in assemblies, then the project's (which may replace a built-in one)."""
    problems: list[Problem] = []
    entries: dict[str, AssemblyEntry] = {}
    root = builtin_dir()
    for path in sorted(root.glob("*.yaml")):
        assembly = _read(path, f"briefgen/assemblies/{path.name}", (root,), problems)
        if assembly is not None:
            entries[assembly.id] = AssemblyEntry(assembly, "built-in")
    if project_dir is None:
        return entries
    folder = project_dir / PROJECT_FOLDER
    paths = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    if len(paths) > MAX_ASSEMBLY_FILES:
        raise BriefgenError([Problem(display_path(folder, project_dir), None, None,
                                     f"{len(paths)} files; at most {MAX_ASSEMBLY_FILES}")])
    for path in paths:
        assembly = _read(path, display_path(path, project_dir), (project_dir,), problems)
        if assembly is not None:
            entries[assembly.id] = AssemblyEntry(assembly, "project",
                                                 replaces_builtin=assembly.id in entries)
    if problems:
        raise BriefgenError(problems)
    return entries


def describe_assemblies(project_dir: Path) -> list[str]:
    """`briefgen assembly list`: one block per assembly, today's groups, then older names."""
    lines = []
    for key, entry in sorted(load_assemblies(project_dir).items()):
        a = entry.assembly
        origin = entry.origin + (" (replaces the built-in one)" if entry.replaces_builtin
                                 else "")
        lines.append(f"{key:<22} {origin:<9} {a.title(DEFAULT_LANGUAGE)} "
                     f"({a.short(DEFAULT_LANGUAGE)}); "
                     f"languages: {', '.join(a.languages)}; file: {a.source}")
        today = [g.code for g in a.groups if g.until is None]
        older = [n.code for g in a.groups for n in g.names() if n.until is not None]
        lines.append(f"{'':<22} groups: {', '.join(today) or 'none'}")
        if older:
            lines.append(f"{'':<22} earlier groups and names: {', '.join(older)}")
        if a.roles:
            lines.append(f"{'':<22} member roles: {', '.join(a.roles)}")
    return lines


def unknown_assembly(name: str, entries: dict[str, AssemblyEntry]) -> str:
    return (f"unknown assembly '{name}'; known: {', '.join(sorted(entries))} (add your own "
            f"as {PROJECT_FOLDER}/{name}.yaml: see README, Assemblies)")


# -- checking content against its assembly -------------------------------------------------


def check_assembly(declaration: Declaration | None, declaration_file: SourceFile | None,
                   letter: Letter | None, letter_file: SourceFile | None,
                   entries: dict[str, AssemblyEntry]) -> tuple[Assembly | None, list[Problem]]:
    """The declaration's assembly (None when a file failed or names none), and every
    group it names checked against it."""
    problems: list[Problem] = []
    assembly = None
    if letter is not None and letter.assembly and letter.assembly not in entries:
        assert letter_file is not None
        problems.append(letter_file.problem(("assembly",),
                                            unknown_assembly(letter.assembly, entries)))
    if declaration is None or declaration_file is None:
        return None, problems
    if declaration.assembly is None:
        return None, problems
    entry = entries.get(declaration.assembly)
    if entry is None:
        problems.append(declaration_file.problem(("assembly",),
                                                 unknown_assembly(declaration.assembly,
                                                                  entries)))
        return None, problems
    assembly = entry.assembly
    for loc, text in declaration.groups_named():
        if assembly.find(text) is None:
            on = declaration.date
            when = f" on {on}" if on else ""
            problems.append(declaration_file.problem(
                loc, f"'{text}' is not a political group of the "
                     f"{assembly.title(DEFAULT_LANGUAGE)}; its "
                     f"groups{when}: {assembly.codes(on) or 'none listed'} (from "
                     f"{assembly.source}; {_how_to_add(assembly)})"))
    return assembly, problems


def _how_to_add(assembly: Assembly) -> str:
    if assembly.source.startswith("briefgen/"):
        return (f"to add a group, copy that file to {PROJECT_FOLDER}/{assembly.id}.yaml "
                "in the project and edit the copy")
    return "a group it lacks can be added there"


def anachronisms(declaration: Declaration | None, declaration_file: SourceFile | None,
                 assembly: Assembly | None) -> list[Problem]:
    """Groups named that did not exist (under that name) on the instrument's date: a
    warning, since the dates of renamings are often uncertain."""
    if declaration is None or assembly is None or declaration_file is None:
        return []
    warnings = []
    for loc, text in declaration.groups_named():
        found = assembly.find(text)
        if found and declaration.date and not found[1].covers(declaration.date):
            name = found[1]
            span = " – ".join(str(d) for d in (name.from_, name.until) if d)
            warnings.append(declaration_file.problem(
                loc, f"'{text}' was not the name of a group on {declaration.date} "
                     f"({name.code}: {span}); check the date or the group"))
    return warnings
