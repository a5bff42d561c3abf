"""`briefgen batch`: one document per recipient, in parallel, resumable.

The pipeline is the build's (load → validate → render → write), run once per
row of a recipients file. Three things make it fit for hundreds of letters:

- Worker processes (WeasyPrint is not thread-safe) that inherit, by fork, a
  parent that has already made the first letter: parsed CSS, loaded fonts and
  compiled templates are ready in every worker from its first letter on.
- Stamps (state.py): a re-run makes only what is missing or changed, so an
  interrupted batch resumes where it stopped.
- Every file is written to a temporary name and renamed into place; a killed
  run leaves no half-written letter under a real name, and the next run
  removes its temporary files.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import check, default_options
from ..clock import today
from ..content.loader import LoadedContent
from ..content.model import PartialDate
from ..errors import BriefgenError, Problem
from ..i18n.address import forms_of_address
from ..project import Project
from ..render.document import RenderedDocument, RenderOptions, render_document
from ..render.fit import fit_to_page
from ..render.paged import layout
from ..render.templates import TemplateSpec, builtin_root, find_template
from ..writers import FORMATS, get_writer
from .combined import PrintItem, combined_pdf
from .facts import letter_facts
from .recipients import Recipient, Roster, file_stems, load_recipients
from .state import (
    ManifestEntry,
    Stamp,
    fingerprint,
    hash_files,
    manifest_bytes,
    read_stamp,
    remove_outputs,
    remove_temporary_files,
    stamped_stems,
    write_files,
    write_stamp,
)

COMBINED = "_print-all.pdf"  # the underscore keeps it apart from any recipient's file
PRINT_STAMP, HANDOUT_STAMP = "_print", "_handout"  # stamps of the shared files
PACK_TEMPLATE = "handout"


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


@dataclass
class BatchResult:
    out_dir: Path
    entries: list[ManifestEntry]
    combined: Path | None
    outputs: list[Path]  # manifest, combined and shared files (not the letters)
    problems: list[Problem]  # rows skipped
    warnings: list[Problem]  # content warnings, as for a build
    removed: list[Path] = field(default_factory=list)  # letters of people no longer listed

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)


Progress = Callable[[ManifestEntry, int, int], None]  # entry, letters done, letters to make


@dataclass
class _Batch:
    """Everything a worker needs to make any letter; built once, inherited by fork."""

    request: BatchRequest
    project: Project
    loaded: LoadedContent
    spec: TemplateSpec
    options: RenderOptions
    formats: list[str]
    out_dir: Path
    letter_date: PartialDate
    handouts: dict[str, RenderedDocument] = field(default_factory=dict)  # per language,
    # rendered only when a pack's letters or handout files are to be made


@dataclass(frozen=True)
class _Job:
    recipient: Recipient
    stem: str
    fingerprint: str


_BATCH: _Batch | None = None  # the worker's batch (set before forking, or by _init_worker)


def run_batch(request: BatchRequest, progress: Progress | None = None,
              planned: Callable[[int, int, int], None] | None = None) -> BatchResult:
    """Make every recipient's documents, then the print file and the manifest.

    `planned(to_make, unchanged, skipped)` is called once the work is known;
    `progress` after each letter. Ctrl-C stops the run after writing a manifest
    of what is done; the next run goes on from there.
    """
    # the project and the recipients file are checked together: every problem at once
    problems: list[Problem] = []
    batch = roster = None
    try:
        batch = _prepare(request)
    except BriefgenError as exc:
        problems += exc.problems
    try:
        roster = load_recipients(request.recipients.resolve(),
                                 request.project_dir.resolve())
    except BriefgenError as exc:
        problems += exc.problems
    if batch is None or roster is None:
        raise BriefgenError(problems)
    letter = batch.loaded.content.letter
    for r in list(roster.recipients):
        if letter is not None and r.language not in letter.text:
            roster.reject(r, "language", f"'{r.language}', but content/letter.yaml has no "
                          f"{r.language} text (it has: {', '.join(letter.text)})")
    if request.strict and roster.rejected:
        raise BriefgenError(roster.problems + [Problem(
            "--strict", None, None, f"{len(roster.rejected)} bad row(s); nothing was made")])

    out_dir = batch.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_temporary_files(out_dir)
    stems = file_stems(roster.recipients)
    base = _base_fingerprint(batch, request.recipients.resolve())
    entries: dict[int, ManifestEntry] = {}
    prints: dict[int, str] = {}  # row → fingerprint, for the print file
    jobs: list[_Job] = []
    for r in roster.recipients:
        stem = stems[r.row]
        fp = fingerprint(base, r.model_dump_json(exclude={"row"}))
        prints[r.row] = fp
        stamp = read_stamp(out_dir, stem)
        if stamp is not None and stamp.matches(fp, out_dir):
            entries[r.row] = _entry(r, stem, "unchanged", batch.formats, stamp.pages)
        else:
            jobs.append(_Job(r, stem, fp))
    for rejected in roster.rejected:
        entries[rejected.row] = ManifestEntry(
            rejected.row, "", rejected.name, str(rejected.data.get("language") or ""),
            "skipped", message="; ".join(f"{p.field + ': ' if p.field else ''}{p.message}"
                                         for p in rejected.problems),
            recipient={k: v for k, v in rejected.data.items() if isinstance(v, str)})
    removed = [path for stem in sorted(stamped_stems(out_dir) - set(stems.values())
                                       - {PRINT_STAMP, HANDOUT_STAMP})
               for path in remove_outputs(out_dir, stem)]
    shared_stale = request.pack and not _stamp_matches(out_dir, HANDOUT_STAMP, base)
    if jobs or shared_stale:
        _render_handouts(batch)  # before the workers fork: they inherit the laid-out pages
    if planned:
        planned(len(jobs), len(entries) - len(roster.rejected), len(roster.rejected))

    done = 0
    try:
        for entry in _make_all(batch, jobs):
            entries[entry.row] = entry
            done += 1
            if progress:
                progress(entry, done, len(jobs))
    except (KeyboardInterrupt, BrokenProcessPool):
        for job in jobs:
            if job.recipient.row not in entries:
                entries[job.recipient.row] = _entry(job.recipient, job.stem, "interrupted",
                                                    batch.formats, 0, files=False)
        _write_manifest(batch, roster, entries, None)
        raise

    combined = _write_combined(batch, entries, prints)
    outputs = _write_shared(batch, base) + _write_manifest(batch, roster, entries, combined)
    return BatchResult(out_dir, [entries[k] for k in sorted(entries)], combined,
                       ([combined] if combined else []) + outputs, roster.problems,
                       batch.loaded.warnings + roster.warnings, removed)


def _prepare(request: BatchRequest) -> _Batch:
    project, loaded = check(request.project_dir, request.allow_network)
    spec = find_template(request.template, project.root, ("TEMPLATE", None, None))
    if spec.per != "recipient":
        raise BriefgenError([Problem("TEMPLATE", None, None, f"template '{spec.name}' makes "
                                     "one document, not one per recipient: build it with "
                                     f"'briefgen build --template {spec.name}'")])
    if loaded.content.letter is None:
        raise BriefgenError([Problem("content/letter.yaml", None, None, "required for "
                                     f"template '{spec.name}': the letter's wording (see "
                                     "README, Letters)")])
    formats = list(request.formats or [f for f in spec.formats if f in ("pdf", "docx")])
    problems = [Problem("--format", None, None, f"unknown format '{f}'; available: "
                        f"{', '.join(FORMATS)}") for f in formats if f not in FORMATS]
    problems += [Problem("--format", None, None, f"template '{spec.name}' does not produce "
                         f"{f}; it produces {', '.join(spec.formats)}")
                 for f in formats if f in FORMATS and f not in spec.formats]
    if problems:
        raise BriefgenError(problems)
    options = default_options(project, loaded)
    if request.paper:
        options = replace(options, paper=request.paper)
    name = spec.name + ("-pack" if request.pack else "")
    out_dir = request.out_dir or project.root / project.config.output / name
    if request.pack:
        find_template(PACK_TEMPLATE, project.root)  # a missing handout fails here, early
    return _Batch(request, project, loaded, spec, options, formats, out_dir.resolve(),
                  loaded.content.letter.date or _today())


def _render_handouts(batch: _Batch) -> None:
    """A pack's handout, once per letter language, fitted to its one page."""
    if not batch.request.pack or batch.handouts:
        return
    spec = find_template(PACK_TEMPLATE, batch.project.root)
    for lang in batch.loaded.content.letter.text:
        doc, _ = fit_to_page(batch.loaded, spec, replace(batch.options, lang=lang),
                             batch.project.root,
                             batch.project.policy(batch.request.allow_network))
        batch.handouts[lang] = doc


