"""`briefgen check` as a reviewer (review.py), and what templates need of the content.

Everything is run through the CLI, as a newcomer meets it: a fresh `briefgen init`
copy of the example must read like a reviewer's notes (file:line: warning: field:
message, exit status 0), `--strict` must turn them into errors (exit status 1),
and a project with every placeholder replaced must read clean. The dossier and the
case sheets refuse to build without what they need; parity compares what both
formats were meant to show.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.parity import compare, read_docx, read_pdf
from briefgen.pipeline import Pipeline

from .conftest import REPO, copy_example, run_cli

BRIEF = "content/brief.yaml"
LETTER = "content/letter.yaml"
SOURCES = "content/sources.yaml"
SANCTIONS = "content/sanctions.yaml"
CASE = "content/cases/03-svetlana-glushkova.md"

EXAMPLE_WARNINGS = [
    "content/brief.yaml:28: warning: organisations[0].name: placeholder 'Your Organisation "
    "(replace in content/brief.yaml)' left in: put the name of the publishing organisation",
    "content/brief.yaml:30: warning: organisations[0].contact.email: 'advocacy@example.org' "
    "is an example email address (example.org is reserved for examples): put your own email "
    "address",
    "content/brief.yaml:31: warning: organisations[0].contact.website: 'https://example.org' "
    "is an example web address (example.org is reserved for examples): put your own web "
    "address",
    "content/brief.yaml:34: warning: url: 'https://example.org/briefs/kazakhstan-magnitsky' is "
    "an example web address (example.org is reserved for examples): put the real web "
    "address, or remove the line",
    # the publication's identity (issue 15): the organisation's own, to replace
    "content/brief.yaml:36: warning: report_number: placeholder '00/2026 (replace in "
    "content/brief.yaml)' left in: put your own report number, or remove the line",
    "content/brief.yaml:37: warning: licence: placeholder 'CC BY 4.0 (replace in "
    "content/brief.yaml)' left in: put the terms on which you publish it (e.g. CC BY 4.0), "
    "or remove the line",
    "content/letter.yaml:25: warning: signatures[0].name: placeholder 'Your Name (replace in "
    "content/letter.yaml)' left in: put the name of the person who signs",
    "content/recipients.csv, row 2: warning: example recipient 'Alex Example' "
    "(alex.example@example.org) is still in the file: replace the example rows with the "
    "members you write to",
    "content/recipients.csv, row 3: warning: example recipient 'Camille Exemple' "
    "(camille.exemple@example.org) is still in the file: replace the example rows with the "
    "members you write to",
    "content/recipients.csv, row 4: warning: example recipient 'Sam Sample' "
    "(sam.sample@example.org) is still in the file: replace the example rows with the "
    "members you write to",
    "content/recipients.csv, row 5: warning: example recipient 'Kim Placeholder' (no email) "
    "is still in the file: replace the example rows with the members you write to",
    # a row in each language the letter is written in (content/letter.<lang>.yaml)
    *[f"content/recipients.csv, row {row}: warning: example recipient '{name}' ({email}) is "
      "still in the file: replace the example rows with the members you write to"
      for row, name, email in ((6, "Andrea Beispiel", "andrea.beispiel@example.org"),
                               (7, "Giulia Esempio", "giulia.esempio@example.org"),
                               (8, "Jorge Ejemplo", "jorge.ejemplo@example.org"),
                               (9, "Анна Пример", "no email"))],
]


def warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


def patch(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), "utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def finished(project: Path) -> Path:
    """The example with every placeholder replaced, as a user would leave it."""
    patch(project, BRIEF, "Your Organisation (replace in content/brief.yaml)",
          "Kazakhstan Solidarity Network")
    patch(project, BRIEF, "advocacy@example.org", "advocacy@kz-solidarity.eu")
    patch(project, BRIEF, "website: https://example.org\n",
          "website: https://kz-solidarity.eu\n")
    patch(project, BRIEF, "url: https://example.org/briefs/kazakhstan-magnitsky",
          "url: https://kz-solidarity.eu/briefs/magnitsky")
    patch(project, BRIEF, "00/2026 (replace in content/brief.yaml)", "KSN-2026-04")
    patch(project, BRIEF, "CC BY 4.0 (replace in content/brief.yaml)", "CC BY 4.0")
    patch(project, LETTER, "Your Name (replace in content/letter.yaml)", "Aliya Nurlanova")
    (project / "content" / "recipients.csv").write_text(
        "title,given_name,surname,country,group,language,email\n"
        "Ms,Olena,Kovalenko,Ukraine,EPP/CD,en,olena.kovalenko@rada.gov.ua\n", "utf-8")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


# -- a fresh copy of the example, and a finished project ----------------------------------


# the example's French translation, complete for what the templates print
FRENCH = ("French (fr): 208 of 217 texts translated, 9 kept in the original on purpose, "
          "0 changed since (check --lang fr lists them)\n")


def test_a_fresh_copy_reads_like_a_reviewers_notes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    ok(run_cli("init", str(fresh)))
    result = ok(run_cli("check", str(fresh)))
    assert warnings(result) == EXAMPLE_WARNINGS
    assert result.stdout == ("OK: 13 cases, 21 sources, 7 sanction targets; 15 warnings "
                             "(--strict fails on them)\n" + FRENCH)


def test_strict_makes_every_warning_an_error(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    ok(run_cli("init", str(fresh)))
    out = failed(run_cli("check", str(fresh), "--strict"))
    assert out.splitlines() == ["15 problems found:", *(
        "  " + line.replace(": warning: ", ": ", 1) for line in EXAMPLE_WARNINGS)]


def test_a_finished_project_reads_clean(project: Path) -> None:
    result = ok(run_cli("check", str(finished(project)), "--strict"))
    assert result.stderr == ""
    assert result.stdout == "OK: 13 cases, 21 sources, 7 sanction targets\n" + FRENCH
    for template in ("brief", "handout", "case-sheet", "dossier", "letter"):
        assert warnings(ok(run_cli("check", str(project), "-t", template))) == [], template


def test_the_repository_checks_with_its_own_placeholders() -> None:
    """The repository root is the example: its placeholders are real and reported; its
    letter is its own declaration's, so that one is not."""
    result = ok(run_cli("check", str(REPO)))
    assert warnings(result) == EXAMPLE_WARNINGS


