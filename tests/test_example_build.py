"""The built-in example, built for real and read back from the PDF and HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import BuildRequest, build

from .conftest import copy_example, run_cli

PEOPLE = [
    "André Gattolin", "Pieter Omtzigt", "Roberto Rampi",
    "Saniya Toiken", "Svetlana Glushkova", "Serikzhan Bilash", "Mukhtar Ablyazov",
    "Lyudmyla Voloshina", "Valerii Iavtushenko", "Aigul Akberdieva",
    "Almat Zhumagulov", "Kenzhebek Abishev", "Aset Abishev", "Ablovas Dzhumayev",
    "Mukhtar Dzhakishev", "Iskander Yerimbetov", "Max Bokayev",
]
SECTIONS_EN = ["Summary", "The declaration", "The cases", "Recommended sanctions",
               "What a parliamentarian can do", "Sources"]


def pdf_of(result) -> Path:
    return next(p for p in result.outputs if p.suffix == ".pdf")


def flat_text(reader: PdfReader, first: int = 0) -> str:
    """Pages as one string with whitespace collapsed: line breaks don't split names."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages[first:]))


@pytest.fixture(scope="session")
def en_pdf(built) -> PdfReader:
    return PdfReader(pdf_of(built["en"]))


@pytest.fixture(scope="session")
def fr_pdf(built) -> PdfReader:
    return PdfReader(pdf_of(built["fr"]))


def test_outputs_are_named_and_written(built):
    names = sorted(p.name for p in built["en"].outputs)
    assert names == ["brief.html", "brief.pdf"]
    assert [p.name for p in built["fr"].outputs] == ["brief.fr.pdf"]
    for path in built["en"].outputs:
        assert path.stat().st_size > 10_000


def test_every_person_and_document_named_by_the_source_is_in_the_pdf(en_pdf):
    text = flat_text(en_pdf)
    missing = [name for name in PEOPLE if name not in text]
    assert not missing
    for phrase in [
        "“Magnitsky laws” sanctions must be imposed in response to political "
        "prosecution in Kazakhstan",
        "European Parliament resolution of 14 March 2019 on the human rights situation "
        "in Kazakhstan",
        "Sergei Magnitsky and beyond – fighting impunity by targeted sanctions",
        "More than 700 protesters",
        "Italian Federation for Human Rights",
        "3 July 2019",
        "25 members signed",
    ]:
        assert phrase in text, phrase
    for group in ["ALDE", "EPP/CD", "UEL", "SOC", "EC"]:
        assert re.search(rf"\b{re.escape(group)}\b", text), group


def test_every_source_is_listed_as_a_numbered_note(en_pdf):
    import yaml

    from .conftest import REPO

    sources = yaml.safe_load((REPO / "content" / "sources.yaml").read_text("utf-8"))
    # the sources' pages, before the back page (issue 15)
    last_pages = flat_text(en_pdf, first=len(en_pdf.pages) - 3)
    for source in sources:
        title = re.sub(r"\s+", " ", source["title"])
        assert title in last_pages, title
        if source.get("url"):
            assert source["url"] in last_pages.replace(" ", "") or \
                source["url"] in last_pages, source["url"]


def test_toc_page_numbers_match_where_sections_start(en_pdf):
    toc_page = next(i for i, p in enumerate(en_pdf.pages) if "Contents" in p.extract_text())
    layout = en_pdf.pages[toc_page].extract_text(extraction_mode="layout")
    entries = {}
    for line in layout.splitlines():
        match = re.match(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", line)
        if match:
            entries[match.group(1)] = int(match.group(2))
    assert set(SECTIONS_EN) <= set(entries), entries
    assert "Saniya Toiken" in entries

    def bookmarks(items, out):
        for item in items:
            if isinstance(item, list):
                bookmarks(item, out)
            else:
                out.setdefault(item.title, en_pdf.get_destination_page_number(item) + 1)
        return out

    marks = bookmarks(en_pdf.outline, {})
    for title, page in entries.items():
        assert marks[title] == page, (title, page, marks[title])
        # and the heading really is printed on that page
        assert title in en_pdf.pages[page - 1].extract_text()
    assert sorted(entries.values()) == [entries[t] for t in entries]  # ascending order


def test_page_size_running_header_and_footer(en_pdf):
    box = en_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    total = len(en_pdf.pages)
    second = en_pdf.pages[2].extract_text().replace("\xa0", " ")  # the title's last words
    assert f"page 3 of {total}" in second
    assert "Magnitsky sanctions for political prosecution in Kazakhstan" in second
    assert "page 1 of" not in en_pdf.pages[0].extract_text()  # no furniture on the cover


def test_metadata_language_and_bookmarks(en_pdf):
    meta = en_pdf.metadata
    assert meta.title == "Magnitsky sanctions for political prosecution in Kazakhstan"
    assert "Your Organisation" in meta.author
    assert meta.subject
    assert "Kazakhstan" in meta["/Keywords"]
    assert en_pdf.trailer["/Root"]["/Lang"] == "en"
    assert en_pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]
    titles = [item.title for item in en_pdf.outline if not isinstance(item, list)]
    assert titles[0].startswith("Magnitsky")


