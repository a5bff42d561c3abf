"""A recipients file from a stranger: what it cannot do to the batch's outputs.

- cells that a spreadsheet would run as formulas reach manifest.csv as text;
- names and ids of any length make files a file system can hold;
- a quote left open does not swallow the rows after it into one cell.

(Rejected rows and failing loads also have cases in tests/bad_inputs/.)
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from briefgen.batch.recipients import (
    MAX_STEM_BYTES,
    Recipient,
    cut_to_bytes,
    file_stems,
    load_recipients,
)
from briefgen.batch.state import STATE_DIR, ManifestEntry, manifest_bytes
from briefgen.errors import BriefgenError

from .conftest import run_cli
from .test_batch import EPOCH, pdf_text

FORMULAS = ['=HYPERLINK("http://x","click")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
NAME_MAX = 255  # bytes in a file name, Linux


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def batch(project: Path, roster: str, name: str = "recipients.csv", *args: str):
    path = project / name
    path.write_text(roster, "utf-8")
    result = run_cli("batch", "letter", "-r", str(path), "--project", str(project),
                     "-j", "1", *args)
    assert "Traceback" not in result.output
    return result, project / "build" / "letter"


def manifest_csv(out: Path) -> list[dict[str, str]]:
    text = (out / "manifest.csv").read_bytes().decode("utf-8-sig")  # "\r" kept as it is
    return list(csv.DictReader(io.StringIO(text, newline="")))


def manifest_json(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


def letters(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(
        ("_", "manifest.")))


# --- formulas in manifest.csv -------------------------------------------------------------


def _entry(row: int, text: str, status: str = "skipped") -> ManifestEntry:
    cells = {k: text for k in ("title", "given_name", "surname", "country", "group",
                               "language", "email")}
    return ManifestEntry(row, text, text, text, status, {"pdf": text, "docx": text}, 0,
                         message=text, recipient=cells)


def test_every_manifest_csv_cell_that_starts_a_formula_is_quoted_and_json_is_exact():
    entries = [_entry(n, text) for n, text in enumerate(FORMULAS, start=2)]
    entries.append(_entry(8, "Kovalenko, Olena \"O'K\"\n2nd line", "built"))
    files = manifest_bytes(entries, [], "letter", "r.csv")
    text = files["manifest.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(entries)  # a carriage return in a cell starts no row
    for row, formula in zip(rows, FORMULAS, strict=False):
        assert row.pop("row").isdigit()
        assert row.pop("pages") == "" and row.pop("html") == ""
        assert row.pop("status") == "skipped"
        assert row == dict.fromkeys(row, "'" + formula), row
    assert set(rows[-1].values()) - {"8", "built", ""} == {
        "Kovalenko, Olena \"O'K\"\n2nd line"}  # nothing else is changed
    letters = json.loads(files["manifest.json"])["letters"]
    assert [e["message"] for e in letters[:-1]] == FORMULAS  # for scripts: as it was
    assert [e["recipient"]["surname"] for e in letters[:-1]] == FORMULAS


FORMULA_ROSTER = """\
title,given_name,surname,country,group,language,email
Ms,+1,"=HYPERLINK(""http://x"",""click"")",Ukraine,SOC,en,
@SUM(A1),Anna,-2,Sweden,SOC,en,
Mr,-3,Horak,Czechia,"=HYPERLINK(""http://x"",""click"")",en,@SUM(A1)
"""


def test_formulas_from_a_csv_roster_are_text_in_manifest_csv(project, fixed_date):
    result, out = batch(project, FORMULA_ROSTER, "recipients.csv", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "2 made, 0 unchanged, 1 skipped, 0 failed" in result.stderr
    assert letters(out) == ["2-anna.docx", "hyperlink-http-x-click-1.docx"]
    rows = manifest_csv(out)
    assert [(r["row"], r["status"]) for r in rows] == [("2", "built"), ("3", "built"),
                                                       ("4", "skipped")]
    assert (rows[0]["given_name"], rows[0]["surname"]) == (
        "'+1", '\'=HYPERLINK("http://x","click")')
    assert (rows[1]["title"], rows[1]["surname"]) == ("'@SUM(A1)", "'-2")
    assert (rows[2]["given_name"], rows[2]["group"], rows[2]["email"]) == (
        "'-3", '\'=HYPERLINK("http://x","click")', "'@SUM(A1)")
    assert rows[2]["message"].startswith("group: unknown political group '=HYPERLINK(")
    assert [r["docx"] for r in rows] == ["hyperlink-http-x-click-1.docx", "2-anna.docx", ""]
    exact = manifest_json(out)["letters"]
    assert exact[0]["recipient"]["surname"] == '=HYPERLINK("http://x","click")'
    assert exact[2]["recipient"]["email"] == "@SUM(A1)"


FORMULA_YAML = """\
- surname: "\\tx"
  given_name: "\\rx"
  country: "=1+1"
  group: XYZ
  language: en
