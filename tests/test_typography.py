"""Typography of what readers get: the language's quotes and apostrophes, collapsed date
ranges, one form of each term, and web addresses that break only after / . or -.

The unit tests state the rules; the others read the example's real outputs back
(PDF text via pypdf, Word text via python-docx, HTML as a browser shows it) in
English and French, every whole-document template and the letters.
"""

from __future__ import annotations

import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from lxml import html as lxml_html
from pypdf import PdfReader

from briefgen.batch.run import BatchRequest, run_batch
from briefgen.build import BuildRequest, build
from briefgen.content.model import PartialDate, Source
from briefgen.i18n import _flatten, format_period
from briefgen.i18n.typography import NNBSP, typographic
from briefgen.parity import read_docx
from briefgen.pipeline import Pipeline
from briefgen.render.markdown import MarkdownRenderer
from briefgen.render.notes import NoteRegistry
from briefgen.render.templates import typeset, typeset_join
from briefgen.render.urls import WORD_JOINER, url_parts, url_text

from .conftest import REPO, copy_example

TEMPLATES = ("brief", "handout", "case-sheet", "dossier")
LANGS = ("en", "fr")
STRAIGHT = re.compile(r"[\"']")
BREAKABLE = "/.-"  # what a printed address may end a line with
ZWSP = "\u200b"


# --- rules -----------------------------------------------------------------------------------

def test_a_markdown_paragraph_gets_the_languages_quotes():
    text = 'The declaration speaks of "Magnitsky laws" and of the country\'s capital.'
    assert str(MarkdownRenderer(lang="en").block(text)) == (
        "<p>The declaration speaks of “Magnitsky laws” and of the country’s capital.</p>\n")
    assert str(MarkdownRenderer(lang="fr").block(text)) == (
        f"<p>The declaration speaks of «{NNBSP}Magnitsky laws{NNBSP}» and of the "
        "country’s capital.</p>\n")


def test_quotes_within_quotes_and_what_smartquotes_leaves_alone():
    en, fr = MarkdownRenderer(lang="en"), MarkdownRenderer(lang="fr")
    nested = 'He said "the \'Magnitsky\' laws".'
    assert str(en.inline(nested)) == "He said “the ‘Magnitsky’ laws”."
    assert str(fr.inline(nested)) == f"He said «{NNBSP}the “Magnitsky” laws{NNBSP}»."
    # a legal "(c)" stays: the "replacements" rule is off; code keeps its quotes
    assert str(en.inline('Article 1(c) and `x = "y"`')) == \
        "Article 1(c) and <code>x = &quot;y&quot;</code>"
    # a quotation never closed still gets a typographic mark
    assert str(en.inline('"open to the end')) == "“open to the end"


def test_french_content_gets_narrow_no_break_spaces_where_a_space_was_written():
    fr = MarkdownRenderer(lang="fr")
    assert str(fr.inline("dont des enfants ; la détention : oui ! vraiment ? « non »")) == (
        f"dont des enfants{NNBSP}; la détention{NNBSP}: oui{NNBSP}! vraiment{NNBSP}? "
        f"«{NNBSP}non{NNBSP}»")
    # no space is added where none was written: an hour, an address
    assert str(fr.inline("à 10:30, https://example.org")) == "à 10:30, https://example.org"
    # English output leaves the spacing as written
    assert str(MarkdownRenderer(lang="en").inline("yes ; no")) == "yes ; no"


def test_plain_text_fields_get_the_same_treatment():
    assert typographic("Work with the declaration's authors", "en") == \
        "Work with the declaration’s authors"
    assert typographic('"Magnitsky laws" and the protesters\' rights', "fr") == \
        f"«{NNBSP}Magnitsky laws{NNBSP}» and the protesters’ rights"


