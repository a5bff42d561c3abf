"""Word files that Microsoft Word opens clean and that look like the PDF (issue 13).

Every part of every built-in template's .docx (a letter and a letter pack
included) and of both shipped reference.docx files validates against the
ECMA-376 transitional schemas, as the Open XML SDK — Word's own library —
reads them (openxml-audit, a port of its schema data and checks). Explicit
fonts win over the theme's, and the shipped fonts are embedded as Word embeds
them: obfuscated font parts the font table points to, which de-obfuscate to
fonts that load, cover the document's text and are the ones LibreOffice lays
the document out with, Noto installed or not. `docx: {embed_fonts: false}`
leaves them out.
"""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from briefgen.batch.run import BatchRequest, run_batch
from briefgen.build import BuildRequest, build
from briefgen.writers.docx import fonts

from .conftest import REPO, copy_example
from .test_docx import REQUIRE_TOOLS, tool

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = f"{R}/font"
TEMPLATES = REPO / "src" / "briefgen" / "templates"
REFERENCES = {"reference (shared)": TEMPLATES / "_shared" / "reference.docx",
              "reference (handout)": TEMPLATES / "handout" / "reference.docx"}
BUILT = ("brief", "handout", "case-sheet", "dossier", "dossier.fr", "letter", "letter pack")
SHIPPED = ("Noto Serif", "Noto Sans")
FACES = {"Noto Serif": ("Regular", "Bold", "Italic", "BoldItalic"),
         "Noto Sans": ("Regular", "Bold", "Italic", "BoldItalic")}
ROSTER = """title,given_name,surname,country,role,group,language,address
Mme,Élodie,Martin,France,representative,SOC,fr,
"""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture
def validator() -> Any:
    """The Open XML SDK's validation, in Python, for the Office versions since 2010 (the
    transitional schemas of ECMA-376 2nd edition on, which Word writes and reads): a
    maker of validators, one per file. openxml-audit caches the ids a part holds under
    id() of the package it read; once that package is freed a later one can get the same
    id() and be checked against the stale ids (false "value '1' was not found in
    FootnotesPart" errors, seen in a full test run only)."""
    try:
        from openxml_audit import FileFormat, OpenXmlValidator
    except ImportError:
        if REQUIRE_TOOLS:
            pytest.fail("openxml-audit is required here (pip install '.[test]')")
        pytest.skip("openxml-audit not installed (pip install '.[test]')")
    return lambda: OpenXmlValidator(file_format=FileFormat.OFFICE_2010, max_errors=0)


def problems(validator: Any, path: Path) -> list[str]:
    result = validator().validate(path)
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[str, Path]:
    """One letter, and the same letter with the handout behind it (a pack)."""
    root = copy_example(tmp_path_factory.mktemp("ooxml-letters"))
    (root / "recipients.csv").write_text(ROSTER, "utf-8")
    made = {}
    for name, pack in (("letter", False), ("letter pack", True)):
        result = run_batch(BatchRequest(root, "letter", root / "recipients.csv", pack=pack,
                                        formats=["docx"], jobs=1,
                                        out_dir=root / "out" / name.replace(" ", "-")))
        assert result.count("built") == 1
        made[name] = next(result.out_dir.glob("*.docx"))
    return made


@pytest.fixture(scope="module")
def word_files(kit, letters) -> dict[str, Path]:
    """Every built-in template's .docx (the dossier also in French)."""
    return {name: kit[name]["docx"] for name in BUILT[:5]} | letters


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(path: Path, member: str) -> etree._Element:
    return etree.fromstring(parts(path)[member])


# ------------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("name", BUILT)
def test_every_part_of_every_template_validates(validator, word_files, name):
    assert problems(validator, word_files[name]) == []


@pytest.mark.parametrize("name", REFERENCES)
def test_shipped_reference_documents_validate(validator, name):
    assert problems(validator, REFERENCES[name]) == []


def rewrite(source: Path, target: Path, member: str, change) -> Path:
    members = parts(source)
    root = etree.fromstring(members[member])
    change(root)
    members[member] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_the_validator_reads_every_xml_part(validator, word_files, tmp_path):
    """An element the schema does not know, put into any XML part of a Word file, is
    found: the validation above covers every part, not only the main document."""
    source = word_files["brief"]
    types = xml(source, "[Content_Types].xml")
    xml_parts = [o.get("PartName").lstrip("/") for o in types.iter(f"{{{CT_NS}}}Override")
                 if (o.get("ContentType") or "").endswith("xml")]
    assert {"word/document.xml", "word/styles.xml", "word/footnotes.xml",
            "word/fontTable.xml", "word/settings.xml", "word/numbering.xml",
            "word/theme/theme1.xml", "docProps/core.xml"} <= set(xml_parts)
    for member in xml_parts:
        def stray(root: etree._Element) -> None:
            namespace = etree.QName(root).namespace
            root.insert(0, etree.Element(f"{{{namespace}}}briefgenStray"))

        broken = rewrite(source, tmp_path / "broken.docx", member, stray)
        found = problems(validator, broken)
        assert any(f"/{member} " in p for p in found), (member, found)