# -- placeholders -------------------------------------------------------------------------


def test_placeholders_anywhere_in_the_content(project: Path) -> None:
    finished(project)
    with (project / CASE).open("a", encoding="utf-8") as case:
        case.write("\nMore from press@example.com or https://www.example.net/more.\n")
    patch(project, "content/events.yaml", "- id: side", "- place: Votre organisation\n  id: side")
    narrative = line_of(project, CASE, "press@example.com")
    place = line_of(project, "content/events.yaml", "Votre organisation")
    result = ok(run_cli("check", str(project)))
    assert warnings(result) == [
        f"{CASE}:{narrative}: warning: 'press@example.com' is an example email address "
        "(example.com is reserved for examples): replace it with your own text",
        f"content/events.yaml:{place}: warning: [0].place: placeholder 'Votre organisation' "
        "left in: put your own text",
    ]


def test_the_theme_in_briefgen_yaml_is_content_too(project: Path) -> None:
    finished(project)
    with (project / "briefgen.yaml").open("a", encoding="utf-8") as config:
        config.write("theme:\n  organisation: Your coalition\n")
    line = (project / "briefgen.yaml").read_text("utf-8").count("\n")
    assert warnings(ok(run_cli("check", str(project)))) == [
        f"briefgen.yaml:{line}: warning: theme.organisation: placeholder 'Your coalition' "
        "left in: put the name of the publishing organisation"]


def test_comments_may_mention_example_org(project: Path) -> None:
    """The example's own comments speak of placeholders: comments are not content."""
    finished(project)
    patch(project, BRIEF, "title: Magnitsky", "# see https://example.org/help\ntitle: Magnitsky")
    assert warnings(ok(run_cli("check", str(project)))) == []


# -- recipients and the letter --------------------------------------------------------------


