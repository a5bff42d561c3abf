"""`briefgen batch`: one document per recipient, in parallel, resumable.

The pipeline is the build's (load → validate → render → write), run once per
row of a recipients file. Three things make it fit for hundreds of letters:

- Worker processes (workers.py; WeasyPrint is not thread-safe) that inherit a
  parent that has already made the first letter: parsed CSS, loaded fonts and
  compiled templates are ready in every worker from its first letter on.
- Stamps (state.py): a re-run makes only what is missing or changed, so an
  interrupted batch resumes where it stopped.
- Every file is written to a temporary name and renamed into place (output.py);
  a killed run leaves no half-written letter under a real name, and the next
  run removes its temporary files. One run at a time writes to a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..assets import builtin_root
from ..errors import BriefgenError, Problem
from ..i18n.address import forms_of_address
from ..output import Waiting, locked
from .combined import PrintItem, combined_pdf
from .letters import PACK_TEMPLATE, BatchRequest, Job, LetterBatch
from .recipients import Roster, file_stems, load_recipients
from .state import (
    STATE_DIR,
    ManifestEntry,
    Stamp,
    fingerprint,
    hash_files,
    manifest_bytes,
    read_stamp,
    remove_outputs,
    stamped_stems,
    write_files,
    write_stamp,
)
from .workers import WorkerPool, cores

__all__ = ["COMBINED", "BatchRequest", "BatchResult", "run_batch"]

COMBINED = "_print-all.pdf"  # the underscore keeps it apart from any recipient's file
PRINT_STAMP, HANDOUT_STAMP = "_print", "_handout"  # stamps of the shared files
# Letters per print file. qpdf holds every object of the pages it joins in memory (about
# 230 KB per letter): 10,000 letters in one file took 2.4 GB; a part of 1,000, 250 MB,
# and 480 MB since the letters' structure trees are merged too (tagged_merge.py).
# A printer's queue takes 2,000 pages better than 20,000 anyway.
PRINT_PART = 1_000


@dataclass
class BatchResult:
    out_dir: Path
    entries: list[ManifestEntry]
    combined: Path | None  # the (first) print file
    outputs: list[Path]  # manifest, print files and shared files (not the letters)
    problems: list[Problem]  # rows skipped
    warnings: list[Problem]  # content warnings, as for a build
    removed: list[Path] = field(default_factory=list)  # letters of people no longer listed
    print_files: list[Path] = field(default_factory=list)  # every part of the print file

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)

    @property
    def fell_back(self) -> list[ManifestEntry]:
        """Letters made in a fallback language: the letter has no text in the member's."""
        return [e for e in self.entries if e.fell_back]


Progress = Callable[[ManifestEntry, int, int], None]  # entry, letters done, letters to make
Planned = Callable[[int, int, int], None]  # to make, unchanged, skipped


@dataclass
class _Plan:
    """What this run has to do, once the stamps of earlier runs are read."""

    jobs: list[Job]
    entries: dict[int, ManifestEntry]  # row → entry: the unchanged and the skipped so far
    prints: dict[int, str]  # row → fingerprint, for the print file
    base: str  # the fingerprint every letter shares
    removed: list[Path]


def run_batch(request: BatchRequest, progress: Progress | None = None,
              planned: Planned | None = None, waiting: Waiting | None = None) -> BatchResult:
    """Make every recipient's documents, then the print file and the manifest.

    `planned(to_make, unchanged, skipped)` is called once the work is known;
    `progress` after each letter; `waiting(folder)` if another batch or build is
    writing to the output folder (this run waits for it: it holds the folder's
    lock from planning to the manifest). Ctrl-C stops the run after writing a
    manifest of what is done; the next run goes on from there.
    """
    batch, roster = _open(request)
    with locked(batch.out_dir, waiting):
        plan = _plan(batch, roster, request.recipients.resolve())
        if plan.jobs or (request.pack and not _stamp_matches(batch.out_dir, HANDOUT_STAMP,
                                                              _handout_fp(batch, plan.base))):
            batch.render_handouts()  # before the workers fork: they inherit the laid-out pages
        if planned:
            planned(len(plan.jobs), len(plan.entries) - len(roster.rejected),
                    len(roster.rejected))
        _make(batch, roster, plan, progress)
        printed = _write_combined(batch, plan.entries, plan.prints)
        outputs = _write_shared(batch, _handout_fp(batch, plan.base)) + _write_manifest(
            batch, roster, plan.entries, printed)
    return BatchResult(batch.out_dir, [plan.entries[k] for k in sorted(plan.entries)],
                       printed[0] if printed else None, printed + outputs, roster.problems,
                       batch.session.warnings + roster.warnings, plan.removed, printed)


