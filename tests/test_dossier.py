"""The `dossier` template: a targeted-sanctions submission built from the example.

The example is built for real in PDF, HTML and Word, and read back: every target
category, regime, linked case and the submitting organisation must reach every
format; the PDF must be PDF/UA-1; French labels must be French. The content
checks for the new model (regimes, per-target criteria and evidence) are run
through the CLI, as a user meets them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from docx import Document
from lxml import etree, html
from pypdf import PdfReader

from briefgen.content.loader import load_content

from .conftest import REPO, copy_example, run_cli

SANCTIONS = "content/sanctions.yaml"
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}

# What the example must carry, written out so an emptied example cannot pass.
REGIME_TITLES = [
    "Global Magnitsky Human Rights Accountability Act, as implemented by Executive Order 13818",
    "Global Human Rights Sanctions Regulations 2020",
    "EU global human rights sanctions regime, Council Regulation (EU) 2020/1998 and "
    "Council Decision (CFSP) 2020/1999",
    "Justice for Victims of Corrupt Foreign Officials Act (Sergei Magnitsky Law)",
]
LABELS_EN = ["Submission recommending targeted sanctions", "Submitted by",
             "This submission is made under", "Legal basis", "Identity as known",
             "Conduct", "Linked cases", "Legal criteria under each regime", "Evidence",
             "Sources"]
LABELS_FR = ["Demande de sanctions ciblées", "Demande présentée par",
             "La présente demande est fondée sur", "Fondement juridique",
             "Identité connue", "Faits reprochés", "Cas liés",
             "Critères juridiques, régime par régime", "Éléments de preuve",
             "Mesures demandées", "non précisé dans les sources", "28 novembre 2026"]


def flat(text: str) -> str:
    """Whitespace collapsed (line breaks must not split a name); the word joiner that
    keeps a note number on its line is dropped."""
    return re.sub(r"\s+", " ", text.replace("\u2060", ""))


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat(" ".join(parts))


def output(result, suffix: str) -> Path:
    return next(p for p in result.outputs if p.suffix == suffix)


@pytest.fixture(scope="module")
def project(kit) -> Path:
    """The session's shared example (read only here)."""
    return kit["root"]


@pytest.fixture(scope="module")
def built(kit) -> dict[str, Path]:
    """The dossier in every format and in French, from the session's shared build."""
    en, fr = kit["dossier"], kit["dossier.fr"]
    return {"pdf": en["pdf"], "html": en["html"], "docx": en["docx"],
            "fr.pdf": fr["pdf"], "fr.docx": fr["docx"]}


@pytest.fixture(scope="module")
def content(project: Path):
    return load_content(project).content


@pytest.fixture(scope="module")
def expected(content) -> dict[str, list[str]]:
    sanctions = content.sanctions
    cases = {c.id: c for c in content.cases}
    names = [cases[cid].name for t in sanctions.targets for cid in t.cases]
    assert len(sanctions.targets) >= 7 and len(sanctions.regimes) == 4 and len(names) >= 13
    assert [r.title for r in sanctions.regimes] == REGIME_TITLES
    return {
        "categories": [t.category for t in sanctions.targets],
        "regimes": [r.title for r in sanctions.regimes],
        "cases": names,
        "organisations": [o.name for o in content.brief.organisations],
    }


# ------------------------------------------------------------------ outputs


def test_outputs_are_named_and_written(built):
    assert built["pdf"].name == "dossier.pdf"
    assert built["html"].name == "dossier.html"
    assert built["docx"].name == "dossier.docx"
    assert built["fr.pdf"].name == "dossier.fr.pdf"
    for path in built.values():
        assert path.stat().st_size > 10_000, path


def test_pdf_carries_every_target_regime_case_and_the_submitter(built, expected):
    text = pdf_text(built["pdf"])
    for group, values in expected.items():
        missing = [v for v in values if flat(v) not in text]
        assert not missing, (group, missing)
    assert "Your Organisation" in text
    for label in LABELS_EN:
        assert label in text, label
    # the analysis of the UK regime's scope is kept, as analysis
    assert "Our analysis: the Regulations as published in 2020 do not list arbitrary" in text
    assert "©" not in text  # "(c)" in "Article 1(c)" is not turned into a copyright sign
    assert "Article 1(c)" in text


def test_each_target_starts_a_page_and_the_request_gives_that_page(built, expected):
    reader = PdfReader(built["pdf"])
    top_of_text = float(reader.pages[0].mediabox.top) - 22 * 72 / 25.4  # 22 mm margin
    starts = {}
    for item in reader.outline:
        if not isinstance(item, list):  # level 2: h2 sections (the h1 is level 1)
            continue
        for entry in item:
            if not isinstance(entry, list):
                starts[flat(entry.title)] = (reader.get_destination_page_number(entry),
                                             float(entry["/Top"]))
    pages = []
    for category in expected["categories"]:
        page, top = starts[flat(category)]
        assert top == pytest.approx(top_of_text, abs=1), (category, top)
        pages.append(page)
    assert pages == sorted(set(pages)), pages
    # the request, on the page after the cover (issue 15), lists every category with
    # the page it starts on
    index = {}
    for line in reader.pages[1].extract_text(extraction_mode="layout").splitlines():
        match = re.match(r"^\s*\d+\.\s+(\S.*?\S)\s{2,}(\d+)\s*$", line)
        if match:
            index[match.group(1)] = int(match.group(2))
    assert index == {c: p + 1 for c, p in zip(expected["categories"], pages, strict=True)}