def _today() -> PartialDate:
    day = today()
    return PartialDate(day.year, day.month, day.day)


def _base_fingerprint(batch: _Batch, roster: Path) -> str:
    """Everything every letter depends on; a change here remakes every letter.

    The recipients file is left out (it may well sit in content/): each letter's
    own row is part of its own fingerprint, so editing one row remakes one letter.
    """
    root = batch.project.root
    theme = batch.project.config.theme
    files = [root / "content", root / "briefgen.yaml", root / "templates", builtin_root()]
    files += [root / p for p in (theme.logo, *theme.stylesheets) if p]
    hashed = hash_files(files, root, exclude={roster, batch.out_dir})
    return fingerprint(hashed, batch.spec.name,
                       ",".join(batch.formats), batch.options.paper, str(batch.request.pack),
                       batch.letter_date.iso(), batch.options.theme.model_dump_json())


def _entry(r: Recipient, stem: str, status: str, formats: list[str], pages: int,
           message: str = "", files: bool = True) -> ManifestEntry:
    return ManifestEntry(r.row, stem, r.full_name, r.language, status,
                         {f: f"{stem}.{f}" for f in formats} if files else {}, pages, message,
                         recipient=r.model_dump(exclude={"row"}, mode="json"))


def _make_all(batch: _Batch, jobs: list[_Job]) -> Iterator[ManifestEntry]:
    """The first letter in this process (it warms the caches the workers inherit),
    the rest in worker processes."""
    global _BATCH
    _BATCH = batch
    if not jobs:
        return
    yield _make_letter(jobs[0])
    rest = jobs[1:]
    workers = min(batch.request.jobs or _cores(), len(rest))
    if workers <= 1:
        for job in rest:
            yield _make_letter(job)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(None if fork else batch.request,))
    try:
        futures = [pool.submit(_make_letter, job) for job in rest]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _init_worker(request: BatchRequest | None) -> None:
    """Ctrl-C is the parent's to handle: it lets running letters finish, cancels the
    rest and writes the manifest; a worker interrupted mid-letter would only print
    a traceback. Where workers cannot fork (Windows, macOS' default), each also
    prepares its own batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if request is not None:
        global _BATCH
        _BATCH = _prepare(request)
        _render_handouts(_BATCH)


def _make_letter(job: _Job) -> ManifestEntry:
    batch = _BATCH
    assert batch is not None, "worker not initialised"
    r = job.recipient
    content = batch.loaded.content
    address = forms_of_address(r.language, r.title, r.given_name, r.surname, r.role,
                               r.office, r.salutation)
    options = replace(batch.options, lang=r.language, extra=dict(
        recipient=r, facts=letter_facts(r, content.declaration), address=address,
        letter=content.letter, letter_date=batch.letter_date, pack=batch.request.pack))
    try:
        doc = render_document(batch.loaded, batch.spec, options, batch.project.root,
                              batch.project.policy(batch.request.allow_network))
        outputs: dict[Path, bytes] = {}
        handout = batch.handouts.get(r.language)
        following = (handout,) if handout is not None else ()
        for fmt in batch.formats:
            outputs[batch.out_dir / f"{job.stem}.{fmt}"] = get_writer(fmt)(doc, *following)
        pages = len(layout(doc).pages) if "pdf" in batch.formats else 0
    except BriefgenError as exc:
        return _entry(r, job.stem, "failed", batch.formats, 0, message="; ".join(
            str(p) for p in exc.problems), files=False)
    earlier = read_stamp(batch.out_dir, job.stem)
    write_files(outputs, batch.out_dir)
    made = {path.name: len(data) for path, data in outputs.items()}
    write_stamp(batch.out_dir, job.stem, Stamp(job.fingerprint, made, pages))
    for name in set(earlier.files if earlier else ()) - set(made):
        (batch.out_dir / name).unlink(missing_ok=True)  # e.g. a .docx from a pdf,docx run
    return _entry(r, job.stem, "built", batch.formats, pages)


def _write_combined(batch: _Batch, entries: dict[int, ManifestEntry],
                    prints: dict[int, str]) -> Path | None:
    """The print file, remade only when a letter in it changed."""
    made = [e for _, e in sorted(entries.items()) if e.status in ("built", "unchanged")]
    path = batch.out_dir / COMBINED
    if not made or "pdf" not in batch.formats:  # an older print file would be stale
        remove_outputs(batch.out_dir, PRINT_STAMP)
        path.unlink(missing_ok=True)
        return None
    fp = fingerprint(*(f"{e.id}:{prints[e.row]}" for e in made))
    if _stamp_matches(batch.out_dir, PRINT_STAMP, fp):
        return path
    items = [PrintItem(_bookmark(e), batch.out_dir / e.files["pdf"], e.pages) for e in made]
    letter = batch.loaded.content.letter
    lang = batch.options.lang
    subject = (letter.text.get(lang) or next(iter(letter.text.values()))).subject
    data, pages = combined_pdf(items, f"{subject} ({len(made)})", lang)
    write_files({path: data}, batch.out_dir)
    write_stamp(batch.out_dir, PRINT_STAMP, Stamp(fp, {path.name: len(data)}, pages))
    return path


def _stamp_matches(folder: Path, name: str, fp: str) -> bool:
    stamp = read_stamp(folder, name)
    return stamp is not None and stamp.matches(fp, folder)


def _bookmark(entry: ManifestEntry) -> str:
    """The name as the letter's address block prints it, and the country."""
    r = entry.recipient
    address = forms_of_address(entry.language, r.get("title"), r.get("given_name"),
                               str(r.get("surname")))
    return f"{address.name_line} ({r.get('country')})"


