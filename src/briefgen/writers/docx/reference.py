"""A template's reference.docx, reduced to what the Word output takes from it.

A reference.docx comes with a project, from whoever made its template: it is
untrusted. The Word output takes only its styles, numbering, theme, settings,
font table and page setup (the body's last section properties). Everything else
in the package — body text, headers and footers (with their fields, images and
links), comments, custom XML, glossary, macros (vbaProject), embedded objects —
is never read into the output, and a relationship out of the package
(`TargetMode="External"`: an attached template Word fetches when the document
opens, a linked image, a hyperlink) is never kept: the kept parts lose every
relationship, and the elements that pointed through one (settings'
`w:attachedTemplate`, a picture bullet, an embedded font, a header reference).
What the user might miss is reported as one warning naming the file.

The zip is read from bytes the resource policy has read (at most 20 MB), and
only up to 50 MB unpacked in all, whatever its members claim; a file that is no
Word document, a zip bomb, an XML part with a DTD or a part that is not what its
relationship says is a problem, never a traceback.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

MAX_REFERENCE_BYTES = 20 * 1024 * 1024  # the file itself
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # all members read from it, unpacked
MAX_MEMBERS = 10_000
MAX_LISTED = 8  # dropped things named in the warning; the rest are counted

_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
# What the output takes from the main document's relationships:
# type → (new part name, content type, the root element it must have)
KEPT = {
    RT.STYLES: ("word/styles.xml", CT.WML_STYLES, f"{{{_W}}}styles"),
    RT.NUMBERING: ("word/numbering.xml", CT.WML_NUMBERING, f"{{{_W}}}numbering"),
    RT.THEME: ("word/theme/theme1.xml", CT.OFC_THEME, f"{{{_A}}}theme"),
    RT.SETTINGS: ("word/settings.xml", CT.WML_SETTINGS, f"{{{_W}}}settings"),
    RT.FONT_TABLE: ("word/fontTable.xml", CT.WML_FONT_TABLE, f"{{{_W}}}fonts"),
}
# Settings that make Word fetch or run something on opening, with or without a relationship
_ACTIVE_SETTINGS = ("attachedTemplate", "mailMerge")
# Dropped parts worth a word to the user: what Word would run or load
_ACTIVE_PARTS = {_VBA: "macros", RT.OLE_OBJECT: "embedded object", RT.PACKAGE: "embedded file",
                 RT.CONTROL: "ActiveX control"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_blank_text=False)


class BadReference(ValueError):
    """The file cannot serve as a reference document; the message says why."""


@dataclass
class CleanReference:
    """The reduced package (a valid .docx) and what was dropped that the user should hear."""

    package: bytes
    dropped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Rel:
    source: str  # the part the relationship belongs to ("" for the package)
    rel_id: str
    reltype: str
    target: str  # a part name inside the package, or the address as written
    external: bool


class _Archive:
    """The zip, read member by member within the unpacked-size budget."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise BadReference("it is not a Word document (not a zip archive)") from None
        if len(infos) > MAX_MEMBERS:
            raise BadReference(f"it holds {len(infos)} files; a Word document used for its "
                               f"styles has a few dozen (at most {MAX_MEMBERS} are read)")
        self.infos = {info.filename: info for info in infos}
        self.budget = MAX_UNPACKED_BYTES

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes | None:
        info = self.infos.get(name)
        if info is None:
            return None
        if info.file_size > self.budget:
            raise self.too_big(name, info.file_size)
        try:
            with self.zip.open(info) as member:
                data = member.read(self.budget + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                NotImplementedError, zlib.error) as exc:
            raise BadReference(f"its part '{name}' cannot be unpacked ({exc})") from None
        if len(data) > self.budget:
            raise self.too_big(name, len(data))
        self.budget -= len(data)
        return data

    def too_big(self, name: str, size: int) -> BadReference:
        return BadReference(f"it unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                            f"('{name}' alone claims {size:,} bytes): a zip bomb, or not a "
                            "reference document")


def _parse(archive: _Archive, name: str) -> etree._Element | None:
    data = archive.read(name)
    if data is None:
        return None
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadReference(f"its part '{name}' is not well-formed XML ({exc})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise BadReference(f"its part '{name}' has a DTD (<!DOCTYPE ...>); Word documents "
                           "have none, and briefgen refuses XML entities")
    return tree.getroot()


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _target(source: str, target: str) -> str:
    """A relationship's target as a member name (relative to its source part's folder)."""
    base = "" if target.startswith("/") else posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, target.lstrip("/"))).lstrip("/")


def _relationships(archive: _Archive, source: str) -> list[_Rel]:
    root = _parse(archive, _rels_name(source) if source else "_rels/.rels")
    if root is None:
        return []
    rels = []
    for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
        external = (rel.get("TargetMode") or "").lower() == "external"
        target = rel.get("Target") or ""
        rels.append(_Rel(source, rel.get("Id") or "", rel.get("Type") or "",
                         target if external else _target(source, target), external))
    return rels