def test_templates_print_plain_text_typographically_and_addresses_as_they_are():
    env = jinja2.Environment(autoescape=True, finalize=typeset)
    env.filters["join"] = typeset_join
    assert env.from_string("{{ names | join('; ') }}").render(names=["O'Brien", "it's"],
                                                                lang="en") == "O’Brien; it’s"
    page = env.from_string("{{ a }}|{{ b }}|{{ url }}|{{ path }}|{{ n }}")
    values = dict(a="it's", b='a "b"', url="https://example.org/o'brien",
                  path="images/o'brien.png", n=3)
    assert page.render(values, lang="en") == \
        "it’s|a “b”|https://example.org/o&#39;brien|images/o&#39;brien.png|3"
    assert page.render(values, lang="fr").startswith(f"it’s|a «{NNBSP}b{NNBSP}»|")


def test_a_short_form_in_word_gets_the_languages_quotes():
    """A note's short form is Markup (no finalize): it is set where it is made."""
    source = Source(id="s", title='The "Magnitsky" report', publisher="Mr O'Brien's group",
                    short_title="Magnitsky's report")
    shown = str(NoteRegistry([source], lang="en").note_short(source))
    assert "Magnitsky’s report" in shown and "'" not in shown
    assert "&#39;" not in str(NoteRegistry([source], lang="fr").note_short(source))


def test_no_catalog_label_has_a_straight_quote():
    folder = resources.files("briefgen.i18n")
    catalogs = [f for f in folder.iterdir() if f.name.endswith(".yaml")]
    assert len(catalogs) >= 2
    for catalog in catalogs:
        labels = _flatten(yaml.safe_load(catalog.read_text("utf-8")))
        assert {k: v for k, v in labels.items() if STRAIGHT.search(v)} == {}, catalog.name


@pytest.mark.parametrize(("start", "end", "en", "fr"), [
    ((2019, 2), (2019, 3), "February–March 2019", "février–mars 2019"),
    ((2019, 3, 4), (2019, 3, 6), "4–6 March 2019", "4–6 mars 2019"),
    ((2019, 3, 1), (2019, 3, 6), "1–6 March 2019", "1er–6 mars 2019"),
    ((2019, 3, 4), (2019, 4, 6), "4 March–6 April 2019", "4 mars–6 avril 2019"),
    ((2019, 12), (2020, 1), "December 2019–January 2020", "décembre 2019–janvier 2020"),
    ((2018,), (2019,), "2018–2019", "2018–2019"),
    # ends not equally precise: both written in full
    ((2019, 3), (2019, 4, 6), "March 2019–6 April 2019", "mars 2019–6 avril 2019"),
    ((2019, 3), (2019, 3), "March 2019", "mars 2019"),
])
def test_date_ranges_are_collapsed(start, end, en, fr):
    first, last = PartialDate(*start), PartialDate(*end)
    assert format_period(first, last, "en") == en
    assert format_period(first, last, "fr").replace("\u00a0", " ") == fr
    assert " " not in format_period(first, last, "fr")  # a French date never breaks


@pytest.mark.parametrize("url", [
    "https://www.legislation.gov.uk/uksi/2020/680/part/1/made",
    "http://canadagazette.gc.ca/rp-pr/p2/2017/2017-11-15/html/sor-dors233-eng.html",
    "https://oeil.europarl.europa.eu/oeil/en/document-summary?id=1578009",
    "example.org", "mailto:a@example.org",
])
def test_an_address_breaks_only_after_a_slash_a_dot_or_a_hyphen_past_its_host(url):
    parts = url_parts(url)
    assert "".join(parts) == url
    assert all(part[-1] in BREAKABLE for part in parts[:-1])
    host = re.match(r"^(?:\w+://)?[^/]*", url)
    assert host is not None and parts[0].startswith(host.group(0))
    shown = str(url_text(url))
    assert shown.count(ZWSP) == len(parts) - 1
    assert shown.replace(ZWSP, "").replace(WORD_JOINER, "") == url.replace("&", "&amp;")
    # no break Unicode would allow (after - / ? !) is left inside a part
    for part in shown.split(ZWSP):
        assert not re.search(f"[-/?!](?!{WORD_JOINER})", part[:-1])


