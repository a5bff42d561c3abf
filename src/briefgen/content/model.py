"""The content model: the facts of a brief, independent of any template or format.

One schema, declared once with pydantic, is the contract between the people who
write content files and the templates that present them. Unknown fields are
errors (a misspelt `sentense:` must not vanish silently), and every Markdown
field is kept as source text: rendering belongs to the render stage.

Files and what they hold (all under `content/`):

- `brief.yaml`        -> Brief
- `declaration.yaml`  -> Declaration (with related documents such as resolutions)
- `events.yaml`       -> list[Event]             (optional)
- `cases/*.md`        -> Case, front matter + narrative
- `sanctions.yaml`    -> Sanctions               (optional)
- `sources.yaml`      -> list[Source]            (optional)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .languages import DEFAULT_LANGUAGE, known_language
from .validation import pattern


class MarkdownText:
    """Marks a field as Markdown, so citations in it can be found and checked."""


Markdown = Annotated[str, MarkdownText()]
"""Markdown text; may cite sources as [@source-id] or [@a; @b]."""

ID_PATTERN = pattern(r"^[a-z0-9][a-z0-9._-]*$",
                     "an id of lower-case letters, digits, '.', '_' or '-'")
Id = Annotated[str, Field(pattern=ID_PATTERN)]
# Addresses a reader follows from the brief: the web or an email address, written in
# full. A relative address would point into the build folder of whoever builds it;
# file:, data: or javascript: would open something on the reader's machine.
WEB_ADDRESS = pattern(r"^(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s]+)?$",
                      "a full address starting with https:// or http:// (or mailto:); "
                      "copy it from the browser's address bar")
WebAddress = Annotated[str, Field(pattern=WEB_ADDRESS, max_length=2000)]

Language = Annotated[str, AfterValidator(known_language)]
"""A language code with a catalog file, shipped or the project's (i18n/<code>.yaml)."""