def _all_relationships(archive: _Archive) -> Iterator[_Rel]:
    """Every relationship of the package, from every .rels member (parts not reached from
    the main document included: an external link anywhere is reported)."""
    for name in archive.names():
        folder, base = posixpath.split(name)
        if posixpath.basename(folder) == "_rels" and base.endswith(".rels"):
            owner = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            yield from _relationships(archive, "" if owner == "" else owner)


def _kind(reltype: str) -> str:
    name = reltype.rsplit("/", 1)[-1]
    return {"attachedTemplate": "attached template", "image": "linked image",
            "hyperlink": "hyperlink", "oleObject": "linked object", "fontTable": "font table",
            }.get(name, name)


def _unhook(root: etree._Element) -> None:
    """Remove every element that points through a relationship: the kept part has none."""
    hooked = [el for el in root.iter() if isinstance(el.tag, str)
              and any(attr.startswith(f"{{{_OFC_RELS}}}") for attr in el.attrib)]
    for el in hooked:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _document(root: etree._Element) -> etree._Element:
    """The main document with nothing but its body's last section properties."""
    body = root.find(f"{{{_W}}}body")
    sect_pr = body.find(f"{{{_W}}}sectPr") if body is not None else None
    for child in list(root):
        root.remove(child)
    body = etree.SubElement(root, f"{{{_W}}}body")
    body.append(sect_pr if sect_pr is not None else etree.Element(f"{{{_W}}}sectPr"))
    return root


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    for rel_id, reltype, target in rels:
        etree.SubElement(root, f"{{{_PKG_RELS}}}Relationship", Id=rel_id, Type=reltype,
                         Target=target)
    return _xml(root)


def _content_types(parts: dict[str, str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.Element(f"{{{ns}}}Types", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Default", Extension="rels",
                     ContentType=CT.OPC_RELATIONSHIPS)
    etree.SubElement(root, f"{{{ns}}}Default", Extension="xml", ContentType=CT.XML)
    for name, content_type in parts.items():
        etree.SubElement(root, f"{{{ns}}}Override", PartName=f"/{name}",
                         ContentType=content_type)
    return _xml(root)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dropped(rels: list[_Rel], names: list[str]) -> list[str]:
    """What to tell the user: every external relationship, and what Word would run."""
    said = [f"{_kind(r.reltype)} '{_shorten(r.target)}' (external, in "
            f"{_rels_name(r.source) if r.source else '_rels/.rels'})"
            for r in rels if r.external]
    for r in rels:
        what = _ACTIVE_PARTS.get(r.reltype)
        if what and not r.external:
            said.append(f"{what} ({r.target})")
    if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names) and \
            not any(r.reltype == _VBA for r in rels):
        said.append("macros (vbaProject.bin)")
    said = list(dict.fromkeys(said))
    if len(said) > MAX_LISTED:
        said = [*said[:MAX_LISTED], f"{len(said) - MAX_LISTED} more"]
    return said


def _kept_parts(archive: _Archive, rels: list[Any], main: str
                ) -> Iterator[tuple[str, tuple[str, str, Any]]]:
    """(relationship type, (part name, content type, parsed root)) of each part kept:
    styles, numbering, theme, settings (without what makes Word fetch), font table."""
    for reltype, (name, content_type, tag) in KEPT.items():
        rel = next((r for r in rels if r.source == main and r.reltype == reltype
                    and not r.external), None)
        root = _parse(archive, rel.target) if rel is not None else None
        if root is None or rel is None:
            continue
        if root.tag != tag:
            raise BadReference(f"its part '{rel.target}' is not the {_kind(reltype)} part of "
                               "a Word document")
        if reltype == RT.SETTINGS:
            for setting in _ACTIVE_SETTINGS:
                for el in root.findall(f"{{{_W}}}{setting}"):
                    root.remove(el)
        yield reltype, (name, content_type, root)


def clean_reference(data: bytes) -> CleanReference:
    """The reference document reduced to what the output uses (see the module's text);
    raises BadReference when it cannot be used at all."""
    archive = _Archive(data)
    rels = list(_all_relationships(archive))
    main = next((r for r in rels if r.source == "" and r.reltype == RT.OFFICE_DOCUMENT
                 and not r.external), None)
    document = _parse(archive, main.target) if main is not None else None
    if main is None or document is None or document.tag != f"{{{_W}}}document":
        raise BadReference("it is not a Word document (no main document part)")
    roots = {"word/document.xml": _document(document)}
    types = {"word/document.xml": CT.WML_DOCUMENT_MAIN}
    main_rels: list[tuple[str, str, str]] = []
    for reltype, (name, content_type, root) in _kept_parts(archive, rels, main.target):
        roots[name], types[name] = root, content_type
        main_rels.append((f"rId{len(main_rels) + 1}", reltype,
                          posixpath.relpath(name, "word")))
    members = {}
    for name, root in roots.items():
        _unhook(root)
        members[name] = _xml(root)
    members["word/_rels/document.xml.rels"] = _rels_xml(main_rels)
    members["_rels/.rels"] = _rels_xml([("rId1", RT.OFFICE_DOCUMENT, "word/document.xml")])
    members["[Content_Types].xml"] = _content_types(types)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in members.items():
            target.writestr(name, blob)
    return CleanReference(out.getvalue(), _dropped(rels, archive.names()))
