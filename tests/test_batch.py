"""`briefgen batch letter`: one personalised letter per row of a recipients file.

One batch of 20 letters (tests/data/recipients-20.csv) is made once per module and
read back from its PDF, Word, print and manifest files; the tests that change a
batch (bad rows, resume, edits) make their own small ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import docx
import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from briefgen.batch.facts import letter_facts
from briefgen.batch.recipients import Recipient, file_stems, load_recipients, slug
from briefgen.batch.run import COMBINED, BatchRequest, run_batch
from briefgen.batch.state import STATE_DIR
from briefgen.content.assembly import load_assemblies
from briefgen.errors import BriefgenError
from briefgen.i18n.address import forms_of_address
from briefgen.pipeline import Pipeline

from .conftest import REPO, copy_example, default_sigint, run_cli
from .pdf_tags import assert_tagged_print_file, parts

PACE = load_assemblies(None)["pace"].assembly

ROSTER = Path(__file__).parent / "data" / "recipients-20.csv"
# Letters are dated today unless SOURCE_DATE_EPOCH says otherwise: a fixed day keeps the
# printed date known and a re-run after midnight from remaking every letter.
LETTER_DAY = dt.datetime(2025, 3, 14, tzinfo=dt.timezone.utc)
EPOCH = str(int(LETTER_DAY.timestamp()))
DATES = {"en": "14 March 2025", "fr": "14 mars 2025"}
WORDING = yaml.safe_load((REPO / "content" / "letter.yaml").read_text("utf-8"))["text"]


def flat(text: str) -> str:
    """Whitespace collapsed (PDF line breaks, no-break spaces), hyphenated breaks joined."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def first_words(text: str, count: int = 10) -> str:
    return " ".join(text.split()[:count])


# The opening sentence of each language's letter, from content/letter.yaml.
OPENING = {lang: first_words(WORDING[lang]["opening"]) for lang in ("en", "fr")}
THANKS = {lang: first_words(WORDING[lang]["thanks"], 6) for lang in ("en", "fr")}
DELEGATION = {"en": "Its signatories include", "fr": "La déclaration a notamment été signée par"}
GROUP = {"en": "Signatories from your political group",
         "fr": "Parmi les signataires de votre groupe politique"}


def fr_closing(form: str) -> str:
    return f"Je vous prie d’agréer, {form}, l’expression de ma haute considération."


EN_CLOSING = "Yours sincerely,"

# stem → language, name line, salutation, closing: the forms of address the issue asks for.
EXPECTED = {
    "schwabe-frank": ("en", "Mr Frank Schwabe", "Dear Mr Schwabe,", EN_CLOSING),
    "kovalenko-olena": ("en", "Ms Olena Kovalenko", "Dear Ms Kovalenko,", EN_CLOSING),
    "durand-lefevre-camille": ("fr", "Mme Camille Durand-Lefèvre", "Madame la Députée,",
                               fr_closing("Madame la Députée")),
    "muller-jean-pierre": ("fr", "M. Jean-Pierre Müller", "Monsieur le Sénateur,",
                           fr_closing("Monsieur le Sénateur")),
    "petrovic-ana": ("en", "Dr Ana Petrović", "Dear Dr Petrović,", EN_CLOSING),
    "ashcombe-edmund": ("en", "Lord Edmund Ashcombe", "Dear Lord Ashcombe,", EN_CLOSING),
    "pemberton-richard": ("en", "Sir Richard Pemberton", "Dear Sir Richard,", EN_CLOSING),
    "sorensen-ingrid": ("en", "Mrs Ingrid Sørensen", "Dear Mrs Sørensen,", EN_CLOSING),
    "novak-alex": ("en", "Alex Novak", "Dear Alex Novak,", EN_CLOSING),
    "dimitrov-stefan": ("fr", "M. Стефан Димитров", "Monsieur le Député,",
                        fr_closing("Monsieur le Député")),
    "lambert-sophie": ("fr", "Mme Sophie Lambert", "Madame la Députée,",
                       fr_closing("Madame la Députée")),
    "girard-luc": ("fr", "M. Luc Girard", "Monsieur le Député,",
                   fr_closing("Monsieur le Député")),
    "marchand-elodie": ("fr", "Mme Élodie Marchand", "Madame la Députée,",
                        fr_closing("Madame la Députée")),
    "papadakis-nikos": ("fr", "Dr Nikos Papadakis", "Madame, Monsieur,",
                        fr_closing("Madame, Monsieur")),
    "whitmore-hugh": ("fr", "Lord Hugh Whitmore", "Monsieur,", fr_closing("Monsieur")),
    "camilleri-maria": ("en", "Ms Maria Camilleri", "Dear Ms Camilleri,", EN_CLOSING),
    "o-briain-tomas": ("en", "Mr Tomás Ó Briain", "Dear Mr Ó Briain,", EN_CLOSING),
    "lindqvist-kim": ("fr", "Kim Lindqvist", "Madame, Monsieur,", fr_closing("Madame, Monsieur")),
    "georgieva-ralitsa": ("en", "Ms Ралица Георгиева", "Dear Ms Георгиева,", EN_CLOSING),
    "de-vries": ("en", "Ms Anneke de Vries", "Dear Anneke,", EN_CLOSING),
}
STEMS = list(EXPECTED)  # in roster order