def _write_shared(batch: _Batch, fp: str) -> list[Path]:
    """In a pack, the handout also on its own (e.g. to attach to an email); made
    again only when what it depends on changed."""
    if not batch.request.pack:
        remove_outputs(batch.out_dir, HANDOUT_STAMP)  # from an earlier pack in this folder
        return []
    default = batch.options.lang
    paths = {lang: [batch.out_dir / f"_{PACK_TEMPLATE}{'' if lang == default else '.' + lang}"
                                    f".{fmt}" for fmt in batch.formats]
             for lang in batch.loaded.content.letter.text}
    if _stamp_matches(batch.out_dir, HANDOUT_STAMP, fp):
        return [p for files in paths.values() for p in files]
    _render_handouts(batch)
    outputs = {path: get_writer(path.suffix[1:])(batch.handouts[lang])
               for lang, files in paths.items() for path in files}
    write_files(outputs, batch.out_dir)
    write_stamp(batch.out_dir, HANDOUT_STAMP, Stamp(fp, {p.name: len(d)
                                                         for p, d in outputs.items()}))
    return list(outputs)


def _write_manifest(batch: _Batch, roster: Roster, entries: dict[int, ManifestEntry],
                    combined: Path | None) -> list[Path]:
    files = manifest_bytes([entries[k] for k in sorted(entries)],
                           combined.name if combined else None, batch.spec.name,
                           roster.source)
    return write_files({batch.out_dir / name: data for name, data in files.items()},
                       batch.out_dir)