def test_example_recipients_in_a_file_named_on_the_command_line(project: Path,
                                                                tmp_path: Path) -> None:
    finished(project)
    roster = tmp_path / "members.yaml"
    roster.write_text(
        "- {surname: Kovalenko, given_name: Olena, country: UA, group: EPP/CD, language: en}\n"
        "- {surname: Sample, given_name: Sam, country: DE, group: SOC, language: en}\n"
        "- surname: Roe\n"
        "  country: FR\n"
        "  group: SOC\n"
        "  language: fr\n"
        "  email: roe@example.com\n", "utf-8")
    result = ok(run_cli("check", str(project), "--recipients", str(roster)))
    shown = roster.as_posix()
    assert warnings(result) == [
        f"{shown}:2: warning: example recipient 'Sam Sample' (no email) is still in the "
        "file: replace the example rows with the members you write to",
        f"{shown}:3: warning: email: 'roe@example.com' is an example email address: put "
        "the member's own, or leave the cell empty",
    ]


def test_a_recipients_file_named_must_exist(project: Path) -> None:
    out = failed(run_cli("check", str(project), "--recipients", str(project / "nope.csv")))
    assert out == "1 problem found:\n  nope.csv: recipients file not found\n"


def test_the_projects_own_unreadable_recipients_file_is_a_warning(project: Path) -> None:
    finished(project)
    (project / "content" / "recipients.csv").write_bytes(b"surname,country,group,language\n"
                                                         b"Ren\xe9,FR,SOC,fr\n")
    result = ok(run_cli("check", str(project)))
    assert warnings(result) == [
        "content/recipients.csv:2: warning: not UTF-8 text; in a spreadsheet, save as 'CSV "
        "UTF-8' (the letters batch reads this file)"]


def test_the_examples_letter_under_another_declaration(project: Path) -> None:
    finished(project)
    assert warnings(ok(run_cli("check", str(project)))) == []  # the example's declaration
    patch(project, "content/declaration.yaml",
          'title: "“Magnitsky laws” sanctions must be imposed',
          'title: "Resolution on Kazakhstan: “Magnitsky laws” sanctions must be imposed')
    patch(project, LETTER, "I would be glad to discuss these cases with you.",
          "I would be glad to discuss them.")
    en, fr = line_of(project, LETTER, "  en:") + 1, line_of(project, LETTER, "  fr:") + 1
    # and each language in a file of its own (content/letter.<lang>.yaml)
    translated = [
        f"content/letter.{lang}.yaml:{line_of(project, f'content/letter.{lang}.yaml', 'subject:')}"
        ": warning: still the example's letter (its subject and opening), which names the "
        "example's declaration, while content/declaration.yaml holds another: write the "
        "letter for yours" for lang in ("de", "es", "it", "ru")]
    assert warnings(ok(run_cli("check", str(project)))) == translated + [
        f"{LETTER}:{line}: warning: text.{lang}: still the example's letter (its subject and "
        "opening), which names the example's declaration, while content/declaration.yaml "
        "holds another: write the letter for yours"
        for lang, line in (("en", en), ("fr", fr))]
    patch(project, LETTER, 'subject: "PACE Written Declaration No. 675 on',
          'subject: "The European Parliament resolution on')
    patch(project, LETTER, "      I am writing to you about Written Declaration No. 675",
          "      I am writing to you about the resolution")
    assert warnings(ok(run_cli("check", str(project)))) == translated + [
        f"{LETTER}:{fr}: warning: text.fr: still the example's letter (its subject and "
        "opening), which names the example's declaration, while content/declaration.yaml "
        "holds another: write the letter for yours"]


# -- sources ----------------------------------------------------------------------------------


def test_an_uncited_source_is_named_at_its_line(project: Path) -> None:
    finished(project)
    with (project / SOURCES).open("a", encoding="utf-8") as sources:
        sources.write("\n- id: rferl-2019\n  title: EU lawmakers call on Kazakhstan\n")
    line = line_of(project, SOURCES, "id: rferl-2019")
    assert warnings(ok(run_cli("check", str(project)))) == [
        f"{SOURCES}:{line}: warning: [21].id: source 'rferl-2019' is cited nowhere: cite it "
        "as [@rferl-2019] where the text relies on it, or remove it (every source listed "
        "must be cited)"]
    patch(project, CASE, "sources: [pace-wd-675, odf-2019]",
          "sources: [pace-wd-675, odf-2019, rferl-2019]")
    assert warnings(ok(run_cli("check", str(project)))) == []