def roster_rows(path: Path = ROSTER) -> list[dict[str, str]]:
    """The roster as a spreadsheet shows it: dicts with their row number (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [{**row, "row": str(n)} for n, row in enumerate(csv.DictReader(handle), start=2)]


def write_roster(path: Path, rows: list[dict[str, str]]) -> Path:
    fields = [f for f in rows[0] if f != "row"]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text.replace("\xa0", " ") for p in docx.Document(str(path)).paragraphs]


def mtimes(folder: Path, stems) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for stem in stems
            for p in (folder / f"{stem}.pdf", folder / f"{stem}.docx")}


def statuses(result) -> dict[str, str]:
    return {e.id: e.status for e in result.entries}


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# --- the batch of 20 ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch20(tmp_path_factory):
    root = copy_example(tmp_path_factory.mktemp("batch20"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        # the print file is joined in chunks (250 letters); 3 here, so that the 20
        # letters cross chunk boundaries and the bookmark tests below check them
        mp.setattr("briefgen.batch.combined.CHUNK", 3)
        # and its parent tree is a number tree of leaves of 64 entries; 4 here, so that
        # the 20 letters' 40 entries take its /Kids form
        mp.setattr("briefgen.batch.tagged_merge.LEAF", 4)
        result = run_cli("batch", "letter", "--recipients", str(ROSTER), "--project",
                         str(root), "--jobs", "2")
    assert result.exit_code == 0, result.output
    out = root / "build" / "letter"  # the default output folder
    return SimpleNamespace(root=root, out=out, cli=result, rows=roster_rows(),
                           manifest=json.loads((out / "manifest.json").read_text("utf-8")))


def test_batch_reports_what_it_made_and_where(batch20):
    assert "20 made, 0 unchanged, 0 skipped, 0 failed" in batch20.cli.stderr
    printed = batch20.cli.stdout.splitlines()
    assert printed[0] == str(batch20.out.resolve())
    assert {Path(line).name for line in printed[1:]} == {COMBINED, "manifest.csv",
                                                         "manifest.json"}
    assert not [line for line in batch20.cli.stderr.splitlines() if "skipped:" in line]


def test_every_recipient_has_a_pdf_and_a_docx_named_from_the_roster(batch20):
    letters = sorted(p.name for p in batch20.out.iterdir()
                     if p.suffix in (".pdf", ".docx") and p.name != COMBINED)
    assert letters == sorted(f"{stem}.{fmt}" for stem in STEMS for fmt in ("pdf", "docx"))
    for name in letters:
        assert (batch20.out / name).stat().st_size > 5_000
    assert not temporary_files(batch20.out)


@pytest.mark.parametrize("stem", STEMS)
def test_letter_greets_names_and_closes_in_the_recipients_language(batch20, stem):
    lang, name_line, salutation, closing = EXPECTED[stem]
    other = "fr" if lang == "en" else "en"
    paragraphs = docx_paragraphs(batch20.out / f"{stem}.docx")
    pdf = pdf_text(batch20.out / f"{stem}.pdf")
    for text in (paragraphs, [pdf]):
        whole = flat(" ".join(text))
        assert name_line in whole
        assert salutation in whole
        assert closing in whole
        assert DATES[lang] in whole
        assert OPENING[lang] in whole
        assert OPENING[other] not in whole
        assert first_words(WORDING[other]["asks_intro"], 4) not in whole
    # Word keeps one paragraph per line of the letter: check them exactly, in order
    assert paragraphs.count(name_line) == 1
    assert paragraphs.index(name_line) < paragraphs.index(salutation) < \
        paragraphs.index(closing)
    assert (EN_CLOSING in paragraphs) is (lang == "en")
    assert any(p.startswith("Dear ") for p in paragraphs) is (lang == "en")


def test_french_letters_are_french_throughout(batch20):
    french = [s for s in STEMS if EXPECTED[s][0] == "fr"]
    assert len(french) >= 6
    for stem in french:
        text = pdf_text(batch20.out / f"{stem}.pdf")
        assert "Objet : " + first_words(WORDING["fr"]["subject"], 4) in text
        assert flat(WORDING["fr"]["closing"]) in text
        for english in ("Subject:", "Dear ", "Yours sincerely", flat(WORDING["en"]["closing"])):
            assert english not in text, (stem, english)


def test_role_and_address_lines(batch20):
    marchand = docx_paragraphs(batch20.out / "marchand-elodie.docx")
    start = marchand.index("Mme Élodie Marchand")
    assert marchand[start + 1:start + 5] == [
        "Représentante à l’Assemblée parlementaire du Conseil de l’Europe",
        "Assemblée nationale", "126 rue de l’Université", "75355 Paris 07 SP"]
    assert "France" not in marchand  # an address replaces the bare country line
    durand = docx_paragraphs(batch20.out / "durand-lefevre-camille.docx")
    assert "Suppléante à l’Assemblée parlementaire du Conseil de l’Europe" in durand
    pemberton = docx_paragraphs(batch20.out / "pemberton-richard.docx")
    start = pemberton.index("Sir Richard Pemberton")
    assert pemberton[start + 1:start + 3] == [
        "Substitute member of the Parliamentary Assembly of the Council of Europe",
        "United Kingdom"]


# --- conditional paragraphs ---------------------------------------------------------------


def test_signatory_is_thanked_and_not_told_about_colleagues(batch20):
    for text in (pdf_text(batch20.out / "schwabe-frank.pdf"),
                 flat(" ".join(docx_paragraphs(batch20.out / "schwabe-frank.docx")))):
        assert "Thank you for signing the declaration" in text
        assert DELEGATION["en"] not in text
        assert GROUP["en"] not in text
        assert "Frank Schwabe, " not in text  # not listed among his own colleagues


def test_signed_column_thanks_in_french(batch20):
    text = pdf_text(batch20.out / "lindqvist-kim.pdf")
    assert "Je vous remercie d’avoir signé" in text
    assert DELEGATION["fr"] not in text and "Markus Wiechel" not in text


def test_nobody_else_is_thanked(batch20):
    for stem in STEMS:
        if stem in ("schwabe-frank", "lindqvist-kim"):
            continue
        text = pdf_text(batch20.out / f"{stem}.pdf")
        assert THANKS["en"] not in text and THANKS["fr"] not in text, stem


def test_ukrainian_is_told_about_the_three_ukrainian_signatories(batch20):
    text = pdf_text(batch20.out / "kovalenko-olena.pdf")
    assert ("Its signatories include Volodymyr Ariev, Mariia Ionova and Olena Sotnyk, of your "
            "country’s delegation.") in text
    # the group paragraph names EPP/CD signatories, without repeating the Ukrainians
    group = text.split(GROUP["en"], 1)[1].split(".", 1)[0]
    assert group == " (EPP/CD) include Bogdan Klich, Agnieszka Pomaska and Maria Rizzotti"
    assert "Thank you for signing" not in text


def test_non_registered_members_get_no_group_paragraph(batch20):
    camilleri = pdf_text(batch20.out / "camilleri-maria.pdf")  # NR, Malta: no signatory
    assert GROUP["en"] not in camilleri and DELEGATION["en"] not in camilleri
    for name in ("Buccarella", "Gattolin, ", "Jacques Maire"):
        assert name not in camilleri
    durand = pdf_text(batch20.out / "durand-lefevre-camille.pdf")  # NR, France
    assert ("La déclaration a notamment été signée par André Gattolin et Jacques Maire, de la "
            "délégation de votre pays.") in durand
    assert GROUP["fr"] not in durand
    assert "Buccarella" not in durand  # an NR signatory, but not of her "group"


def test_group_alias_and_french_group_paragraph(batch20):
    # EC/DA recipients are matched with the declaration's "EC" signatory
    for stem in ("ashcombe-edmund", "pemberton-richard"):
        text = pdf_text(batch20.out / f"{stem}.pdf")
        assert "Signatories from your political group (EC/DA) include Markus Wiechel." in text
        assert "George Foulkes" in text.split(GROUP["en"])[0]  # delegation, before the group
    girard = pdf_text(batch20.out / "girard-luc.pdf")  # ALDE, Luxembourg
    assert ("Parmi les signataires de votre groupe politique (ADLE) figurent Simonas Gentvilas "
            "et Olena Sotnyk.") in girard
    assert DELEGATION["fr"] not in girard


# --- the print file -----------------------------------------------------------------------


def expected_bookmark(stem: str, row: dict[str, str]) -> str:
    """The name as that letter's address block prints it (Mme in French), and the country."""
    return f"{EXPECTED[stem][1]} ({row['country']})"