# --- the example's outputs -------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every whole-document template in English and French in every format, and the
    example's letters (PDF, Word, HTML): {"brief.fr": {"pdf": path, …}, "letters": […]}."""
    root = copy_example(tmp_path_factory.mktemp("typography"))
    made: dict[str, Any] = {"root": root}
    for template in TEMPLATES:
        for lang in LANGS:
            result = build(BuildRequest(project_dir=root, template=template, lang=lang,
                                        formats=["pdf", "html", "docx"]))
            made[f"{template}.{lang}"] = {p.suffix[1:]: p for p in result.outputs}
    batch = run_batch(BatchRequest(root, "letter", REPO / "content" / "recipients.csv",
                                   out_dir=root / "letters", formats=["pdf", "docx", "html"],
                                   jobs=1))
    made["letters"] = sorted(batch.out_dir.glob("[!_]*.pdf"))
    assert {p.stem for p in made["letters"]} >= {"example-alex", "exemple-camille"}
    return made


def _no_addresses(text: str) -> str:
    """Text without the words that are (parts of) addresses: a quote there is the
    address's own."""
    return " ".join(w for w in text.split() if not re.search(r"[/@=]|\w\.\w", w))


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _html_text(path: Path) -> str:
    root = lxml_html.document_fromstring(path.read_text("utf-8"))
    for element in root.xpath("//script | //style | //code | //pre | //*[@hidden]"):
        element.drop_tree()
    body = root.find("body")
    return str(body.text_content()) if body is not None else ""


def _docx_text(path: Path) -> str:
    word = read_docx(path.read_bytes())
    return "\n".join([word.text, *word.note_texts])


def _files(outputs: dict[str, Any]) -> list[Path]:
    files = [f for key, made in outputs.items() if isinstance(made, dict)
             for f in made.values()]
    return files + [p.with_suffix(s) for p in outputs["letters"] for s in (".pdf", ".docx",
                                                                           ".html")]


def test_no_output_has_a_straight_quote(outputs):
    read = {".pdf": _pdf_text, ".html": _html_text, ".docx": _docx_text}
    files = _files(outputs)
    assert len(files) == 3 * 2 * len(TEMPLATES) + 3 * len(outputs["letters"])
    found = {}
    for path in files:
        text = _no_addresses(read[path.suffix](path))
        assert len(text) > 500, path.name  # the text was read
        quotes = [text[max(0, m.start() - 30):m.end() + 10] for m in STRAIGHT.finditer(text)]
        if quotes:
            found[path.name] = quotes[:3]
    assert found == {}


def test_generated_and_plain_text_reads_typographic(outputs):
    """Ask titles and source notes are plain text: written with ', printed with ’."""
    session = Pipeline.open(outputs["root"])
    for lang in LANGS:  # in each language, its own texts (the example translates them)
        content = session.loaded.in_language(lang).content
        titles = [a.title for a in content.brief.asks if "'" in a.title]
        notes = {s.note for s in content.sources if s.note and "'" in s.note}
        assert titles and notes  # the example has both, in English and in French
        brief = re.sub(r"\s+", " ", _pdf_text(outputs[f"brief.{lang}"]["pdf"]))
        handout = re.sub(r"\s+", " ", _pdf_text(outputs[f"handout.{lang}"]["pdf"]))
        for title in titles:
            assert title.replace("'", "’") in brief and title.replace("'", "’") in handout
        for note in notes:
            assert note.replace("'", "’") in brief


def test_french_outputs_use_french_quotes_and_letters_their_own_language(outputs):
    fr = _pdf_text(outputs["brief.fr"]["pdf"])
    assert f"«{NNBSP}" in fr and f"{NNBSP}»" in fr
    letters = {p.stem: _pdf_text(p) for p in outputs["letters"]}
    french, english = letters["exemple-camille"], letters["example-alex"]
    # the French letter's quotation of the English title: French marks, no English ones
    assert f"«{NNBSP}Magnitsky laws{NNBSP}»" in french and "“" not in french
    assert "“Magnitsky laws”" in english and "«" not in english
    # a space written before ; or : in French content is a narrow no-break one
    assert not re.search(r"[ \u00a0][;:!?]", french)