def test_a_source_cited_only_in_markdown_counts(project: Path) -> None:
    finished(project)
    with (project / SOURCES).open("a", encoding="utf-8") as sources:
        sources.write("\n- id: rferl-2019\n  title: EU lawmakers call on Kazakhstan\n")
    with (project / CASE).open("a", encoding="utf-8") as case:
        case.write("\nAs reported at the time [@odf-2019; @rferl-2019].\n")
    assert warnings(ok(run_cli("check", str(project)))) == []


# -- statuses ---------------------------------------------------------------------------------

LATER = """      Kazakhstan’s capital [@odf-2019].
  - date: {date}
    status: {status}
    text: Released, as the sources say [@odf-2019].
"""


def _timeline(project: Path, date: str, status: str, as_of: str | None = None) -> None:
    patch(project, CASE, "      Kazakhstan’s capital [@odf-2019].\n",
          LATER.format(date=date, status=status))
    if as_of:
        patch(project, CASE, "status: prosecuted\n", f"status: prosecuted\nstatus_as_of: "
                                                     f"{as_of}\n")


def test_a_status_its_own_timeline_contradicts(project: Path) -> None:
    finished(project)
    _timeline(project, '"2019-05"', "released")
    status, event = line_of(project, CASE, "status: prosecuted"), line_of(
        project, CASE, "status: released")
    assert warnings(ok(run_cli("check", str(project)))) == [
        f"{CASE}:{status}: warning: status: 'prosecuted', but the timeline says 'released' "
        f"after the event of 2019-05 (line {event}), and no status_as_of is given: set "
        "status: released and status_as_of: 2019-05 if that is still so, or correct the "
        "event's status"]
    failed(run_cli("check", str(project), "--strict"))


def test_a_status_as_of_before_the_event(project: Path) -> None:
    finished(project)
    _timeline(project, "2019-05-20", "released", as_of="2019-04")
    event = line_of(project, CASE, "status: released")
    (warning,) = warnings(ok(run_cli("check", str(project))))
    assert (f"after the event of 2019-05-20 (line {event}), later than status_as_of "
            "2019-04: set status: released and status_as_of: 2019-05-20") in warning


@pytest.mark.parametrize(("date", "status", "as_of"), [
    ("2019-05-20", "released", "2019-05"),  # within the month status_as_of names
    ("2019-05-20", "released", "2019-06-01"),  # status given as of a later date
    ("2019-05-20", "prosecuted", None),  # the timeline agrees
])
def test_a_status_that_is_not_contradicted(project: Path, date: str, status: str,
                                           as_of: str | None) -> None:
    finished(project)
    _timeline(project, date, status, as_of)
    assert warnings(ok(run_cli("check", str(project)))) == []


def test_the_examples_statuses_agree_with_their_timelines() -> None:
    content = Pipeline.open(REPO).content
    for case in content.cases:
        for event in case.events:
            if event.status is not None:
                assert case.status_as_of is not None, case.id
                assert event.status == case.status, case.id


# -- what each template needs ---------------------------------------------------------------


def test_the_brief_without_asks_or_sanctions(project: Path) -> None:
    finished(project)
    (project / SANCTIONS).unlink()
    text = (project / BRIEF).read_text("utf-8")
    (project / BRIEF).write_text(text[:text.index("key_asks:")] + text[text.index("keywords:"):],
                                 "utf-8")
    notes = [w for w in warnings(ok(run_cli("check", str(project)))) if " template '" in w]
    assert notes == [
        "content/brief.yaml: warning: asks: template 'brief' will show nothing for 'What a "
        "parliamentarian can do': add asks: in content/brief.yaml, each with a title: and a "
        "text:",
        "content/brief.yaml: warning: key_asks: template 'brief' will show nothing for 'Key "
        "asks (on the cover)': add key_asks: in content/brief.yaml, a few short lines",
        "content/sanctions.yaml: warning: measures: template 'brief' will show nothing for "
        "'Recommended sanctions': add measures:, instruments: or targets: in "
        "content/sanctions.yaml (content/sanctions.yaml does not exist yet: create it)",
    ]
    handout = [w for w in warnings(ok(run_cli("check", str(project), "-t", "handout")))
               if " template '" in w]
    assert handout == [
        "content/brief.yaml: warning: asks: template 'handout' will show nothing for 'What a "
        "parliamentarian can do': add asks: (a title: and a text: each) or key_asks: in "
        "content/brief.yaml"]
    cases = [w for w in warnings(ok(run_cli("check", str(project), "-t", "case-sheet")))
             if " template '" in w]
    assert len(cases) == 13
    assert cases[2] == (f"{CASE}: warning: asks: template 'case-sheet' will show nothing for "
                        "'What is asked': add asks: in the case file, or key_asks: in "
                        "content/brief.yaml for every case")