def test_print_file_has_a_bookmark_per_recipient_on_odd_pages(batch20):
    reader = PdfReader(batch20.out / COMBINED)
    outline = reader.outline
    assert all(not isinstance(item, list) for item in outline)  # top level only
    assert [item.title for item in outline] == [expected_bookmark(stem, r)
                                                for stem, r in zip(STEMS, batch20.rows,
                                                                   strict=True)]
    assert "Ms Olena Kovalenko (Ukraine)" in [item.title for item in outline]
    starts = [reader.get_destination_page_number(item) + 1 for item in outline]  # 1-based
    assert all(page % 2 == 1 for page in starts), starts
    assert len(reader.pages) % 2 == 0
    pages = {e["row"]: e["pages"] for e in batch20.manifest["letters"]}
    ends = starts[1:] + [len(reader.pages) + 1]
    for row, start, end in zip(batch20.rows, starts, ends, strict=True):
        letter = pages[int(row["row"])]
        text = flat(reader.pages[start - 1].extract_text())
        assert f"{row['given_name']} {row['surname']}" in text
        assert end - start == letter + letter % 2  # the letter, then a blank page if odd
        for blank in range(start + letter, end):
            assert reader.pages[blank - 1].extract_text().strip() == ""


def test_print_file_is_tagged_across_chunks(batch20):
    """Letters joined in chunks, then the chunks joined: still one Part per letter, in
    roster order and in its language, and a parent tree (in /Kids form) that leads back
    from every page and link."""
    assert_tagged_print_file(batch20.out, STEMS)
    assert [lang for _s, lang, _t in parts(batch20.out / COMBINED)] == [
        EXPECTED[stem][0] for stem in STEMS]
    with pikepdf.open(batch20.out / COMBINED) as pdf:
        assert "/Kids" in pdf.Root.StructTreeRoot.ParentTree


# --- the manifest -------------------------------------------------------------------------


def test_manifest_json_lists_every_letter_with_its_files(batch20):
    manifest = batch20.manifest
    assert manifest["template"] == "letter"
    assert manifest["combined"] == COMBINED
    assert manifest["counts"] == {"built": 20, "unchanged": 0, "skipped": 0, "failed": 0,
                                  "interrupted": 0}
    letters = manifest["letters"]
    assert [e["row"] for e in letters] == [int(r["row"]) for r in batch20.rows]
    assert [e["row"] for e in letters] == list(range(2, 22))  # multi-line address: one row
    assert [e["id"] for e in letters] == STEMS
    for entry, row in zip(letters, batch20.rows, strict=True):
        assert entry["status"] == "built"
        assert entry["language"] == row["language"] == EXPECTED[entry["id"]][0]
        assert entry["name"] == f"{row['given_name']} {row['surname']}"
        assert entry["files"] == {"pdf": f"{entry['id']}.pdf", "docx": f"{entry['id']}.docx"}
        for name in entry["files"].values():
            assert (batch20.out / name).is_file()
        assert entry["pages"] == len(PdfReader(batch20.out / entry["files"]["pdf"]).pages)
        assert entry["recipient"]["surname"] == row["surname"]
        assert entry["recipient"]["committee"] == (row["committee"] or None)  # extra column
    assert letters[6]["recipient"]["group"] == "EC/DA"  # Pemberton's "EC", normalised


