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

import pytest

from briefgen.batch.state import ManifestEntry, manifest_bytes

from .conftest import run_cli
from .test_batch import EPOCH

FORMULAS = ['=HYPERLINK("http://x","click")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


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
    files = manifest_bytes(entries, None, "letter", "r.csv")
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