def _open(request: BatchRequest) -> tuple[LetterBatch, Roster]:
    """The project and the recipients file, checked together: every problem at once."""
    problems: list[Problem] = []
    batch = roster = None
    try:
        batch = LetterBatch(request)
    except BriefgenError as exc:
        problems += exc.problems
    try:
        roster = load_recipients(request.recipients.resolve(), request.project_dir.resolve(),
                                 batch.assembly if batch else None)
    except BriefgenError as exc:
        problems += exc.problems
    if batch is None or roster is None:
        raise BriefgenError(problems)
    if request.strict and roster.rejected:
        raise BriefgenError(roster.problems + [Problem(
            "--strict", None, None, f"{len(roster.rejected)} bad row(s); nothing was made")])
    if request.strict:
        _skip_untranslated(batch, roster)
    batch.use_roster(roster.recipients)
    return batch, roster


def _skip_untranslated(batch: LetterBatch, roster: Roster) -> None:
    """--strict: a member whose language the letter lacks gets no letter rather than one
    in a fallback language. The row is sound, so the others are still made; it is
    skipped, with the reason, in the manifest."""
    languages = ", ".join(batch.letter.text)
    for r in list(roster.recipients):
        if r.language not in batch.letter.text:
            roster.reject(r, "language", f"'{r.language}', but the letter has no "
                          f"{r.language} text (it has: {languages}; add content/letter."
                          f"{r.language}.yaml); --strict makes no letter in a fallback "
                          "language")


def _plan(batch: LetterBatch, roster: Roster, recipients_file: Path) -> _Plan:
    out_dir = batch.out_dir
    stems = file_stems(roster.recipients)
    plan = _Plan([], {}, {}, _base_fingerprint(batch, recipients_file), [])
    for r in roster.recipients:
        stem = stems[r.row]
        fp = fingerprint(plan.base, r.model_dump_json(exclude={"row"}))
        plan.prints[r.row] = fp
        stamp = read_stamp(out_dir, stem)
        if stamp is not None and stamp.matches(fp, out_dir):
            plan.entries[r.row] = batch.entry(r, stem, "unchanged", stamp.pages)
        else:
            plan.jobs.append(Job(r, stem, fp))
    for rejected in roster.rejected:
        language = str(rejected.data.get("language") or "")
        plan.entries[rejected.row] = ManifestEntry(
            rejected.row, "", rejected.name, language, "skipped",
            message="; ".join(f"{p.field + ': ' if p.field else ''}{p.message}"
                              for p in rejected.problems),
            recipient={k: v for k, v in rejected.data.items() if isinstance(v, str)},
            language_asked=language)
    gone = stamped_stems(out_dir) - set(stems.values()) - {PRINT_STAMP, HANDOUT_STAMP}
    plan.removed = [path for stem in sorted(gone) for path in remove_outputs(out_dir, stem)]
    return plan


def _base_fingerprint(batch: LetterBatch, roster: Path) -> str:
    """Everything every letter depends on; a change here remakes every letter.

    The recipients file is left out (it may well sit in content/): each letter's
    own row is part of its own fingerprint, so editing one row remakes one letter.
    """
    root = batch.session.project.root
    theme = batch.session.project.config.theme
    files = [root / "content", root / "briefgen.yaml", root / "templates", builtin_root()]
    files += [root / p for p in (theme.logo, *theme.stylesheets) if p]
    hashed = hash_files(files, root, exclude={roster, batch.out_dir})
    return fingerprint(hashed, batch.spec.name,
                       ",".join(batch.formats), batch.options.paper, str(batch.request.pack),
                       batch.letter_date.iso(), batch.options.theme.model_dump_json())


def _make(batch: LetterBatch, roster: Roster, plan: _Plan,
          progress: Progress | None) -> None:
    """The first letter in this process (it warms the caches the workers inherit), the
    rest in worker processes. On Ctrl-C, the letters being written finish and are
    counted, the manifest says what is done, and the interruption goes on up."""
    jobs, done = plan.jobs, 0
    pool: WorkerPool | None = None

    def record(made: ManifestEntry) -> None:
        nonlocal done
        plan.entries[made.row] = made
        done += 1
        if progress:
            progress(made, done, len(jobs))

    try:
        if jobs:
            record(batch.make(jobs[0]))
        workers = min(batch.request.jobs or cores(), len(jobs) - 1)
        if workers <= 1:
            for job in jobs[1:]:
                record(batch.make(job))
        else:
            pool = WorkerPool(batch, workers)
            with pool:
                for made in pool.run(jobs[1:]):
                    record(made)
    except (KeyboardInterrupt, BrokenProcessPool):
        for made in pool.late if pool else []:
            plan.entries[made.row] = made
        for job in jobs:
            if job.recipient.row not in plan.entries:
                plan.entries[job.recipient.row] = batch.entry(job.recipient, job.stem,
                                                              "interrupted", 0, files=False)
        _write_manifest(batch, roster, plan.entries, [])
        raise