- {surname: Berg, country: Sweden, group: SOC, language: en}
"""


def test_tab_and_carriage_return_cells_of_a_yaml_roster_are_text_in_manifest_csv(
        project, fixed_date):
    # valid rows lose leading whitespace; a skipped row keeps its cells as they were read
    result, out = batch(project, FORMULA_YAML, "recipients.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert letters(out) == ["berg.docx"]
    rows = manifest_csv(out)
    assert len(rows) == 2
    assert (rows[0]["status"], rows[0]["surname"], rows[0]["given_name"],
            rows[0]["country"]) == ("skipped", "'\tx", "'\rx", "'=1+1")
    assert rows[0]["message"].startswith("group: unknown political group 'XYZ'")
    assert manifest_json(out)["letters"][0]["recipient"]["given_name"] == "\rx"


# --- long names and ids -------------------------------------------------------------------


def test_cut_to_bytes_never_splits_a_character():
    assert cut_to_bytes("щ" * 10, 5) == "щщ"
    assert cut_to_bytes("ab€", 4) == "ab"
    assert cut_to_bytes("abc", 100) == "abc"


def person(row: int, surname: str, given_name: str | None = "Olena",
           **fields: str) -> Recipient:
    return Recipient.model_validate({"row": row, "surname": surname, "given_name": given_name,
                                     "country": "Ukraine", "group": "SOC", "language": "en",
                                     **fields})


def test_long_names_are_cut_to_unique_stems_within_the_limit():
    long_a, long_b = "Kovalenko" * 40, "Kovalenko" * 39 + "Kovalenkx"  # 360 characters
    cyrillic = "Щербаченко" * 36  # 360 characters, 720 bytes; "shch…" once transliterated
    rows = [person(2, long_a), person(3, long_b), person(4, long_a), person(5, cyrillic),
            person(6, "Kovalenko"), person(7, "x" * 200, id="a" * MAX_STEM_BYTES)]
    stems = file_stems(rows)
    assert len(set(stems.values())) == len(rows)
    assert all(len(s.encode()) <= MAX_STEM_BYTES for s in stems.values())
    assert stems[2].startswith("kovalenkokovalenko") and stems[5].startswith("shcherbachenko")
    assert stems[4].endswith(stems[2][-9:] + "-2")  # the same long name twice: same hash
    assert stems[6] == "kovalenko-olena"  # a short name is not touched
    assert stems[7] == "a" * MAX_STEM_BYTES
    assert file_stems(rows[:1]) == {2: stems[2]}  # the same in any roster


def test_an_id_too_long_for_a_file_name_is_a_bad_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("surname,country,group,language,id\n"
                    f"Kovalenko,Ukraine,SOC,en,{'a' * (MAX_STEM_BYTES + 1)}\n"
                    f"Berg,Sweden,SOC,en,{'b' * MAX_STEM_BYTES}\n", "utf-8")
    roster = load_recipients(path, tmp_path)
    assert [r.surname for r in roster.recipients] == ["Berg"]
    assert [str(p) for p in roster.problems] == [
        f"r.csv, row 2: id: {MAX_STEM_BYTES + 1} characters, too long for a file name; ids "
        f"name the output files and may have at most {MAX_STEM_BYTES}"]


LONG_ROSTER = f"""\
surname,given_name,country,group,language,id
{"Kovalenko" * 40},Olena,Ukraine,SOC,en,
{"Kovalenko" * 40},Olena,Ukraine,SOC,en,
{"Щербаченко" * 36},{"Олена" * 20},Ukraine,SOC,en,
Berg,Anna,Sweden,SOC,en,{"a" * 300}
Klein,Eva,Austria,SOC,en,{"щ" * 300}
"""


def test_a_360_character_surname_makes_letters_and_a_300_character_id_is_skipped(
        project, fixed_date):
    result, out = batch(project, LONG_ROSTER)
    assert result.exit_code == 0, result.output
    assert "3 made, 0 unchanged, 2 skipped, 0 failed" in result.stderr
    assert "skipped: recipients.csv, row 5: id: 300 characters, too long for a file name" in (
        result.stderr)
    assert "skipped: recipients.csv, row 6: id: expected an id of lower-case" in result.stderr
    made = letters(out)
    assert len(made) == 6  # three letters, PDF and Word
    for name in made + [p.name for p in (out / STATE_DIR).iterdir()]:
        assert len(name.rsplit(".", 1)[0].encode()) <= MAX_STEM_BYTES
        assert len(f".{name}.12345678.tmp".encode()) < NAME_MAX  # output.py's temporary name
    pdfs = [m for m in made if m.endswith(".pdf")]
    assert "Kovalenko" * 10 in pdf_text(out / pdfs[0]).replace(" ", "")
    title = docx.Document(str(out / made[0])).core_properties.title  # Word's limit
    assert len(title) == 255 and "Kovalenko" * 10 in title
    rows = manifest_csv(out)
    assert [(r["row"], r["status"]) for r in rows] == [
        ("2", "built"), ("3", "built"), ("4", "built"), ("5", "skipped"), ("6", "skipped")]
    assert sorted(r["pdf"] for r in rows[:3]) == pdfs
    assert rows[1]["pdf"].endswith(rows[0]["pdf"][-len("-0123abcd.pdf"):-len(".pdf")] + "-2.pdf")
    # a re-run finds every letter by its stamp
    again, _ = batch(project, LONG_ROSTER)
    assert "0 made, 3 unchanged, 2 skipped, 0 failed" in again.stderr


# --- a quote left open --------------------------------------------------------------------


def load_csv(tmp_path: Path, text: str):
    path = tmp_path / "r.csv"
    path.write_text(text, "utf-8")
    return load_recipients(path, tmp_path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BriefgenError) as exc:
        load_csv(tmp_path, text)
    return [str(p) for p in exc.value.problems]


HEADER = "surname,given_name,country,group,language,address\n"


@pytest.mark.parametrize("text, addresses", [
    # the address last, over three lines, one of them with a quoted word
    (HEADER + 'Berg,Anna,Sweden,SOC,en,"Riksdagen\n""Norra"" entrance\n100 12 Stockholm"\n'
              "Klein,Eva,Austria,SOC,en,\n",
     [["Riksdagen", '"Norra" entrance', "100 12 Stockholm"], []]),
    # the address first: its last line holds the rest of the row
    ("address,surname,country,group,language\n"
     '"Riksdagen\n100 12 Stockholm",Berg,Sweden,SOC,en\n,Klein,Austria,SOC,en\n',
     [["Riksdagen", "100 12 Stockholm"], []]),
    # separators inside the address, on every line; the multi-line row is the last one
    (HEADER + "Klein,Eva,Austria,SOC,en,\n"
              'Berg,Anna,Sweden,SOC,en,"Riksdagen, Building A, Floor 2, Room 4\n'
              '100 12, Stockholm, Sweden"\n',
     [[], ["Riksdagen, Building A, Floor 2, Room 4", "100 12, Stockholm, Sweden"]]),
    # European Excel: semicolons, the address in the middle
    ("Nom;Pays;Address;Political group;Language\r\n"
     'Durand;France;"1, rue de Rivoli\r\n75001 Paris\r\nFrance";NR;fr\r\n'
     "Girard;Luxembourg;;alde;fr\r\n",
     [["1, rue de Rivoli", "75001 Paris", "France"], []]),
])
def test_cells_of_several_lines_are_kept(tmp_path, text, addresses):
    roster = load_csv(tmp_path, text)
    assert not roster.rejected
    assert [r.address_lines for r in roster.recipients] == addresses
    assert [r.row for r in roster.recipients] == [2, 3]


def test_a_quote_left_open_to_the_end_of_the_file(tmp_path):
    text = (HEADER + "Berg,Anna,Sweden,SOC,en,\n"
            '"Klein,Eva,Austria,SOC,en,\n'
            "Girard,Luc,Luxembourg,ALDE,fr,\n"
            "Martin,Louis,France,ALDE,fr,\n")
    assert problems(tmp_path, text) == [
        "r.csv:3: surname: unbalanced quote: this cell runs over 3 lines, to the end of the "
        "file; close the quote"]
    # on the last line, without a line end: still open
    assert problems(tmp_path, HEADER + "Berg,Anna,Sweden,SOC,en,\nKlein,Eva,\"Austria,SOC,en,") == [
        "r.csv:3: country: unbalanced quote: this cell runs over 1 line, to the end of the "
        "file; close the quote"]


def test_a_quote_closed_only_by_a_later_one_and_every_problem_at_once(tmp_path):
    text = (HEADER + 'Berg,Anna,Sweden,"SOC,en,\n'            # 2: closed on line 4
            "Klein,Eva,Austria,SOC,en,\n"
            'Girard,Luc,Luxembourg,ALDE,fr,"Chambre des députés\n'
            'Luxembourg"\n'
            'Martin,Louis,France,ALDE,fr,"Assemblée nationale\n'   # 6: closed on line 7
            'Lee,Kim,Malta,"NR,en,\n'
            "Ross,Tom,Ireland,UEL,en,\n"
            'Horak,Jan,"Czechia,SOC,en,\n')                       # 9: never closed
    assert problems(tmp_path, text) == [
        "r.csv:2: group: unbalanced quote: this cell runs over 3 lines; close the quote",
        "r.csv:6: address: unbalanced quote: this cell runs over 2 lines; close the quote",
        "r.csv:9: country: unbalanced quote: this cell runs over 1 line, to the end of the "
        "file; close the quote"]


def test_a_quote_left_open_in_the_header(tmp_path):
    assert problems(tmp_path, '"surname,country,group,language\nBerg,Sweden,SOC,en\n') == [
        "r.csv:1: unbalanced quote: header cell 1 runs over 2 lines; close the quote"]


def test_a_quote_left_open_makes_no_letter(project):
    result, out = batch(project, HEADER + "Berg,Anna,Sweden,SOC,en,\n"
                        '"Klein,Eva,Austria,SOC,en,\nGirard,Luc,Luxembourg,ALDE,fr,\n')
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "  recipients.csv:3: surname: unbalanced quote: this cell runs over 2 lines, to the "
        "end of the file; close the quote"]
    assert not out.exists()