def test_pdf_is_pdf_ua_1(built):
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(built["pdf"]), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_headings_do_not_skip_levels(built, expected):
    tree = html.fromstring(built["html"].read_bytes())
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    h2 = [flat(h.text_content()).strip() for h in tree.iter("h2")]
    assert all(c in h2 for c in expected["categories"])


def test_criteria_are_a_real_table_with_a_header_row(built, content):
    tree = html.fromstring(built["html"].read_bytes())
    sections = tree.xpath('//section[contains(concat(" ", @class, " "), " target ")]')
    assert len(sections) == len(content.sanctions.targets)
    for section, target in zip(sections, content.sanctions.targets, strict=True):
        assert "new-page" in section.get("class").split()
        heads = section.xpath(".//table/thead/tr/th")
        assert [flat(th.text_content()) for th in heads] == ["Regime", "Criterion"]
        assert all(th.get("scope") == "col" for th in heads)
        rows = section.xpath(".//table/tbody/tr")
        assert len(rows) == len(target.criteria) == 4
        evidence = section.xpath('.//ol[@class="evidence"]/li')
        assert len(evidence) == len(target.evidence) >= 1
        # every evidence item carries its numbered note call
        assert all(li.xpath('.//sup[@class="note-call"]/a') for li in evidence)


def test_sources_section_lists_every_source_like_the_brief(built):
    tree = html.fromstring(built["html"].read_bytes())
    notes = tree.xpath('//section[@id="sources"]//ol[@class="notes"]/li')
    sources = yaml.safe_load((REPO / "content" / "sources.yaml").read_text("utf-8"))
    assert len(notes) == len(sources)
    assert all(li.xpath('./span[@class="note-short"]/cite') for li in notes)
    listed = " ".join(flat(li.text_content()) for li in notes)
    for source in sources:
        assert flat(source["title"]) in listed, source["id"]


def test_word_file_has_the_targets_as_headings_and_the_rest(built, expected):
    document = Document(str(built["docx"]))
    styled = [(p.style.name, flat(p.text).strip()) for p in document.paragraphs]
    # the cover (issue 15): the organisation's name above the title
    assert [s for s in styled if s[0] == "Title"] == [
        ("Title", "Submission recommending targeted sanctions")]
    heading1 = [text for style, text in styled if style == "Heading 1"]
    missing = [c for c in expected["categories"] if c not in heading1]
    assert not missing, (missing, heading1)
    assert "Legal basis" in heading1 and "Sources" in heading1
    heading2 = [text for style, text in styled if style == "Heading 2"]
    assert all(r in heading2 for r in expected["regimes"])
    text = docx_text(document)
    for group, values in expected.items():
        missing = [v for v in values if flat(v) not in text]
        assert not missing, (group, missing)
    assert "Your Organisation" in text
    # the criteria tables: a header row repeated on each page, then one row per regime
    criteria = [t for t in document.tables if flat(t.rows[0].cells[0].text) == "Regime"]
    assert len(criteria) == len(expected["categories"])
    for table in criteria:
        assert len(table.rows) == 5
        assert table.rows[0]._tr.trPr.find(f"{{{W['w']}}}tblHeader") is not None


def test_word_citations_are_footnotes(built):
    with zipfile.ZipFile(built["docx"]) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
    calls = body.xpath("//w:footnoteReference", namespaces=W)
    texts = [flat("".join(n.xpath(".//w:t/text()", namespaces=W)))
             for n in notes.xpath("//w:footnote[not(@w:type)]", namespaces=W)]
    assert len(calls) == len(texts) > 40
    assert any("Executive Order 13818" in t and "flipbuilder" in t for t in texts)


def test_french_build_has_french_labels(built, content, project):
    text = pdf_text(built["fr.pdf"])
    for label in LABELS_FR:
        assert label in text, label
    for english in ["Submission recommending", "Legal basis", "Evidence", "Linked cases",
                    "Identity as known", "not stated in the sources"]:
        assert english not in text, english
    assert PdfReader(built["fr.pdf"]).trailer["/Root"]["/Lang"] == "fr"
    document = Document(str(built["fr.docx"]))
    heading1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Fondement juridique" in heading1
    # the content in French: the example's translation of each target's category
    french = load_content(project).localized("fr")
    assert french is not None
    assert french.content.sanctions.targets[0].category in heading1
    assert content.sanctions.targets[0].category not in heading1