def _write_combined(batch: LetterBatch, entries: dict[int, ManifestEntry],
                    prints: dict[int, str]) -> list[Path]:
    """The print file (several, of PRINT_PART letters each, for a larger batch), remade
    only when a letter in it changed."""
    made = [e for _, e in sorted(entries.items()) if e.status in ("built", "unchanged")]
    if not made or "pdf" not in batch.formats:  # an older print file would be stale
        remove_outputs(batch.out_dir, PRINT_STAMP)
        (batch.out_dir / COMBINED).unlink(missing_ok=True)
        return []
    parts = [made[i:i + PRINT_PART] for i in range(0, len(made), PRINT_PART)]
    width = len(str(len(parts)))
    paths = [batch.out_dir / (COMBINED if len(parts) == 1 else
                              COMBINED.replace(".pdf", f"-{i:0{width}d}.pdf"))
             for i in range(1, len(parts) + 1)]
    fp = fingerprint(*(f"{e.id}:{prints[e.row]}" for e in made))
    if _stamp_matches(batch.out_dir, PRINT_STAMP, fp):
        return paths
    remove_outputs(batch.out_dir, PRINT_STAMP)  # an earlier run's parts
    text = batch.letter.text
    subject = next((t for lang, t in text.items() if lang == batch.lang),
                   next(iter(text.values()))).subject
    pages = 0
    for number, (part, path) in enumerate(zip(parts, paths, strict=True), start=1):
        items = [PrintItem(_bookmark(e), batch.out_dir / e.files["pdf"], e.pages)
                 for e in part]
        title = f"{subject} ({len(made)})" + (
            f", {number}/{len(parts)}" if len(parts) > 1 else "")
        pages += combined_pdf(items, title, batch.lang, path,
                              staging=batch.out_dir / STATE_DIR)
    write_stamp(batch.out_dir, PRINT_STAMP,
                Stamp(fp, {p.name: p.stat().st_size for p in paths}, pages))
    return paths


def _handout_fp(batch: LetterBatch, base: str) -> str:
    """The handouts depend on the content and on which languages the letters are in."""
    return fingerprint(base, *batch.pack_languages)


def _stamp_matches(folder: Path, name: str, fp: str) -> bool:
    stamp = read_stamp(folder, name)
    return stamp is not None and stamp.matches(fp, folder)


def _bookmark(made: ManifestEntry) -> str:
    """The name as the letter's address block prints it, and the country."""
    r = made.recipient
    address = forms_of_address(made.language, _text(r.get("title")), _text(r.get("given_name")),
                               str(r.get("surname")))
    return f"{address.name_line} ({r.get('country')})"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _write_shared(batch: LetterBatch, fp: str) -> list[Path]:
    """In a pack, the handout also on its own (e.g. to attach to an email); made
    again only when what it depends on changed."""
    if not batch.request.pack:
        remove_outputs(batch.out_dir, HANDOUT_STAMP)  # from an earlier pack in this folder
        return []
    paths = {lang: [batch.out_dir / f"_{PACK_TEMPLATE}{'' if lang == batch.lang else '.' + lang}"
                                    f".{fmt}" for fmt in batch.formats]
             for lang in batch.pack_languages}
    if _stamp_matches(batch.out_dir, HANDOUT_STAMP, fp):
        return [p for files in paths.values() for p in files]
    remove_outputs(batch.out_dir, HANDOUT_STAMP)  # e.g. a language no letter is in any more
    batch.render_handouts()
    outputs = {path: batch.session.write(path.suffix[1:], batch.handouts[lang])
               for lang, files in paths.items() for path in files}
    write_files(outputs, batch.out_dir)
    write_stamp(batch.out_dir, HANDOUT_STAMP, Stamp(fp, {p.name: len(d)
                                                         for p, d in outputs.items()}))
    return list(outputs)


def _write_manifest(batch: LetterBatch, roster: Roster, entries: dict[int, ManifestEntry],
                    printed: list[Path]) -> list[Path]:
    files = manifest_bytes([entries[k] for k in sorted(entries)],
                           [p.name for p in printed], batch.spec.name, roster.source)
    return write_files({batch.out_dir / name: data for name, data in files.items()},
                       batch.out_dir)
