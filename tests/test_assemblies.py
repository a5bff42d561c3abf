"""A second brief, on another assembly's instrument, from `init --blank` alone.

The instruments below are made up for the tests (their titles say so): what is
tested is how briefgen presents any instrument of any assembly, and the figures
must not be read as the record of a real vote.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from .conftest import run_cli

NNBSP = "\u202f"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace(NNBSP, " ")).strip()


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat(" ".join(parts))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


EP_RESOLUTION = """\
assembly: european-parliament
kind: resolution
kind_name: {fr: Résolution d’urgence, en: Urgency resolution}
title: "Résolution d’essai sur la situation des droits humains (texte fictif)"
procedure: 2025/0000(RSP)
adopted_text: P10_TA(2025)0000
date: 2025-03-13
status: adopted
status_date: 2025-03-13
vote: {for: 500, against: 100, abstentions: 20}
tabled_by:
  groups: [EPP, S&D, Renew, Greens/EFA, The Left]
summary: |
  Une résolution d’essai, déposée par des groupes politiques et adoptée
  [@first-source].
sources: [first-source]
"""


@pytest.fixture(scope="module")
def ep_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ep") / "ep-brief"
    result = run_cli("init", str(root), "--blank", "--lang", "fr",
                     "--assembly", "european-parliament")
    assert result.exit_code == 0, result.output
    assert "content/instrument.yaml" in result.output  # what to edit first
    instrument = root / "content" / "instrument.yaml"
    assert "assembly: european-parliament" in instrument.read_text("utf-8")
    write(instrument, EP_RESOLUTION)
    return root


@pytest.fixture(scope="module")
def ep_built(ep_project: Path) -> dict[str, str]:
    out = ep_project / "build"
    texts = {}
    for template in ("brief", "handout"):
        result = run_cli("build", str(ep_project), "-t", template, "-f", "pdf,docx", "--force")
        assert result.exit_code == 0, result.output
        texts[f"{template}.pdf"] = pdf_text(out / f"{template}.pdf")
        texts[f"{template}.docx"] = docx_text(out / f"{template}.docx")
    return texts


def test_a_blank_project_builds_as_it_is(tmp_path: Path) -> None:
    root = tmp_path / "blank"
    assert run_cli("init", str(root), "--blank").exit_code == 0
    result = run_cli("build", str(root), "-f", "pdf,html,docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "build").iterdir() if p.is_file()) == [
        "brief.docx", "brief.html", "brief.pdf"]
    cases = list((root / "content" / "cases").glob("*.md"))
    assert len(cases) == 1 and "Kazakhstan" not in pdf_text(root / "build" / "brief.pdf")


def test_init_refuses_an_unknown_assembly_and_names_the_known_ones(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "x"), "--blank", "--assembly", "bundestag")
    assert result.exit_code == 1
    assert "unknown assembly 'bundestag'; known: european-parliament, pace" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("name", ["brief.pdf", "brief.docx"])
def test_the_brief_names_the_resolution_and_its_groups(ep_built: dict[str, str],
                                                       name: str) -> None:
    text = ep_built[name]
    assert "La résolution" in text and "déclaration" not in text.lower()
    assert "Type Résolution d’urgence" in text
    assert "Assemblée Parlement européen" in text
    # groups as the Parliament writes them in French (Verts/ALE, PPE): the assembly file
    assert "Déposée par PPE, S&D, Renew, Verts/ALE, The Left" in text
    assert "Situation adoptée, 13 mars 2025" in text
    assert "Vote 500 pour, 100 contre, 20 abstentions" in text
    assert "Procédure 2025/0000(RSP)" in text and "Texte adopté P10_TA(2025)0000" in text


@pytest.mark.parametrize("name", ["handout.pdf", "handout.docx"])
def test_the_handout_names_the_groups_once(ep_built: dict[str, str], name: str) -> None:
    text = ep_built[name]
    assert "LA RÉSOLUTION" in text.upper() and "déclaration" not in text.lower()
    assert text.count("Verts/ALE") == 1, text
    assert "Adoptée 13 mars 2025 (500 pour, 100 contre, 20 abstentions)" in text


def test_the_brief_pages_look_right(ep_project: Path, tmp_path: Path) -> None:
    """One page of the French resolution brief, as an image, for a person to look at
    (docs are regenerated with BRIEFGEN_SCREENSHOT=1); here: it renders at all."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(ep_project / "build" / "brief.pdf"))
    assert len(pdf) >= 3
    image = pdf[2].render(scale=0.5).to_pil()
    assert image.size[0] > 200