def test_french_and_english_catalogs_have_the_same_dossier_keys():
    import briefgen.i18n as i18n

    folder = Path(i18n.__file__).parent
    keys = {}
    for lang in ("en", "fr"):
        catalog = yaml.safe_load((folder / f"{lang}.yaml").read_text("utf-8"))
        keys[lang] = {k for k in catalog if k.startswith("dossier_")}
    assert keys["en"] == keys["fr"] and len(keys["en"]) >= 20
    templates = Path(i18n.__file__).parents[1] / "templates" / "dossier"
    used = set()
    for path in templates.rglob("*.j2"):
        used |= set(re.findall(r"t\('(dossier_\w+)'\)", path.read_text("utf-8")))
    assert used and used <= keys["en"], used - keys["en"]


# ------------------------------------------------------------------ content checks


def patch(project: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), "utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text("utf-8").split("\n")
    found = [n for n, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def test_unknown_regime_in_a_target_criterion_is_located(fresh):
    patch(fresh, SANCTIONS, "      - regime: ca-magnitsky", "      - regime: ca-magnitzky")
    line = line_of(fresh, SANCTIONS, "ca-magnitzky")
    out = failed(run_cli("check", str(fresh)))
    assert (f"{SANCTIONS}:{line}: targets[0].criteria[3].regime: target "
            "'detention-of-protesters' links to unknown regime 'ca-magnitzky' (known: "
            "ca-magnitsky, eu-global-human-rights, uk-global-human-rights, "
            "us-global-magnitsky)") in out
    assert out.startswith("1 problem found")


def test_a_build_stops_on_an_unknown_regime_too(fresh):
    patch(fresh, SANCTIONS, "      - regime: us-global-magnitsky", "      - regime: us")
    out = failed(run_cli("build", str(fresh), "--template", "dossier", "--format", "html"))
    assert "links to unknown regime 'us'" in out
    assert not (fresh / "build" / "dossier.html").exists()


def test_regime_sources_and_citations_are_checked(fresh):
    """Regimes get no code of their own: every `sources:` list and Markdown field is
    walked generically, so these are caught like anywhere else."""
    patch(fresh, SANCTIONS,
          "    sources: [uk-ghr-regulations, uk-ghr-note-ngos, uk-ghr-designations]",
          "    sources: [uk-ghr-regulations, uk-sanctions-list]")
    patch(fresh, SANCTIONS, "Travel ban and asset freeze [@uk-ghr-note-ngos].",
          "Travel ban and asset freeze [@uk-ghr-notes].")
    out = failed(run_cli("check", str(fresh)))
    source_line = line_of(fresh, SANCTIONS, "uk-sanctions-list")
    measures_line = line_of(fresh, SANCTIONS, "[@uk-ghr-notes]") - 1  # the `measures: |` key
    assert (f"{SANCTIONS}:{source_line}: regimes[1].sources[1]: unknown source "
            "'uk-sanctions-list' (sources.yaml defines: ") in out
    assert (f"{SANCTIONS}:{measures_line}: regimes[1].measures: citation [@uk-ghr-notes]: "
            "unknown source") in out
    assert out.startswith("2 problems found")


def test_evidence_sources_are_checked(fresh):
    patch(fresh, SANCTIONS, "        sources: [ep-resolution-2019]",
          "        sources: [ep-resolution-2091]")
    out = failed(run_cli("check", str(fresh)))
    bad = line_of(fresh, SANCTIONS, "ep-resolution-2091")
    assert (f"{SANCTIONS}:{bad}: targets[0].evidence[2].sources[0]: unknown source "
            "'ep-resolution-2091'") in out


def test_evidence_without_a_source_is_refused(fresh):
    patch(fresh, SANCTIONS, "        sources: [bilash-informburo]", "        sources: []")
    line = line_of(fresh, SANCTIONS, "        sources: []")
    out = failed(run_cli("check", str(fresh)))
    assert f"{SANCTIONS}:{line}: targets[2].evidence[1].sources: " in out
    assert "at least 1 item" in out


def test_duplicate_regime_id_is_reported(fresh):
    patch(fresh, SANCTIONS, "  - id: ca-magnitsky", "  - id: eu-global-human-rights")
    out = failed(run_cli("check", str(fresh)))
    assert "duplicate regime id 'eu-global-human-rights' (first defined on line" in out


def test_target_with_only_the_old_fields_still_builds(fresh):
    """A project written before the dossier fields existed builds as a dossier too."""
    (fresh / SANCTIONS).write_text(
        "targets:\n"
        "  - id: some-officials\n"
        "    category: Officials responsible for the detention of journalists\n"
        "    description: The sources do not name the officials [@odf-2019].\n"
        "    cases: [saniya-toiken]\n", "utf-8")
    result = run_cli("build", str(fresh), "--template", "dossier", "--format", "html")
    assert result.exit_code == 0, result.output
    page = (fresh / "build" / "dossier.html").read_text("utf-8")
    assert "Officials responsible for the detention of journalists" in page
    assert "not stated in the sources" in page
    assert "No evidence item recorded." in page
    assert 'id="legal-basis"' not in page  # no regimes, no legal-basis section
    assert 'id="target-some-officials"' in page