def test_links_are_clickable(en_pdf):
    uris, internal = set(), 0
    for page in en_pdf.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
            elif "/Dest" in annot or (action and "/D" in action):
                internal += 1
    assert "https://oeil.europarl.europa.eu/oeil/en/document-summary?id=1578009" in uris
    assert "mailto:advocacy@example.org" in uris
    assert internal > 20  # TOC entries and note calls


def test_every_font_is_embedded_and_ours(en_pdf):
    fonts = {}
    for page in en_pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    # only the shipped fonts (declared as "Brief Serif"/"Brief Sans"), no system fallback
    assert all(re.match(r"/[A-Z]{6}\+Brief-(Serif|Sans)", name) for name in fonts), fonts


def test_pdf_ua_1_conformance(built):
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(pdf_of(built["en"])), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_french_labels_and_dates(fr_pdf):
    text = flat_text(fr_pdf)
    for label in ["Sommaire", "Résumé", "La déclaration", "Les cas", "Sanctions recommandées",
                  "Ce qu’un parlementaire peut faire", "Déposée par", "Chronologie",
                  "28 novembre 2026", "3 juillet 2019", "11 avril 2019"]:
        assert label in text, label
    assert f"page 2 sur {len(fr_pdf.pages)}" in fr_pdf.pages[1].extract_text()
    assert fr_pdf.trailer["/Root"]["/Lang"] == "fr"
    # content text stays as written
    assert "Saniya Toiken" in text
    for english in ["Recommended sanctions", "What a parliamentarian can do", "Key passages"]:
        assert english not in text


def test_letter_paper(tmp_path):
    root = copy_example(tmp_path / "p")
    result = build(BuildRequest(project_dir=root, paper="letter", formats=["pdf"]))
    (path,) = result.outputs
    assert path.name == "brief.letter.pdf"
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_kazakh_and_cyrillic_letters_render_with_shipped_fonts(tmp_path):
    root = copy_example(tmp_path / "p")
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    kazakh = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
    case.write_text(case.read_text("utf-8").replace(
        "---\n", f"---\nother_names:\n  kk: \"{kazakh}\"\n", 1), "utf-8")
    # other_names are keyed by languages with a catalog: the project adds Kazakh's
    (root / "i18n").mkdir()
    (root / "i18n" / "kk.yaml").write_text("locale: kk_KZ\n", "utf-8")
    result = build(BuildRequest(project_dir=root, formats=["pdf"]))
    text = flat_text(PdfReader(result.outputs[0]))
    assert kazakh in text


def test_html_is_one_self_contained_page(built):
    html = next(p for p in built["en"].outputs if p.suffix == ".html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert re.search(r"data:font/woff2?;base64,", html)  # the fonts, subset
    assert not re.search(r"""(?:src|href)=["'](?!data:|#|https?:|mailto:)""", html)
    assert not re.search(r"url\(\s*(?![\"']?data:)", html)
    for name in PEOPLE:
        assert name in html, name


def test_init_then_build_anywhere(tmp_path, monkeypatch):
    target = tmp_path / "new-project"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "content" / "cases").is_dir()
    assert (target / "briefgen.yaml").is_file()
    monkeypatch.chdir(target)
    result = run_cli("build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (target / "build" / "brief.html").is_file()
    # init never overwrites
    again = run_cli("init", str(target))
    assert again.exit_code != 0 and "already exists" in again.output


def test_version_and_help():
    from briefgen import __version__

    result = run_cli("--version")
    assert result.exit_code == 0 and __version__ in result.output
    help_text = run_cli("build", "--help").output
    for option in ["--template", "--format", "--out", "--lang", "--paper", "Examples:"]:
        assert option in help_text


def test_check_reports_counts(project):
    result = run_cli("check", str(project))
    assert result.exit_code == 0
    assert "13 cases" in result.output


def test_content_images_are_embedded_with_alt_text(tmp_path):
    from PIL import Image

    root = copy_example(tmp_path / "p")
    (root / "images").mkdir()
    Image.new("RGB", (40, 20), (31, 78, 121)).save(root / "images" / "banner.png")
    case = root / "content" / "cases" / "02-saniya-toiken.md"
    case.write_text(case.read_text("utf-8") + "\n![A blue banner](images/banner.png)\n", "utf-8")
    result = build(BuildRequest(project_dir=root))
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    html = next(p for p in result.outputs if p.suffix == ".html").read_text("utf-8")
    assert 'alt="A blue banner"' in html and 'src="data:image/png;base64,' in html
    reader = PdfReader(pdf)
    assert {img.name for page in reader.pages for img in page.images}  # an image XObject

    def alts(node, seen):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                alts(kid, seen)
        elif hasattr(node, "get"):
            if "/Alt" in node:
                seen.append(str(node["/Alt"]))
            if "/K" in node:
                alts(node["/K"], seen)
        return seen

    assert alts(reader.trailer["/Root"]["/StructTreeRoot"], []) == ["A blue banner"]
    page = pytest.importorskip("page")
    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