ROLES = (
    "journalist", "activist", "human-rights-defender", "monitor", "judge",
    "opposition-leader", "opposition-activist", "political-prisoner", "protester",
    "lawyer", "blogger", "trade-unionist", "politician", "academic", "religious-believer",
    "organisation", "political-party", "unknown", "other",
)
STATUSES = (
    "sentenced", "imprisoned", "detained", "prosecuted", "expelled", "released",
    "acquitted", "house-arrest", "in-exile", "harassed", "banned", "missing", "deceased",
    "unknown", "other",
)
GENDERS = ("f", "m", "x")
Role = Literal[ROLES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Gender = Literal[GENDERS]  # type: ignore[valid-type]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Sources often say "in January 2019" or "between February and March 2019";
    forcing a full date would mean inventing a day.
    """

    year: int
    month: int | None = None
    day: int | None = None

    _PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
        match = cls._PATTERN.match(value.strip())
        if not match:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '{value}'")
        year = int(match.group(1))
        month, day = (int(g) if g else None for g in match.groups()[1:])
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date ({exc})") from None
        return cls(year, month, day)

    @property
    def is_full(self) -> bool:
        return self.month is not None and self.day is not None

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def __str__(self) -> str:
        return self.iso()


Date = Annotated[PartialDate, BeforeValidator(PartialDate.parse)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              arbitrary_types_allowed=True)


class Contact(Model):
    email: str | None = None
    phone: str | None = None
    website: WebAddress | None = None
    address: str | None = None


class Organisation(Model):
    name: str
    contact: Contact | None = None
    logo: str | None = Field(None, description="image path relative to the project")
    logo_alt: str | None = Field(None, description="alt text; required with a logo")


class Ask(Model):
    """One thing a parliamentarian can do."""

    title: str
    text: Markdown | None = None


class CoverImage(Model):
    """A picture for the cover: described for readers who cannot see it, and credited,
    because a photograph of a protest or a prisoner is someone's work and someone's face."""

    file: str = Field(description="image path relative to the project")
    alt: str = Field(min_length=1, description="the picture described in words")
    credit: str | None = Field(None, description="photographer or source, printed beside it")


class Brief(Model):
    title: str
    subtitle: str | None = None
    date: Date
    # the publication's own identity: printed on the cover, the back page and every
    # stand-alone sheet, so a page handed out alone still says who made it and when
    report_number: str | None = None
    as_of: Date | None = Field(None, description="the date the information is current to")
    method: Markdown | None = Field(None, description="how the brief was researched")
    licence: str | None = None  # e.g. CC BY 4.0
    cover_image: CoverImage | None = None
    language: Language = DEFAULT_LANGUAGE
    organisations: list[Organisation] = Field(min_length=1)
    summary: Markdown
    key_asks: list[Markdown] = Field(default_factory=list,
                                     description="short lines for the summary box")
    asks: list[Ask] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    url: WebAddress | None = None


class Person(Model):
    """A named person as a parliamentary document lists them."""

    name: str
    title: str | None = None  # Mr, Ms, Lord …
    country: str | None = None
    group: str | None = None  # political group, by the code its assembly uses
    position: str | None = None


class Signatories(Model):
    """Either a full list, only a count, or both (with a note on any difference)."""

    total: int | None = Field(None, ge=0)
    listed: list[Person] = Field(default_factory=list)
    note: Markdown | None = None


class Quote(Model):
    text: str
    sources: list[Id] = Field(default_factory=list)


class RelatedDocument(Model):
    """A resolution or statement the declaration builds on."""

    id: Id
    kind: str
    body: str
    title: str
    number: str | None = None
    reference: str | None = None
    date: Date | None = None
    summary: Markdown | None = None
    sources: list[Id] = Field(default_factory=list)


INSTRUMENT_KINDS = (
    "written-declaration", "resolution", "recommendation", "opinion", "motion",
    "early-day-motion", "bill", "joint-statement", "report", "other",
)
InstrumentKind = Literal[INSTRUMENT_KINDS]  # type: ignore[valid-type]
INSTRUMENT_STATUSES = ("tabled", "adopted", "rejected", "withdrawn", "lapsed")
InstrumentStatus = Literal[INSTRUMENT_STATUSES]  # type: ignore[valid-type]
# A text in the brief's language, or in several: {en: …, fr: …}.
LocalText = str | dict[str, str]


class TabledBy(Model):
    """Who tabled or sponsors the instrument: people, political groups, a committee,
    states, in any mix (a resolution tabled by groups names no person)."""

    people: list[Person] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list,
                              description="political groups, by the assembly's codes")
    committee: str | None = None
    states: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _one_person(cls, value: Any) -> Any:
        """`tabled_by: {name: …, country: …}` (one person) and a list of people read as
        the people who tabled it, as older projects write it."""
        if isinstance(value, dict) and "name" in value:
            return {"people": [value]}
        if isinstance(value, list):
            return {"people": value}
        return value

    @model_validator(mode="after")
    def _someone(self) -> TabledBy:
        if not (self.people or self.groups or self.committee or self.states):
            raise ValueError("name who tabled it: people (name, country, group), groups, "
                             "committee or states")
        return self


class Vote(Model):
    """A recorded vote; leave out any figure the sources do not give."""

    model_config = ConfigDict(populate_by_name=True)
    date: Date | None = None
    in_favour: int | None = Field(None, ge=0, alias="for")
    against: int | None = Field(None, ge=0)
    abstentions: int | None = Field(None, ge=0)
    note: str | None = Field(None, description="e.g. 'adopted by a show of hands'")


class Declaration(Model):
    """The instrument the brief is about: a written declaration, a resolution, a bill…

    The class keeps its first name (content files and templates call it the
    declaration), but nothing in it is specific to written declarations.
    """

    assembly: Id | None = Field(None, description="the assembly, by the id of its file "
                                                  "(`briefgen assembly list`)")
    kind: InstrumentKind
    kind_name: LocalText | None = Field(
        None, description="a more precise name for the kind, e.g. 'urgency resolution'")
    heading: LocalText | None = Field(
        None, description="the section heading, when 'The resolution' is not the right one")
    number: str | None = None
    reference: str | None = None
    procedure: str | None = Field(None, description="the procedure reference, "
                                                    "e.g. 2019/2610(RSP)")
    adopted_text: str | None = Field(None, description="the adopted text's reference, "
                                                       "e.g. P8_TA(2019)0203")
    title: str
    date: Date | None = None
    updated: Date | None = None
    session: str | None = None
    status: InstrumentStatus | None = None
    status_date: Date | None = None
    vote: Vote | None = None
    tabled_by: TabledBy
    signatories: Signatories = Field(default_factory=Signatories)
    supporting_groups: list[str] = Field(default_factory=list)
    supporting_countries: list[str] = Field(default_factory=list)
    summary: Markdown
    quotes: list[Quote] = Field(default_factory=list)
    text: Markdown | None = None
    sources: list[Id] = Field(default_factory=list)
    related: list[RelatedDocument] = Field(default_factory=list)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_of_ones_own(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() not in INSTRUMENT_KINDS:
            raise ValueError(
                f"expected one of {', '.join(INSTRUMENT_KINDS)}, got {value!r}; for a kind "
                f"of your own, write `kind: other` and `kind_name: {value.strip()}`")
        return value

    def groups_named(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every political group the file names, with where: each must be one of the
        assembly's groups."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        found += [(("tabled_by", "people", i, "group"), p.group)
                  for i, p in enumerate(self.tabled_by.people) if p.group]
        found += [(("tabled_by", "groups", i), g) for i, g in enumerate(self.tabled_by.groups)]
        found += [(("signatories", "listed", i, "group"), p.group)
                  for i, p in enumerate(self.signatories.listed) if p.group]
        found += [(("supporting_groups", i), g) for i, g in enumerate(self.supporting_groups)]
        return found


class Event(Model):
    """A dated happening around the declaration, such as a side-event."""

    id: Id
    title: str
    date: Date | None = None
    period: str | None = None
    place: str | None = None
    organisers: list[str] = Field(default_factory=list)
    participants: list[Person] = Field(default_factory=list)
    description: Markdown | None = None
    sources: list[Id] = Field(default_factory=list)


class CaseEvent(Model):
    date: Date
    until: Date | None = None
    text: Markdown
    status: Status | None = Field(
        None, description="the case's status after this event (e.g. released), so that "
                          "`check` can tell when the case's own status is out of date")


class Case(Model):
    """One person or group; the Markdown body of the case file is the narrative."""

    id: Id
    name: str
    # keyed by a language with a catalog: the key picks the form a document in that
    # language prints, and becomes the lang="" of the form in every other language
    other_names: dict[Language, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict, description="the name in other scripts, keyed by language code")
    kind: Literal["person", "group"] = "person"
    members: list[str] = Field(default_factory=list)
    gender: Gender | None = Field(
        None, description="f, m or x: for languages whose words for role and status agree "
                          "with it (journaliste, détenue); neutral forms when not given")
    role: Role
    status: Status
    status_as_of: Date | None = Field(
        None, description="the date the status is known to be true as of; shown beside it")
    country: str | None = None
    events: list[CaseEvent] = Field(default_factory=list)
    charges: list[str] = Field(default_factory=list)
    sentence: str | None = None
    bodies: list[str] = Field(default_factory=list,
                              description="bodies involved, e.g. UN human rights bodies")
    related_people: list[Person] = Field(default_factory=list)
    photo: str | None = Field(None, description="image path inside the project")
    photo_alt: str | None = Field(None, description="the photo described in words; required")
    asks: list[Markdown] = Field(default_factory=list,
                                 description="what is asked for this case (case sheets); "
                                             "the brief's key asks when empty")
    sources: list[Id] = Field(default_factory=list)
    narrative: Markdown = ""

    @field_validator("members")
    @classmethod
    def _members_named(cls, value: list[str]) -> list[str]:
        if any(not m for m in value):
            raise ValueError("member names must not be empty")
        return value


class Measure(Model):
    id: Id
    title: str
    description: Markdown | None = None
    sources: list[Id] = Field(default_factory=list)


class Instrument(Model):
    id: Id
    title: str
    jurisdiction: str
    date: Date | None = None
    description: Markdown | None = None
    sources: list[Id] = Field(default_factory=list)


class Regime(Model):
    """A targeted-sanctions regime a submission can be made under.

    A sanctions submission is addressed to one jurisdiction's listing authority and
    has to show that the conduct meets that regime's own legal test: the same facts
    can meet the EU's criteria and not the UK's. So each regime carries what it
    covers (`criteria`) and what it does (`measures`), in the regime's own terms and
    with sources, and each target says which criterion it meets (TargetCriterion).
    An `Instrument` is the broader idea of any law or resolution that provides for
    sanctions (including recommendations such as an assembly's resolution); a Regime is
    one that can actually list a person.
    """

    id: Id
    title: str = Field(description="full title, e.g. 'Global Magnitsky Human Rights "
                                   "Accountability Act, as implemented by Executive "
                                   "Order 13818'")
    short_title: str | None = Field(
        None, description="for narrow places such as table cells, naming the jurisdiction "
                          "(e.g. 'US Global Magnitsky Act'); defaults to title and jurisdiction")
    jurisdiction: str
    authority: str | None = Field(
        None, description="who lists a person, to whom a submission is addressed")
    criteria: Markdown = Field(description="the conduct the regime covers and the test "
                                           "applied, as its sources state them")
    measures: Markdown | None = Field(None, description="what listing does, e.g. asset "
                                                        "freeze and travel ban")
    sources: list[Id] = Field(default_factory=list)


class TargetCriterion(Model):
    """Which legal criterion of one regime the target's conduct meets.

    This is the submitting organisation's analysis, not a sourced fact: write it as
    such ("the conduct described would fall under …"). `regime` must be the id of a
    regime in `regimes:`; the check reports any other value with both ends.
    """

    regime: Id
    text: Markdown


class Evidence(Model):
    """One piece of evidence for the conduct, with the sources that carry it.

    A submission stands on its evidence, so an item without a source is refused:
    an unsourced statement belongs in `conduct`, where it reads as a description.
    """

    text: Markdown
    sources: list[Id] = Field(min_length=1)


class TargetCategory(Model):
    """A category of officials to sanction; named officials only where a source names them.

    The optional fields below turn a category into a per-target record of a
    sanctions submission (the `dossier` template): identity as known, position and
    institution, conduct, the legal criteria met under each regime, and the
    evidence. Leave `position` and `institution` out unless a source states them;
    a template shows their absence rather than a guess.
    """

    id: Id
    category: str
    description: Markdown | None = None
    identity: Markdown | None = Field(
        None, description="who the target is, as far as the sources say; where they "
                          "name no one, say so")
    position: str | None = Field(None, description="post held, only if a source gives it")
    institution: str | None = Field(
        None, description="organisation or unit, only if a source gives it")
    conduct: Markdown | None = Field(
        None, description="what the target did: what, when, where, to whom")
    cases: list[Id] = Field(default_factory=list)
    measures: list[Id] = Field(default_factory=list)
    instruments: list[Id] = Field(default_factory=list)
    criteria: list[TargetCriterion] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)


class Sanctions(Model):
    summary: Markdown | None = None
    measures: list[Measure] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    regimes: list[Regime] = Field(
        default_factory=list, description="regimes a submission is made under "
                                          "(the dossier template)")
    targets: list[TargetCategory] = Field(default_factory=list)


class Source(Model):
    id: Id
    title: str
    publisher: str | None = None
    date: Date | None = None
    url: WebAddress = ""
    note: str | None = None
    # The short form a Word footnote gives when the source is cited again (the first
    # citation gives the full reference); both optional, see render/notes.py.
    short_title: str | None = Field(None, description="the title in a repeated Word "
                                    "footnote; by default the title cut to fit")
    short_publisher: str | None = Field(None, description="the publisher in a repeated "
                                        "Word footnote, e.g. 'ODF'; by default the "
                                        "publisher")


class Content(Model):
    """Everything one project says; the single input of every template."""

    brief: Brief
    declaration: Declaration
    events: list[Event] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    sanctions: Sanctions = Field(default_factory=Sanctions)
    sources: list[Source] = Field(default_factory=list)
    letter: Letter | None = None


# Letters (content/letter.yaml): the wording is content, edited by advocacy officers;
# which paragraph a member receives is the letter template's decision.
LETTER_PLACEHOLDERS = {
    "names": "the signatories named, e.g. 'A, B and C'",
    "count": "how many signatories are named",
    "country": "the recipient's country, as written in the recipients file",
    "group": "the recipient's political group, e.g. SOC",
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # {names} in a letter's text


class LetterText(Model):
    """The letter in one language."""

    subject: str
    opening: Markdown
    thanks: Markdown | None = Field(None, description="for members who signed")
    delegation: Markdown | None = Field(None, description="for members who did not sign, "
                                        "when members of their delegation did: {names}")
    group: Markdown | None = Field(None, description="for members who did not sign, when "
                                   "members of their political group did: {names}, {group}")
    asks_intro: str | None = None
    asks: list[Markdown] = Field(default_factory=list)
    closing: Markdown | None = None

    @field_validator("subject", "opening", "thanks", "delegation", "group", "asks_intro",
                     "closing", "asks")
    @classmethod
    def _known_placeholders(cls, value: str | list[str] | None) -> str | list[str] | None:
        texts = value if isinstance(value, list) else [value or ""]
        for name in (n for text in texts for n in PLACEHOLDER.findall(text)):
            if name not in LETTER_PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {{{name}}}; available: "
                                 + ", ".join(f"{{{p}}}" for p in LETTER_PLACEHOLDERS))
        return value


class Signature(Model):
    name: str
    role: str | None = None


class Letter(Model):
    """content/letter.yaml: one letter, written once per language.

    `text` may be empty in the file: the loader adds each content/letter.<lang>.yaml
    (letter_texts.py) and requires one text in all."""

    date: Date | None = Field(None, description="printed on every letter; default: today")
    assembly: Id | None = Field(None, description="the assembly the recipients sit in; "
                                                  "default: the declaration's")
    signatures: list[Signature] = Field(min_length=1)
    text: dict[Language, LetterText] = Field(default_factory=dict)

    def language_for(self, asked: str, *fallbacks: str | None) -> str:
        """The language a member's letter is written in: theirs if the letter has it,
        else the first fallback it has, else its first. A letter is wholly in one
        language, so its greeting and closing follow this, not the member's."""
        return next((lang for lang in (asked, *fallbacks) if lang in self.text),
                    next(iter(self.text)))

Content.model_rebuild()