def test_the_validator_catches_element_order_and_accepts_true(validator, word_files, tmp_path):
    """What the issue found: a border after the outline level is reported; the
    transitional schema's "true" for an on/off property is not."""
    source = word_files["letter"]

    def border_last(root: etree._Element) -> None:
        heading = root.find(f"{w('style')}[@{w('styleId')}='Heading1']")
        p_pr = heading.find(w("pPr"))
        p_pr.append(p_pr.find(w("pBdr")))  # after w:outlineLvl, as before the fix

    found = problems(validator, rewrite(source, tmp_path / "order.docx", "word/styles.xml",
                                        border_last))
    assert any("Unexpected element 'pBdr'" in p for p in found), found

    def true_values(root: etree._Element) -> None:
        p = root.find(f".//{w('p')}")
        p_pr = p.find(w("pPr"))
        p_pr.find(w("pStyle")).addnext(etree.Element(w("keepNext"), {w("val"): "true"}))
        run = p.find(w("r"))
        r_pr = etree.Element(w("rPr"))
        r_pr.append(etree.Element(w("b"), {w("val"): "true"}))
        r_pr.append(etree.Element(w("i"), {w("val"): "1"}))
        run.insert(0, r_pr)

    found = problems(validator, rewrite(source, tmp_path / "true.docx", "word/document.xml",
                                        true_values))
    assert found == []


# --------------------------------------------------------------------------------- fonts


def theme_beside_explicit(styles: etree._Element) -> list[str]:
    clashes = []
    for r_fonts in styles.iter(w("rFonts")):
        for font, theme in (("ascii", "asciiTheme"), ("hAnsi", "hAnsiTheme"),
                            ("cs", "cstheme"), ("eastAsia", "eastAsiaTheme")):
            if r_fonts.get(w(font)) and r_fonts.get(w(theme)):
                style = next(r_fonts.iterancestors(w("style")), None)
                where = style.get(w("styleId")) if style is not None else "docDefaults"
                clashes.append(f"{where}: {font}={r_fonts.get(w(font))} beside {theme}")
    return clashes


@pytest.mark.parametrize("name", BUILT + tuple(REFERENCES))
def test_no_theme_font_beside_an_explicit_one(word_files, name):
    """In Word a theme font beside an explicit one wins: headings came out in Calibri."""
    path = REFERENCES.get(name) or word_files[name]
    styles = xml(path, "word/styles.xml")
    assert theme_beside_explicit(styles) == []
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    assert defaults is not None and defaults.get(w("ascii")) == "Noto Serif"
    headings = {s.get(w("styleId")): s.find(f"{w('rPr')}/{w('rFonts')}")
                for s in styles.iter(w("style"))}
    for style_id in ("Title", "Heading1", "Heading2", "Heading3"):
        assert headings[style_id].get(w("ascii")) == "Noto Sans", style_id


@pytest.mark.parametrize("name", REFERENCES)
def test_reference_theme_fonts_are_the_templates(name):
    """What still follows the theme (a style no template restyles) is in Noto too."""
    theme = xml(REFERENCES[name], "word/theme/theme1.xml")
    typefaces = {kind: theme.find(f".//{{{A}}}{kind}/{{{A}}}latin").get("typeface")
                 for kind in ("majorFont", "minorFont")}
    assert typefaces == {"majorFont": "Noto Sans", "minorFont": "Noto Serif"}
    table = xml(REFERENCES[name], "word/fontTable.xml")
    assert {"Noto Serif", "Noto Sans"} <= {f.get(w("name")) for f in table.iter(w("font"))}


def test_obfuscation_is_ecma_376s():
    """The key's bytes in reverse order of the GUID as written, XORed into the first
    32 bytes and no further (ECMA-376 Part 1, §17.8.1)."""
    key = uuid.UUID("{01234567-89AB-CDEF-0123-456789ABCDEF}")
    reversed_key = bytes.fromhex("EFCDAB8967452301EFCDAB8967452301")
    assert fonts.obfuscate(bytes(40), key) == reversed_key * 2 + bytes(8)
    data = bytes(range(100))
    assert fonts.obfuscate(fonts.obfuscate(data, key), key) == data


def document_text(path: Path) -> str:
    members = parts(path)
    text = []
    for name in members:
        if re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", name):
            text += etree.fromstring(members[name]).xpath("//w:t/text()",
                                                          namespaces={"w": W})
    return "".join(text)


