"""Benchmark: personalised letters for a synthetic PACE roster (issue 5).

    python bench/batch.py                    # 100, 300 and 612 recipients + the naive loop
    python bench/batch.py --sizes 612 --naive-sample 100
    python bench/batch.py --sizes 612 --print-file-only   # the print file's join alone
    python bench/batch.py --print-file-from build/letter  # ... from a batch already made

Generates a roster like PACE's (306 representatives and 306 substitutes from 46
member states; names with diacritics, some in Cyrillic script; every political
group; English and French), copies the example project to a temporary folder,
and times `briefgen batch letter` as a user runs it (a fresh process: start-up,
PDF + DOCX per recipient, the combined print PDF, the manifest). Peak memory is
the largest sum, over the process and its workers, of their proportional set
size (PSS: shared pages counted once), sampled every 50 ms.

The naive loop is what a script without briefgen's batch would do: for each
letter, one fresh WeasyPrint call (new font configuration, stylesheets parsed
again) writing that letter's PDF, one letter after another. It makes PDFs only,
no Word files and no print file, so the comparison flatters it.
The print file is also timed alone (in this process, from the largest batch's
letters; best and median of --repeats runs, and CPU time): joining the pages,
merging the letters' structure trees and writing the file.
Targets (issue 5, this 2-core machine): 612 in <= 20 s, <= 0.35x the naive
loop, <= 1 GB peak, time growing linearly with the number of recipients.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COUNTRIES = [  # the 46 member states of the Council of Europe
    "Albania", "Andorra", "Armenia", "Austria", "Azerbaijan", "Belgium",
    "Bosnia and Herzegovina", "Bulgaria", "Croatia", "Cyprus", "Czech Republic", "Denmark",
    "Estonia", "Finland", "France", "Georgia", "Germany", "Greece", "Hungary", "Iceland",
    "Ireland", "Italy", "Latvia", "Liechtenstein", "Lithuania", "Luxembourg", "Malta",
    "Republic of Moldova", "Monaco", "Montenegro", "Netherlands", "North Macedonia", "Norway",
    "Poland", "Portugal", "Romania", "San Marino", "Serbia", "Slovak Republic", "Slovenia",
    "Spain", "Sweden", "Switzerland", "Türkiye", "Ukraine", "United Kingdom",
]
CYRILLIC = {"Bulgaria", "Ukraine", "Serbia", "North Macedonia", "Montenegro"}
GROUPS = ["EPP/CD", "SOC", "ALDE", "UEL", "EC/DA", "NR"]
GIVEN_F = ["Zoë", "Mária", "Żaneta", "Ólöf", "Søs", "Çağla", "Anaïs", "Íde", "Dóra", "Inès",
           "Ljiljana", "Ewa", "Birgitta", "Hélène", "Małgorzata", "Ásta", "Chiara", "Jolanta"]
GIVEN_M = ["Łukasz", "Jürgen", "François", "Ðorđe", "Ólafur", "Søren", "Mihály", "Jiří",
           "Tõnu", "Bogdan", "Nuno", "Hakan", "Pádraig", "Dragoș", "Kęstutis", "Matthäus"]
SURNAMES = ["Kowalczyk", "Müller", "Lefèvre", "Þórsdóttir", "Ødegård", "Yılmaz", "Novák",
            "Sørensen", "Szabó", "Brâncuși", "Ó Súilleabháin", "Dvořák", "Kaļiņins", "García",
            "Jovanović", "Nuñez", "Häkkinen", "Gonçalves", "Šimkus", "Mäkelä", "Van den Bossche"]
CYR_GIVEN_F = ["Олена", "Марія", "Радка", "Јелена"]
CYR_GIVEN_M = ["Олексій", "Георги", "Бранислав", "Тодор"]
CYR_SURNAMES = ["Коваленко", "Петров", "Јовановић", "Шевченко", "Димитров", "Стојановски"]
TITLES_F = ["Ms", "Ms", "Mrs", "Dr", "Baroness"]
TITLES_M = ["Mr", "Mr", "Mr", "Dr", "Lord", "Sir"]


def roster(size: int, seed: int = 675) -> list[dict[str, str]]:
    """`size` members: half representatives, half substitutes, spread over 46 countries."""
    rng = random.Random(seed)
    rows = []
    for i in range(size):
        country = COUNTRIES[i % len(COUNTRIES)]
        feminine = rng.random() < 0.45
        if country in CYRILLIC and rng.random() < 0.5:
            given = rng.choice(CYR_GIVEN_F if feminine else CYR_GIVEN_M)
            surname = rng.choice(CYR_SURNAMES)
        else:
            given = rng.choice(GIVEN_F if feminine else GIVEN_M)
            surname = rng.choice(SURNAMES)
        french = country in ("France", "Belgium", "Switzerland", "Luxembourg", "Monaco") \
            or rng.random() < 0.3
        title = rng.choice(TITLES_F if feminine else TITLES_M)
        rows.append({
            "id": f"m{i + 1:03d}",
            "title": ("Mme" if title in ("Ms", "Mrs") else "M." if title == "Mr" else title)
            if french else title,
            "given_name": given, "surname": surname, "country": country,
            "role": "representative" if i % 2 == 0 else "substitute",
            "group": GROUPS[i % len(GROUPS)], "language": "fr" if french else "en",
            "email": f"member{i + 1}@parliament.example",
            "address": f"Parliament of {country}\nOffice {100 + i}\n{country}",
        })
    return rows


def write_roster(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _tree_pss_kb(pid: int) -> int:
    """PSS of a process and all its descendants, in kB (Linux)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo += [int(c) for c in children]
        except (OSError, ValueError):
            continue
    return total


