"""One batch's letters: what the parent process and every worker hold to make any letter.

A `LetterBatch` is a pipeline session over the project plus the batch's own
settings (template, formats, output folder, the letter's date, the handouts of
a pack). The parent makes one, makes the first letter with it (warming
WeasyPrint's CSS and fonts and the compiled templates) and lets the workers
inherit it by fork; where workers cannot fork, each unpickles a request and
prepares its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..clock import today
from ..content.assembly import Assembly
from ..content.model import Letter, PartialDate
from ..errors import BriefgenError, Problem
from ..i18n.address import forms_of_address
from ..pipeline import Pipeline
from ..render.document import RenderedDocument
from .facts import letter_facts
from .recipients import Recipient
from .state import ManifestEntry, Stamp, read_stamp, write_files, write_stamp

PACK_TEMPLATE = "handout"
WORD_AND_PDF = ("pdf", "docx")  # what a batch makes unless asked otherwise


@dataclass(frozen=True)
class BatchRequest:
    project_dir: Path
    template: str
    recipients: Path
    out_dir: Path | None = None
    formats: Sequence[str] | None = None  # default: the template's pdf and docx
    pack: bool = False  # the handout behind each letter
    strict: bool = False  # a bad row fails the run instead of being skipped
    jobs: int | None = None  # worker processes; default: one per core
    paper: str | None = None
    allow_network: bool = False
    trust_project: bool = False  # the project's own allow_paths/allow_network count


@dataclass(frozen=True)
class Job:
    recipient: Recipient
    stem: str  # the output files' name, without suffix
    fingerprint: str  # everything the letter depends on (state.py)


def _prepared(request: BatchRequest, handouts: bool, languages: tuple[str, ...]
              ) -> LetterBatch:
    batch = LetterBatch(request)
    batch.pack_languages = languages
    if handouts:
        batch.render_handouts()
    return batch


class LetterBatch:
    """Everything needed to make any letter of one batch."""

    def __init__(self, request: BatchRequest) -> None:
        self.request = request
        self.session = Pipeline.open(request.project_dir, allow_network=request.allow_network,
                                     trust_project=request.trust_project)
        self.spec = self.session.template(request.template, makes="recipient",
                                          origin=("TEMPLATE", None, None))
        letter = self.session.content.letter
        if letter is None:
            raise BriefgenError([Problem("content/letter.yaml", None, None, "required for "
                                         f"template '{self.spec.name}': the letter's wording "
                                         "(see README, Letters)")])
        self.letter: Letter = letter
        assembly = self.session.loaded.letter_assembly()
        if assembly is None:
            raise BriefgenError([Problem(
                self.session.loaded.files["letter"].shown, None, "assembly",
                "letters need the assembly their recipients sit in, for the groups and "
                "the title line under each name: add `assembly: <id>` to the letter or "
                "the declaration (ids: " + ", ".join(sorted(self.session.loaded.assemblies))
                + "; see `briefgen assembly list`)")])
        self.assembly: Assembly = assembly
        self.formats = self.session.formats(
            self.spec, request.formats, [f for f in self.spec.formats if f in WORD_AND_PDF])
        self.options = self.session.options(paper=request.paper)
        name = self.spec.name + ("-pack" if request.pack else "")
        self.out_dir = self.session.output_dir(request.out_dir, name).resolve()
        day = today()
        self.letter_date = letter.date or PartialDate(day.year, day.month, day.day)
        self.handouts: dict[str, RenderedDocument] = {}  # per language, when needed
        self.pack_languages: tuple[str, ...] = tuple(letter.text)  # see use_roster
        if request.pack:
            self.session.template(PACK_TEMPLATE)  # a missing handout fails here, early

    def __reduce__(self) -> tuple[Callable[[BatchRequest, bool, tuple[str, ...]], LetterBatch],
                                  tuple[BatchRequest, bool, tuple[str, ...]]]:
        """Where workers cannot fork (Windows, macOS' default), a worker receives a
        pickled batch: only the request travels, and the worker prepares the rest."""
        return _prepared, (self.request, bool(self.handouts), self.pack_languages)

    @property
    def lang(self) -> str:
        return self.options.lang

    def language_of(self, r: Recipient) -> str:
        """The language the member's letter is written in: theirs when the letter has
        that text, else the assembly's fallback language, else the brief's, else the
        letter's first."""
        return self.letter.language_for(r.language, self.assembly.fallback_language,
                                        self.session.content.brief.language)

    def fallback_note(self, r: Recipient) -> str:
        """Why a letter is not in the member's language, for the manifest; "" if it is."""
        used = self.language_of(r)
        if used == r.language:
            return ""
        why = ("the assembly's fallback language" if used == self.assembly.fallback_language
               else "the brief's language" if used == self.session.content.brief.language
               else "the letter's first language")
        return (f"no {r.language} text in the letter: written in {used} ({why}); add "
                f"content/letter.{r.language}.yaml")

    def entry(self, r: Recipient, stem: str, status: str, pages: int, message: str = "",
              files: bool = True) -> ManifestEntry:
        """A recipient's line in the manifest: the letter's language, and the member's
        when it had to be another."""
        note = "; ".join(m for m in (self.fallback_note(r), message) if m)
        return ManifestEntry(r.row, stem, r.full_name, self.language_of(r), status,
                             {f: f"{stem}.{f}" for f in self.formats} if files else {}, pages,
                             note, recipient=r.model_dump(exclude={"row"}, mode="json"),
                             language_asked=r.language)

    def use_roster(self, recipients: Sequence[Recipient]) -> None:
        """A pack's handouts: in the languages this batch's letters are written in, not
        in every language the letter has (each is laid out to fit its page)."""
        used = {self.language_of(r) for r in recipients}
        self.pack_languages = tuple(lang for lang in self.letter.text if lang in used)

    def render_handouts(self) -> None:
        """A pack's handout, once per letter language used, fitted to its one page."""
        if not self.request.pack or self.handouts:
            return
        spec = self.session.template(PACK_TEMPLATE)
        for lang in self.pack_languages:
            self.handouts[lang] = self.session.render(spec, self.session.options(
                lang=lang, paper=self.options.paper))

    def make(self, job: Job) -> ManifestEntry:
        """One recipient's files, written and stamped; a problem fails this letter only."""
        r = job.recipient
        lang = self.language_of(r)  # the whole letter in one language, greeting included
        address = forms_of_address(lang, r.title, r.given_name, r.surname, r.role,
                                   r.office, r.salutation, self.assembly)
        options = self.session.options(lang=lang, paper=self.options.paper, extra=dict(
            recipient=r, recipient_group=self.assembly.label(r.group, lang),
            member_assembly=self.assembly,
            facts=letter_facts(r, self.session.content.declaration, self.assembly),
            address=address, letter=self.letter, letter_date=self.letter_date,
            pack=self.request.pack))
        handout = self.handouts.get(lang)
        following = (handout,) if handout is not None else ()
        try:
            doc = self.session.render(self.spec, options)
            outputs = {self.out_dir / f"{job.stem}.{fmt}": self.session.write(fmt, doc,
                                                                               *following)
                       for fmt in self.formats}
            pages = self.session.page_count(doc) if "pdf" in self.formats else 0
        except BriefgenError as exc:
            return self.entry(r, job.stem, "failed", 0, message="; ".join(
                str(p) for p in exc.problems), files=False)
        earlier = read_stamp(self.out_dir, job.stem)
        write_files(outputs, self.out_dir)
        made = {path.name: len(data) for path, data in outputs.items()}
        write_stamp(self.out_dir, job.stem, Stamp(job.fingerprint, made, pages))
        for name in set(earlier.files if earlier else ()) - set(made):
            (self.out_dir / name).unlink(missing_ok=True)  # e.g. a .docx from a pdf,docx run
        return self.entry(r, job.stem, "built", pages)