def test_a_dossier_target_without_evidence_or_criteria(project: Path) -> None:
    finished(project)
    (project / SANCTIONS).write_text(
        "summary: We ask for targeted sanctions [@odf-2019].\n"
        "targets:\n"
        "  - id: some-officials\n"
        "    category: Officials responsible for the detention of journalists\n"
        "    cases: [saniya-toiken]\n", "utf-8")
    notes = [w for w in warnings(ok(run_cli("check", str(project), "-t", "dossier")))
             if " template '" in w]
    assert notes == [
        f"{SANCTIONS}: warning: regimes: template 'dossier' will show nothing for 'Legal "
        "basis': add regimes: in content/sanctions.yaml, the sanctions regimes the submission "
        "is made under (id, title, jurisdiction, criteria)",
        f"{SANCTIONS}:3: warning: targets[0].conduct: template 'dossier' will show nothing "
        "for 'Conduct': add conduct: to the target: what was done, when, where and to whom",
        f"{SANCTIONS}:3: warning: targets[0].criteria: template 'dossier' will show nothing "
        "for 'Legal criteria under each regime': add criteria: to the target: for each "
        "regime, the criterion its conduct meets",
        f"{SANCTIONS}:3: warning: targets[0].evidence: template 'dossier' will show nothing "
        "for 'Evidence': add evidence: to the target, each item a text: with its sources:",
    ]


DOSSIER_NEEDS_TARGETS = (
    "targets: template 'dossier' cannot be made with nothing for 'Categories of officials "
    "recommended for sanctions': add at least one target under targets: in "
    "content/sanctions.yaml, e.g. \"targets: [{id: prosecutors, category: Prosecutors who "
    "brought the charges, cases: [a-case-id]}]\", then its conduct:, criteria: and "
    "evidence: (see the comments in the example's sanctions.yaml)")


def test_the_dossier_refuses_to_build_without_targets(project: Path) -> None:
    ok(run_cli("build", str(project), "-t", "dossier", "--format", "html"))
    before = (project / "build" / "dossier.html").read_bytes()
    (project / SANCTIONS).write_text("summary: Nothing yet.\ntargets: []\n", "utf-8")
    out = failed(run_cli("build", str(project), "-t", "dossier", "--format", "html,pdf"))
    assert out == f"1 problem found:\n  {SANCTIONS}:2: {DOSSIER_NEEDS_TARGETS}\n"
    assert (project / "build" / "dossier.html").read_bytes() == before
    assert not (project / "build" / "dossier.pdf").exists()
    assert failed(run_cli("check", str(project), "-t", "dossier")) == out
    ok(run_cli("build", str(project), "--format", "html"))  # the brief needs no target


def test_the_dossier_without_a_sanctions_file(project: Path) -> None:
    (project / SANCTIONS).unlink()
    out = failed(run_cli("build", str(project), "-t", "dossier", "--format", "html"))
    assert out == (f"1 problem found:\n  {SANCTIONS}: {DOSSIER_NEEDS_TARGETS} "
                   f"({SANCTIONS} does not exist yet: create it)\n")
    assert not (project / "build").exists()