def timed_batch(project: Path, roster_csv: Path, out: Path, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "briefgen", "batch", "letter", "--recipients",
               str(roster_csv), "--project", str(project), "--out", str(out), *extra]
    peak = 0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_pss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{err}")
    summary = [line for line in err.splitlines() if " made, " in line]
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 1024,
            "summary": summary[-1] if summary else ""}


def time_print_file(out: Path, repeats: int) -> dict:
    """The print file built again from a batch's letters (as the batch builds it, in as
    many files as it would), `repeats` times; the best and the median time."""
    from briefgen.batch.combined import PrintItem, combined_pdf
    from briefgen.batch.run import PRINT_PART

    letters = json.loads((out / "manifest.json").read_text("utf-8"))["letters"]
    items = [PrintItem(e["id"], out / e["files"]["pdf"], e["pages"]) for e in letters
             if "pdf" in e["files"]]
    times, cpu, pages, size = [], [], 0, 0
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-print-") as tmp:
        for _ in range(repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            pages = size = 0
            for first in range(0, len(items), PRINT_PART):
                target = Path(tmp) / f"print-{first}.pdf"
                pages += combined_pdf(items[first:first + PRINT_PART], "bench", "en", target,
                                      Path(tmp) / "staging")
                size += target.stat().st_size
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    return {"best": min(times), "median": statistics.median(times), "cpu": min(cpu),
            "pages": pages,
            "size_mb": size / 1e6, "letters": len(items)}


def _print_file_line(joined: dict, repeats: int) -> None:
    print(f"print file {joined['letters']} letters alone: {joined['best']:.2f} s best, "
          f"{joined['median']:.2f} s median of {repeats} ({joined['cpu']:.2f} s CPU at best: "
          f"steadier on a busy machine); {joined['pages']} pages, "
          f"{joined['size_mb']:.1f} MB")


def naive_loop(project: Path, rows: list[dict[str, str]]) -> float:
    """Each letter rendered to HTML by briefgen, then its PDF by a fresh WeasyPrint call."""

    from briefgen.batch.facts import letter_facts
    from briefgen.batch.recipients import Recipient
    from briefgen.i18n.address import forms_of_address
    from briefgen.pipeline import Pipeline
    from briefgen.render.paged import PDF_OPTIONS, _import_weasyprint

    _import_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    session = Pipeline.open(project)
    spec = session.template("letter", makes="recipient")
    content = session.content
    start = time.perf_counter()
    for number, row in enumerate(rows, start=2):
        r = Recipient.model_validate({**row, "row": number})
        address = forms_of_address(r.language, r.title, r.given_name, r.surname, r.role)
        options = session.options(lang=r.language, extra=dict(
            recipient=r, facts=letter_facts(r, content.declaration), address=address,
            letter=content.letter, letter_date=content.brief.date, pack=False))
        doc = session.render(spec, options)
        fonts = FontConfiguration()
        sheets = [CSS(filename=str(p), font_config=fonts) for p in doc.stylesheets]
        HTML(string=doc.html, base_url=str(session.project.root) + "/").write_pdf(
            stylesheets=sheets, font_config=fonts, **PDF_OPTIONS)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,300,612")
    parser.add_argument("--naive-sample", type=int, default=0,
                        help="time the naive loop on this many letters and extrapolate "
                             "(default: all of the largest roster)")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of the print file alone (default: 3)")
    parser.add_argument("--print-file-only", action="store_true",
                        help="make the largest batch, time its print file alone, stop there")
    parser.add_argument("--print-file-from", type=Path, metavar="FOLDER",
                        help="time the print file alone from the letters of a batch "
                             "already made in FOLDER (its manifest.json), nothing else")
    args = parser.parse_args()
    if args.print_file_from:
        _print_file_line(time_print_file(args.print_file_from, args.repeats), args.repeats)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    extra = ["--jobs", str(args.jobs)] if args.jobs else []

    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(REPO / "content", project / "content")
        shutil.copyfile(REPO / "briefgen.yaml", project / "briefgen.yaml")
        print(f"machine: {os.cpu_count()} CPU(s); python {sys.version.split()[0]}")
        results = {}
        if args.print_file_only:
            sizes = [max(sizes)]
        for size in sizes:
            rows = roster(size)
            csv_path = Path(tmp) / f"roster-{size}.csv"
            write_roster(rows, csv_path)
            out = Path(tmp) / f"out-{size}"
            results[size] = timed_batch(project, csv_path, out, extra)
            pages = _pages(out)
            r = results[size]
            print(f"batch {size:>4} recipients: {r['wall']:6.2f} s wall "
                  f"({r['wall'] / size * 1000:5.1f} ms/recipient), {r['cpu']:6.1f} s CPU, "
                  f"peak {r['peak_mb']:.0f} MB PSS; print file {pages} pages; {r['summary']}")
        largest = max(sizes)
        _print_file_line(time_print_file(Path(tmp) / f"out-{largest}", args.repeats),
                         args.repeats)
        if args.print_file_only:
            return
        pdf_only = timed_batch(project, Path(tmp) / f"roster-{largest}.csv",
                               Path(tmp) / f"out-{largest}-pdf", [*extra, "--format", "pdf"])
        print(f"batch {largest:>4} recipients, PDF only (like the naive loop): "
              f"{pdf_only['wall']:6.2f} s wall, peak {pdf_only['peak_mb']:.0f} MB PSS")
        again = timed_batch(project, Path(tmp) / f"roster-{largest}.csv",
                            Path(tmp) / f"out-{largest}", extra)
        print(f"re-run {largest}, nothing changed: {again['wall']:.2f} s; {again['summary']}")
        if len(sizes) > 1:  # least squares: wall = fixed + per_recipient * n
            n = len(sizes)
            mean_x = sum(sizes) / n
            mean_y = sum(results[k]["wall"] for k in sizes) / n
            slope = sum((k - mean_x) * (results[k]["wall"] - mean_y) for k in sizes) / \
                sum((k - mean_x) ** 2 for k in sizes)
            fixed = mean_y - slope * mean_x
            worst = max(abs(results[k]["wall"] - (fixed + slope * k)) / results[k]["wall"]
                        for k in sizes)
            print(f"growth: {fixed:.2f} s fixed + {slope * 1000:.1f} ms per recipient "
                  f"(largest deviation from that line: {worst:.0%})")
        if not args.no_naive:
            rows = roster(largest)
            sample = args.naive_sample or largest
            naive = naive_loop(project, rows[:sample]) * largest / sample
            how = "measured" if sample == largest else f"extrapolated from {sample}"
            ratio = results[largest]["wall"] / naive
            print(f"naive loop {largest} (PDF only, fresh WeasyPrint per letter, {how}): "
                  f"{naive:6.1f} s; batch/naive = {ratio:.2f}x (PDF-only batch: "
                  f"{pdf_only['wall'] / naive:.2f}x)")


def _pages(out: Path) -> int:
    """Pages of the print file, all its parts (one per 1,000 letters) together."""
    from pypdf import PdfReader

    return sum(len(PdfReader(path).pages) for path in out.glob("_print-all*.pdf"))


if __name__ == "__main__":
    main()
