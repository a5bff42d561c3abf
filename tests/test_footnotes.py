"""Word footnotes a reader can live with: one per citation group, the full reference
the first time a source is cited, a short form after that, "Ibid." for the source of
the note just before (render/notes.py has the rule; writers/docx/convert.py applies it)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen.content.model import Source
from briefgen.i18n import labels
from briefgen.parity import compare, parity_report, read_docx, read_pdf
from briefgen.pipeline import Pipeline
from briefgen.render.contract import NOTE_CALL
from briefgen.render.notes import SHORT_FORM_LIMIT, cut_title, short_form, short_forms
from briefgen.writers.docx.oxml import bookmark_name

from .test_docx import tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Characters of footnote text in the example brief's .docx before this change: 154
# footnotes, 23,144 characters (bench/bench_footnotes.py at commit 3fac99b, when every
# source of a citation group had its own footnote and a repeat gave publisher and
# whole title).
BEFORE = 23_144
ODF_URL = "https://en.odfoundation.eu/a/9210,"


def footnotes(docx: Path) -> list[etree._Element]:
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    return [n for n in root.iter(f"{W}footnote") if n.get(f"{W}type") is None]


def text(note: etree._Element) -> str:
    """What a reader reads: without the invisible marks of where an address may break."""
    return "".join(t.text or "" for t in note.iter(f"{W}t")).strip() \
        .replace("\u200b", "").replace("\u2060", "")


@pytest.fixture(scope="module")
def brief(kit) -> dict:
    """The example brief: its footnotes, each as its sources (bookmark, text), and the
    bookmark of odf-2019's note."""
    html = lxml.html.fromstring(kit["brief"]["html"].read_bytes())
    odf = next(li.get("id") for li in html.iter("li")
               if ODF_URL in (li.xpath(".//a/@href") or [""])[0])
    return {"notes": footnotes(kit["brief"]["docx"]), "html": html,
            "parts": read_docx(kit["brief"]["docx"].read_bytes()).note_parts,
            "odf": bookmark_name(odf)}


def test_the_footnotes_hold_at_most_a_third_of_the_text_they_did(brief):
    assert sum(len(text(n)) for n in brief["notes"]) <= BEFORE / 3


def test_odf_2019_is_cited_in_full_once_then_in_a_short_form(brief):
    cited = [t for parts in brief["parts"] for anchor, t in parts if anchor == brief["odf"]]
    assert len(cited) > 50
    first, *later = cited
    assert first.startswith("Open Dialogue Foundation, PACE Members: “Magnitsky laws” "
                            "sanctions must be imposed") and ODF_URL in first
    shorts = [t for t in later if t != "Ibid."]
    assert shorts and all(len(t) <= SHORT_FORM_LIMIT and "http" not in t for t in shorts)
    assert set(shorts) <= {"ODF, PACE Members: “Magnitsky laws”…"}


def test_ibid_only_directly_after_a_note_citing_the_same_one_source(brief):
    parts = brief["parts"]
    ibids = 0
    for i, sources in enumerate(parts):
        same = i > 0 and len(sources) == 1 and len(parts[i - 1]) == 1 \
            and sources[0][0] == parts[i - 1][0][0]
        assert (sources[0][1] == "Ibid.") == same, (i + 1, sources)
        ibids += same
    assert ibids > 10
    # in italics, as is customary
    ibid = next(n for n in brief["notes"] if text(n) == "Ibid.")
    run = next(t.getparent() for t in ibid.iter(f"{W}t") if t.text == "Ibid.")
    assert run.find(f"{W}rPr/{W}i") is not None


def test_a_citation_group_is_one_footnote(brief):
    calls = [[a.get("href")[1:] for a in sup.iter("a")]
             for sup in brief["html"].find_class(NOTE_CALL)]
    assert len(calls) == len(brief["notes"]) and any(len(c) > 1 for c in calls)
    assert [[bookmark_name(c) for c in group] for group in calls] == \
        [[anchor for anchor, _ in parts] for parts in brief["parts"]]
    group = next(n for n, c in zip(brief["notes"], calls, strict=True) if len(c) == 2)
    assert "; " in text(group) and text(group)[-1] in ".…"


def test_the_short_form_is_for_word_footnotes_only(kit):
    pdf = " ".join(p.extract_text() for p in PdfReader(kit["brief"]["pdf"]).pages)
    body = read_docx(kit["brief"]["docx"].read_bytes()).text
    for shown in (pdf, body):  # the list of sources is the full one in both
        assert "ODF, PACE Members" not in shown and "Open Dialogue Foundation, PACE" in shown