def test_case_sheets_refuse_to_build_without_a_case(project: Path) -> None:
    shutil.rmtree(project / "content" / "cases")
    (project / SANCTIONS).unlink()
    out = failed(run_cli("build", str(project), "-t", "case-sheet", "--split"))
    assert out == ("1 problem found:\n  content/cases/: template 'case-sheet' cannot be made "
                   "with nothing for 'The cases': add a file per person or group in "
                   "content/cases/ (see the content format in README.md)\n")


def test_a_project_templates_needs_are_checked_against_the_model(project: Path) -> None:
    flyer = project / "templates" / "flyer"
    flyer.mkdir(parents=True)
    (flyer / "template.yaml").write_text(
        "name: flyer\n"
        "sections:\n"
        "  - section: Programme\n"
        "    needs: [event]\n"
        "    add: events\n"
        "  - section: Evidence\n"
        "    needs:\n"
        "      - sanctions.targets[].evidence\n"
        "      - cases[].asks\n"
        "    add: evidence\n", "utf-8")
    out = failed(run_cli("check", str(project), "-t", "flyer"))
    assert out.splitlines() == [
        "2 problems found:",
        "  templates/flyer/template.yaml:4: sections[0].needs: 'event': the content has no "
        "field 'event' (fields: brief, declaration, events, cases, sanctions, sources, "
        "letter)",
        "  templates/flyer/template.yaml:7: sections[1].needs: paths with [] must all go "
        "through the same one list, e.g. [sanctions.targets[].conduct, "
        "sanctions.targets[].description]",
    ]


def test_a_project_template_declares_its_own_needs(project: Path) -> None:
    flyer = project / "templates" / "flyer"
    flyer.mkdir(parents=True)
    (flyer / "template.yaml").write_text(
        "name: flyer\nentry: flyer.html.j2\nstylesheets: []\n"
        "sections:\n"
        "  - section: Programme\n"
        "    needs: [events]\n"
        "    required: true\n"
        "    add: an event in content/events.yaml\n", "utf-8")
    (flyer / "flyer.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}<h1>{{ events[0].title }}</h1>'
        "{% endblock %}", "utf-8")
    ok(run_cli("build", str(project), "-t", "flyer", "--format", "html"))
    (project / "content" / "events.yaml").unlink()
    out = failed(run_cli("build", str(project), "-t", "flyer", "--format", "html"))
    assert out == ("1 problem found:\n  content/events.yaml: template 'flyer' cannot be made "
                   "with nothing for 'Programme': add an event in content/events.yaml "
                   "(content/events.yaml does not exist yet: create it)\n")


# -- parity: what both formats were meant to show ---------------------------------------------

KOZLOV = """---
name: Vladimir Kozlov
role: opposition-leader
status: released
country: Kazakhstan
sources: [ep-resolution-2019]
---
The European Parliament welcomed his early release in 2016 [@ep-resolution-2019].
"""


def test_parity_ignores_a_case_no_format_shows(project: Path) -> None:
    """The dossier shows only the cases linked to a target; a case linked to none is in
    neither format, which is no difference (it was reported as two)."""
    (project / "content" / "cases" / "14-vladimir-kozlov.md").write_text(KOZLOV, "utf-8")
    result = ok(run_cli("check", str(project), "--parity", "-t", "dossier"))
    assert "case 'Vladimir Kozlov'" not in result.output
    assert "13 cases); 0 differences." in result.output
    result = ok(run_cli("check", str(project), "--parity"))  # the brief shows every case
    assert "14 cases); 0 differences." in result.output


def test_parity_still_reports_a_case_one_format_dropped(project: Path) -> None:
    session = Pipeline.open(project)
    spec = session.template("dossier")
    doc = session.render(spec)
    pdf, word = read_pdf(session.write("pdf", doc)), read_docx(session.write("docx", doc))
    assert compare(pdf, word, session.content, doc.html).differences == []
    word.text = word.text.replace("Saniya Toiken", "S. Toiken")
    assert compare(pdf, word, session.content, doc.html).differences == [
        "case 'Saniya Toiken' missing from the Word text"]
    pdf.text = pdf.text.replace("Svetlana Glushkova", "")
    assert "case 'Svetlana Glushkova' missing from the PDF text" in compare(
        pdf, word, session.content, doc.html).differences