@pytest.mark.parametrize("name", BUILT)
def test_shipped_fonts_are_embedded_as_word_embeds_them(word_files, name):
    path = word_files[name]
    members = parts(path)
    table = etree.fromstring(members["word/fontTable.xml"])
    rels = etree.fromstring(members["word/_rels/fontTable.xml.rels"])
    by_id = {r.get("Id"): r for r in rels}
    types = etree.fromstring(members["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types
                if d.get("Extension")}
    settings = etree.fromstring(members["word/settings.xml"])
    assert settings.find(w("embedTrueTypeFonts")) is not None
    assert settings.find(w("saveSubsetFonts")) is not None
    text = set(document_text(path)) - {"\t", "\n"}
    entries = {f.get(w("name")): f for f in table.iter(w("font"))}
    names = [f.get(w("name")) for f in table.iter(w("font"))]
    for family in SHIPPED:
        assert names.count(family) == 1  # the reference's entry, filled in: not a second one
        embeds = [e for e in entries[family] if etree.QName(e).localname.startswith("embed")]
        assert [etree.QName(e).localname[5:] for e in embeds] == list(FACES[family])
        for embed in embeds:
            rel = by_id[embed.get(f"{{{R}}}id")]
            assert rel.get("Type") == FONT_REL and rel.get("TargetMode") is None
            member = posixpath.normpath(posixpath.join("word", rel.get("Target")))
            assert re.fullmatch(r"word/fonts/font\d+\.odttf", member)
            content_type = overrides.get("/" + member) or defaults.get("odttf")
            assert content_type == fonts.OBFUSCATED_FONT
            key = embed.get(w("fontKey"))
            assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
            stored = members[member]
            plain = fonts.obfuscate(stored, fonts.font_key(key))
            assert stored[:32] != plain[:32] and stored[32:] == plain[32:]
            font = TTFont(io.BytesIO(plain))
            assert font["name"].getDebugName(1) == family
            face = etree.QName(embed).localname[5:]
            selection = font["OS/2"].fsSelection
            assert (bool(selection & 0x20), bool(selection & 0x01)) == \
                ("Bold" in face, "Italic" in face)
            original = TTFont(TEMPLATES / "_shared" / "fonts" /
                              f"{family.replace(' ', '')}-{face}.ttf")
            wanted = {ord(c) for c in text} & set(original.getBestCmap())
            assert wanted - set(font.getBestCmap()) == set()  # the subset covers the text
            assert embed.get(w("subsetted")) == "1"


def test_fonts_can_be_left_out(project, validator):
    """`docx: {embed_fonts: false}` in briefgen.yaml: no font parts, no embedding
    settings; the fonts are still named, explicitly."""
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "docx:\n  embed_fonts: false\n", "utf-8")
    result = build(BuildRequest(project_dir=project, formats=["docx"]))
    path = next(p for p in result.outputs if p.suffix == ".docx")
    members = parts(path)
    assert not [n for n in members if n.startswith("word/fonts/")]
    assert "word/_rels/fontTable.xml.rels" not in members
    table = etree.fromstring(members["word/fontTable.xml"])
    assert not [e for e in table.iter() if etree.QName(e).localname.startswith("embed")]
    settings = etree.fromstring(members["word/settings.xml"])
    assert settings.find(w("embedTrueTypeFonts")) is None
    assert theme_beside_explicit(xml(path, "word/styles.xml")) == []
    assert problems(validator, path) == []


def test_an_unknown_docx_setting_is_a_problem(project):
    from briefgen.errors import BriefgenError

    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "docx:\n  embed_font: false\n", "utf-8")
    with pytest.raises(BriefgenError) as caught:
        build(BuildRequest(project_dir=project, formats=["docx"]))
    assert "embed_font" in str(caught.value)


# ------------------------------------------------------------------------- LibreOffice


def pdf_fonts(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF uses, without the subset prefix."""
    names = set()
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")).lstrip("/").split("+")[-1])
    return names


def lay_out(docx: Path, tmp_path: Path) -> Path:
    """LibreOffice's PDF of a Word file, with a font configuration that has no Noto in
    it (only DejaVu, if the system has it): what a machine without the fonts shows."""
    soffice = tool("soffice")
    tmp_path.mkdir(parents=True, exist_ok=True)
    fontconfig = tmp_path / "fonts.conf"
    dejavu = [d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
              if Path(d).is_dir()]
    fontconfig.write_text(
        '<?xml version="1.0"?><fontconfig>'
        + "".join(f"<dir>{d}</dir>" for d in dejavu)
        + f"<cachedir>{tmp_path}/fc-cache</cachedir></fontconfig>", "utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(fontconfig)}
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=False, capture_output=True, timeout=180, env=env)
    converted = out / (docx.stem + ".pdf")
    assert converted.is_file() and converted.stat().st_size > 5_000
    return converted


def test_libreoffice_lays_out_with_the_embedded_fonts(word_files, tmp_path, project):
    """Noto hidden from LibreOffice: the Word file is laid out in Noto all the same (the
    embedded fonts), and without them it falls back to another font."""
    used = pdf_fonts(lay_out(word_files["letter"], tmp_path / "with"))
    assert {"NotoSerif-Regular", "NotoSans-Bold"} <= used, used
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "docx:\n  embed_fonts: false\n", "utf-8")
    result = build(BuildRequest(project_dir=project, template="handout", formats=["docx"]))
    bare = next(p for p in result.outputs if p.suffix == ".docx")
    used = pdf_fonts(lay_out(bare, tmp_path / "without"))
    assert used and not any(name.startswith("Noto") for name in used), used