def test_date_ranges_print_collapsed(outputs):
    content = Pipeline.open(outputs["root"]).loaded.content
    ranges = [(e.date, e.until) for c in content.cases for e in c.events if e.until]
    assert ranges  # the example has one
    for lang in LANGS:
        for template in ("brief", "case-sheet"):
            text = _pdf_text(outputs[f"{template}.{lang}"]["pdf"]).replace("\u00a0", " ")
            for start, end in ranges:
                assert format_period(start, end, lang).replace("\u00a0", " ") in text
            # never "February 2019 – March 2019": a year written twice around a dash
            assert not re.search(r"(\d{4}) ?[–-] ?\w+ \1", text)


def test_a_term_has_one_form(outputs):
    """The facts table says what the text says: "human rights defender" (the source's
    form), never "human-rights defender" beside it."""
    text = " ".join(_pdf_text(outputs[f"{t}.en"]["pdf"]) for t in TEMPLATES)
    assert "human rights defender" in text
    assert not re.search(r"human-rights\s+(defender|monitor)", text)


def _line_ends_in_addresses(path: Path, addresses: list[str]) -> tuple[int, list[str]]:
    """How many of these addresses the PDF shows, and each line end inside one at a
    character other than / . or - (the address, with | where the line ends)."""
    joined, ends = "", set()
    for page in PdfReader(path).pages:
        for line in page.extract_text().splitlines():
            joined += line.strip()
            ends.add(len(joined))
    found, bad = 0, []
    for address in addresses:
        start = joined.find(address)
        while start >= 0:
            found += 1
            for end in range(start + 1, start + len(address)):
                if end in ends and joined[end - 1] not in BREAKABLE:
                    bad.append(address[:end - start] + "|" + address[end - start:])
            start = joined.find(address, start + 1)
    return found, bad


@pytest.mark.parametrize("name", ["brief.en", "brief.fr", "case-sheet.en", "dossier.fr",
                                  "letters"])
def test_no_line_ends_inside_an_address_but_after_a_slash_a_dot_or_a_hyphen(outputs, name):
    content = Pipeline.open(outputs["root"]).loaded.content
    shown = [*(s.url for s in content.sources), content.brief.url]
    addresses = sorted({str(u) for u in shown if u})
    files = outputs["letters"] if name == "letters" else [outputs[name]["pdf"]]
    for path in files:
        found, bad = _line_ends_in_addresses(path, addresses)
        assert found, path.name
        assert bad == [], path.name
    if name.startswith("brief"):  # the brief lists every source: each address is there
        assert found >= len(addresses) - 1  # (the brief's own address is not a source)


def test_the_check_sees_an_address_split_anywhere(tmp_path):
    """The line-end check itself, on a PDF that breaks addresses anywhere (as the
    templates did before): it must report a line end inside a word of it."""
    import weasyprint

    url = "https://www.example.org/in-response-to-political-prosecution"
    weasyprint.HTML(string=f'<p style="width: 23mm; word-break: break-all">{url}</p>'
                    ).write_pdf(tmp_path / "any.pdf")
    found, bad = _line_ends_in_addresses(tmp_path / "any.pdf", [url])
    assert found == 1 and bad


def test_word_breaks_an_address_where_the_pdf_may(outputs):
    """Word's text (its XML: the parity reading leaves the marks out) has a zero-width
    space only after / . or -."""
    for name in ("brief.en", "case-sheet.fr"):
        with zipfile.ZipFile(outputs[name]["docx"]) as docx:
            text = "".join(docx.read(part).decode("utf-8") for part in
                           ("word/document.xml", "word/footnotes.xml"))
        assert ZWSP in text
        assert {text[i - 1] for i, c in enumerate(text) if c == ZWSP} <= set(BREAKABLE)