def test_pandoc_finds_every_footnote(kit, brief):
    plain = subprocess.run([tool("pandoc"), "-f", "docx", "-t", "plain",
                            str(kit["brief"]["docx"])],
                           check=True, capture_output=True, text=True, timeout=120).stdout
    definitions = re.findall(r"^\[(\d+)\] ", plain, re.M)
    assert definitions == [str(i) for i in range(1, len(brief["notes"]) + 1)]
    assert "\n[4] ODF, PACE Members: “Magnitsky laws”…" in plain


@pytest.mark.parametrize("template", ["brief", "handout", "case-sheet", "dossier"])
def test_parity_takes_short_forms_and_ibid_for_the_pdf_notes(example_root, template):
    report = parity_report(Pipeline.open(example_root), template)
    assert report.differences == []


def test_parity_still_notices_a_missing_or_wrong_citation(kit, example_root):
    content = Pipeline.open(example_root).content
    pdf = read_pdf(kit["brief"]["pdf"].read_bytes())
    word = read_docx(kit["brief"]["docx"].read_bytes())
    group = next(i for i, parts in enumerate(word.note_parts) if len(parts) == 2)
    word.note_parts[group].pop()
    differences = compare(pdf, word, content).differences
    assert any("note calls in the PDF" in d for d in differences)
    assert any(re.fullmatch(r"the PDF's call of note-\d+ is not cited in Word \(before "
                            r"footnote \d+\)", d) for d in differences), differences
    word.note_parts[group].append(("bg_elsewhere", "Someone, Something"))
    assert f"footnote {group + 1} ('Someone, Something') cites a source the PDF does not " \
        "call there" in compare(pdf, word, content).differences
    word = read_docx(kit["brief"]["docx"].read_bytes())
    html = kit["brief"]["html"].read_text("utf-8")
    odf = next(i for i, parts in enumerate(word.note_parts) if parts[0][1].startswith("ODF"))
    word.note_parts[odf][0] = (word.note_parts[odf][0][0], "ODF, Another title…")
    assert compare(pdf, word, content).differences == []  # any short form, without the HTML
    (difference,) = compare(pdf, word, content, html).differences  # not the short form
    assert difference.startswith(f"footnote {odf + 1} ('ODF, Another title…') is not")


# -- the rule ----------------------------------------------------------------------------

def source(title: str, publisher: str | None = None, **more: str) -> Source:
    return Source(id="s", title=title, publisher=publisher, **more)


def test_the_short_form_is_publisher_and_four_words_within_sixty_characters():
    odf = source("PACE Members: “Magnitsky laws” sanctions must be imposed in response to "
                 "political prosecution in Kazakhstan", "Open Dialogue Foundation")
    assert short_form(odf).text == "Open Dialogue Foundation, PACE Members: “Magnitsky laws”…"
    assert short_form(odf.model_copy(update={"short_publisher": "ODF"})).text == \
        "ODF, PACE Members: “Magnitsky laws”…"
    hand = odf.model_copy(update={"short_title": "PACE members on Magnitsky sanctions"})
    assert short_form(hand).text == "Open Dialogue Foundation, PACE members on Magnitsky " \
        "sanctions"
    assert short_form(source("Four words, no more")).text == "Four words, no more"
    long = source("Global Human Rights Sanctions: Information Note for NGOs",
                  "Parliamentary Assembly of the Council of Europe")
    assert short_form(long).title == "Global Human Rights…"  # MIN_SHORT_TITLE


def test_a_title_is_cut_after_a_whole_word_with_its_quotes_closed():
    assert cut_title("Resolution 2252 (2019) “Sergei Magnitsky and beyond”", 60) == \
        "Resolution 2252 (2019) “Sergei…”"
    assert cut_title("Report on the situation in Kazakhstan", 60) == "Report on the situation…"
    assert cut_title("Sanctions in response to prosecution", 60) == "Sanctions in response…"
    assert cut_title("Sanctions: a guide for NGOs", 60) == "Sanctions: a guide…"
    assert cut_title("Déclaration écrite n° 675 : « Lois Magnitsky »", 60) == \
        "Déclaration écrite n° 675…"
    assert cut_title("Antidisestablishmentarianism", 10) == "Antidise…"


def test_sources_whose_short_forms_would_read_the_same_keep_more_words():
    forms = short_forms([
        Source(id="a", title="Global Human Rights Sanctions: Information Note", publisher="UK"),
        Source(id="b", title="Global Human Rights Sanctions: consideration of designations",
               publisher="UK"),
        Source(id="c", title="Global Human Rights Sanctions Regulations", publisher="EU")])
    assert forms["a"].title == "Global Human Rights Sanctions: Information…"
    assert forms["b"].title == "Global Human Rights Sanctions: consideration…"
    assert forms["c"].title == "Global Human Rights Sanctions…"


def test_ibid_is_a_label_in_every_language():
    assert labels("en")("ibid") == labels("fr")("ibid") == "Ibid."