def test_manifest_csv_matches_json_and_disk(batch20):
    text = (batch20.out / "manifest.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["row"] for r in rows] == [r["row"] for r in batch20.rows]
    for line, row, entry in zip(rows, batch20.rows, batch20.manifest["letters"], strict=True):
        assert line["id"] == entry["id"]
        assert line["status"] == "built"
        assert line["language"] == row["language"]
        assert (line["title"], line["given_name"], line["surname"], line["country"]) == (
            row["title"], row["given_name"], row["surname"], row["country"])
        assert (batch20.out / line["pdf"]).is_file() and (batch20.out / line["docx"]).is_file()
        assert line["html"] == ""
        assert line["pages"] == str(entry["pages"])
    stamps = {p.stem for p in (batch20.out / STATE_DIR).glob("*.json")}
    assert stamps == set(STEMS) | {"_print"}


# --- bad rows -----------------------------------------------------------------------------


BAD_ROSTER = """\
title,given_name,surname,country,group,language,address
Ms,Anna,Berg,Sweden,SOC,en,"Riksdagen
100 12 Stockholm"
Mr,Paul,,Austria,SOC,en,
Ms,Eva,Klein,Germany,SOC,xx,
Mr,Jan,Horak,Czechia,XYZ,en,
M.,Louis,Martin,France,ALDE,fr,
"""
BAD_MESSAGES = [
    "bad.csv, row 3: surname: required, but empty",
    # no catalog defines 'xx' (a known language without letter text falls back instead:
    # test_letter_languages.py)
    "bad.csv, row 4: language: unknown language 'xx'; available: de, en, es, fr, it, ru",
    "bad.csv, row 5: group: unknown political group 'XYZ'",
]


def test_strict_fails_on_bad_rows_and_writes_nothing(project):
    (project / "bad.csv").write_text(BAD_ROSTER, "utf-8")
    result = run_cli("batch", "letter", "-r", str(project / "bad.csv"), "--project",
                     str(project), "--strict")
    assert result.exit_code == 1
    for message in BAD_MESSAGES:
        assert message in result.stderr
    assert "--strict: 3 bad row(s); nothing was made" in result.stderr
    assert not (project / "build").exists()


def test_bad_rows_are_skipped_with_their_row_numbers_and_the_rest_made(project, fixed_date):
    (project / "bad.csv").write_text(BAD_ROSTER, "utf-8")
    result = run_cli("batch", "letter", "-r", str(project / "bad.csv"), "--project",
                     str(project), "--jobs", "1")
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 3
    for line, message in zip(skipped, BAD_MESSAGES, strict=True):
        assert line.startswith("skipped: " + message)
    assert "2 made, 0 unchanged, 3 skipped, 0 failed" in result.stderr
    out = project / "build" / "letter"
    assert sorted(p.name for p in out.glob("*.pdf")) == [COMBINED, "berg-anna.pdf",
                                                          "martin-louis.pdf"]
    assert "Riksdagen" in pdf_text(out / "berg-anna.pdf")
    assert "Monsieur le Député," in pdf_text(out / "martin-louis.pdf")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [(e["row"], e["status"]) for e in manifest["letters"]] == [
        (2, "built"), (3, "skipped"), (4, "skipped"), (5, "skipped"), (6, "built")]
    skipped_entries = manifest["letters"][1:4]
    assert skipped_entries[0]["message"] == "surname: required, but empty"
    assert skipped_entries[1]["language"] == "xx"
    assert all(e["files"] == {} for e in skipped_entries)
    assert len(PdfReader(out / COMBINED).outline) == 2


# --- resuming -----------------------------------------------------------------------------


def test_interrupted_batch_resumes_with_only_the_rest(tmp_path, fixed_date):
    root = copy_example(tmp_path / "project")
    roster = write_roster(root / "recipients.csv", roster_rows()[:8])
    out = root / "out"
    request = BatchRequest(project_dir=root, template="letter", recipients=roster,
                           out_dir=out, jobs=1)

    def stop_after_three(entry, done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(request, progress=stop_after_three)
    assert not temporary_files(out)
    first = STEMS[:3]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [e["status"] for e in manifest["letters"]] == ["built"] * 3 + ["interrupted"] * 5
    assert manifest["counts"]["interrupted"] == 5 and manifest["combined"] is None
    assert all(e["files"] == {} for e in manifest["letters"][3:])
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(first)
    before = mtimes(out, first)
    # a run killed mid-write leaves staged files; the next run removes them
    stale = [out / ".kovalenko-olena.pdf.x1y2z3ab.tmp",
             out / STATE_DIR / ".novak-alex.json.q_7rw0k2.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")

    again = run_batch(request)
    assert statuses(again) == {**{s: "unchanged" for s in first},
                               **{s: "built" for s in STEMS[3:8]}}
    assert mtimes(out, first) == before
    assert not any(path.exists() for path in stale)
    assert not temporary_files(out)
    assert len(PdfReader(out / COMBINED).outline) == 8
    counts = json.loads((out / "manifest.json").read_text("utf-8"))["counts"]
    assert (counts["unchanged"], counts["built"], counts["interrupted"]) == (3, 5, 0)


def test_ctrl_c_of_the_command_leaves_no_temporary_files_and_resumes(tmp_path, monkeypatch):
    root = copy_example(tmp_path / "project")
    roster = write_roster(root / "recipients.csv", roster_rows()[:12])
    out = root / "out"
    state = out / STATE_DIR
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "batch", "letter", "--recipients", str(roster),
         "--project", str(root), "--out", str(out), "--jobs", "2"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=default_sigint)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if state.is_dir() and len(list(state.glob("*.json"))) >= 3:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the batch finished (or failed) before it was interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "interrupted: " in stderr and "run the same command again" in stderr
    assert not temporary_files(out)
    stamped = {p.stem for p in state.glob("*.json")}
    assert 3 <= len(stamped) < 12
    for pdf in out.glob("*.pdf"):  # whatever has a real name is a whole file
        assert len(PdfReader(pdf).pages) >= 1
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {e["status"] for e in manifest["letters"]} <= {"built", "interrupted"}
    assert manifest["counts"]["interrupted"] > 0

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = run_batch(BatchRequest(project_dir=root, template="letter", recipients=roster,
                                   out_dir=out, jobs=2))
    done = statuses(again)
    assert set(done) == set(STEMS[:12])
    assert {s for s, status in done.items() if status == "unchanged"} == stamped
    assert {s for s, status in done.items() if status == "built"} == set(STEMS[:12]) - stamped
    assert len(PdfReader(out / COMBINED).outline) == 12


def edit_and_remove(root: Path, roster: Path) -> None:
    """Edit one row, then remove another: each run remakes only what changed."""
    rows = roster_rows()[:5]
    write_roster(roster, rows)
    out = root / "build" / "letter"
    request = BatchRequest(project_dir=root, template="letter", recipients=roster, jobs=1)
    assert set(statuses(run_batch(request)).values()) == {"built"}
    before = mtimes(out, STEMS[:5])

    rows[1] = {**rows[1], "address": "Verkhovna Rada\nHrushevskoho St 5\nKyiv 01008"}
    write_roster(roster, rows)
    result = run_batch(request)
    assert statuses(result) == {**{s: "unchanged" for s in STEMS[:5]},
                                "kovalenko-olena": "built"}
    after = mtimes(out, STEMS[:5])
    assert {n for n in before if before[n] != after[n]} == {"kovalenko-olena.pdf",
                                                           "kovalenko-olena.docx"}
    assert "Verkhovna Rada Hrushevskoho St 5 Kyiv 01008" in pdf_text(out / "kovalenko-olena.pdf")

    write_roster(roster, rows[1:])  # Frank Schwabe leaves the roster
    result = run_cli("batch", "letter", "-r", str(roster), "--project", str(root), "-j", "1")
    assert result.exit_code == 0, result.output
    assert "0 made, 4 unchanged, 0 skipped, 0 failed" in result.stderr
    for fmt in ("pdf", "docx"):
        path = out.resolve() / f"schwabe-frank.{fmt}"
        assert f"removed (no longer in the recipients file): {path}" in result.stderr
        assert not path.exists()
    assert not (out / STATE_DIR / "schwabe-frank.json").exists()
    assert mtimes(out, STEMS[1:5]) == {n: t for n, t in after.items() if "schwabe" not in n}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [e["id"] for e in manifest["letters"]] == STEMS[1:5]
    assert [b.title for b in PdfReader(out / COMBINED).outline] == [
        expected_bookmark(stem, r) for stem, r in zip(STEMS[1:5], rows[1:], strict=True)]


def test_editing_or_removing_a_row_remakes_only_that_letter(tmp_path, fixed_date):
    root = copy_example(tmp_path / "project")
    edit_and_remove(root, root / "recipients.csv")


def test_roster_in_content_folder_remakes_only_the_edited_letter(tmp_path, fixed_date):
    root = copy_example(tmp_path / "project")
    edit_and_remove(root, root / "content" / "recipients.csv")


# --- commands that refuse -----------------------------------------------------------------


def test_build_refuses_the_letter_template(project):
    result = run_cli("build", str(project), "--template", "letter")
    assert result.exit_code == 1
    assert "briefgen batch letter --recipients FILE" in result.stderr
    assert not (project / "build").exists()


def test_batch_refuses_a_one_document_template(project):
    result = run_cli("batch", "brief", "-r", "x.csv", "--project", str(project))
    assert result.exit_code == 1
    assert "template 'brief' makes one document, not one per recipient" in result.stderr
    assert "briefgen build --template brief" in result.stderr
    assert not (project / "build").exists()


# --- the handout behind each letter -------------------------------------------------------


def test_pack_puts_the_handout_behind_each_letter_on_an_odd_page(project, fixed_date):
    roster = write_roster(project / "recipients.csv", roster_rows()[1:3])  # en, fr
    result = run_cli("batch", "letter", "-r", str(roster), "--project", str(project), "--pack",
                     "-j", "1")
    assert result.exit_code == 0, result.output
    out = project / "build" / "letter-pack"
    assert not (project / "build" / "letter").exists()
    for stem, lang in (("kovalenko-olena", "en"), ("durand-lefevre-camille", "fr")):
        pages = PdfReader(out / f"{stem}.pdf").pages
        assert len(pages) == 2  # the one-page letter, then the one-page handout
        assert OPENING[lang] in flat(pages[0].extract_text())
        assert OPENING[lang] not in flat(pages[1].extract_text())
    reader = PdfReader(out / COMBINED)
    assert len(reader.pages) == 8  # letter, blank, handout, blank; twice
    assert [reader.get_destination_page_number(b) + 1 for b in reader.outline] == [1, 5]
    texts = [flat(reader.pages[i].extract_text()) for i in range(8)]
    assert [bool(t) for t in texts] == [True, False, True, False] * 2
    for page, handout in ((2, "_handout.pdf"), (6, "_handout.fr.pdf")):
        assert texts[page] == pdf_text(out / handout)  # the handout, also on its own


# --- YAML rosters -------------------------------------------------------------------------


YAML_ROSTER = """\
# recipients for the spring session
- title: Ms
  given_name: Olena
  surname: Kovalenko
  country: Ukraine
  group: EPP/CD
  language: en
- title: M.
  given_name: Luc
  surname: Girard
  country: Luxembourg
  group: ALDE
  language: fr
  signed: yes
- title: Mr
  given_name: Jan
  surname: Horak
  country: Czechia
  group: XYZ
  language: en
"""


def test_yaml_roster_makes_letters_and_locates_bad_fields(project, fixed_date):
    roster = project / "recipients.yaml"
    roster.write_text(YAML_ROSTER, "utf-8")
    result = run_cli("batch", "letter", "-r", str(roster), "--project", str(project),
                     "--format", "pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    # problems point at the bad field's own line, as in content files
    assert "skipped: recipients.yaml:19: group: unknown political group 'XYZ'" in result.stderr
    out = project / "build" / "letter"
    assert sorted(p.name for p in out.glob("*.pdf")) == [COMBINED, "girard-luc.pdf",
                                                          "kovalenko-olena.pdf"]
    assert not list(out.glob("*.docx"))
    assert "Volodymyr Ariev, Mariia Ionova and Olena Sotnyk" in pdf_text(
        out / "kovalenko-olena.pdf")
    girard = pdf_text(out / "girard-luc.pdf")
    assert "Monsieur le Député," in girard and "Je vous remercie d’avoir signé" in girard
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [(e["row"], e["status"]) for e in manifest["letters"]] == [
        (2, "built"), (8, "built"), (15, "skipped")]


def test_yaml_roster_that_is_not_a_list(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("surname: Kovalenko\ncountry: Ukraine\n", "utf-8")
    with pytest.raises(BriefgenError, match="expected a list of recipients"):
        load_recipients(path)


def test_yaml_roster_keeps_country_codes_as_written(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("- {surname: Hansen, country: NO, group: SOC, language: en}\n", "utf-8")
    (recipient,) = load_recipients(path).recipients
    assert recipient.country == "NO"


# --- forms of address ---------------------------------------------------------------------


@pytest.mark.parametrize("lang, title, office, salutation, expected", [
    ("en", "Ms", None, None, ("Dear Ms Kovalenko,", EN_CLOSING, "Ms Olena Kovalenko")),
    ("en", "Mr", None, None, ("Dear Mr Kovalenko,", EN_CLOSING, "Mr Olena Kovalenko")),
    ("en", "Mrs", None, None, ("Dear Mrs Kovalenko,", EN_CLOSING, "Mrs Olena Kovalenko")),
    ("en", "Dr", None, None, ("Dear Dr Kovalenko,", EN_CLOSING, "Dr Olena Kovalenko")),
    ("en", "Lord", None, None, ("Dear Lord Kovalenko,", EN_CLOSING, "Lord Olena Kovalenko")),
    ("en", "Sir", None, None, ("Dear Sir Olena,", EN_CLOSING, "Sir Olena Kovalenko")),
    ("en", "Dame", None, None, ("Dear Dame Olena,", EN_CLOSING, "Dame Olena Kovalenko")),
    ("en", None, None, None, ("Dear Olena Kovalenko,", EN_CLOSING, "Olena Kovalenko")),
    ("en", "Ms", "senator", None, ("Dear Ms Kovalenko,", EN_CLOSING, "Ms Olena Kovalenko")),
    ("en", "Ms", None, "Dear Olena,", ("Dear Olena,", EN_CLOSING, "Ms Olena Kovalenko")),
    ("fr", "Ms", None, None, ("Madame la Députée,", fr_closing("Madame la Députée"),
                              "Mme Olena Kovalenko")),
    ("fr", "Mme", None, None, ("Madame la Députée,", fr_closing("Madame la Députée"),
                               "Mme Olena Kovalenko")),
    ("fr", "Mrs", None, None, ("Madame la Députée,", fr_closing("Madame la Députée"),
                               "Mme Olena Kovalenko")),
    ("fr", "Mr", None, None, ("Monsieur le Député,", fr_closing("Monsieur le Député"),
                              "M. Olena Kovalenko")),
    ("fr", "M.", None, None, ("Monsieur le Député,", fr_closing("Monsieur le Député"),
                              "M. Olena Kovalenko")),
    ("fr", "Ms", "senator", None, ("Madame la Sénatrice,", fr_closing("Madame la Sénatrice"),
                                   "Mme Olena Kovalenko")),
    ("fr", "Mr", "senator", None, ("Monsieur le Sénateur,", fr_closing("Monsieur le Sénateur"),
                                   "M. Olena Kovalenko")),
    ("fr", "Dr", None, None, ("Madame, Monsieur,", fr_closing("Madame, Monsieur"),
                              "Dr Olena Kovalenko")),
    ("fr", None, None, None, ("Madame, Monsieur,", fr_closing("Madame, Monsieur"),
                              "Olena Kovalenko")),
    ("fr", "Lord", None, None, ("Monsieur,", fr_closing("Monsieur"), "Lord Olena Kovalenko")),
    ("fr", "Lady", None, None, ("Madame,", fr_closing("Madame"), "Lady Olena Kovalenko")),
    ("fr", "Mme", None, "Chère Madame,", ("Chère Madame,", fr_closing("Chère Madame"),
                                          "Mme Olena Kovalenko")),
])
def test_forms_of_address(lang, title, office, salutation, expected):
    forms = forms_of_address(lang, title, "Olena", "Kovalenko", office=office,
                             salutation=salutation)
    assert (forms.salutation, forms.closing, forms.name_line) == expected


def test_french_closing_uses_the_typographic_apostrophe():
    closing = forms_of_address("fr", "Mme", "Olena", "Kovalenko").closing
    assert "d’agréer" in closing and "l’expression" in closing and "'" not in closing


@pytest.mark.parametrize("lang, role, title, expected", [
    ("en", None, "Ms", "Member of the Parliamentary Assembly of the Council of Europe"),
    ("en", "substitute", "Ms",
     "Substitute member of the Parliamentary Assembly of the Council of Europe"),
    ("fr", "representative", "Mme",
     "Représentante à l’Assemblée parlementaire du Conseil de l’Europe"),
    ("fr", "representative", "M.",
     "Représentant à l’Assemblée parlementaire du Conseil de l’Europe"),
    ("fr", "substitute", "Dr",
     "Suppléant·e à l’Assemblée parlementaire du Conseil de l’Europe"),
])
def test_role_lines(lang, role, title, expected):
    assert forms_of_address(lang, title, "Olena", "Kovalenko", role=role,
                            assembly=PACE).role_line == expected


# --- letter facts -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def declaration(tmp_path_factory):
    root = copy_example(tmp_path_factory.mktemp("facts"))
    return Pipeline.open(root).content.declaration


def person(**fields) -> Recipient:
    data = {"row": 2, "surname": "Kovalenko", "given_name": "Olena", "country": "Ukraine",
            "group": "EPP/CD", "language": "en"}
    return Recipient.model_validate({**data, **fields})


def names(people) -> list[str]:
    return [p.name for p in people]


def test_facts_for_a_non_signatory(declaration):
    facts = letter_facts(person(), declaration, PACE)
    assert not facts.signed
    assert names(facts.delegation) == ["Volodymyr Ariev", "Mariia Ionova", "Olena Sotnyk"]
    assert names(facts.group) == ["Bogdan Klich", "Agnieszka Pomaska", "Maria Rizzotti"]


def test_facts_for_a_listed_signatory(declaration):
    facts = letter_facts(person(given_name="Frank", surname="Schwabe", country="Germany",
                                group="SOC"), declaration, PACE)
    assert facts.signed
    assert "Frank Schwabe" not in names(facts.delegation) + names(facts.group)
    # a signatory is found whatever the case and accents, and surname first
    for given, surname in (("rosa bjork", "BRYNJOLFSDOTTIR"), ("Sotnyk", "Olena")):
        assert letter_facts(person(given_name=given, surname=surname), declaration, PACE).signed


def test_facts_signed_column_overrides_the_list(declaration):
    assert letter_facts(person(signed="yes"), declaration, PACE).signed
    schwabe = person(given_name="Frank", surname="Schwabe", country="Germany", group="SOC",
                     signed="no")
    facts = letter_facts(schwabe, declaration, PACE)
    assert not facts.signed
    assert "Frank Schwabe" not in names(facts.delegation)  # not his own colleague


def test_facts_match_countries_and_groups_loosely(declaration):
    for country in ("Allemagne", "DE", "germany"):
        facts = letter_facts(person(country=country, group="ALDE"), declaration, PACE)
        assert names(facts.delegation) == ["Frank Schwabe"], country
    ec = letter_facts(person(country="Norway", group="EC/DA"), declaration, PACE)
    assert names(ec.group) == ["Markus Wiechel"]  # the declaration says "EC"
    assert letter_facts(person(country="Norway", group="EC"), declaration, PACE).group == ec.group


def test_facts_no_group_for_non_registered_members(declaration):
    facts = letter_facts(person(country="France", group="NR"), declaration, PACE)
    assert names(facts.delegation) == ["André Gattolin", "Jacques Maire"]
    assert facts.group == []  # though Maurizio Buccarella (NR, Italy) signed
    malta = letter_facts(person(country="Malta", group="NR"), declaration, PACE)
    assert (malta.delegation, malta.group) == ([], [])


# --- file names ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Kovalenko Olena", "kovalenko-olena"),
    ("Durand-Lefèvre Camille", "durand-lefevre-camille"),
    ("Ó Briain Tomás", "o-briain-tomas"),
    ("Sørensen Ingrid", "sorensen-ingrid"),
    ("Straße Jürgen", "strasse-jurgen"),
    ("Димитров Стефан", "dimitrov-stefan"),
    ("Георгиева Ралица", "georgieva-ralitsa"),
    ("Шевченко Юлія", "shevchenko-yuliya"),
    ("Καλογήρη Ελένη", "kalogiri-eleni"),
    ("de Vries  Anneke ", "de-vries-anneke"),
])
def test_slug(text, expected):
    assert slug(text) == expected


def test_slug_transliterates_serbian_cyrillic():
    assert slug("Ђорђевић Љиљана") == slug("Đorđević Ljiljana") == "dordevic-ljiljana"


def test_file_stems_number_duplicate_names_and_keep_ids():
    rows = [person(row=2), person(row=3), person(row=4, id="kovalenko-olena"),
            person(row=5, surname="Димитров", given_name="Стефан"), person(row=6),
            person(row=7, surname="李", given_name=None)]
    assert file_stems(rows) == {2: "kovalenko-olena-2", 3: "kovalenko-olena-3",
                                4: "kovalenko-olena", 5: "dimitrov-stefan",
                                6: "kovalenko-olena-4", 7: "row-7"}
    assert file_stems(rows[:2]) == {2: "kovalenko-olena", 3: "kovalenko-olena-2"}


# --- recipients files ---------------------------------------------------------------------


def load(tmp_path: Path, text: str | bytes, name: str = "r.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return load_recipients(path, tmp_path, PACE)


def test_missing_required_columns_are_named(tmp_path):
    with pytest.raises(BriefgenError) as exc:
        load(tmp_path, "surname,group\nKovalenko,SOC\n")
    (problem,) = exc.value.problems
    assert (problem.file, problem.line) == ("r.csv", 1)
    assert problem.message.startswith("missing columns country, language")
    assert "(the header has: surname, group)" in problem.message


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    text = "surname,country,group,language\nKovalenko,Ukraine,SOC,en\nMüller,Suisse,SOC,fr\n"
    with pytest.raises(BriefgenError) as exc:
        load(tmp_path, text.encode("cp1252"))
    (problem,) = exc.value.problems
    assert problem.line == 3
    assert "not UTF-8" in problem.message and "CSV UTF-8" in problem.message


def test_semicolon_file_from_european_excel(tmp_path):
    text = ("\ufeffTitre;Prénom;Nom;Pays;Political group;Language;Address\r\n"
            "Mme;Camille;Durand-Lefèvre;France;NR;FR;\"1, rue de Rivoli\r\nParis\"\r\n"
            "M.;Luc;Girard;Luxembourg;alde;fr;\r\n")
    roster = load(tmp_path, text)
    assert not roster.rejected
    first, second = roster.recipients
    assert (first.given_name, first.surname, first.language) == ("Camille", "Durand-Lefèvre",
                                                                 "fr")
    assert first.address_lines == ["1, rue de Rivoli", "Paris"]
    assert (second.row, second.group) == (3, "ALDE")  # a spreadsheet's row numbers
    assert first.extra == {"titre": "Mme"}  # not a known column: kept for templates


def test_header_aliases_are_accepted(tmp_path):
    text = ("Given name,Last name,Country,Political group,Lang,E-mail,Committee\n"
            "Olena,Kovalenko,Ukraine,EPP / CD,en,o.k@example.org,Legal Affairs\n")
    (recipient,) = load(tmp_path, text).recipients
    assert (recipient.given_name, recipient.surname, recipient.group, recipient.email) == (
        "Olena", "Kovalenko", "EPP/CD", "o.k@example.org")
    assert recipient.extra == {"committee": "Legal Affairs"}
    assert recipient.model_extra == {"committee": "Legal Affairs"}


def test_row_problems_are_located_and_other_rows_kept(tmp_path):
    text = ("surname,country,group,language,email,signed,id\n"
            "Kovalenko,Ukraine,SOC,en,not-an-address,,\n"
            "Girard,Luxembourg,ALDE,fr,,maybe,\n"
            "Novak,Slovenia,UEL,en,,,Bad Id\n"
            "Berg,Sweden,SOC,en,,,same\n"
            "Klein,Austria,SOC,en,,,same\n"
            "Martin,France,ALDE,fr,,oui,\n")
    roster = load(tmp_path, text)
    assert [str(p) for p in roster.problems] == [
        "r.csv, row 2: email: expected an email address like name@example.org, "
        "got 'not-an-address'",
        "r.csv, row 3: signed: expected yes or no, got 'maybe'",
        "r.csv, row 4: id: expected an id of lower-case letters, digits, '.', '_' or '-', "
        "got 'Bad Id'",
        "r.csv, row 6: id: 'same' is also the id of row 5; ids name the output files",
    ]
    assert [(r.row, r.surname) for r in roster.recipients] == [(5, "Berg"), (7, "Martin")]
    assert roster.recipients[1].signed is True


def test_header_only_file_has_no_recipients(tmp_path):
    with pytest.raises(BriefgenError, match="no recipients"):
        load(tmp_path, "surname,country,group,language\n")


def test_control_characters_in_a_roster_are_removed_with_a_located_warning(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"surname,given_name,country,group,language\n"
                     b"Ko\x0bvalenko,Ol\x00ena,Ukraine,SOC,en\n")
    roster = load_recipients(path, tmp_path)
    (recipient,) = roster.recipients
    assert (recipient.surname, recipient.given_name) == ("Kovalenko", "Olena")
    assert [str(w) for w in roster.warnings] == [
        "r.csv:2: removed control character U+000B, which documents cannot hold",
        "r.csv:2: removed control character U+0000, which documents cannot hold"]


def test_a_run_with_fewer_formats_removes_the_files_it_no_longer_makes(tmp_path, fixed_date):
    root = copy_example(tmp_path / "project")
    roster = root / "recipients.csv"
    roster.write_text("surname,given_name,country,group,language\n"
                      "Kovalenko,Olena,Ukraine,EPP/CD,en\n", "utf-8")
    run_batch(BatchRequest(root, "letter", roster, jobs=1))
    out = root / "build" / "letter"
    assert (out / "kovalenko-olena.docx").is_file()
    result = run_batch(BatchRequest(root, "letter", roster, formats=["pdf"], jobs=1))
    assert result.count("built") == 1
    assert (out / "kovalenko-olena.pdf").is_file()
    assert not (out / "kovalenko-olena.docx").exists()
    run_batch(BatchRequest(root, "letter", roster, formats=["docx"], jobs=1))
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "kovalenko-olena.docx", "manifest.csv", "manifest.json"]  # no stale print file


def test_workers_that_cannot_fork_prepare_their_own_batch(tmp_path, fixed_date, monkeypatch):
    """Windows and macOS start workers with 'spawn': each loads the project itself."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    root = copy_example(tmp_path / "project")
    roster = root / "recipients.csv"
    roster.write_text("title,surname,given_name,country,group,language\n"
                      "Ms,Kovalenko,Olena,Ukraine,EPP/CD,en\nMme,Martin,Élodie,France,SOC,fr\n"
                      ",Novak,Alex,Slovenia,NR,en\n", "utf-8")
    result = run_batch(BatchRequest(root, "letter", roster, formats=["pdf"], pack=True,
                                    jobs=2))
    assert result.count("built") == 3
    text = PdfReader(result.out_dir / "martin-elodie.pdf").pages[0].extract_text()
    assert "Madame la Députée" in " ".join(text.split())
    assert len(PdfReader(result.out_dir / "martin-elodie.pdf").pages) == 2  # with handout


def test_a_worker_that_dies_stops_the_run_and_the_manifest_says_so(tmp_path, fixed_date,
                                                                    monkeypatch):
    """A worker killed mid-letter (out of memory, kill -9) is noticed, not waited for."""
    from concurrent.futures.process import BrokenProcessPool

    from briefgen.batch.letters import LetterBatch

    parent = os.getpid()
    make = LetterBatch.make

    def dies_in_a_worker(self, job):
        if os.getpid() != parent and job.stem == "petrovic-ana":
            os._exit(9)
        return make(self, job)

    monkeypatch.setattr(LetterBatch, "make", dies_in_a_worker)
    root = copy_example(tmp_path / "project")
    roster = write_roster(root / "recipients.csv", roster_rows()[:8])
    with pytest.raises(BrokenProcessPool, match="petrovic-ana"):
        run_batch(BatchRequest(root, "letter", roster, formats=["pdf"], jobs=2))
    manifest = json.loads((root / "build/letter/manifest.json").read_text("utf-8"))
    status = {e["id"] or e["name"]: e["status"] for e in manifest["letters"]}
    assert status.get("petrovic-ana", "interrupted") == "interrupted"
    assert "built" in status.values()
    assert not temporary_files(root / "build" / "letter")


def test_a_pack_as_a_web_page_has_the_handout_in_its_own_styles(project, fixed_date):
    roster = project / "recipients.csv"
    roster.write_text("title,surname,given_name,country,group,language\n"
                      "Ms,Kovalenko,Olena,Ukraine,EPP/CD,en\n", "utf-8")
    result = run_batch(BatchRequest(project, "letter", roster, formats=["html"], pack=True,
                                    jobs=1))
    html = (result.out_dir / "kovalenko-olena.html").read_text("utf-8")
    assert "Dear Ms Kovalenko," in html
    assert 'class="new-page briefgen-following handout' in html
    assert ".briefgen-following-1 " in html  # the handout's rules, confined to it
    assert (result.out_dir / "_handout.html").is_file()


def test_a_large_batch_gets_its_print_file_in_parts(tmp_path, monkeypatch):
    """One print file per PRINT_PART letters (1,000; 4 here): memory stays flat, and each
    part stands alone — bookmarks from its first page, letters on odd pages."""
    import briefgen.batch.run as batch_run

    root = copy_example(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(batch_run, "PRINT_PART", 4)
    monkeypatch.setattr("briefgen.batch.combined.CHUNK", 3)
    result = run_cli("batch", "letter", "--recipients", str(ROSTER), "--project", str(root),
                     "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    out = root / "build" / "letter"
    parts = sorted(out.glob("_print-all-*.pdf"))
    assert [p.name for p in parts] == [f"_print-all-{i}.pdf" for i in range(1, 6)]
    assert not (out / COMBINED).exists()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["print_files"] == [p.name for p in parts]
    assert manifest["combined"] == parts[0].name
    titles = []
    for part in parts:
        reader = PdfReader(part)
        starts = [reader.get_destination_page_number(b) + 1 for b in reader.outline]
        assert starts[0] == 1 and all(page % 2 == 1 for page in starts)
        titles += [b.title for b in reader.outline]
        assert oct(part.stat().st_mode)[-3:] == "644"
    assert len(titles) == 20
    # fewer letters next time: the parts no longer needed go
    short = tmp_path / "six.csv"
    lines = ROSTER.read_text("utf-8").splitlines()
    short.write_text("\n".join(lines[:7]) + "\n", "utf-8")
    result = run_cli("batch", "letter", "--recipients", str(short), "--project", str(root),
                     "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("_print-all*.pdf")) == [
        "_print-all-1.pdf", "_print-all-2.pdf"]