EP_RECIPIENTS = """\
title,given_name,surname,country,group,language,email
Ms,Anna,Example,Germany,EPP,en,
Mme,Camille,Exemple,France,Verts/ALE,fr,
Mr,Sam,Sample,Ireland,GUE/NGL,en,
M.,Luc,Essai,Belgique,S&D,fr,
Ms,Kim,Placeholder,Malta,EPP/CD,en,
Dr,Alex,Test,Austria,NI,en,
"""


@pytest.fixture(scope="module")
def ep_letters(ep_project: Path) -> tuple[Path, str]:
    write(ep_project / "content" / "letter.yaml", """\
signatures: [{name: Test Signatory, role: Advocacy officer}]
text:
  en:
    subject: About the resolution
    opening: "Your group ({group}) tabled the resolution."
  fr:
    subject: "Au sujet de la résolution"
    opening: "Votre groupe ({group}) a déposé la résolution."
""")
    write(ep_project / "members.csv", EP_RECIPIENTS)
    result = run_cli("batch", "letter", "-r", str(ep_project / "members.csv"), "--project",
                     str(ep_project), "-f", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return ep_project / "build" / "letter", result.output


def test_letters_to_members_of_the_european_parliament(ep_letters: tuple[Path, str]) -> None:
    out, output = ep_letters
    anna = pdf_text(out / "example-anna.pdf")
    assert "Ms Anna Example Member of the European Parliament" in anna
    assert "Your group (EPP) tabled" in anna  # not PACE's EPP/CD
    assert "Dear Ms Example," in anna
    camille = pdf_text(out / "exemple-camille.pdf")
    assert "Mme Camille Exemple Députée au Parlement européen" in camille
    assert "Votre groupe (Verts/ALE) a déposé" in camille and "Madame la Députée," in camille
    luc = pdf_text(out / "essai-luc.pdf")
    assert "M. Luc Essai Député au Parlement européen" in luc
    # a group's former name is today's group
    assert "Your group (The Left)" in pdf_text(out / "sample-sam.pdf")
    assert "Membre du Parlement européen" not in camille + luc


def test_a_group_of_another_assembly_is_refused_with_the_assemblys_groups(
        ep_letters: tuple[Path, str]) -> None:
    out, output = ep_letters
    assert ("members.csv, row 6: group: unknown political group 'EPP/CD'; the European "
            "Parliament has EPP, S&D, ECR, Renew, Greens/EFA, The Left, PfE, ESN, NI") in output
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    statuses = {e["name"]: e["status"] for e in manifest["letters"]}
    assert statuses["Kim Placeholder"] == "skipped" and statuses["Alex Test"] == "built"


HOUSE = """\
# A national parliament a project adds: no national delegations, parties as groups.
id: house-of-commons
name: {en: House of Commons}
short_name: {en: Commons}
languages: [en]
fallback_language: en
delegations: none
member_title: {en: Member of Parliament}
office: member
forms_of_address:
  en: {f: "{title} {name}", m: "{title} {name}", neutral: "{name}"}
groups:
  - code: Lab
    name: {en: Labour Party}
    aliases: [Labour]
  - code: Con
    name: {en: Conservative and Unionist Party}
    aliases: [Conservative]
  - code: LD
    name: {en: Liberal Democrats}
"""

EDM = """\
assembly: house-of-commons
kind: early-day-motion
number: "0"
title: "A test motion (made up for the tests)"
date: 2025-01-15
status: tabled
tabled_by:
  people:
    - {title: Ms, name: Jo Tester, group: Labour}
signatories:
  total: 2
  listed:
    - {title: Ms, name: Jo Tester, group: Lab}
    - {title: Mr, name: Max Muster, group: LD}
summary: A motion made up for the tests [@first-source].
sources: [first-source]
"""


def test_a_project_defines_its_own_assembly_and_writes_to_its_members(
        tmp_path: Path) -> None:
    root = tmp_path / "commons"
    assert run_cli("init", str(root), "--blank").exit_code == 0
    write(root / "assemblies" / "house-of-commons.yaml", HOUSE)
    write(root / "content" / "instrument.yaml", EDM)
    listed = run_cli("assembly", "list", str(root))
    assert listed.exit_code == 0
    assert re.search(r"house-of-commons\s+project\s+House of Commons \(Commons\)", listed.output)
    assert "groups: Lab, Con, LD" in listed.output

    result = run_cli("build", str(root), "-f", "pdf")
    assert result.exit_code == 0, result.output
    brief = pdf_text(root / "build" / "brief.pdf")
    assert "The motion" in brief and "Type Early day motion" in brief
    assert "Tabled by Jo Tester (Labour)" in brief
    assert "Assembly House of Commons" in brief

    write(root / "members.csv", "title,given_name,surname,country,group,language\n"
                                "Ms,Ann,Other,UK,Labour,en\nMr,Bob,Sample,UK,Lab,en\n")
    write(root / "content" / "letter.yaml", """\
signatures: [{name: Test Signatory}]
text:
  en:
    subject: The motion
    opening: We write about the motion.
    group: "Members of your party ({group}) signed it: {names}."
""")
    result = run_cli("batch", "letter", "-r", str(root / "members.csv"), "--project",
                     str(root), "-f", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    ann = pdf_text(root / "build" / "letter" / "other-ann.pdf")
    assert "Ms Ann Other Member of Parliament" in ann and "Dear Ms Other," in ann
    assert "Members of your party (Lab) signed it: Jo Tester." in ann
    rows = list(csv.DictReader((root / "build" / "letter" / "manifest.csv").open()))
    assert [r["status"] for r in rows] == ["built", "built"]


def test_an_assembly_file_with_a_mistake_is_located(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--blank").exit_code == 0
    head = "name: {en: Senate}\nlanguages: [en]\nfallback_language: en\n" \
           "member_title: {en: Senator}\ngroups:\n"
    write(root / "assemblies" / "senate.yaml",
          "id: senate\n" + head + "  - code: A\n  - code: B\n    aliases: [a]\n")
    write(root / "assemblies" / "council.yaml",
          "id: council\n" + head + "  - code: A\n  - {code: C, from: soon}\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 1
    assert "2 problems found" in result.output  # both files, in one run
    assert "assemblies/senate.yaml:1: 'a' names both the A and the B groups" in result.output
    assert ("assemblies/council.yaml:8: groups[1].from: expected a date as YYYY, YYYY-MM or "
            "YYYY-MM-DD, got 'soon'") in result.output


def test_a_group_the_assembly_lacks_is_an_error_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--blank", "--assembly", "pace").exit_code == 0
    path = root / "content" / "instrument.yaml"
    text = path.read_text("utf-8").replace(
        "tabled_by:\n", "date: 2019-04-11\ntabled_by:\n  groups: [SOC, S&D]\n")
    write(path, text)
    result = run_cli("check", str(root))
    assert result.exit_code == 1
    line = text.splitlines().index("  groups: [SOC, S&D]") + 1
    assert (f"content/instrument.yaml:{line}: tabled_by.groups[1]: 'S&D' is not a political "
            "group of the Parliamentary Assembly of the Council of Europe") in result.output
    assert "its groups on 2019-04-11: EPP/CD, SOC, EC/DA, EC, ALDE, UEL, FDG, NR" in \
        result.output


def test_a_group_named_before_it_existed_is_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--blank", "--assembly", "european-parliament"
                   ).exit_code == 0
    path = root / "content" / "instrument.yaml"
    write(path, path.read_text("utf-8").replace(
        "tabled_by:\n", "date: 2019-03-14\ntabled_by:\n  groups: [PfE]\n"))
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    assert "'PfE' was not the name of a group on 2019-03-14 (PfE: 2024-07-08)" in \
        result.output


def test_the_example_letters_still_follow_pace(tmp_path: Path) -> None:
    from briefgen.content.assembly import load_assemblies

    pace = load_assemblies(None)["pace"].assembly
    assert pace.member_line("fr", "substitute", "f") == (
        "Suppléante à l’Assemblée parlementaire du Conseil de l’Europe")
    assert pace.label("EC", "fr") == "CE" and pace.find("NI")[0].code == "NR"


def test_the_readmes_second_example_builds_as_it_says(tmp_path: Path) -> None:
    """The README's European Parliament example, copied from the README itself."""
    from .conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("### A second example"):]
    instrument = re.search(r"`content/instrument.yaml`:\n\n```yaml\n(.*?)```", section,
                           re.S).group(1)
    root = tmp_path / "kz-pe"
    assert run_cli("init", str(root), "--blank", "--lang", "fr", "--assembly",
                   "european-parliament").exit_code == 0
    write(root / "content" / "instrument.yaml", instrument)
    sources = (REPO / "content" / "sources.yaml").read_text("utf-8")
    entry = sources[sources.index("- id: ep-resolution-2019"):]
    entry = entry[:entry.index("\n\n")]
    write(root / "content" / "sources.yaml", "- id: first-source\n  title: T\n\n" + entry + "\n")
    result = run_cli("build", str(root), "-f", "pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "build" / "brief.pdf")
    for claim in re.findall(r"\"(Déposée par [^\"]+|adoptée, [^\"]+)\"", section):
        assert flat(claim) in text, claim
    assert "La résolution" in text and "Déposée par PPE" in text and "adoptée, 14" in text


def test_an_assembly_file_that_leads_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--blank").exit_code == 0
    (root / "assemblies").mkdir()
    (root / "assemblies" / "passwd.yaml").symlink_to("/etc/passwd")
    result = run_cli("check", str(root))
    assert result.exit_code == 1
    assert "assemblies/passwd.yaml: refused: it leads outside the project folder" in \
        result.output
    assert "root:" not in result.output
